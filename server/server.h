#ifndef KITH_SERVER_H
#define KITH_SERVER_H

/* kith serve: the team's HTTP/JSON API and the web UI (docs/server.md). */

#include <stdio.h>

struct kith_serve_opts {
	const char *db_path;     /* the database, opened per worker thread */
	const char *listen;      /* "127.0.0.1:7070", "0.0.0.0:80", ":7070" */
	const char *web_root;    /* directory of the web UI; NULL: none */
	int threads;             /* worker threads; 0: two per CPU, at least 4 */
	unsigned connections;    /* connection limit; 0: 1024 */
	unsigned timeout;        /* idle connection timeout, seconds; 0: 30 */
	void (*ready)(void *ctx, const char *url); /* called once listening */
	void *ready_ctx;
};

/* Serves until SIGTERM or SIGINT, then stops taking connections, lets
 * requests in flight finish and returns 0.  Non-zero (with a message on
 * stderr) when the server cannot start. */
int kith_serve(const struct kith_serve_opts *o);

/* Writes the route table, "METHOD PATH" per line, for the docs check. */
void kith_serve_routes(FILE *out);

#endif
