/*
 * Per-thread state of the server.  Each pool thread has one read-write
 * handle (sign-in and every write), one read-only handle that sees what
 * the member of the request it runs sees (kith_db_set_viewer, switched
 * per request at no cost) and, per member it has served, that member's
 * graph.  Every graph maps the same index file (the
 * database's path + ".graph", docs/graph.md): the process maps it once,
 * and a member's graph is that mapping with what they cannot see masked,
 * so memory does not grow with members.  The thread's read-write handle
 * keeps the file current (writes it again when the changes since grow
 * long).  Nothing here is shared between threads but
 * the write epoch, which tells each thread's graphs that strengths moved,
 * the stop flag, and what the database file was when the server started.
 *
 * Each handle also has a progress handler (SQLite calls it every
 * PROGRESS_OPS virtual machine steps) that interrupts the statement when
 * the thread's request should stop (worker.h, req_expired).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

#define STR(x) #x
#define XSTR(x) STR(x)

/* A graph older than this is rebuilt so that decay moves its weights. */
#define GRAPH_MAX_AGE 3600
/* After a write that moves strengths (an interaction), a graph is rebuilt
 * at most this often: its links and people are always current (the
 * database's generation is checked on every query), only the weights that
 * rank introductions may lag by this much, and a busy server does not
 * rebuild on every write. */
#define WEIGHT_MAX_LAG 5
/* SQLite steps between two looks at the request's clock: a clock read
 * costs about as much as a few dozen steps. */
#define PROGRESS_OPS 1000
/* A request looks at its client's socket at most this often. */
#define PEER_LOOK_MS 100
/* The database file's path is looked at at most this often for reads. */
#define MOVED_LOOK_MS 1000

static pthread_key_t key;
static const char *path;
static char index_path[4096];
static atomic_ulong epoch = 1;
static atomic_int stopping;
static dev_t db_dev;
static ino_t db_ino;
static atomic_int moved;
static atomic_llong moved_looked;

static int64_t monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* The request this thread runs, if any (req_clock_start). */
struct req_clock {
	int running;
	int why;                /* enum req_stop, sticky */
	int fd;                 /* the client's socket; -1 when unknown */
	int64_t deadline;       /* monotonic ms */
	int64_t next_look;      /* when to look at the socket again */
};
static _Thread_local struct req_clock clk = {.fd = -1};

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether this thread's request should stop now (enum req_stop). */
static int clock_check(void)
{
	struct req_clock *c = &clk;
	int64_t now;

	if (!c->running || c->why)
		return c->why;
	if (atomic_load_explicit(&stopping, memory_order_relaxed))
		return c->why = REQ_STOPPING;
	now = monotonic_ms();
	if (now >= c->deadline)
		return c->why = REQ_OVER_TIME;
	if (c->fd >= 0 && now >= c->next_look) {
		/* The request is all read: a hang-up means the client has
		 * gone (bytes of a pipelined next request do not). */
		struct pollfd p = {.fd = c->fd, .events = POLLRDHUP};
		c->next_look = now + PEER_LOOK_MS;
		if (poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
			return c->why = REQ_CLIENT_GONE;
	}
	return REQ_RUNNING;
}

static int on_progress(void *ctx)
{
	(void)ctx;
	return clock_check() != REQ_RUNNING;
}

/* Hands a new handle its progress handler. */
static void watch(kith_db *db)
{
	sqlite3_progress_handler(kith_db_sqlite(db), PROGRESS_OPS, on_progress, NULL);
}

void req_clock_start(struct req *r, unsigned ms)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	int64_t now = monotonic_ms();

	clk.running = 1;
	clk.why = REQ_RUNNING;
	clk.fd = ci ? ci->connect_fd : -1;
	clk.deadline = now + ms;
	clk.next_look = now + PEER_LOOK_MS;
}

/* Ends a transaction the handler left open on db (an interrupted read
 * may leave one, and a stale read transaction would pin old data). */
static void settle(kith_db *db)
{
	sqlite3 *h = db ? kith_db_sqlite(db) : NULL;

	/* A statement an interrupted handler left mid-way is reset: it holds
	 * the read open, and the read handle's viewer changes only between
	 * statements. */
	for (sqlite3_stmt *st = h ? sqlite3_next_stmt(h, NULL) : NULL; st;
	     st = sqlite3_next_stmt(h, st))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);

	for (int i = 0; h && i < 64 && !sqlite3_get_autocommit(h); i++)
		kith_db_rollback(db);
	if (h && !sqlite3_get_autocommit(h))
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
}

int req_clock_stop(struct req *r, struct worker *w)
{
	int why = clk.why;

	(void)r;
	clk.running = 0;
	clk.why = REQ_RUNNING;
	clk.fd = -1;
	if (w) {
		settle(w->db);
		settle(w->rdb);
	}
	return why;
}

const char *req_stop_reason(int why, unsigned ms)
{
	static _Thread_local char buf[96];

	switch (why) {
	case REQ_OVER_TIME:
		snprintf(buf, sizeof(buf), "the request ran past its time limit of %g s",
		         ms / 1000.0);
		return buf;
	case REQ_STOPPING:
		return "the server is stopping: try again shortly";
	case REQ_CLIENT_GONE:
		return "the client went away";
	default:
		return "";
	}
}

int req_expired(struct req *r)
{
	(void)r;
	return clock_check();
}

void worker_stop_all(void)
{
	atomic_store(&stopping, 1);
}

int worker_db_moved(int now)
{
	struct stat sb;
	int64_t t = monotonic_ms();
	int gone;

	if (atomic_load(&moved))
		return 1;
	if (!now && t - atomic_load(&moved_looked) < MOVED_LOOK_MS)
		return 0;
	atomic_store(&moved_looked, t);
	gone = stat(path, &sb) != 0;
	if (!gone && sb.st_dev == db_dev && sb.st_ino == db_ino)
		return 0;
	if (!atomic_exchange(&moved, 1))
		fprintf(stderr, "kith: the database file %s was %s while serving: refusing"
		        " every request until kith serve is restarted\n", path,
		        gone ? "removed" : "replaced by another file");
	return 1;
}

/* A graph on db with the scored strengths, on the index file (written
 * only by a handle that may write, and is no member's view). */
static int graph_open(kith_db *db, int write, kith_score_graph_ctx **score,
                      kith_graph **g, kith_error *err)
{
	kith_graph_opts o = {0};

	*g = NULL;
	if (!(*score = kith_score_graph_ctx_new(db, kith_db_now(db))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	kith_score_graph_index_opts(*score, &o);
	o.index_path = index_path[0] ? index_path : NULL;
	o.index_write = write;
	if (kith_graph_open(db, &o, g, err)) {
		kith_score_graph_ctx_free(*score);
		*score = NULL;
		return err->code;
	}
	return KITH_OK;
}

/* Brings the index file up to date through the thread's read-write
 * handle, before a member's graph maps it.  A failure costs speed only:
 * the member's graph builds from the tables. */
static void index_fresh(void)
{
	struct worker *w = pthread_getspecific(key);
	kith_error err;

	if (!w || !index_path[0])
		return;
	if (w->graph && monotonic_seconds() - w->graph_at > GRAPH_MAX_AGE) {
		kith_graph_close(w->graph);
		kith_score_graph_ctx_free(w->score);
		w->graph = NULL;
		w->score = NULL;
	}
	if (!w->graph) {
		if (graph_open(w->db, 1, &w->score, &w->graph, &err))
			return;
		w->graph_at = monotonic_seconds();
	}
	if (kith_graph_refresh(w->graph, &err))
		fprintf(stderr, "kith: graph index: %s\n", err.msg);
}

static void view_close(struct member_view *v)
{
	kith_graph_close(v->graph);
	kith_score_graph_ctx_free(v->score);
	memset(v, 0, sizeof(*v));
}

static void worker_free(void *p)
{
	struct worker *w = p;

	for (size_t i = 0; i < w->nviews; i++)
		view_close(&w->views[i]);
	free(w->views);
	kith_graph_close(w->graph);
	kith_score_graph_ctx_free(w->score);
	kith_db_close(w->rdb);
	kith_db_close(w->db);
	free(w);
}

int worker_setup(const char *db_path)
{
	kith_db *db;
	kith_error err;
	struct stat sb;
	kith_score_graph_ctx *score;
	kith_graph *g;

	if (kith_db_open(db_path, 0, &db, &err)) {
		fprintf(stderr, "kith: %s\n", err.msg);
		return -1;
	}
	if (snprintf(index_path, sizeof(index_path), "%s.graph", db_path) >= (int)sizeof(index_path))
		index_path[0] = '\0';
	/* The index is made (or checked) once before serving: the first
	 * answer then maps it. */
	if (index_path[0] && !graph_open(db, 1, &score, &g, &err)) {
		if (kith_graph_refresh(g, &err))
			fprintf(stderr, "kith: graph index: %s\n", err.msg);
		kith_graph_close(g);
		kith_score_graph_ctx_free(score);
	}
	kith_db_close(db);
	if (stat(db_path, &sb)) {
		fprintf(stderr, "kith: cannot look at %s: %s\n", db_path, strerror(errno));
		return -1;
	}
	db_dev = sb.st_dev;
	db_ino = sb.st_ino;
	path = db_path;
	if (pthread_key_create(&key, worker_free)) {
		fprintf(stderr, "kith: cannot make thread state\n");
		return -1;
	}
	return 0;
}

void worker_teardown(void)
{
	struct worker *w = pthread_getspecific(key);

	if (w) {
		worker_free(w);
		pthread_setspecific(key, NULL);
	}
	pthread_key_delete(key);
}

struct worker *worker_get(kith_error *err)
{
	struct worker *w = pthread_getspecific(key);

	if (w)
		return w;
	if (!(w = calloc(1, sizeof(*w)))) {
		kith_error_set(err, KITH_ENOMEM, "out of memory");
		return NULL;
	}
	if (kith_db_open(path, 0, &w->db, err)) {
		free(w);
		return NULL;
	}
	watch(w->db);
	pthread_setspecific(key, w);
	return w;
}

/*
 * The page cache of a thread's read handle, which serves every member
 * (SQLite's default is 2 MB).  It fills only as pages are read, so a small
 * network never takes it all.  At 100k people a person GET missed about 7
 * pages a request in 2 MB, each a pread; with 32 MB, three interleaved
 * pairs of wrk runs went from 15.2k, 15.3k and 19.2k requests/s to 18.2k,
 * 20.8k and 19.8k (server CPU 79-104 -> 71-83 us a request).  At 1M people
 * the pages a read needs are spread over gigabytes and it made no
 * difference either way.
 */
#define READ_CACHE_KB 32768

/*
 * The read handle also maps the database file (SQLite's memory-mapped
 * I/O, read-only): a page the page cache does not hold is then read from
 * the kernel's own cache without a pread, and once touched it stays in
 * the thread's map for good.  SQLite clamps the size to its build's limit
 * (2 GiB in Debian's); at a million people the person, email and job
 * tables lie in the first 2 GiB of the file.  Measured on the 2-core VM,
 * wrk on GET /people/{random}, four interleaved pairs of 6 s runs at 1M:
 * 21.0k -> 24.6k requests/s on average, server CPU 69 -> 58 us a request;
 * at 100k 23.9k -> 27.5k.  (Before the strength to me stopped reading
 * interaction_person, which lies past 2 GiB, ten pairs had shown +2.5 %
 * +- 7.4 %, and the map was left off.)  The pages count in the server's
 * RSS as file pages it shares with the kernel's cache, not as memory of
 * its own.
 */
#define READ_MMAP_BYTES "1099511627776"

/* The thread's read handle, opened on first use. */
static kith_db *read_handle(struct worker *w, kith_error *err)
{
	if (!w->rdb) {
		if (kith_db_open(path, KITH_OPEN_READONLY, &w->rdb, err))
			return NULL;
		watch(w->rdb);
		sqlite3_exec(kith_db_sqlite(w->rdb), "PRAGMA cache_size = -" XSTR(READ_CACHE_KB)
		             "; PRAGMA mmap_size = " READ_MMAP_BYTES, NULL, NULL, NULL);
	}
	return w->rdb;
}

/*
 * A thread keeps the graphs of the members it served last, at most
 * VIEWS_PER_THREAD: past that the least recently used is closed and
 * opened again when its member comes back (it maps the index file again
 * and masks what they cannot see).  So the server's memory is bounded
 * whatever the number of members, and members who ask often keep theirs.
 */
#define VIEWS_PER_THREAD 16

struct member_view *worker_view(struct worker *w, kith_id member, kith_error *err)
{
	struct member_view *v;
	kith_db *db;
	size_t lru = 0;

	if (!(db = read_handle(w, err)) || kith_db_set_viewer(db, member, err))
		return NULL;
	w->requests++;
	for (size_t i = 0; i < w->nviews; i++) {
		if (w->views[i].member == member) {
			w->views[i].used = w->requests;
			return &w->views[i];
		}
		if (w->views[i].used < w->views[lru].used)
			lru = i;
	}
	if (w->nviews == VIEWS_PER_THREAD) {
		view_close(&w->views[lru]);
		w->views[lru] = w->views[--w->nviews];
	}
	if (w->nviews == w->capviews) {
		size_t cap = w->capviews ? w->capviews * 2 : 4;
		struct member_view *nv = realloc(w->views, cap * sizeof(*nv));
		if (!nv) {
			kith_error_set(err, KITH_ENOMEM, "out of memory");
			return NULL;
		}
		w->views = nv;
		w->capviews = cap;
	}
	v = &w->views[w->nviews];
	memset(v, 0, sizeof(*v));
	v->db = db;
	v->member = member;
	v->used = w->requests;
	w->nviews++;
	return v;
}

void api_bump_epoch(void)
{
	atomic_fetch_add(&epoch, 1);
}


kith_graph *req_graph(struct req *r)
{
	struct member_view *v = r->view;
	unsigned long now_epoch = atomic_load(&epoch);
	int64_t age = monotonic_seconds() - v->built_at;
	kith_error err;

	if (v->graph && ((v->epoch != now_epoch && age >= WEIGHT_MAX_LAG) || age > GRAPH_MAX_AGE)) {
		kith_graph_close(v->graph);
		kith_score_graph_ctx_free(v->score);
		v->graph = NULL;
		v->score = NULL;
	}
	if (!v->graph) {
		index_fresh();
		if (graph_open(v->db, 0, &v->score, &v->graph, &err)) {
			reply_kith(r, &err);
			return NULL;
		}
		v->epoch = now_epoch;
		v->built_at = monotonic_seconds();
	}
	return v->graph;
}
