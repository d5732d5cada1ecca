#ifndef KITH_TEAM_H
#define KITH_TEAM_H

#include <jansson.h>

#include "kith/db.h"
#include "kith/org.h"
#include "kith/graph.h"

/*
 * Team intelligence: the questions a firm asks of everyone's network at
 * once (docs/team.md).  Who on the team can get us into an organisation,
 * what would leave with a member, how close a candidate is to the team.
 *
 * Every function here answers from db and g as they are given: pass a
 * viewer handle (kith_db_set_viewer) and a graph built on it, and the
 * answer holds only what that member sees, so another member's private
 * people and links never show, and a chain through one member's private
 * link is found on that member's view alone.  A member whose person the
 * handle cannot see (or who has none) starts no chain; a member with no
 * links of their own still gets the chains of teammates, which start at
 * the teammates' people.
 *
 * Results are heap memory owned by the caller, freed with the matching
 * *_free / *_clear; on failure *out is NULL (or cleared) and err says why.
 * Errors: KITH_ENOTFOUND for an org or person the handle does not see
 * (exactly as for one that does not exist), KITH_EINVAL for bad options,
 * KITH_ENOMEM, and the database's errors.
 */

/* A chain from a member's person to someone, with each link's strength
 * (edges[i] joins path.ids[i] and path.ids[i + 1]).  Owned by the struct. */
typedef struct kith_chain {
	kith_id member;      /* the member it starts from; 0 for none */
	kith_path path;      /* len 0: no chain */
	double *edges;       /* path.len - 1 strengths */
} kith_chain;

void kith_chain_clear(kith_chain *c);

/* --- Into an organisation --------------------------------------------- */

/* At most this many people of one organisation are weighed per query
 * (after the filters); kith_ways_result.truncated says when more were. */
#define KITH_WAYS_MAX_PEOPLE 1000

typedef struct kith_ways_filter {
	const char *role;    /* words that must all appear in one of the
	                        person's titles there (any case); NULL: any */
	int current_only;    /* only people with a current job there */
	int hops;            /* 0: KITH_INTRO_DEFAULT_HOPS; at most KITH_INTRO_MAX_HOPS */
	size_t alts;         /* alternatives per person (default 0) */
	size_t limit;        /* people returned, 0 = all */
} kith_ways_filter;

typedef struct kith_way {
	kith_id person;
	kith_job *jobs;      /* their jobs at the org, current first */
	size_t njobs;
	int current;         /* one of them has no end date */
	kith_chain best;     /* best.path.len == 0: nobody on the team reaches them */
	kith_chain *alts;    /* next best chains, each with another (member,
	                        first contact) pair, strongest first */
	size_t nalts;
} kith_way;

typedef struct kith_ways_result {
	kith_way *v;
	size_t n;
	size_t people;       /* people at the org who passed the filters */
	int truncated;       /* more than KITH_WAYS_MAX_PEOPLE did */
} kith_ways_result;

/*
 * For each person at org (members' own people excepted), the member best
 * placed to introduce us: the strongest chain (product of link strengths,
 * at most f->hops links, as kith_graph_intro) from any member's person.
 * Ranked by that strength, strongest first, then by person id; people no
 * member reaches come last.  f may be NULL for the defaults.  Release
 * out with kith_ways_result_clear.
 */
int kith_team_ways(kith_db *db, kith_graph *g, kith_id org, const kith_ways_filter *f,
                   kith_ways_result *out, kith_error *err);
void kith_ways_result_clear(kith_ways_result *r);

/* --- What leaves with a member ----------------------------------------- */

/* A link weaker than this does not count as a relationship anyone holds. */
#define KITH_LEAVES_DEFAULT_MIN 0.2

typedef struct kith_held {
	kith_id person;
	double strength;      /* the leaving member's link to them */
	double others;        /* best chain of another member within 2 links
	                         that avoids the leaving member; < min */
	kith_chain suggest;   /* teammate to meet them: the best chain of
	                         another member (any length, not through the
	                         leaving member); len 0 when none */
	kith_id *orgs;        /* organisations they work at now */
	size_t norgs;
} kith_held;

typedef struct kith_leaves {
	kith_id member;
	kith_id person;       /* the member's person */
	kith_held *held;      /* relationships only this member holds, strongest first */
	size_t nheld;
	kith_id *lost_orgs;   /* orgs where nobody else on the team reaches
	                         anyone working there now */
	size_t nlost;
} kith_leaves;

/*
 * What leaves with member (0: every member the handle sees): the people
 * linked to the member's person with strength >= min (0:
 * KITH_LEAVES_DEFAULT_MIN) whom no other member reaches within 2 links
 * with a chain of strength >= min that avoids the member's person.
 * Members' own people are the team, not relationships.  *out is a heap
 * array owned by the caller: kith_leaves_list_free.  KITH_ENOTFOUND for
 * a member that does not exist or whose person the handle cannot see.
 */
int kith_team_leaves(kith_db *db, kith_graph *g, kith_id member, double min,
                     kith_leaves **out, size_t *n, kith_error *err);
void kith_leaves_list_free(kith_leaves *v, size_t n);

/* --- A candidate ---------------------------------------------------------- */

/* A member's strongest chain to a candidate may be this many links longer
 * than their shortest: a detour through stronger ties, not a tour of the
 * network (at a million people a 12-link search is the whole network). */
#define KITH_CANDIDATE_DETOUR 2

typedef struct kith_candidate_tie {
	kith_id member;
	int degree;            /* links from the member's person; -1: not connected */
	kith_path shortest;    /* one shortest chain (len 0: none) */
	kith_chain strongest;  /* within degree + KITH_CANDIDATE_DETOUR links (at most
	                          KITH_INTRO_MAX_HOPS) */
	kith_id *mutual;       /* people both know, by id */
	size_t nmutual;
} kith_candidate_tie;

typedef struct kith_candidate_vouch {
	kith_id voucher;
	double trust;          /* the explicit trust of their link, < 0: none */
	double strength;       /* their relationship's strength at now */
	kith_id member;        /* the member closest to the voucher, 0: none */
	double member_chain;   /* that member's strongest chain to the voucher */
	int64_t created;
} kith_candidate_vouch;

typedef struct kith_candidate {
	kith_id person;
	int degree;                    /* closest member's degree, -1: none */
	kith_candidate_tie *ties;      /* one per member the handle sees */
	size_t nties;
	kith_candidate_vouch *vouches; /* who vouches for them, newest first */
	size_t nvouches;
} kith_candidate;

/* How close person is to the team at now (the vouchers' strengths).  out
 * is filled; release it with kith_candidate_clear. */
int kith_team_candidate(kith_db *db, kith_graph *g, kith_id person, int64_t now,
                        kith_candidate *out, kith_error *err);
void kith_candidate_clear(kith_candidate *c);

/* --- JSON (shared by the CLI's --json and the API) --------------------- */

/* Each returns a new reference (NULL on out-of-memory); people are named
 * as db sees them. */
json_t *kith_chain_json(kith_db *db, const kith_chain *c);
json_t *kith_ways_json(kith_db *db, kith_id org, const kith_ways_result *r);
json_t *kith_leaves_json(kith_db *db, const kith_leaves *v, size_t n);
json_t *kith_candidate_json(kith_db *db, const kith_candidate *c);

#endif
