#ifndef KITH_GRAPH_H
#define KITH_GRAPH_H

#include "kith/db.h"
#include "kith/link.h"

/*
 * The network engine: questions about how people are connected, answered
 * on an in-memory index of every person and link (a compressed sparse row
 * snapshot, see docs/graph.md).
 *
 * Links are undirected here, and a pair with several links (colleague and
 * friend) is one edge whose strength is the strongest of them.  Strength
 * is in (0, 1]: by default a link's trust when set, else 0.5; a strength
 * provider (kith_graph_opts) may say otherwise.  Strengths are clamped to
 * [KITH_GRAPH_MIN_STRENGTH, 1] so that a trust of 0 still connects two
 * people (they do know each other) but is the last link an introduction
 * would go through.
 *
 * Freshness: every change to the links or the set of people bumps a
 * generation in the database (schema migration 2, kept by triggers, so
 * writes from other processes count too).  Each query first compares the
 * generation the snapshot was built at with the database's and rebuilds
 * the snapshot when they differ, so no query ever answers from a stale
 * index.  A snapshot is never modified once built; a rebuild replaces it.
 *
 * A kith_graph is tied to one kith_db and, like it, is not thread-safe.
 * Queries that find nobody return KITH_OK with empty results; a person id
 * that does not exist is KITH_ENOTFOUND.
 */

#define KITH_GRAPH_DEFAULT_STRENGTH 0.5
#define KITH_GRAPH_MIN_STRENGTH 0.001
#define KITH_INTRO_DEFAULT_HOPS 4
#define KITH_INTRO_MAX_HOPS 12

typedef struct kith_graph kith_graph;

/*
 * Optional strength provider, the seam for link scoring: called once per
 * link row while a snapshot is built, with l borrowed for the call (only
 * id, a, b, kind, since, trust and has_trust are filled).  A provider that
 * needs only a, b, trust and has_trust says so with strength_pairs_only:
 * it is then called after the links are read, in order of each link's
 * smaller person id, which suits one that looks pairs up in an index.  Returns the
 * link's strength; values outside [KITH_GRAPH_MIN_STRENGTH, 1] (NaN too)
 * are clamped.  Parallel links of a pair keep the strongest.
 *
 * The generation only moves with links and people: a provider that reads
 * other data (interactions) must call kith_graph_invalidate() when that
 * data changes, or bump the generation itself with triggers of its own.
 */
typedef double (*kith_strength_fn)(void *ctx, const kith_link *l);

typedef struct kith_graph_opts {
	kith_strength_fn strength;  /* NULL: trust, else default_strength */
	void *strength_ctx;         /* passed to strength, borrowed */
	int strength_pairs_only;    /* strength reads only a, b and trust */
	double default_strength;    /* 0: KITH_GRAPH_DEFAULT_STRENGTH */

	/*
	 * The persistent index (docs/graph.md): a file, usually the
	 * database's path + ".graph", that holds a snapshot.  It is mapped
	 * instead of built when it matches this database and the changes
	 * logged since it was written are few (they are applied on top); a
	 * damaged, foreign or too old one is ignored.  With index_write the
	 * handle writes it (again) after a build.  NULL: no file.
	 *
	 * The file holds the strengths every view of the database shares:
	 * strength_shared's (or strength's, when NULL), computed at
	 * strength_now and told apart from other settings by strength_key.
	 * A handle then asks private_pairs for the pairs whose strength it
	 * sees otherwise (its private interactions) and weighs those again
	 * with strength.  A file older than KITH_GRAPH_INDEX_MAX_AGE seconds
	 * by strength_now is rebuilt: strengths decay with time.
	 */
	const char *index_path;
	int index_write;
	kith_strength_fn strength_shared;
	int (*private_pairs)(void *ctx, void (*fn)(void *arg, kith_id a, kith_id b),
	                     void *arg);
	uint64_t strength_key;
	int64_t strength_now;
} kith_graph_opts;

#define KITH_GRAPH_INDEX_MAX_AGE 86400

/*
 * Creates a graph handle on db (borrowed: it must outlive the handle).
 * o may be NULL for the defaults; it is copied.  The snapshot is built
 * lazily by the first query (or kith_graph_refresh).  On success *out is
 * owned by the caller: free it with kith_graph_close().
 */
int kith_graph_open(kith_db *db, const kith_graph_opts *o, kith_graph **out,
                    kith_error *err);
/* Frees the handle and its snapshot.  NULL is allowed. */
void kith_graph_close(kith_graph *g);

/* Brings the snapshot up to date with the database (a no-op when the
 * generation has not moved).  Every query does this first. */
int kith_graph_refresh(kith_graph *g, kith_error *err);
/* Forces the next query to rebuild, for strength providers whose inputs
 * changed without a link changing. */
void kith_graph_invalidate(kith_graph *g);

/* Figures about the current snapshot (after a refresh).  Plain numbers. */
typedef struct kith_graph_info {
	int64_t people;       /* nodes */
	int64_t edges;        /* connected pairs (parallel kinds counted once) */
	int64_t links;        /* link rows read */
	int64_t generation;   /* database generation the snapshot was built at */
	int64_t builds;       /* snapshots built by this handle so far */
	double build_ms;      /* time taken by the last build */
	size_t bytes;         /* memory held by the snapshot */
	int from_index;       /* 1: mapped from the index file */
	int index_written;    /* 1: this handle wrote the index file */
	int64_t overlay;      /* changes applied on top of the index */
} kith_graph_info;

int kith_graph_info_get(kith_graph *g, kith_graph_info *out, kith_error *err);

/* The database's current generation (for tests and tools). */
int kith_graph_generation(kith_db *db, int64_t *out, kith_error *err);

/*
 * A path: len people from the first to the last (hops = len - 1) and the
 * product of the strengths of its links.  ids is owned by the struct:
 * release it with kith_path_clear() (or kith_path_list_free for arrays).
 */
typedef struct kith_path {
	kith_id *ids;
	size_t len;
	double strength;
} kith_path;

void kith_path_clear(kith_path *p);
void kith_path_list_free(kith_path *v, size_t n);

/*
 * Degrees of separation between a and b by bidirectional breadth-first
 * search, with one shortest path in *out (caller clears it).  When they
 * are not connected out->len is 0; when a == b the path is just [a]
 * (0 degrees).  Of several shortest paths the one returned is stable for
 * a given snapshot; its strength is that path's product.
 */
int kith_graph_path(kith_graph *g, kith_id a, kith_id b, kith_path *out,
                    kith_error *err);

/*
 * Every shortest path between a and b, in lexicographic order of their
 * ids, at most max of them (0 = no cap).  *out is a heap array owned by
 * the caller (kith_path_list_free); *n is how many were returned and
 * *total (optional) how many shortest paths exist (saturating at
 * UINT64_MAX).  Not connected: *n = 0, *total = 0.
 */
int kith_graph_paths_all(kith_graph *g, kith_id a, kith_id b, size_t max,
                         kith_path **out, size_t *n, uint64_t *total,
                         kith_error *err);

/*
 * Warm introductions from `from` to `to`: the path of at most hops links
 * (0 = KITH_INTRO_DEFAULT_HOPS; at most KITH_INTRO_MAX_HOPS) that
 * maximises the product of link strengths, then up to alts alternatives
 * that each start with a different first contact, strongest first.  A
 * path never visits a person twice.  *out is a heap array owned by the
 * caller (kith_path_list_free), best first; *n = 0 when `to` cannot be
 * reached within the hop limit.  from == to gives the one path [from].
 */
int kith_graph_intro(kith_graph *g, kith_id from, kith_id to, int hops,
                     size_t alts, kith_path **out, size_t *n, kith_error *err);

/*
 * kith_graph_intro from each of nfrom sources to one target, with one
 * search from the target shared by all of them (a source whose
 * answer would pass through itself is asked again on its own): out[i] and n[i] are what kith_graph_intro(from[i], to) gives, up
 * to the choice among chains of equal strength.  out and n are arrays of
 * nfrom the caller provides; each out[i] is the caller's to free with
 * kith_path_list_free.  On error every out[i] is NULL.
 */
int kith_graph_intro_many(kith_graph *g, const kith_id *from, size_t nfrom, kith_id to,
                          int hops, size_t alts, kith_path **out, size_t *n,
                          kith_error *err);

/*
 * People near a person, for "who do I know, within two hops, who worked
 * at Acme?".  All filters given must hold (AND); NULL/0 fields are off.
 *
 * since_year follows the job-referral query of the LDBC social network
 * benchmark (IC11: "works at a company ... since before a year"): it
 * needs a job whose start year is strictly less than since_year (a job
 * with no start date never qualifies).  since_year and org_country are
 * conditions on one job: the job at works_at when that is given, else the
 * job at worked_at when that is given, else any job.  worked_at and
 * works_at together are two jobs (worked at X and works at Y now).
 */
typedef struct kith_near_filter {
	int within;              /* max distance, >= 1 */
	kith_id worked_at;       /* org: any job there, past or current */
	kith_id works_at;        /* org: a current job (no end date) */
	const char *org_country; /* a job at an org in this country */
	const char *tag;
	const char *city;        /* case-insensitive */
	const char *country;     /* the person's own country, case-insensitive */
	int since_year;          /* see above */
	size_t limit;            /* 0 = all */
} kith_near_filter;

typedef struct kith_near_hit {
	kith_id id;
	int distance;        /* >= 1 */
	double strength;     /* best product of strengths over shortest paths */
} kith_near_hit;

/*
 * People within f->within of a (a excluded) that pass the filters, by
 * distance, then strength (strongest first), then id.  *out is a heap
 * array owned by the caller (free()); *n its length.
 */
int kith_graph_near(kith_graph *g, kith_id a, const kith_near_filter *f,
                    kith_near_hit **out, size_t *n, kith_error *err);

/* Common neighbours of a and b, by id; each with the strength of its
 * link to a and to b.  *out is a heap array owned by the caller (free()). */
typedef struct kith_mutual {
	kith_id id;
	double strength_a, strength_b;
} kith_mutual;

int kith_graph_mutual(kith_graph *g, kith_id a, kith_id b, kith_mutual **out,
                      size_t *n, kith_error *err);

/*
 * How many people are at each distance from a: (*counts)[d] for d = 0 ..
 * *ndist - 1 ((*counts)[0] = 1, a itself); *unreachable gets the people
 * not connected to a at all.  *counts is a heap array owned by the caller
 * (free()).
 */
int kith_graph_degree(kith_graph *g, kith_id a, int64_t **counts, size_t *ndist,
                      int64_t *unreachable, kith_error *err);

/*
 * The people within `within` links of a (a excluded), by distance then id.
 * ids (optional: NULL to only count) receives a heap array owned by the
 * caller (free()), dist (optional) the matching distances likewise;
 * *n is how many there are.
 */
int kith_graph_reach(kith_graph *g, kith_id a, int within, kith_id **ids,
                     int **dist, size_t *n, kith_error *err);

#endif
