/*
 * The access log (access_log.h).  Request threads append their line to
 * one buffer under a mutex; the log's own thread swaps it with a second
 * and writes that out, so a request never waits on the disk or on a pipe
 * no one reads (a test harness holding stderr, a stalled journal).  What
 * does not fit while the writer is stuck is dropped and counted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "access_log.h"

#define LOG_BUF (256u << 10)   /* bytes buffered per side */
#define PATH_MAX_LOGGED 1024   /* a longer path and query end in "..." */
#define GATHER_MS 50           /* lines are written at most this late */
#define CLOSE_WAIT_MS 250     /* at a stop, for a log that takes nothing */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake, idle;
	pthread_t thread;
	int on, quit, writing;
	char *path;                /* the file, or NULL for stderr */
	int fd;
	char *buf, *out;           /* filling, being written */
	size_t len;
	unsigned long dropped;
} lg = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
        .fd = -1};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;  /* a log that cannot be written loses the line, not the server */
		p += w;
		n -= (size_t)w;
	}
}

static void *writer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lg.lock);
	for (;;) {
		char *p, note[96];
		size_t n;
		unsigned long dropped;
		while (!lg.len && !lg.dropped && !lg.quit)
			pthread_cond_wait(&lg.wake, &lg.lock);
		if (!lg.len && !lg.dropped)
			break;  /* quit, and all written */
		/* One write for the lines of GATHER_MS, not a wake-up and a
		 * write per request (which cost /health about 40% of its
		 * requests a second). */
		if (!lg.quit && lg.len < LOG_BUF / 2) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += GATHER_MS * 1000000L;
			until.tv_sec += until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&lg.wake, &lg.lock, &until);
		}
		p = lg.buf;
		n = lg.len;
		dropped = lg.dropped;
		lg.buf = lg.out;
		lg.out = p;
		lg.len = 0;
		lg.dropped = 0;
		lg.writing = 1;
		pthread_mutex_unlock(&lg.lock);
		write_all(lg.fd, p, n);
		if (dropped) {
			int k = snprintf(note, sizeof(note), "kith: %lu access log lines dropped:"
			                 " the log was not taking them\n", dropped);
			write_all(lg.fd, note, (size_t)k);
		}
		pthread_mutex_lock(&lg.lock);
		lg.writing = 0;
		pthread_cond_broadcast(&lg.idle);
	}
	pthread_mutex_unlock(&lg.lock);
	return NULL;
}

static int open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);

	if (fd < 0)
		fprintf(stderr, "kith: cannot open the access log %s: %s\n", path, strerror(errno));
	return fd;
}

int access_log_open(const char *where)
{
	sigset_t all, was;
	int rc;

	if (where && strcmp(where, "off") == 0)
		return 0;
	if (where && strcmp(where, "-") != 0) {
		if ((lg.fd = open_file(where)) < 0)
			return -1;
		if (!(lg.path = strdup(where)))
			goto fail;
	} else if ((lg.fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3)) < 0) {
		fprintf(stderr, "kith: cannot log to stderr: %s\n", strerror(errno));
		return -1;
	}
	lg.buf = malloc(LOG_BUF);
	lg.out = malloc(LOG_BUF);
	if (!lg.buf || !lg.out)
		goto fail;
	/* No signal for the writer: SIGTERM and SIGHUP are the main thread's
	 * (http_serve's sigwait), and a thread that took one would die of it. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &was);
	rc = pthread_create(&lg.thread, NULL, writer, NULL);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	if (rc)
		goto fail;
	lg.on = 1;
	return 0;
fail:
	fprintf(stderr, "kith: cannot start the access log\n");
	free(lg.buf);
	free(lg.out);
	free(lg.path);
	close(lg.fd);
	lg.buf = lg.out = lg.path = NULL;
	lg.fd = -1;
	return -1;
}

int access_log_is_file(void)
{
	return lg.on && lg.path;
}

int access_log_reopen(void)
{
	int fd, old;

	if (!access_log_is_file())
		return 0;
	if ((fd = open_file(lg.path)) < 0)
		return -1;
	/* The writer uses lg.fd outside the lock: wait until it is between
	 * two writes, then swap. */
	pthread_mutex_lock(&lg.lock);
	while (lg.writing)
		pthread_cond_wait(&lg.idle, &lg.lock);
	old = lg.fd;
	lg.fd = fd;
	pthread_mutex_unlock(&lg.lock);
	close(old);
	return 0;
}

/* Whether a query parameter's value is a secret, by its name. */
static int secret_name(const char *k)
{
	static const char *const words[] = {"token", "pass", "pwd", "secret", "key", "auth",
	                                    "sig", "session", "cookie", "credential"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(k, words[i]))
			return 1;
	return 0;
}

struct line {
	char *p;
	size_t n, cap;  /* cap: PATH_MAX_LOGGED on; "..." and a NUL fit beyond */
	int cut;
	int args;       /* query parameters put */
};

/* Appends s[0..n) with every byte that is not printable ASCII, a space,
 * '%', '"' or one of also written %XX. */
static void put(struct line *l, const char *s, size_t n, const char *also)
{
	for (size_t i = 0; i < n && !l->cut; i++) {
		unsigned char c = (unsigned char)s[i];
		if (l->n + 3 > l->cap) {
			memcpy(l->p + l->n, "...", 3);
			l->n += 3;
			l->cut = 1;
		} else if (c <= 0x20 || c >= 0x7f || c == '%' || c == '"' || strchr(also, c)) {
			l->n += (size_t)sprintf(l->p + l->n, "%%%02X", c);
		} else {
			l->p[l->n++] = (char)c;
		}
	}
	l->p[l->n] = '\0';
}

/* A query parameter (MHD_KeyValueIterator): its name and value as they
 * came, escaped again, the value REDACTED when the name looks secret. */
static enum MHD_Result put_arg(void *cls, enum MHD_ValueKind kind, const char *k,
                               const char *v)
{
	struct line *l = cls;

	(void)kind;
	put(l, l->args++ ? "&" : "?", 1, "");
	put(l, k, strlen(k), "&=?#+");
	if (v) {
		put(l, "=", 1, "");
		if (secret_name(k))
			put(l, "REDACTED", 8, "");
		else
			put(l, v, strlen(v), "&=?#+");
	}
	return MHD_YES;
}

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void access_log_begin(struct req *r)
{
	const union MHD_ConnectionInfo *ci;
	char addr[INET6_ADDRSTRLEN] = "-";
	struct line l = {0};
	size_t n;

	r->t0 = mono_us();
	if (!lg.on)
		return;
	ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			          addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			          addr, sizeof(addr));
	}
	/* The address and a blank, the method (20 bytes, 60 escaped) and a
	 * blank, the path within PATH_MAX_LOGGED, "..." and a NUL. */
	n = strlen(addr) + 2;
	if (!(l.p = malloc(n + 64 + PATH_MAX_LOGGED + 8)))
		return;
	l.n = (size_t)snprintf(l.p, n, "%s ", addr);
	l.cap = l.n + 60;
	put(&l, r->method, strlen(r->method) > 20 ? 20 : strlen(r->method), "");
	l.p[l.n++] = ' ';
	l.cap = l.n + PATH_MAX_LOGGED;
	put(&l, r->url, strlen(r->url), "?#");
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, put_arg, &l);
	r->logged = l.p;
}

void access_log_end(struct req *r)
{
	char line[PATH_MAX_LOGGED + 512], when[32], status[8], member[24];
	struct timespec now;
	struct tm tm;
	int64_t took;
	size_t n;
	int k;

	if (!lg.on || !r->logged)
		return;
	took = (mono_us() - r->t0) / 100;  /* tenths of a ms */
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(status, sizeof(status), r->resp ? "%u" : "-", r->status);
	snprintf(member, sizeof(member), r->member ? "%lld" : "-", (long long)r->member);
	k = snprintf(line, sizeof(line), "%s.%03ldZ %s %s %zu %lld.%lld %s\n", when,
	             now.tv_nsec / 1000000, r->logged, status,
	             strcmp(r->method, "HEAD") == 0 ? (size_t)0 : r->bytes,
	             (long long)(took / 10), (long long)(took % 10), member);
	n = k < 0 ? 0 : (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1;
	pthread_mutex_lock(&lg.lock);
	/* The writer is woken by the first line of a batch, or when half the
	 * buffer is used: not by every line. */
	if (lg.len + n <= LOG_BUF) {
		memcpy(lg.buf + lg.len, line, n);
		if (lg.len == 0 || (lg.len < LOG_BUF / 2 && lg.len + n >= LOG_BUF / 2))
			pthread_cond_signal(&lg.wake);
		lg.len += n;
	} else {
		lg.dropped++;
	}
	pthread_mutex_unlock(&lg.lock);
}

void access_log_close(void)
{
	struct timespec until;
	int done = 1;

	if (!lg.on)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += CLOSE_WAIT_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&lg.lock);
	lg.quit = 1;
	pthread_cond_signal(&lg.wake);
	while ((lg.len || lg.dropped || lg.writing) && done)
		done = pthread_cond_timedwait(&lg.idle, &lg.lock, &until) == 0;
	lg.on = 0;
	pthread_mutex_unlock(&lg.lock);
	/* A writer stuck on a pipe no one reads is left to the process's exit. */
	if (!done)
		return;
	pthread_join(lg.thread, NULL);
	close(lg.fd);
	free(lg.buf);
	free(lg.out);
	free(lg.path);
	lg.fd = -1;
	lg.buf = lg.out = lg.path = NULL;
}
