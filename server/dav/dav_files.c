/*
 * The member's WebDAV folder, /dav/M/files/: plain WebDAV (RFC 4918,
 * class 1) on collections and resources kept by src/record/files.c, for tools
 * that need somewhere to write (litmus makes its scratch collection
 * here).  The address book stays what kith makes it; this folder is the
 * member's alone, and size-limited (kith/files.h).
 *
 * Dead properties are kept as the element they were set with and served
 * back byte for byte; the live ones (resourcetype, getetag, ...) are
 * computed and cannot be set.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <libxml/tree.h>

#include "dav_impl.h"

/* Live properties of the folder's members, RFC 4918 section 15. */
static const char *const live[] = {"resourcetype", "getetag", "getcontenttype",
                                   "getcontentlength", "getlastmodified", NULL};

static int is_live(const char *ns, const char *name)
{
	static const char *const protected_[] = {"lockdiscovery", "supportedlock",
	                                         "creationdate", NULL};

	if (strcmp(ns, NS_DAV) != 0)
		return 0;
	for (int i = 0; live[i]; i++)
		if (strcmp(live[i], name) == 0)
			return 1;
	for (int i = 0; protected_[i]; i++)
		if (strcmp(protected_[i], name) == 0)
			return 1;
	return 0;
}

static void http_date(char *out, size_t sz, int64_t t)
{
	time_t u = (time_t)t;
	struct tm tm;

	gmtime_r(&u, &tm);
	strftime(out, sz, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Writes live property name of f; 0 when f has none such. */
static int live_prop(struct dbuf *b, const kith_file *f, const char *name)
{
	char v[64];

	if (strcmp(name, "resourcetype") == 0) {
		db_puts(b, f->collection ? "<d:resourcetype><d:collection/></d:resourcetype>"
		                         : "<d:resourcetype/>");
		return 1;
	}
	if (strcmp(name, "getetag") == 0 && f->path[0]) {
		dav_etag(v, sizeof(v), f->etag);
		db_printf(b, "<d:getetag>%s</d:getetag>", v);  /* digits in quotes */
		return 1;
	}
	if (strcmp(name, "getlastmodified") == 0 && f->modified) {
		http_date(v, sizeof(v), f->modified);
		db_printf(b, "<d:getlastmodified>%s</d:getlastmodified>", v);
		return 1;
	}
	if (f->collection)
		return 0;
	if (strcmp(name, "getcontentlength") == 0) {
		db_printf(b, "<d:getcontentlength>%lld</d:getcontentlength>", (long long)f->size);
		return 1;
	}
	if (strcmp(name, "getcontenttype") == 0) {
		db_puts(b, "<d:getcontenttype>");
		const char *t = f->type[0] ? f->type : "application/octet-stream";
		db_esc(b, t, strlen(t));
		db_puts(b, "</d:getcontenttype>");
		return 1;
	}
	return 0;
}

/* The dead property {ns}name among v, or NULL. */
static const kith_file_prop *dead(const kith_file_prop *v, size_t n, const char *ns,
                                  const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].ns, ns) == 0 && strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* Every property of f, values or (names) names only. */
static void all_props(struct dbuf *b, const kith_file *f, const kith_file_prop *v, size_t n,
                      int names)
{
	for (int i = 0; live[i]; i++) {
		size_t mark = b->n;
		if (live_prop(b, f, live[i]) && names) {
			struct dprop p = {NS_DAV, live[i], NULL};
			b->n = mark;
			dav_empty_el(b, &p);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct dprop p = {v[i].ns, v[i].name, NULL};
		if (names)
			dav_empty_el(b, &p);
		else
			db_puts(b, v[i].xml);
	}
}

/* One <response> for f with the properties want asks for. */
static void file_response(struct dav *d, struct dbuf *b, const kith_file *f,
                          const struct dprops *want)
{
	kith_file_prop *v = NULL;
	size_t n = 0, nmissing = 0;
	char *missing = want->n ? calloc(want->n, 1) : NULL;
	kith_error err;

	if ((want->n && !missing) ||
	    (f->path[0] && kith_file_props(d->r->w->db, d->r->member, f->path, &v, &n, &err))) {
		b->oom = 1;  /* the answer is lost: the caller sees oom */
		free(missing);
		return;
	}
	db_puts(b, "<d:response><d:href>");
	dav_href(b, d, DAV_FILE, f->path);
	db_puts(b, "</d:href><d:propstat><d:prop>");
	if (want->all || want->names)
		all_props(b, f, v, n, want->names);
	for (size_t i = 0; !want->all && !want->names && i < want->n; i++) {
		const struct dprop *p = &want->v[i];
		const kith_file_prop *x = dead(v, n, p->ns, p->name);
		if (x) {
			db_puts(b, x->xml);
		} else if (strcmp(p->ns, NS_DAV) != 0 || !live_prop(b, f, p->name)) {
			missing[i] = 1;
			nmissing++;
		}
	}
	db_puts(b, "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>");
	if (nmissing) {
		db_puts(b, "<d:propstat><d:prop>");
		for (size_t i = 0; i < want->n; i++)
			if (missing[i])
				dav_empty_el(b, &want->v[i]);
		db_puts(b, "</d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>");
	}
	db_puts(b, "</d:response>\n");
	kith_file_props_free(v, n);
	free(missing);
}

void dav_files_folder(struct dav *d, struct dbuf *b, const struct dprops *want)
{
	kith_file root = {.collection = 1};

	file_response(d, b, &root, want);
}

/* A 404 for a path the folder does not have, or the error. */
static int not_found(struct dav *d, const kith_error *err)
{
	if (err->code == KITH_ENOTFOUND)
		return reply_error(d->r, 404, "not_found", "nothing at %s", d->r->url);
	return reply_kith(d->r, err);
}

static int propfind(struct dav *d)
{
	const char *depth = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND, "Depth");
	xmlNode *root = d->doc ? xmlDocGetRootElement(d->doc) : NULL;
	struct dprops w;
	struct dbuf b = {0};
	kith_file f, *kids = NULL;
	size_t n = 0;
	kith_error err;

	if (root && !x_is(root, NS_DAV, "propfind"))
		return reply_error(d->r, 400, "bad_request", "expected a DAV:propfind body");
	if (kith_file_stat(d->r->w->db, d->r->member, d->file, &f, &err))
		return not_found(d, &err);
	if (f.collection && (!depth || strcmp(depth, "0") != 0) &&
	    kith_file_list(d->r->w->db, d->r->member, f.path, &kids, &n, &err))
		return reply_kith(d->r, &err);
	if (dav_wanted(d, root, &w)) {
		free(kids);
		return 0;
	}
	ms_open(&b);
	file_response(d, &b, &f, &w);
	for (size_t i = 0; i < n; i++)
		file_response(d, &b, &kids[i], &w);
	ms_close(&b);
	free(kids);
	dprops_free(&w);
	return db_reply(d->r, 207, "application/xml; charset=utf-8", &b);
}

/* An outcome of kith/files.h as the answer to a write; taken is the
 * status for KITH_FILE_TAKEN (405 for PUT and MKCOL, 412 for COPY and
 * MOVE without Overwrite). */
static int reply_outcome(struct dav *d, int outcome, unsigned taken)
{
	static const char *const why[] = {
		[KITH_FILE_MISSING] = "nothing is there",
		[KITH_FILE_NO_PARENT] = "the collection it would go in is missing",
		[KITH_FILE_TAKEN] = "something is there already",
		[KITH_FILE_FULL] = "the member's folder is full",
		[KITH_FILE_SELF] = "a collection cannot go into itself",
		[KITH_FILE_CHANGED] = "the resource is not as expected"};
	static const unsigned status[] = {
		[KITH_FILE_DONE] = 204, [KITH_FILE_MADE] = 201, [KITH_FILE_MISSING] = 404,
		[KITH_FILE_NO_PARENT] = 409, [KITH_FILE_TAKEN] = 0, [KITH_FILE_FULL] = 507,
		[KITH_FILE_SELF] = 403, [KITH_FILE_CHANGED] = 412};
	unsigned st = outcome == KITH_FILE_TAKEN ? taken : status[outcome];
	char *e;

	if (outcome == KITH_FILE_CHANGED)
		return reply_error(d->r, st, "precondition_failed", "%s", why[outcome]);
	if (st >= 300)
		return reply_error(d->r, st, "refused", "%s", why[outcome]);
	if (!(e = strdup("")))
		return reply_error(d->r, 500, "internal", "out of memory");
	return reply_raw(d->r, st, "text/plain; charset=utf-8", e, 0);
}

/* An ETag header value as kith_file_cond has it: "*" is ANY, an ETag of
 * this folder ("digits" in quotes) its number, anything else NEVER. */
static int64_t cond_etag(const char *v)
{
	char *end;
	long long n;

	if (strcmp(v, "*") == 0)
		return KITH_FILE_ANY;
	if (v[0] != '"' || !isdigit((unsigned char)v[1]))
		return KITH_FILE_NEVER;
	n = strtoll(v + 1, &end, 10);
	return n > 0 && strcmp(end, "\"") == 0 ? (int64_t)n : KITH_FILE_NEVER;
}

/* The request's If-Match and If-None-Match, which the write checks in
 * its transaction (kith_file_cond). */
static kith_file_cond conditions(struct dav *d)
{
	const char *im = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND, "If-Match");
	const char *inm = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND,
	                                               "If-None-Match");
	kith_file_cond c = {0};
	int64_t n;

	if (im)
		c.match = cond_etag(im);
	/* If-None-Match with an ETag that cannot be there asks nothing. */
	if (inm && (n = cond_etag(inm)) != KITH_FILE_NEVER)
		c.none_match = n;
	return c;
}

static int get(struct dav *d)
{
	kith_file f;
	kith_error err;
	char *body, etag[32], lm[64];
	size_t len;

	if (kith_file_read(d->r->w->db, d->r->member, d->file, &f, &body, &len, &err))
		return not_found(d, &err);
	if (f.collection) {
		if (!(body = strdup("a WebDAV folder: use a WebDAV client (docs/carddav.md)\n")))
			return reply_error(d->r, 500, "internal", "out of memory");
		return reply_raw(d->r, 200, "text/plain; charset=utf-8", body, strlen(body));
	}
	reply_raw(d->r, 200, f.type[0] ? f.type : "application/octet-stream", body, len);
	if (d->r->resp) {
		dav_etag(etag, sizeof(etag), f.etag);
		http_date(lm, sizeof(lm), f.modified);
		MHD_add_response_header(d->r->resp, "ETag", etag);
		MHD_add_response_header(d->r->resp, "Last-Modified", lm);
	}
	return 0;
}

static int put(struct dav *d)
{
	const char *type = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND,
	                                               "Content-Type");
	kith_file_cond c = conditions(d);
	kith_error err;
	int outcome;

	if (kith_file_put(d->r->w->db, d->r->member, d->file, d->r->body, d->r->len,
	                  type && strlen(type) < sizeof(((kith_file *)0)->type) ? type : NULL,
	                  &c, &outcome, &err))
		return reply_kith(d->r, &err);
	return reply_outcome(d, outcome, 405);
}

static int mkcol(struct dav *d)
{
	kith_error err;
	int outcome;

	/* RFC 4918 9.3: a body the server does not know what to do with. */
	if (d->r->len)
		return reply_error(d->r, 415, "unsupported", "MKCOL takes no body here");
	if (kith_file_mkcol(d->r->w->db, d->r->member, d->file, &outcome, &err))
		return reply_kith(d->r, &err);
	return reply_outcome(d, outcome, 405);
}

static int del(struct dav *d)
{
	kith_file_cond c = conditions(d);
	kith_error err;
	int outcome;

	if (!d->file[0])
		return reply_error(d->r, 403, "forbidden", "the folder itself stays");
	if (kith_file_remove(d->r->w->db, d->r->member, d->file, &c, &outcome, &err))
		return reply_kith(d->r, &err);
	return reply_outcome(d, outcome, 405);
}

static int copy_move(struct dav *d, int move)
{
	const char *dest = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND, "Destination");
	const char *ow = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND, "Overwrite");
	const char *depth = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND, "Depth");
	struct dav t = *d;
	kith_error err;
	char *path;
	int outcome, bad, flags;

	if (!dest)
		return reply_error(d->r, 400, "bad_request", "a Destination header is needed");
	if (!(path = strdup(dest)))
		return reply_error(d->r, 500, "internal", "out of memory");
	dav_unescape(path);
	bad = dav_locate(&t, path) || t.kind != DAV_FILE || !t.file[0] || !d->file[0];
	free(path);
	if (bad)
		return reply_error(d->r, 403, "forbidden", "copies and moves stay within the folder");
	/* RFC 4918 9.8.3, 9.9.2: COPY is Depth 0 or infinity, MOVE infinity. */
	if (depth && strcasecmp(depth, "infinity") != 0 && (move || strcmp(depth, "0") != 0))
		return reply_error(d->r, 400, "bad_request", "Depth %s is not for %s", depth,
		                   d->r->method);
	flags = move ? KITH_FILE_MOVE : 0;
	if (depth && strcmp(depth, "0") == 0)
		flags |= KITH_FILE_SHALLOW;
	if (!ow || (ow[0] != 'F' && ow[0] != 'f'))
		flags |= KITH_FILE_OVERWRITE;
	if (kith_file_copy(d->r->w->db, d->r->member, d->file, t.file, flags, &outcome, &err))
		return reply_kith(d->r, &err);
	return reply_outcome(d, outcome, 412);
}

/* Element n as kept: a copy in a document of its own with every
 * namespace it uses declared on it, so it reads the same anywhere.  Heap
 * (free()); NULL on OOM. */
static char *element_xml(xmlNode *n)
{
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *copy = doc ? xmlDocCopyNode(n, doc, 1) : NULL;
	xmlBuffer *buf = copy ? xmlBufferCreate() : NULL;
	char *out = NULL;

	if (copy)
		xmlDocSetRootElement(doc, copy);  /* the document owns it now */
	if (buf && xmlReconciliateNs(doc, copy) >= 0 && xmlNodeDump(buf, doc, copy, 0, 0) >= 0)
		out = strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	xmlFreeDoc(doc);
	return out;
}

/* One property a PROPPATCH names, in document order. */
struct op {
	xmlNode *prop;
	int set;
	unsigned status;
};

/* The set and remove operations of a propertyupdate; -1 on OOM. */
static int read_ops(xmlNode *root, struct op **out, size_t *n)
{
	struct op *v = NULL;
	size_t cnt = 0, cap = 0;

	for (xmlNode *c = root->children; c; c = c->next) {
		int set = x_is(c, NS_DAV, "set");
		if (!set && !x_is(c, NS_DAV, "remove"))
			continue;
		xmlNode *p = x_child(c, NS_DAV, "prop");
		for (xmlNode *q = p ? p->children : NULL; q; q = q->next) {
			if (q->type != XML_ELEMENT_NODE)
				continue;
			if (cnt == cap) {
				struct op *nv = realloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));
				if (!nv) {
					free(v);
					return -1;
				}
				v = nv;
			}
			v[cnt++] = (struct op){q, set, 200};
		}
	}
	*out = v;
	*n = cnt;
	return 0;
}

static const char *op_ns(const struct op *o)
{
	return o->prop->ns && o->prop->ns->href ? (const char *)o->prop->ns->href : "";
}

/* Applies ops in order inside one transaction: all or none.  On a
 * refusal, its op gets its status and the others 424. */
static int apply_ops(struct dav *d, struct op *v, size_t n, kith_error *err)
{
	kith_db *db = d->r->w->db;
	int rc = kith_db_begin(db, err), failed = -1;

	for (size_t i = 0; !rc && failed < 0 && i < n; i++) {
		char *xml = v[i].set ? element_xml(v[i].prop) : NULL;
		int outcome;
		if (v[i].set && !xml)
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		else
			rc = kith_file_prop_set(db, d->r->member, d->file, op_ns(&v[i]),
			                        (const char *)v[i].prop->name, xml, &outcome, err);
		free(xml);
		if (!rc && outcome != KITH_FILE_DONE) {
			v[i].status = outcome == KITH_FILE_FULL ? 507 : 403;
			failed = (int)i;
		}
	}
	if (rc || failed >= 0) {
		kith_db_rollback(db);
		for (size_t i = 0; failed >= 0 && i < n; i++)
			if ((int)i != failed)
				v[i].status = 424;
		return rc;
	}
	return kith_db_commit(db, err);
}

static void ops_response(struct dav *d, struct dbuf *b, const struct op *v, size_t n)
{
	static const unsigned order[] = {200, 403, 507, 424};

	ms_open(b);
	db_puts(b, "<d:response><d:href>");
	dav_href(b, d, DAV_FILE, d->file);
	db_puts(b, "</d:href>");
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			if (v[i].status != order[k])
				continue;
			if (!any++)
				db_puts(b, "<d:propstat><d:prop>");
			struct dprop p = {op_ns(&v[i]), (const char *)v[i].prop->name, NULL};
			dav_empty_el(b, &p);
		}
		if (any)
			db_printf(b, "</d:prop><d:status>HTTP/1.1 %u %s</d:status></d:propstat>",
			          order[k], order[k] == 200 ? "OK" : order[k] == 403 ? "Forbidden"
			          : order[k] == 507 ? "Insufficient Storage" : "Failed Dependency");
	}
	db_puts(b, "</d:response>\n");
	ms_close(b);
}

static int proppatch(struct dav *d)
{
	xmlNode *root = d->doc ? xmlDocGetRootElement(d->doc) : NULL;
	struct op *v;
	struct dbuf b = {0};
	kith_file f;
	kith_error err;
	size_t n;
	int refused = 0;

	if (!x_is(root, NS_DAV, "propertyupdate"))
		return reply_error(d->r, 400, "bad_request", "expected a DAV:propertyupdate body");
	if (kith_file_stat(d->r->w->db, d->r->member, d->file, &f, &err))
		return not_found(d, &err);
	if (read_ops(root, &v, &n))
		return reply_error(d->r, 500, "internal", "out of memory");
	/* Live properties are computed: asking to set one fails it all. */
	for (size_t i = 0; i < n; i++)
		if (is_live(op_ns(&v[i]), (const char *)v[i].prop->name) || !f.path[0]) {
			v[i].status = 403;
			refused = 1;
		}
	for (size_t i = 0; refused && i < n; i++)
		if (v[i].status != 403)
			v[i].status = 424;
	if (!refused && apply_ops(d, v, n, &err)) {
		free(v);
		return reply_kith(d->r, &err);
	}
	ops_response(d, &b, v, n);
	free(v);
	return db_reply(d->r, 207, "application/xml; charset=utf-8", &b);
}

int dav_files(struct dav *d)
{
	const char *m = d->r->method;

	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return get(d);
	if (strcmp(m, "PUT") == 0)
		return put(d);
	if (strcmp(m, "DELETE") == 0)
		return del(d);
	if (strcmp(m, "MKCOL") == 0)
		return mkcol(d);
	if (strcmp(m, "PROPFIND") == 0)
		return propfind(d);
	if (strcmp(m, "PROPPATCH") == 0)
		return proppatch(d);
	if (strcmp(m, "COPY") == 0 || strcmp(m, "MOVE") == 0)
		return copy_move(d, m[0] == 'M');
	return reply_error(d->r, 405, "method_not_allowed", "%s is not allowed on %s", m,
	                   d->r->url);
}
