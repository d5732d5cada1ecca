/* Records and text helpers shared by the capture parsers. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "import_impl.h"
#include "kith/person.h"

void kith__contact_clear(kith__contact *c)
{
	if (!c)
		return;
	free(c->key);
	free(c->display);
	free(c->given);
	free(c->family);
	free(c->city);
	free(c->country);
	free(c->notes);
	free(c->since);
	free(c->related);
	kith_strv_clear(&c->emails);
	kith_strv_clear(&c->phones);
	kith_strv_clear(&c->tags);
	for (size_t i = 0; i < c->njobs; i++) {
		free(c->jobs[i].org);
		free(c->jobs[i].title);
		free(c->jobs[i].from);
		free(c->jobs[i].to);
	}
	free(c->jobs);
	memset(c, 0, sizeof(*c));
}

int kith__set_field(char **field, const char *s, size_t len)
{
	char *t;

	free(*field);
	*field = NULL;
	if (!s)
		return KITH_OK;
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return KITH_OK;
	t = kith__utf8_dup(s, len);
	if (!t)
		return KITH_ENOMEM;
	*field = t;
	return KITH_OK;
}

int kith__contact_add_job(kith__contact *c, const char *org, const char *title,
                          const char *from, const char *to)
{
	kith__cjob *v = realloc(c->jobs, (c->njobs + 1) * sizeof(*v));
	kith__cjob *j;
	int rc = KITH_OK;

	if (!v)
		return KITH_ENOMEM;
	c->jobs = v;
	j = &v[c->njobs];
	memset(j, 0, sizeof(*j));
	c->njobs++;
	if (org)
		rc |= kith__set_field(&j->org, org, strlen(org));
	if (title)
		rc |= kith__set_field(&j->title, title, strlen(title));
	if (from)
		rc |= kith__set_field(&j->from, from, strlen(from));
	if (to)
		rc |= kith__set_field(&j->to, to, strlen(to));
	return rc ? KITH_ENOMEM : KITH_OK;
}

void kith__event_clear(kith__event *e)
{
	if (!e)
		return;
	free(e->key);
	free(e->notes);
	for (size_t i = 0; i < e->nparties; i++) {
		free(e->parties[i].email);
		if (e->parties[i].packed)
			continue;
		free(e->parties[i].name);
		free(e->parties[i].norm);
		free(e->parties[i].low);
	}
	free(e->parties);
	memset(e, 0, sizeof(*e));
}

/* s without the white space around it: *len bytes from the result. */
static const char *trimmed(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* p->low from p->norm (same length, already allocated) and p->noreply:
 * what the writer looks the address up by. */
static void party_key(kith__party *p)
{
	size_t i = 0;

	do
		p->low[i] = (char)g_ascii_tolower(p->norm[i]);
	while (p->norm[i++]);
	p->noreply = kith__noreply(p->norm);
}

/* Fills p's four strings in one block, the usual case of UTF-8 input (a
 * mailbox has millions of parties, and four allocations each were a
 * third of the reader's time): KITH_OK, KITH_ENOMEM, or 1 when the input
 * needs kith__set_field's conversion. */
static int party_packed(kith__party *p, const char *email, const char *name)
{
	size_t el, nl = 0;
	const char *es = trimmed(email, &el), *ns = name ? trimmed(name, &nl) : NULL;
	char *b;

	if (!el)
		return KITH_OK;  /* blank address */
	if (!g_utf8_validate(es, (gssize)el, NULL) ||
	    (nl && !g_utf8_validate(ns, (gssize)nl, NULL)))
		return 1;
	if (!(b = malloc(3 * (el + 1) + nl + 1)))
		return KITH_ENOMEM;
	p->packed = 1;
	p->email = memcpy(b, es, el);
	b[el] = '\0';
	p->norm = memcpy(b + el + 1, es, el + 1);
	p->low = b + 2 * (el + 1);
	if (nl) {
		p->name = memcpy(b + 3 * (el + 1), ns, nl);
		p->name[nl] = '\0';
	}
	if (!kith__email_fix(p->norm)) {
		p->norm = p->low = NULL;
		return KITH_OK;
	}
	party_key(p);
	return KITH_OK;
}

/* The same, one allocation per string, for input kith__set_field must
 * convert first. */
static int party_apart(kith__party *p, const char *email, const char *name)
{
	if (kith__set_field(&p->email, email, strlen(email)) ||
	    (name && kith__set_field(&p->name, name, strlen(name)))) {
		free(p->email);
		free(p->name);
		return KITH_ENOMEM;
	}
	if (!p->email || kith_email_normalize(p->email, &p->norm, NULL) != KITH_OK)
		return KITH_OK;
	if (!(p->low = malloc(strlen(p->norm) + 1))) {
		free(p->email);
		free(p->name);
		free(p->norm);
		return KITH_ENOMEM;
	}
	party_key(p);
	return KITH_OK;
}

int kith__event_add(kith__event *e, const char *email, const char *name)
{
	kith__party *p;
	int rc;

	for (size_t i = 0; i < e->nparties; i++)
		if (strcasecmp(e->parties[i].email, email) == 0)
			return KITH_OK;
	if (e->nparties == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 4;
		kith__party *v = realloc(e->parties, cap * sizeof(*v));
		if (!v)
			return KITH_ENOMEM;
		e->parties = v;
		e->cap = cap;
	}
	p = &e->parties[e->nparties];
	memset(p, 0, sizeof(*p));
	rc = party_packed(p, email, name);
	if (rc == 1) {
		memset(p, 0, sizeof(*p));
		rc = party_apart(p, email, name);
	}
	if (rc)
		return rc;
	if (!p->email)
		return KITH_OK;  /* blank address: nothing to add */
	e->nparties++;
	return KITH_OK;
}

int kith__issue(const kith__sink *s, int64_t line, int level, kith_error *err,
                const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return s->issue ? s->issue(s->ctx, line, level, why, err) : KITH_OK;
}

void kith__digest(const void *data, size_t len, char out[33])
{
	gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_MD5, data, len);

	snprintf(out, 33, "%s", hex ? hex : "");
	g_free(hex);
}

int64_t kith__line_at(const char *buf, size_t off, size_t *pos, int64_t *line)
{
	const char *p = buf + *pos, *end = buf + off;

	if (off < *pos) {  /* never expected: restart rather than go wrong */
		*pos = 0;
		*line = 1;
		p = buf;
	}
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		(*line)++;
		p++;
	}
	*pos = off;
	return *line;
}

char *kith__utf8_dup(const char *s, size_t len)
{
	gchar *conv;
	char *out;

	if (g_utf8_validate(s, (gssize)len, NULL))
		return strndup(s, len);
	/* Not UTF-8: most often Windows-1252 from an old address book; its few
	 * unassigned bytes make that fail, and Latin-1 takes every byte. */
	conv = g_convert(s, (gssize)len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
	if (!conv)
		conv = g_convert(s, (gssize)len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
	if (!conv)
		return NULL;
	out = strdup(conv);
	g_free(conv);
	return out;
}

char *kith__tagify(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 1), *o = out;
	int dash = 0;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p >= 0x80 || strchr("_.+#&", *p)) {
			if (dash && o > out)
				*o++ = '-';
			dash = 0;
			*o++ = (char)tolower(*p);
		} else {
			dash = 1;  /* spaces, slashes, quotes... become one dash */
		}
	}
	*o = '\0';
	if (o == out || o - out > 64) {
		free(out);
		return NULL;
	}
	return out;
}

int kith__bday_canon(const char *s, char *out, size_t outsz)
{
	char d[9] = "";
	size_t n = 0;
	int noyear = strncmp(s, "--", 2) == 0;

	for (const char *p = s + (noyear ? 2 : 0); *p && *p != 'T' && n < 8; p++)
		if (isdigit((unsigned char)*p))
			d[n++] = *p;
		else if (*p != '-')
			return -1;
	if (noyear && n == 4)
		snprintf(out, outsz, "--%.2s-%.2s", d, d + 2);
	else if (!noyear && n == 8)
		snprintf(out, outsz, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
	else
		return -1;
	return 0;
}

