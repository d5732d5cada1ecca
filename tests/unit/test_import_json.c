/* The JSON import (src/import/json.c): kith's own export read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static char other[400];

static kith_db *open_other(void)
{
	kith_db *db;
	kith_error err;

	snprintf(other, sizeof(other), "%s.other", t_path());
	if (kith_db_open(other, KITH_OPEN_CREATE, &db, &err))
		fail_msg("open: %s", err.msg);
	kith_db_set_now(db, T_NOW);
	return db;
}

static void close_other(kith_db *db)
{
	const char *const ext[] = {"", "-wal", "-shm"};
	char f[420];

	kith_db_close(db);
	for (size_t i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s%s", other, ext[i]);
		unlink(f);
	}
}

static char *export_json(kith_db *db, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	kith_error err;

	assert_non_null(f);
	if (kith_export(db, KITH_EXPORT_JSON, f, &err))
		fail_msg("export: %s", err.msg);
	fclose(f);
	return buf;
}

static kith_db *network(int people)
{
	kith_db *db = t_open();
	kith_id prev = 0, me = t_person(db, "Me Myself", "me@x.example");
	kith_error err;
	char name[32];

	assert_int_equal(kith_set_me(db, me, &err), KITH_OK);
	for (int i = 0; i < people; i++) {
		snprintf(name, sizeof(name), "Person %d", i);
		kith_id p = t_person(db, name, NULL);
		kith_interaction it = {.at = T_NOW - 3600 * (i + 1), .kind = "call", .initiator = p};
		kith_idv_push(&it.people, me);
		kith_idv_push(&it.people, p);
		assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
		kith_idv_clear(&it.people);
		if (prev)
			assert_int_equal(t_link(db, prev, p, "knows", 0.25), KITH_OK);
		prev = p;
	}
	return db;
}

static int yields;

static void count_yield(void *ctx)
{
	(void)ctx;
	yields++;
}

static void batches_keep_the_round_trip(void **state)
{
	kith_db *db = network(300), *back = open_other();
	kith_import_opts o = {.format = KITH_IMPORT_JSON, .batch_ms = 1, .yield = count_yield};
	kith_import_report rep;
	kith_check_report chk;
	kith_error err;
	size_t n1, n2;
	char *e1 = export_json(db, &n1), *e2;

	(void)state;
	yields = 0;
	assert_int_equal(kith_import_buffer(back, e1, n1, &o, &rep, &err), KITH_OK);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.people_created, 301);
	assert_true(rep.batches >= 2);
	assert_int_equal(yields, rep.batches - 1);
	e2 = export_json(back, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(e1, e2, n1);
	/* The pair cache was kept as it went: the check agrees. */
	assert_int_equal(kith_check(back, 0, &chk, &err), KITH_OK);
	assert_int_equal(chk.failed, 0);
	kith_import_report_clear(&rep);
	free(e1);
	free(e2);
	close_other(back);
	t_close(db);
}

static void bad_records_are_rejected_alone(void **state)
{
	kith_db *db = t_open();
	kith_import_report rep;
	kith_error err;
	static const char doc[] =
		"{\"format\": \"kith\", \"version\": 1,"
		" \"people\": [{\"id\": 1, \"name\": \"Ana\"}, {\"id\": 2, \"name\": \"\\u001b[2J\"},"
		"  {\"id\": 3, \"name\": \"Bo\", \"emails\": [\"not an email\"]}],"
		" \"links\": [{\"id\": 1, \"a\": 1, \"b\": 2, \"kind\": \"knows\"},"
		"  {\"id\": 2, \"a\": 1, \"b\": 1, \"kind\": \"knows\"}],"
		" \"interactions\": [{\"id\": 1, \"at\": \"2026-01-01\", \"kind\": \"call\", \"people\": [1]}]}";

	(void)state;
	assert_int_equal(kith_import_buffer(db, doc, strlen(doc), NULL, &rep, &err), KITH_OK);
	assert_int_equal(rep.format, KITH_IMPORT_JSON);
	assert_int_equal(rep.records, 6);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.rejected, 5);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts"), 1);
	kith_import_report_clear(&rep);
	/* Not kith's, and from a newer kith: refused whole. */
	static const char other_json[] = "{\"a\": 1}";
	static const char newer[] = "{\"format\": \"kith\", \"version\": 2}";
	assert_int_equal(kith_import_buffer(db, other_json, strlen(other_json), NULL, &rep, &err),
	                 KITH_EINVAL);
	assert_non_null(strstr(err.msg, "not a kith JSON export"));
	assert_int_equal(kith_import_buffer(db, newer, strlen(newer), NULL, &rep, &err),
	                 KITH_EINVAL);
	assert_non_null(strstr(err.msg, "newer"));
	kith_import_report_clear(&rep);
	t_close(db);
}

static void settings_this_kith_has(void **state)
{
	kith_db *db = t_open();
	kith_import_report rep;
	kith_error err;
	static const char doc[] =
		"{\"format\": \"kith\", \"version\": 1, \"config\": ["
		" {\"key\": \"half_life_days\", \"value\": \"45\"},"
		" {\"key\": \"backup_digest\", \"value\": \"v1:0\"},"
		" {\"key\": \"a_later_knob\", \"value\": \"1\"}]}";

	(void)state;
	assert_int_equal(kith_import_buffer(db, doc, strlen(doc), NULL, &rep, &err), KITH_OK);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.nissues, 2);
	assert_int_equal(rep.issues[0].level, KITH_ISSUE_WARNING);
	assert_true(kith_score_half_life(db) == 45);
	assert_int_equal(t_int(db, "SELECT count(*) FROM config WHERE key <> 'half_life_days'"), 0);
	kith_import_report_clear(&rep);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batches_keep_the_round_trip),
		cmocka_unit_test(bad_records_are_rejected_alone),
		cmocka_unit_test(settings_this_kith_has),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
