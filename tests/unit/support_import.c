#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_import.h"

const char *ti_data(const char *name)
{
	static char path[512];
	const char *dir = getenv("KITH_TEST_DATA");

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "tests/data", name);
	return path;
}

void ti_import(kith_db *db, const char *name, int format, kith_import_report *rep)
{
	kith_import_opts o = {.format = format};
	kith_error err;

	if (kith_import_file(db, ti_data(name), &o, rep, &err))
		fail_msg("import %s: %s", name, err.msg);
}

int ti_import_str(kith_db *db, const char *text, int format, kith_import_report *rep)
{
	kith_import_opts o = {.format = format};

	return kith_import_buffer(db, text, strlen(text), &o, rep, NULL);
}

kith_person *ti_by_email(kith_db *db, const char *email)
{
	kith_person *p = NULL;
	kith_id id;
	kith_error err;

	if (kith_person_resolve(db, email, &id, NULL, &err))
		fail_msg("nobody has %s: %s", email, err.msg);
	if (kith_person_get(db, id, &p, &err))
		fail_msg("get %s: %s", email, err.msg);
	return p;
}

int ti_has_issue(const kith_import_report *r, int64_t line, int level, const char *text)
{
	for (size_t i = 0; i < r->nissues; i++)
		if (r->issues[i].line == line && r->issues[i].level == level &&
		    strstr(r->issues[i].reason, text))
			return 1;
	for (size_t i = 0; i < r->nissues; i++)
		print_message("  issue line %lld level %d: %s\n", (long long)r->issues[i].line,
		              r->issues[i].level, r->issues[i].reason);
	return 0;
}

char *ti_text(kith_db *db, const char *sql)
{
	sqlite3_stmt *st;
	char *v = NULL;

	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

kith_db *ti_open_me(void)
{
	kith_db *db = t_open();
	kith_id me = t_person(db, "Alex Morgan", "alex@kith.example");

	assert_int_equal(kith_set_me(db, me, NULL), KITH_OK);
	return db;
}
