/* One job by id, and changing one: the API's job page edits a job in
 * place where the CLI only ends one (kith work --end). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/org.h"
#include "kith/date.h"

int kith_job_get(kith_db *db, kith_id id, kith_job *out, kith_error *err)
{
	sqlite3_stmt *st;
	int rc, oom = 0;

	memset(out, 0, sizeof(*out));
	rc = kith__prepare(db, "SELECT j.id, j.person_id, j.org_id, o.name, j.title,"
	                   " j.date_from, j.date_to FROM job j JOIN org o ON o.id = j.org_id"
	                   " WHERE j.id = ?1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->person = sqlite3_column_int64(st, 1);
		out->org = sqlite3_column_int64(st, 2);
		out->org_name = kith__col_dup(st, 3, &oom);
		out->title = kith__col_dup(st, 4, &oom);
		out->from = kith__col_dup(st, 5, &oom);
		out->to = kith__col_dup(st, 6, &oom);
		rc = oom ? kith_error_set(err, KITH_ENOMEM, "out of memory") : KITH_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kith_error_set(err, KITH_ENOTFOUND, "no job #%lld", (long long)id);
	} else {
		rc = kith__sqlerr(db, rc, "read job", err);
	}
	sqlite3_finalize(st);
	if (rc)
		kith_job_clear(out);
	return rc;
}

/* A partial date canonicalised into buf, or NULL for none. */
static int canon(const char *in, char *buf, size_t sz, const char **out, kith_error *err)
{
	*out = NULL;
	if (!in)
		return KITH_OK;
	int rc = kith_date_parse(in, buf, sz, err);
	if (!rc)
		*out = buf;
	return rc;
}

int kith_job_update(kith_db *db, const kith_job *j, kith_error *err)
{
	kith_job c = {0};
	char fb[16], tb[16];
	const char *from, *to;
	sqlite3_stmt *st = NULL;
	int rc, oom = 0;

	c.title = kith__trim_dup(j->title, &oom);
	c.from = j->from ? strdup(j->from) : NULL;
	c.to = j->to ? strdup(j->to) : NULL;
	if (oom || (j->from && !c.from) || (j->to && !c.to)) {
		kith_job_clear(&c);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	rc = kith__job_check(&c, err);
	if (!rc)
		rc = canon(c.from, fb, sizeof(fb), &from, err);
	if (!rc)
		rc = canon(c.to, tb, sizeof(tb), &to, err);
	if (!rc && from && to && strcmp(from, to) > 0)
		rc = kith_error_set(err, KITH_EINVAL, "a job cannot end (%s) before it starts (%s)",
		                    to, from);
	if (!rc)
		rc = kith_db_begin(db, err);
	if (rc) {
		kith_job_clear(&c);
		return rc;
	}
	rc = kith__prepare(db, "UPDATE job SET title = ?1, date_from = ?2, date_to = ?3"
	                   " WHERE id = ?4 RETURNING person_id", &st, err);
	if (!rc) {
		kith_id person = 0;
		kith__bind_text(st, 1, c.title);
		kith__bind_text(st, 2, from);
		kith__bind_text(st, 3, to);
		sqlite3_bind_int64(st, 4, j->id);
		int sr = sqlite3_step(st);
		if (sr == SQLITE_ROW) {
			person = sqlite3_column_int64(st, 0);
			rc = kith__step_done(db, st, "change job", err);
		} else if (sr != SQLITE_DONE) {
			rc = kith__sqlerr(db, sr, "change job", err);
		}
		if (!rc && !person)
			rc = kith_error_set(err, KITH_ENOTFOUND, "no job #%lld", (long long)j->id);
		if (!rc)
			rc = kith__person_fts_refresh(db, person, err);
	}
	sqlite3_finalize(st);
	kith_job_clear(&c);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}
