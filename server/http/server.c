/*
 * The HTTP server: libmicrohttpd with a pool of epoll threads.  Each pool
 * thread keeps its own database handles (worker.c), so requests never
 * share a SQLite connection and never wait on each other but for the
 * database's one writer lock.
 *
 * What one client may take is bounded: connections per address
 * (MHD_OPTION_PER_IP_CONNECTION_LIMIT), the time to send a request's head
 * and body (a reaper thread shuts down the socket of a connection past
 * its deadline, which libmicrohttpd's inactivity timeout alone does not
 * do for a client trickling a byte every few seconds), and the time a
 * request may run (worker.h: a progress handler on every SQLite handle).
 * A stop has a deadline too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>

#include "access_log.h"
#include "api.h"
#include "server.h"
#include "static.h"
#include "worker.h"

#define JSON_BODY_LIMIT (1u << 20)

static const char *web_root;
/* Writers queue here rather than in SQLite's busy handler, which polls
 * with sleeps of up to 100 ms: the lock passes at once to the next one. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
/* Writers blocked on it now, and how many got it so far. */
static atomic_ulong write_waiting, write_served;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec abs_ms(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};

	return ts;
}

static void write_lock_wait(void)
{
	atomic_fetch_add(&write_waiting, 1);
	pthread_mutex_lock(&write_lock);
	atomic_fetch_sub(&write_waiting, 1);
	atomic_fetch_add(&write_served, 1);
}

/* Waits in slices, so that a writer queued behind a long import gives up
 * when its own request does (its budget, the client gone, a stop): the
 * stop deadline is not spent by requests that never ran. */
int api_write_lock(struct req *r)
{
	int why = 0;

	atomic_fetch_add(&write_waiting, 1);
	for (;;) {
		struct timespec until = abs_ms(now_ms() + 50);
		if (pthread_mutex_timedlock(&write_lock, &until) == 0)
			break;
		if (r && (why = req_expired(r)) != 0) {
			atomic_fetch_sub(&write_waiting, 1);
			return why;
		}
	}
	atomic_fetch_sub(&write_waiting, 1);
	atomic_fetch_add(&write_served, 1);
	return 0;
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
	write_lock_wait();  /* the import's own SQL steps see its deadline */
}

/* Splits r->url's path into r->segs and matches it against the table.
 * Returns the route, or NULL with *path_ok set when only the method did
 * not match. */
/* What is served: set once by http_serve, before any thread starts. */
static const struct http_app *app;

const struct route *api_match(const struct route *table, size_t n_routes, struct req *r,
                              int *path_ok)
{
	char *segs[16], *save = NULL;
	int n = 0;

	*path_ok = 0;
	free(r->segs);
	if (!(r->segs = strdup(r->url)))
		return NULL;
	for (char *s = strtok_r(r->segs, "/", &save); s && n < 16; s = strtok_r(NULL, "/", &save))
		segs[n++] = s;
	for (size_t i = 0; i < n_routes; i++) {
		const struct route *rt = &table[i];
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
		/* HEAD is GET without the body (libmicrohttpd leaves it out). */
		if (strcmp(rt->method, r->method) == 0 ||
		    (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
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

/* The token of an Authorization header: Bearer, or with basic also HTTP
 * Basic with the token as the password (CardDAV clients can send no
 * other; the user name is not checked).  Heap string or NULL. */
static char *token_of(const char *h, int basic)
{
	char *token = NULL;

	if (h && strncasecmp(h, "Bearer ", 7) == 0) {
		token = strdup(h + 7);
	} else if (basic && h && strncasecmp(h, "Basic ", 6) == 0) {
		gsize n = 0;
		guchar *raw = g_base64_decode(h + 6, &n);
		guchar *colon = raw ? memchr(raw, ':', n) : NULL;
		if (colon && (token = malloc(n - (size_t)(colon - raw)))) {
			size_t tn = n - (size_t)(colon - raw) - 1;
			memcpy(token, colon + 1, tn);
			token[tn] = '\0';
		}
		g_free(raw);
	}
	return token;
}

/* req_sign_in; with tx set, a read request's one read transaction
 * begins on the member's view before anything is read through it (*tx
 * says whether it did), so that reading "me" is not a transaction of its
 * own: each costs SQLite's read lock and its two system calls. */
static int sign_in(struct req *r, int basic, int *tx)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	char *token = token_of(h, basic);
	kith_error err;
	kith_id member = 0;
	int rc = KITH_EINVAL;

	/* A token is 47 characters; anything long is no token, unread. */
	if (token && strlen(token) < 128)
		rc = kith_token_check(r->w->db, token, &member, &err);
	free(token);
	if (rc == KITH_EINVAL) {
		if (basic) {
			reply_error(r, 401, "unauthorized",
			            "sign in with your member name and a kith token as the password");
			if (r->resp)
				MHD_add_response_header(r->resp, "WWW-Authenticate",
				                        "Basic realm=\"kith\", charset=\"UTF-8\"");
		} else if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
			reply_error(r, 401, "unauthorized",
			            "sign in: send 'Authorization: Bearer <token>'");
		} else {
			reply_error(r, 401, "unauthorized", "that token is not valid");
		}
		return -1;
	}
	if (rc || !(r->view = worker_view(r->w, member, &err)))
		return reply_kith(r, &err), -1;
	r->member = member;
	if (tx)
		*tx = kith_db_begin_read(r->view->db, NULL) == KITH_OK;
	r->me = kith_me(r->view->db);
	/* Whatever a write creates or checks is the caller's, never the
	 * previous request's on this thread (a handler may set privacy). */
	if (!reads_only(r->method) && req_author(r, 0))
		return -1;
	return 0;
}

int req_sign_in(struct req *r, int basic)
{
	return sign_in(r, basic, NULL);
}

static void handle(struct req *r, const struct route *rt, int path_ok)
{
	kith_error err;

	/* Before the worker opens the path: it may be another file now. */
	if (worker_db_moved(!reads_only(r->method))) {
		reply_error(r, 503, "storage_moved", "the database file was removed or replaced"
		            " while the server ran: it must be restarted");
		return;
	}
	if (!(r->w = worker_get(&err))) {
		reply_kith(r, &err);
		return;
	}
	if (!rt && app->owns && app->owns(r->url)) {
		if (r->too_big) {
			reply_error(r, 413, "too_large", "the request body is over %zu bytes", r->limit);
		} else if (reads_only(r->method)) {
			app->handle(r);
		} else {  /* DAV writes queue with the API's */
			if (api_write_lock(r))  /* on_request answers 503 with the reason */
				return (void)reply_error(r, 503, "busy", "waiting to write");
			app->handle(r);
			api_write_unlock();
		}
		return;
	}
	if (!rt) {
		if (path_ok)
			reply_error(r, 405, "method_not_allowed", "%s is not allowed on %s",
			            r->method, r->url);
		else if (strncmp(r->url, "/api/", 5) == 0)
			reply_error(r, 404, "not_found", "no such route: %s", r->url);
		else
			serve_static(r, web_root);
		return;
	}
	if (r->too_big) {
		reply_error(r, 413, "too_large", "the request body is over %zu bytes", r->limit);
		return;
	}
	/* A read has one snapshot for the whole answer, and one read lock
	 * (a sign-in that fails leaves its transaction to req_clock_stop). */
	int tx = 0;
	if (!rt->public_ && sign_in(r, 0, reads_only(r->method) ? &tx : NULL))
		return;
	/* An import queues by itself: not at all for a dry run, and it lets
	 * others write between its batches (api_io.c). */
	if (reads_only(r->method)) {
		rt->fn(r);
		if (tx)
			kith_db_commit(r->view->db, NULL);
	} else if (rt->queues_itself) {
		rt->fn(r);
	} else if (api_write_lock(r)) {  /* on_request answers 503 with the reason */
		reply_error(r, 503, "busy", "waiting to write");
	} else {
		rt->fn(r);
		api_write_unlock();
	}
	if (!r->resp)
		reply_error(r, 500, "internal", "the handler gave no answer");
}

/* Defaults of kith_serve_opts (docs/server.md, "Limits and errors"). */
#define PER_IP_DEFAULT 64           /* connections from one address */
#define REQUEST_MS_DEFAULT 30000    /* a request's time budget */
#define IMPORT_MS_DEFAULT 300000    /* an upload's (POST /import) */
#define STOP_MS_DEFAULT 10000       /* SIGTERM to exit, at most */
/* The head of a connection's first request must be in within HEAD_MS of
 * the connection; a body within BODY_GRACE_MS of its head plus a
 * millisecond per BODY_BYTES_PER_MS bytes received (16 kB/s). */
#define HEAD_MS 15000
#define BODY_GRACE_MS 15000
#define BODY_BYTES_PER_MS 16
/* How often the reaper looks at the connections. */
#define REAP_EVERY_MS 250

static unsigned request_ms, import_ms, idle_ms;
/* Requests between their head and their answer's end: a stop waits for
 * them (a while). */
static atomic_int in_flight;

/* What the head and body deadlines need to know of a connection: its
 * socket context, from MHD_CONNECTION_NOTIFY_STARTED to _CLOSED, which
 * libmicrohttpd calls before it closes the socket. */
struct conn {
	struct conn *prev, *next;
	int fd;
	int64_t since;      /* ms: accepted, or the last answer sent */
	int64_t head_at;    /* ms the head was in; 0 while it is coming */
	uint64_t got;       /* body bytes received */
	int kept;           /* a request was answered before on it */
	int busy;           /* its handler runs or its answer goes out */
	int cut;            /* shut down by the reaper */
};
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *conns;
static pthread_cond_t reaper_wake;
static int reaper_quit;



static struct conn *conn_of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **ctx,
                          enum MHD_ConnectionNotificationCode what)
{
	struct conn *c = *ctx;

	(void)cls;
	if (what == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(c = calloc(1, sizeof(*c))))
			return;  /* no deadline for it, but the idle timeout */
		c->fd = ci->connect_fd;
		c->since = now_ms();
		pthread_mutex_lock(&conns_lock);
		if ((c->next = conns))
			conns->prev = c;
		conns = c;
		pthread_mutex_unlock(&conns_lock);
		*ctx = c;
	} else if (c) {
		pthread_mutex_lock(&conns_lock);
		if (c->prev)
			c->prev->next = c->next;
		else
			conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		pthread_mutex_unlock(&conns_lock);
		free(c);
		*ctx = NULL;
	}
}

/* When c's head or body is late, in ms; 0 while its request runs. */
static int64_t conn_deadline(const struct conn *c)
{
	if (c->busy)
		return 0;
	if (!c->head_at)
		return c->since + (c->kept && idle_ms > HEAD_MS ? idle_ms : HEAD_MS);
	return c->head_at + BODY_GRACE_MS + (int64_t)(c->got / BODY_BYTES_PER_MS);
}

/* Shuts down the sockets of connections past their deadline: the pool
 * thread that has the connection then reads its end and closes it. */
static void *reaper(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&conns_lock);
	while (!reaper_quit) {
		struct timespec until = abs_ms(now_ms() + REAP_EVERY_MS);
		int64_t now;
		pthread_cond_timedwait(&reaper_wake, &conns_lock, &until);
		now = now_ms();
		for (struct conn *c = conns; c; c = c->next) {
			int64_t due = conn_deadline(c);
			if (c->cut || !due || now < due)
				continue;
			shutdown(c->fd, SHUT_RDWR);
			c->cut = 1;
		}
	}
	pthread_mutex_unlock(&conns_lock);
	return NULL;
}

/* Notes what a connection's request has reached: its head (1), body
 * bytes (n), its handler (2), or its end (3). */
static void conn_mark(struct MHD_Connection *mc, int stage, size_t n)
{
	struct conn *c = conn_of(mc);

	if (!c)
		return;
	pthread_mutex_lock(&conns_lock);
	if (stage == 1) {
		c->head_at = now_ms();
		c->got = 0;
	} else if (stage == 2) {
		c->busy = 1;
	} else if (stage == 3) {
		c->busy = 0;
		c->kept = 1;
		c->head_at = 0;
		c->since = now_ms();
	}
	c->got += n;
	pthread_mutex_unlock(&conns_lock);
}

/* Headers every answer carries, API, DAV and the web UI's files alike:
 * nothing kith serves may be framed, sniffed into another type, or leak
 * its address in a Referer.  An answer that is not a page runs nothing. */
static void guard_headers(struct MHD_Response *resp)
{
	if (!MHD_get_response_header(resp, "Content-Security-Policy"))
		MHD_add_response_header(resp, "Content-Security-Policy",
		                        "default-src 'none'; frame-ancestors 'none'");
	if (!MHD_get_response_header(resp, "X-Content-Type-Options"))
		MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	const struct route *rt;
	int path_ok, why;
	unsigned budget;
	enum MHD_Result ret;

	(void)cls;
	(void)version;
	if (!r) {
		const char *cl;
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		atomic_fetch_add(&in_flight, 1);
		conn_mark(conn, 1, 0);
		r->conn = conn;
		r->method = method;
		r->url = url;
		access_log_begin(r);
		rt = api_match(app->routes, app->nroutes, r, &path_ok);
		r->limit = rt && rt->body_limit ? rt->body_limit : JSON_BODY_LIMIT;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->limit)
			r->too_big = 1;
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		conn_mark(conn, 0, *upload_size);
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
	conn_mark(conn, 2, 0);
	rt = api_match(app->routes, app->nroutes, r, &path_ok);
	budget = rt && rt->body_limit ? import_ms : request_ms;
	req_clock_start(r, budget);
	handle(r, rt, path_ok);
	why = req_clock_stop(r, r->w);
	/* Cut short: the reason, not what the handler made of an interrupted
	 * query.  A write that answered 2xx had committed: that answer stays. */
	if (why && (reads_only(r->method) || !r->resp || r->status >= 300)) {
		if (r->resp)
			MHD_destroy_response(r->resp);
		r->resp = NULL;
		reply_error(r, 503, why == REQ_OVER_TIME ? "timeout" : why == REQ_STOPPING
		            ? "stopping" : "gone", "%s", req_stop_reason(why, budget));
	}
	if (!r->resp)
		return MHD_NO;
	guard_headers(r->resp);
	ret = MHD_queue_response(conn, r->status, r->resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
	struct req *r = *con_cls;

	(void)cls;
	(void)why;
	if (!r)
		return;
	conn_mark(conn, 3, 0);
	atomic_fetch_sub(&in_flight, 1);
	access_log_end(r);
	if (r->resp)
		MHD_destroy_response(r->resp);
	free(r->logged);
	free(r->body);
	free(r->segs);
	free(r);
	*con_cls = NULL;
}

/* A listen address: "HOST:PORT" with HOST an IPv4 address, "localhost",
 * "*" or nothing (every IPv4 address), or "[V6]:PORT" with an IPv6
 * address ("[::]": every address, which on Linux takes IPv4 too). */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sa = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	const char *colon = s ? strrchr(s, ':') : NULL;
	char host[64];
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || colon[1] < '0' || colon[1] > '9' || port > 65535)
		return -1;
	if (host[0] == '[') {
		size_t n = strlen(host);
		if (n < 3 || host[n - 1] != ']')
			return -1;
		host[n - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	*len = sizeof(*sa);
	if (!*host || strcmp(host, "*") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (strcmp(host, "localhost") == 0)
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

int kith_serve_listen_ok(const char *listen)
{
	struct sockaddr_storage ss;
	socklen_t len;

	return parse_listen(listen, &ss, &len) == 0;
}

/* Opens the listening socket itself, so that a port in use is refused
 * with its reason.  SO_REUSEADDR lets a restart bind over connections of
 * the last run in TIME_WAIT; it never lets two servers listen on one
 * port (SO_REUSEPORT would, and the kernel would split the requests
 * between two databases).  -1 after a message. */
static int listen_on(const struct sockaddr_storage *ss, socklen_t len, const char *where)
{
	int one = 1, e, fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0 &&
	    bind(fd, (const struct sockaddr *)ss, len) == 0 && listen(fd, SOMAXCONN) == 0)
		return fd;
	e = errno;
	fprintf(stderr, "kith: cannot listen on %s: %s%s\n", where, strerror(e),
	        e == EADDRINUSE ? " (is another kith serve running there?)" : "");
	if (fd >= 0)
		close(fd);
	return -1;
}

/* The URL of the socket, for people: an address that takes every one
 * is shown as loopback, which is one of them. */
static void url_of(int fd, char *url, size_t n)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "127.0.0.1";
	unsigned port = 0;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
		if (IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr))
			snprintf(host, sizeof(host), "::1");
		else
			inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
		snprintf(url, n, "http://[%s]:%u/", host, port);
		return;
	}
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *sa = (const struct sockaddr_in *)&ss;
		if (sa->sin_addr.s_addr != htonl(INADDR_ANY))
			inet_ntop(AF_INET, &sa->sin_addr, host, sizeof(host));
		port = ntohs(sa->sin_port);
	}
	snprintf(url, n, "http://%s:%u/", host, port);
}

/* Room for the connections and the databases' files. */
static void raise_file_limit(unsigned connections, unsigned threads)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)connections + (rlim_t)threads * 24 + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* The stop's last resort: when the requests still running have not
 * stopped by the deadline (a handler stuck outside SQLite), the process
 * ends without them.  Every answered write was committed with
 * synchronous=FULL, so it is on disk all the same. */
static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cond;
static int stopped;

static void *watchdog(void *arg)
{
	struct timespec until = abs_ms(*(int64_t *)arg);

	pthread_mutex_lock(&stop_lock);
	while (!stopped)
		if (pthread_cond_timedwait(&stop_cond, &stop_lock, &until) == ETIMEDOUT)
			break;
	if (!stopped) {
		fprintf(stderr, "kith: requests still running at the stop deadline:"
		        " stopping without them\n");
		_exit(1);
	}
	pthread_mutex_unlock(&stop_lock);
	return NULL;
}

static int cond_monotonic(pthread_cond_t *c)
{
	pthread_condattr_t a;
	int rc = pthread_condattr_init(&a);

	if (!rc)
		rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	if (!rc)
		rc = pthread_cond_init(c, &a);
	pthread_condattr_destroy(&a);
	return rc;
}

/* Waits for SIGTERM or SIGINT.  SIGHUP reopens the access log file
 * (logrotate moved it); with no file to reopen it is a hang-up, and stops
 * the server as SIGTERM does. */
static void wait_for_stop(const sigset_t *set)
{
	int sig;

	for (;;) {
		if (sigwait(set, &sig) != 0)
			continue;
		if (sig != SIGHUP || !access_log_is_file())
			return;
		access_log_reopen();
	}
}

int http_serve(const struct kith_serve_opts *o, const struct http_app *a)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	struct MHD_Daemon *d;
	sigset_t stop;
	char url[96];
	const char *where = o->listen ? o->listen : "127.0.0.1:7070";
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = o->threads > 0 ? (unsigned)o->threads
	                                  : (unsigned)(ncpu > 2 ? 2 * ncpu : 4);
	unsigned connections = o->connections ? o->connections : 1024u;
	unsigned stop_ms = o->stop_ms ? o->stop_ms : STOP_MS_DEFAULT;
	pthread_t reaper_th, watch_th;
	int64_t t0, hard;
	kith_error err;
	int lfd;
	MHD_socket quiet;

	app = a;
	if (parse_listen(where, &sa, &salen)) {
		fprintf(stderr, "kith: '%s' is not an address to listen on"
		        " (HOST:PORT or [IPV6]:PORT)\n", where);
		return 1;
	}
	if (kith_setup_threads(&err)) {
		fprintf(stderr, "kith: %s\n", err.msg);
		return 1;
	}
	if (worker_setup(o->db_path))
		return 1;
	if ((lfd = listen_on(&sa, salen, where)) < 0) {
		worker_teardown();
		return 1;
	}
	if (access_log_open(o->access_log)) {
		close(lfd);
		worker_teardown();
		return 1;
	}
	url_of(lfd, url, sizeof(url));
	web_root = o->web_root;
	request_ms = o->request_ms ? o->request_ms : REQUEST_MS_DEFAULT;
	import_ms = o->import_ms ? o->import_ms : IMPORT_MS_DEFAULT;
	idle_ms = (o->timeout ? o->timeout : 30u) * 1000u;
	raise_file_limit(connections, threads);
	if (cond_monotonic(&reaper_wake) || cond_monotonic(&stop_cond)) {
		fprintf(stderr, "kith: cannot make thread state\n");
		close(lfd);
		access_log_close();
		worker_teardown();
		return 1;
	}
	/* The stop signals, and SIGHUP, go to sigwait below, never to a pool
	 * thread, which inherit this mask. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO |
	                     (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
	                     0, NULL, NULL, on_request, NULL,
	                     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)lfd,
	                     MHD_OPTION_THREAD_POOL_SIZE, threads,
	                     MHD_OPTION_CONNECTION_LIMIT, connections,
	                     MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	                     o->per_ip < 0 ? 0u : o->per_ip ? (unsigned)o->per_ip
	                                                    : (unsigned)PER_IP_DEFAULT,
	                     MHD_OPTION_CONNECTION_TIMEOUT, idle_ms / 1000u,
	                     MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	                     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kith: cannot serve on %s\n", where);
		if (fcntl(lfd, F_GETFD) != -1)  /* some failures close it */
			close(lfd);
		access_log_close();
		worker_teardown();
		return 1;
	}
	if (pthread_create(&reaper_th, NULL, reaper, NULL)) {
		fprintf(stderr, "kith: cannot start a thread\n");
		MHD_stop_daemon(d);
		access_log_close();
		worker_teardown();
		return 1;
	}
	if (o->ready)
		o->ready(o->ready_ctx, url);
	wait_for_stop(&stop);
	/* Stop accepting.  Requests in flight get half the stop time to finish
	 * and be answered; then what still runs is interrupted at its next
	 * SQLite step (503, its transaction rolled back) and the threads are
	 * joined.  Past the whole stop time the watchdog ends the process. */
	t0 = now_ms();
	hard = t0 + stop_ms;
	if ((quiet = MHD_quiesce_daemon(d)) != MHD_INVALID_SOCKET)
		close(quiet);
	if (pthread_create(&watch_th, NULL, watchdog, &hard))
		hard = 0;
	while (atomic_load(&in_flight) > 0 && now_ms() < t0 + stop_ms / 2) {
		struct timespec nap = {0, 10 * 1000000};
		nanosleep(&nap, NULL);
	}
	worker_stop_all();
	MHD_stop_daemon(d);
	pthread_mutex_lock(&conns_lock);
	reaper_quit = 1;
	pthread_cond_signal(&reaper_wake);
	pthread_mutex_unlock(&conns_lock);
	pthread_join(reaper_th, NULL);
	access_log_close();
	worker_teardown();
	if (hard) {
		pthread_mutex_lock(&stop_lock);
		stopped = 1;
		pthread_cond_signal(&stop_cond);
		pthread_mutex_unlock(&stop_lock);
		pthread_join(watch_th, NULL);
	}
	return 0;
}

