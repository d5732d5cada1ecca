/* Summary counts and top lists of a network. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/stats.h"

static int count(kith_db *db, const char *sql, int64_t a, int64_t b,
                 int64_t *out, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KITH_OK : kith__sqlerr(db, rc, "count", err);
}

int kith_counts_get(kith_db *db, kith_counts *c, kith_error *err)
{
	int64_t now = kith_db_now(db);
	kith_id me = kith_me(db);
	int rc;

	memset(c, 0, sizeof(*c));
	/* plan: scan -- network totals (kith stats) */
	rc = count(db, "SELECT count(*) FROM person", 0, 0, &c->people, err);
	if (!rc)
		/* plan: scan -- network totals (kith stats) */
		rc = count(db, "SELECT count(*) FROM org", 0, 0, &c->orgs, err);
	if (!rc)
		/* plan: scan -- network totals (kith stats) */
		rc = count(db, "SELECT count(*) FROM job", 0, 0, &c->jobs, err);
	if (!rc)
		/* plan: scan -- network totals (kith stats) */
		rc = count(db, "SELECT count(*) FROM link", 0, 0, &c->links, err);
	if (!rc)
		/* plan: scan -- network totals (kith stats) */
		rc = count(db, "SELECT count(*) FROM interaction", 0, 0, &c->interactions, err);
	if (!rc)
		/* plan: scan -- network totals (kith stats) */
		rc = count(db, "SELECT count(DISTINCT tag) FROM person_tag", 0, 0, &c->tags, err);
	if (!rc)
		rc = count(db, "SELECT count(*) FROM link WHERE a = ?1 OR b = ?1", me, 0,
		           &c->my_links, err);
	if (!rc)
		rc = count(db, "SELECT count(*) FROM interaction WHERE at > ?1 AND at <= ?2",
		           now - 30 * 86400, now, &c->interactions_30d, err);
	if (!rc)
		rc = count(db, "SELECT count(*) FROM interaction WHERE at > ?1 AND at <= ?2",
		           now - 365 * 86400, now, &c->interactions_365d, err);
	if (!rc)
		/* plan: scan -- network totals (kith stats) */
		rc = count(db, "SELECT count(*) FROM person p WHERE NOT EXISTS"
		           " (SELECT 1 FROM link WHERE a = p.id) AND NOT EXISTS"
		           " (SELECT 1 FROM link WHERE b = p.id)", 0, 0, &c->isolated, err);
	return rc;
}

static const char *const rank_sql[] = {
	[KITH_RANK_LINKED_PEOPLE] =
		/* plan: scan -- network-wide ranking (kith stats) */
		"SELECT p.id, p.display_name, count(*) AS c FROM link l"
		" JOIN person p ON p.id IN (l.a, l.b) WHERE p.id <> ?1"
		" GROUP BY p.id ORDER BY c DESC, p.display_name LIMIT ?2",
	[KITH_RANK_ORGS] =
		/* plan: scan -- network-wide ranking (kith stats) */
		"SELECT o.id, o.name, count(DISTINCT j.person_id) AS c FROM job j"
		" JOIN org o ON o.id = j.org_id WHERE j.date_to IS NULL AND ?1 = ?1"
		" GROUP BY o.id ORDER BY c DESC, o.name LIMIT ?2",
	[KITH_RANK_CITIES] =
		/* plan: scan -- network-wide ranking (kith stats) */
		"SELECT 0, city, count(*) AS c FROM person WHERE city IS NOT NULL"
		" AND ?1 = ?1 GROUP BY city COLLATE NOCASE ORDER BY c DESC, city LIMIT ?2",
	[KITH_RANK_LINK_KINDS] =
		/* plan: scan -- network-wide ranking (kith stats) */
		"SELECT 0, kind, count(*) AS c FROM link WHERE ?1 = ?1 GROUP BY kind"
		" ORDER BY c DESC, kind LIMIT ?2",
	[KITH_RANK_INTERACTION_KINDS] =
		/* plan: scan -- network-wide ranking (kith stats) */
		"SELECT 0, kind, count(*) AS c FROM interaction WHERE ?1 = ?1"
		" GROUP BY kind ORDER BY c DESC, kind LIMIT ?2",
	[KITH_RANK_MY_CONTACTS] =
		"SELECT p.id, p.display_name, count(*) AS c FROM interaction_person me"
		" JOIN interaction i ON i.id = me.interaction_id"
		" JOIN interaction_person o ON o.interaction_id = i.id AND o.person_id <> me.person_id"
		" JOIN person p ON p.id = o.person_id"
		" WHERE me.person_id = ?1 AND i.at > ?3 - 365 * 86400 AND i.at <= ?3"
		" GROUP BY p.id ORDER BY c DESC, p.display_name LIMIT ?2",
};

void kith_ranked_free(kith_ranked *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int kith_rank(kith_db *db, int what, size_t limit, kith_ranked **out,
              size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	kith_ranked *v = NULL;
	size_t cnt = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if (what < 0 || what > KITH_RANK_MY_CONTACTS)
		return kith_error_set(err, KITH_EINVAL, "unknown ranking %d", what);
	if (limit == 0 || limit > 1000)
		limit = 1000;
	v = calloc(limit, sizeof(*v));
	if (!v)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith__prepare(db, rank_sql[what], &st, err);
	if (rc) {
		free(v);
		return rc;
	}
	sqlite3_bind_int64(st, 1, kith_me(db));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, kith_db_now(db));
	while (cnt < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		v[cnt].id = sqlite3_column_int64(st, 0);
		v[cnt].name = kith__col_dup(st, 1, &oom);
		v[cnt++].count = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (oom || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
		kith_ranked_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "rank", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}
