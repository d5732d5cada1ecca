#ifndef KITH_SCORE_IMPL_H
#define KITH_SCORE_IMPL_H

/* Private to src/score/: the overlay and the full recompute.  What other
 * folders may use is in score/score.h. */
#include "score/score.h"

/* The pair sums of what db's view sees that the cache leaves out: private
 * interactions and those of private people (score_overlay.c).  Load
 * returns an overlay the caller frees with kith__overlay_free (NULL is
 * allowed there), or NULL with err set.  add_to adds pair a < b's sums to
 * *s; a NULL overlay adds nothing. */
typedef struct kith__overlay kith__overlay;
kith__overlay *kith__overlay_load(kith_db *db, double h, kith_error *err);
void kith__overlay_free(kith__overlay *o);
void kith__overlay_add_to(const kith__overlay *o, kith_id a, kith_id b, kith_pair_sums *s);
/* Calls fn for every pair (a < b) the overlay holds a share of. */
void kith__overlay_each(const kith__overlay *o, void (*fn)(void *arg, kith_id a, kith_id b),
                        void *arg);

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

#endif
