/* Backups (store/backup.c), restore (restore.c) and check (check.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "support.h"
#include "kith/backup.h"

static char bk[400], other[400];

static void paths(void)
{
	snprintf(bk, sizeof(bk), "%s.backup", t_path());
	snprintf(other, sizeof(other), "%s.other", t_path());
}

static void cleanup(void)
{
	const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	char f[420];

	for (size_t i = 0; i < 4; i++) {
		snprintf(f, sizeof(f), "%s%s", bk, ext[i]);
		unlink(f);
		snprintf(f, sizeof(f), "%s%s", other, ext[i]);
		unlink(f);
	}
}

static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

/* Three people, a link and two interactions: pairs in the cache. */
static kith_db *network(void)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana Silva", "ana@x.example");
	kith_id b = t_person(db, "Bo Chen", "bo@x.example");
	kith_id c = t_person(db, "Cy Moreau", NULL);
	kith_error err;

	paths();
	assert_int_equal(t_link(db, a, b, "friend", 0.5), KITH_OK);
	for (int i = 0; i < 2; i++) {
		kith_interaction it = {.at = T_NOW - 86400 * (i + 1), .kind = "call"};
		kith_idv_push(&it.people, a);
		kith_idv_push(&it.people, i ? c : b);
		assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
		kith_idv_clear(&it.people);
	}
	return db;
}

static void backup_is_verified_and_counted(void **state)
{
	kith_db *db = network();
	kith_backup_info info;
	kith_error err;

	(void)state;
	assert_int_equal(kith_backup(db, bk, 0, &info, &err), KITH_OK);
	assert_int_equal(info.people, 3);
	assert_int_equal(info.links, 1);
	assert_int_equal(info.interactions, 2);
	assert_int_equal(info.schema, kith_schema_version());
	assert_int_equal(info.digest, 1);
	assert_true(info.bytes > 0);
	assert_int_equal(access(bk, F_OK), 0);
	assert_int_equal(kith_backup_verify(bk, NULL, &err), KITH_OK);
	/* An existing file is kept unless forced. */
	assert_int_equal(kith_backup(db, bk, 0, NULL, &err), KITH_EEXISTS);
	assert_int_equal(kith_backup(db, bk, 1, NULL, &err), KITH_OK);
	cleanup();
	t_close(db);
}

static void changed_byte_is_found(void **state)
{
	kith_db *db = network();
	kith_error err;
	FILE *f;
	char *data;
	long n;

	(void)state;
	/* A field no index holds: a changed byte there leaves every page and
	 * index consistent, which integrity_check cannot see. */
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), "UPDATE person SET notes ="
	                              " 'zebra crossing' WHERE id = 3", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kith_backup(db, bk, 0, NULL, &err), KITH_OK);
	assert_non_null(f = fopen(bk, "r+b"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	assert_non_null(data = malloc((size_t)n));
	fseek(f, 0, SEEK_SET);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	char *at = memmem(data, (size_t)n, "zebra", 5);
	assert_non_null(at);
	fseek(f, at - data + 1, SEEK_SET);
	fputc('i', f);  /* "zibra" */
	fclose(f);
	free(data);
	assert_int_equal(kith_backup_verify(bk, NULL, &err), KITH_ECORRUPT);
	if (!strstr(err.msg, "digest"))
		fail_msg("%s", err.msg);
	/* ...and a restore of it changes nothing. */
	assert_int_equal(kith_restore(bk, t_path(), NULL, &err), KITH_ECORRUPT);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE display_name = 'Cy Moreau'"), 1);
	cleanup();
	t_close(db);
}

static void newer_and_foreign_are_refused(void **state)
{
	kith_db *db = network();
	kith_error err;

	(void)state;
	assert_int_equal(kith_backup(db, bk, 0, NULL, &err), KITH_OK);
	raw_sql(bk, "PRAGMA user_version = 999");
	assert_int_equal(kith_restore(bk, t_path(), NULL, &err), KITH_ESCHEMA);
	raw_sql(other, "CREATE TABLE t(x)");
	assert_int_equal(kith_restore(other, t_path(), NULL, &err), KITH_ECORRUPT);
	assert_int_equal(kith_backup_verify("/nonexistent/kith.db", NULL, &err), KITH_ENOTFOUND);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 3);
	cleanup();
	t_close(db);
}

static void restore_is_seen_by_open_handles(void **state)
{
	kith_db *db = network(), *reader;
	kith_backup_info info;
	kith_error err;
	int64_t token;

	(void)state;
	assert_int_equal(kith_backup(db, bk, 0, NULL, &err), KITH_OK);
	t_person(db, "Dee Later", NULL);
	reader = t_viewer(0);  /* another connection, as a server holds */
	assert_int_equal(t_int(reader, "SELECT count(*) FROM person"), 4);
	token = t_int(reader, "SELECT token FROM graph_state");
	assert_int_equal(kith_restore(bk, t_path(), &info, &err), KITH_OK);
	assert_int_equal(info.people, 3);
	assert_int_equal(t_int(reader, "SELECT count(*) FROM person"), 3);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE display_name = 'Dee Later'"), 0);
	/* The digest describes the backup, not the live database. */
	assert_int_equal(t_int(db, "SELECT count(*) FROM config WHERE key = 'backup_digest'"), 0);
	/* The generation moved: a snapshot of the later network, whose number
	 * the restored one may reach again, is stale all the same. */
	assert_true(t_int(reader, "SELECT token FROM graph_state") != token);
	kith_db_close(reader);
	/* Into a new place. */
	assert_int_equal(kith_restore(bk, other, &info, &err), KITH_OK);
	assert_int_equal(kith_backup_verify(other, &info, &err), KITH_OK);
	assert_int_equal(info.people, 3);
	cleanup();
	t_close(db);
}

static const kith_check_item *item(const kith_check_report *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->items[i].name, name) == 0)
			return &r->items[i];
	fail_msg("no check %s", name);
	return NULL;
}

static void check_finds_tampered_caches(void **state)
{
	kith_db *db = network();
	kith_check_report rep;
	kith_error err;

	(void)state;
	assert_int_equal(kith_check(db, 0, &rep, &err), KITH_OK);
	assert_int_equal(rep.failed, 0);
	assert_true(rep.n >= 9);
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), "UPDATE pair_cache SET v ="
	                              " substr(v, 1, length(v) - 36)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), "UPDATE person_fts SET name = 'x' WHERE rowid = 1",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kith_check(db, 0, &rep, &err), KITH_OK);
	assert_false(item(&rep, "pair-cache")->ok);
	assert_false(item(&rep, "search-people")->ok);
	assert_true(item(&rep, "search-orgs")->ok);
	assert_true(item(&rep, "integrity")->ok);
	assert_int_equal(rep.failed, 2);
	assert_int_equal(kith_check(db, 1, &rep, &err), KITH_OK);
	assert_int_equal(rep.failed, 0);
	assert_int_equal(rep.repaired, 2);
	assert_int_equal(kith_check(db, 0, &rep, &err), KITH_OK);
	assert_int_equal(rep.failed, 0);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backup_is_verified_and_counted),
		cmocka_unit_test(changed_byte_is_found),
		cmocka_unit_test(newer_and_foreign_are_refused),
		cmocka_unit_test(restore_is_seen_by_open_handles),
		cmocka_unit_test(check_finds_tampered_caches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
