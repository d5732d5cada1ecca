/*
 * The network engine's index: building CSR snapshots of the people and
 * links, keeping them fresh against the database's generation, and the
 * scratch space queries share.  The queries live in graph_path.c,
 * graph_intro.c and graph_near.c.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph_impl.h"

/* Ids are looked up through a direct table when they are dense enough
 * that the table costs at most a few words per person. */
#define DIRECT_SLACK 4

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#define snap_free kith__graph_snap_free

static void work_free(struct kith__gwork *w)
{
	kith__unmap(w->arena, w->arena_len);
	free(w->rec);
	memset(w, 0, sizeof(*w));
}

/* Sizes the scratch arrays for n nodes and sets their between-query
 * invariants (see struct kith__gwork). */
static int work_init(struct kith__gwork *w, uint32_t n)
{
	size_t k = n ? n : 1, slot = (k * sizeof(uint32_t) + 63) / 64 * 64;
	unsigned char *p;

	if (w->arena && w->n >= n)
		return KITH_OK;
	work_free(w);
	/* nine arrays of one 32-bit word a person, then the label bits */
	if (!(p = kith__map_zero(9 * slot + (k + 63) / 64 * sizeof(uint64_t), &w->arena_len)))
		return KITH_ENOMEM;
	w->arena = p;
	w->dista = (int32_t *)p;
	w->distb = (int32_t *)(p + slot);
	w->qa = (uint32_t *)(p + 2 * slot);
	w->qb = (uint32_t *)(p + 3 * slot);
	w->pa = (uint32_t *)(p + 4 * slot);
	w->pb = (uint32_t *)(p + 5 * slot);
	w->costx = (uint32_t *)(p + 6 * slot);
	w->recof = (int32_t *)(p + 7 * slot);
	w->mark = (uint32_t *)(p + 8 * slot);
	w->lab = (uint64_t *)(p + 9 * slot);
	w->n = n;
	return KITH_OK;
}

/* The scratch arrays are the thread's, not the handle's: a server thread
 * with a graph per member keeps one set, sized for the largest. */
static pthread_key_t work_key;
static pthread_once_t work_once = PTHREAD_ONCE_INIT;
static int work_key_ok;

static void work_destroy(void *p)
{
	work_free(p);
	free(p);
}

static void work_key_make(void)
{
	work_key_ok = pthread_key_create(&work_key, work_destroy) == 0;
}

static struct kith__gwork *thread_work(uint32_t n)
{
	struct kith__gwork *w;

	pthread_once(&work_once, work_key_make);
	if (!work_key_ok)
		return NULL;
	if (!(w = pthread_getspecific(work_key))) {
		if (!(w = calloc(1, sizeof(*w))))
			return NULL;
		if (pthread_setspecific(work_key, w)) {
			free(w);
			return NULL;
		}
	}
	return work_init(w, n) ? NULL : w;
}

uint32_t kith__graph_stamp(struct kith__gwork *w)
{
	if (++w->stamp == 0) {
		memset(w->mark, 0, (w->n ? w->n : 1) * sizeof(*w->mark));
		w->stamp = 1;
	}
	return w->stamp;
}

float kith__graph_edge_cost(const struct kith__gsnap *s, uint32_t u, uint32_t v)
{
	const uint32_t *adj;
	const float *cost;
	uint32_t lo = 0, hi, len;

	kith__graph_row(s, u, &adj, &cost, &len);
	hi = len;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (adj[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < len && adj[lo] == v ? cost[lo] : -1.0f;
}

int kith__graph_path_fill(const struct kith__gsnap *s, const uint32_t *nodes,
                          size_t len, kith_path *out, kith_error *err)
{
	double c = 0;

	memset(out, 0, sizeof(*out));
	out->ids = malloc((len ? len : 1) * sizeof(*out->ids));
	if (!out->ids)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		out->ids[i] = s->ids[nodes[i]];
		if (i)
			c += kith__graph_edge_cost(s, nodes[i - 1], nodes[i]);
	}
	out->len = len;
	out->strength = exp(-c);
	return KITH_OK;
}

size_t kith__graph_bfs(const struct kith__gsnap *s, struct kith__gwork *w,
                       uint32_t a, int max)
{
	size_t head = 0, tail = 0;

	gw_set_int(w->dista, a, 0);
	w->qa[tail++] = a;
	while (head < tail) {
		uint32_t u = w->qa[head++];
		int32_t du = gw_int(w->dista, u);
		const uint32_t *adj;
		const float *cost;
		uint32_t len;
		if (max >= 0 && du >= max)
			continue;
		kith__graph_row(s, u, &adj, &cost, &len);
		for (uint32_t e = 0; e < len; e++) {
			uint32_t v = adj[e];
			if (gw_int(w->dista, v) < 0) {
				gw_set_int(w->dista, v, du + 1);
				w->qa[tail++] = v;
			}
		}
	}
	return tail;
}

void kith__graph_bfs_reset(struct kith__gwork *w, size_t count)
{
	for (size_t i = 0; i < count; i++)
		gw_set_int(w->dista, w->qa[i], -1);
}

void kith_path_clear(kith_path *p)
{
	if (!p)
		return;
	free(p->ids);
	memset(p, 0, sizeof(*p));
}

void kith_path_list_free(kith_path *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		kith_path_clear(&v[i]);
	free(v);
}

int kith_graph_open(kith_db *db, const kith_graph_opts *o, kith_graph **out,
                    kith_error *err)
{
	kith_graph *g;
	int rc;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	g->db = db;
	if (o)
		g->opts = *o;
	if (!(g->opts.default_strength > 0))
		g->opts.default_strength = KITH_GRAPH_DEFAULT_STRENGTH;
	rc = kith__prepare(db, "SELECT generation, token FROM graph_state WHERE id = 1",
	                   &g->gen_st, err);
	if (!rc && g->opts.index_path) {
		rc = kith__prepare(db, "SELECT seq, tok FROM graph_change ORDER BY seq DESC"
		                   " LIMIT 1", &g->log_st, err);
		if (!rc && !(g->index_path = strdup(g->opts.index_path)))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		g->opts.index_path = g->index_path;
	}
	if (rc) {
		sqlite3_finalize(g->gen_st);
		sqlite3_finalize(g->log_st);
		free(g);
		return rc;
	}
	*out = g;
	return KITH_OK;
}

void kith_graph_close(kith_graph *g)
{
	if (!g)
		return;
	sqlite3_finalize(g->gen_st);
	sqlite3_finalize(g->log_st);
	free(g->index_path);
	snap_free(g->snap);
	free(g);
}

void kith_graph_invalidate(kith_graph *g)
{
	g->stale = 1;
}

/* The state a snapshot is current for: the generation and its token,
 * and for a handle on the index file the change log's last row, which
 * also moves with interactions (strengths). */
struct state {
	int64_t gen, token, seq, seqtok;
};

/* Reads the change log's last row. */
static int read_log_end(kith_graph *g, int64_t *seq, int64_t *tok, kith_error *err)
{
	int rc;

	*seq = *tok = 0;
	if (!g->log_st)
		return KITH_OK;
	rc = sqlite3_step(g->log_st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(g->log_st, 0);
		*tok = sqlite3_column_int64(g->log_st, 1);
		rc = KITH_OK;
	} else {
		rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(g->db, rc, "read graph changes", err);
	}
	sqlite3_reset(g->log_st);
	return rc;
}

/* Reads the generation and its token.  The statement is reset at once so
 * that it never holds a read transaction open between queries. */
static int read_generation(kith_graph *g, int64_t *gen, int64_t *token,
                           kith_error *err)
{
	int rc = sqlite3_step(g->gen_st);

	if (rc == SQLITE_ROW) {
		*gen = sqlite3_column_int64(g->gen_st, 0);
		*token = sqlite3_column_int64(g->gen_st, 1);
		rc = KITH_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kith_error_set(err, KITH_ECORRUPT, "graph generation row is missing");
	} else {
		rc = kith__sqlerr(g->db, rc, "read graph generation", err);
	}
	sqlite3_reset(g->gen_st);
	return rc;
}

int kith_graph_generation(kith_db *db, int64_t *out, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT generation FROM graph_state WHERE id = 1",
	                       &st, err);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = KITH_OK;
	} else {
		rc = rc == SQLITE_DONE
			? kith_error_set(err, KITH_ECORRUPT, "graph generation row is missing")
			: kith__sqlerr(db, rc, "read graph generation", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int64_t count_rows(kith_db *db, const char *sql, int *rc, kith_error *err)
{
	int64_t n = 0;

	*rc = kith__query_int64(db, sql, 0, &n, "build graph", err);
	return n;
}

static int load_people(kith_db *db, struct kith__gsnap *s, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	int64_t cnt;
	size_t i = 0;
	int rc;

	/* plan: scan -- the graph snapshot counts the whole network */
	cnt = count_rows(db, "SELECT count(*) FROM person", &rc, err);
	if (rc)
		return rc;
	if (cnt >= (int64_t)UINT32_MAX)
		return kith_error_set(err, KITH_EINVAL, "too many people for the graph index");
	s->ids = s->own_ids = malloc((size_t)(cnt ? cnt : 1) * sizeof(*s->ids));
	if (!s->ids)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	/* plan: scan -- the graph snapshot loads every person */
	rc = kith__prepare(db, "SELECT id FROM person ORDER BY id", &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < (size_t)cnt)
		s->own_ids[i++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return kith__sqlerr(db, rc, "build graph", err);
	s->n = s->nbase = (uint32_t)i;
	if (s->n && (uint64_t)(s->ids[s->n - 1] - s->ids[0]) <
	            (uint64_t)s->n * DIRECT_SLACK + 1024) {
		s->base = s->ids[0];
		s->ndirect = (size_t)(s->ids[s->n - 1] - s->base) + 1;
		s->direct = s->own_direct = calloc(s->ndirect, sizeof(*s->direct));
		if (!s->direct)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		for (uint32_t k = 0; k < s->n; k++)
			s->own_direct[s->ids[k] - s->base] = k + 1;
	}
	return KITH_OK;
}

struct edge {
	uint32_t u, v;
	float cost;
};

#define strength_cost kith__graph_strength_cost

/* The provider a build weighs links with: for a handle on the index file
 * the strengths every view shares (its own are patched on after). */
static kith_strength_fn build_fn(const kith_graph *g)
{
	if (g->opts.index_path && g->opts.strength_shared)
		return g->opts.strength_shared;
	return g->opts.strength;
}

/* Edge costs from the strength provider, called link by link in order of
 * the smaller end: the provider's lookups (the pair cache, keyed by the
 * smaller id) then walk its B-tree in order instead of jumping about it,
 * which at a million people and 18 million links was a page read per link
 * and most of the build.  trust[i] is edge i's trust, NaN when unset.  A
 * counting sort on the smaller end: one pass, no comparisons. */
static int score_links(kith_graph *g, struct kith__gsnap *s, struct edge *e,
                       const double *trust, size_t n, kith_error *err)
{
	size_t *start = calloc((size_t)s->n + 1, sizeof(*start));
	uint32_t *order = malloc((n ? n : 1) * sizeof(*order));

	if (!start || !order) {
		free(start);
		free(order);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		start[(e[i].u < e[i].v ? e[i].u : e[i].v) + 1]++;
	for (uint32_t k = 0; k < s->n; k++)
		start[k + 1] += start[k];
	for (size_t i = 0; i < n; i++)
		order[start[e[i].u < e[i].v ? e[i].u : e[i].v]++] = (uint32_t)i;
	for (size_t j = 0; j < n; j++) {
		struct edge *x = &e[order[j]];
		kith_link l = {0};
		l.a = s->ids[x->u];
		l.b = s->ids[x->v];
		l.has_trust = !isnan(trust[order[j]]);
		l.trust = l.has_trust ? trust[order[j]] : 0;
		x->cost = strength_cost(build_fn(g)(g->opts.strength_ctx, &l));
	}
	free(start);
	free(order);
	return KITH_OK;
}

/* The strength of the link in st's current row (a, b, trust, id, kind,
 * since) from the provider, given all the fields it may read. */
static double row_strength(kith_graph *g, sqlite3_stmt *st)
{
	kith_link l = {0};

	l.a = sqlite3_column_int64(st, 0);
	l.b = sqlite3_column_int64(st, 1);
	l.has_trust = sqlite3_column_type(st, 2) != SQLITE_NULL;
	l.trust = sqlite3_column_double(st, 2);
	l.id = sqlite3_column_int64(st, 3);
	l.kind = (char *)sqlite3_column_text(st, 4);
	l.since = (char *)sqlite3_column_text(st, 5);
	return build_fn(g)(g->opts.strength_ctx, &l);
}

/* Reads every link into an edge list (*out, caller frees).  A provider
 * that reads only pairs is called afterwards (score_links); any other as
 * each row is read. */
static int load_links(kith_graph *g, struct kith__gsnap *s, struct edge **out,
                      size_t *nout, kith_error *err)
{
	const int cb = g->opts.strength != NULL && g->opts.strength_pairs_only;
	const int rowcb = g->opts.strength != NULL && !cb;
	sqlite3_stmt *st = NULL;
	struct edge *e;
	double *trust = NULL;
	size_t n = 0;
	int64_t cnt;
	int rc;

	*out = NULL;
	*nout = 0;
	/* plan: scan -- the graph snapshot counts every link */
	cnt = count_rows(g->db, "SELECT count(*) FROM link", &rc, err);
	if (rc)
		return rc;
	if ((uint64_t)cnt >= UINT32_MAX)
		return kith_error_set(err, KITH_EINVAL, "too many links for the graph index");
	e = malloc((size_t)(cnt ? cnt : 1) * sizeof(*e));
	if (e && cb)
		trust = malloc((size_t)(cnt ? cnt : 1) * sizeof(*trust));
	if (!e || (cb && !trust)) {
		free(e);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	/* plan: scan -- the graph snapshot loads every link */
	rc = kith__prepare(g->db, rowcb ? "SELECT a, b, trust, id, kind, since FROM link"
	                                : "SELECT a, b, trust FROM link", &st, err);
	if (rc)
		goto cleanup;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)cnt) {
		int has_trust = sqlite3_column_type(st, 2) != SQLITE_NULL;
		double t = sqlite3_column_double(st, 2);
		uint32_t u = kith__graph_index(s, sqlite3_column_int64(st, 0));
		uint32_t v = kith__graph_index(s, sqlite3_column_int64(st, 1));
		/* Foreign keys make a dangling end impossible through kith; a
		 * file edited with them off must not crash us, so skip it. */
		if (u == KITH__NONE || v == KITH__NONE || u == v)
			continue;
		if (cb)
			trust[n] = has_trust ? t : NAN;
		e[n].u = u;
		e[n].v = v;
		e[n++].cost = strength_cost(rowcb ? row_strength(g, st)
		                            : has_trust ? t : g->opts.default_strength);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = kith__sqlerr(g->db, rc, "build graph", err);
		goto cleanup;
	}
	rc = cb ? score_links(g, s, e, trust, n, err) : KITH_OK;
cleanup:
	free(trust);
	if (rc) {
		free(e);
		return rc;
	}
	s->links = cnt;
	*out = e;
	*nout = n;
	return KITH_OK;
}

/*
 * Turns the edge list into sorted, de-duplicated CSR rows.  Edges are
 * first scattered into rows in arbitrary order, then the whole structure
 * is transposed: walking rows in index order and appending u to row v
 * leaves every row sorted, with no comparison sort.  Since the graph is
 * symmetric the transpose is the same graph.  Parallel kinds of one pair
 * end up adjacent and are merged keeping the cheapest (strongest).
 */
static int build_csr(struct kith__gsnap *s, struct edge *e, size_t ne,
                     kith_error *err)
{
	uint32_t n = s->n;
	uint64_t *pos = NULL, *off1 = NULL;
	uint32_t *adj1 = NULL;
	float *cost1 = NULL;
	uint64_t *off;
	uint32_t *adj;
	float *cost;
	uint64_t m2 = (uint64_t)ne * 2, w;
	int rc = KITH_OK;

	off = s->own_off = calloc((size_t)n + 1, sizeof(*off));
	pos = malloc(((size_t)n + 1) * sizeof(*pos));
	off1 = calloc((size_t)n + 1, sizeof(*off1));
	adj1 = malloc((size_t)(m2 ? m2 : 1) * sizeof(*adj1));
	cost1 = malloc((size_t)(m2 ? m2 : 1) * sizeof(*cost1));
	adj = s->own_adj = malloc((size_t)(m2 ? m2 : 1) * sizeof(*adj));
	cost = s->own_cost = malloc((size_t)(m2 ? m2 : 1) * sizeof(*cost));
	if (!off || !pos || !off1 || !adj1 || !cost1 || !adj || !cost) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory building the graph");
		goto cleanup;
	}
	for (size_t i = 0; i < ne; i++) {
		off1[e[i].u + 1]++;
		off1[e[i].v + 1]++;
	}
	for (uint32_t i = 0; i < n; i++)
		off1[i + 1] += off1[i];
	memcpy(pos, off1, ((size_t)n + 1) * sizeof(*pos));
	for (size_t i = 0; i < ne; i++) {
		adj1[pos[e[i].u]] = e[i].v;
		cost1[pos[e[i].u]++] = e[i].cost;
		adj1[pos[e[i].v]] = e[i].u;
		cost1[pos[e[i].v]++] = e[i].cost;
	}
	/* Transpose: rows have the same lengths, so off1 is also the new
	 * row layout. */
	memcpy(pos, off1, ((size_t)n + 1) * sizeof(*pos));
	for (uint32_t u = 0; u < n; u++)
		for (uint64_t k = off1[u]; k < off1[u + 1]; k++) {
			uint32_t v = adj1[k];
			adj[pos[v]] = u;
			cost[pos[v]++] = cost1[k];
		}
	/* Merge parallel entries in place, row by row. */
	w = 0;
	for (uint32_t u = 0; u < n; u++) {
		uint64_t start = w;
		off[u] = start;
		for (uint64_t k = off1[u]; k < off1[u + 1]; k++) {
			if (w > start && adj[w - 1] == adj[k]) {
				if (cost[k] < cost[w - 1])
					cost[w - 1] = cost[k];
				continue;
			}
			adj[w] = adj[k];
			cost[w++] = cost[k];
		}
	}
	off[n] = w;
	s->m2 = w;
	/* Give back what merging freed; a failed shrink keeps the block. */
	if (w < m2 && w > 0) {
		uint32_t *a2 = realloc(adj, w * sizeof(*a2));
		float *c2 = realloc(cost, w * sizeof(*c2));
		if (a2)
			adj = s->own_adj = a2;
		if (c2)
			cost = s->own_cost = c2;
	}
	s->off = off;
	s->adj = adj;
	s->cost = cost;
cleanup:
	free(pos);
	free(off1);
	free(adj1);
	free(cost1);
	return rc;
}

/* What an index file must match for this handle. */
static int identity(kith_graph *g, struct kith__gidentity *id, kith_error *err)
{
	int64_t dbid = 0;
	int rc = kith__query_int64(g->db, "SELECT CAST(value AS INTEGER) FROM config"
	                           " WHERE key = 'graph_db_id'", 0,
	                           &dbid, "read graph state", err);

	id->db_id = (uint64_t)dbid;
	id->skey = g->opts.strength_key * 1000003u +
	           (uint64_t)(g->opts.default_strength * 1e6) * 2 + (g->opts.strength != NULL);
	id->now = g->opts.strength_now ? g->opts.strength_now : kith_db_now(g->db);
	return rc;
}

/* The index file mapped and brought up to date by the change log, or
 * *out = NULL when it cannot be used (missing, damaged, foreign, old, or
 * the log does not apply): the caller builds. */
static int from_index(kith_graph *g, const struct kith__gidentity *id, int64_t seq,
                      struct kith__gsnap **out, kith_error *err)
{
	struct kith__gsnap *s;
	kith_error ferr;
	int ok, rc;

	*out = NULL;
	rc = kith__graph_file_map(g->index_path, id, &s, &ferr);
	if (rc == KITH_ENOMEM)
		return kith_error_set(err, rc, "%s", ferr.msg);
	if (rc)
		return KITH_OK;
	/* A file written after this transaction began holds changes it
	 * cannot see: build what it sees instead. */
	if (s->seq > seq) {
		snap_free(s);
		return KITH_OK;
	}
	if ((rc = kith__graph_overlay(g, s, &ok, err)) || !ok) {
		snap_free(s);
		return rc;
	}
	*out = s;
	return KITH_OK;
}

/* Loads a snapshot from the tables (inside build's read transaction). */
static int load(kith_graph *g, struct kith__gsnap **out, kith_error *err)
{
	struct kith__gsnap *s = calloc(1, sizeof(*s));
	struct edge *e = NULL;
	size_t ne = 0;
	int rc;

	*out = NULL;
	if (!s)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = load_people(g->db, s, err);
	if (!rc)
		rc = load_links(g, s, &e, &ne, err);
	if (!rc)
		rc = build_csr(s, e, ne, err);
	free(e);
	if (rc) {
		snap_free(s);
		return rc;
	}
	s->bytes = sizeof(*s) + (size_t)s->n * sizeof(*s->ids) +
	           ((size_t)s->n + 1) * sizeof(*s->off) +
	           (size_t)s->m2 * (sizeof(*s->adj) + sizeof(*s->cost)) +
	           s->ndirect * sizeof(*s->direct);
	*out = s;
	return KITH_OK;
}

/* After the file was written at log row seq, the rows before it name
 * changes no reader needs (a reader's file is this one or newer; an older
 * one finds its row gone and builds).  Best effort, and never waiting: a
 * busy database keeps its rows until the next time. */
static void prune_log(kith_graph *g, int64_t seq)
{
	sqlite3 *h = kith_db_sqlite(g->db);
	int ms = g->db->busy_ms;
	sqlite3_stmt *st;

	if (g->db->readonly || sqlite3_prepare_v2(h, "DELETE FROM graph_change WHERE seq < ?1",
	                                          -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_busy_timeout(h, 0);
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_step(st);
	sqlite3_finalize(st);
	kith_db_set_busy_timeout(g->db, ms);
}

/*
 * Makes a snapshot inside one read transaction, so the generation it
 * records is exactly the state of the rows it read.  A savepoint is used
 * because it nests inside a caller's open transaction and outside one
 * starts a deferred (read) transaction that takes no write lock.
 *
 * A handle on the index file maps it and applies the changes since; when
 * it cannot (or the changes grew past KITH__GRAPH_REWRITE_AFTER and it
 * may write) it builds from the tables and, if it may, writes the file
 * again.  Only a
 * state read outside any transaction of the caller's is written: one
 * inside it could still be rolled back.
 */
static int build(kith_graph *g, kith_error *err)
{
	struct kith__gsnap *s = NULL;
	struct kith__gidentity id;
	struct state st;
	double t0 = now_ms();
	int outside = sqlite3_get_autocommit(kith_db_sqlite(g->db));
	int rc, in_sp = 0, how = KITH__GI_BUILT;
	/* A member's handle (kith_db_set_viewer) sees the file masked. */
	int viewer = g->db->viewer != 0;

	rc = kith__exec(g->db, "SAVEPOINT kith_graph_build", "build graph", err);
	if (rc)
		return rc;
	in_sp = 1;
	rc = read_generation(g, &st.gen, &st.token, err);
	if (!rc)
		rc = read_log_end(g, &st.seq, &st.seqtok, err);
	if (!rc && g->index_path && !(rc = identity(g, &id, err)))
		rc = from_index(g, &id, st.seq, &s, err);
	/* A member's view is the file with what they cannot see masked. */
	if (!rc && s && viewer && (rc = kith__graph_mask(g, s, err))) {
		snap_free(s);
		s = NULL;
	}
	if (!rc && s) {
		how = s->overlay_changes ? KITH__GI_OVERLAY : KITH__GI_MAPPED;
		if (g->opts.index_write && outside && !viewer &&
		    s->overlay_changes > KITH__GRAPH_REWRITE_AFTER) {
			snap_free(s);
			s = NULL;
		}
	}
	if (!rc && !s) {
		how = KITH__GI_BUILT;
		rc = load(g, &s, err);
		if (!rc) {
			s->generation = st.gen;
			s->token = st.token;
			s->seq = st.seq;
			s->seqtok = st.seqtok;
			s->scored_at = g->index_path ? id.now : 0;
		}
		/* A file that cannot be written costs speed, not the answer. */
		if (!rc && g->index_path && g->opts.index_write && outside && !viewer &&
		    kith__graph_file_write(g->index_path, s, &id, NULL) == KITH_OK)
			how = KITH__GI_WRITTEN;
	}
	if (!rc)
		rc = kith__graph_private(g, s, err);
	if (rc)
		goto cleanup;
	s->generation = st.gen;
	s->token = st.token;
	s->seq = st.seq;
	s->seqtok = st.seqtok;
	rc = kith__exec(g->db, "RELEASE kith_graph_build", "build graph", err);
	if (rc)
		goto cleanup;
	in_sp = 0;
	if (how == KITH__GI_WRITTEN)
		prune_log(g, st.seq);
	snap_free(g->snap);
	g->snap = s;
	s = NULL;
	g->stale = 0;
	g->builds++;
	g->index_state = how;
	g->build_ms = now_ms() - t0;
cleanup:
	if (in_sp)
		sqlite3_exec(kith_db_sqlite(g->db),
		             "ROLLBACK TO kith_graph_build; RELEASE kith_graph_build",
		             NULL, NULL, NULL);
	snap_free(s);
	return rc;
}

int kith__graph_ready(kith_graph *g, kith_error *err)
{
	int64_t gen, token, seq, seqtok;
	int rc;

	if (g->snap && !g->stale) {
		rc = read_generation(g, &gen, &token, err);
		if (!rc)
			rc = read_log_end(g, &seq, &seqtok, err);
		if (rc)
			return rc;
		if (gen == g->snap->generation && token == g->snap->token &&
		    seq == g->snap->seq && seqtok == g->snap->seqtok) {
			if (!(g->w = thread_work(g->snap->n)))
				return kith_error_set(err, KITH_ENOMEM, "out of memory");
			return KITH_OK;
		}
	}
	if ((rc = build(g, err)))
		return rc;
	if (!(g->w = thread_work(g->snap->n)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return KITH_OK;
}

int kith_graph_refresh(kith_graph *g, kith_error *err)
{
	return kith__graph_ready(g, err);
}

int kith__graph_node(kith_graph *g, kith_id id, uint32_t *ia, kith_error *err)
{
	*ia = kith__graph_index(g->snap, id);
	if (*ia == KITH__NONE)
		return kith_error_set(err, KITH_ENOTFOUND, "no person #%lld", (long long)id);
	return KITH_OK;
}

int kith_graph_info_get(kith_graph *g, kith_graph_info *out, kith_error *err)
{
	int rc = kith__graph_ready(g, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	out->people = g->snap->n - g->snap->nhidden;
	out->edges = (int64_t)g->snap->m2;
	/* Patched rows replace their base rows: count the difference. */
	for (size_t i = 0; i < g->snap->nrows; i++) {
		uint32_t u = g->snap->rows[i].node;
		out->edges += (int64_t)g->snap->rows[i].len -
		              (u < g->snap->nbase ? (int64_t)(g->snap->off[u + 1] - g->snap->off[u]) : 0);
	}
	out->edges /= 2;
	out->from_index = g->index_state == KITH__GI_MAPPED ||
	                  g->index_state == KITH__GI_OVERLAY;
	out->index_written = g->index_state == KITH__GI_WRITTEN;
	out->overlay = g->snap->overlay_changes;
	out->links = g->snap->links;
	out->generation = g->snap->generation;
	out->builds = g->builds;
	out->build_ms = g->build_ms;
	out->bytes = g->snap->bytes;
	return KITH_OK;
}
