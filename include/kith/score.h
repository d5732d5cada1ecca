#ifndef KITH_SCORE_H
#define KITH_SCORE_H

/*
 * Relationship intelligence: how strong each link is, who is in which
 * orbit around me, who owes whom, who vouched for whom, who is due a call,
 * and who thinks alike.  The formula and its reasons are in docs/score.md.
 *
 * Strength is in [0, 1] and deterministic for a given "now": every
 * function takes now explicitly (use kith_db_now(db) for the clock).
 */

#include "kith/db.h"
#include "kith/link.h"

/* Tunables of the strength formula (docs/score.md says why these). */
#define KITH_SCORE_SATURATION 8.0  /* raw weight that gives 1 - 1/e */
#define KITH_SCORE_TRUST_WEIGHT 0.5
#define KITH_SCORE_LINK_BASE 0.1   /* a known link with no history */
#define KITH_SCORE_VOUCH_BONUS 0.25
#define KITH_SCORE_TREND_DAYS 90

/* Decayed interaction sums of a pair at time ref: u of unknown direction,
 * ab started by the first person, ba by the second. */
typedef struct kith_pair_sums {
	double u, ab, ba;
	int64_t ref;
} kith_pair_sums;

/* The half-life of an interaction's weight, in days (default 90). */
double kith_score_half_life(kith_db *db);
/* Sets it (1 to 3650 days) and recomputes the cached strengths. */
int kith_score_set_half_life(kith_db *db, double days, kith_error *err);

/* The raw weight of sums at time t (decayed from s->ref). */
double kith_score_raw(const kith_pair_sums *s, int64_t t, double half_life);
/* Strength from its parts: raw interaction weight, explicit trust (< 0
 * when unset), whether a link exists, whether either vouched for the other. */
double kith_score_combine(double raw, double trust, int linked, int vouched);

/* What kith knows about one relationship, as of a given now. */
typedef struct kith_strength {
	kith_id person;        /* the other person */
	double strength;       /* [0, 1] */
	double then;           /* strength KITH_SCORE_TREND_DAYS before now */
	double raw;            /* decayed interaction weight */
	double trust;          /* highest explicit trust, < 0 when none */
	int linked, vouched;
	int64_t count;         /* interactions together up to now */
	int64_t last_at;       /* the latest of them, 0 for none */
	char *last_kind;       /* its kind, owned, NULL for none */
} kith_strength;

/* Strength between a and b at now, computed from the log (not the cache).
 * out is filled; release with kith_strength_clear. */
int kith_strength_get(kith_db *db, kith_id a, kith_id b, int64_t now,
                      kith_strength *out, kith_error *err);
void kith_strength_clear(kith_strength *s);

/* Everyone related to a (by a link or an interaction up to now), strongest
 * first.  *out is a heap array owned by the caller: kith_strength_list_free. */
int kith_strength_around(kith_db *db, kith_id a, int64_t now,
                         kith_strength **out, size_t *n, kith_error *err);
void kith_strength_list_free(kith_strength *v, size_t n);

/* Rebuilds the cached pair sums of the whole network from the interaction
 * log as of now (the graph's edge weights come from them).  One transaction. */
typedef struct kith_score_report {
	int64_t interactions;  /* read */
	int64_t pairs;         /* written */
	double ms;             /* wall time */
	double scan_ms;        /* of which reading the log into pairs */
} kith_score_report;
int kith_score_recompute(kith_db *db, int64_t now, kith_score_report *rep,
                         kith_error *err);

/*
 * A strength provider for kith_graph_open (kith/graph.h): edge weights are
 * the scored strengths at now, from the cache, with trust and vouches.
 * Returns a context owned by the caller; pass kith_score_graph_strength and
 * it in kith_graph_opts (with strength_pairs_only set: it reads only a, b
 * and trust, and its cache lookups want pair order), and free it with
 * kith_score_graph_ctx_free after the graph is closed.  NULL on
 * out-of-memory.
 */
typedef struct kith_score_graph_ctx kith_score_graph_ctx;
kith_score_graph_ctx *kith_score_graph_ctx_new(kith_db *db, int64_t now);
double kith_score_graph_strength(void *ctx, const kith_link *l);
void kith_score_graph_ctx_free(kith_score_graph_ctx *ctx);

/*
 * For a graph on the persistent index (kith_graph_opts.index_path): the
 * strength every view of the database shares (the cache, trust and
 * vouches, without this handle's private interactions), and the pairs
 * this handle weighs otherwise.  kith_score_graph_index_opts fills the
 * strength fields of *o (strength, strength_shared, private_pairs,
 * strength_pairs_only, strength_ctx, strength_now, strength_key) for c.
 */
struct kith_graph_opts;
double kith_score_graph_shared(void *ctx, const kith_link *l);
int kith_score_graph_private_pairs(void *ctx, void (*fn)(void *arg, kith_id a, kith_id b),
                                   void *arg);
void kith_score_graph_index_opts(kith_score_graph_ctx *c, struct kith_graph_opts *o);

/* --- Orbits: Dunbar-style layers around me ----------------------------- */

enum { KITH_ORBITS = 5 };   /* 1 inner 5, 2 close 15, 3 active 50,
                               4 known 150, 5 wider */
extern const int kith_orbit_size[KITH_ORBITS + 1];   /* cumulative */
extern const char *const kith_orbit_name[KITH_ORBITS + 1];
/* The strength a layer expects; a person weaker than the layer they were
 * in KITH_SCORE_TREND_DAYS ago, and weaker than then, is going dry. */
extern const double kith_orbit_threshold[KITH_ORBITS + 1];

typedef struct kith_orbit_member {
	kith_strength s;   /* owned */
	int orbit;         /* 1..5 */
	int before;        /* orbit at the comparison date, 0 = not there */
} kith_orbit_member;

/* My orbits at now, strongest first; with since != 0, each member's orbit
 * at since too, and *gone (optional) lists who was in an orbit then and is
 * in none now.  Free with kith_orbit_list_free. */
int kith_orbits(kith_db *db, kith_id me, int64_t now, int64_t since,
                kith_orbit_member **out, size_t *n,
                kith_orbit_member **gone, size_t *ngone, kith_error *err);
void kith_orbit_list_free(kith_orbit_member *v, size_t n);

/* --- Keep in touch ------------------------------------------------------ */

/* Cadence in days for a person (0 clears it), or for an orbit 1..5. */
int kith_cadence_set_person(kith_db *db, kith_id person, int days, kith_error *err);
int kith_cadence_set_orbit(kith_db *db, int orbit, int days, kith_error *err);
/* A person's own cadence, else 0. */
int kith_cadence_person(kith_db *db, kith_id person);
/* An orbit's cadence, else 0. */
int kith_cadence_orbit(kith_db *db, int orbit);

enum kith_due_why { KITH_DUE_OVERDUE = 1, KITH_DUE_DRY = 2 };

typedef struct kith_due {
	kith_orbit_member m;  /* owned */
	int cadence;          /* days */
	double days_since;    /* since the last interaction; -1 for never */
	int why;              /* KITH_DUE_* bits */
} kith_due;

/* Who is overdue for contact or going dry, most valuable first (inner
 * orbits first, then the longest overdue).  Free with kith_due_list_free. */
int kith_due_list(kith_db *db, kith_id me, int64_t now, kith_due **out,
                  size_t *n, kith_error *err);
void kith_due_list_free(kith_due *v, size_t n);

/* --- Reciprocity -------------------------------------------------------- */

typedef struct kith_balance {
	kith_id person;
	double given;      /* value I gave them */
	double received;   /* value they gave me */
	int64_t favours;
} kith_balance;

/* Favour balances between me and each person (net != 0 first by size).
 * Heap array owned by the caller (free()). */
int kith_balance_list(kith_db *db, kith_id me, kith_balance **out, size_t *n,
                      kith_error *err);

/* --- Vouching ----------------------------------------------------------- */

typedef struct kith_vouch {
	kith_id id, voucher, subject, recorded_by;
	char *notes;
	int64_t created;
} kith_vouch;

/* voucher recommends subject; recorded by me.  KITH_EEXISTS if already. */
int kith_vouch_add(kith_db *db, kith_vouch *v, kith_error *err);
int kith_vouch_remove(kith_db *db, kith_id voucher, kith_id subject, kith_error *err);
/* Vouches for or by person (0 = all); free with kith_vouch_list_free. */
int kith_vouch_list(kith_db *db, kith_id person, kith_vouch **out, size_t *n,
                    kith_error *err);
void kith_vouch_list_free(kith_vouch *v, size_t n);

/* --- Like minds ----------------------------------------------------------- */

typedef struct kith_like {
	kith_id person;
	double similarity;   /* weighted Jaccard of tags, in [0, 1] */
	kith_strv shared;    /* shared tags, owned */
} kith_like;

/* People most like person by tags (rarer tags weigh more), among
 * candidates (NULL = everyone).  Free with kith_like_list_free. */
int kith_like_list(kith_db *db, kith_id person, const kith_id *candidates,
                   size_t ncand, size_t limit, kith_like **out, size_t *n,
                   kith_error *err);
void kith_like_list_free(kith_like *v, size_t n);

/* --- Network measures (libigraph) -------------------------------------- */

typedef struct kith_network_stats {
	int64_t components, largest_component;
	int64_t communities;
	double modularity;
	kith_id *brokers;        /* highest betweenness first, owned */
	double *betweenness;     /* normalised, parallel to brokers */
	size_t nbrokers;
	kith_id *community_of;   /* person ids, parallel to community_id */
	int *community_id;
	size_t npeople;
	int64_t *community_sizes; /* largest first */
	size_t ncommunity_sizes;
} kith_network_stats;

/* Betweenness (top k brokers) and Louvain communities over the links. */
int kith_network_stats_get(kith_db *db, size_t k, kith_network_stats *out,
                           kith_error *err);
void kith_network_stats_clear(kith_network_stats *s);

#endif
