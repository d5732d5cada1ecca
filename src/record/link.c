/* Links between people, and the kinds of links and interactions. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/link.h"
#include "kith/date.h"

void kith_link_clear(kith_link *l)
{
	if (!l)
		return;
	free(l->kind);
	free(l->since);
	free(l->notes);
	memset(l, 0, sizeof(*l));
}

void kith_link_list_free(kith_link *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_link_clear(&v[i]);
	free(v);
}

static const char *const kind_tables[] = {"link_kind", "interaction_kind"};

int kith_kind_check(kith_db *db, int domain, const char *name, kith_error *err)
{
	char sql[160], known[256] = "";
	sqlite3_stmt *st;
	int rc, found = 0;
	size_t used = 0;

	snprintf(sql, sizeof(sql), "SELECT name, name = ?1 FROM %s ORDER BY name",
	         kind_tables[domain == KITH_KIND_INTERACTION]);
	rc = kith__prepare(db, sql, &st, err);
	if (rc)
		return rc;
	kith__bind_text(st, 1, name ? name : "");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		found |= sqlite3_column_int(st, 1);
		if (used < sizeof(known) - 1)
			used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
			                         used ? ", " : "", sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(db, rc, "check kind", err);
	if (found)
		return KITH_OK;
	return kith_error_set(err, KITH_EINVAL, "unknown %s kind '%s' (known: %s)",
	                      domain == KITH_KIND_INTERACTION ? "interaction" : "link",
	                      name ? name : "", known);
}

static int kind_name_ok(const char *s)
{
	if (!s || !islower((unsigned char)*s) || strlen(s) > 32)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-' && *s != '_')
			return 0;
	return 1;
}

int kith_kind_add(kith_db *db, int domain, const kith_kind *k, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = kith__kind_check(k, err)))
		return rc;
	if (!kind_name_ok(k->name))
		return kith_error_set(err, KITH_EINVAL,
			"'%s' is not a kind name (a lower-case word: a-z, 0-9, - and _)",
			k->name ? k->name : "");
	if (domain == KITH_KIND_INTERACTION && !(k->weight > 0 && k->weight <= 10))
		return kith_error_set(err, KITH_EINVAL, "an interaction kind's weight must be"
		                      " in (0, 10]");
	if (kith_kind_check(db, domain, k->name, NULL) == KITH_OK)
		return kith_error_set(err, KITH_EEXISTS, "kind '%s' already exists", k->name);
	rc = kith__prepare(db, domain == KITH_KIND_INTERACTION ?
	                   "INSERT INTO interaction_kind(name, description, weight)"
	                   " VALUES (?1, ?2, ?3)" :
	                   "INSERT INTO link_kind(name, description, directed)"
	                   " VALUES (?1, ?2, ?3)", &st, err);
	if (rc)
		return rc;
	kith__bind_text(st, 1, k->name);
	kith__bind_text(st, 2, k->description ? k->description : "");
	if (domain == KITH_KIND_INTERACTION)
		sqlite3_bind_double(st, 3, k->weight);
	else
		sqlite3_bind_int(st, 3, !!k->directed);
	rc = kith__step_done(db, st, "add kind", err);
	sqlite3_finalize(st);
	return rc;
}

void kith_kind_list_free(kith_kind *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].description);
	}
	free(v);
}

int kith_kind_list(kith_db *db, int domain, kith_kind **out, size_t *n,
                   kith_error *err)
{
	sqlite3_stmt *st;
	kith_kind *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	rc = kith__prepare(db, domain == KITH_KIND_INTERACTION ?
	                   "SELECT name, description, 0, weight FROM interaction_kind"
	                   " ORDER BY weight DESC, name" :
	                   "SELECT name, description, directed, 0 FROM link_kind ORDER BY name",
	                   &st, err);
	if (rc)
		return rc;
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			oom = 1;
			break;
		}
		v[cnt].name = kith__col_dup(st, 0, &oom);
		v[cnt].description = kith__col_dup(st, 1, &oom);
		v[cnt].directed = sqlite3_column_int(st, 2);
		v[cnt++].weight = sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
	if (oom || rc != SQLITE_DONE) {
		kith_kind_list_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "list kinds", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

/* Validates and canonicalises the user-set fields of a link. */
static int check_link(kith_db *db, kith_link *l, kith_error *err)
{
	char buf[16];
	int rc;

	if (l->has_trust && !(l->trust >= 0 && l->trust <= 1))
		return kith_error_set(err, KITH_EINVAL, "trust must be between 0 and 1");
	if (l->since) {
		rc = kith_date_parse(l->since, buf, sizeof(buf), err);
		if (rc)
			return rc;
		free(l->since);
		l->since = strdup(buf);
		if (!l->since)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	if (l->notes) {
		int oom = 0;
		char *t = kith__trim_dup(l->notes, &oom);
		free(l->notes);
		l->notes = t;
		if (oom)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	(void)db;
	return KITH_OK;
}

static int link_exists(kith_db *db, const kith_link *l, kith_error *err)
{
	sqlite3_stmt *st;
	/* Among the links the author sees: another member's private link is
	 * no reason to refuse, and saying so would tell of it (the unique
	 * index is per owner of a private link, schema migration 9). */
	int rc = kith__prepare(db, "SELECT id FROM main.link WHERE min(a, b) = min(?1, ?2)"
	                       " AND max(a, b) = max(?1, ?2) AND kind = ?3"
	                       " AND (?4 = 0 OR private = 0 OR owner = ?4)", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, l->a);
	sqlite3_bind_int64(st, 2, l->b);
	kith__bind_text(st, 3, l->kind);
	sqlite3_bind_int64(st, 4, db->author);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		char a[160], b[160];
		kith__person_label(db, l->a, a, sizeof(a));
		kith__person_label(db, l->b, b, sizeof(b));
		rc = kith_error_set(err, KITH_EEXISTS, "%s and %s are already linked as %s",
		                    a, b, l->kind);
	} else {
		rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "add link", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int insert_link(kith_db *db, kith_link *l, kith_error *err)
{
	sqlite3_stmt *st;
	int64_t now = kith_db_now(db);
	int rc = kith__prepare(db, "INSERT INTO link(a, b, kind, since, trust, notes,"
	                       " asserted_by, created, updated)"
	                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, l->a);
	sqlite3_bind_int64(st, 2, l->b);
	kith__bind_text(st, 3, l->kind);
	kith__bind_text(st, 4, l->since);
	if (l->has_trust)
		sqlite3_bind_double(st, 5, l->trust);
	kith__bind_text(st, 6, l->notes);
	if (l->asserted_by)
		sqlite3_bind_int64(st, 7, l->asserted_by);
	sqlite3_bind_int64(st, 8, now);
	rc = kith__step_done(db, st, "add link", err);
	sqlite3_finalize(st);
	if (!rc) {
		l->id = sqlite3_last_insert_rowid(db->h);
		l->created = l->updated = now;
	}
	return rc;
}

int kith_link_add(kith_db *db, kith_link *l, kith_error *err)
{
	int rc;

	if ((rc = kith__link_check(l, err)))
		return rc;
	if (!l->kind && !(l->kind = strdup("knows")))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (l->a == l->b)
		return kith_error_set(err, KITH_EINVAL, "a person cannot be linked to themselves");
	rc = check_link(db, l, err);
	if (!rc)
		rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	rc = kith__person_exists(db, l->a, err);
	if (!rc)
		rc = kith__person_exists(db, l->b, err);
	if (!rc && l->asserted_by)
		rc = kith__person_exists(db, l->asserted_by, err);
	if (!rc && !l->asserted_by)
		l->asserted_by = kith_me(db);
	if (!rc)
		rc = kith_kind_check(db, KITH_KIND_LINK, l->kind, err);
	if (!rc)
		rc = link_exists(db, l, err);
	if (!rc)
		rc = insert_link(db, l, err);
	if (rc) {
		kith_db_rollback(db);
		l->id = 0;
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_link_update(kith_db *db, const kith_link *l, kith_error *err)
{
	kith_link tmp = *l;
	sqlite3_stmt *st;
	int rc;

	if ((rc = kith__link_check(l, err)))
		return rc;
	/* check_link canonicalises in place; work on copies of the strings. */
	tmp.since = kith__strdup(l->since);
	tmp.notes = kith__strdup(l->notes);
	tmp.kind = NULL;
	rc = check_link(db, &tmp, err);
	if (!rc)
		rc = kith__prepare(db, "UPDATE link SET since = ?1, trust = ?2, notes = ?3,"
		                   " updated = ?4 WHERE id = ?5", &st, err);
	if (!rc) {
		kith__bind_text(st, 1, tmp.since);
		if (tmp.has_trust)
			sqlite3_bind_double(st, 2, tmp.trust);
		kith__bind_text(st, 3, tmp.notes);
		sqlite3_bind_int64(st, 4, kith_db_now(db));
		sqlite3_bind_int64(st, 5, l->id);
		rc = kith__step_done(db, st, "update link", err);
		sqlite3_finalize(st);
		if (!rc && sqlite3_changes(db->h) == 0)
			rc = kith_error_set(err, KITH_ENOTFOUND, "no link #%lld", (long long)l->id);
	}
	kith_link_clear(&tmp);
	return rc;
}

int kith_link_remove(kith_db *db, kith_id a, kith_id b, const char *kind,
                     int *removed, kith_error *err)
{
	sqlite3_stmt *st;
	int rc, n;

	if (removed)
		*removed = 0;
	rc = kith__prepare(db, "DELETE FROM link WHERE min(a, b) = min(?1, ?2) AND"
	                   " max(a, b) = max(?1, ?2) AND (?3 IS NULL OR kind = ?3)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	kith__bind_text(st, 3, kind);
	rc = kith__step_done(db, st, "remove link", err);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	n = sqlite3_changes(db->h);
	if (removed)
		*removed = n;
	if (n == 0) {
		char la[160], lb[160];
		kith__person_label(db, a, la, sizeof(la));
		kith__person_label(db, b, lb, sizeof(lb));
		return kith_error_set(err, KITH_ENOTFOUND, "%s and %s are not linked%s%s",
		                      la, lb, kind ? " as " : "", kind ? kind : "");
	}
	return KITH_OK;
}

#define LINK_COLS "SELECT id, a, b, kind, since, trust, notes, asserted_by," \
	" created, updated FROM link "

/* Runs a link query (a literal, kept prepared) with one id parameter into
 * a heap array (*out). */
static int load_links(kith_db *db, const char *sql, kith_id arg, kith_link **out,
                      size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	kith_link *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	rc = kith__stmt(db, sql, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, arg);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			oom = 1;
			break;
		}
		kith_link *l = &v[cnt++];
		memset(l, 0, sizeof(*l));
		l->id = sqlite3_column_int64(st, 0);
		l->a = sqlite3_column_int64(st, 1);
		l->b = sqlite3_column_int64(st, 2);
		l->kind = kith__col_dup(st, 3, &oom);
		l->since = kith__col_dup(st, 4, &oom);
		l->has_trust = sqlite3_column_type(st, 5) != SQLITE_NULL;
		l->trust = sqlite3_column_double(st, 5);
		l->notes = kith__col_dup(st, 6, &oom);
		l->asserted_by = sqlite3_column_int64(st, 7);
		l->created = sqlite3_column_int64(st, 8);
		l->updated = sqlite3_column_int64(st, 9);
	}
	kith__stmt_release(db, st);
	if (oom || rc != SQLITE_DONE) {
		kith_link_list_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "list links", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

int kith_link_list(kith_db *db, kith_id person, kith_link **out, size_t *n,
                   kith_error *err)
{
	/* One statement per case, so that a person's list reads link_a and
	 * link_b (SQLite's OR of two indexes) and never the whole table: an
	 * optional filter written "?1 = 0 OR a = ?1" plans as a scan. */
	if (person)
		return load_links(db, LINK_COLS "WHERE a = ?1 OR b = ?1"
		                  " ORDER BY trust IS NULL, trust DESC, id", person, out, n, err);
	/* plan: scan -- every link of the network (kith list links, export) */
	return load_links(db, LINK_COLS "ORDER BY trust IS NULL, trust DESC, id", 0, out, n,
	                  err);
}

int kith_link_get(kith_db *db, kith_id id, kith_link *out, kith_error *err)
{
	kith_link *v;
	size_t n;
	int rc = load_links(db, LINK_COLS "WHERE id = ?1", id, &v, &n, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	if (n == 0) {
		free(v);
		return kith_error_set(err, KITH_ENOTFOUND, "no link #%lld", (long long)id);
	}
	*out = v[0];
	free(v);
	return KITH_OK;
}

int kith_link_remove_id(kith_db *db, kith_id id, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "DELETE FROM link WHERE id = ?1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = kith__step_done(db, st, "remove link", err);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->h) == 0)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no link #%lld", (long long)id);
	return rc;
}
