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
#include <string.h>

#include "internal.h"
#include "kith/graph.h"

#define KITH__NONE UINT32_MAX

/* A row of the overlay (graph_patch.c): the whole row of one node as this
 * handle sees it, sorted by neighbour, owned. */
struct kith__grow {
	uint32_t node, len;
	uint32_t *adj;
	float *cost;
};

/*
 * What a handle queries: a base CSR (built in memory or mapped from the
 * index file beside the database, graph_file.c) and an overlay on top of
 * it.  The base is never written once built; the overlay replaces whole
 * rows (patched rows, found through pmask and a small hash), hides nodes
 * that are gone and appends people added since the base was made (their
 * ids all above the base's, so index order stays id order).  A handle
 * with no overlay pays one test per row read.
 */
struct kith__gsnap {
	uint32_t n;           /* nodes, base and appended */
	uint32_t nbase;       /* nodes in the base */
	uint32_t nhidden;     /* of the n, how many are hidden */
	uint64_t m2;          /* directed entries of the base */
	const kith_id *ids;   /* n ids, ascending (the base's, or own copy) */
	const uint64_t *off;  /* nbase + 1 row starts into adj/cost */
	const uint32_t *adj;  /* neighbour indices */
	const float *cost;    /* -log(strength) per entry, >= 0 */
	const uint32_t *direct; /* id - base -> index + 1 (0: none), or NULL */
	kith_id base;
	size_t ndirect;
	int64_t generation, token, links;
	int64_t seq, seqtok;  /* the change log's last row at the build */
	int64_t scored_at;    /* the strengths' now */
	size_t bytes;
	/* storage: either a mapped file or owned arrays */
	void *map;
	size_t map_len;
	kith_id *own_ids;
	uint64_t *own_off;
	uint32_t *own_adj, *own_direct;
	float *own_cost;
	/* the overlay */
	uint64_t *pmask;      /* bit u: row u is patched (NULL: none) */
	uint64_t *hmask;      /* bit u: node u is hidden (NULL: none) */
	struct kith__grow *rows;
	size_t nrows, caprows;
	uint32_t *slot;       /* open addressing over rows, nslot a power of 2 */
	size_t nslot;
	int64_t overlay_changes; /* log rows the overlay applied */
};

/* Row u of s as the handle sees it (graph_snap.c: the patched row of u,
 * which must be there; the hash slot where u's row is or would go). */
const struct kith__grow *kith__graph_prow(const struct kith__gsnap *s, uint32_t u);
size_t kith__graph_slot(const struct kith__gsnap *s, uint32_t u);

static inline void kith__graph_row(const struct kith__gsnap *s, uint32_t u,
                                   const uint32_t **adj, const float **cost,
                                   uint32_t *len)
{
	if (s->pmask && (s->pmask[u >> 6] >> (u & 63) & 1)) {
		const struct kith__grow *r = kith__graph_prow(s, u);
		*adj = r->adj;
		*cost = r->cost;
		*len = r->len;
	} else if (u < s->nbase) {
		*adj = s->adj + s->off[u];
		*cost = s->cost + s->off[u];
		*len = (uint32_t)(s->off[u + 1] - s->off[u]);
	} else {
		*adj = NULL;
		*cost = NULL;
		*len = 0;
	}
}

static inline uint32_t kith__graph_deg(const struct kith__gsnap *s, uint32_t u)
{
	const uint32_t *a;
	const float *c;
	uint32_t len;

	kith__graph_row(s, u, &a, &c, &len);
	return len;
}

/* One relaxation record of the hop-bounded search (graph_intro.c). */
struct kith__hrec {
	uint32_t node, parent;
	int32_t prev;         /* the node's previous record, -1 if none */
	int32_t layer;
	float cost;
};

/* Scratch arrays reused across queries, sized for the snapshot.  Between
 * queries every distance is -1, every cost +inf, every recof -1: each query
 * restores that from its touched lists rather than clearing n entries. */
struct kith__gwork {
	uint32_t n;
	/* The arrays below are sized for the whole network but a query
	 * touches few of their entries, so their "unset" value is all zero
	 * bits: they are slices of one fresh mapping (kith__map_zero, on huge
	 * pages), and a new process pays for the pages its query touches
	 * instead of filling 36 bytes a person first (at a million people
	 * that fill was most of a `kith path`).  So distances and record
	 * numbers are stored complemented (-1, unset, is 0) and costs XORed
	 * with the bits of +infinity (unset is 0); they are read and written
	 * only with gw_int/gw_set_int and gw_cost/gw_set_cost. */
	int32_t *dista, *distb; /* BFS distance from each side */
	uint32_t *qa, *qb;      /* BFS queues, also the touched lists */
	uint32_t *pa, *pb;      /* BFS parents */
	uint32_t *costx;        /* best cost so far (intro, near) */
	int32_t *recof;         /* latest record per node (intro), -1 none */
	uint32_t *mark;         /* per-query marks: equal to stamp = set */
	uint64_t *lab;          /* bits: nodes with a label (intro_many), all 0 between */
	uint32_t stamp;
	void *arena;            /* the mapping holding the arrays above, */
	size_t arena_len;       /* and its length */
	struct kith__hrec *rec;
	size_t nrec, caprec;
};

/* A distance or record number (stored complemented). */
static inline int32_t gw_int(const int32_t *d, uint32_t v)
{
	return ~d[v];
}

static inline void gw_set_int(int32_t *d, uint32_t v, int32_t x)
{
	d[v] = ~x;
}

#define GW_INF_BITS 0x7f800000u

static inline float gw_cost(const uint32_t *c, uint32_t v)
{
	uint32_t b = c[v] ^ GW_INF_BITS;
	float f;

	memcpy(&f, &b, sizeof(f));
	return f;
}

static inline void gw_set_cost(uint32_t *c, uint32_t v, float f)
{
	uint32_t b;

	memcpy(&b, &f, sizeof(b));
	c[v] = b ^ GW_INF_BITS;
}

struct kith_graph {
	kith_db *db;
	char *index_path;     /* the persistent index, or NULL */
	int index_state;      /* how the last snapshot came (KITH__GI_*) */
	kith_graph_opts opts;
	struct kith__gsnap *snap;
	sqlite3_stmt *gen_st;
	sqlite3_stmt *log_st;   /* the change log's last row (index handles) */
	int stale;
	int64_t builds;
	double build_ms;
	struct kith__gwork *w;   /* the calling thread's, set by kith__graph_ready */
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

/* --- the persistent index (graph_file.c) --- */

/* How the current snapshot was made. */
enum { KITH__GI_NONE, KITH__GI_BUILT, KITH__GI_WRITTEN, KITH__GI_MAPPED,
       KITH__GI_OVERLAY };

/* What an index file must match to be used. */
struct kith__gidentity {
	uint64_t db_id;       /* graph_state.db_id */
	uint64_t skey;        /* what the strengths were computed with */
	int64_t now;          /* the reader's clock, for the strengths' age */
};

/* Writes s to path (temp file, fsync, rename, fsync of the directory).
 * Leaves any previous file in place on failure. */
int kith__graph_file_write(const char *path, const struct kith__gsnap *s,
                           const struct kith__gidentity *id, kith_error *err);
/* Maps path into a fresh snapshot (*out, free with kith__graph_snap_free)
 * after checking it: KITH_OK, KITH_ENOTFOUND (no file) or KITH_ECORRUPT
 * (damaged, foreign, another version, or strengths too old: err says
 * which).  Nothing is trusted before its check. */
int kith__graph_file_map(const char *path, const struct kith__gidentity *id,
                         struct kith__gsnap **out, kith_error *err);
/* Gives back a mapping kith__graph_file_map made (shared, counted). */
void kith__graph_file_unmap(void *m);
/* A checksum of len bytes (64-bit, four lanes of multiply-rotate). */
uint64_t kith__graph_sum(const void *p, size_t len, uint64_t seed);

void kith__graph_snap_free(struct kith__gsnap *s);

/* --- the overlay (graph_patch.c) --- */

/* Brings s from its generation to the database's by the change log.
 * *ok = 0 when the log cannot be applied (too long, pruned, another
 * history, every strength moved): s is then to be thrown away and a
 * snapshot built. */
int kith__graph_overlay(kith_graph *g, struct kith__gsnap *s, int *ok, kith_error *err);
/* A member's view over a mapped file: hides what they cannot see. */
int kith__graph_mask(kith_graph *g, struct kith__gsnap *s, kith_error *err);
/* Replaces the private-strength pairs of the provider (opts.private_pairs). */
int kith__graph_private(kith_graph *g, struct kith__gsnap *s, kith_error *err);
/* Cost of a link row's strength, clamped. */
float kith__graph_strength_cost(double st);

#endif
