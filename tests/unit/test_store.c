/* Opening, schema versions, refusals and transactions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "support.h"

static void new_db_is_current(void **state)
{
	kith_db *db = t_open();

	(void)state;
	assert_int_equal(t_int(db, "PRAGMA user_version"), kith_schema_version());
	assert_int_equal(t_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(t_int(db, "PRAGMA application_id"), 0x6b697468);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link_kind WHERE name = 'mentor'"), 1);
	assert_int_equal(kith_me(db), 0);
	t_close(db);
}

static void reopen_keeps_data(void **state)
{
	kith_db *db = t_open(), *again;
	char path[300];

	(void)state;
	t_person(db, "Ana Silva", "ana@example.com");
	snprintf(path, sizeof(path), "%s", t_path());
	assert_int_equal(kith_db_open(path, 0, &again, NULL), KITH_OK);
	assert_int_equal(t_int(again, "SELECT count(*) FROM person"), 1);
	kith_db_close(again);
	t_close(db);
}

static void missing_file_not_created(void **state)
{
	kith_db *db = NULL;
	kith_error err;

	(void)state;
	assert_int_equal(kith_db_open("/tmp/kith-does-not-exist.db", 0, &db, &err),
	                 KITH_ENOTFOUND);
	assert_null(db);
	assert_non_null(strstr(err.msg, "kith init"));
	assert_int_not_equal(access("/tmp/kith-does-not-exist.db", F_OK), 0);
}

/* Writes raw SQL to a database file with plain SQLite. */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void newer_schema_refused(void **state)
{
	kith_db *db = t_open(), *again = NULL;
	kith_error err;
	char path[300];

	(void)state;
	snprintf(path, sizeof(path), "%s", t_path());
	kith_db_close(db);
	raw_sql(path, "PRAGMA user_version = 99");
	assert_int_equal(kith_db_open(path, 0, &again, &err), KITH_ESCHEMA);
	assert_null(again);
	assert_non_null(strstr(err.msg, "newer"));
	/* Nothing was changed: the version is still the newer one. */
	raw_sql(path, "CREATE TABLE probe(x)");
	{
		sqlite3 *h;
		sqlite3_stmt *st;
		sqlite3_open(path, &h);
		sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL);
		sqlite3_step(st);
		assert_int_equal(sqlite3_column_int(st, 0), 99);
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	t_close(NULL);
}

/* Foreign keys are checked row by row only by an upgrade that rebuilds a
 * table (migrations 9 and 11 copy one and drop the old, with foreign keys
 * off): that check reads the whole database, most of a minute at a
 * million people.  A later upgrade runs with foreign keys on and reads no
 * row: a dangling row written behind kith's back does not stop it (and is
 * still there for `kith check`), but it does stop an upgrade that
 * rebuilds. */
static void upgrade_checks_foreign_keys_when_it_rebuilds(void **state)
{
	static const char dangle[] =
		"INSERT INTO job(person_id, org_id, created) VALUES (1, 4242, 1)";
	kith_db *db = t_open(), *again = NULL;
	kith_error err;
	char path[300], sql[160];

	(void)state;
	t_person(db, "Ana", NULL);
	snprintf(path, sizeof(path), "%s", t_path());
	kith_db_close(db);
	raw_sql(path, dangle);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", kith_schema_version() - 1);
	raw_sql(path, sql);
	assert_int_equal(kith_db_open(path, 0, &again, &err), KITH_OK);
	assert_int_equal(t_int(again, "PRAGMA user_version"), kith_schema_version());
	assert_int_equal(t_int(again, "SELECT count(*) FROM pragma_foreign_key_check"), 1);
	kith_db_close(again);
	/* From before migration 11, which rebuilds person_email. */
	raw_sql(path, "PRAGMA user_version = 10");
	again = NULL;
	assert_int_equal(kith_db_open(path, 0, &again, &err), KITH_ECORRUPT);
	assert_null(again);
	assert_non_null(strstr(err.msg, "points at a missing row of org"));
	raw_sql(path, "DELETE FROM job");
	assert_int_equal(kith_db_open(path, 0, &again, &err), KITH_OK);
	assert_int_equal(t_int(again, "PRAGMA user_version"), kith_schema_version());
	kith_db_close(again);
	t_close(NULL);
}

static void foreign_sqlite_refused(void **state)
{
	char path[] = "/tmp/kith-foreign-XXXXXX";
	int fd = mkstemp(path);
	kith_db *db = NULL;
	kith_error err;

	(void)state;
	close(fd);
	unlink(path);
	raw_sql(path, "CREATE TABLE songs(title TEXT)");
	assert_int_equal(kith_db_open(path, 0, &db, &err), KITH_ECORRUPT);
	assert_non_null(strstr(err.msg, "not a kith database"));
	unlink(path);
}

static void garbage_refused(void **state)
{
	char path[] = "/tmp/kith-garbage-XXXXXX";
	int fd = mkstemp(path);
	kith_db *db = NULL;
	kith_error err;
	char junk[4096];

	(void)state;
	memset(junk, 'x', sizeof(junk));
	assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	close(fd);
	assert_int_equal(kith_db_open(path, 0, &db, &err), KITH_ECORRUPT);
	assert_null(db);
	unlink(path);
}

static void nested_rollback(void **state)
{
	kith_db *db = t_open();

	(void)state;
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	t_person(db, "Kept", NULL);
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	t_person(db, "Dropped", NULL);
	kith_db_rollback(db);
	assert_int_equal(kith_db_commit(db, NULL), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE display_name = 'Kept'"), 1);
	/* An outer rollback undoes inner commits too. */
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	t_person(db, "Gone", NULL);
	kith_db_rollback(db);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	t_close(db);
}

static void busy_when_locked(void **state)
{
	kith_db *db = t_open(), *other;
	kith_person p = {0};
	kith_error err;
	char path[300];

	(void)state;
	snprintf(path, sizeof(path), "%s", t_path());
	assert_int_equal(kith_db_open(path, 0, &other, NULL), KITH_OK);
	kith_db_set_busy_timeout(other, 50);
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	p.display_name = strdup("Blocked");
	assert_int_equal(kith_person_add(other, &p, &err), KITH_EBUSY);
	assert_non_null(strstr(err.msg, "locked"));
	kith_db_rollback(db);
	assert_int_equal(kith_person_add(other, &p, &err), KITH_OK);
	kith_person_clear(&p);
	kith_db_close(other);
	t_close(db);
}

static void me_is_set(void **state)
{
	kith_db *db = t_open();
	kith_id ana = t_person(db, "Ana", NULL);

	(void)state;
	assert_int_equal(kith_set_me(db, 999, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_set_me(db, ana, NULL), KITH_OK);
	assert_int_equal(kith_me(db), ana);
	assert_int_equal(kith_person_remove(db, ana, NULL), KITH_OK);
	assert_int_equal(kith_me(db), 0);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_db_is_current),
		cmocka_unit_test(reopen_keeps_data),
		cmocka_unit_test(missing_file_not_created),
		cmocka_unit_test(newer_schema_refused),
		cmocka_unit_test(upgrade_checks_foreign_keys_when_it_rebuilds),
		cmocka_unit_test(foreign_sqlite_refused),
		cmocka_unit_test(garbage_refused),
		cmocka_unit_test(nested_rollback),
		cmocka_unit_test(busy_when_locked),
		cmocka_unit_test(me_is_set),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
