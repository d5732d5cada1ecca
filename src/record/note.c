/* Notes about a person, by a member, team or private (see kith/member.h).
 * Who reads them is the view's business (store/visibility.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/member.h"

int kith_note_add(kith_db *db, kith_note *n, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = kith__note_check(n, err)))
		return rc;
	if (!n->body || strspn(n->body, " \t\r\n") == strlen(n->body))
		return kith_error_set(err, KITH_EINVAL, "a note needs some text");
	if (strlen(n->body) > 100000)
		return kith_error_set(err, KITH_EINVAL, "a note is limited to 100,000 bytes");
	if ((rc = kith__person_exists(db, n->person, err)))
		return rc;
	if ((rc = kith__prepare(db, "INSERT INTO note(person_id, body, owner, private, created)"
	                            " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5)", &st, err)))
		return rc;
	n->created = kith_db_now(db);
	sqlite3_bind_int64(st, 1, n->person);
	kith__bind_text(st, 2, n->body);
	sqlite3_bind_int64(st, 3, n->owner);
	sqlite3_bind_int(st, 4, n->priv != 0);
	sqlite3_bind_int64(st, 5, n->created);
	rc = kith__step_done(db, st, "add note", err);
	sqlite3_finalize(st);
	if (!rc)
		n->id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

int kith_note_remove(kith_db *db, kith_id id, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "DELETE FROM note WHERE id = ?1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = kith__step_done(db, st, "remove note", err);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->h) == 0)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no note #%lld", (long long)id);
	return rc;
}

void kith_note_list_free(kith_note *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].body);
	free(v);
}

int kith_note_list(kith_db *db, kith_id person, kith_note **out, size_t *n,
                   kith_error *err)
{
	sqlite3_stmt *st;
	kith_note *v = NULL;
	size_t len = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = kith__stmt(db, "SELECT id, person_id, coalesce(owner, 0), private, body,"
	                         " created FROM note WHERE person_id = ?1"
	                         " ORDER BY created DESC, id DESC", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, person);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap && kith__grow(&v, &cap, sizeof(*v), 8)) {
			oom = 1;
			break;
		}
		kith_note *t = &v[len++];
		t->id = sqlite3_column_int64(st, 0);
		t->person = sqlite3_column_int64(st, 1);
		t->owner = sqlite3_column_int64(st, 2);
		t->priv = sqlite3_column_int(st, 3);
		t->body = kith__col_dup(st, 4, &oom);
		t->created = sqlite3_column_int64(st, 5);
	}
	if (oom)
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	else if (rc != SQLITE_DONE)
		rc = kith__sqlerr(db, rc, "list notes", err);
	else
		rc = KITH_OK;
	kith__stmt_release(db, st);
	if (rc) {
		kith_note_list_free(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return KITH_OK;
}
