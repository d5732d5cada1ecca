/*
 * Properties of the CardDAV tree: what PROPFIND (and a REPORT's <prop>)
 * answer, and PROPPATCH, which changes nothing: every property here is
 * computed from the store, and kith keeps no dead properties.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dav_impl.h"

static void href_prop(struct dbuf *b, const struct dav *d, const char *el, int kind)
{
	db_printf(b, "<%s><d:href>", el);
	dav_href(b, d, kind, NULL);
	db_printf(b, "</d:href></%s>", el);
}

static void privileges(struct dbuf *b, int kind)
{
	db_puts(b, "<d:current-user-privilege-set><d:privilege><d:read/></d:privilege>"
	        "<d:privilege><d:read-current-user-privilege-set/></d:privilege>");
	if (kind == DAV_BOOK || kind == DAV_CARD)
		db_puts(b, "<d:privilege><d:write/></d:privilege>"
		        "<d:privilege><d:write-content/></d:privilege>"
		        "<d:privilege><d:bind/></d:privilege>"
		        "<d:privilege><d:unbind/></d:privilege>");
	db_puts(b, "</d:current-user-privilege-set>");
}

/* Writes property ns:name of the target; 0 when the target has no such
 * property (nothing written), 1 when written, -1 on a database error. */
static int dav_prop(struct dav *d, struct dbuf *b, int kind, const kith_card_ref *ref,
                    const struct dprop *p, int version)
{
	const char *n = p->name;
	kith_error err;

	if (strcmp(p->ns, NS_DAV) == 0) {
		if (strcmp(n, "resourcetype") == 0) {
			static const char *const rt[] = {
				[DAV_ROOT] = "<d:collection/>",
				[DAV_HOME] = "<d:collection/><d:principal/>",
				[DAV_BOOK] = "<d:collection/><card:addressbook/>",
				[DAV_CARD] = ""};
			db_printf(b, "<d:resourcetype>%s</d:resourcetype>", rt[kind]);
			return 1;
		}
		if (strcmp(n, "displayname") == 0 && kind != DAV_CARD) {
			db_puts(b, "<d:displayname>");
			db_esc(b, kind == DAV_HOME ? d->seg : "kith", strlen(kind == DAV_HOME ? d->seg : "kith"));
			db_puts(b, "</d:displayname>");
			return 1;
		}
		if (strcmp(n, "current-user-principal") == 0)
			return href_prop(b, d, "d:current-user-principal", DAV_HOME), 1;
		if (strcmp(n, "principal-URL") == 0 && kind == DAV_HOME)
			return href_prop(b, d, "d:principal-URL", DAV_HOME), 1;
		if (strcmp(n, "principal-collection-set") == 0)
			return href_prop(b, d, "d:principal-collection-set", DAV_ROOT), 1;
		if (strcmp(n, "owner") == 0 && kind != DAV_ROOT)
			return href_prop(b, d, "d:owner", DAV_HOME), 1;
		if (strcmp(n, "current-user-privilege-set") == 0)
			return privileges(b, kind), 1;
		if (strcmp(n, "supported-report-set") == 0 && kind == DAV_BOOK) {
			db_puts(b, "<d:supported-report-set>"
			        "<d:supported-report><d:report><card:addressbook-multiget/></d:report></d:supported-report>"
			        "<d:supported-report><d:report><card:addressbook-query/></d:report></d:supported-report>"
			        "<d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report>"
			        "</d:supported-report-set>");
			return 1;
		}
		if (strcmp(n, "sync-token") == 0 && kind == DAV_BOOK) {
			if (dav_book_read(d))
				return -1;
			db_printf(b, "<d:sync-token>" DAV_TOKEN_PREFIX "%s</d:sync-token>", d->token);
			return 1;
		}
		if (kind != DAV_CARD)
			return 0;
		if (strcmp(n, "getetag") == 0) {
			char e[32];
			dav_etag(e, sizeof(e), ref->etag);
			db_puts(b, "<d:getetag>");
			db_esc(b, e, strlen(e));
			db_puts(b, "</d:getetag>");
			return 1;
		}
		if (strcmp(n, "getcontenttype") == 0) {
			db_printf(b, "<d:getcontenttype>text/vcard; charset=utf-8; version=%s"
			          "</d:getcontenttype>", version == 4 ? "4.0" : "3.0");
			return 1;
		}
		if (strcmp(n, "getlastmodified") == 0) {
			char t[64];
			time_t u = (time_t)ref->updated;
			struct tm tm;
			gmtime_r(&u, &tm);
			strftime(t, sizeof(t), "%a, %d %b %Y %H:%M:%S GMT", &tm);
			db_printf(b, "<d:getlastmodified>%s</d:getlastmodified>", t);
			return 1;
		}
	}
	if (strcmp(p->ns, NS_CARD) == 0) {
		if (strcmp(n, "addressbook-home-set") == 0)
			return href_prop(b, d, "card:addressbook-home-set", DAV_HOME), 1;
		if (kind == DAV_BOOK && strcmp(n, "addressbook-description") == 0) {
			db_puts(b, "<card:addressbook-description>People in kith you can see"
			        "</card:addressbook-description>");
			return 1;
		}
		if (kind == DAV_BOOK && strcmp(n, "supported-address-data") == 0) {
			db_puts(b, "<card:supported-address-data>"
			        "<card:address-data-type content-type=\"text/vcard\" version=\"3.0\"/>"
			        "<card:address-data-type content-type=\"text/vcard\" version=\"4.0\"/>"
			        "</card:supported-address-data>");
			return 1;
		}
		if (kind == DAV_BOOK && strcmp(n, "max-resource-size") == 0) {
			db_puts(b, "<card:max-resource-size>1048576</card:max-resource-size>");
			return 1;
		}
	}
	if (strcmp(p->ns, NS_CS) == 0 && strcmp(n, "getctag") == 0 && kind == DAV_BOOK) {
		if (dav_book_read(d))
			return -1;
		db_printf(b, "<cs:getctag>%s</cs:getctag>", d->token);
		return 1;
	}
	/* The card's text and its length: made only when asked. */
	int data = strcmp(p->ns, NS_CARD) == 0 && strcmp(n, "address-data") == 0;
	int length = strcmp(p->ns, NS_DAV) == 0 && strcmp(n, "getcontentlength") == 0;
	if (kind == DAV_CARD && (data || length)) {
		char *card;
		size_t len;
		if (kith_card_render(d->view, ref->person, version, &card, &len, &err))
			return err.code == KITH_ENOTFOUND ? 0 : (reply_kith(d->r, &err), -1);
		if (data) {
			db_puts(b, "<card:address-data>");
			db_esc(b, card, len);
			db_puts(b, "</card:address-data>");
		} else {
			db_printf(b, "<d:getcontentlength>%zu</d:getcontentlength>", len);
		}
		free(card);
		return 1;
	}
	return 0;
}

/* The properties allprop stands for (RFC 4918's live ones we have). */
static const struct dprop allprops[] = {
	{NS_DAV, "resourcetype", NULL}, {NS_DAV, "displayname", NULL},
	{NS_DAV, "getetag", NULL}, {NS_DAV, "getcontenttype", NULL},
	{NS_DAV, "getlastmodified", NULL}, {NS_DAV, "getcontentlength", NULL},
};

void ms_props(struct dav *d, struct dbuf *b, int kind, const kith_card_ref *ref,
              const struct dprops *want, int version)
{
	const struct dprop *v = want->all || want->names ? allprops : want->v;
	size_t n = want->all || want->names ? sizeof(allprops) / sizeof(allprops[0]) : want->n;
	char *missing = n ? calloc(n, 1) : NULL;
	int nmissing = 0;

	if (n && !missing) {
		b->oom = 1;
		return;
	}
	db_puts(b, "<d:response><d:href>");
	dav_href(b, d, kind, ref ? ref->href : NULL);
	db_puts(b, "</d:href><d:propstat><d:prop>");
	for (size_t i = 0; i < n; i++) {
		size_t mark = b->n;
		int got = dav_prop(d, b, kind, ref, &v[i], version);
		if (got < 0) {
			b->oom = 1;  /* the reply is made; stop writing */
			break;
		}
		if (got && want->names) {
			b->n = mark;  /* names only */
			dav_empty_el(b, &v[i]);
		}
		if (!got && !want->all && !want->names) {
			missing[i] = 1;
			nmissing++;
		}
	}
	db_puts(b, "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>");
	if (nmissing) {
		db_puts(b, "<d:propstat><d:prop>");
		for (size_t i = 0; i < n; i++)
			if (missing[i])
				dav_empty_el(b, &v[i]);
		db_puts(b, "</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>");
	}
	db_puts(b, "</d:response>\n");
	free(missing);
}

int dav_propfind(struct dav *d)
{
	const char *depth = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND, "Depth");
	xmlNode *root = d->doc ? xmlDocGetRootElement(d->doc) : NULL;
	int deep = !depth || strcmp(depth, "0") != 0;  /* 1 and infinity: one level */
	struct dprops w;
	struct dbuf b = {0};
	const kith_card_ref *one = NULL;
	size_t n = 0;
	int version = dav_version(d, NULL);

	if (root && !x_is(root, NS_DAV, "propfind"))
		return reply_error(d->r, 400, "bad_request", "expected a DAV:propfind body");
	if ((d->kind == DAV_CARD || d->kind == DAV_BOOK) && dav_book_read(d))
		return 0;
	if (d->kind == DAV_CARD && !(one = dav_book_find(d, d->card)))
		return reply_error(d->r, 404, "not_found", "no such card");
	if (dav_wanted(d, root, &w))
		return 0;
	if (d->kind == DAV_BOOK && deep)
		n = d->nrefs;
	ms_open(&b);
	ms_props(d, &b, d->kind, one, &w, version);
	if (deep && d->kind == DAV_ROOT)
		ms_props(d, &b, DAV_HOME, NULL, &w, version);
	if (deep && d->kind == DAV_HOME) {
		ms_props(d, &b, DAV_BOOK, NULL, &w, version);
		dav_files_folder(d, &b, &w);
	}
	for (size_t i = 0; i < n && !d->r->resp; i++) {
		if (dav_over_budget(d)) {
			dav_busy(d);
			break;
		}
		ms_props(d, &b, DAV_CARD, &d->refs[i], &w, version);
	}
	ms_close(&b);
	dprops_free(&w);
	if (d->r->resp) {  /* a database error was answered midway */
		db_free(&b);
		return 0;
	}
	return db_reply(d->r, 207, "application/xml; charset=utf-8", &b);
}

int dav_proppatch(struct dav *d)
{
	xmlNode *root = d->doc ? xmlDocGetRootElement(d->doc) : NULL;
	struct dbuf b = {0};
	struct dprops w = {0};

	if (!x_is(root, NS_DAV, "propertyupdate"))
		return reply_error(d->r, 400, "bad_request", "expected a DAV:propertyupdate body");
	if (d->kind == DAV_CARD && (dav_book_read(d) || !dav_book_find(d, d->card)))
		return d->r->resp ? 0 : reply_error(d->r, 404, "not_found", "no such card");
	for (xmlNode *c = root->children; c; c = c->next)
		if ((x_is(c, NS_DAV, "set") || x_is(c, NS_DAV, "remove")) &&
		    dprops_from(&w, x_child(c, NS_DAV, "prop"))) {
			dprops_free(&w);
			return reply_error(d->r, 500, "internal", "out of memory");
		}
	ms_open(&b);
	db_puts(&b, "<d:response><d:href>");
	dav_href(&b, d, d->kind, d->card);
	db_puts(&b, "</d:href><d:propstat><d:prop>");
	for (size_t i = 0; i < w.n; i++)
		dav_empty_el(&b, &w.v[i]);
	/* Nothing here is stored but computed: no property can be set. */
	db_puts(&b, "</d:prop><d:status>HTTP/1.1 403 Forbidden</d:status>"
	        "<d:error><d:cannot-modify-protected-property/></d:error></d:propstat>"
	        "</d:response>\n");
	ms_close(&b);
	dprops_free(&w);
	return db_reply(d->r, 207, "application/xml; charset=utf-8", &b);
}
