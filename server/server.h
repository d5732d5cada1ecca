#ifndef KITH_SERVER_H
#define KITH_SERVER_H

/* kith serve: the team's HTTP/JSON API and the web UI (docs/server.md). */

#include <stddef.h>
#include <stdio.h>

struct kith_serve_opts {
	const char *db_path;     /* the database, opened per worker thread */
	const char *listen;      /* "127.0.0.1:7070", "0.0.0.0:80", ":7070", "[::1]:7070" */
	const char *web_root;    /* directory of the web UI; NULL: the embedded files */
	const char *access_log;  /* file to append a line per request to;
	                          * NULL or "-": stderr; "off": none */
	int threads;             /* worker threads; 0: two per CPU, at least 4 */
	unsigned connections;    /* connection limit; 0: 1024 */
	int per_ip;              /* connections from one address; 0: 64, -1: no limit */
	unsigned timeout;        /* idle connection timeout, seconds; 0: 30 */
	unsigned request_ms;     /* a request's time budget, ms; 0: 30 s */
	unsigned import_ms;      /* an import's (POST /import), ms; 0: 300 s */
	unsigned stop_ms;        /* SIGTERM to exit at most, ms; 0: 10 s */
	void (*ready)(void *ctx, const char *url); /* called once listening */
	void *ready_ctx;
};

/* Serves until SIGTERM or SIGINT, then stops taking connections, gives
 * requests in flight half of stop_ms to finish, interrupts the rest (503)
 * and returns 0; past stop_ms the process exits with status 1 (stderr
 * says so).  Non-zero, with one line on stderr, when the server cannot
 * start (the port is in use, the database cannot be opened).
 *
 * A request that runs past its budget, or while the server stops, or
 * whose client has gone, is interrupted at its next SQLite step and
 * answered 503 with the reason; code that loops without SQL asks
 * req_expired() (worker.h).  A request's head must arrive within 15 s of
 * the connection (a later one on a kept-alive connection: within the
 * idle timeout of the last answer), its body within 15 s of the head plus
 * a second per 16 kB; a connection past that is closed. */
int kith_serve(const struct kith_serve_opts *o);

/* Whether listen is an address kith_serve takes: "HOST:PORT" (IPv4,
 * "localhost", "*" or "" for every address) or "[IPV6]:PORT". */
int kith_serve_listen_ok(const char *listen);

/* How many files of the web UI are compiled into kith, and their bytes
 * in *bytes (when not NULL). */
size_t kith_serve_embedded(size_t *bytes);

/* Writes the route table, "METHOD PATH" per line, for the docs check. */
void kith_serve_routes(FILE *out);

#endif
