/*
 * The network engine's index: building CSR snapshots of the people and
 * links, keeping them fresh against the database's generation, and the
 * scratch space queries share.  The queries live in graph_path.c,
 * graph_intro.c and graph_near.c.
 */
#include <math.h>
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

static void snap_free(struct kith__gsnap *s)
{
	if (!s)
		return;
	free(s->ids);
	free(s->off);
	free(s->adj);
	free(s->cost);
	free(s->direct);
	free(s);
}

static void work_free(struct kith__gwork *w)
{
	free(w->da);
	free(w->db);
	free(w->qa);
	free(w->qb);
	free(w->pa);
	free(w->pb);
	free(w->bcost);
	free(w->brec);
	free(w->mark);
	free(w->rec);
	memset(w, 0, sizeof(*w));
}

/* Sizes the scratch arrays for n nodes and sets their between-query
 * invariants (see struct kith__gwork). */
static int work_init(struct kith__gwork *w, uint32_t n)
{
	size_t k = n ? n : 1;

	if (w->da && w->n == n)
		return KITH_OK;
	work_free(w);
	w->da = malloc(k * sizeof(*w->da));
	w->db = malloc(k * sizeof(*w->db));
	w->qa = malloc(k * sizeof(*w->qa));
	w->qb = malloc(k * sizeof(*w->qb));
	w->pa = malloc(k * sizeof(*w->pa));
	w->pb = malloc(k * sizeof(*w->pb));
	w->bcost = malloc(k * sizeof(*w->bcost));
	w->brec = malloc(k * sizeof(*w->brec));
	w->mark = calloc(k, sizeof(*w->mark));
	if (!w->da || !w->db || !w->qa || !w->qb || !w->pa || !w->pb ||
	    !w->bcost || !w->brec || !w->mark) {
		work_free(w);
		return KITH_ENOMEM;
	}
	for (size_t i = 0; i < k; i++) {
		w->da[i] = w->db[i] = -1;
		w->bcost[i] = INFINITY;
		w->brec[i] = -1;
	}
	w->n = n;
	return KITH_OK;
}

uint32_t kith__graph_stamp(struct kith__gwork *w)
{
	if (++w->stamp == 0) {
		memset(w->mark, 0, (w->n ? w->n : 1) * sizeof(*w->mark));
		w->stamp = 1;
	}
	return w->stamp;
}

uint32_t kith__graph_index(const struct kith__gsnap *s, kith_id id)
{
	if (s->direct) {
		if (id < s->base || (uint64_t)(id - s->base) >= s->ndirect)
			return KITH__NONE;
		return s->direct[id - s->base] - 1; /* 0 - 1 wraps to NONE */
	}
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->ids[lo] == id ? (uint32_t)lo : KITH__NONE;
}

float kith__graph_edge_cost(const struct kith__gsnap *s, uint32_t u, uint32_t v)
{
	uint64_t lo = s->off[u], hi = s->off[u + 1];

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (s->adj[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->off[u + 1] && s->adj[lo] == v ? s->cost[lo] : -1.0f;
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

	w->da[a] = 0;
	w->qa[tail++] = a;
	while (head < tail) {
		uint32_t u = w->qa[head++];
		int32_t du = w->da[u];
		if (max >= 0 && du >= max)
			continue;
		for (uint64_t e = s->off[u]; e < s->off[u + 1]; e++) {
			uint32_t v = s->adj[e];
			if (w->da[v] < 0) {
				w->da[v] = du + 1;
				w->qa[tail++] = v;
			}
		}
	}
	return tail;
}

void kith__graph_bfs_reset(struct kith__gwork *w, size_t count)
{
	for (size_t i = 0; i < count; i++)
		w->da[w->qa[i]] = -1;
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
	if (rc) {
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
	snap_free(g->snap);
	work_free(&g->w);
	free(g);
}

void kith_graph_invalidate(kith_graph *g)
{
	g->stale = 1;
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
	s->ids = malloc((size_t)(cnt ? cnt : 1) * sizeof(*s->ids));
	if (!s->ids)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	/* plan: scan -- the graph snapshot loads every person */
	rc = kith__prepare(db, "SELECT id FROM person ORDER BY id", &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < (size_t)cnt)
		s->ids[i++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return kith__sqlerr(db, rc, "build graph", err);
	s->n = (uint32_t)i;
	if (s->n && (uint64_t)(s->ids[s->n - 1] - s->ids[0]) <
	            (uint64_t)s->n * DIRECT_SLACK + 1024) {
		s->base = s->ids[0];
		s->ndirect = (size_t)(s->ids[s->n - 1] - s->base) + 1;
		s->direct = calloc(s->ndirect, sizeof(*s->direct));
		if (!s->direct)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		for (uint32_t k = 0; k < s->n; k++)
			s->direct[s->ids[k] - s->base] = k + 1;
	}
	return KITH_OK;
}

struct edge {
	uint32_t u, v;
	float cost;
};

static float strength_cost(double st)
{
	if (!(st >= KITH_GRAPH_MIN_STRENGTH))  /* NaN too */
		st = KITH_GRAPH_MIN_STRENGTH;
	if (st > 1)
		st = 1;
	return (float)-log(st);
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
		x->cost = strength_cost(g->opts.strength(g->opts.strength_ctx, &l));
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
	return g->opts.strength(g->opts.strength_ctx, &l);
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
	uint64_t m2 = (uint64_t)ne * 2, w;
	int rc = KITH_OK;

	s->off = calloc((size_t)n + 1, sizeof(*s->off));
	pos = malloc(((size_t)n + 1) * sizeof(*pos));
	off1 = calloc((size_t)n + 1, sizeof(*off1));
	adj1 = malloc((size_t)(m2 ? m2 : 1) * sizeof(*adj1));
	cost1 = malloc((size_t)(m2 ? m2 : 1) * sizeof(*cost1));
	s->adj = malloc((size_t)(m2 ? m2 : 1) * sizeof(*s->adj));
	s->cost = malloc((size_t)(m2 ? m2 : 1) * sizeof(*s->cost));
	if (!s->off || !pos || !off1 || !adj1 || !cost1 || !s->adj || !s->cost) {
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
			s->adj[pos[v]] = u;
			s->cost[pos[v]++] = cost1[k];
		}
	/* Merge parallel entries in place, row by row. */
	w = 0;
	for (uint32_t u = 0; u < n; u++) {
		uint64_t start = w;
		s->off[u] = start;
		for (uint64_t k = off1[u]; k < off1[u + 1]; k++) {
			if (w > start && s->adj[w - 1] == s->adj[k]) {
				if (s->cost[k] < s->cost[w - 1])
					s->cost[w - 1] = s->cost[k];
				continue;
			}
			s->adj[w] = s->adj[k];
			s->cost[w++] = s->cost[k];
		}
	}
	s->off[n] = w;
	s->m2 = w;
	/* Give back what merging freed; a failed shrink keeps the block. */
	if (w < m2 && w > 0) {
		uint32_t *a2 = realloc(s->adj, w * sizeof(*a2));
		float *c2 = realloc(s->cost, w * sizeof(*c2));
		if (a2)
			s->adj = a2;
		if (c2)
			s->cost = c2;
	}
cleanup:
	free(pos);
	free(off1);
	free(adj1);
	free(cost1);
	return rc;
}

/*
 * Builds a snapshot inside one read transaction, so the generation it
 * records is exactly the state of the rows it read.  A savepoint is used
 * because it nests inside a caller's open transaction and outside one
 * starts a deferred (read) transaction that takes no write lock.
 */
static int build(kith_graph *g, kith_error *err)
{
	struct kith__gsnap *s = NULL;
	struct edge *e = NULL;
	size_t ne = 0;
	double t0 = now_ms();
	int rc, in_sp = 0;

	s = calloc(1, sizeof(*s));
	if (!s)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith__exec(g->db, "SAVEPOINT kith_graph_build", "build graph", err);
	if (rc)
		goto cleanup;
	in_sp = 1;
	rc = read_generation(g, &s->generation, &s->token, err);
	if (!rc)
		rc = load_people(g->db, s, err);
	if (!rc)
		rc = load_links(g, s, &e, &ne, err);
	if (rc)
		goto cleanup;
	rc = kith__exec(g->db, "RELEASE kith_graph_build", "build graph", err);
	if (rc)
		goto cleanup;
	in_sp = 0;
	rc = build_csr(s, e, ne, err);
	if (rc)
		goto cleanup;
	if (work_init(&g->w, s->n)) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	s->bytes = sizeof(*s) + (size_t)s->n * sizeof(*s->ids) +
	           ((size_t)s->n + 1) * sizeof(*s->off) +
	           (size_t)s->m2 * (sizeof(*s->adj) + sizeof(*s->cost)) +
	           s->ndirect * sizeof(*s->direct);
	snap_free(g->snap);
	g->snap = s;
	s = NULL;
	g->stale = 0;
	g->builds++;
	g->build_ms = now_ms() - t0;
cleanup:
	if (in_sp)
		sqlite3_exec(kith_db_sqlite(g->db),
		             "ROLLBACK TO kith_graph_build; RELEASE kith_graph_build",
		             NULL, NULL, NULL);
	free(e);
	snap_free(s);
	return rc;
}

int kith__graph_ready(kith_graph *g, kith_error *err)
{
	int64_t gen, token;
	int rc;

	if (g->snap && !g->stale) {
		rc = read_generation(g, &gen, &token, err);
		if (rc)
			return rc;
		if (gen == g->snap->generation && token == g->snap->token)
			return KITH_OK;
	}
	return build(g, err);
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
	out->people = g->snap->n;
	out->edges = (int64_t)(g->snap->m2 / 2);
	out->links = g->snap->links;
	out->generation = g->snap->generation;
	out->builds = g->builds;
	out->build_ms = g->build_ms;
	out->bytes = g->snap->bytes;
	return KITH_OK;
}
