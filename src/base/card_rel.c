/*
 * Relationships as cards state them, without the database: the one table
 * between kith's link kinds and vCard labels, reading a card's RELATED
 * and X-ABRELATEDNAMES lines, and writing them (card_impl.h).
 *
 * vCard 4.0 (RFC 6350 6.6.6) says `RELATED;TYPE=friend:urn:uuid:...`;
 * iOS and macOS write vCard 3.0, which has no RELATED, so they say
 * `item1.X-ABRELATEDNAMES:Jane Doe` with `item1.X-ABLabel:_$!<Spouse>!$_`
 * (Apple's own labels are wrapped so, a user's are plain text).  Both
 * name what the related person is to the card's person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "base/vcard_text.h"

/*
 * Kinds and labels.  Rows with write set are what kith writes for a
 * kind; every row is read (a label matches its type or its label column,
 * any case).  A kind with no row (partner, classmate, mentor, client,
 * investor, or one added with `kith kind add`) is written as its own
 * name: "x-NAME" as a type, "NAME" as a label, and for the card of the
 * person with the role of a directed kind "x-NAME-of" / "NAME of".
 * Apple's labels with a vCard 4.0 equivalent carry it, so a card's own
 * line can be served in the other version.
 */
static const struct rel_row {
	const char *kind;
	int end;
	const char *type;    /* RELATED TYPE value, or NULL */
	const char *label;   /* X-ABLabel, or NULL */
	int write;
} rel_table[] = {
	{"knows",     KITH__REL_ANY, "contact",      "_$!<Other>!$_",     1},
	{"friend",    KITH__REL_ANY, "friend",       "_$!<Friend>!$_",    1},
	{"family",    KITH__REL_ANY, "kin",          "family",            1},
	{"colleague", KITH__REL_ANY, "colleague",    "colleague",         1},
	{"neighbour", KITH__REL_ANY, "neighbor",     "neighbour",         1},
	{"knows",     KITH__REL_ANY, "acquaintance", NULL,                0},
	{"knows",     KITH__REL_ANY, "met",          NULL,                0},
	{"family",    KITH__REL_ANY, "spouse",       "_$!<Spouse>!$_",    0},
	{"family",    KITH__REL_ANY, "child",        "_$!<Child>!$_",     0},
	{"family",    KITH__REL_ANY, "parent",       "_$!<Parent>!$_",    0},
	{"family",    KITH__REL_ANY, "sibling",      "_$!<Sibling>!$_",   0},
	{"family",    KITH__REL_ANY, "parent",       "_$!<Father>!$_",    0},
	{"family",    KITH__REL_ANY, "parent",       "_$!<Mother>!$_",    0},
	{"family",    KITH__REL_ANY, "sibling",      "_$!<Brother>!$_",   0},
	{"family",    KITH__REL_ANY, "sibling",      "_$!<Sister>!$_",    0},
	/* Apple's Partner is a life partner; kith's partner is business. */
	{"family",    KITH__REL_ANY, "sweetheart",   "_$!<Partner>!$_",   0},
	{"colleague", KITH__REL_ANY, "co-worker",    NULL,                0},
	{"colleague", KITH__REL_ANY, "co-worker",    "_$!<Manager>!$_",   0},
	{"colleague", KITH__REL_ANY, "co-worker",    "_$!<Assistant>!$_", 0},
	{"neighbour", KITH__REL_ANY, "co-resident",  NULL,                0},
	{"mentor",    KITH__REL_B,   NULL,           "mentee",            0},
};

#define NROWS (sizeof(rel_table) / sizeof(rel_table[0]))

/* The first row whose type or label is s (any case), or NULL. */
static const struct rel_row *row_of(const char *s)
{
	for (size_t i = 0; i < NROWS; i++)
		if ((rel_table[i].label && strcasecmp(rel_table[i].label, s) == 0) ||
		    (rel_table[i].type && strcasecmp(rel_table[i].type, s) == 0))
			return &rel_table[i];
	return NULL;
}

int kith__rel_from_label(const char *label, char *kind, size_t sz, int *end)
{
	char w[64];
	size_t n;
	const struct rel_row *r;

	snprintf(w, sizeof(w), "%s", label ? label + strspn(label, " \t") : "");
	n = strlen(w);
	while (n && (w[n - 1] == ' ' || w[n - 1] == '\t'))
		w[--n] = '\0';
	r = row_of(w);
	if (!r && strncasecmp(w, "x-", 2) == 0)
		r = row_of(w + 2);
	if (r) {
		snprintf(kind, sz, "%s", r->kind);
		*end = r->end;
		return 1;
	}
	/* A kind's own name: "x-" dropped, "-of" or " of" for the other end,
	 * lower case, spaces as in kind names. */
	char *s = strncasecmp(w, "x-", 2) == 0 ? w + 2 : w;
	n = strlen(s);
	*end = KITH__REL_A;
	if (n > 3 && (strcasecmp(s + n - 3, " of") == 0 || strcasecmp(s + n - 3, "-of") == 0)) {
		s[n - 3] = '\0';
		*end = KITH__REL_B;
	}
	for (char *p = s; *p; p++)
		*p = *p == ' ' ? '-' : (char)g_ascii_tolower(*p);
	snprintf(kind, sz, "%s", s);
	return 0;
}

void kith__rel_to_label(const char *kind, int end, int version, char *out, size_t sz)
{
	for (size_t i = 0; i < NROWS; i++) {
		const struct rel_row *r = &rel_table[i];
		if (r->write && strcmp(r->kind, kind) == 0) {
			snprintf(out, sz, "%s", version == 4 ? r->type : r->label);
			return;
		}
	}
	/* Type values are tokens: a kind's '_' becomes '-'. */
	snprintf(out, sz, "%s%s%s", version == 4 ? "x-" : "", kind,
	         end != KITH__REL_B ? "" : version == 4 ? "-of" : " of");
	if (version == 4)
		for (char *p = out; *p; p++)
			if (*p == '_')
				*p = '-';
}

int kith__rel_convert(const char *label, int version, char *out, size_t sz)
{
	const struct rel_row *r = row_of(label);
	const char *v;

	if (!r && strncasecmp(label, "x-", 2) == 0)
		r = row_of(label + 2);
	if (!r)
		return 0;
	/* A type is a word a label may be; a label is no type. */
	v = version == 4 ? r->type : r->label ? r->label : r->type;
	if (!v)
		return 0;
	snprintf(out, sz, "%s", v);
	return 1;
}

void kith__line_group(const char *line, size_t len, char *out, size_t sz)
{
	size_t dot = 0, i = 0, o = 0;

	for (; i < len && line[i] != ';' && line[i] != ':'; i++)
		if (line[i] == '.')
			dot = i + 1;
	for (size_t k = 0; dot && k + 1 < dot && o + 1 < sz; k++)
		out[o++] = line[k];
	out[o] = '\0';
}

/* Unescapes a text value (\n, \, \; \\) into a heap string. */
static char *unescape(const char *s, size_t n)
{
	char *o = malloc(n + 1), *w = o;

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			*w++ = s[i] == 'n' || s[i] == 'N' ? '\n' : s[i];
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return o;
}

/* Calls fn for each value of parameter pname (any case, quotes off,
 * comma lists split) of a line; "TYPE" also takes vCard 2.1's bare
 * parameters.  Stops at the first nonzero return and returns it. */
static int each_param(const char *line, size_t len, const char *pname,
                      int (*fn)(void *, const char *, size_t), void *ctx)
{
	const char *v = kith_card_value(line, len);
	size_t end = v > line ? (size_t)(v - line) - 1 : 0, i = strcspn(line, ";:");

	while (i < end && line[i] == ';') {
		size_t s = ++i, eq = 0, e;
		int q = 0;
		for (e = s; e < end && (q || line[e] != ';'); e++) {
			if (line[e] == '"')
				q = !q;
			else if (line[e] == '=' && !eq)
				eq = e;
		}
		i = e;
		int named = eq && eq - s == strlen(pname) && strncasecmp(line + s, pname, eq - s) == 0;
		if (!named && (eq || strcmp(pname, "TYPE") != 0))
			continue;
		for (size_t k = eq ? eq + 1 : s; k < e;) {
			size_t ve = k;
			q = 0;
			while (ve < e && (q || line[ve] != ',')) {
				if (line[ve] == '"')
					q = !q;
				ve++;
			}
			size_t a = k, b = ve;
			if (a < b && line[a] == '"')
				a++;
			if (b > a && line[b - 1] == '"')
				b--;
			int rc = b > a ? fn(ctx, line + a, b - a) : 0;
			if (rc)
				return rc;
			k = ve + 1;
		}
	}
	return 0;
}

/* Relationship labels of a TYPE list: "pref" says nothing of one. */
static int add_label(void *ctx, const char *s, size_t n)
{
	kith_strv *sv = ctx;
	char buf[64];

	if (n >= sizeof(buf) || (n == 4 && strncasecmp(s, "pref", 4) == 0))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return kith_strv_push(sv, buf) ? -1 : 0;
}

static int is_text(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	return n == 4 && strncasecmp(s, "text", 4) == 0;
}

/* Whether a RELATED value is a URI: VALUE=text says not, and so does a
 * value with no scheme (a client writing a name without saying so). */
static int value_is_uri(const char *line, size_t len, const char *v)
{
#define ALPHA "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	size_t s;

	if (each_param(line, len, "VALUE", is_text, NULL))
		return 0;
	/* RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	s = strspn(v, ALPHA "0123456789+-.");
	return s > 0 && strspn(v, ALPHA) > 0 && v[s] == ':' && !strchr(v, ' ');
#undef ALPHA
}

/* Grows the item array by one (zeroed); NULL on OOM. */
static kith__rel_item *push_item(kith__rel_item **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		kith__rel_item *nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		*v = nv;
		*cap = nc;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	return &(*v)[(*n)++];
}

/* Fills item from line i (RELATED or X-ABRELATEDNAMES) and, for the
 * latter, the other lines of its group.  KITH_OK, KITH_ENOMEM, or
 * KITH_EINVAL for a line with no value (not a relationship). */
static int read_item(const kith__lines *l, size_t i, kith__rel_item *it)
{
	const char *v = kith_card_value(l->line[i], l->len[i]);
	size_t vn = l->len[i] - (size_t)(v - l->line[i]);
	char group[24];

	if (!(it->value = unescape(v, vn)))
		return KITH_ENOMEM;
	g_strstrip(it->value);
	if (!it->value[0])
		return KITH_EINVAL;
	it->apple = strcmp(l->name[i], "RELATED") != 0;
	if (!(it->lines = malloc(l->n * sizeof(*it->lines))))
		return KITH_ENOMEM;
	it->lines[it->nlines++] = i;
	if (!it->apple) {
		it->uri = value_is_uri(l->line[i], l->len[i], it->value);
		return each_param(l->line[i], l->len[i], "TYPE", add_label, &it->labels)
		       ? KITH_ENOMEM : KITH_OK;
	}
	kith__line_group(l->line[i], l->len[i], group, sizeof(group));
	for (size_t k = 0; group[0] && k < l->n; k++) {
		char g[24];
		if (k == i)
			continue;
		kith__line_group(l->line[k], l->len[k], g, sizeof(g));
		if (strcasecmp(g, group) != 0)
			continue;
		it->lines[it->nlines++] = k;
		if (strcmp(l->name[k], "X-ABLABEL") == 0) {
			const char *lv = kith_card_value(l->line[k], l->len[k]);
			char *t = unescape(lv, l->len[k] - (size_t)(lv - l->line[k]));
			int bad = !t || (g_strstrip(t)[0] && kith_strv_push(&it->labels, t));
			free(t);
			if (bad)
				return KITH_ENOMEM;
		}
	}
	return KITH_OK;
}

static void item_clear(kith__rel_item *it)
{
	free(it->lines);
	free(it->value);
	kith_strv_clear(&it->labels);
}

void kith__rel_items_free(kith__rel_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		item_clear(&v[i]);
	free(v);
}

int kith__rel_items(const kith__lines *l, kith__rel_item **out, size_t *n)
{
	kith__rel_item *v = NULL, *it;
	size_t nv = 0, cap = 0;
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < l->n; i++) {
		if (strcmp(l->name[i], "RELATED") != 0 && strcmp(l->name[i], "X-ABRELATEDNAMES") != 0)
			continue;
		if (!(it = push_item(&v, &nv, &cap))) {
			rc = KITH_ENOMEM;
			break;
		}
		rc = read_item(l, i, it);
		if (rc == KITH_EINVAL) {  /* an empty line: kept as it is */
			item_clear(it);
			nv--;
			rc = KITH_OK;
		}
	}
	if (rc) {
		kith__rel_items_free(v, nv);
		v = NULL;
		nv = 0;
	}
	*out = v;
	*n = nv;
	return rc;
}

void kith__rel_write(GString *out, int version, const char *label, const char *value,
                     int uri, const char *group)
{
	GString *l = g_string_new("");

	if (version == 4) {
		g_string_printf(l, "RELATED;TYPE=%s%s:", label, uri ? "" : ";VALUE=text");
		if (uri)
			g_string_append(l, value);
		else
			kith__vcard_esc(l, value);
		kith__vcard_fold(out, l->str, l->len);
	} else {
		g_string_printf(l, "%s.X-ABRELATEDNAMES:", group);
		kith__vcard_esc(l, value);
		kith__vcard_fold(out, l->str, l->len);
		g_string_printf(l, "%s.X-ABLabel:", group);
		kith__vcard_esc(l, label);
		kith__vcard_fold(out, l->str, l->len);
	}
	g_string_free(l, TRUE);
}
