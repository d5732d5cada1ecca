/* The full recompute of the strength cache against the incremental one and
 * the live computation, on a random network with groups, crowds, planned
 * interactions, removals and a custom kind; and its threaded reading
 * against the single-connection one, to the bit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support.h"
#include "kith/score.h"
#include "score/score_impl.h"

#define DAY 86400
#define NPEOPLE 40

struct row {
	int64_t a, b, ref;
	double u, ab, ba;
};

/* Every cache row, in key order; *n rows.  The array is the caller's. */
static struct row *cache_rows(kith_db *db, size_t *n)
{
	sqlite3_stmt *st;
	struct row *v = NULL;
	size_t cap = 0;

	*n = 0;
	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT a, b, u, ab, ba, ref"
	                                    " FROM kith_pairs ORDER BY a, b", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof(*v));
			assert_non_null(v);
		}
		v[*n].a = sqlite3_column_int64(st, 0);
		v[*n].b = sqlite3_column_int64(st, 1);
		v[*n].u = sqlite3_column_double(st, 2);
		v[*n].ab = sqlite3_column_double(st, 3);
		v[*n].ba = sqlite3_column_double(st, 4);
		v[(*n)++].ref = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return v;
}

static double row_raw(const struct row *r, int64_t t, double h)
{
	kith_pair_sums s = {r->u, r->ab, r->ba, r->ref};

	return kith_score_raw(&s, t, h);
}

static void log_random(kith_db *db, const kith_id *p, unsigned *seed, kith_idv *logged)
{
	static const char *const kinds[] = {"meeting", "call", "email", "message", "favour",
		"introduction", "reunion"};
	kith_interaction it = {0};
	unsigned r = rand_r(seed) % 100;
	size_t n = r < 70 ? 2 : r < 95 ? 3 + rand_r(seed) % 4 : 21 + rand_r(seed) % 8;
	kith_error err;

	it.kind = strdup(kinds[rand_r(seed) % 7]);
	/* Two years back to three weeks ahead (planned). */
	it.at = T_NOW - (int64_t)(rand_r(seed) % 730) * DAY + 21 * DAY;
	while (it.people.n < n) {
		kith_id x = p[rand_r(seed) % NPEOPLE];
		int dup = 0;
		for (size_t i = 0; i < it.people.n; i++)
			dup |= it.people.v[i] == x;
		if (!dup)
			kith_idv_push(&it.people, x);
	}
	if (strcmp(it.kind, "favour") == 0) {
		it.giver = it.people.v[rand_r(seed) % n];
		it.value = 1;
	} else if (rand_r(seed) % 3) {
		it.initiator = it.people.v[rand_r(seed) % n];
	}
	if (kith_interaction_add(db, &it, &err))
		fail_msg("log: %s", err.msg);
	kith_idv_push(logged, it.id);
	kith_interaction_clear(&it);
}

static void recompute_matches_incremental(void **state)
{
	kith_db *db = t_open();
	kith_kind custom = {.name = "reunion",
	                    .description = "", .weight = 0.45};
	kith_id p[NPEOPLE];
	kith_idv logged = {0};
	struct row *inc, *serial, *threaded, *tiny, *nested;
	size_t ninc, nserial, nthreaded, ntiny, nnested;
	size_t saved_part = kith__score_part_target;
	int64_t saved = kith__score_parallel_min, late = T_NOW + 30 * DAY;
	unsigned seed = 2026;
	double h;

	(void)state;
	assert_int_equal(kith_kind_add(db, KITH_KIND_INTERACTION, &custom, NULL), KITH_OK);
	for (int i = 0; i < NPEOPLE; i++) {
		char name[24];
		snprintf(name, sizeof(name), "Person %02d", i);
		p[i] = t_person(db, name, NULL);
	}
	for (int k = 0; k < 600; k++)
		log_random(db, p, &seed, &logged);
	for (size_t i = 0; i < logged.n; i += 7)
		assert_int_equal(kith_interaction_remove(db, logged.v[i], NULL), KITH_OK);
	h = kith_score_half_life(db);
	inc = cache_rows(db, &ninc);

	/* On one connection, as a recompute inside a bigger transaction would. */
	kith__score_parallel_min = INT64_MAX;
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
	serial = cache_rows(db, &nserial);
	/* With the reading split among threads, even for this small log. */
	kith__score_parallel_min = 1;
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
	threaded = cache_rows(db, &nthreaded);
	/* With parts of a few contributions: dozens of them, many empty, and
	 * the sorter held back by the writer time and again. */
	kith__score_part_target = 4;
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
	tiny = cache_rows(db, &ntiny);
	kith__score_part_target = saved_part;
	/* Inside the caller's transaction: the readers could not see its
	 * writes, so it must read on the caller's connection. */
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	assert_int_equal(kith_interaction_remove(db, logged.v[1], NULL), KITH_OK);
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
	nested = cache_rows(db, &nnested);
	kith_db_rollback(db);
	kith__score_parallel_min = saved;

	/* Removals leave zero rows behind in the incremental cache. */
	assert_true(ninc >= nserial);
	assert_true(nserial > 100);
	for (size_t i = 0, j = 0; i <= ninc; i++) {
		if (i == ninc) {
			assert_int_equal(j, nserial);  /* no pair of the recompute's is new */
			break;
		}
		double want = row_raw(&inc[i], late, h), got = 0;

		if (j < nserial && serial[j].a == inc[i].a && serial[j].b == inc[i].b)
			got = row_raw(&serial[j++], late, h);
		if (!(fabs(want - got) <= 1e-9 + 1e-9 * want))
			fail_msg("pair %lld-%lld: incremental %.12g, recompute %.12g",
			         (long long)inc[i].a, (long long)inc[i].b, want, got);
	}
	/* The same sums to the bit, whichever way the log was read. */
	assert_int_equal(nserial, nthreaded);
	assert_memory_equal(serial, threaded, nserial * sizeof(*serial));
	assert_int_equal(nserial, ntiny);
	assert_memory_equal(serial, tiny, nserial * sizeof(*serial));
	/* And what the live computation sees once all of it is past. */
	for (size_t i = 0; i < nserial; i += 3) {
		kith_strength s;
		assert_int_equal(kith_strength_get(db, serial[i].a, serial[i].b, late, &s, NULL),
		                 KITH_OK);
		assert_true(fabs(s.raw - row_raw(&serial[i], late, h)) <= 1e-9 + 1e-9 * s.raw);
		kith_strength_clear(&s);
	}
	/* The nested recompute saw its own transaction's removal. */
	assert_true(nnested <= nserial);
	assert_true(nnested != nserial || memcmp(nested, serial, nserial * sizeof(*serial)) != 0);

	free(inc);
	free(serial);
	free(threaded);
	free(tiny);
	free(nested);
	kith_idv_clear(&logged);
	t_close(db);
}

/* An empty log, and a log with no pair that counts, give an empty cache. */
static void recompute_empty(void **state)
{
	kith_db *db = t_open();
	kith_score_report rep;

	(void)state;
	assert_int_equal(kith_score_recompute(db, T_NOW, &rep, NULL), KITH_OK);
	assert_int_equal(rep.interactions, 0);
	assert_int_equal(rep.pairs, 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM kith_pairs"), 0);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recompute_matches_incremental),
		cmocka_unit_test(recompute_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
