/*
 * Who sees what: team records and a member's own private ones.
 *
 * A viewer handle gets temporary views named like the tables they filter.
 * SQLite resolves an unqualified name in the temp schema first, so every
 * query libkith already has (lists, search, the graph snapshot, scores,
 * exports) reads the filtered rows without a visibility clause of its own;
 * a new query cannot forget one.  Views are read-only, which is why only
 * read-only handles may become viewers: writes go through another handle
 * whose temporary triggers stamp the author on what it creates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/member.h"

/* The member the handle sees as: kith_viewer(), a function of the handle
 * (viewer_fn) that reads db->viewer.  The views name it rather than a
 * literal so that one handle can serve one member after another (the
 * server keeps one read handle a thread, not one a member): switching is
 * setting a field, and no view or prepared statement changes.  It is
 * registered deterministic, which SQLite takes to mean "the same answer
 * throughout one statement": a statement computes it once when it starts
 * and may use it for an index lookup, and the viewer only changes between
 * statements. */
#define VIEWER "kith_viewer()"

/* Visible person row p (alias) for the viewer, spelled out per view. */
#define PVIS(col) "EXISTS (SELECT 1 FROM main.person p WHERE p.id = " col \
	" AND (p.private = 0 OR p.owner = " VIEWER "))"

static const char viewer_sql[] =
	"CREATE TEMP VIEW person AS SELECT * FROM main.person"
	"  WHERE private = 0 OR owner = " VIEWER ";"
	"CREATE TEMP VIEW org AS SELECT * FROM main.org"
	"  WHERE private = 0 OR owner = " VIEWER ";"
	"CREATE TEMP VIEW person_email AS SELECT * FROM main.person_email x"
	"  WHERE " PVIS("x.person_id") ";"
	"CREATE TEMP VIEW person_phone AS SELECT * FROM main.person_phone x"
	"  WHERE " PVIS("x.person_id") ";"
	"CREATE TEMP VIEW person_tag AS SELECT * FROM main.person_tag x"
	"  WHERE " PVIS("x.person_id") ";"
	"CREATE TEMP VIEW person_cadence AS SELECT * FROM main.person_cadence x"
	"  WHERE " PVIS("x.person_id") ";"
	"CREATE TEMP VIEW job AS SELECT * FROM main.job x WHERE " PVIS("x.person_id")
	"  AND EXISTS (SELECT 1 FROM main.org o WHERE o.id = x.org_id"
	"    AND (o.private = 0 OR o.owner = " VIEWER "));"
	"CREATE TEMP VIEW link AS SELECT * FROM main.link x"
	"  WHERE (x.private = 0 OR x.owner = " VIEWER ")"
	"  AND " PVIS("x.a") " AND " PVIS("x.b") ";"
	/* An interaction shows only when everyone in it does: a person made
	 * private takes their interactions out of other members' views
	 * without any row being rewritten, so making them team again brings
	 * every one back as it was. */
	"CREATE TEMP VIEW interaction AS SELECT * FROM main.interaction x"
	"  WHERE (x.private = 0 OR x.owner = " VIEWER ") AND NOT EXISTS (SELECT 1"
	"    FROM main.interaction_person ip JOIN main.person p ON p.id = ip.person_id"
	"    WHERE ip.interaction_id = x.id AND p.private AND p.owner IS NOT " VIEWER ");"
	"CREATE TEMP VIEW interaction_person AS SELECT * FROM main.interaction_person x"
	"  WHERE EXISTS (SELECT 1 FROM temp.interaction i WHERE i.id = x.interaction_id);"
	"CREATE TEMP VIEW vouch AS SELECT * FROM main.vouch x"
	"  WHERE " PVIS("x.voucher") " AND " PVIS("x.subject") ";"
	"CREATE TEMP VIEW note AS SELECT * FROM main.note x"
	"  WHERE (x.private = 0 OR x.owner = " VIEWER ") AND " PVIS("x.person_id") ";"
	/* A request is its two members' (src/record/intro_request.c reads
	 * main.intro_request and checks this itself): shown while its target
	 * and every person of its chain ("1,2,3") are visible. */
	"CREATE TEMP VIEW intro_request AS SELECT * FROM main.intro_request x"
	"  WHERE (x.asker = " VIEWER " OR x.asked = " VIEWER ") AND " PVIS("x.target")
	"  AND NOT EXISTS (SELECT 1 FROM json_each('[' || x.chain || ']') c"
	"    WHERE NOT " PVIS("c.value") ");"
	/* "me" is the member's own person. */
	"CREATE TEMP VIEW owner AS SELECT 1 AS id, person_id FROM main.member"
	"  WHERE id = " VIEWER ";";

/* Whether a statement of db is between its first step and its reset: it
 * computed the viewer when it started. */
static int statement_running(kith_db *db)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->h, NULL); st;
	     st = sqlite3_next_stmt(db->h, st))
		if (sqlite3_stmt_busy(st))
			return 1;
	return 0;
}

static void viewer_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const kith_db *db = sqlite3_user_data(ctx);

	(void)argc;
	(void)argv;
	sqlite3_result_int64(ctx, db->viewer);
}

int kith_db_set_viewer(kith_db *db, kith_id member, kith_error *err)
{
	int rc;

	if (!db->readonly)
		return kith_error_set(err, KITH_EINTERNAL,
		                      "a viewer needs a read-only database handle");
	if (member <= 0)
		return kith_error_set(err, KITH_EINVAL, "no member #%lld", (long long)member);
	if (db->tx_depth || !sqlite3_get_autocommit(db->h) || statement_running(db))
		return kith_error_set(err, KITH_EINTERNAL,
		                      "the viewer changes only between statements");
	if (db->viewer) {
		db->viewer = member;
		return KITH_OK;
	}
	rc = sqlite3_create_function(db->h, "kith_viewer", 0,
	                             SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
	                             db, viewer_fn, NULL, NULL);
	if (rc != SQLITE_OK)
		return kith__sqlerr(db, rc, "set viewer", err);
	db->viewer = member;
	if ((rc = kith__exec(db, viewer_sql, "set viewer", err)))
		db->viewer = 0;
	return rc;
}

/* Stamps whatever this handle inserts.  Triggers only ever add privacy
 * (max), so they compose with the schema's own spreading triggers in
 * whatever order SQLite runs them. */
#define STAMP(t) \
	"CREATE TEMP TRIGGER IF NOT EXISTS author_" t " AFTER INSERT ON main." t \
	" BEGIN UPDATE " t " SET owner = coalesce(owner, (SELECT member FROM temp.author)),"\
	" private = max(private, coalesce((SELECT private FROM temp.author), 0))" \
	" WHERE id = NEW.id; END;"

static const char author_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS author(member INTEGER, private INTEGER NOT NULL);"
	STAMP("person") STAMP("org") STAMP("link") STAMP("interaction") STAMP("note");

int kith_db_set_author(kith_db *db, kith_id member, int priv, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__exec(db, author_sql, "set author", err);

	if (!rc)
		rc = kith__exec(db, "DELETE FROM temp.author", "set author", err);
	db->author = rc || member <= 0 ? 0 : member;
	if (rc || member <= 0)
		return rc;
	if ((rc = kith__prepare(db, "INSERT INTO temp.author VALUES (?1, ?2)", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	sqlite3_bind_int(st, 2, priv != 0);
	rc = kith__step_done(db, st, "set author", err);
	sqlite3_finalize(st);
	return rc;
}

static const char *const vis_tables[] = {"person", "org", "link", "interaction", "note"};

static int table_index(const char *table)
{
	for (int i = 0; i < (int)(sizeof(vis_tables) / sizeof(vis_tables[0])); i++)
		if (strcmp(table, vis_tables[i]) == 0)
			return i;
	return -1;
}

static int table_ok(const char *table, kith_error *err)
{
	if (table_index(table) >= 0)
		return KITH_OK;
	return kith_error_set(err, KITH_EINTERNAL, "records of '%s' have no visibility", table);
}

int kith_record_visibility(kith_db *db, const char *table, kith_id id,
                           kith_id *owner, int *priv, kith_error *err)
{
	/* Literals, one per table, so each stays prepared.  Unqualified: a
	 * viewer handle answers only for what it may see. */
	static const char *const sql[] = {
		"SELECT coalesce(owner, 0), private FROM person WHERE id = ?1",
		"SELECT coalesce(owner, 0), private FROM org WHERE id = ?1",
		"SELECT coalesce(owner, 0), private FROM link WHERE id = ?1",
		"SELECT coalesce(owner, 0), private FROM interaction WHERE id = ?1",
		"SELECT coalesce(owner, 0), private FROM note WHERE id = ?1",
	};
	sqlite3_stmt *st;
	int t = table_index(table), rc;

	if (t < 0)
		return table_ok(table, err);
	if ((rc = kith__stmt(db, sql[t], &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*owner = sqlite3_column_int64(st, 0);
		*priv = sqlite3_column_int(st, 1);
		rc = KITH_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kith_error_set(err, KITH_ENOTFOUND, "no %s #%lld", table, (long long)id);
	} else {
		rc = kith__sqlerr(db, rc, "read visibility", err);
	}
	kith__stmt_release(db, st);
	return rc;
}
