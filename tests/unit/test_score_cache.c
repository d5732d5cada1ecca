/* The packed pair cache (src/score/score_cache.c): reads and writes against a
 * plain array oracle through chunk splits, removals and range checks; the
 * full recompute's packing of a hub and the incremental updates after it;
 * damaged chunks refused; and the rebuild when a database from before the
 * packed layout is opened. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support.h"
#include "kith/score.h"
#include "score/score_impl.h"

#define DAY 86400
#define NB 1000  /* partners of the hub: sixteen chunks and more */

struct oracle {
	int has[NB + 2];
	kith_pair_sums s[NB + 2];
};

static sqlite3 *h(kith_db *db)
{
	return kith_db_sqlite(db);
}

/* Every pair the cache holds, through kith_pairs, must be the oracle's
 * (for a = 1) and in order. */
static void check_all(kith_db *db, const struct oracle *o)
{
	sqlite3_stmt *st;
	size_t seen = 0, want = 0;
	int64_t last = 0;

	for (int b = 2; b < NB + 2; b++)
		want += o->has[b];
	assert_int_equal(sqlite3_prepare_v2(h(db), "SELECT a, b, u, ab, ba, ref FROM kith_pairs",
	                                    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t b = sqlite3_column_int64(st, 1);
		assert_int_equal(sqlite3_column_int64(st, 0), 1);
		assert_true(b > last && b < NB + 2);
		assert_true(o->has[b]);
		assert_true(sqlite3_column_double(st, 2) == o->s[b].u);
		assert_true(sqlite3_column_double(st, 3) == o->s[b].ab);
		assert_true(sqlite3_column_double(st, 4) == o->s[b].ba);
		assert_int_equal(sqlite3_column_int64(st, 5), o->s[b].ref);
		last = b;
		seen++;
	}
	sqlite3_finalize(st);
	assert_int_equal(seen, want);
}

/* One person with a thousand partners written in random order, rewritten
 * and removed at random: every read agrees with the oracle, chunks never
 * pass their maximum, and the lookup key rule (first chunk lo = 0) holds. */
static void writes_match_oracle(void **state)
{
	kith_db *db = t_open();
	static struct oracle o;
	unsigned seed = 7;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	for (int step = 0; step < 6000; step++) {
		kith_id b = 2 + rand_r(&seed) % NB;
		kith_pair_sums s = {rand_r(&seed) / 7.0, rand_r(&seed) / 3.0, step * 0.5,
		                    T_NOW + step}, got;
		int found;
		if (rand_r(&seed) % 5 == 0) {
			assert_int_equal(kith__pair_remove(db, 1, b, NULL), KITH_OK);
			o.has[b] = 0;
		} else {
			assert_int_equal(kith__pair_write(db, 1, b, &s, NULL), KITH_OK);
			o.has[b] = 1;
			o.s[b] = s;
		}
		b = 2 + rand_r(&seed) % NB;
		assert_int_equal(kith__pair_read(db, 1, b, &got, &found, NULL), KITH_OK);
		assert_int_equal(found, o.has[b]);
		if (found)
			assert_memory_equal(&got, &o.s[b], sizeof(got));
	}
	check_all(db, &o);
	assert_true(t_int(db, "SELECT count(*) FROM pair_cache") >= NB / KITH__PAIR_CHUNK_MAX);
	assert_int_equal(t_int(db, "SELECT max(length(v)) FROM pair_cache") <=
	                 KITH__PAIR_CHUNK_MAX * KITH__PAIR_ENTRY, 1);
	assert_int_equal(t_int(db, "SELECT min(k) FROM pair_cache"), (int64_t)1 << 32);
	/* Another person's pairs are apart, and forgetting them leaves a's. */
	kith_pair_sums s = {1, 2, 3, T_NOW}, got;
	int found;
	assert_int_equal(kith__pair_write(db, 2, 5, &s, NULL), KITH_OK);
	assert_int_equal(kith__pair_read(db, 2, 5, &got, &found, NULL), KITH_OK);
	assert_true(found && got.ab == 2);
	assert_int_equal(kith__pair_forget(db, 2, NULL), KITH_OK);
	assert_int_equal(kith__pair_read(db, 2, 5, &got, &found, NULL), KITH_OK);
	assert_false(found);
	check_all(db, &o);
	assert_int_equal(kith_db_commit(db, NULL), KITH_OK);
	t_close(db);
}

/* Batches merged into a person with chunks already (some split, some
 * emptied): the result is the oracle's, packed at the fill; a batch out of
 * order is refused and changes nothing. */
static void merge_matches_oracle(void **state)
{
	kith_db *db = t_open();
	static struct oracle o;
	unsigned seed = 3;
	kith_id b[NB];
	kith_pair_sums s[NB];
	kith_error err;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	for (int step = 0; step < 1500; step++) {
		kith_id x = 2 + rand_r(&seed) % NB;
		kith_pair_sums v = {step, 1, 2, T_NOW};
		assert_int_equal(kith__pair_write(db, 1, x, &v, NULL), KITH_OK);
		o.has[x] = 1;
		o.s[x] = v;
	}
	for (int round = 0; round < 5; round++) {
		size_t n = 0;
		for (kith_id x = 2; x < NB + 2; x++)
			if (rand_r(&seed) % 4 == 0) {
				b[n] = x;
				s[n] = (kith_pair_sums){round, x * 0.25, 3, T_NOW + round};
				o.has[x] = 1;
				o.s[x] = s[n++];
			}
		assert_int_equal(kith__pair_merge(db, 1, b, s, n, NULL), KITH_OK);
		check_all(db, &o);
	}
	assert_int_equal(t_int(db, "SELECT max(length(v)) FROM pair_cache"),
	                 KITH__PAIR_CHUNK_FILL * KITH__PAIR_ENTRY);
	b[0] = 9;
	b[1] = 5;
	assert_int_equal(kith__pair_merge(db, 1, b, s, 2, &err), KITH_EINVAL);
	check_all(db, &o);
	assert_int_equal(kith__pair_merge(db, 1, b, s, 0, NULL), KITH_OK);
	check_all(db, &o);
	assert_int_equal(kith_db_commit(db, NULL), KITH_OK);
	t_close(db);
}

/* Pairs the keys cannot hold are refused, not folded onto others. */
static void out_of_range_refused(void **state)
{
	kith_db *db = t_open();
	kith_pair_sums s = {1, 0, 0, T_NOW};
	kith_error err;
	int found;

	(void)state;
	assert_int_equal(kith__pair_write(db, 3, 3, &s, &err), KITH_EINVAL);
	assert_int_equal(kith__pair_write(db, 0, 3, &s, &err), KITH_EINVAL);
	assert_int_equal(kith__pair_write(db, 1, KITH__PAIR_MAX_ID + 1, &s, &err), KITH_EINVAL);
	assert_non_null(strstr(err.msg, "range"));
	assert_int_equal(kith__pair_read(db, 5, 4, &s, &found, &err), KITH_EINVAL);
	assert_int_equal(t_int(db, "SELECT count(*) FROM pair_cache"), 0);
	t_close(db);
}

/* A chunk of the wrong length is reported as damage. */
static void damaged_chunk_refused(void **state)
{
	kith_db *db = t_open();
	kith_pair_sums s = {1, 0, 0, T_NOW};
	kith_error err;
	int found;

	(void)state;
	assert_int_equal(kith__pair_write(db, 1, 2, &s, NULL), KITH_OK);
	assert_int_equal(sqlite3_exec(h(db), "UPDATE pair_cache SET v = x'0102'", NULL, NULL,
	                              NULL), SQLITE_OK);
	assert_int_equal(kith__pair_read(db, 1, 2, &s, &found, &err), KITH_ECORRUPT);
	assert_int_equal(kith__pair_write(db, 1, 3, &s, &err), KITH_ECORRUPT);
	t_close(db);
}

/* Logs a call between a and b, days ago, started by a. */
static void call(kith_db *db, kith_id a, kith_id b, int days)
{
	kith_interaction it = {0};

	it.kind = strdup("call");
	it.at = T_NOW - (int64_t)days * DAY;
	it.initiator = a;
	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	assert_int_equal(kith_interaction_add(db, &it, NULL), KITH_OK);
	kith_interaction_clear(&it);
}

/* Every pair's raw weight at T_NOW, as "a-b:raw;" text (the caller's). */
static char *weights(kith_db *db)
{
	sqlite3_stmt *st;
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);

	assert_non_null(out);
	out[0] = 0;
	assert_int_equal(sqlite3_prepare_v2(h(db), "SELECT a, b, u, ab, ba, ref FROM kith_pairs",
	                                    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kith_pair_sums s = {sqlite3_column_double(st, 2), sqlite3_column_double(st, 3),
		                    sqlite3_column_double(st, 4), sqlite3_column_int64(st, 5)};
		if (len + 64 > cap)
			assert_non_null(out = realloc(out, cap *= 2));
		len += (size_t)snprintf(out + len, cap - len, "%lld-%lld:%.9f;",
		                        (long long)sqlite3_column_int64(st, 0),
		                        (long long)sqlite3_column_int64(st, 1),
		                        kith_score_raw(&s, T_NOW, 90));
	}
	sqlite3_finalize(st);
	return out;
}

/* A hub of 300: the recompute packs its pairs into chunks of the fill, and
 * incremental updates after it (new partners, more calls) land where the
 * next recompute puts them. */
static void recompute_packs_hub(void **state)
{
	kith_db *db = t_open();
	kith_id p[301];
	char name[32], *inc, *full;

	(void)state;
	for (int i = 0; i < 301; i++) {
		snprintf(name, sizeof(name), "P%d", i);
		p[i] = t_person(db, name, NULL);
	}
	for (int i = 1; i < 250; i++)
		call(db, p[0], p[i], i % 40);
	int64_t secure = t_int(db, "PRAGMA secure_delete");
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
	/* The recompute relaxes secure delete for its own DELETE only. */
	assert_int_equal(t_int(db, "PRAGMA secure_delete"), secure);
	assert_int_equal(t_int(db, "SELECT count(*) FROM pair_cache"),
	                 (249 + KITH__PAIR_CHUNK_FILL - 1) / KITH__PAIR_CHUNK_FILL);
	assert_int_equal(t_int(db, "SELECT max(length(v)) FROM pair_cache"),
	                 KITH__PAIR_CHUNK_FILL * KITH__PAIR_ENTRY);
	for (int i = 1; i < 301; i++)
		call(db, p[0], p[i], 1 + i % 7);
	inc = weights(db);
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
	full = weights(db);
	assert_string_equal(inc, full);
	assert_int_equal(t_int(db, "SELECT count(*) FROM kith_pairs"), 300);
	free(inc);
	free(full);
	t_close(db);
}

/* A database from before the packed layout (schema 7, one row per pair)
 * is upgraded on open: the old table goes and the cache is rebuilt. */
static void old_layout_rebuilt(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Ben", NULL);
	char *before, *after;

	(void)state;
	call(db, a, b, 3);
	call(db, b, a, 10);
	before = weights(db);
	assert_int_equal(sqlite3_exec(h(db), "DROP TABLE pair_cache;"
	                              "CREATE TABLE pair_strength (a INTEGER NOT NULL,"
	                              " b INTEGER NOT NULL, u REAL NOT NULL, ab REAL NOT NULL,"
	                              " ba REAL NOT NULL, ref INTEGER NOT NULL,"
	                              " PRIMARY KEY (a, b), CHECK (a < b)) WITHOUT ROWID;"
	                              "INSERT INTO pair_strength VALUES (1, 2, 9, 9, 9, 0);"
	                              "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
	kith_db_close(db);
	assert_int_equal(kith_db_open(t_path(), 0, &db, NULL), KITH_OK);
	kith_db_set_now(db, T_NOW);
	assert_int_equal(t_int(db, "SELECT count(*) FROM sqlite_schema"
	                       " WHERE name = 'pair_strength'"), 0);
	assert_int_equal(t_int(db, "PRAGMA user_version"), kith_schema_version());
	after = weights(db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_match_oracle),
		cmocka_unit_test(merge_matches_oracle),
		cmocka_unit_test(out_of_range_refused),
		cmocka_unit_test(damaged_chunk_refused),
		cmocka_unit_test(recompute_packs_hub),
		cmocka_unit_test(old_layout_rebuilt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
