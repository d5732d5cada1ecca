#ifndef KITH_SCORE_IMPL_H
#define KITH_SCORE_IMPL_H

/* Shared by the score*.c modules. */
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

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

/* The pair sums of what db's view sees that the cache leaves out: private
 * interactions and those of private people (score_overlay.c).  Load
 * returns an overlay the caller frees with kith__overlay_free (NULL is
 * allowed there), or NULL with err set.  add_to adds pair a < b's sums to
 * *s; a NULL overlay adds nothing. */
typedef struct kith__overlay kith__overlay;
kith__overlay *kith__overlay_load(kith_db *db, double h, kith_error *err);
void kith__overlay_free(kith__overlay *o);
void kith__overlay_add_to(const kith__overlay *o, kith_id a, kith_id b, kith_pair_sums *s);

/* --- the full recompute (score_recompute.c, score_scan.c, score_sort.c) --- */

/* One interaction's share w for one pair a < b, as the scan emits it.  The
 * bin (0 u, 1 ab, 2 ba) rides in the sign bits, which ids never use: bit 63
 * of a holds its low bit, bit 63 of b its high bit. */
typedef struct kith__contrib {
	uint64_t a, b;
	double w;
} kith__contrib;

#define KITH__ID_MASK 0x7fffffffffffffffULL

/* How contributions are split by the high bits of a, so that each part can
 * be sorted (and written) on its own: part = a >> shift.  bits is the
 * length of the largest person id. */
typedef struct kith__layout {
	unsigned bits, shift;
	size_t nparts;
} kith__layout;

/* A layout for ids up to maxid and about n contributions, about
 * kith__score_part_target of them a part (tests make parts tiny). */
void kith__layout_init(kith__layout *l, uint64_t maxid, size_t n);
extern size_t kith__score_part_target;

typedef struct kith__contrib_block {
	struct kith__contrib_block *next;
	size_t n;
	kith__contrib v[];
} kith__contrib_block;

/* One reader's contributions, per part, in the order they were emitted:
 * lists of blocks (no reallocation, and each freed once sorted). */
typedef struct kith__contribs {
	kith__contrib_block **head, **tail;
	size_t nparts;
} kith__contribs;

/* Interaction kinds and their weights, read once per recompute. */
typedef struct kith__kinds {
	char **name;
	size_t *len;    /* of each name */
	double *w;
	size_t n;
} kith__kinds;

/* Reads the whole log and emits every pair's share, referenced to time ref
 * with half-life h, split by layout l.  Splits the interaction ids among up to nthreads
 * threads, each on its own read-only connection, when the database is a
 * file and db holds no transaction of its own but the one the caller just
 * began (their snapshot must be the caller's); else reads on db itself.
 * On success *out is an array of *nout buffers owned by the caller
 * (kith__contribs_free), in interaction-id order when concatenated;
 * *count is the number of interactions read.  A person id beyond the
 * layout's is an error (the log changed under the caller).  meanwhile
 * (optional) runs on db while the threads read, before any reading on db;
 * its failure fails the scan. */
int kith__score_scan(kith_db *db, const kith__kinds *k, int64_t ref, double h,
                     const kith__layout *l, int nthreads,
                     int (*meanwhile)(kith_db *db, kith_error *err),
                     kith__contribs **out, size_t *nout, int64_t *count,
                     kith_error *err);
void kith__contribs_free(kith__contribs *c, size_t n);

/* The interaction count from which the scan uses threads; tests lower it
 * to exercise the threaded path on small databases. */
extern int64_t kith__score_parallel_min;

/* A stream of pair rows (a < b, sums u, ab, ba) in key order, built from
 * the scan's buffers by a sorting thread while the caller consumes it. */
typedef struct kith__pair_row {
	int64_t a, b;
	double u, ab, ba;
} kith__pair_row;
typedef struct kith__pair_feed kith__pair_feed;

/* Starts sorting the n readers' contributions c, laid out by l; takes
 * ownership of c (freed whatever the outcome).  *out is owned by the
 * caller: kith__pair_feed_free. */
int kith__pair_feed_new(kith__contribs *c, size_t n, const kith__layout *l,
                        kith__pair_feed **out, kith_error *err);
/* The next block of rows, valid until the next call: *n = 0 at the end.
 * Returns KITH_OK or KITH_ENOMEM. */
int kith__pair_feed_next(kith__pair_feed *f, const kith__pair_row **rows, size_t *n);
/* Stops the sorting thread and frees everything. */
void kith__pair_feed_free(kith__pair_feed *f);

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
