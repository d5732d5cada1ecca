#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "support.h"

static char dir[256], path[300];

kith_db *t_open(void)
{
	kith_db *db = NULL;
	kith_error err;
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/kith-test-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (kith_db_open(path, KITH_OPEN_CREATE, &db, &err))
		fail_msg("open: %s", err.msg);
	kith_db_set_now(db, T_NOW);
	return db;
}

const char *t_path(void)
{
	return path;
}

void t_close(kith_db *db)
{
	char f[340];

	kith_db_close(db);
	for (const char *suffix = ""; suffix; suffix = *suffix == '\0' ? "-wal" :
	     strcmp(suffix, "-wal") == 0 ? "-shm" : NULL) {
		snprintf(f, sizeof(f), "%s%s", path, suffix);
		unlink(f);
	}
	rmdir(dir);
}

kith_id t_person(kith_db *db, const char *name, const char *email)
{
	kith_person p = {0};
	kith_error err;
	kith_id id;

	p.display_name = strdup(name);
	if (email)
		kith_strv_push(&p.emails, email);
	if (kith_person_add(db, &p, &err))
		fail_msg("add %s: %s", name, err.msg);
	id = p.id;
	kith_person_clear(&p);
	return id;
}

void t_people(kith_db *db, kith_id *p, int n, const char *prefix)
{
	for (int i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s%02d", prefix, i);
		p[i] = t_person(db, name, NULL);
	}
}

int t_link(kith_db *db, kith_id a, kith_id b, const char *kind, double trust)
{
	kith_link l = {.a = a, .b = b, .kind = kind ? strdup(kind) : NULL,
	               .trust = trust, .has_trust = trust >= 0};
	int rc = kith_link_add(db, &l, NULL);

	kith_link_clear(&l);
	return rc;
}

int64_t t_int(kith_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

kith_db *t_viewer(kith_id member)
{
	kith_db *v;
	kith_error err;

	assert_int_equal(kith_db_open(t_path(), KITH_OPEN_READONLY, &v, &err), KITH_OK);
	kith_db_set_now(v, T_NOW);
	if (member)
		assert_int_equal(kith_db_set_viewer(v, member, &err), KITH_OK);
	return v;
}
