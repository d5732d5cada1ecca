/*
 * kith merge: two records of one person become one.  Everything that
 * points at the one that goes is moved onto the one kept, inside one
 * transaction, then the other is deleted.  Where both had the same thing
 * (a link to the same person, a vouch, a cadence) the stronger or earlier
 * data is kept, so a merge never loses what either record knew.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "score/score.h"
#include "kith/import.h"
#include "kith/person.h"
#include "kith/merge.h"

/* Runs sql with ?1 = keep and ?2 = gone. */
static int run2(kith_db *db, const char *sql, kith_id keep, kith_id gone,
                kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, keep);
	sqlite3_bind_int64(st, 2, gone);
	rc = kith__step_done(db, st, "merge", err);
	sqlite3_finalize(st);
	return rc;
}



/* Drops gone's pairs from the strength cache once they are empty: those
 * stored under gone, and those stored under a partner with a smaller id.
 * Its partners are who took part in its interactions (its), keep among
 * them by now; a pair left from an interaction removed earlier is inert. */
static int forget_pairs(kith_db *db, kith_id keep, kith_id gone, const kith_idv *its,
                        kith_error *err)
{
	kith_idv who = {0};
	int rc = kith_idv_push(&who, keep) ? kith_error_set(err, KITH_ENOMEM, "out of memory")
	         : KITH_OK;

	for (size_t i = 0; !rc && i < its->n; i++)
		rc = kith__ids(db, "SELECT person_id FROM interaction_person"
		            " WHERE interaction_id = ?1", its->v[i], &who, err);
	for (size_t i = 0; !rc && i < who.n; i++)
		if (who.v[i] < gone)
			rc = kith__pair_remove(db, who.v[i], gone, err);
	if (!rc)
		rc = kith__pair_forget(db, gone, err);
	kith_idv_clear(&who);
	return rc;
}

/* Person fields: keep's win; gone's fill the gaps and add to the sets. */
static int merge_fields(kith_db *db, kith_id keep, kith_id gone, kith_error *err)
{
	kith_person *a = NULL, *b = NULL;
	int rc = kith_person_get(db, keep, &a, err);

	if (!rc)
		rc = kith_person_get(db, gone, &b, err);
	if (rc)
		goto cleanup;
	if (strchr(a->display_name, '@') && !strchr(b->display_name, '@')) {
		char *t = a->display_name;
		a->display_name = b->display_name;
		b->display_name = t;
	}
	char **fa[] = {&a->given_name, &a->family_name, &a->city, &a->country};
	char **fb[] = {&b->given_name, &b->family_name, &b->city, &b->country};
	for (size_t i = 0; i < 4; i++)
		if (!*fa[i]) {
			*fa[i] = *fb[i];
			*fb[i] = NULL;
		}
	if (b->notes && !(a->notes && strstr(a->notes, b->notes))) {
		size_t n = (a->notes ? strlen(a->notes) + 1 : 0) + strlen(b->notes) + 1;
		char *t = malloc(n);
		if (!t) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
		snprintf(t, n, "%s%s%s", a->notes ? a->notes : "", a->notes ? "\n" : "",
		         b->notes);
		free(a->notes);
		a->notes = t;
	}
	for (size_t i = 0; !rc && i < b->emails.n; i++)
		rc = kith_strv_push(&a->emails, b->emails.v[i]);
	for (size_t i = 0; !rc && i < b->phones.n; i++) {
		char k1[40], k2[40];
		int have = 0;
		kith_phone_key(b->phones.v[i], k1, sizeof(k1));
		for (size_t j = 0; j < a->phones.n && !have; j++) {
			kith_phone_key(a->phones.v[j], k2, sizeof(k2));
			have = strcmp(k1, k2) == 0;
		}
		if (!have)
			rc = kith_strv_push(&a->phones, b->phones.v[i]);
	}
	for (size_t i = 0; !rc && i < b->tags.n; i++)
		if (kith_strv_find(&a->tags, b->tags.v[i]) < 0)
			rc = kith_strv_push(&a->tags, b->tags.v[i]);
	if (rc) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* Emails are unique across people: free gone's before keep takes them. */
	rc = run2(db, "DELETE FROM person_email WHERE person_id = ?2 AND ?1 = ?1",
	          keep, gone, err);
	if (!rc)
		rc = kith_person_update(db, a, err);
cleanup:
	kith_person_free(a);
	kith_person_free(b);
	return rc;
}

/* Links of gone move to keep.  One to keep itself goes; one that keep
 * also has (same other person, same kind) is folded into keep's with the
 * higher trust, the earlier since and both notes. */
/* Two links are one only among what one member sees (the scope of the
 * unique index link_pair, schema migration 9): a member's private link is
 * not folded into a team one, whose readers would then read its notes. */
#define SCOPE(x) "(CASE WHEN " x ".private THEN coalesce(" x ".owner, 0) ELSE 0 END)"
#define SAME_SCOPE(x, y) SCOPE(x) " = " SCOPE(y)

static int merge_links(kith_db *db, kith_id keep, kith_id gone, kith_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM link WHERE (a = ?1 AND b = ?2) OR (a = ?2 AND b = ?1)",
		/* fold duplicates into keep's link */
		"UPDATE link SET"
		"  trust = CASE WHEN g.trust IS NULL THEN link.trust"
		"    WHEN link.trust IS NULL THEN g.trust ELSE max(link.trust, g.trust) END,"
		"  since = CASE WHEN g.since IS NULL THEN link.since"
		"    WHEN link.since IS NULL THEN g.since ELSE min(link.since, g.since) END,"
		"  notes = CASE WHEN g.notes IS NULL OR link.notes = g.notes THEN link.notes"
		"    WHEN link.notes IS NULL THEN g.notes ELSE link.notes || char(10) || g.notes END"
		" FROM link g"
		" WHERE (g.a = ?2 OR g.b = ?2) AND g.kind = link.kind"
		"   AND (link.a = ?1 OR link.b = ?1)"
		"   AND (CASE WHEN g.a = ?2 THEN g.b ELSE g.a END)"
		"     = (CASE WHEN link.a = ?1 THEN link.b ELSE link.a END)"
		"   AND " SAME_SCOPE("g", "link"),
		"DELETE FROM link WHERE id IN (SELECT g.id FROM link g JOIN link k"
		"  ON k.kind = g.kind AND (k.a = ?1 OR k.b = ?1)"
		"  AND (CASE WHEN g.a = ?2 THEN g.b ELSE g.a END)"
		"    = (CASE WHEN k.a = ?1 THEN k.b ELSE k.a END)"
		"  AND " SAME_SCOPE("g", "k") " WHERE g.a = ?2 OR g.b = ?2)",
		/* the rest move, keeping their direction */
		("UPDATE link SET a = CASE WHEN a = ?2 THEN ?1 ELSE a END,"
		 "  b = CASE WHEN b = ?2 THEN ?1 ELSE b END WHERE a = ?2 OR b = ?2"),
		"UPDATE link SET asserted_by = ?1 WHERE asserted_by = ?2"};
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < sizeof(sql) / sizeof(sql[0]); i++)
		rc = run2(db, sql[i], keep, gone, err);
	return rc;
}

static int merge_rest(kith_db *db, kith_id keep, kith_id gone, kith_error *err)
{
	static const char *const sql[] = {
		/* jobs, without the copies both records had */
		"UPDATE job SET person_id = ?1 WHERE person_id = ?2",
		"DELETE FROM job WHERE person_id = ?1 AND EXISTS (SELECT 1 FROM job j"
		"  WHERE j.person_id = ?1 AND j.org_id = job.org_id AND j.id < job.id"
		"  AND coalesce(j.title, '') = coalesce(job.title, '') COLLATE NOCASE"
		"  AND coalesce(j.date_from, '') = coalesce(job.date_from, '')"
		"  AND coalesce(j.date_to, '') = coalesce(job.date_to, ''))",
		/* interactions: once per person; one left alone goes */
		"DELETE FROM interaction_person WHERE person_id = ?2 AND interaction_id IN"
		"  (SELECT interaction_id FROM interaction_person WHERE person_id = ?1)",
		"UPDATE interaction_person SET person_id = ?1 WHERE person_id = ?2",
		"UPDATE interaction SET giver = ?1 WHERE giver = ?2",
		"UPDATE interaction SET initiator = ?1 WHERE initiator = ?2",
		"DELETE FROM interaction WHERE id IN (SELECT interaction_id FROM"
		"  interaction_person WHERE person_id = ?1) AND (SELECT count(*) FROM"
		"  interaction_person x WHERE x.interaction_id = interaction.id) < 2",
		/* vouches: none between the two, no duplicates */
		"DELETE FROM vouch WHERE (voucher = ?2 AND subject = ?1)"
		"  OR (voucher = ?1 AND subject = ?2)",
		"DELETE FROM vouch WHERE voucher = ?2 AND subject IN"
		"  (SELECT subject FROM vouch WHERE voucher = ?1)",
		"UPDATE vouch SET voucher = ?1 WHERE voucher = ?2",
		"DELETE FROM vouch WHERE subject = ?2 AND voucher IN"
		"  (SELECT voucher FROM vouch WHERE subject = ?1)",
		"UPDATE vouch SET subject = ?1 WHERE subject = ?2",
		"UPDATE vouch SET recorded_by = ?1 WHERE recorded_by = ?2",
		/* the closer cadence of the two */
		"INSERT INTO person_cadence(person_id, days) SELECT ?1, days FROM"
		"  person_cadence WHERE person_id = ?2 AND true"
		"  ON CONFLICT(person_id) DO UPDATE SET days = min(days, excluded.days)",
		"UPDATE import_source SET person_id = ?1 WHERE person_id = ?2",
		"UPDATE owner SET person_id = ?1 WHERE person_id = ?2"};
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < sizeof(sql) / sizeof(sql[0]); i++)
		rc = run2(db, sql[i], keep, gone, err);
	return rc;
}

/* Columns of tables this file does not know (added by later migrations)
 * that point at a person: moved as they are, duplicates left to cascade. */
static int merge_unknown(kith_db *db, kith_id keep, kith_id gone, kith_error *err)
{
	static const char *const known =
		" person_email person_phone person_tag job link interaction"
		" interaction_person owner vouch person_cadence"
		" import_source ";
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT m.name, f.\"from\" FROM sqlite_schema m,"
	                       " pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
	                       " AND f.\"table\" = 'person'", &st, err);

	int step = SQLITE_DONE;

	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *col = (const char *)sqlite3_column_text(st, 1);
		char pat[80], sql[300];
		snprintf(pat, sizeof(pat), " %s ", t);
		if (strstr(known, pat) || strchr(t, '"') || strchr(col, '"'))
			continue;
		snprintf(sql, sizeof(sql), "UPDATE OR IGNORE \"%s\" SET \"%s\" = ?1"
		         " WHERE \"%s\" = ?2", t, col, col);
		rc = run2(db, sql, keep, gone, err);
	}
	if (!rc && step != SQLITE_DONE)
		rc = kith__sqlerr(db, step, "merge", err);
	sqlite3_finalize(st);
	return rc;
}

int kith_person_merge(kith_db *db, kith_id keep, kith_id gone, kith_error *err)
{
	kith_idv its = {0};
	int rc;

	if (keep == gone)
		return kith_error_set(err, KITH_EINVAL, "a person cannot be merged into themselves");
	rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	rc = kith__person_exists(db, keep, err);
	if (!rc)
		rc = kith__person_exists(db, gone, err);
	if (!rc)
		rc = kith__ids(db, "SELECT interaction_id FROM interaction_person"
		            " WHERE person_id = ?1", gone, &its, err);
	if (!rc)
		rc = kith__interactions_rescore(db, &its, -1, err);
	if (!rc)
		rc = merge_fields(db, keep, gone, err);
	if (!rc)
		rc = merge_links(db, keep, gone, err);
	if (!rc)
		rc = merge_rest(db, keep, gone, err);
	if (!rc)
		rc = merge_unknown(db, keep, gone, err);
	if (!rc)
		rc = kith__interactions_rescore(db, &its, 1, err);
	if (!rc)  /* gone's pairs are now empty; the cache has no cascade */
		rc = forget_pairs(db, keep, gone, &its, err);
	if (!rc)
		rc = run2(db, "DELETE FROM person WHERE id = ?2 AND ?1 = ?1", keep, gone, err);
	if (!rc)
		rc = kith__person_fts_refresh(db, keep, err);
	kith_idv_clear(&its);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}
