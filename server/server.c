/*
 * The HTTP server: libmicrohttpd with a pool of epoll threads.  Each pool
 * thread keeps its own database handles (worker.c), so requests never
 * share a SQLite connection and never wait on each other but for the
 * database's one writer lock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "server.h"
#include "worker.h"
#include "dav.h"
#include "handlers.h"

#define JSON_BODY_LIMIT (1u << 20)

static const char *web_root;
/* Writers queue here rather than in SQLite's busy handler, which polls
 * with sleeps of up to 100 ms: the lock passes at once to the next one. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
/* Writers blocked on it now, and how many got it so far. */
static atomic_ulong write_waiting, write_served;

void api_write_lock(void)
{
	atomic_fetch_add(&write_waiting, 1);
	pthread_mutex_lock(&write_lock);
	atomic_fetch_sub(&write_waiting, 1);
	atomic_fetch_add(&write_served, 1);
}

void api_write_unlock(void)
{
	pthread_mutex_unlock(&write_lock);
}

/* A mutex is not fair: unlocked and locked again at once, the holder
 * would mostly win.  So wait until those waiting at the unlock have had
 * it (for at most 1 s: one of them may be slow), then queue again. */
void api_write_yield(void *unused)
{
	unsigned long waiting = atomic_load(&write_waiting);
	unsigned long target = atomic_load(&write_served) + waiting;
	struct timespec nap = {0, 200000};

	(void)unused;
	if (!waiting)
		return;
	pthread_mutex_unlock(&write_lock);
	for (int i = 0; i < 5000 && atomic_load(&write_served) < target; i++)
		nanosleep(&nap, NULL);
	api_write_lock();
}

/* Splits r->url's path into r->segs and matches it against the table.
 * Returns the route, or NULL with *path_ok set when only the method did
 * not match. */
const struct route *api_match(struct req *r, int *path_ok)
{
	char *segs[16], *save = NULL;
	int n = 0;

	*path_ok = 0;
	free(r->segs);
	if (!(r->segs = strdup(r->url)))
		return NULL;
	for (char *s = strtok_r(r->segs, "/", &save); s && n < 16; s = strtok_r(NULL, "/", &save))
		segs[n++] = s;
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct route *rt = &api_routes[i];
		char pat[128];
		char *ps[16], *psave = NULL;
		int m = 0, ok = 1, np = 0;

		snprintf(pat, sizeof(pat), "%s", rt->pattern);
		for (char *s = strtok_r(pat, "/", &psave); s && m < 16; s = strtok_r(NULL, "/", &psave))
			ps[m++] = s;
		if (m != n)
			continue;
		for (int k = 0; ok && k < n; k++) {
			if (ps[k][0] == '{') {
				if (np < API_MAX_PARAMS)
					r->params[np++] = segs[k];
			} else {
				ok = strcmp(ps[k], segs[k]) == 0;
			}
		}
		if (!ok)
			continue;
		*path_ok = 1;
		if (strcmp(rt->method, r->method) == 0)
			return rt;
	}
	return NULL;
}

/* Methods that never write. */
static int reads_only(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0 ||
	       strcmp(m, "PROPFIND") == 0 || strcmp(m, "REPORT") == 0;
}

static int authenticate(struct req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	kith_error err;
	kith_id member;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return reply_error(r, 401, "unauthorized",
		                   "sign in: send 'Authorization: Bearer <token>'"), -1;
	if (kith_token_check(r->w->db, h + 7, &member, &err)) {
		if (err.code == KITH_EINVAL)
			return reply_error(r, 401, "unauthorized", "that token is not valid"), -1;
		return reply_kith(r, &err), -1;
	}
	if (!(r->view = worker_view(r->w, member, &err)))
		return reply_kith(r, &err), -1;
	r->member = member;
	r->me = kith_me(r->view->db);
	/* Whatever a write creates or checks is the caller's, never the
	 * previous request's on this thread (a handler may set privacy). */
	if (!reads_only(r->method) && req_author(r, 0))
		return -1;
	return 0;
}


static void handle(struct req *r, const struct route *rt, int path_ok)
{
	kith_error err;

	if (!(r->w = worker_get(&err))) {
		reply_kith(r, &err);
		return;
	}
	if (!rt && dav_owns(r->url)) {
		if (r->too_big) {
			reply_error(r, 413, "too_large", "the request body is over %zu bytes", r->limit);
		} else if (reads_only(r->method)) {
			dav_handle(r);
		} else {  /* DAV writes queue with the API's */
			api_write_lock();
			dav_handle(r);
			api_write_unlock();
		}
		return;
	}
	if (!rt) {
		if (path_ok)
			reply_error(r, 405, "method_not_allowed", "%s is not allowed on %s",
			            r->method, r->url);
		else if (strncmp(r->url, "/api/", 5) == 0 || !web_root)
			reply_error(r, 404, "not_found", "no such route: %s", r->url);
		else
			serve_static(r, web_root);
		return;
	}
	if (r->too_big) {
		reply_error(r, 413, "too_large", "the request body is over %zu bytes", r->limit);
		return;
	}
	if (!rt->public_ && authenticate(r))
		return;
	/* An import queues by itself: not at all for a dry run, and it lets
	 * others write between its batches (api_io.c). */
	if (strcmp(r->method, "GET") == 0 || rt->fn == api_import) {
		rt->fn(r);
	} else {
		api_write_lock();
		rt->fn(r);
		api_write_unlock();
	}
	if (!r->resp)
		reply_error(r, 500, "internal", "the handler gave no answer");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	const struct route *rt;
	int path_ok;
	enum MHD_Result ret;

	(void)cls;
	(void)version;
	if (!r) {
		const char *cl;
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		r->conn = conn;
		r->method = method;
		r->url = url;
		rt = api_match(r, &path_ok);
		r->limit = rt && rt->body_limit ? rt->body_limit : JSON_BODY_LIMIT;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->limit)
			r->too_big = 1;
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_big && r->len + *upload_size > r->limit) {
			r->too_big = 1;
		} else if (!r->too_big) {
			if (r->len + *upload_size + 1 > r->cap) {
				size_t cap = r->cap ? r->cap : 4096;
				while (cap < r->len + *upload_size + 1)
					cap *= 2;
				char *nb = realloc(r->body, cap);
				if (!nb)
					return MHD_NO;
				r->body = nb;
				r->cap = cap;
			}
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
			r->body[r->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	rt = api_match(r, &path_ok);
	handle(r, rt, path_ok);
	ret = MHD_queue_response(conn, r->status, r->resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
	struct req *r = *con_cls;

	(void)cls;
	(void)conn;
	(void)why;
	if (!r)
		return;
	if (r->resp)
		MHD_destroy_response(r->resp);
	free(r->body);
	free(r->segs);
	free(r);
	*con_cls = NULL;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	char *end;
	long port;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	sa->sin_port = htons((uint16_t)port);
	if (!*host || strcmp(host, "*") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int kith_serve(const struct kith_serve_opts *o)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	sigset_t stop;
	char url[96], host[INET_ADDRSTRLEN];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = o->threads > 0 ? (unsigned)o->threads
	                                  : (unsigned)(ncpu > 2 ? 2 * ncpu : 4);
	const union MHD_DaemonInfo *info;
	kith_error err;
	int sig = 0;

	if (parse_listen(o->listen ? o->listen : "127.0.0.1:7070", &sa)) {
		fprintf(stderr, "kith: '%s' is not an address to listen on (HOST:PORT)\n",
		        o->listen);
		return 1;
	}
	if (kith_setup_threads(&err)) {
		fprintf(stderr, "kith: %s\n", err.msg);
		return 1;
	}
	if (worker_setup(o->db_path))
		return 1;
	web_root = o->web_root;
	/* The stop signals go to sigwait below, never to a pool thread, which
	 * inherit this mask. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO,
	                     0, NULL, NULL, on_request, NULL,
	                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	                     MHD_OPTION_THREAD_POOL_SIZE, threads,
	                     MHD_OPTION_CONNECTION_LIMIT, o->connections ? o->connections : 1024u,
	                     MHD_OPTION_CONNECTION_TIMEOUT, o->timeout ? o->timeout : 30u,
	                     MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
	                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	                     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kith: cannot listen on %s: %s\n",
		        o->listen ? o->listen : "127.0.0.1:7070", strerror(errno));
		worker_teardown();
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	snprintf(url, sizeof(url), "http://%s:%u/",
	         sa.sin_addr.s_addr == htonl(INADDR_ANY) ? "127.0.0.1" : host,
	         info ? info->port : ntohs(sa.sin_port));
	if (o->ready)
		o->ready(o->ready_ctx, url);
	while (sigwait(&stop, &sig) != 0)
		;
	/* Stop accepting, then let MHD join its threads: a handler in the
	 * middle of a write finishes it (and its commit) first. */
	MHD_quiesce_daemon(d);
	MHD_stop_daemon(d);
	worker_teardown();
	return 0;
}

void kith_serve_routes(FILE *out)
{
	for (size_t i = 0; i < api_nroutes; i++)
		fprintf(out, "%s %s\n", api_routes[i].method, api_routes[i].pattern);
}
