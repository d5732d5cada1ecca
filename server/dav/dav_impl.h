#ifndef KITH_SERVER_DAV_IMPL_H
#define KITH_SERVER_DAV_IMPL_H

/*
 * Inside the CardDAV tree (server/dav*.c):
 *
 *   dav.c         sign-in, URLs, the method table, OPTIONS, redirects
 *   dav_xml.c     the output buffer, XML in (libxml2) and out
 *   dav_prop.c    properties: PROPFIND, PROPPATCH
 *   dav_report.c  REPORT: addressbook-multiget, addressbook-query,
 *                 sync-collection
 *   dav_card.c    GET, PUT, DELETE of one card
 *   dav_files.c   the member's WebDAV folder: every method on plain
 *                 collections and resources (src/record/files.c)
 *
 * The tree, per member M (their name when it is URL-safe, else their id):
 *
 *   /dav/                    root: points to the signed-in principal
 *   /dav/M/                  M's principal and address-book home
 *   /dav/M/contacts/         M's address book
 *   /dav/M/contacts/NAME     one card
 *   /dav/M/files/...         M's WebDAV folder and what it holds
 */

#include <stdint.h>
#include <libxml/tree.h>

#include "dav.h"
#include "kith/card.h"
#include "kith/files.h"

#define NS_DAV  "DAV:"
#define NS_CARD "urn:ietf:params:xml:ns:carddav"
#define NS_CS   "http://calendarserver.org/ns/"

enum dav_kind { DAV_NONE, DAV_ROOT, DAV_HOME, DAV_BOOK, DAV_CARD, DAV_FILE };

/* A growing output buffer.  On OOM it stops growing and sets oom, so
 * writers need not check each append; the caller checks once. */
struct dbuf {
	char *p;
	size_t n, cap;
	int oom;
};

void db_add(struct dbuf *b, const char *s, size_t n);
void db_puts(struct dbuf *b, const char *s);
void db_printf(struct dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s escaped for XML text or attributes; CR kept as &#13; so a vCard's
 * CRLF line ends survive an XML parser. */
void db_esc(struct dbuf *b, const char *s, size_t n);
/* A path segment percent-encoded (RFC 3986 unreserved kept). */
void db_seg(struct dbuf *b, const char *s);
void db_free(struct dbuf *b);
/* Sends b as the reply (it is handed over; b is left empty). */
int db_reply(struct req *r, unsigned status, const char *type, struct dbuf *b);

/* One request in the tree. */
struct dav {
	struct req *r;
	kith_db *view;               /* the member's viewer handle */
	char seg[64];                /* the member's URL segment */
	int kind;                    /* enum dav_kind of the target */
	char card[KITH_CARD_HREF_MAX + 1];  /* its card name (DAV_CARD) */
	char file[KITH_FILES_PATH_MAX + 2]; /* its path in the folder (DAV_FILE) */
	xmlDoc *doc;                 /* the parsed body, or NULL; owned */
	/* The member's book as this request reads it (dav_book.c): read
	 * once, so one answer speaks of one state of the book. */
	int book_read;
	kith_card_ref *refs;         /* its cards by person id; owned */
	size_t nrefs;
	void *by_href;               /* href -> index in refs (GHashTable), or NULL */
	char token[KITH_CARD_TOKEN_MAX + 1];
	int64_t started;             /* when the request began (ms, monotonic) */
};

/* Reads the member's book into d (refreshed, once per request): d->refs
 * and d->token.  -1 after a reply. */
int dav_book_read(struct dav *d);
/* The card named href in the book read (dav_book_read first), or NULL:
 * a hidden card and a missing one are the same NULL. */
const kith_card_ref *dav_book_find(struct dav *d, const char *href);
/* The cards changed since the book's state `token` (*out, the caller's),
 * and d->token set to the state now.  0, 1 when the token is unknown (no
 * reply), -1 after a reply. */
int dav_book_changes(struct dav *d, const char *token, kith_card_ref **out, size_t *n);
/* Brings the member's book up to date after a write through d, so a card
 * a client made and removed between two syncs is reported gone. */
void dav_book_touch(struct dav *d);
/* Frees what d holds of the book. */
void dav_book_done(struct dav *d);
/* Milliseconds since the request began. */
int64_t dav_elapsed(const struct dav *d);

/* What one request may cost (docs/carddav.md, "Limits").  A request over
 * a count is refused before any work; one that runs past the time budget
 * stops where it is. */
#define DAV_TOKEN_PREFIX "urn:kith:sync:"
#define DAV_MAX_HREFS 20000          /* hrefs in an addressbook-multiget */
#define DAV_MAX_PROP_FILTERS 100     /* prop-filters in an addressbook-query */
#define DAV_MAX_TEXT_MATCHES 100     /* text-matches and param-filters in one */
#define DAV_MAX_MATCH_BYTES 1000     /* the text of one text-match */
#define DAV_MAX_PROPS 100            /* properties asked in a PROPFIND or REPORT */
#define DAV_BUDGET_MS 10000          /* time to make one answer */
/* Whether d has spent its time budget (DAV_BUDGET_MS, or the environment's
 * KITH_DAV_BUDGET_MS, read once). */
int dav_over_budget(const struct dav *d);
/* The answer for a request whose budget ran out: 503 with Retry-After. */
int dav_busy(struct dav *d);

/* A property asked for: pointers into the request's XML document. */
struct dprop {
	const char *ns, *name;
	xmlNode *node;
};

struct dprops {
	struct dprop *v;
	size_t n, cap;
	int all;                     /* allprop (or no body) */
	int names;                   /* propname */
};

/* Parses r's body into d->doc (NULL for an empty body).  -1 after a 400
 * reply. */
int dav_parse_body(struct dav *d);
/* Whether n is the element ns:name. */
int x_is(const xmlNode *n, const char *ns, const char *name);
/* The first child element ns:name of n, or NULL. */
xmlNode *x_child(const xmlNode *n, const char *ns, const char *name);
/* The text of n (a copy the caller frees with x_free), or NULL. */
char *x_text(const xmlNode *n);
/* Frees what libxml2 allocated (its xmlFree, read with xmlMemGet: the
 * variable itself is not reached when libxml2 is bound lazily). */
void x_free(void *p);
/* Collects the children of a DAV:prop element.  -1 on OOM. */
/* The properties a PROPFIND or REPORT body (root) asks for, into *w
 * (dprops_free).  -1 after a reply. */
int dav_wanted(struct dav *d, const xmlNode *root, struct dprops *w);
int dprops_from(struct dprops *p, const xmlNode *prop);
void dprops_free(struct dprops *p);

/* Percent-decodes a URL path (or an absolute URL's path) in place;
 * returns s.  Invalid escapes are kept as they are. */
char *dav_unescape(char *s);
/* Splits a path under /dav/ into d->kind and d->card or d->file; 0 when
 * it is the member's own tree (or the root), -1 when not (no reply). */
int dav_locate(struct dav *d, const char *path);

/* Multistatus output. */
void ms_open(struct dbuf *b);
void ms_close(struct dbuf *b);
/* The href of a target of this member (card: a card's name, or a path
 * in the folder for DAV_FILE). */
void dav_href(struct dbuf *b, const struct dav *d, int kind, const char *card);
/* An empty element for property p (a 404 propstat, a propname answer). */
void dav_empty_el(struct dbuf *b, const struct dprop *p);
/* One <response> with the asked properties of a target: known ones in a
 * 200 propstat, the others in a 404 one.  ref is the card (DAV_CARD). */
void ms_props(struct dav *d, struct dbuf *b, int kind, const kith_card_ref *ref,
              const struct dprops *want, int version);
/* "HTTP/1.1 404 Not Found" and the like. */
const char *dav_status_line(unsigned status);
/* One <response> with just a status (a card not found, or gone). */
void ms_status(struct dav *d, struct dbuf *b, const char *card, unsigned status);
/* An RFC 4918 error body (<d:error><ns:name/></d:error>) with status. */
int dav_error(struct dav *d, unsigned status, const char *ns, const char *name);
/* The same with a one-line reason for people (<k:message xmlns:k="urn:kith">). */
int dav_error_why(struct dav *d, unsigned status, const char *ns, const char *name,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The vCard version a request asks for (Accept, or address-data's
 * attributes when node is non-NULL): 3 unless 4.0 is named. */
int dav_version(struct dav *d, const xmlNode *address_data);
/* An ETag header value for a card. */
void dav_etag(char *out, size_t sz, int64_t etag);

int dav_propfind(struct dav *d);
int dav_proppatch(struct dav *d);
int dav_report(struct dav *d);
int dav_get(struct dav *d);
int dav_put(struct dav *d);
int dav_delete(struct dav *d);
/* Any method on the folder (d->kind DAV_FILE). */
int dav_files(struct dav *d);
/* The folder's own <response> in a PROPFIND of the home. */
void dav_files_folder(struct dav *d, struct dbuf *b, const struct dprops *want);

#endif
