/* Organisations and employment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/org.h"
#include "kith/person.h"

void kith_org_clear(kith_org *o)
{
	if (!o)
		return;
	free(o->name);
	free(o->domain);
	free(o->city);
	free(o->country);
	free(o->notes);
	memset(o, 0, sizeof(*o));
}

void kith_org_free(kith_org *o)
{
	kith_org_clear(o);
	free(o);
}

static int normalize_org(kith_org *o, kith_error *err)
{
	char **fields[] = {&o->name, &o->domain, &o->city, &o->country, &o->notes};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		int oom = 0;
		char *t = kith__trim_dup(*fields[i], &oom);
		free(*fields[i]);
		*fields[i] = t;
		if (oom)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	if (!o->name)
		return kith_error_set(err, KITH_EINVAL, "an organisation needs a name");
	if (o->domain) {
		char probe[300];
		char *norm = NULL;
		/* A domain is valid when an address at it would be. */
		snprintf(probe, sizeof(probe), "x@%s", o->domain);
		if (strlen(o->domain) > 253 || kith_email_normalize(probe, &norm, NULL))
			return kith_error_set(err, KITH_EINVAL, "'%s' is not a domain name",
			                      o->domain);
		free(o->domain);
		o->domain = strdup(norm + 2);
		free(norm);
		if (!o->domain)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	return KITH_OK;
}

static int org_name_taken(kith_db *db, const kith_org *o, kith_error *err)
{
	sqlite3_stmt *st;
	/* Among the orgs the author sees, as for links (link.c). */
	int rc = kith__prepare(db, "SELECT id FROM main.org WHERE name = ?1 AND id <> ?2"
	                       " AND (?3 = 0 OR private = 0 OR owner = ?3)", &st, err);

	if (rc)
		return rc;
	kith__bind_text(st, 1, o->name);
	sqlite3_bind_int64(st, 2, o->id);
	sqlite3_bind_int64(st, 3, db->author);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = kith_error_set(err, KITH_EEXISTS, "organisation '%s' already exists (#%lld)",
		                    o->name, (long long)sqlite3_column_int64(st, 0));
	else
		rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "save organisation", err);
	sqlite3_finalize(st);
	return rc;
}

static int save_org(kith_db *db, kith_org *o, int insert, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	int64_t now = kith_db_now(db);
	int rc = normalize_org(o, err);

	if (!rc)
		rc = org_name_taken(db, o, err);
	if (!rc)
		rc = kith__prepare(db, insert ?
			"INSERT INTO org(name, domain, city, country, notes, created, updated)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)" :
			"UPDATE org SET name = ?1, domain = ?2, city = ?3, country = ?4,"
			" notes = ?5, updated = ?6 WHERE id = ?7", &st, err);
	if (rc)
		return rc;
	kith__bind_text(st, 1, o->name);
	kith__bind_text(st, 2, o->domain);
	kith__bind_text(st, 3, o->city);
	kith__bind_text(st, 4, o->country);
	kith__bind_text(st, 5, o->notes);
	sqlite3_bind_int64(st, 6, now);
	if (!insert)
		sqlite3_bind_int64(st, 7, o->id);
	rc = kith__step_done(db, st, "save organisation", err);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (insert) {
		o->id = sqlite3_last_insert_rowid(db->h);
		o->created = now;
	} else if (sqlite3_changes(db->h) == 0) {
		return kith_error_set(err, KITH_ENOTFOUND, "no organisation #%lld",
		                      (long long)o->id);
	}
	o->updated = now;
	return KITH_OK;
}

int kith_org_add(kith_db *db, kith_org *o, kith_error *err)
{
	int rc = kith__org_check(o, err);

	o->id = 0;
	return rc ? rc : save_org(db, o, 1, err);
}

/* People's full-text rows carry the names of their orgs: refresh them
 * when an org is renamed or removed.  Runs inside the caller's transaction. */
static int refresh_staff(kith_db *db, const kith_idv *people, kith_error *err)
{
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < people->n; i++)
		rc = kith__person_fts_refresh(db, people->v[i], err);
	return rc;
}

static int staff_of(kith_db *db, kith_id org, kith_idv *people, kith_error *err)
{
	return kith__ids(db, "SELECT DISTINCT person_id FROM main.job WHERE org_id = ?1", org,
	                 people, err);
}

int kith__org_staff_refresh(kith_db *db, kith_id org, kith_error *err)
{
	kith_idv staff = {0};
	int rc = staff_of(db, org, &staff, err);

	if (!rc)
		rc = refresh_staff(db, &staff, err);
	kith_idv_clear(&staff);
	return rc;
}

int kith_org_update(kith_db *db, kith_org *o, kith_error *err)
{
	int rc = kith__org_check(o, err);

	if (!rc)
		rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	rc = save_org(db, o, 0, err);
	if (!rc)
		rc = kith__org_staff_refresh(db, o->id, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

static kith_org *org_from_row(sqlite3_stmt *st, int *oom)
{
	kith_org *o = calloc(1, sizeof(*o));

	if (!o) {
		*oom = 1;
		return NULL;
	}
	o->id = sqlite3_column_int64(st, 0);
	o->name = kith__col_dup(st, 1, oom);
	o->domain = kith__col_dup(st, 2, oom);
	o->city = kith__col_dup(st, 3, oom);
	o->country = kith__col_dup(st, 4, oom);
	o->notes = kith__col_dup(st, 5, oom);
	o->created = sqlite3_column_int64(st, 6);
	o->updated = sqlite3_column_int64(st, 7);
	return o;
}

#define ORG_COLS "id, name, domain, city, country, notes, created, updated"

int kith_org_get(kith_db *db, kith_id id, kith_org **out, kith_error *err)
{
	sqlite3_stmt *st;
	int oom = 0, rc;

	*out = NULL;
	rc = kith__prepare(db, "SELECT " ORG_COLS " FROM org WHERE id = ?1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = org_from_row(st, &oom);
		rc = KITH_OK;
		if (oom) {
			kith_org_free(*out);
			*out = NULL;
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		rc = kith_error_set(err, KITH_ENOTFOUND, "no organisation #%lld", (long long)id);
	} else {
		rc = kith__sqlerr(db, rc, "load organisation", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int kith_org_remove(kith_db *db, kith_id id, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	kith_idv staff = {0};
	int rc = kith_db_begin(db, err);

	if (rc)
		return rc;
	rc = staff_of(db, id, &staff, err);
	if (!rc)
		rc = kith__prepare(db, "DELETE FROM org WHERE id = ?1", &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, id);
		rc = kith__step_done(db, st, "remove organisation", err);
	}
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->h) == 0)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no organisation #%lld", (long long)id);
	if (!rc)
		rc = refresh_staff(db, &staff, err);
	kith_idv_clear(&staff);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

void kith_org_list_free(kith_org **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_org_free(v[i]);
	free(v);
}

/* Runs an org query (bound already) into a heap array. */
static int collect_orgs(kith_db *db, sqlite3_stmt *st, kith_org ***out,
                        size_t *n, kith_error *err)
{
	kith_org **v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			oom = 1;
			break;
		}
		v[cnt] = org_from_row(st, &oom);
		if (v[cnt])
			cnt++;
	}
	if (oom || rc != SQLITE_DONE) {
		kith_org_list_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "list organisations", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

int kith_org_list(kith_db *db, size_t limit, size_t offset, kith_org ***out,
                  size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	/* plan: scan -- a page of the organisations in name order */
	rc = kith__prepare(db, "SELECT " ORG_COLS " FROM org ORDER BY name, id"
	                   " LIMIT ?1 OFFSET ?2", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, limit ? (sqlite3_int64)limit : -1);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)offset);
	rc = collect_orgs(db, st, out, n, err);
	sqlite3_finalize(st);
	return rc;
}

/* Ids of orgs matching sql bound with text ref, at most 50. */
static int org_matches(kith_db *db, const char *sql, const char *ref,
                       kith_idv *ids, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	kith__bind_text(st, 1, ref);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && ids->n < 50)
		if (kith_idv_push(ids, sqlite3_column_int64(st, 0))) {
			sqlite3_finalize(st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? KITH_OK
	       : kith__sqlerr(db, rc, "find organisation", err);
}

int kith_org_resolve(kith_db *db, const char *ref, kith_id *id,
                     kith_idv *candidates, kith_error *err)
{
	static const char *const steps[] = {
		"SELECT id FROM org WHERE name = ?1 OR domain = lower(?1)",
		"SELECT o.id FROM org_fts f JOIN org o ON o.id = f.rowid"
		" WHERE org_fts MATCH ?1 ORDER BY o.name"};
	kith_idv ids = {0};
	kith_id n;
	char *name = kith__trim_dup(ref, NULL), *q = NULL;
	int rc = KITH_OK;

	*id = 0;
	if (!name)
		return kith_error_set(err, KITH_EINVAL, "no organisation given");
	if ((n = kith_parse_id(name)) != 0) {
		kith_org *o;
		rc = kith_org_get(db, n, &o, err);
		kith_org_free(o);
		*id = rc ? 0 : n;
		free(name);
		return rc;
	}
	rc = org_matches(db, steps[0], name, &ids, err);
	if (!rc && ids.n == 0) {
		q = kith__fts_query(name, "name");
		if (!q)
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		else if (*q)
			rc = org_matches(db, steps[1], q, &ids, err);
	}
	if (rc)
		goto cleanup;
	if (ids.n == 1) {
		*id = ids.v[0];
	} else if (ids.n == 0) {
		rc = kith_error_set(err, KITH_ENOTFOUND, "no organisation matches '%s'", name);
	} else {
		rc = kith_error_set(err, KITH_EAMBIGUOUS, "'%s' matches %zu organisations",
		                    name, ids.n);
		if (candidates) {
			*candidates = ids;
			memset(&ids, 0, sizeof(ids));
		}
	}
cleanup:
	kith_idv_clear(&ids);
	free(name);
	free(q);
	return rc;
}

int kith_org_ensure(kith_db *db, const char *name, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st;
	kith_org o = {0};
	/* Among the orgs the author sees (names are unique per scope: schema
	 * migration 9); the team's first when the database's user sees two. */
	int rc = kith__prepare(db, "SELECT id FROM main.org WHERE name = trim(?1)"
	                       " AND (?2 = 0 OR private = 0 OR owner = ?2) ORDER BY private, id",
	                       &st, err);

	if (rc)
		return rc;
	kith__bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, db->author);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return KITH_OK;
	if (rc != SQLITE_DONE)
		return kith__sqlerr(db, rc, "find organisation", err);
	o.name = strdup(name);
	if (!o.name)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith_org_add(db, &o, err);
	*id = o.id;
	kith_org_clear(&o);
	return rc;
}
