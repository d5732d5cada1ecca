#ifndef KITH_SCORE_H_INTERNAL
#define KITH_SCORE_H_INTERNAL

/*
 * What src/score/ gives the floors above it (record/, insight/, import/,
 * the front door): the formula's parts, the kinds' weights, the pair
 * cache and keeping it in step.  Everything else of src/score/ is in its
 * private score_impl.h.  Functions that take a kith_db run on the
 * caller's connection, inside the caller's transaction when there is one.
 */
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "kith/error.h"
#include "kith/interaction.h"
#include "kith/score.h"

/* Above this many people, only the initiator's pairs are strengthened. */
#define KITH_SCORE_MAX_GROUP 20

/* 2^-(to - from)/half-life, times in Unix seconds, half-life in days. */
double kith_score_decay(int64_t from, int64_t to, double half_life);
/* Adds weight w to the sums of pair (a, b) on the side of initiator. */
void kith__score_term(kith_pair_sums *s, kith_id a, kith_id b, kith_id initiator,
                      double w);
/* Adds (sign 1) or takes away (-1) weight w of an interaction at time at
 * to the sums s of pair (a, b), moving them to reference time at when it
 * is later: the one place this arithmetic is written, so that the cache
 * kept in SQL (score.c) and the import's in memory (import/strength.c)
 * hold the same doubles. */
void kith__score_add(kith_pair_sums *s, kith_id a, kith_id b, kith_id initiator,
                     double w, int64_t at, int sign, double h);
/* Moves sums s to the reference time ref when it is later. */
void kith__pair_rebase(kith_pair_sums *s, int64_t ref, double h);
/* Whether the pair (a, b) of an interaction of n people counts. */
int kith__score_pair_counts(size_t n, kith_id initiator, kith_id a, kith_id b);
/* The weight of an interaction kind (1 when unknown). */
int kith__kind_weight(kith_db *db, const char *kind, double *w, kith_error *err);
/* Tells graph snapshots that edge weights moved. */
int kith__bump_generation(kith_db *db, kith_error *err);

/* Adds (sign 1) or takes away (sign -1) an interaction's share of the
 * cached pair strengths (score.c): only a team interaction among team
 * people has one, as the database says at the call.  Runs inside the
 * caller's transaction. */
int kith__score_interaction(kith_db *db, const kith_interaction *it, int sign,
                            kith_error *err);

/* --- the pair cache (score_cache.c) ------------------------------------ */

/* Bytes per packed entry: b, u, ab, ba, ref. */
#define KITH__PAIR_ENTRY 36
/* Entries a chunk may hold (one chunk stays within a 4 KiB page)... */
#define KITH__PAIR_CHUNK_MAX 96
/* ...and how full the full recompute packs them, leaving room to grow. */
#define KITH__PAIR_CHUNK_FILL 64
/* The largest person id the cache's keys can hold. */
#define KITH__PAIR_MAX_ID ((kith_id)0x7fffffff)

/* KITH_EINVAL unless 1 <= a < b <= KITH__PAIR_MAX_ID. */
int kith__pair_check(kith_id a, kith_id b, kith_error *err);
/* Packs entry (b, *s) into the KITH__PAIR_ENTRY bytes at p. */
void kith__pair_encode(unsigned char *p, kith_id b, const kith_pair_sums *s);
/* Unpacks the entry at p into *s; returns its b. */
kith_id kith__pair_decode(const unsigned char *p, kith_pair_sums *s);
/* The cached sums of pair a < b into *s; *found = 0, and *s untouched,
 * when it has none. */
int kith__pair_read(kith_db *db, kith_id a, kith_id b, kith_pair_sums *s, int *found,
                    kith_error *err);
/* Stores the sums of pair a < b. */
int kith__pair_write(kith_db *db, kith_id a, kith_id b, const kith_pair_sums *s,
                     kith_error *err);
/* Drops pair a < b from the cache (nothing when it is not there). */
int kith__pair_remove(kith_db *db, kith_id a, kith_id b, kith_error *err);
/* Sets the sums of pairs (a, b[i]) to s[i], b ascending and all above a,
 * keeping a's other pairs, and packs a's chunks afresh: for writers that
 * gather many pairs first (an import), one pass per person. */
int kith__pair_merge(kith_db *db, kith_id a, const kith_id *b, const kith_pair_sums *s,
                     size_t n, kith_error *err);
/* Drops every pair stored under a (those whose smaller id is a). */
int kith__pair_forget(kith_db *db, kith_id a, kith_error *err);
/* Lookups that keep the last chunk read: pairs asked for in order of a
 * (the graph's weights) then cost one query a chunk, not one a pair.  The
 * chunk is read again whenever the database may have changed.  Zero it to
 * start; kith__pair_reader_clear frees what it holds.  _get answers as
 * kith__pair_read does. */
typedef struct kith__pair_reader {
	struct kith__pair_chunk *c;          /* owned */
	kith_id a, lo;            /* the chunk's person and first b; a = 0: none */
	unsigned int dv;          /* data version when read */
	sqlite3_int64 changes;    /* the connection's change count when read */
} kith__pair_reader;
int kith__pair_reader_get(kith_db *db, kith__pair_reader *r, kith_id a, kith_id b,
                          kith_pair_sums *s, int *found, kith_error *err);
void kith__pair_reader_clear(kith__pair_reader *r);
/* Registers the kith_pairs virtual table on connection h (SQLite code). */
int kith__pair_register(sqlite3 *h);

#endif
