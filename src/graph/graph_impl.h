#ifndef KITH_GRAPH_IMPL_H
#define KITH_GRAPH_IMPL_H

/*
 * Private to the network engine (src/graph*.c).  A snapshot is a CSR
 * (compressed sparse row) adjacency over dense node indices 0..n-1, which
 * are the people's ids in ascending order; rows are sorted by neighbour
 * index and hold one entry per connected pair and direction.  Edge costs
 * are -log(strength), so a strongest path is a cheapest one.
 */

#include <stdint.h>

#include "internal.h"
#include "kith/graph.h"

#define KITH__NONE UINT32_MAX

struct kith__gsnap {
	uint32_t n;
	uint64_t m2;          /* directed entries = 2 * connected pairs */
	kith_id *ids;         /* n ids, ascending */
	uint64_t *off;        /* n + 1 row starts into adj/cost */
	uint32_t *adj;        /* neighbour indices */
	float *cost;          /* -log(strength) per entry, >= 0 */
	uint32_t *direct;     /* id - base -> index + 1 (0: none), or NULL */
	kith_id base;
	size_t ndirect;
	int64_t generation, token, links;
	size_t bytes;
};

/* One relaxation record of the hop-bounded search (graph_intro.c). */
struct kith__hrec {
	uint32_t node, parent;
	int32_t prev;         /* the node's previous record, -1 if none */
	int32_t layer;
	float cost;
};

/* Scratch arrays reused across queries, sized for the snapshot.  Between
 * queries every dist is -1, every bcost +inf, every brec -1: each query
 * restores that from its touched lists rather than clearing n entries. */
struct kith__gwork {
	uint32_t n;
	int32_t *da, *db;       /* BFS distance from each side */
	uint32_t *qa, *qb;      /* BFS queues, also the touched lists */
	uint32_t *pa, *pb;      /* BFS parents */
	float *bcost;           /* best cost so far (intro, near) */
	int32_t *brec;          /* latest record per node (intro) */
	uint32_t *mark;         /* per-query marks: equal to stamp = set */
	uint32_t stamp;
	struct kith__hrec *rec;
	size_t nrec, caprec;
};

struct kith_graph {
	kith_db *db;
	kith_graph_opts opts;
	struct kith__gsnap *snap;
	sqlite3_stmt *gen_st;
	int stale;
	int64_t builds;
	double build_ms;
	struct kith__gwork w;
};

/* Makes g->snap current (graph.c); after it, g->snap and g->w are valid. */
int kith__graph_ready(kith_graph *g, kith_error *err);
/* Index of person id in s, or KITH__NONE. */
uint32_t kith__graph_index(const struct kith__gsnap *s, kith_id id);
/* Looks up a and sets *ia, or fails with KITH_ENOTFOUND. */
int kith__graph_node(kith_graph *g, kith_id id, uint32_t *ia, kith_error *err);
/* Cost of the edge u-v (a binary search in u's row), or -1 when absent. */
float kith__graph_edge_cost(const struct kith__gsnap *s, uint32_t u, uint32_t v);
/* Fills a path from node indices (copied), computing its strength. */
int kith__graph_path_fill(const struct kith__gsnap *s, const uint32_t *nodes,
                          size_t len, kith_path *out, kith_error *err);
/* A fresh mark stamp for w->mark (clears the array on wrap-around). */
uint32_t kith__graph_stamp(struct kith__gwork *w);
/* Breadth-first search from a up to depth max (-1: no limit), filling
 * w->da (distances) and w->qa (visit order); returns the number visited.
 * The caller must call kith__graph_bfs_reset(w, count) afterwards. */
size_t kith__graph_bfs(const struct kith__gsnap *s, struct kith__gwork *w,
                       uint32_t a, int max);
void kith__graph_bfs_reset(struct kith__gwork *w, size_t count);

#endif
