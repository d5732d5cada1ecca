/* Employment: who works or worked where, as what, from when to when. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/org.h"
#include "kith/date.h"

void kith_job_clear(kith_job *j)
{
	if (!j)
		return;
	free(j->org_name);
	free(j->title);
	free(j->from);
	free(j->to);
	memset(j, 0, sizeof(*j));
}

void kith_job_list_free(kith_job *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_job_clear(&v[i]);
	free(v);
}

/* Canonicalises an optional partial date in place. */
static int canon_date(char **d, kith_error *err)
{
	char buf[16];
	int rc;

	if (!*d)
		return KITH_OK;
	rc = kith_date_parse(*d, buf, sizeof(buf), err);
	if (rc)
		return rc;
	free(*d);
	*d = strdup(buf);
	return *d ? KITH_OK : kith_error_set(err, KITH_ENOMEM, "out of memory");
}

static int check_period(const char *from, const char *to, kith_error *err)
{
	if (from && to && strcmp(from, to) > 0)
		return kith_error_set(err, KITH_EINVAL,
			"a job cannot end (%s) before it starts (%s)", to, from);
	return KITH_OK;
}

int kith_job_add(kith_db *db, kith_job *j, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	int oom = 0;
	int rc = kith__job_check(j, err);
	char *title = rc ? NULL : kith__trim_dup(j->title, &oom);

	if (rc)
		return rc;
	if (oom)
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	free(j->title);
	j->title = title;
	if (!rc)
		rc = canon_date(&j->from, err);
	if (!rc)
		rc = canon_date(&j->to, err);
	if (!rc)
		rc = check_period(j->from, j->to, err);
	if (!rc)
		rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	rc = kith__person_exists(db, j->person, err);
	if (!rc) {
		kith_org *o = NULL;
		rc = kith_org_get(db, j->org, &o, err);
		kith_org_free(o);
	}
	if (!rc)
		rc = kith__prepare(db, "INSERT INTO job(person_id, org_id, title,"
		                   " date_from, date_to, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		                   &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, j->person);
		sqlite3_bind_int64(st, 2, j->org);
		kith__bind_text(st, 3, j->title);
		kith__bind_text(st, 4, j->from);
		kith__bind_text(st, 5, j->to);
		sqlite3_bind_int64(st, 6, kith_db_now(db));
		rc = kith__step_done(db, st, "add job", err);
	}
	sqlite3_finalize(st);
	if (!rc) {
		j->id = sqlite3_last_insert_rowid(db->h);
		rc = kith__person_fts_refresh(db, j->person, err);
	}
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_job_end(kith_db *db, kith_id job, const char *to, kith_error *err)
{
	sqlite3_stmt *st;
	char buf[16];
	int rc = to ? kith_date_parse(to, buf, sizeof(buf), err) : KITH_OK;

	if (rc)
		return rc;
	rc = kith__prepare(db, "UPDATE job SET date_to = ?1 WHERE id = ?2", &st, err);
	if (rc)
		return rc;
	kith__bind_text(st, 1, to ? buf : NULL);
	sqlite3_bind_int64(st, 2, job);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return kith_error_set(err, KITH_EINVAL, "a job cannot end before it starts");
	if (rc != SQLITE_DONE)
		return kith__sqlerr(db, rc, "end job", err);
	if (sqlite3_changes(db->h) == 0)
		return kith_error_set(err, KITH_ENOTFOUND, "no job #%lld", (long long)job);
	return KITH_OK;
}

int kith_job_remove(kith_db *db, kith_id job, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	kith_id person = 0;
	int rc = kith_db_begin(db, err);

	if (rc)
		return rc;
	rc = kith__prepare(db, "DELETE FROM job WHERE id = ?1 RETURNING person_id", &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, job);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			person = sqlite3_column_int64(st, 0);
		rc = kith__step_done(db, st, "remove job", err);
		sqlite3_finalize(st);
	}
	if (!rc && !person)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no job #%lld", (long long)job);
	if (!rc)
		rc = kith__person_fts_refresh(db, person, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

#define JOB_LIST(where) \
	"SELECT j.id, j.person_id, j.org_id, o.name, j.title, j.date_from, j.date_to" \
	" FROM job j JOIN org o ON o.id = j.org_id WHERE " where \
	" ORDER BY j.date_to IS NOT NULL, j.date_to DESC, j.date_from DESC, j.id DESC"

/* sql is one of the JOB_LIST literals, kept prepared (kith__stmt): the
 * person page reads it on every request. */
static int list_jobs(kith_db *db, const char *sql, kith_id id, kith_job **out,
                     size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	kith_job *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	rc = kith__stmt(db, sql, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 8)) {
			oom = 1;
			break;
		}
		kith_job *j = &v[cnt++];
		memset(j, 0, sizeof(*j));
		j->id = sqlite3_column_int64(st, 0);
		j->person = sqlite3_column_int64(st, 1);
		j->org = sqlite3_column_int64(st, 2);
		j->org_name = kith__col_dup(st, 3, &oom);
		j->title = kith__col_dup(st, 4, &oom);
		j->from = kith__col_dup(st, 5, &oom);
		j->to = kith__col_dup(st, 6, &oom);
	}
	kith__stmt_release(db, st);
	if (oom || rc != SQLITE_DONE) {
		kith_job_list_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "list jobs", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

int kith_job_list(kith_db *db, kith_id person, kith_job **out, size_t *n,
                  kith_error *err)
{
	return list_jobs(db, JOB_LIST("j.person_id = ?1"), person, out, n, err);
}

int kith_job_list_at(kith_db *db, kith_id org, kith_job **out, size_t *n,
                     kith_error *err)
{
	return list_jobs(db, JOB_LIST("j.org_id = ?1"), org, out, n, err);
}
