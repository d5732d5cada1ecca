/*
 * Breadth-first questions: degrees of separation and shortest paths
 * (bidirectional search), mutual contacts, distance histograms, reach.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_impl.h"

/* State of a bidirectional search; side 0 grows from a, side 1 from b. */
struct bibfs {
	int32_t *dist[2];
	uint32_t *queue[2], *parent[2];
	size_t head[2], tail[2];
	int32_t level[2];       /* depth of the last completed level */
	uint32_t meet;          /* first node reached from both sides */
	int32_t d;              /* distance a-b, -1 while unknown */
	int32_t pa;             /* position of the meeting level from a */
	uint64_t work[2];       /* links out of each frontier: its cost */
};

static void bibfs_init(struct bibfs *b, struct kith__gwork *w, uint32_t a,
                       uint32_t z)
{
	memset(b, 0, sizeof(*b));
	b->dist[0] = w->dista;
	b->dist[1] = w->distb;
	b->queue[0] = w->qa;
	b->queue[1] = w->qb;
	b->parent[0] = w->pa;
	b->parent[1] = w->pb;
	b->meet = KITH__NONE;
	b->d = -1;
	gw_set_int(w->dista, a, 0);
	w->qa[b->tail[0]++] = a;
	w->pa[a] = KITH__NONE;
	gw_set_int(w->distb, z, 0);
	w->qb[b->tail[1]++] = z;
	w->pb[z] = KITH__NONE;
}

static uint64_t degree(const struct kith__gsnap *s, uint32_t v)
{
	return kith__graph_deg(s, v);
}

static void bibfs_reset(struct bibfs *b)
{
	for (int side = 0; side < 2; side++)
		for (size_t i = 0; i < b->tail[side]; i++)
			gw_set_int(b->dist[side], b->queue[side][i], -1);
}

/*
 * Expands the cheaper frontier (fewer links to scan: on skewed degree
 * distributions that is what matters, not the number of people) by one
 * whole level.  Before an expansion
 * the two visited balls (radius level[0] and level[1]) are disjoint, so
 * any node the new level shares with the other side lies at exactly
 * level[other] from it and d = level[0] + level[1] + 1.  With `all` the
 * level is finished anyway so that every meeting node gets labelled;
 * otherwise the search stops at the first.  Returns 0 when a frontier
 * ran dry (not connected) or the meeting was found, else 1.
 */
static int bibfs_step(const struct kith__gsnap *s, struct bibfs *b, int all)
{
	size_t f0 = b->tail[0] - b->head[0], f1 = b->tail[1] - b->head[1];
	int x = b->work[0] <= b->work[1] ? 0 : 1, y = 1 - x;
	int32_t *dx = b->dist[x], *dy = b->dist[y];
	uint32_t *q = b->queue[x], *par = b->parent[x];
	size_t end = b->tail[x];
	uint64_t next = 0;

	if (f0 == 0 || f1 == 0)
		return 0;
	for (size_t h = b->head[x]; h < end; h++) {
		uint32_t u = q[h];
		const uint32_t *adj;
		const float *cost;
		uint32_t len;
		kith__graph_row(s, u, &adj, &cost, &len);
		for (uint32_t e = 0; e < len; e++) {
			uint32_t v = adj[e];
			if (gw_int(dx, v) >= 0)
				continue;
			gw_set_int(dx, v, b->level[x] + 1);
			par[v] = u;
			q[b->tail[x]++] = v;
			next += degree(s, v);
			if (gw_int(dy, v) >= 0 && b->meet == KITH__NONE) {
				b->meet = v;
				b->d = b->level[0] + b->level[1] + 1;
				b->pa = x == 0 ? b->level[0] + 1 : b->level[0];
				if (!all) {
					b->head[x] = end;
					b->level[x]++;
					return 0;
				}
			}
		}
	}
	b->head[x] = end;
	b->level[x]++;
	b->work[x] = next;
	return b->meet == KITH__NONE;
}

int kith_graph_path(kith_graph *g, kith_id a, kith_id b, kith_path *out,
                    kith_error *err)
{
	const struct kith__gsnap *s;
	struct bibfs bf;
	uint32_t ia, ib, *nodes = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kith__graph_ready(g, err)) || (rc = kith__graph_node(g, a, &ia, err)) ||
	    (rc = kith__graph_node(g, b, &ib, err)))
		return rc;
	s = g->snap;
	if (ia == ib)
		return kith__graph_path_fill(s, &ia, 1, out, err);
	bibfs_init(&bf, g->w, ia, ib);
	bf.work[0] = degree(s, ia);
	bf.work[1] = degree(s, ib);
	while (bibfs_step(s, &bf, 0))
		;
	if (bf.d >= 0) {
		nodes = malloc(((size_t)bf.d + 1) * sizeof(*nodes));
		if (!nodes) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
		/* Parents lead from the meeting node back to a and on to b. */
		size_t i = (size_t)bf.pa;
		for (uint32_t v = bf.meet; v != KITH__NONE; v = bf.parent[0][v])
			nodes[i--] = v;
		i = (size_t)bf.pa + 1;
		for (uint32_t v = bf.parent[1][bf.meet]; v != KITH__NONE; v = bf.parent[1][v])
			nodes[i++] = v;
		rc = kith__graph_path_fill(s, nodes, (size_t)bf.d + 1, out, err);
	}
cleanup:
	bibfs_reset(&bf);
	free(nodes);
	return rc;
}

static uint64_t sat_add(uint64_t x, uint64_t y)
{
	return x > UINT64_MAX - y ? UINT64_MAX : x + y;
}

static uint64_t sat_mul(uint64_t x, uint64_t y)
{
	return y && x > UINT64_MAX / y ? UINT64_MAX : x * y;
}

/* Is v the node at position pos of some shortest path?  Nodes on the a
 * side (pos <= pa) carry their distance from a, the others from b. */
static int on_path(const struct bibfs *b, const uint32_t *mark, uint32_t stamp,
                   uint32_t v, int32_t pos)
{
	if (mark[v] != stamp)
		return 0;
	return pos <= b->pa ? gw_int(b->dist[0], v) == pos
	                    : gw_int(b->dist[1], v) == b->d - pos;
}

/*
 * Marks every node on some shortest path and counts the paths.  Walking
 * down the distance labels from the meeting nodes reaches exactly those
 * nodes on each side.  The two balls share only the meeting nodes, so one
 * count array serves both sides once side 0's counts at the meeting nodes
 * are put aside.
 */
static int mark_paths(const struct kith__gsnap *s, struct kith__gwork *w,
                      struct bibfs *b, uint32_t stamp, uint64_t *total)
{
	size_t cap = b->tail[0] + b->tail[1], top, nmeet = 0;
	uint32_t *stack = malloc(cap * sizeof(*stack));
	uint32_t *meet = malloc(cap * sizeof(*meet));
	uint64_t *cnt = malloc((size_t)w->n * sizeof(*cnt));
	uint64_t *cmeet = malloc(cap * sizeof(*cmeet));
	int rc = KITH_OK;

	*total = 0;
	if (!stack || !meet || !cnt || !cmeet) {
		rc = KITH_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < b->tail[0]; i++) {
		uint32_t v = b->queue[0][i];
		if (gw_int(b->dist[1], v) >= 0) {
			w->mark[v] = stamp;
			meet[nmeet++] = v;
		}
	}
	for (int side = 0; side < 2; side++) {
		int32_t *dist = b->dist[side];
		memcpy(stack, meet, nmeet * sizeof(*stack));
		top = nmeet;
		while (top) {
			uint32_t v = stack[--top];
			const uint32_t *adj;
			const float *cost;
			uint32_t len;
			kith__graph_row(s, v, &adj, &cost, &len);
			for (uint32_t e = 0; e < len; e++) {
				uint32_t u = adj[e];
				if (gw_int(dist, u) >= 0 && gw_int(dist, u) == gw_int(dist, v) - 1 &&
				    w->mark[u] != stamp) {
					w->mark[u] = stamp;
					stack[top++] = u;
				}
			}
		}
		/* BFS order puts a node's predecessors before it. */
		for (size_t i = 0; i < b->tail[side]; i++) {
			uint32_t v = b->queue[side][i];
			uint64_t c = 0;
			const uint32_t *adj;
			const float *cost;
			uint32_t len;
			if (w->mark[v] != stamp)
				continue;
			if (gw_int(dist, v) == 0)
				c = 1;
			kith__graph_row(s, v, &adj, &cost, &len);
			for (uint32_t e = 0; gw_int(dist, v) > 0 && e < len; e++) {
				uint32_t u = adj[e];
				if (gw_int(dist, u) >= 0 && gw_int(dist, u) == gw_int(dist, v) - 1 &&
				    w->mark[u] == stamp)
					c = sat_add(c, cnt[u]);
			}
			cnt[v] = c;
		}
		if (side == 0)
			for (size_t i = 0; i < nmeet; i++)
				cmeet[i] = cnt[meet[i]];
	}
	for (size_t i = 0; i < nmeet; i++)
		*total = sat_add(*total, sat_mul(cmeet[i], cnt[meet[i]]));
cleanup:
	free(stack);
	free(meet);
	free(cnt);
	free(cmeet);
	return rc;
}

/* Appends a copy of the path in nodes to *v (growing it). */
static int push_path(const struct kith__gsnap *s, const uint32_t *nodes,
                     size_t len, kith_path **v, size_t *n, size_t *cap,
                     kith_error *err)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		kith_path *nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		*v = nv;
		*cap = nc;
	}
	int rc = kith__graph_path_fill(s, nodes, len, &(*v)[*n], err);
	if (!rc)
		(*n)++;
	return rc;
}

/* Depth-first walk over marked nodes from a, neighbours in index (= id)
 * order, which yields the paths in lexicographic order of their ids. */
static int enumerate(const struct kith__gsnap *s, const struct kith__gwork *w,
                     const struct bibfs *b, uint32_t stamp, size_t max,
                     kith_path **v, size_t *n, kith_error *err)
{
	size_t len = (size_t)b->d + 1, cap = 0;
	uint32_t *nodes = malloc(len * sizeof(*nodes));
	uint64_t *cursor = malloc(len * sizeof(*cursor));
	int rc = KITH_OK;
	int32_t depth = 0;

	if (!nodes || !cursor) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	nodes[0] = b->queue[0][0];
	cursor[0] = 0;
	while (depth >= 0 && (max == 0 || *n < max)) {
		uint32_t u = nodes[depth];
		if (depth == b->d) {
			rc = push_path(s, nodes, len, v, n, &cap, err);
			if (rc)
				goto cleanup;
			depth--;
			continue;
		}
		int advanced = 0;
		const uint32_t *adj;
		const float *cost;
		uint32_t rlen;
		kith__graph_row(s, u, &adj, &cost, &rlen);
		while (cursor[depth] < rlen) {
			uint32_t x = adj[cursor[depth]++];
			if (on_path(b, w->mark, stamp, x, depth + 1)) {
				nodes[++depth] = x;
				cursor[depth] = 0;
				advanced = 1;
				break;
			}
		}
		if (!advanced)
			depth--;
	}
cleanup:
	free(nodes);
	free(cursor);
	return rc;
}

int kith_graph_paths_all(kith_graph *g, kith_id a, kith_id b, size_t max,
                         kith_path **out, size_t *n, uint64_t *total,
                         kith_error *err)
{
	const struct kith__gsnap *s;
	struct bibfs bf;
	uint64_t t = 0;
	uint32_t ia, ib, stamp;
	int rc;

	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if ((rc = kith__graph_ready(g, err)) || (rc = kith__graph_node(g, a, &ia, err)) ||
	    (rc = kith__graph_node(g, b, &ib, err)))
		return rc;
	s = g->snap;
	if (ia == ib) {
		size_t cap = 0;
		if (total)
			*total = 1;
		return push_path(s, &ia, 1, out, n, &cap, err);
	}
	bibfs_init(&bf, g->w, ia, ib);
	bf.work[0] = degree(s, ia);
	bf.work[1] = degree(s, ib);
	while (bibfs_step(s, &bf, 1))
		;
	if (bf.d >= 0) {
		stamp = kith__graph_stamp(g->w);
		if (mark_paths(s, g->w, &bf, stamp, &t))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		if (!rc)
			rc = enumerate(s, g->w, &bf, stamp, max, out, n, err);
		if (total)
			*total = t;
	}
	bibfs_reset(&bf);
	if (rc) {
		kith_path_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int kith_graph_mutual(kith_graph *g, kith_id a, kith_id b, kith_mutual **out,
                      size_t *n, kith_error *err)
{
	const struct kith__gsnap *s;
	const uint32_t *aa, *ab;
	const float *ca, *cb;
	uint32_t ia, ib, i = 0, j = 0, ie, je;
	size_t cnt = 0, cap;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = kith__graph_ready(g, err)) || (rc = kith__graph_node(g, a, &ia, err)) ||
	    (rc = kith__graph_node(g, b, &ib, err)))
		return rc;
	s = g->snap;
	kith__graph_row(s, ia, &aa, &ca, &ie);
	kith__graph_row(s, ib, &ab, &cb, &je);
	cap = (size_t)(ie - i < je - j ? ie - i : je - j);
	*out = malloc((cap ? cap : 1) * sizeof(**out));
	if (!*out)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	/* Both rows are sorted: a merge finds the common neighbours. */
	while (i < ie && j < je) {
		if (aa[i] < ab[j]) {
			i++;
		} else if (aa[i] > ab[j]) {
			j++;
		} else {
			(*out)[cnt].id = s->ids[aa[i]];
			(*out)[cnt].strength_a = exp(-(double)ca[i]);
			(*out)[cnt++].strength_b = exp(-(double)cb[j]);
			i++;
			j++;
		}
	}
	*n = cnt;
	return KITH_OK;
}

int kith_graph_degree(kith_graph *g, kith_id a, int64_t **counts, size_t *ndist,
                      int64_t *unreachable, kith_error *err)
{
	struct kith__gwork *w;
	uint32_t ia;
	size_t seen, nd;
	int rc;

	*counts = NULL;
	*ndist = 0;
	*unreachable = 0;
	if ((rc = kith__graph_ready(g, err)) || (rc = kith__graph_node(g, a, &ia, err)))
		return rc;
	w = g->w;
	seen = kith__graph_bfs(g->snap, w, ia, -1);
	nd = (size_t)gw_int(w->dista, w->qa[seen - 1]) + 1;
	*counts = calloc(nd, sizeof(**counts));
	if (!*counts) {
		kith__graph_bfs_reset(w, seen);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < seen; i++)
		(*counts)[gw_int(w->dista, w->qa[i])]++;
	kith__graph_bfs_reset(w, seen);
	*ndist = nd;
	*unreachable = (int64_t)g->snap->n - (int64_t)g->snap->nhidden - (int64_t)seen;
	return KITH_OK;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

int kith_graph_reach(kith_graph *g, kith_id a, int within, kith_id **ids,
                     int **dist, size_t *n, kith_error *err)
{
	struct kith__gwork *w;
	uint32_t ia;
	size_t seen;
	int rc;

	if (ids)
		*ids = NULL;
	if (dist)
		*dist = NULL;
	*n = 0;
	if (within < 0)
		return kith_error_set(err, KITH_EINVAL, "a distance cannot be negative");
	if ((rc = kith__graph_ready(g, err)) || (rc = kith__graph_node(g, a, &ia, err)))
		return rc;
	w = g->w;
	seen = kith__graph_bfs(g->snap, w, ia, within);
	if (ids || dist) {
		/* The queue is grouped by distance; order each group by index,
		 * which is id order. */
		for (size_t lo = 1, hi; lo < seen; lo = hi) {
			for (hi = lo; hi < seen && gw_int(w->dista, w->qa[hi]) == gw_int(w->dista, w->qa[lo]); hi++)
				;
			qsort(w->qa + lo, hi - lo, sizeof(*w->qa), cmp_u32);
		}
		if (ids && !(*ids = malloc(seen * sizeof(**ids))))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		if (!rc && dist && !(*dist = malloc(seen * sizeof(**dist))))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		for (size_t i = 1; !rc && i < seen; i++) {
			if (ids)
				(*ids)[i - 1] = g->snap->ids[w->qa[i]];
			if (dist)
				(*dist)[i - 1] = gw_int(w->dista, w->qa[i]);
		}
	}
	kith__graph_bfs_reset(w, seen);
	if (rc) {
		if (ids) {
			free(*ids);
			*ids = NULL;
		}
		if (dist) {
			free(*dist);
			*dist = NULL;
		}
		return rc;
	}
	*n = seen - 1;
	return KITH_OK;
}
