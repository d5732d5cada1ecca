/*
 * vCard 2.1, 3.0 and 4.0 reader (RFC 2426, RFC 6350 and the versit 2.1
 * spec), from a buffer in memory.
 *
 * Written by hand because no C library in Debian reads all three versions
 * as people's address books write them: libvformat and libvc stop at 3.0
 * and are unmaintained since the 2000s, belcard is C++ and 4.0 only, and
 * libebook brings Evolution's data server.  What kith needs is small and
 * fully specified: unfolding, parameters, quoted-printable with a
 * charset, backslash escapes and structured values.  Charset conversion
 * and UTF-8 checks use GLib (g_convert), which GMime already brings in.
 *
 * Robustness rules: any byte sequence is read without crashing; a card
 * without END:VCARD, or text outside cards, is rejected with its line;
 * PHOTO/LOGO/SOUND/KEY data is skipped without being decoded or even
 * kept, however large; a property longer than MAX_PROP is dropped.
 */
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "import_impl.h"

#define MAX_PROP (1u << 20)

/* A growable byte buffer for one unfolded line. */
struct buf {
	char *p;
	size_t n, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->n + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return KITH_ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return KITH_OK;
}

/* The physical line at *off: [*ls, *le) without its end of line; *off
 * moves past it.  CRLF, LF and a lone CR all end a line. */
static int next_line(const char *buf, size_t len, size_t *off, size_t *ls,
                     size_t *le)
{
	const char *p = buf + *off, *end = buf + len, *nl;

	if (*off >= len)
		return 0;
	*ls = *off;
	for (nl = p; nl < end && *nl != '\n' && *nl != '\r'; nl++)
		;
	*le = (size_t)(nl - buf);
	if (nl < end && *nl == '\r')
		nl++;
	if (nl < end && *nl == '\n' && (nl == p || nl[-1] != '\n'))
		nl++;
	*off = (size_t)(nl - buf);
	return 1;
}

struct param {
	int pref, qp, b64;
	char charset[40];
	int type_home, type_work;
};

/* Parsed logical line: pointers into the unfolded buffer. */
struct prop {
	char *name;      /* upper-cased, group removed */
	char *value;
	size_t vlen;
	struct param pm;
};

struct vstate {
	const kith__sink *s;
	kith_error *err;
	const char *buf;
	size_t len;
	kith__contact c;
	int in_card, agent_depth, agent_pending, skip_card;
	size_t card_off;
	int64_t card_line;
	int email_pref_seen, adr_rank;
	long orgjob;     /* index of the job ORG/TITLE fill, -1 before */
	int kithjobs;    /* X-KITH-JOB properties seen */
	char *abuid;
	struct buf line;
	GString *rel;    /* the card's relationship lines, as written */
	int rel_any;     /* ... among them a RELATED or X-ABRELATEDNAMES */
	/* BEGIN:VCARD and END:VCARD lines of the whole input, read at the
	 * first BEGIN inside a card (nested_closes): where each starts, the
	 * depth after it, and the least depth from it to the end. */
	/* The charset a 2.1 card declares on any of its lines (other than
	 * UTF-8), and the last one a card of the file declared: for a value
	 * without CHARSET whose bytes are not UTF-8. */
	char card_charset[40], file_charset[40];
	size_t *ev_off;
	long *ev_depth, *ev_min;
	size_t nev;
	int ev_read;
};

static int ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static int is_skipped_name(const char *n, size_t len)
{
	static const char *const names[] = {"PHOTO", "LOGO", "SOUND", "KEY"};
	for (size_t i = 0; i < 4; i++)
		if (strlen(names[i]) == len && strncasecmp(n, names[i], len) == 0)
			return 1;
	return 0;
}

/* Bounds of the property name of a raw line (group removed). */
static void raw_name(const char *s, size_t n, const char **name, size_t *nlen)
{
	size_t i = 0, start = 0;

	for (; i < n && s[i] != ';' && s[i] != ':'; i++)
		if (s[i] == '.')
			start = i + 1;
	*name = s + start;
	*nlen = i - start;
}

static int has_qp(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t h = colon ? (size_t)(colon - s) : n;

	for (size_t i = 0; i + 16 <= h; i++)
		if (strncasecmp(s + i, "QUOTED-PRINTABLE", 16) == 0)
			return 1;
	return 0;
}

/* Reads one logical line starting at *off into st->line, unfolding
 * continuation lines and quoted-printable soft breaks.  *skipped is set
 * for binary properties, whose data is passed over, not kept. */
static int read_logical(struct vstate *st, size_t *off, int64_t *lineno,
                        int *skipped, int *toolong)
{
	size_t ls, le, save;
	const char *name;
	size_t nlen;
	int qp, rc;

	st->line.n = 0;
	if (st->line.p)
		st->line.p[0] = '\0';
	if (!next_line(st->buf, st->len, off, &ls, &le))
		return 0;
	(*lineno)++;
	raw_name(st->buf + ls, le - ls, &name, &nlen);
	*skipped = is_skipped_name(name, nlen);
	*toolong = 0;
	qp = !*skipped && has_qp(st->buf + ls, le - ls);
	if (!*skipped && (rc = buf_add(&st->line, st->buf + ls, le - ls)))
		return -rc;
	for (;;) {
		size_t nls, nle;
		int cont, soft;
		save = *off;
		if (!next_line(st->buf, st->len, off, &nls, &nle))
			break;
		cont = nle > nls && (st->buf[nls] == ' ' || st->buf[nls] == '\t');
		soft = qp && st->line.n && st->line.p[st->line.n - 1] == '=';
		/* Binary data in 2.1 may run on unindented lines up to a blank
		 * one; a line without ':' cannot be a property. */
		if (*skipped && !cont && nle > nls && !memchr(st->buf + nls, ':', nle - nls))
			cont = 1;
		if (!cont && !soft) {
			*off = save;
			break;
		}
		(*lineno)++;
		if (*skipped || *toolong)
			continue;
		if (soft)  /* "=" at the end: the value goes on, spaces and all */
			st->line.n--;
		if (st->line.n + (nle - nls) > MAX_PROP) {
			*toolong = 1;
			continue;
		}
		if ((rc = buf_add(&st->line, st->buf + nls + (cont && !soft),
		                  nle - nls - (cont && !soft))))
			return -rc;
	}
	return 1;
}

/* Decodes quoted-printable in place; returns the new length. */
static size_t qp_decode(char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			s[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

static void note_param(struct param *pm, char *pname, char *pval)
{
	char *save = NULL;

	if (!pval) {  /* 2.1 bare parameter: "WORK", "PREF", "QUOTED-PRINTABLE" */
		pval = pname;
		pname = "TYPE";
		if (ieq(pval, "QUOTED-PRINTABLE"))
			pm->qp = 1;
		if (ieq(pval, "BASE64"))
			pm->b64 = 1;
	}
	if (ieq(pname, "ENCODING")) {
		pm->qp |= ieq(pval, "QUOTED-PRINTABLE");
		pm->b64 |= ieq(pval, "BASE64") || ieq(pval, "B");
	} else if (ieq(pname, "CHARSET")) {
		snprintf(pm->charset, sizeof(pm->charset), "%s", pval);
	} else if (ieq(pname, "PREF")) {
		pm->pref = 1;
	} else if (ieq(pname, "TYPE")) {
		for (char *t = strtok_r(pval, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			pm->pref |= ieq(t, "PREF");
			pm->type_home |= ieq(t, "HOME");
			pm->type_work |= ieq(t, "WORK");
		}
	}
}

/* Splits a logical line into name, parameters and value (in place).
 * Returns 0 when it has no ':' and so is not a property. */
static int parse_prop(char *s, size_t n, struct prop *p)
{
	char *q = s, *end = s + n, *name;

	memset(p, 0, sizeof(*p));
	name = s;
	while (q < end && *q != ';' && *q != ':') {
		if (*q == '.')
			name = q + 1;
		q++;
	}
	if (q >= end)
		return 0;
	while (q < end && *q == ';') {
		char *pn, *pv = NULL;
		*q++ = '\0';
		pn = q;
		int quoted = 0;
		while (q < end && (quoted || (*q != ';' && *q != ':'))) {
			if (*q == '"')
				quoted = !quoted;
			else if (*q == '=' && !pv && !quoted) {
				*q = '\0';
				pv = q + 1;
			}
			q++;
		}
		if (q >= end)
			return 0;
		char c = *q;
		*q = '\0';
		if (pv && *pv == '"') {  /* strip the quotes of a quoted value */
			size_t l = strlen(pv);
			pv++;
			if (l >= 2 && pv[l - 2] == '"')
				pv[l - 2] = '\0';
		}
		note_param(&p->pm, pn, pv);
		*q = c;
	}
	if (*q != ':')
		return 0;
	*q++ = '\0';
	while (end > q && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	for (char *c = name; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	p->name = name;
	p->value = q;
	p->vlen = (size_t)(end - q);
	return 1;
}

/* Undoes backslash escapes of one component [s, s+n) into a new string. */
static char *unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[++i];
			*o++ = (c == 'n' || c == 'N') ? '\n' : c;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Component i (0-based) of a value split on unescaped sep; NULL when
 * absent.  Heap string. */
static char *component(const char *v, size_t n, char sep, int i)
{
	size_t start = 0;
	int k = 0;

	for (size_t j = 0; j <= n; j++) {
		if (j < n && v[j] == '\\') {
			j++;
			continue;
		}
		if (j == n || v[j] == sep) {
			if (k == i)
				return unescape(v + start, j - start);
			k++;
			start = j + 1;
		}
	}
	return NULL;
}

/* Sets *field from component i; empty components leave it alone. */
static int take(char **field, const char *v, size_t n, char sep, int i)
{
	char *c = component(v, n, sep, i);
	int rc;

	if (!c)
		return KITH_OK;
	rc = *c ? kith__set_field(field, c, strlen(c)) : KITH_OK;
	free(c);
	return rc;
}

/* Pushes one value onto a list, first when preferred. */
static int push_value(kith_strv *sv, const char *s, int first)
{
	char *t = NULL;
	int rc = kith__set_field(&t, s, strlen(s));

	if (rc || !t)
		return rc;
	if (kith_strv_find(sv, t) < 0) {
		rc = kith_strv_push(sv, t);
		if (!rc && first && sv->n > 1) {
			char *last = sv->v[sv->n - 1];
			memmove(sv->v + 1, sv->v, (sv->n - 1) * sizeof(*sv->v));
			sv->v[0] = last;
		}
	}
	free(t);
	return rc;
}

static int add_note(kith__contact *c, const char *text)
{
	size_t a = c->notes ? strlen(c->notes) : 0, b = strlen(text);
	char *n = malloc(a + b + 2);

	if (!n)
		return KITH_ENOMEM;
	if (a)
		memcpy(n, c->notes, a);
	if (a)
		n[a++] = '\n';
	memcpy(n + a, text, b + 1);
	free(c->notes);
	c->notes = n;
	return KITH_OK;
}

/* Applies one property to the card being read. */
static int apply(struct vstate *st, struct prop *p, int64_t line)
{
	kith__contact *c = &st->c;
	const char *v = p->value;
	size_t n = p->vlen;
	char *t = NULL;
	int rc = KITH_OK;

	if (ieq(p->name, "FN")) {
		t = unescape(v, n);
		rc = t ? kith__set_field(&c->display, t, strlen(t)) : KITH_ENOMEM;
	} else if (ieq(p->name, "N")) {
		rc = take(&c->family, v, n, ';', 0);
		if (!rc)
			rc = take(&c->given, v, n, ';', 1);
	} else if (ieq(p->name, "EMAIL")) {
		t = unescape(v, n);
		if (!t)
			return KITH_ENOMEM;
		const char *e = strncasecmp(t, "mailto:", 7) == 0 ? t + 7 : t;
		rc = push_value(&c->emails, e, p->pm.pref && !st->email_pref_seen);
		st->email_pref_seen |= p->pm.pref;
	} else if (ieq(p->name, "TEL")) {
		t = unescape(v, n);
		if (!t)
			return KITH_ENOMEM;
		char *e = strncasecmp(t, "tel:", 4) == 0 ? t + 4 : t;
		char *ext = strchr(e, ';');  /* tel:+1-555-0100;ext=12 */
		if (ext)
			*ext = '\0';
		rc = push_value(&c->phones, e, p->pm.pref);
	} else if (ieq(p->name, "ADR")) {
		/* One city per person: a preferred address beats a home one,
		 * which beats any other. */
		int rank = 1 + p->pm.type_home + 2 * p->pm.pref;
		char *city = component(v, n, ';', 3), *country = component(v, n, ';', 6);
		if ((city && *city) || (country && *country)) {
			if (rank > st->adr_rank) {
				st->adr_rank = rank;
				rc = kith__set_field(&c->city, city, city ? strlen(city) : 0);
				if (!rc)
					rc = kith__set_field(&c->country, country,
					                     country ? strlen(country) : 0);
			}
		}
		free(city);
		free(country);
	} else if (ieq(p->name, "ORG") || ieq(p->name, "TITLE")) {
		int org = ieq(p->name, "ORG");
		char *val = org ? component(v, n, ';', 0) : unescape(v, n);
		if (!val)
			return KITH_ENOMEM;
		if (st->orgjob < 0) {
			rc = kith__contact_add_job(c, NULL, NULL, NULL, NULL);
			st->orgjob = (long)c->njobs - 1;
		}
		if (!rc) {
			kith__cjob *j = &c->jobs[st->orgjob];
			rc = kith__set_field(org ? &j->org : &j->title, val, strlen(val));
		}
		free(val);
	} else if (ieq(p->name, "X-KITH-JOB")) {
		/* kith's own export: one property per job beyond ORG/TITLE. */
		char *org = component(v, n, ';', 0), *title = component(v, n, ';', 1);
		char *from = component(v, n, ';', 2), *to = component(v, n, ';', 3);
		st->kithjobs++;
		if (org && *org)
			rc = kith__contact_add_job(c, org, title && *title ? title : NULL,
			                           from && *from ? from : NULL,
			                           to && *to ? to : NULL);
		free(org);
		free(title);
		free(from);
		free(to);
	} else if (ieq(p->name, "CATEGORIES")) {
		for (int i = 0; !rc; i++) {
			char *cat = component(v, n, ',', i);
			if (!cat)
				break;
			if (*cat && !ieq(cat, "myContacts"))
				rc = push_value(&c->tags, cat, 0);
			free(cat);
		}
	} else if (ieq(p->name, "NOTE")) {
		t = unescape(v, n);
		if (t && *t)
			rc = add_note(c, t);
		else if (!t)
			rc = KITH_ENOMEM;
	} else if (ieq(p->name, "BDAY")) {
		char canon[16], text[40];
		t = unescape(v, n);
		if (t && kith__bday_canon(t, canon, sizeof(canon)) == 0) {
			snprintf(text, sizeof(text), "Birthday: %s", canon);
			if (!c->notes || !strstr(c->notes, text))
				rc = add_note(c, text);
		} else if (t && *t) {
			rc = kith__issue(st->s, line, KITH_ISSUE_WARNING, st->err,
			                 "BDAY '%.40s' is not a date; dropped", t);
		}
	} else if (ieq(p->name, "UID")) {
		rc = take(&c->key, v, n, '\0', 0);
	} else if (ieq(p->name, "X-ABUID")) {
		rc = take(&st->abuid, v, n, '\0', 0);
	} else if (ieq(p->name, "KIND") || ieq(p->name, "X-ADDRESSBOOKSERVER-KIND")) {
		if (n >= 5 && strncasecmp(v, "group", 5) == 0)
			st->skip_card = 1;
		else if (n >= 3 && strncasecmp(v, "org", 3) == 0)
			st->skip_card = 2;
	}
	free(t);
	return rc;
}

static int is_utf8_name(const char *cs)
{
	return ieq(cs, "UTF-8") || ieq(cs, "UTF8") || ieq(cs, "US-ASCII");
}

/* Decodes a property's value (quoted-printable, charset) in place or into
 * a replacement held by *hold.  The charset: the value's CHARSET; without
 * one, UTF-8 when the bytes are UTF-8, else the card's declared charset,
 * else the file's, else (kith__set_field) Windows-1252.  GLib's iconv
 * converts, so Shift_JIS, KOI8-R and the rest read as written. */
static int decode_value(struct vstate *st, struct prop *p, char **hold)
{
	const char *cs = p->pm.charset;

	*hold = NULL;
	if (p->pm.qp)
		p->vlen = qp_decode(p->value, p->vlen);
	if (!cs[0] && !g_utf8_validate(p->value, (gssize)p->vlen, NULL))
		cs = st->card_charset[0] ? st->card_charset : st->file_charset;
	if (cs[0] && !is_utf8_name(cs)) {
		gchar *u = g_convert(p->value, (gssize)p->vlen, "UTF-8", cs,
		                     NULL, NULL, NULL);
		if (u) {
			*hold = strdup(u);
			g_free(u);
			if (!*hold)
				return KITH_ENOMEM;
			p->value = *hold;
			p->vlen = strlen(*hold);
		}
	}
	return KITH_OK;
}

/* Whether the physical line [ls, le) is "BEGIN:VCARD" (+1), "END:VCARD"
 * (-1) or neither (0), in any case, with trailing blanks. */
static int begin_end(const char *s, size_t ls, size_t le)
{
	while (le > ls && (s[le - 1] == ' ' || s[le - 1] == '\t'))
		le--;
	if (le - ls == 11 && strncasecmp(s + ls, "BEGIN:VCARD", 11) == 0)
		return 1;
	if (le - ls == 9 && strncasecmp(s + ls, "END:VCARD", 9) == 0)
		return -1;
	return 0;
}

static int read_events(struct vstate *st)
{
	size_t off = 0, ls, le, cap = 0;
	long depth = 0;

	st->ev_read = 1;
	while (next_line(st->buf, st->len, &off, &ls, &le)) {
		int d = begin_end(st->buf, ls, le);
		if (!d)
			continue;
		if (st->nev == cap) {
			size_t nc = cap ? cap * 2 : 64;
			size_t *o = realloc(st->ev_off, nc * sizeof(*o));
			long *dp = o ? realloc(st->ev_depth, nc * sizeof(*dp)) : NULL;
			if (o)
				st->ev_off = o;
			if (dp)
				st->ev_depth = dp;
			if (!o || !dp)
				return KITH_ENOMEM;
			cap = nc;
		}
		depth += d;
		st->ev_off[st->nev] = ls;
		st->ev_depth[st->nev++] = depth;
	}
	if (!(st->ev_min = malloc((st->nev + 1) * sizeof(*st->ev_min))))
		return KITH_ENOMEM;
	st->ev_min[st->nev] = depth;
	for (size_t i = st->nev; i-- > 0;)
		st->ev_min[i] = st->ev_depth[i] < st->ev_min[i + 1] ? st->ev_depth[i]
		                                                      : st->ev_min[i + 1];
	return KITH_OK;
}

/* A BEGIN:VCARD at off inside a card that is not an AGENT's: is it a card
 * nested in this one (Android writes those: the outer END:VCARD comes
 * after the inner cards and more of the outer's lines), or did the card
 * lack its END:VCARD?  Nested when, from this line on, the depth comes
 * back below the outer card's.  *nested.  One pass over the input, at the
 * first such line. */
static int nested_closes(struct vstate *st, size_t off, int *nested)
{
	size_t lo = 0, hi;

	*nested = 0;
	if (!st->ev_read) {
		int rc = read_events(st);
		if (rc)
			return rc;
	}
	hi = st->nev;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->ev_off[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < st->nev && st->ev_off[lo] == off)
		*nested = st->ev_min[lo + 1] <= st->ev_depth[lo] - 2;
	return KITH_OK;
}

/* The first CHARSET other than UTF-8 on the lines of the card starting
 * at off (up to its END:VCARD or the next BEGIN:VCARD), into
 * st->card_charset, and then the file's. */
static void card_charset(struct vstate *st, size_t off)
{
	size_t ls, le;
	int first = 1;

	st->card_charset[0] = '\0';
	while (next_line(st->buf, st->len, &off, &ls, &le)) {
		const char *colon, *c;
		size_t h;
		if (!first && begin_end(st->buf, ls, le))
			return;
		first = 0;
		colon = memchr(st->buf + ls, ':', le - ls);
		h = colon ? (size_t)(colon - st->buf) - ls : 0;
		for (c = st->buf + ls; h >= 8 && (size_t)(c - st->buf) + 8 <= ls + h; c++) {
			size_t n = 0;
			if (strncasecmp(c, "CHARSET=", 8) != 0)
				continue;
			c += 8;
			while (c + n < st->buf + ls + h && c[n] != ';' && c[n] != ',' &&
			       c[n] != '"' && n < sizeof(st->card_charset) - 1)
				n++;
			memcpy(st->card_charset, c, n);
			st->card_charset[n] = '\0';
			if (n && !is_utf8_name(st->card_charset)) {
				memcpy(st->file_charset, st->card_charset, n + 1);
				return;
			}
			st->card_charset[0] = '\0';
			break;
		}
	}
}

static int begin_card(struct vstate *st, size_t off, int64_t line)
{
	card_charset(st, off);
	kith__contact_clear(&st->c);
	free(st->abuid);
	st->abuid = NULL;
	st->in_card = 1;
	st->agent_depth = st->agent_pending = st->skip_card = 0;
	st->email_pref_seen = st->adr_rank = 0;
	st->orgjob = -1;
	st->kithjobs = 0;
	if (st->rel)
		g_string_truncate(st->rel, 0);
	st->rel_any = 0;
	st->card_off = off;
	st->card_line = line;
	st->c.line = line;
	return KITH_OK;
}

static int end_card(struct vstate *st, size_t end_off)
{
	kith__contact *c = &st->c;
	int rc;

	st->in_card = 0;
	kith__digest(st->buf + st->card_off, end_off - st->card_off, c->digest);
	if (st->skip_card)
		return kith__issue(st->s, st->card_line, KITH_ISSUE_SKIPPED, st->err,
		                   "a contact %s, not a person",
		                   st->skip_card == 1 ? "group" : "card for an organisation");
	if (!c->key && st->abuid) {
		c->key = st->abuid;
		st->abuid = NULL;
	}
	if (st->rel_any && !(c->related = strdup(st->rel->str)))
		return KITH_ENOMEM;
	/* A TITLE without an ORG is no job; kith's own X-KITH-JOB lines say
	 * all ORG/TITLE says, with dates. */
	if (st->orgjob >= 0 && (!c->jobs[st->orgjob].org || st->kithjobs)) {
		kith__cjob *j = &c->jobs[st->orgjob];
		free(j->org);
		free(j->title);
		memmove(j, j + 1, (c->njobs - (size_t)st->orgjob - 1) * sizeof(*j));
		c->njobs--;
	}
	rc = st->s->contact ? st->s->contact(st->s->ctx, c, st->err) : KITH_OK;
	kith__contact_clear(c);
	return rc;
}

/* Keeps the line being read, as written, when it states a relationship
 * or labels one: the sink resolves them once every card is in. */
static int keep_related(struct vstate *st)
{
	const char *name;
	size_t n;
	int rel;

	raw_name(st->line.p, st->line.n, &name, &n);
	rel = (n == 7 && strncasecmp(name, "RELATED", 7) == 0) ||
	      (n == 16 && strncasecmp(name, "X-ABRELATEDNAMES", 16) == 0);
	if (!rel && !(n == 9 && strncasecmp(name, "X-ABLABEL", 9) == 0))
		return KITH_OK;
	if (!st->rel)
		st->rel = g_string_new(NULL);
	if (st->rel->len)
		g_string_append_c(st->rel, '\n');
	g_string_append_len(st->rel, st->line.p, (gssize)st->line.n);
	st->rel_any |= rel;
	return KITH_OK;
}

/* Handles one logical line in or out of a card. */
static int handle_line(struct vstate *st, size_t start, size_t end_off,
                       int64_t line, int skipped, int toolong, int *junk)
{
	struct prop p;
	char *hold = NULL;
	int rc;

	if (skipped)
		return KITH_OK;
	if (st->line.n == 0 || strspn(st->line.p, " \t") == st->line.n)
		return KITH_OK;
	if (st->in_card && !st->agent_depth && (rc = keep_related(st)))
		return rc;
	if (!parse_prop(st->line.p, st->line.n, &p)) {
		if (!st->in_card) {
			if ((*junk)++)
				return KITH_OK;  /* one report per run of junk */
			return kith__issue(st->s, line, KITH_ISSUE_REJECTED, st->err,
			                   "not a vCard (no BEGIN:VCARD)");
		}
		return kith__issue(st->s, line, KITH_ISSUE_WARNING, st->err,
		                   "not a property (no ':'); ignored");
	}
	if (ieq(p.name, "BEGIN") && strncasecmp(p.value, "VCARD", 5) == 0 && p.vlen == 5) {
		*junk = 0;
		if (st->in_card && st->agent_pending) {
			st->agent_depth++;
			return KITH_OK;
		}
		if (st->in_card && st->agent_depth == 0) {
			int nested;
			if ((rc = nested_closes(st, start, &nested)))
				return rc;
			if (nested) {  /* read past; the outer card goes on after it */
				st->agent_depth = 1;
				return kith__issue(st->s, line, KITH_ISSUE_WARNING, st->err,
				                   "a vCard inside the one of line %lld; left out",
				                   (long long)st->card_line);
			}
			rc = kith__issue(st->s, st->card_line, KITH_ISSUE_REJECTED, st->err,
			                 "no END:VCARD before the next BEGIN:VCARD");
			if (rc)
				return rc;
		}
		if (st->agent_depth)
			st->agent_depth++;
		else
			return begin_card(st, start, line);
		return KITH_OK;
	}
	if (!st->in_card) {
		if ((*junk)++)
			return KITH_OK;
		return kith__issue(st->s, line, KITH_ISSUE_REJECTED, st->err,
		                   "text outside a vCard");
	}
	st->agent_pending = 0;
	if (ieq(p.name, "END") && p.vlen == 5 && strncasecmp(p.value, "VCARD", 5) == 0) {
		if (st->agent_depth) {
			st->agent_depth--;
			return KITH_OK;
		}
		return end_card(st, end_off);
	}
	if (st->agent_depth)
		return KITH_OK;
	if (ieq(p.name, "AGENT") && p.vlen == 0) {
		st->agent_pending = 1;
		return KITH_OK;
	}
	if (toolong)
		return kith__issue(st->s, line, KITH_ISSUE_WARNING, st->err,
		                   "%s is longer than %u bytes; dropped", p.name, MAX_PROP);
	if (p.pm.b64)
		return KITH_OK;  /* binary data in a property kith does not keep */
	rc = decode_value(st, &p, &hold);
	if (!rc)
		rc = apply(st, &p, line);
	free(hold);
	return rc;
}

int kith__vcard_parse(const char *buf, size_t len, const kith__sink *s,
                      kith_error *err)
{
	struct vstate st = {.s = s, .err = err, .buf = buf, .len = len};
	size_t off = 0;
	int64_t lineno = 0;
	int rc = KITH_OK, junk = 0;
	size_t last_progress = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		off = 3;  /* a UTF-8 byte order mark */
	for (;;) {
		size_t start = off;
		int64_t first = lineno + 1;
		int skipped, toolong;
		int got = read_logical(&st, &off, &lineno, &skipped, &toolong);
		if (got < 0) {
			rc = -got;
			break;
		}
		if (got == 0)
			break;
		rc = handle_line(&st, start, off, first, skipped, toolong, &junk);
		if (rc)
			break;
		if (s->progress && off - last_progress > (1u << 20)) {
			s->progress(s->ctx, off, len);
			last_progress = off;
		}
	}
	if (!rc && st.in_card && st.agent_depth == 0)
		rc = kith__issue(s, st.card_line, KITH_ISSUE_REJECTED, err,
		                 "no END:VCARD before the end of the file");
	if (rc == KITH_ENOMEM)
		kith_error_set(err, rc, "out of memory");
	if (!rc && s->progress)
		s->progress(s->ctx, len, len);
	kith__contact_clear(&st.c);
	free(st.abuid);
	free(st.line.p);
	if (st.rel)
		g_string_free(st.rel, TRUE);
	free(st.ev_off);
	free(st.ev_depth);
	free(st.ev_min);
	return rc;
}
