#ifndef KITH_SERVER_API_H
#define KITH_SERVER_API_H

/* Internal to the server: one request, the worker it runs on, replies. */

#include <microhttpd.h>
#include <jansson.h>
#include "kith/kith.h"

#define API_MAX_PARAMS 4

/* What a worker thread keeps for one member: a handle that sees what the
 * member sees, and the graph built on it. */
struct member_view {
	kith_id member;
	kith_db *db;                 /* the thread's read handle (worker.rdb), seeing as member */
	kith_graph *graph;           /* lazily opened on db */
	kith_score_graph_ctx *score;
	unsigned long epoch;         /* write epoch the graph was built at */
	int64_t built_at;            /* monotonic seconds at the last build */
	uint64_t used;               /* the thread's request count at its last use */
};

struct worker {
	kith_db *db;                 /* read-write: auth and writes */
	kith_db *rdb;                /* read-only: sees as the request's member */
	struct member_view *views;
	size_t nviews, capviews;     /* at most VIEWS_PER_THREAD (worker.c) */
	uint64_t requests;
	kith_graph *graph;           /* on db: keeps the graph index file current */
	kith_score_graph_ctx *score;
	int64_t graph_at;            /* monotonic seconds it was opened */
};

struct req {
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	char *body;                  /* NUL-terminated; owned */
	size_t len, cap, limit;
	int too_big;
	char *segs;                  /* copy of the path split at '/' */
	const char *params[API_MAX_PARAMS];
	struct worker *w;
	struct member_view *view;    /* the caller's, after auth */
	kith_id member, me;          /* the caller and their person */
	struct MHD_Response *resp;
	unsigned status;
	size_t bytes;                /* the answer's body, for the access log */
	int64_t t0;                  /* monotonic microseconds: the head came in */
	char *logged;                /* "ADDR METHOD PATH" for the access log; owned */
};

/* A route: METHOD /api/v1/pattern with {name} segments. */
typedef int (*api_fn)(struct req *r);
struct route {
	const char *method;
	const char *pattern;
	api_fn fn;
	const char *summary;
	int public_;                 /* needs no token */
	size_t body_limit;           /* 0: the JSON default */
	int queues_itself;           /* takes the write queue itself (api_write_lock) */
};

/* What the HTTP core serves, given from above (server/routes.c): the API's
 * route table, and another handler (CardDAV) for the URLs it owns.  The
 * core calls up only through this. */
struct http_app {
	const struct route *routes;
	size_t nroutes;
	int (*owns)(const char *url);
	int (*handle)(struct req *r);
};
struct kith_serve_opts;
/* kith_serve (server.h) with app's routes and handler. */
int http_serve(const struct kith_serve_opts *o, const struct http_app *app);

/* Splits r->url's path into r->segs (owned by r) and finds its route in
 * table, filling r->params.  NULL when none: *path_ok then says whether
 * the path exists with another method. */
const struct route *api_match(const struct route *table, size_t n, struct req *r,
                              int *path_ok);

/* Replies.  Each returns 0 so handlers can `return reply_...`; the
 * response is sent once the handler returns.  json is stolen. */
int reply_json(struct req *r, unsigned status, json_t *json);
int reply_error(struct req *r, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Maps a libkith error to its HTTP status and code. */
int reply_kith(struct req *r, const kith_error *err);
int reply_raw(struct req *r, unsigned status, const char *type, char *data, size_t len);

/* Request input. */
const char *q_arg(struct req *r, const char *name);
/* Integer query argument within [lo, hi], or def when absent; -1 and a
 * 400 reply when malformed. */
int q_int(struct req *r, const char *name, long lo, long hi, long def, long *out);
/* The path parameter i as a positive id, or 0 after a 404 reply. */
kith_id p_id(struct req *r, int i);
/* Parses the body as a JSON object, refusing deep nesting and any member
 * not in allowed (NULL-terminated).  NULL after a 400 reply. */
json_t *body_object(struct req *r, const char *const *allowed);
/* Typed fields of a body object; each replies 400 and returns -1 on a
 * wrong type, 0 when absent (out untouched), 1 when present. */
int f_str(struct req *r, json_t *o, const char *name, const char **out);
int f_num(struct req *r, json_t *o, const char *name, double *out);
int f_bool(struct req *r, json_t *o, const char *name, int *out);
int f_strv(struct req *r, json_t *o, const char *name, kith_strv *out);

/* Signs the request in: its token (Bearer; with basic also HTTP Basic,
 * the token as password, for CardDAV) names the member, whose view,
 * person and authorship it gets.  -1 after a 401 or an error reply. */
int req_sign_in(struct req *r, int basic);

/* People by reference (id, email, name, "me") as the caller sees them;
 * 0 after a 4xx reply. */
kith_id ref_person(struct req *r, const char *ref, const char *what);
/* The graph the caller sees, up to date; NULL after a reply. */
kith_graph *req_graph(struct req *r);
/* Makes r->w->db write as the caller with the given privacy. */
int req_author(struct req *r, int priv);
/* The server's one queue of writers (server.c).  api_write_lock returns 0
 * holding the lock, or the REQ_* reason (worker.h) r gave up waiting for
 * it, not holding it.  api_write_yield, called by a long write that holds
 * the lock (an import between batches), lets the writers waiting now go
 * first, then queues again. */
int api_write_lock(struct req *r);
void api_write_unlock(void);
void api_write_yield(void *unused);
/* Tells every worker that the data their graphs weigh has moved. */
void api_bump_epoch(void);
/* The caller may change record (table, id): it is visible to them.  On
 * no, replies 404 and returns 0. */
int may_touch(struct req *r, const char *table, kith_id id);
/* Sets o's key to null when it names a person the caller cannot see (who
 * asserted a team link may be another member's private self). */
void hide_unseen_person(struct req *r, json_t *o, const char *key);
/* Adds "owner" and "private" to o from the record's row; a link's
 * asserted_by only when the caller sees that person. */
json_t *with_visibility(struct req *r, const char *table, kith_id id, json_t *o);
/* A person's JSON as the caller sees them (NULL when not visible). */
json_t *person_json(struct req *r, kith_id id);
/* A person's name for messages (static buffer per thread). */
const char *person_name(struct req *r, kith_id id);

#endif
