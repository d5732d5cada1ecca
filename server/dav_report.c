/*
 * REPORT on an address book: addressbook-multiget and addressbook-query
 * (RFC 6352 8.6, 8.7) and sync-collection (RFC 6578).  Sync tokens are
 * "urn:kith:sync:N", N the change log's last entry when the answer was
 * made; the changes after it are what the next sync gets (src/card.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include <libxml/parser.h>

#include "dav_impl.h"

#define TOKEN_PREFIX "urn:kith:sync:"

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
	kith_error err;

	for (xmlNode *c = root->children; c && !d->r->resp; c = c->next) {
		if (!x_is(c, NS_DAV, "href"))
			continue;
		char *h = x_text(c);
		struct dav t = *d;
		kith_card_ref ref;
		if (!h) {
			b->oom = 1;
			break;
		}
		/* Trimmed: clients indent. */
		char *s = h + strspn(h, " \t\r\n");
		s[strcspn(s, " \t\r\n")] = '\0';
		dav_unescape(s);
		if (dav_locate(&t, s) || t.kind != DAV_CARD) {
			db_puts(b, "<d:response><d:href>");
			db_esc(b, s, strlen(s));
			db_puts(b, "</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>\n");
		} else if (kith_card_find(d->view, d->r->member, t.card, &ref, &err)) {
			if (err.code != KITH_ENOTFOUND)
				reply_kith(d->r, &err);
			else
				ms_status(d, b, t.card, 404);
		} else {
			ms_props(d, b, DAV_CARD, &ref, w, version);
		}
		xmlFree(h);
	}
	return 0;
}

/* The values of property name in a card's text (unfolded, unescaped
 * enough to compare). */
static void card_values(const char *card, const char *name, GPtrArray *out)
{
	char **lines = g_strsplit(card, "\r\n", -1);
	GString *cur = g_string_new("");

	for (size_t i = 0; lines[i]; i++) {
		g_string_append(cur, lines[i] + (lines[i][0] == ' ' ? 1 : 0));
		if (lines[i + 1] && lines[i + 1][0] == ' ')
			continue;  /* folded: the next piece goes on */
		char pn[24];
		kith_card_prop_name(cur->str, cur->len, pn, sizeof(pn));
		if (strcmp(pn, name) == 0) {
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
			g_ptr_array_add(out, g_string_free(u, FALSE));
		}
		g_string_truncate(cur, 0);
	}
	g_string_free(cur, TRUE);
	g_strfreev(lines);
}

/* One text-match against one value (RFC 6352 10.5.4). */
static int text_match(const xmlNode *tm, const char *value)
{
	xmlChar *type = xmlGetProp(tm, (const xmlChar *)"match-type");
	xmlChar *neg = xmlGetProp(tm, (const xmlChar *)"negate-condition");
	xmlChar *coll = xmlGetProp(tm, (const xmlChar *)"collation");
	char *want = x_text(tm);
	int octet = coll && strcmp((const char *)coll, "i;octet") == 0;
	char *a = octet ? g_strdup(value) : g_utf8_casefold(value, -1);
	char *w = octet ? g_strdup(want ? want : "") : g_utf8_casefold(want ? want : "", -1);
	size_t al = strlen(a), wl = strlen(w);
	const char *t = type ? (const char *)type : "contains";
	int hit;

	if (strcmp(t, "equals") == 0)
		hit = strcmp(a, w) == 0;
	else if (strcmp(t, "starts-with") == 0)
		hit = strncmp(a, w, wl) == 0;
	else if (strcmp(t, "ends-with") == 0)
		hit = al >= wl && strcmp(a + al - wl, w) == 0;
	else
		hit = strstr(a, w) != NULL;
	if (neg && strcmp((const char *)neg, "yes") == 0)
		hit = !hit;
	g_free(a);
	g_free(w);
	xmlFree(want);
	xmlFree(type);
	xmlFree(neg);
	xmlFree(coll);
	return hit;
}

static int test_all(const xmlNode *n)
{
	xmlChar *t = xmlGetProp(n, (const xmlChar *)"test");
	int all = t && strcmp((const char *)t, "allof") == 0;

	xmlFree(t);
	return all;
}

/* A prop-filter against a card's text. */
static int prop_filter(const xmlNode *pf, const char *card)
{
	xmlChar *name = xmlGetProp(pf, (const xmlChar *)"name");
	GPtrArray *vals = g_ptr_array_new_with_free_func(g_free);
	int all = test_all(pf), any_test = 0, res = all;
	char up[24];

	snprintf(up, sizeof(up), "%s", name ? (const char *)name : "");
	for (char *p = up; *p; p++)
		*p = g_ascii_toupper(*p);
	card_values(card, up, vals);
	if (x_child(pf, NS_CARD, "is-not-defined")) {
		res = vals->len == 0;
		any_test = 1;
	} else {
		for (xmlNode *c = pf->children; c; c = c->next) {
			if (!x_is(c, NS_CARD, "text-match"))
				continue;  /* param-filter: not supported, no constraint */
			int hit = 0;
			for (guint i = 0; i < vals->len && !hit; i++)
				hit = text_match(c, g_ptr_array_index(vals, i));
			any_test = 1;
			res = all ? res && hit : res || hit;
		}
	}
	if (!any_test)
		res = vals->len > 0;  /* an empty prop-filter: the property is there */
	g_ptr_array_free(vals, TRUE);
	xmlFree(name);
	return res;
}

static int query(struct dav *d, const xmlNode *root, struct dprops *w, struct dbuf *b)
{
	const xmlNode *filter = x_child(root, NS_CARD, "filter");
	const xmlNode *lim = x_child(x_child(root, NS_CARD, "limit"), NS_CARD, "nresults");
	int version = report_version(d, w), all = filter && test_all(filter);
	long limit = -1, sent = 0;
	kith_card_ref *refs = NULL;
	size_t n = 0;
	kith_error err;

	if (lim) {
		char *t = x_text(lim);
		limit = t ? strtol(t, NULL, 10) : -1;
		xmlFree(t);
	}
	if (kith_card_list(d->view, d->r->member, &refs, &n, &err))
		return reply_kith(d->r, &err);
	for (size_t i = 0; i < n && !d->r->resp && (limit < 0 || sent < limit); i++) {
		int hit = all, nf = 0;
		char *card = NULL;
		size_t len;
		if (filter) {
			if (kith_card_render(d->view, refs[i].person, 4, &card, &len, &err)) {
				if (err.code != KITH_ENOTFOUND)
					reply_kith(d->r, &err);
				continue;
			}
			for (xmlNode *c = filter->children; c; c = c->next) {
				if (!x_is(c, NS_CARD, "prop-filter"))
					continue;
				int h = prop_filter(c, card);
				nf++;
				hit = all ? hit && h : hit || h;
			}
			free(card);
		}
		if (!filter || !nf || hit) {
			ms_props(d, b, DAV_CARD, &refs[i], w, version);
			sent++;
		}
	}
	free(refs);
	return 0;
}

static int sync_collection(struct dav *d, const xmlNode *root, struct dprops *w,
                           struct dbuf *b)
{
	const xmlNode *tn = x_child(root, NS_DAV, "sync-token");
	char *tok = x_text(tn);
	const char *t = tok ? tok + strspn(tok, " \t\r\n") : "";
	int version = report_version(d, w);
	kith_card_ref *refs = NULL;
	size_t n = 0;
	int64_t now = 0;
	kith_error err;
	int rc;

	if (!*t) {
		/* The first sync: every card.  The token is read first, so a
		 * change made meanwhile is sent again next time, never lost. */
		if (dav_token(d, &now)) {
			xmlFree(tok);
			return 0;
		}
		rc = kith_card_list(d->view, d->r->member, &refs, &n, &err);
	} else {
		long long since = -1;
		int end = 0;
		if (sscanf(t, TOKEN_PREFIX "%lld%n", &since, &end) != 1 ||
		    t[end + strspn(t + end, " \t\r\n")] || since < 0 ||
		    dav_token(d, &now) || since > now) {
			xmlFree(tok);
			return d->r->resp ? 0 : dav_error(d, 403, NS_DAV, "valid-sync-token");
		}
		rc = kith_card_changes(d->view, d->r->member, since, &refs, &n, &now, &err);
	}
	xmlFree(tok);
	if (rc)
		return reply_kith(d->r, &err);
	for (size_t i = 0; i < n && !d->r->resp; i++) {
		if (refs[i].gone)
			ms_status(d, b, refs[i].href, 404);
		else
			ms_props(d, b, DAV_CARD, &refs[i], w, version);
	}
	db_printf(b, "<d:sync-token>" TOKEN_PREFIX "%lld</d:sync-token>\n", (long long)now);
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
