/* The demo network: believable, deterministic, all-or-nothing. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support.h"

/* A digest of the content (not the timestamps of writing). */
static uint64_t digest(kith_db *db)
{
	static const char *const sql[] = {
		"SELECT id, display_name, coalesce(city,''), coalesce(notes,'') FROM person ORDER BY id",
		"SELECT person_id, email FROM person_email ORDER BY 1, 2",
		"SELECT id, a, b, kind, coalesce(trust, -1), coalesce(since,'') FROM link ORDER BY id",
		"SELECT id, at, kind, coalesce(giver, 0), coalesce(notes,'') FROM interaction ORDER BY id",
		"SELECT id, person_id, org_id, coalesce(title,''), coalesce(date_from,'') FROM job ORDER BY id"};
	uint64_t h = 1469598103934665603ULL;

	for (size_t q = 0; q < sizeof(sql) / sizeof(sql[0]); q++) {
		sqlite3_stmt *st;
		sqlite3_prepare_v2(kith_db_sqlite(db), sql[q], -1, &st, NULL);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *t = sqlite3_column_text(st, c);
				for (; t && *t; t++)
					h = (h ^ *t) * 1099511628211ULL;
				h = (h ^ '|') * 1099511628211ULL;
			}
		sqlite3_finalize(st);
	}
	return h;
}

static kith_db *demo(uint64_t seed, kith_demo_report *r)
{
	kith_db *db = t_open();
	kith_demo_opts o = {.seed = seed, .people = 120};
	kith_error err;

	kith_set_me(db, t_person(db, "Alex Morgan", "alex@kith.example"), NULL);
	if (kith_demo_generate(db, &o, r, &err))
		fail_msg("demo: %s", err.msg);
	return db;
}

static void deterministic(void **state)
{
	kith_demo_report r1, r2, r3;
	kith_db *a = demo(7, &r1);
	uint64_t ha = digest(a), hb, hc;

	(void)state;
	t_close(a);
	a = demo(7, &r2);
	hb = digest(a);
	t_close(a);
	a = demo(8, &r3);
	hc = digest(a);
	t_close(a);
	assert_true(ha == hb);
	assert_true(ha != hc);
	assert_memory_equal(&r1, &r2, sizeof(r1));
}

static void believable(void **state)
{
	kith_demo_report r;
	kith_db *db = demo(42, &r);
	kith_id me = kith_me(db);
	char sql[256];

	(void)state;
	assert_int_equal(r.people, 120);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 121);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), r.links);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), r.interactions);
	assert_true(r.links > 200);
	assert_true(r.interactions > 300);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM link WHERE a = %lld OR b = %lld",
	         (long long)me, (long long)me);
	assert_true(t_int(db, sql) >= 100);
	/* Every interaction is within the year before now. */
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE at > 1795435200"
	                           " OR at < 1795435200 - 366 * 86400"), 0);
	assert_true(t_int(db, "SELECT count(*) FROM interaction WHERE kind = 'favour'") > 0);
	assert_true(t_int(db, "SELECT count(*) FROM job WHERE date_to IS NULL") > 50);
	assert_true(t_int(db, "SELECT count(*) FROM person WHERE display_name GLOB '*[^ -~]*'") > 5);
	t_close(db);
}

static void needs_me(void **state)
{
	kith_db *db = t_open();
	kith_demo_opts o = {.seed = 1, .people = 20};
	kith_demo_report r;

	(void)state;
	assert_int_equal(kith_demo_generate(db, &o, &r, NULL), KITH_EINVAL);
	assert_int_equal(t_int(db, "SELECT count(*) FROM org"), 0);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deterministic),
		cmocka_unit_test(believable),
		cmocka_unit_test(needs_me),
	};
	return cmocka_run_group_tests_name("demo", tests, NULL, NULL);
}
