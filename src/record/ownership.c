/*
 * What a member may do to a record: change who sees it, or remove it.
 *
 * A member's view (src/store/visibility.c) decides what they can read; this
 * file decides what they can change.  The rule is one sentence: no action
 * by one member changes who owns, hides or deletes a record that another
 * member owns or that the acting member cannot see.  So before a change
 * the record is looked up as the member sees it (what they cannot see is
 * "not found", exactly as what does not exist), a record another member
 * owns is refused (KITH_EPERM), and a change that would hide or destroy
 * records that are not the member's to touch is refused with how many
 * there are and nothing else about them (KITH_ECONFLICT).
 *
 * Member 0 is the database's own user (the CLI): it sees and may change
 * everything, as it always could.  Every check runs inside the change's
 * own transaction, so no other writer can slip between check and write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score/score.h"
#include "kith/types.h"
#include "kith/score.h"
#include "kith/person.h"
#include "kith/org.h"
#include "kith/member.h"
#include "kith/merge.h"

/* Visible to member ?2 (0: everyone's view), for a row alias x of a table
 * with owner and private columns, and for a person id column. */
#define SEES(x) "(?2 = 0 OR " x ".private = 0 OR " x ".owner = ?2)"
#define SEES_PERSON(col) "EXISTS (SELECT 1 FROM main.person p WHERE p.id = " col \
	" AND " SEES("p") ")"
/* Nobody's, or member ?2's. */
#define MINE(x) "(" x ".owner IS NULL OR " x ".owner = ?2)"

enum table { T_PERSON, T_ORG, T_LINK, T_INTERACTION, T_NOTE, T_COUNT };

static const char *const names[T_COUNT] = {"person", "org", "link", "interaction", "note"};

/* The record ?1 as member ?2 sees it: owner and privacy. */
static const char *const read_sql[T_COUNT] = {
	[T_PERSON] = "SELECT coalesce(owner, 0), private FROM main.person x"
	             " WHERE id = ?1 AND " SEES("x"),
	[T_ORG] = "SELECT coalesce(owner, 0), private FROM main.org x"
	          " WHERE id = ?1 AND " SEES("x"),
	[T_LINK] = "SELECT coalesce(owner, 0), private FROM main.link x"
	           " WHERE id = ?1 AND " SEES("x") " AND " SEES_PERSON("x.a")
	           " AND " SEES_PERSON("x.b"),
	[T_INTERACTION] = "SELECT coalesce(owner, 0), private FROM main.interaction x"
	                  " WHERE id = ?1 AND " SEES("x") " AND NOT EXISTS (SELECT 1"
	                  " FROM main.interaction_person ip WHERE ip.interaction_id = x.id"
	                  " AND NOT " SEES_PERSON("ip.person_id") ")",
	[T_NOTE] = "SELECT coalesce(owner, 0), private FROM main.note x"
	           " WHERE id = ?1 AND " SEES("x") " AND " SEES_PERSON("x.person_id"),
};

/* Records that hang on person ?1 and are not member ?2's to hide or to
 * destroy: another member's, or hidden from ?2.  Links and notes go with
 * a removed person; interactions lose them; jobs at an org ?2 cannot see
 * and vouches with someone ?2 cannot see would go unseen. */
static const char person_others_sql[] =
	"SELECT"
	" (SELECT count(*) FROM main.link x WHERE (x.a = ?1 OR x.b = ?1) AND NOT ("
	"   " SEES("x") " AND " MINE("x") " AND " SEES_PERSON("x.a") " AND "
	      SEES_PERSON("x.b") "))"
	" + (SELECT count(*) FROM main.interaction x WHERE x.id IN (SELECT interaction_id"
	"   FROM main.interaction_person WHERE person_id = ?1) AND NOT (" SEES("x")
	"   AND " MINE("x") " AND NOT EXISTS (SELECT 1 FROM main.interaction_person ip"
	"   WHERE ip.interaction_id = x.id AND NOT " SEES_PERSON("ip.person_id") ")))"
	" + (SELECT count(*) FROM main.note x WHERE x.person_id = ?1 AND NOT ("
	"   " SEES("x") " AND " MINE("x") "))"
	" + (SELECT count(*) FROM main.job j JOIN main.org x ON x.id = j.org_id"
	"   WHERE j.person_id = ?1 AND NOT " SEES("x") ")"
	" + (SELECT count(*) FROM main.vouch v WHERE (v.voucher = ?1 OR v.subject = ?1)"
	"   AND NOT (" SEES_PERSON("v.voucher") " AND " SEES_PERSON("v.subject") "))";

/* Jobs at org ?1 of people member ?2 cannot see: hiding or removing the
 * org would take them from their owners too. */
static const char org_others_sql[] =
	"SELECT count(*) FROM main.job j WHERE j.org_id = ?1 AND NOT "
	SEES_PERSON("j.person_id");

static int table_of(const char *table, kith_error *err)
{
	for (int t = 0; t < T_COUNT; t++)
		if (strcmp(table, names[t]) == 0)
			return t;
	return -kith_error_set(err, KITH_EINTERNAL, "records of '%s' have no owner", table);
}

/* Runs sql with ?1 = id, ?2 = member and reads one or two integers. */
static int read_ints(kith_db *db, const char *sql, kith_id id, kith_id member,
                     int64_t *a, int64_t *b, int *found, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, member);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		if (b)
			*b = sqlite3_column_int64(st, 1);
	}
	kith__stmt_release(db, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	       : kith__sqlerr(db, rc, "read record", err);
}

/* The record as member sees it; KITH_ENOTFOUND, worded as for a record
 * that does not exist, when they cannot. */
static int look_up(kith_db *db, kith_id member, int t, kith_id id, kith_id *owner,
                   int *priv, kith_error *err)
{
	int64_t o = 0, p = 0;
	int found, rc = read_ints(db, read_sql[t], id, member, &o, &p, &found, err);

	if (rc)
		return rc;
	if (!found)
		return kith_error_set(err, KITH_ENOTFOUND, "no %s #%lld", names[t], (long long)id);
	*owner = o;
	*priv = (int)p;
	return KITH_OK;
}

static int count_of(kith_db *db, const char *sql, kith_id id, kith_id member,
                    int64_t *n, kith_error *err)
{
	int found;

	*n = 0;
	return read_ints(db, sql, id, member, n, NULL, &found, err);
}

/* The member whose own person this is, 0 when nobody's. */
static int members_person(kith_db *db, kith_id person, kith_id *of, kith_error *err)
{
	int64_t m = 0;
	int found, rc = read_ints(db, "SELECT id FROM main.member WHERE person_id = ?1",
	                          person, 0, &m, NULL, &found, err);

	*of = found ? m : 0;
	return rc;
}

/* What refuses member's change of a person or an org: a member's own
 * person (which only that member may make private, and nobody removes),
 * and records that are not member's to hide or destroy. */
static int guard(kith_db *db, kith_id member, int t, kith_id id, int removing,
                 kith_error *err)
{
	const char *what = removing ? "removed" : "made private";
	int64_t n = 0;
	kith_id of;
	int rc = KITH_OK;

	if (t == T_PERSON) {
		if ((rc = members_person(db, id, &of, err)))
			return rc;
		if (of && (removing || of != member))
			return kith_error_set(err, KITH_ECONFLICT,
			                      "#%lld is a member's own person: it cannot be %s",
			                      (long long)id, what);
		rc = count_of(db, person_others_sql, id, member, &n, err);
	} else if (t == T_ORG) {
		rc = count_of(db, org_others_sql, id, member, &n, err);
	}
	if (!rc && n > 0)
		rc = kith_error_set(err, KITH_ECONFLICT,
		                    "%lld record%s of other members depend%s on this %s: it "
		                    "cannot be %s", (long long)n, n == 1 ? "" : "s",
		                    n == 1 ? "s" : "", names[t], what);
	return rc;
}

static int owner_may(kith_id member, kith_id owner, const char *what, kith_error *err)
{
	if (member && owner && owner != member)
		return kith_error_set(err, KITH_EPERM,
		                      "only the member who owns this record can %s it", what);
	return KITH_OK;
}


/* The interactions whose share of the pair cache a change of (t, id)'s
 * privacy may move: the cache counts team interactions of team people
 * only (kith__score_interaction). */
static int touched_interactions(kith_db *db, int t, kith_id id, kith_idv *out,
                                kith_error *err)
{
	if (t == T_PERSON)
		return kith__ids(db, "SELECT interaction_id FROM main.interaction_person"
		              " WHERE person_id = ?1", id, out, err);
	if (t == T_INTERACTION)
		return kith_idv_push(out, id) ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		       : KITH_OK;
	return KITH_OK;
}

/* ?1 id, ?2 member, ?3 private: a record made private becomes member's
 * when nobody owned it; made team, it keeps its owner. */
#define CLAIM(tb) "UPDATE main." tb " SET private = ?3, owner = CASE WHEN ?3 THEN" \
	" coalesce(owner, nullif(?2, 0)) ELSE owner END WHERE id = ?1"
static const char *const claim_sql[T_COUNT] = {
	[T_PERSON] = CLAIM("person"), [T_ORG] = CLAIM("org"), [T_LINK] = CLAIM("link"),
	[T_INTERACTION] = CLAIM("interaction"), [T_NOTE] = CLAIM("note"),
};
/* ?2 owner, ?3 private, as the database's own user sets them. */
#define SET(tb) "UPDATE main." tb " SET owner = nullif(?2, 0), private = ?3 WHERE id = ?1"
static const char *const set_sql[T_COUNT] = {
	[T_PERSON] = SET("person"), [T_ORG] = SET("org"), [T_LINK] = SET("link"),
	[T_INTERACTION] = SET("interaction"), [T_NOTE] = SET("note"),
};

/* Writes the change with what it moves: the pair cache shares of the
 * interactions it touches, the staff's search rows of an org, the graph's
 * generation. */
static int apply(kith_db *db, int t, kith_id id, const char *sql, kith_id owner, int priv,
                 kith_error *err)
{
	kith_idv its = {0};
	sqlite3_stmt *st;
	int rc = touched_interactions(db, t, id, &its, err);

	if (!rc)
		rc = kith__interactions_rescore(db, &its, -1, err);
	if (!rc && !(rc = kith__prepare(db, sql, &st, err))) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, owner);
		sqlite3_bind_int(st, 3, priv != 0);
		rc = kith__step_done(db, st, "set visibility", err);
		sqlite3_finalize(st);
		if (!rc && sqlite3_changes(kith_db_sqlite(db)) == 0)
			rc = kith_error_set(err, KITH_ENOTFOUND, "no %s #%lld", names[t],
			                    (long long)id);
	}
	if (!rc)
		rc = kith__interactions_rescore(db, &its, 1, err);
	if (!rc && t == T_ORG)  /* the staff's search rows name team orgs only */
		rc = kith__org_staff_refresh(db, id, err);
	if (!rc)
		rc = kith__bump_generation(db, err);
	kith_idv_clear(&its);
	return rc;
}

static int set_private(kith_db *db, kith_id member, int t, kith_id id, int priv,
                       kith_error *err)
{
	kith_id owner;
	int was, rc = look_up(db, member, t, id, &owner, &was, err);

	if (rc || was == (priv != 0))
		return rc;  /* no change: nothing is claimed either */
	if ((rc = owner_may(member, owner, "change who sees", err)))
		return rc;
	if (priv && member && (rc = guard(db, member, t, id, 0, err)))
		return rc;
	return apply(db, t, id, claim_sql[t], member, priv, err);
}

int kith_record_set_visibility(kith_db *db, const char *table, kith_id id,
                               kith_id owner, int priv, kith_error *err)
{
	int t = table_of(table, err), rc;

	if (t < 0)
		return -t;
	if ((rc = kith_db_begin(db, err)))
		return rc;
	if ((rc = apply(db, t, id, set_sql[t], owner, priv, err))) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_record_set_private(kith_db *db, kith_id member, const char *table, kith_id id,
                            int priv, kith_error *err)
{
	int t = table_of(table, err), rc;

	if (t < 0)
		return -t;
	if ((rc = kith_db_begin(db, err)))
		return rc;
	rc = set_private(db, member, t, id, priv, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

static int (*const removers[T_COUNT])(kith_db *, kith_id, kith_error *) = {
	[T_PERSON] = kith_person_remove, [T_ORG] = kith_org_remove,
	[T_LINK] = kith_link_remove_id, [T_INTERACTION] = kith_interaction_remove,
	[T_NOTE] = kith_note_remove,
};

int kith_record_remove(kith_db *db, kith_id member, const char *table, kith_id id,
                       kith_error *err)
{
	kith_id owner;
	int t = table_of(table, err), priv, rc;

	if (t < 0)
		return -t;
	if ((rc = kith_db_begin(db, err)))
		return rc;
	rc = look_up(db, member, t, id, &owner, &priv, err);
	if (!rc)
		rc = owner_may(member, owner, "remove", err);
	if (!rc && member)
		rc = guard(db, member, t, id, 1, err);
	if (!rc)
		rc = removers[t](db, id, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_record_merge(kith_db *db, kith_id member, kith_id keep, kith_id gone,
                      kith_error *err)
{
	kith_id owner;
	int priv, rc;

	if ((rc = kith_db_begin(db, err)))
		return rc;
	rc = look_up(db, member, T_PERSON, keep, &owner, &priv, err);
	if (!rc)
		rc = owner_may(member, owner, "merge into", err);
	if (!rc)
		rc = look_up(db, member, T_PERSON, gone, &owner, &priv, err);
	if (!rc)
		rc = owner_may(member, owner, "merge away", err);
	if (!rc && member)
		rc = guard(db, member, T_PERSON, gone, 1, err);
	if (!rc)
		rc = kith_person_merge(db, keep, gone, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}
