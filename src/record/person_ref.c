/* The bottom of src/record/: whether a person is there, and how messages
 * name them.  Every record that points at a person asks here, so none of
 * them calls person.c, which calls some of them. */
#include <stdio.h>

#include "internal.h"

int kith__person_exists(kith_db *db, kith_id id, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, "SELECT 1 FROM person WHERE id = ?1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	kith__stmt_release(db, st);
	if (rc == SQLITE_ROW)
		return KITH_OK;
	if (rc == SQLITE_DONE)
		return kith_error_set(err, KITH_ENOTFOUND, "no person #%lld", (long long)id);
	return kith__sqlerr(db, rc, "find person", err);
}

void kith__person_label(kith_db *db, kith_id id, char *buf, size_t sz)
{
	sqlite3_stmt *st;

	snprintf(buf, sz, "#%lld", (long long)id);
	if (sqlite3_prepare_v2(db->h, "SELECT display_name FROM person WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, sz, "%s (#%lld)", (const char *)sqlite3_column_text(st, 0),
		         (long long)id);
	sqlite3_finalize(st);
}
