/*
 * REPORT on an address book: addressbook-multiget and addressbook-query
 * (RFC 6352 8.6, 8.7) and sync-collection (RFC 6578), all answered from
 * the member's book as this request read it (dav_book.c): ETags and sync
 * tokens are hashes of what the member sees (src/card/card_book.c).
 *
 * What a REPORT may cost is bounded before any work (dav_impl.h): hrefs
 * in a multiget (403 DAV:number-of-matches-within-limits, as CalendarServer
 * answers), prop-filters, text-matches and the length of their text in a
 * query (403 CARDDAV:supported-filter); each with a one-line reason.  A
 * filter is read once, not once per card, and a card's lines are split
 * once for all its filters.  Past the time budget, a query answers what
 * it found with a 507 for the book (RFC 6352 8.6.1), the others 503.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include <libxml/parser.h>

#include "dav_impl.h"

/* The address-data element among the asked properties, for its version. */
static int report_version(struct dav *d, const struct dprops *w)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->v[i].ns, NS_CARD) == 0 && strcmp(w->v[i].name, "address-data") == 0)
			return dav_version(d, w->v[i].node);
	return dav_version(d, NULL);
}

static int multiget(struct dav *d, const xmlNode *root, struct dprops *w, struct dbuf *b)
{
	int version = report_version(d, w);
	size_t nhrefs = 0;
	GHashTable *seen;

	for (const xmlNode *c = root->children; c; c = c->next)
		nhrefs += x_is(c, NS_DAV, "href");
	if (nhrefs > DAV_MAX_HREFS)
		return dav_error_why(d, 403, NS_DAV, "number-of-matches-within-limits",
		                     "a multiget names at most %d hrefs (this one: %zu);"
		                     " ask in parts", DAV_MAX_HREFS, nhrefs);
	if (dav_book_read(d))
		return 0;
	/* Each href answered once: a name sent twice is one card. */
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, x_free, NULL);
	for (xmlNode *c = root->children; c && !d->r->resp; c = c->next) {
		if (!x_is(c, NS_DAV, "href"))
			continue;
		if (dav_over_budget(d)) {
			dav_busy(d);
			break;
		}
		char *h = x_text(c);
		struct dav t = {.r = d->r};
		const kith_card_ref *ref;
		if (!h) {
			b->oom = 1;
			break;
		}
		/* Trimmed: clients indent. */
		char *s = h + strspn(h, " \t\r\n");
		s[strcspn(s, " \t\r\n")] = '\0';
		dav_unescape(s);
		if (g_hash_table_contains(seen, s)) {
			x_free(h);
			continue;
		}
		memmove(h, s, strlen(s) + 1);
		g_hash_table_add(seen, h);
		memcpy(t.seg, d->seg, sizeof(t.seg));
		if (dav_locate(&t, h) || t.kind != DAV_CARD) {
			db_puts(b, "<d:response><d:href>");
			db_esc(b, h, strlen(h));
			db_puts(b, "</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>\n");
		} else if (!(ref = dav_book_find(d, t.card))) {
			ms_status(d, b, t.card, 404);  /* hidden or missing: the same */
		} else {
			ms_props(d, b, DAV_CARD, ref, w, version);
		}
	}
	g_hash_table_destroy(seen);
	return 0;
}

/* A query's filter, read once (RFC 6352 10.5). */
enum { MATCH_CONTAINS, MATCH_EQUALS, MATCH_STARTS, MATCH_ENDS };
enum { COLL_UNICODE, COLL_ASCII, COLL_OCTET };

struct tmatch {
	char *text;           /* folded as its collation says (g_free) */
	int type, negate, coll;
};

struct pfilter {
	char name[24];        /* upper case */
	int all, undefined;   /* test="allof"; is-not-defined */
	size_t first, n;      /* its text-matches in struct qfilter.tm */
};

struct qfilter {
	int all;
	struct pfilter *pf;
	size_t npf;
	struct tmatch *tm;
	size_t ntm;
};

static void qfilter_free(struct qfilter *f)
{
	for (size_t i = 0; i < f->ntm; i++)
		g_free(f->tm[i].text);
	free(f->tm);
	free(f->pf);
	memset(f, 0, sizeof(*f));
}

static int test_all(const xmlNode *n)
{
	xmlChar *t = xmlGetProp(n, (const xmlChar *)"test");
	int all = t && strcmp((const char *)t, "allof") == 0;

	x_free(t);
	return all;
}

static char *fold(const char *s, int coll)
{
	if (coll == COLL_OCTET)
		return g_strdup(s);
	if (coll == COLL_ASCII)
		return g_ascii_strdown(s, -1);
	return g_utf8_casefold(s, -1);
}

/* One text-match into m.  0, or -1 after a 403 reply. */
static int read_match(struct dav *d, const xmlNode *tm, struct tmatch *m)
{
	static const char *const types[] = {"contains", "equals", "starts-with", "ends-with"};
	xmlChar *type = xmlGetProp(tm, (const xmlChar *)"match-type");
	xmlChar *neg = xmlGetProp(tm, (const xmlChar *)"negate-condition");
	xmlChar *coll = xmlGetProp(tm, (const xmlChar *)"collation");
	char *text = x_text(tm);
	int rc;

	memset(m, 0, sizeof(*m));
	m->type = -1;
	for (int i = 0; i < 4; i++)
		if (!type || strcmp((const char *)type, types[i]) == 0) {
			m->type = i;
			break;
		}
	m->negate = neg && strcmp((const char *)neg, "yes") == 0;
	m->coll = !coll || strcmp((const char *)coll, "i;unicode-casemap") == 0 ? COLL_UNICODE
	          : strcmp((const char *)coll, "i;ascii-casemap") == 0       ? COLL_ASCII
	          : strcmp((const char *)coll, "i;octet") == 0               ? COLL_OCTET : -1;
	rc = -1;
	if (m->type < 0)
		dav_error_why(d, 403, NS_CARD, "supported-filter",
		              "match-type is one of equals, contains, starts-with, ends-with");
	else if (m->coll < 0)
		dav_error_why(d, 403, NS_CARD, "supported-collation",
		              "collations: i;unicode-casemap, i;ascii-casemap, i;octet");
	else if (text && strlen(text) > DAV_MAX_MATCH_BYTES)
		dav_error_why(d, 403, NS_CARD, "supported-filter",
		              "a text-match is at most %d bytes (this one: %zu)",
		              DAV_MAX_MATCH_BYTES, strlen(text));
	else if (!(m->text = fold(text ? text : "", m->coll)))
		reply_error(d->r, 500, "internal", "out of memory");
	else
		rc = 0;
	x_free(text);
	x_free(type);
	x_free(neg);
	x_free(coll);
	return rc;
}

/* The query's filter into f (qfilter_free), within the limits.  0, or -1
 * after a reply (f is then empty). */
static int read_filter(struct dav *d, const xmlNode *filter, struct qfilter *f)
{
	size_t npf = 0, ntm = 0;

	memset(f, 0, sizeof(*f));
	if (!filter)
		return 0;
	f->all = test_all(filter);
	/* Counted before anything is read: a limit costs nothing to check. */
	for (const xmlNode *c = filter->children; c; c = c->next) {
		if (!x_is(c, NS_CARD, "prop-filter"))
			continue;
		npf++;
		for (const xmlNode *t = c->children; t; t = t->next)
			ntm += x_is(t, NS_CARD, "text-match") || x_is(t, NS_CARD, "param-filter");
	}
	if (npf > DAV_MAX_PROP_FILTERS)
		return dav_error_why(d, 403, NS_CARD, "supported-filter",
		                     "a query has at most %d prop-filters (this one: %zu)",
		                     DAV_MAX_PROP_FILTERS, npf), -1;
	if (ntm > DAV_MAX_TEXT_MATCHES)
		return dav_error_why(d, 403, NS_CARD, "supported-filter",
		                     "a query has at most %d text-matches and param-filters"
		                     " (this one: %zu)", DAV_MAX_TEXT_MATCHES, ntm), -1;
	if ((npf && !(f->pf = calloc(npf, sizeof(*f->pf)))) ||
	    (ntm && !(f->tm = calloc(ntm, sizeof(*f->tm))))) {
		qfilter_free(f);
		return reply_error(d->r, 500, "internal", "out of memory"), -1;
	}
	for (const xmlNode *c = filter->children; c; c = c->next) {
		if (!x_is(c, NS_CARD, "prop-filter"))
			continue;
		struct pfilter *pf = &f->pf[f->npf++];
		xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
		snprintf(pf->name, sizeof(pf->name), "%s", name ? (const char *)name : "");
		for (char *p = pf->name; *p; p++)
			*p = g_ascii_toupper(*p);
		x_free(name);
		pf->all = test_all(c);
		pf->undefined = x_child(c, NS_CARD, "is-not-defined") != NULL;
		pf->first = f->ntm;
		for (const xmlNode *t = c->children; t; t = t->next) {
			if (!x_is(t, NS_CARD, "text-match"))
				continue;  /* param-filter: not supported, no constraint */
			if (read_match(d, t, &f->tm[f->ntm])) {
				qfilter_free(f);
				return -1;
			}
			f->ntm++;
			pf->n++;
		}
	}
	return 0;
}

/* A card's logical lines, split once for all the filters. */
struct cline {
	char name[24];
	char *value;          /* unescaped */
	char *folded[3];      /* per collation, made when first asked */
};

static void clines_free(GArray *a)
{
	for (guint i = 0; i < a->len; i++) {
		struct cline *l = &g_array_index(a, struct cline, i);
		g_free(l->value);
		for (int k = 0; k < 3; k++)
			g_free(l->folded[k]);
	}
	g_array_free(a, TRUE);
}

/* The lines of a card's text (unfolded, values unescaped enough to
 * compare). */
static GArray *clines_of(const char *card)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(struct cline));
	char **lines = g_strsplit(card, "\r\n", -1);
	GString *cur = g_string_new("");

	for (size_t i = 0; lines[i]; i++) {
		g_string_append(cur, lines[i] + (lines[i][0] == ' ' ? 1 : 0));
		if (lines[i + 1] && lines[i + 1][0] == ' ')
			continue;  /* folded: the next piece goes on */
		struct cline l = {0};
		kith_card_prop_name(cur->str, cur->len, l.name, sizeof(l.name));
		if (l.name[0]) {
			const char *v = kith_card_value(cur->str, cur->len);
			GString *u = g_string_new("");
			for (; *v; v++) {
				if (*v == '\\' && v[1]) {
					v++;
					g_string_append_c(u, *v == 'n' || *v == 'N' ? '\n' : *v);
				} else {
					g_string_append_c(u, *v);
				}
			}
			l.value = g_string_free(u, FALSE);
			g_array_append_val(out, l);
		}
		g_string_truncate(cur, 0);
	}
	g_string_free(cur, TRUE);
	g_strfreev(lines);
	return out;
}

/* One text-match against one line (RFC 6352 10.5.4). */
static int text_match(const struct tmatch *m, struct cline *l)
{
	const char *a, *w = m->text;
	size_t al, wl = strlen(w);
	int hit;

	if (!l->folded[m->coll])
		l->folded[m->coll] = fold(l->value, m->coll);
	a = l->folded[m->coll];
	al = strlen(a);
	switch (m->type) {
	case MATCH_EQUALS: hit = strcmp(a, w) == 0; break;
	case MATCH_STARTS: hit = strncmp(a, w, wl) == 0; break;
	case MATCH_ENDS: hit = al >= wl && strcmp(a + al - wl, w) == 0; break;
	default: hit = strstr(a, w) != NULL; break;
	}
	return m->negate ? !hit : hit;
}

/* A prop-filter against a card's lines. */
static int prop_filter(const struct qfilter *f, const struct pfilter *pf, GArray *lines)
{
	size_t nvals = 0;
	int res = pf->all;

	for (guint i = 0; i < lines->len; i++)
		nvals += strcmp(g_array_index(lines, struct cline, i).name, pf->name) == 0;
	if (pf->undefined)
		return nvals == 0;
	if (!pf->n)
		return nvals > 0;  /* an empty prop-filter: the property is there */
	for (size_t k = 0; k < pf->n; k++) {
		int hit = 0;
		for (guint i = 0; i < lines->len && !hit; i++) {
			struct cline *l = &g_array_index(lines, struct cline, i);
			hit = strcmp(l->name, pf->name) == 0 && text_match(&f->tm[pf->first + k], l);
		}
		res = pf->all ? res && hit : res || hit;
	}
	return res;
}

static int query(struct dav *d, const xmlNode *root, struct dprops *w, struct dbuf *b)
{
	const xmlNode *lim = x_child(x_child(root, NS_CARD, "limit"), NS_CARD, "nresults");
	int version = report_version(d, w);
	long limit = -1, sent = 0;
	struct qfilter f;
	kith_error err;

	if (lim) {
		char *t = x_text(lim);
		limit = t ? strtol(t, NULL, 10) : -1;
		x_free(t);
	}
	if (read_filter(d, x_child(root, NS_CARD, "filter"), &f) || dav_book_read(d)) {
		qfilter_free(&f);
		return 0;
	}
	for (size_t i = 0; i < d->nrefs && !d->r->resp && (limit < 0 || sent < limit); i++) {
		int hit = f.all;
		if (dav_over_budget(d)) {
			/* What was found so far, and the book's 507 (RFC 6352 8.6.1). */
			db_puts(b, "<d:response><d:href>");
			dav_href(b, d, DAV_BOOK, NULL);
			db_printf(b, "</d:href><d:status>%s</d:status><d:error>"
			          "<d:number-of-matches-within-limits/></d:error></d:response>\n",
			          dav_status_line(507));
			break;
		}
		if (f.npf) {
			char *card;
			size_t len;
			if (kith_card_render(d->view, d->refs[i].person, 4, &card, &len, &err)) {
				if (err.code != KITH_ENOTFOUND)
					reply_kith(d->r, &err);
				continue;
			}
			GArray *lines = clines_of(card);
			for (size_t k = 0; k < f.npf; k++) {
				int h = prop_filter(&f, &f.pf[k], lines);
				hit = f.all ? hit && h : hit || h;
			}
			clines_free(lines);
			free(card);
		}
		if (!f.npf || hit) {
			ms_props(d, b, DAV_CARD, &d->refs[i], w, version);
			sent++;
		}
	}
	qfilter_free(&f);
	return 0;
}

static int sync_collection(struct dav *d, const xmlNode *root, struct dprops *w,
                           struct dbuf *b)
{
	char *tok = x_text(x_child(root, NS_DAV, "sync-token"));
	const char *t = tok ? tok + strspn(tok, " \t\r\n") : "";
	int version = report_version(d, w), rc;
	kith_card_ref *refs = NULL, *v;
	size_t n = 0, plen = strlen(DAV_TOKEN_PREFIX), hex;

	if (!*t) {
		/* The first sync: every card, and the token of that book. */
		rc = dav_book_read(d);
		v = d->refs;
		n = d->nrefs;
	} else {
		/* Ours is the prefix and the book's token (which the book reads);
		 * anything else, or a state the book does not remember, has the
		 * client start over. */
		char want[KITH_CARD_TOKEN_MAX + 1] = "";
		hex = strncmp(t, DAV_TOKEN_PREFIX, plen) == 0 ? strspn(t + plen, "0123456789abcdef-") : 0;
		if (hex && hex <= KITH_CARD_TOKEN_MAX && !t[plen + hex + strspn(t + plen + hex, " \t\r\n")])
			memcpy(want, t + plen, hex);
		rc = want[0] ? dav_book_changes(d, want, &refs, &n) : 1;
		if (rc == 1) {
			x_free(tok);
			return dav_error(d, 403, NS_DAV, "valid-sync-token");
		}
		v = refs;
	}
	x_free(tok);
	if (rc) {
		free(refs);
		return 0;
	}
	for (size_t i = 0; i < n && !d->r->resp; i++) {
		if (dav_over_budget(d)) {
			dav_busy(d);
			break;
		}
		if (v[i].gone)
			ms_status(d, b, v[i].href, 404);
		else
			ms_props(d, b, DAV_CARD, &v[i], w, version);
	}
	db_printf(b, "<d:sync-token>" DAV_TOKEN_PREFIX "%s</d:sync-token>\n", d->token);
	free(refs);
	return 0;
}

int dav_report(struct dav *d)
{
	xmlNode *root = d->doc ? xmlDocGetRootElement(d->doc) : NULL;
	struct dprops w;
	struct dbuf b = {0};

	if (!root)
		return reply_error(d->r, 400, "bad_request", "a REPORT needs a body");
	if (d->kind != DAV_BOOK && !(d->kind == DAV_CARD && x_is(root, NS_CARD, "addressbook-multiget")))
		return dav_error(d, 403, NS_DAV, "supported-report");
	if (dav_wanted(d, root, &w))
		return 0;
	ms_open(&b);
	if (x_is(root, NS_CARD, "addressbook-multiget"))
		multiget(d, root, &w, &b);
	else if (x_is(root, NS_CARD, "addressbook-query"))
		query(d, root, &w, &b);
	else if (x_is(root, NS_DAV, "sync-collection"))
		sync_collection(d, root, &w, &b);
	else {
		dprops_free(&w);
		db_free(&b);
		return dav_error(d, 403, NS_DAV, "supported-report");
	}
	ms_close(&b);
	dprops_free(&w);
	if (d->r->resp) {
		db_free(&b);
		return 0;
	}
	return db_reply(d->r, 207, "application/xml; charset=utf-8", &b);
}
