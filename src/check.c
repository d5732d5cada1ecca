/*
 * kith check: the live database against what it should be.  SQLite checks
 * its own structure; kith's derived data (search rows, email scopes, the
 * graph state, the pair strength cache) is compared with what the records
 * and the interaction log say it should be.  Everything is read in one read
 * transaction, so a server writing meanwhile cannot make a difference
 * appear; the recompute runs on an in-memory copy taken in that same
 * transaction (memory: the database's size).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/backup.h"
#include "score/score.h"

typedef struct check_def {
	const char *name;
	int (*run)(kith_db *db, kith_check_item *it, kith_error *err);
	/* Rebuilds what run found wrong; NULL when nothing kith keeps can. */
	const char *repair_sql;
	int (*repair)(kith_db *db, kith_error *err);
} check_def;

static int differs(kith_check_item *it, long long n, const char *what)
{
	it->ok = 0;
	snprintf(it->detail, sizeof(it->detail), "%lld %s", n, what);
	return KITH_OK;
}

/* --- SQLite's own ------------------------------------------------------ */

static int check_integrity(kith_db *db, kith_check_item *it, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "PRAGMA integrity_check(5)", &st, err);

	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (s && strcmp(s, "ok") != 0 && it->ok) {
			it->ok = 0;
			snprintf(it->detail, sizeof(it->detail), "%s", s);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "check integrity", err);
}

static int check_foreign_keys(kith_db *db, kith_check_item *it, kith_error *err)
{
	sqlite3_stmt *st;
	long long n = 0;
	char first[160] = "";
	int rc = kith__prepare(db, "PRAGMA main.foreign_key_check", &st, err);

	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			snprintf(first, sizeof(first), "%s row %lld -> %s", sqlite3_column_text(st, 0),
			         (long long)sqlite3_column_int64(st, 1), sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(db, rc, "check foreign keys", err);
	if (n) {
		it->ok = 0;
		snprintf(it->detail, sizeof(it->detail), "%lld rows point at missing rows "
		         "(first: %s)", n, first);
	}
	return KITH_OK;
}

static int check_schema(kith_db *db, kith_check_item *it, kith_error *err)
{
	int64_t v = 0, app = 0;
	int rc = kith__query_int64(db, "PRAGMA main.user_version", 0, &v, "check schema", err);

	if (!rc)
		rc = kith__query_int64(db, "PRAGMA main.application_id", 0, &app, "check schema", err);
	if (!rc && (v != kith_schema_version() || app != KITH_APPLICATION_ID)) {
		it->ok = 0;
		snprintf(it->detail, sizeof(it->detail), "version %lld, application id %08llx "
		         "(want %d, %08x)", (long long)v, (unsigned long long)app,
		         kith_schema_version(), KITH_APPLICATION_ID);
	}
	return rc;
}

/* --- derived rows: a count of what the records say and the cache not --- */

/* Each query counts the rows that differ between the cache and what the
 * records say it holds, both ways (EXCEPT in each direction). */
#define BOTH_WAYS(a, b) "SELECT (SELECT count(*) FROM (" a " EXCEPT " b "))" \
	" + (SELECT count(*) FROM (" b " EXCEPT " a "))"

#define PERSON_FTS_WANT "SELECT p.id, " KITH__PERSON_FTS_COLUMNS " FROM main.person p"
#define ORG_FTS_WANT "SELECT id, name, coalesce(domain, '') || ' ' || coalesce(city, '')" \
	" || ' ' || coalesce(country, ''), notes FROM main.org"
#define INTERACTION_FTS_WANT "SELECT id, notes FROM main.interaction WHERE notes IS NOT NULL"
#define SCOPE_WANT "CASE WHEN p.private THEN coalesce(p.owner, -p.id) ELSE 0 END"

/* plan: scan -- kith check compares every row with its recomputation */
static const char *const count_sql[] = {
	BOTH_WAYS(PERSON_FTS_WANT, "SELECT rowid, name, info, notes FROM main.person_fts"),
	BOTH_WAYS(ORG_FTS_WANT, "SELECT rowid, name, info, notes FROM main.org_fts"),
	/* plan: scan -- every interaction's notes against the search index */
	BOTH_WAYS(INTERACTION_FTS_WANT, "SELECT rowid, notes FROM main.interaction_fts"),
	/* plan: scan -- every email's scope against its person */
	("SELECT count(*) FROM main.person_email e JOIN main.person p ON p.id = e.person_id"
	 " WHERE e.scope IS NOT (" SCOPE_WANT ")"),
	("SELECT CASE WHEN (SELECT count(*) FROM main.graph_state) = 1 AND (SELECT"
	 " generation FROM main.graph_state WHERE id = 1) >= 1 THEN 0 ELSE 1 END"),
};

static int run_count(kith_db *db, const char *sql, const char *what, kith_check_item *it,
                     kith_error *err)
{
	int64_t n = 0;
	int rc = kith__query_int64(db, sql, 0, &n, "check", err);

	return rc ? rc : n ? differs(it, (long long)n, what) : KITH_OK;
}

static int check_person_fts(kith_db *db, kith_check_item *it, kith_error *err)
{
	return run_count(db, count_sql[0], "search rows of people differ from their records",
	                 it, err);
}

static int check_org_fts(kith_db *db, kith_check_item *it, kith_error *err)
{
	return run_count(db, count_sql[1], "search rows of orgs differ from their records",
	                 it, err);
}

static int check_interaction_fts(kith_db *db, kith_check_item *it, kith_error *err)
{
	return run_count(db, count_sql[2], "search rows of interactions differ from their "
	                 "records", it, err);
}

static int check_email_scope(kith_db *db, kith_check_item *it, kith_error *err)
{
	return run_count(db, count_sql[3], "emails have a scope their person's privacy "
	                 "does not give", it, err);
}

static int check_graph_state(kith_db *db, kith_check_item *it, kith_error *err)
{
	return run_count(db, count_sql[4], "problem: graph_state must hold one row with a "
	                 "generation of 1 or more", it, err);
}

/* --- the pair cache against a full recompute -------------------------- */

typedef struct pair_row {
	kith_id a, b;
	kith_pair_sums s;
	int have;
} pair_row;

static int pair_next(sqlite3_stmt *st, pair_row *r)
{
	int rc = sqlite3_step(st);

	r->have = rc == SQLITE_ROW;
	if (r->have) {
		r->a = sqlite3_column_int64(st, 0);
		r->b = sqlite3_column_int64(st, 1);
		r->s.u = sqlite3_column_double(st, 2);
		r->s.ab = sqlite3_column_double(st, 3);
		r->s.ba = sqlite3_column_double(st, 4);
		r->s.ref = sqlite3_column_int64(st, 5);
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK : rc;
}

/* Whether two sums say the same, at the later of their times: each side
 * decays on its own, so rounding differs in the last digits. */
static int same_sums(const kith_pair_sums *x, const kith_pair_sums *y, double h)
{
	int64_t t = x->ref > y->ref ? x->ref : y->ref;
	double parts[3][2] = {{x->u, y->u}, {x->ab, y->ab}, {x->ba, y->ba}};
	double dx = kith_score_decay(x->ref, t, h), dy = kith_score_decay(y->ref, t, h);

	for (int i = 0; i < 3; i++) {
		double a = parts[i][0] * dx, b = parts[i][1] * dy;
		if (fabs(a - b) > 1e-9 + 1e-6 * fmax(fabs(a), fabs(b)))
			return 0;
	}
	return 1;
}

static int compare_pairs(kith_db *live, kith_db *fresh, kith_check_item *it, kith_error *err)
{
	static const char sql[] = "SELECT a, b, u, ab, ba, ref FROM kith_pairs ORDER BY a, b";
	static const kith_pair_sums zero = {0, 0, 0, 0};
	sqlite3_stmt *sl = NULL, *sf = NULL;
	pair_row l, f;
	double h = kith_score_half_life(live);
	long long n = 0;
	char first[96] = "";
	int rc = kith__prepare(live, sql, &sl, err);

	if (!rc)
		rc = kith__prepare(fresh, sql, &sf, err);
	if (!rc && !(rc = pair_next(sl, &l)))
		rc = pair_next(sf, &f);
	while (!rc && (l.have || f.have)) {
		int cmp = !l.have ? 1 : !f.have ? -1 : l.a != f.a ? (l.a < f.a ? -1 : 1)
		          : l.b != f.b ? (l.b < f.b ? -1 : 1) : 0;
		const kith_pair_sums *x = cmp <= 0 ? &l.s : &zero, *y = cmp >= 0 ? &f.s : &zero;
		const pair_row *at = cmp <= 0 ? &l : &f;
		if (!same_sums(x, y, h) && n++ == 0)
			snprintf(first, sizeof(first), "#%lld-#%lld: cached %.6g, log %.6g",
			         (long long)at->a, (long long)at->b, x->u + x->ab + x->ba,
			         y->u + y->ab + y->ba);
		if (cmp <= 0)
			rc = pair_next(sl, &l);
		if (!rc && cmp >= 0)
			rc = pair_next(sf, &f);
	}
	if (rc > KITH_ECONFLICT)
		rc = kith__sqlerr(live, rc, "check pair cache", err);
	sqlite3_finalize(sl);
	sqlite3_finalize(sf);
	if (!rc && n) {
		it->ok = 0;
		snprintf(it->detail, sizeof(it->detail), "%lld pairs differ from a recompute "
		         "from the interaction log (first %s)", n, first);
	}
	return rc;
}

static int check_pair_cache(kith_db *db, kith_check_item *it, kith_error *err)
{
	kith_db *fresh = NULL;
	int rc = kith__db_copy(db, &fresh, err);

	if (!rc && kith__pair_register(kith_db_sqlite(fresh)) != SQLITE_OK)
		rc = kith_error_set(err, KITH_ENOMEM, "check pair cache: out of memory");
	if (!rc)
		rc = kith_score_recompute(fresh, kith_db_now(db), NULL, err);
	if (!rc)
		rc = compare_pairs(db, fresh, it, err);
	kith_db_close(fresh);
	return rc;
}

static int repair_pairs(kith_db *db, kith_error *err)
{
	return kith_score_recompute(db, kith_db_now(db), NULL, err);
}

static const check_def checks[] = {
	{"integrity", check_integrity, NULL, NULL},
	{"foreign-keys", check_foreign_keys, NULL, NULL},
	{"schema", check_schema, NULL, NULL},
	{"search-people", check_person_fts,
	 "DELETE FROM main.person_fts; INSERT INTO main.person_fts(rowid, name, info, notes) "
	 PERSON_FTS_WANT, NULL},
	{"search-orgs", check_org_fts,
	 "DELETE FROM main.org_fts; INSERT INTO main.org_fts(rowid, name, info, notes) "
	 ORG_FTS_WANT, NULL},
	{"search-interactions", check_interaction_fts,
	 "DELETE FROM main.interaction_fts; INSERT INTO main.interaction_fts(rowid, notes) "
	 INTERACTION_FTS_WANT, NULL},
	/* plan: scan -- a repair rewrites every email's scope */
	{"email-scopes", check_email_scope,
	 "UPDATE main.person_email SET scope = (SELECT " SCOPE_WANT " FROM main.person p"
	 " WHERE p.id = person_id)", NULL},
	{"graph-state", check_graph_state,
	 "INSERT OR REPLACE INTO main.graph_state(id, generation, token) VALUES (1,"
	 " coalesce((SELECT max(generation) FROM main.graph_state), 0) + 1, random());"
	 "DELETE FROM main.graph_state WHERE id <> 1", NULL},
	{"pair-cache", check_pair_cache, NULL, repair_pairs},
};
#define NCHECKS ((int)(sizeof(checks) / sizeof(checks[0])))

/* Runs every check in one read transaction of db. */
static int run_all(kith_db *db, kith_check_report *rep, kith_error *err)
{
	int rc = kith__exec(db, "BEGIN DEFERRED", "check", err);

	if (rc)
		return rc;
	rep->n = 0;
	rep->failed = 0;
	for (int i = 0; !rc && i < NCHECKS && i < KITH_CHECK_MAX; i++) {
		kith_check_item *it = &rep->items[rep->n++];
		memset(it, 0, sizeof(*it));
		it->name = checks[i].name;
		it->ok = 1;
		rc = checks[i].run(db, it, err);
		rep->failed += !it->ok;
	}
	sqlite3_exec(kith_db_sqlite(db), "COMMIT", NULL, NULL, NULL);
	return rc;
}

static int repair_one(kith_db *db, const check_def *c, kith_error *err)
{
	int rc = kith_db_begin(db, err);

	if (rc)
		return rc;
	rc = c->repair ? c->repair(db, err) : kith__exec(db, c->repair_sql, "repair", err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_check(kith_db *db, int repair, kith_check_report *rep, kith_error *err)
{
	int rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = run_all(db, rep, err)) || !repair || !rep->failed)
		return rc;
	for (int i = 0; !rc && i < rep->n; i++)
		if (!rep->items[i].ok && (checks[i].repair || checks[i].repair_sql)) {
			rc = repair_one(db, &checks[i], err);
			rep->repaired += !rc;
		}
	if (!rc && rep->repaired) {
		int repaired = rep->repaired;
		kith_check_report again;
		memset(&again, 0, sizeof(again));
		rc = run_all(db, &again, err);
		/* What was found stays in the report; failed counts what is left. */
		for (int i = 0; !rc && i < again.n; i++)
			if (!rep->items[i].ok && again.items[i].ok)
				snprintf(rep->items[i].detail + strlen(rep->items[i].detail),
				         sizeof(rep->items[i].detail) - strlen(rep->items[i].detail),
				         "%s", " (repaired)");
		rep->failed = again.failed;
		rep->repaired = repaired;
	}
	return rc;
}
