/*
 * XML for the CardDAV tree: requests are read with libxml2 (a DAV body
 * has namespaces, prefixes chosen by the client, and whitespace anywhere;
 * nothing short of a real parser reads them right), answers are written
 * as text, which is simpler and faster than building a tree for a
 * 10,000-card multistatus.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "dav_impl.h"

void db_add(struct dbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void db_puts(struct dbuf *b, const char *s)
{
	db_add(b, s, strlen(s));
}

void db_printf(struct dbuf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		db_add(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	db_add(b, big, (size_t)n);
	free(big);
}

void db_esc(struct dbuf *b, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\r': rep = "&#13;"; break;
		}
		if (!rep)
			continue;
		db_add(b, s + run, i - run);
		db_puts(b, rep);
		run = i + 1;
	}
	db_add(b, s + run, n - run);
}

void db_seg(struct dbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
			db_add(b, s, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			db_add(b, e, 3);
		}
	}
}

void db_free(struct dbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

int db_reply(struct req *r, unsigned status, const char *type, struct dbuf *b)
{
	if (b->oom) {
		db_free(b);
		return reply_error(r, 500, "internal", "out of memory");
	}
	if (!b->p)
		db_add(b, "", 0);
	if (b->oom) {
		db_free(b);
		return reply_error(r, 500, "internal", "out of memory");
	}
	char *p = b->p;
	size_t n = b->n;
	memset(b, 0, sizeof(*b));
	return reply_raw(r, status, type, p, n);
}

int dav_parse_body(struct dav *d)
{
	struct req *r = d->r;
	size_t i = 0;

	while (i < r->len && strchr(" \t\r\n", r->body[i]))
		i++;
	if (i == r->len)
		return 0;  /* no body */
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	int ns_ok;

	if (!ctxt) {
		reply_error(r, 500, "internal", "out of memory");
		return -1;
	}
	/* No DTD is loaded and no entity replaced (no XML_PARSE_NOENT), so
	 * a body cannot reach a file or the network or expand itself. */
	d->doc = xmlCtxtReadMemory(ctxt, r->body, (int)r->len, "request.xml", NULL,
	                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	/* Names must mean something: xmlns:p="" binds p to nothing. */
	ns_ok = ctxt->nsWellFormed;
	xmlFreeParserCtxt(ctxt);
	if (!d->doc || !xmlDocGetRootElement(d->doc) || !ns_ok) {
		reply_error(r, 400, "bad_request", "the body is not well-formed XML");
		return -1;
	}
	return 0;
}

int x_is(const xmlNode *n, const char *ns, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

xmlNode *x_child(const xmlNode *n, const char *ns, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (x_is(c, ns, name))
			return c;
	return NULL;
}

char *x_text(const xmlNode *n)
{
	return n ? (char *)xmlNodeGetContent(n) : NULL;
}

void x_free(void *p)
{
	xmlFreeFunc free_fn;
	xmlMallocFunc malloc_fn;
	xmlReallocFunc realloc_fn;
	xmlStrdupFunc strdup_fn;

	if (p && xmlMemGet(&free_fn, &malloc_fn, &realloc_fn, &strdup_fn) == 0)
		free_fn(p);
}

int dprops_from(struct dprops *p, const xmlNode *prop)
{
	for (xmlNode *c = prop ? prop->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 16;
			struct dprop *nv = realloc(p->v, cap * sizeof(*nv));
			if (!nv)
				return -1;
			p->v = nv;
			p->cap = cap;
		}
		p->v[p->n].ns = c->ns && c->ns->href ? (const char *)c->ns->href : "";
		p->v[p->n].name = (const char *)c->name;
		p->v[p->n].node = c;
		p->n++;
	}
	return 0;
}

void dprops_free(struct dprops *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *dav_unescape(char *s)
{
	char *o = s, *p = s;

	/* "http://host:port/dav/..." names the same path as "/dav/...". */
	if (strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0) {
		char *slash = strchr(strstr(p, "//") + 2, '/');
		p = slash ? slash : p + strlen(p);
	}
	while (*p) {
		int h, l;
		if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
			*o++ = (char)(h * 16 + l);
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return s;
}

void ms_open(struct dbuf *b)
{
	db_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	        "<d:multistatus xmlns:d=\"DAV:\" xmlns:card=\"" NS_CARD "\""
	        " xmlns:cs=\"" NS_CS "\">\n");
}

void ms_close(struct dbuf *b)
{
	db_puts(b, "</d:multistatus>\n");
}

void dav_href(struct dbuf *b, const struct dav *d, int kind, const char *card)
{
	db_puts(b, "/dav/");
	if (kind == DAV_ROOT)
		return;
	db_seg(b, d->seg);
	db_puts(b, "/");
	if (kind == DAV_HOME)
		return;
	if (kind == DAV_FILE) {
		db_puts(b, "files/");
		/* Segment by segment: the '/' between them stay. */
		for (const char *s = card ? card : ""; *s;) {
			size_t n = strcspn(s, "/");
			char seg[KITH_FILES_PATH_MAX + 2];
			memcpy(seg, s, n);
			seg[n] = '\0';
			db_seg(b, seg);
			s += n;
			if (*s == '/') {
				db_puts(b, "/");
				s++;
			}
		}
		return;
	}
	db_puts(b, "contacts/");
	if (kind == DAV_CARD)
		db_seg(b, card);
}

void dav_empty_el(struct dbuf *b, const struct dprop *p)
{
	if (!p->ns[0]) {  /* no namespace: no prefix may be bound to "" */
		db_printf(b, "<%s xmlns=\"\"/>", p->name);
		return;
	}
	db_puts(b, "<x:");
	db_puts(b, p->name);
	db_puts(b, " xmlns:x=\"");
	db_esc(b, p->ns, strlen(p->ns));
	db_puts(b, "\"/>");
}

const char *dav_status_line(unsigned status)
{
	switch (status) {
	case 200: return "HTTP/1.1 200 OK";
	case 403: return "HTTP/1.1 403 Forbidden";
	case 404: return "HTTP/1.1 404 Not Found";
	case 424: return "HTTP/1.1 424 Failed Dependency";
	case 507: return "HTTP/1.1 507 Insufficient Storage";
	default: return "HTTP/1.1 500 Internal Server Error";
	}
}

void ms_status(struct dav *d, struct dbuf *b, const char *card, unsigned status)
{
	db_puts(b, "<d:response><d:href>");
	dav_href(b, d, DAV_CARD, card);
	db_printf(b, "</d:href><d:status>%s</d:status></d:response>\n", dav_status_line(status));
}

int dav_error(struct dav *d, unsigned status, const char *ns, const char *name)
{
	struct dbuf b = {0};

	db_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	          "<d:error xmlns:d=\"DAV:\"><x:%s xmlns:x=\"%s\"/></d:error>\n", name, ns);
	return db_reply(d->r, status, "application/xml; charset=utf-8", &b);
}

int dav_error_why(struct dav *d, unsigned status, const char *ns, const char *name,
                  const char *fmt, ...)
{
	struct dbuf b = {0};
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	db_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	          "<d:error xmlns:d=\"DAV:\"><x:%s xmlns:x=\"%s\"/><k:message xmlns:k=\"urn:kith\">",
	          name, ns);
	db_esc(&b, why, strlen(why));
	db_puts(&b, "</k:message></d:error>\n");
	return db_reply(d->r, status, "application/xml; charset=utf-8", &b);
}

void dav_etag(char *out, size_t sz, int64_t etag)
{
	snprintf(out, sz, "\"%lld\"", (long long)etag);
}
