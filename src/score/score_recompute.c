/*
 * Full recompute of the cached pair sums from the whole interaction log,
 * built for tens of millions of interactions (docs/score.md, Performance):
 *
 *   1. score_scan.c reads the log, on two threads when it can, into flat
 *      per-pair contributions;
 *   2. score_sort.c orders and sums them into rows on a thread of its own,
 *   3. while this file inserts those rows as they come, with one
 *      INSERT ... SELECT from a virtual table over the stream: SQLite's
 *      per-row API calls (reset, six binds, step) cost as much as the
 *      insert itself.
 *
 * Rows go in key order, so the B-tree only ever appends.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/feed.h"
#include "internal.h"
#include "score_impl.h"

#define SCAN_THREADS 2  /* the reading is bound by SQLite's stepping */

/* Milliseconds elapsed on the monotonic clock since *t0. */
static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* --- the rows, fed to one INSERT ... SELECT (feed.c) --------------------- */

/* Rows of pair_cache: the feed's pairs packed into chunks of up to
 * KITH__PAIR_CHUNK_FILL entries, one person's at a time. */
struct chunks {
	kith__feed base;
	kith__pair_feed *f;          /* borrowed */
	int64_t ref;                 /* the reference time of every sum */
	int64_t pairs;               /* pairs written */
	const kith__pair_row *v;     /* the feed's current block, owned by it */
	size_t i, n;
	int done;
	kith_id last_a;              /* person of the previous chunk */
	sqlite3_int64 k;             /* the current chunk's key */
	size_t len;                  /* its entries */
	unsigned char chunk[KITH__PAIR_CHUNK_FILL * KITH__PAIR_ENTRY];
};

/* Makes c->v[c->i] the next row of the feed; c->done at its end. */
static int chunk_row(struct chunks *c)
{
	if (c->i < c->n)
		return SQLITE_OK;
	c->i = 0;
	if (kith__pair_feed_next(c->f, &c->v, &c->n))
		return SQLITE_NOMEM;
	c->done = c->n == 0;
	return SQLITE_OK;
}

/* Packs the next chunk: the rows of one person, up to the fill.  A
 * person's first chunk is keyed lo = 0, the next ones by their first b. */
static int chunk_next(kith__feed *base)
{
	struct chunks *c = (struct chunks *)base;
	kith_id a;
	int rc = chunk_row(c);

	c->len = 0;
	if (rc)
		return rc;
	if (c->done)
		return SQLITE_DONE;
	a = c->v[c->i].a;
	c->k = (sqlite3_int64)((uint64_t)a << 32 |
	                       (a == c->last_a ? (uint64_t)c->v[c->i].b : 0));
	c->last_a = a;
	while (!rc && !c->done && c->len < KITH__PAIR_CHUNK_FILL && c->v[c->i].a == a) {
		const kith__pair_row *r = &c->v[c->i++];
		kith_pair_sums sums = {r->u, r->ab, r->ba, c->ref};
		kith__pair_encode(c->chunk + c->len++ * KITH__PAIR_ENTRY, r->b, &sums);
		c->pairs++;
		rc = chunk_row(c);
	}
	return rc ? rc : SQLITE_ROW;
}

static void chunk_column(kith__feed *base, int col, sqlite3_context *ctx)
{
	struct chunks *c = (struct chunks *)base;

	if (col == 0)
		sqlite3_result_int64(ctx, c->k);
	else
		sqlite3_result_blob(ctx, c->chunk, (int)(c->len * KITH__PAIR_ENTRY),
		                    SQLITE_TRANSIENT);
}

/* Empties the cache.  It runs while the log is read.  Debian's SQLite is
 * built with SECURE_DELETE, which would zero every freed page and send a
 * gigabyte of zeros through the WAL at a million people; the rows are
 * numbers derived from the log, and the new cache refills the same free
 * pages at once, so here deleted content is overwritten only where that
 * costs no extra I/O (FAST), and the setting is put back after. */
static int clear_pairs(kith_db *db, kith_error *err)
{
	sqlite3_stmt *st;
	int mode = 1, rc;

	if (sqlite3_prepare_v2(db->h, "PRAGMA secure_delete", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			mode = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	rc = kith__exec(db, "PRAGMA secure_delete = FAST", "recompute strengths", err);
	if (!rc)
		rc = kith__exec(db, "DELETE FROM pair_cache", "recompute strengths", err);
	if (sqlite3_exec(db->h, mode == 1 ? "PRAGMA secure_delete = ON"
	                 : mode == 2 ? "PRAGMA secure_delete = FAST"
	                 : "PRAGMA secure_delete = OFF", NULL, NULL, NULL) != SQLITE_OK && !rc)
		rc = kith__sqlerr(db, sqlite3_errcode(db->h), "recompute strengths", err);
	return rc;
}

/* Fills the emptied cache with the feed's pairs, all referenced to ref;
 * *n is the number of pairs written.  f stays the caller's. */
static int write_pairs(kith_db *db, kith__pair_feed *f, int64_t ref, int64_t *n,
                       kith_error *err)
{
	struct chunks *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	c->base = (kith__feed){.ncol = 2, .next = chunk_next, .column = chunk_column};
	c->f = f;
	c->ref = ref;
	/* OR FAIL: a statement that could abort halfway would copy every
	 * page it touches into a statement journal first, and on any error
	 * the caller rolls the whole transaction back anyway. */
	rc = kith__feed_exec(db, "INSERT OR FAIL INTO pair_cache(k, v)"
	                     " SELECT c0, c1 FROM kith_feed", &c->base,
	                     "recompute strengths", err);
	if (!rc)
		*n = c->pairs;
	free(c);
	return rc;
}

/* --- the recompute ----------------------------------------------------- */

/* Frees what k holds (not k). */
static void kinds_free(kith__kinds *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->name[i]);
	free(k->name);
	free(k->len);
	free(k->w);
}

/* Reads every interaction kind and its weight into k (zeroed by the
 * caller, which frees it with kinds_free whatever the outcome). */
static int load_kinds(kith_db *db, kith__kinds *k, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT name, weight FROM interaction_kind", &st, err);

	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **nn = realloc(k->name, (k->n + 1) * sizeof(*k->name));
		double *nw = nn ? realloc(k->w, (k->n + 1) * sizeof(*k->w)) : NULL;
		size_t *nl = nw ? realloc(k->len, (k->n + 1) * sizeof(*k->len)) : NULL;
		if (nn)
			k->name = nn;
		if (nw)
			k->w = nw;
		if (nl)
			k->len = nl;
		if (!nn || !nw || !nl || !(k->name[k->n] = kith__col_dup(st, 0, NULL))) {
			sqlite3_finalize(st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		k->len[k->n] = strlen(k->name[k->n]);
		k->w[k->n++] = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read kinds", err);
}

/* The newest interaction's time, the largest id of anyone in one and the
 * span of interaction ids (which stands in for their count: the real one
 * would take a scan of its own), all through indexes: one min() or max()
 * per SELECT, or SQLite scans the table. */
static int log_bounds(kith_db *db, int64_t *last, uint64_t *maxid, int64_t *span,
                      kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT (SELECT coalesce(max(at), 0) FROM interaction),"
	                       " (SELECT coalesce(max(person_id), 0) FROM interaction_person),"
	                       " coalesce((SELECT max(id) FROM interaction) - (SELECT min(id) FROM interaction)"
	                       " + 1, 0)",
	                       &st, err);

	if (rc)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*last = sqlite3_column_int64(st, 0);
		*maxid = (uint64_t)sqlite3_column_int64(st, 1);
		*span = sqlite3_column_int64(st, 2);
		rc = KITH_OK;
	} else {
		rc = kith__sqlerr(db, rc, "recompute strengths", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int kith_score_recompute(kith_db *db, int64_t now, kith_score_report *rep,
                         kith_error *err)
{
	kith__kinds k = {0};
	kith__contribs *c = NULL;
	kith__pair_feed *f = NULL;
	kith__layout l;
	struct timespec t0;
	int64_t count = 0, pairs = 0, last = 0, ref, span = 0;
	uint64_t maxid = 0;
	size_t nc = 0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = kith_db_begin(db, err)))
		return rc;
	rc = log_bounds(db, &last, &maxid, &span, err);
	if (!rc && maxid > (uint64_t)KITH__PAIR_MAX_ID)
		rc = kith_error_set(err, KITH_EINVAL, "recompute strengths: person id %llu"
		                    " beyond the cache's range", (unsigned long long)maxid);
	/* The cache holds every logged interaction, planned ones included,
	 * referenced to the later of now and the newest of them. */
	ref = last > now ? last : now;
	/* About one pair per interaction, a tenth of them in groups of three. */
	kith__layout_init(&l, maxid, (size_t)span + (size_t)span / 4);
	if (!rc)
		rc = load_kinds(db, &k, err);
	if (!rc)
		rc = kith__score_scan(db, &k, ref, kith_score_half_life(db), &l, SCAN_THREADS,
		                      clear_pairs, &c, &nc, &count, err);
	if (rep)
		rep->scan_ms = ms_since(&t0);
	if (!rc) {
		rc = kith__pair_feed_new(c, nc, &l, &f, err);
		c = NULL;  /* the feed took them */
	}
	if (!rc)
		rc = write_pairs(db, f, ref, &pairs, err);
	kith__pair_feed_free(f);
	if (!rc)
		rc = kith__bump_generation(db, err);
	if (rc)
		kith_db_rollback(db);
	else
		rc = kith_db_commit(db, err);
	if (rep) {
		rep->interactions = count;
		rep->pairs = pairs;
		rep->ms = ms_since(&t0);
	}
	kith__contribs_free(c, nc);
	kinds_free(&k);
	return rc;
}

/* The cached sums were decayed with the old half-life: a new one means a
 * full recompute, so it lives here rather than beside the formula. */
int kith_score_set_half_life(kith_db *db, double days, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!(days >= 1 && days <= 3650))
		return kith_error_set(err, KITH_EINVAL, "half-life must be 1 to 3650 days");
	rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	rc = kith__prepare(db, "UPDATE config SET value = ?1 WHERE key = 'half_life_days'",
	                   &st, err);
	if (!rc) {
		sqlite3_bind_double(st, 1, days);
		rc = kith__step_done(db, st, "set half-life", err);
		sqlite3_finalize(st);
	}
	/* The cached sums were decayed with the old half-life. */
	if (!rc)
		rc = kith_score_recompute(db, kith_db_now(db), NULL, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}
