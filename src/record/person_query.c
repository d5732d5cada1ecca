/* Finding people: by what a user types, by filters, and tag counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/person.h"

#define MAX_CANDIDATES 50

static int resolve_email(kith_db *db, const char *ref, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st;
	char *email = kith__trim_dup(ref, NULL);
	int rc;

	if (!email)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith__prepare(db, "SELECT person_id FROM person_email WHERE email = ?1",
	                   &st, err);
	if (!rc) {
		kith__bind_text(st, 1, email);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*id = sqlite3_column_int64(st, 0);
			rc = KITH_OK;
		} else if (rc == SQLITE_DONE) {
			rc = kith_error_set(err, KITH_ENOTFOUND, "nobody has the email %s", email);
		} else {
			rc = kith__sqlerr(db, rc, "find person", err);
		}
		sqlite3_finalize(st);
	}
	free(email);
	return rc;
}

/* True when the folded display name, or "given family", equals folded. */
static int name_equals(sqlite3_stmt *st, const char *folded)
{
	int eq = 0;

	for (int col = 1; col <= 2 && !eq; col++) {
		const char *s = (const char *)sqlite3_column_text(st, col);
		char *f = s ? kith__fold(s) : NULL;
		eq = f && strcmp(f, folded) == 0;
		free(f);
	}
	return eq;
}

/* Collects people whose name words start with the words of ref (prefix
 * matches) and, separately, those whose whole name equals ref. */
static int name_candidates(kith_db *db, const char *ref, kith_idv *prefix,
                           kith_idv *exact, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	char *q = kith__fts_query(ref, "name");
	char *folded = kith__fold(ref);
	int rc;

	if (!q || !folded) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = KITH_OK;
	if (!*q)
		goto cleanup;
	rc = kith__prepare(db, "SELECT p.id, p.display_name,"
	                   " trim(coalesce(p.given_name, '') || ' ' || coalesce(p.family_name, ''))"
	                   " FROM person_fts f JOIN person p ON p.id = f.rowid"
	                   " WHERE person_fts MATCH ?1 ORDER BY p.display_name, p.id",
	                   &st, err);
	if (rc)
		goto cleanup;
	kith__bind_text(st, 1, q);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kith_id id = sqlite3_column_int64(st, 0);
		if ((prefix->n < MAX_CANDIDATES && kith_idv_push(prefix, id)) ||
		    (name_equals(st, folded) && kith_idv_push(exact, id))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "find person", err);
cleanup:
	sqlite3_finalize(st);
	free(q);
	free(folded);
	return rc;
}

static int resolve_name(kith_db *db, const char *ref, kith_id *id,
                        kith_idv *candidates, kith_error *err)
{
	kith_idv prefix = {0}, exact = {0};
	kith_idv *pick;
	char *name = kith__trim_dup(ref, NULL);
	int rc;

	if (!name)
		return kith_error_set(err, KITH_EINVAL, "empty person name");
	rc = name_candidates(db, name, &prefix, &exact, err);
	if (rc)
		goto cleanup;
	pick = exact.n ? &exact : &prefix;
	if (pick->n == 1) {
		*id = pick->v[0];
	} else if (pick->n == 0) {
		rc = kith_error_set(err, KITH_ENOTFOUND, "no person matches '%s'", name);
	} else {
		rc = kith_error_set(err, KITH_EAMBIGUOUS, "'%s' matches %s%zu people",
		                    name, pick->n >= MAX_CANDIDATES ? "at least " : "",
		                    pick->n);
		if (candidates) {
			*candidates = *pick;
			memset(pick, 0, sizeof(*pick));
		}
	}
cleanup:
	kith_idv_clear(&prefix);
	kith_idv_clear(&exact);
	free(name);
	return rc;
}

int kith_person_resolve(kith_db *db, const char *ref, kith_id *id,
                        kith_idv *candidates, kith_error *err)
{
	kith_id n;

	*id = 0;
	if (!ref || !*ref)
		return kith_error_set(err, KITH_EINVAL, "no person given");
	if (strcmp(ref, "me") == 0) {
		*id = kith_me(db);
		return *id ? KITH_OK : kith_error_set(err, KITH_ENOTFOUND,
			"'me' is not set (use 'kith me PERSON' or 'kith init --me NAME')");
	}
	if ((n = kith_parse_id(ref)) != 0) {
		int rc = kith__person_exists(db, n, err);
		if (!rc)
			*id = n;
		return rc;
	}
	if (strchr(ref, '@'))
		return resolve_email(db, ref, id, err);
	return resolve_name(db, ref, id, candidates, err);
}

/* Builds the WHERE clause of a person filter; binds in order of "?". */
static void filter_sql(const kith_person_filter *f, char *buf, size_t sz)
{
	snprintf(buf, sz, " WHERE 1%s%s%s%s",
	         f && f->tag ? " AND EXISTS (SELECT 1 FROM person_tag t"
	                       " WHERE t.person_id = p.id AND t.tag = lower(?))" : "",
	         f && f->city ? " AND p.city = ? COLLATE NOCASE" : "",
	         f && f->country ? " AND p.country = ? COLLATE NOCASE" : "",
	         f && f->org ? " AND EXISTS (SELECT 1 FROM job j WHERE j.person_id"
	                       " = p.id AND j.org_id = ? AND j.date_to IS NULL)" : "");
}

static int filter_bind(sqlite3_stmt *st, const kith_person_filter *f)
{
	int i = 1;

	if (!f)
		return i;
	if (f->tag)
		kith__bind_text(st, i++, f->tag);
	if (f->city)
		kith__bind_text(st, i++, f->city);
	if (f->country)
		kith__bind_text(st, i++, f->country);
	if (f->org)
		sqlite3_bind_int64(st, i++, f->org);
	return i;
}

int kith_person_count(kith_db *db, const kith_person_filter *f, int64_t *n,
                      kith_error *err)
{
	char sql[640], where[512];
	sqlite3_stmt *st;
	int rc;

	filter_sql(f, where, sizeof(where));
	/* plan: scan -- the directory's count; filters are checked per row */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM person p%s", where);
	rc = kith__prepare(db, sql, &st, err);
	if (rc)
		return rc;
	filter_bind(st, f);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KITH_OK : kith__sqlerr(db, rc, "count people", err);
}

void kith_person_list_free(kith_person **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_person_free(v[i]);
	free(v);
}

int kith_person_list(kith_db *db, const kith_person_filter *f,
                     kith_person ***out, size_t *n, kith_error *err)
{
	char sql[768], where[512];
	sqlite3_stmt *st;
	kith_person **v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, i;

	*out = NULL;
	*n = 0;
	filter_sql(f, where, sizeof(where));
	/* plan: scan -- a page of the directory in name order; filters are checked per row */
	snprintf(sql, sizeof(sql), "SELECT id FROM person p%s"
	         " ORDER BY display_name COLLATE NOCASE, id LIMIT ? OFFSET ?", where);
	rc = kith__prepare(db, sql, &st, err);
	if (rc)
		return rc;
	i = filter_bind(st, f);
	sqlite3_bind_int64(st, i, f && f->limit ? (sqlite3_int64)f->limit : -1);
	sqlite3_bind_int64(st, i + 1, f ? (sqlite3_int64)f->offset : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto fail;
		}
		rc = kith_person_get(db, sqlite3_column_int64(st, 0), &v[cnt], err);
		if (rc)
			goto fail;
		cnt++;
	}
	if (rc != SQLITE_DONE) {
		rc = kith__sqlerr(db, rc, "list people", err);
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	return KITH_OK;
fail:
	sqlite3_finalize(st);
	kith_person_list_free(v, cnt);
	return rc;
}

void kith_tag_list_free(kith_tag_count *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].tag);
	free(v);
}

int kith_tag_list(kith_db *db, kith_tag_count **out, size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	kith_tag_count *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	/* plan: scan -- tag counts over the network */
	rc = kith__prepare(db, "SELECT tag, count(*) AS c FROM person_tag GROUP BY tag"
	                   " ORDER BY c DESC, tag", &st, err);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !oom) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			oom = 1;
			break;
		}
		v[cnt].tag = kith__col_dup(st, 0, &oom);
		v[cnt++].count = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (oom || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
		kith_tag_list_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "list tags", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}
