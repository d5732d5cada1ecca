/* Interactions: what happened between people, and when. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score/score.h"

void kith_interaction_clear(kith_interaction *it)
{
	if (!it)
		return;
	free(it->kind);
	free(it->notes);
	kith_idv_clear(&it->people);
	memset(it, 0, sizeof(*it));
}

void kith_interaction_list_free(kith_interaction *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_interaction_clear(&v[i]);
	free(v);
}

/* Drops repeated ids in place, keeping first occurrences in order. */
static void dedupe(kith_idv *iv)
{
	size_t out = 0;

	for (size_t i = 0; i < iv->n; i++) {
		size_t j;
		for (j = 0; j < out && iv->v[j] != iv->v[i]; j++)
			;
		if (j == out)
			iv->v[out++] = iv->v[i];
	}
	iv->n = out;
}

static int check_interaction(kith_db *db, kith_interaction *it, kith_error *err)
{
	int is_favour, rc, giver_in = 0;

	if (!it->kind)
		return kith_error_set(err, KITH_EINVAL, "an interaction needs a kind");
	rc = kith_kind_check(db, KITH_KIND_INTERACTION, it->kind, err);
	if (rc)
		return rc;
	dedupe(&it->people);
	if (it->people.n < 2)
		return kith_error_set(err, KITH_EINVAL,
			"an interaction needs at least two different people");
	for (size_t i = 0; i < it->people.n; i++) {
		rc = kith__person_exists(db, it->people.v[i], err);
		if (rc)
			return rc;
		giver_in |= it->people.v[i] == it->giver;
	}
	is_favour = strcmp(it->kind, "favour") == 0;
	if (is_favour && !it->giver)
		return kith_error_set(err, KITH_EINVAL,
			"a favour needs a direction: who gave it (given or received)");
	if (it->giver && !giver_in)
		return kith_error_set(err, KITH_EINVAL,
			"the giver of a favour must be one of the people involved");
	if (!is_favour && it->giver)
		return kith_error_set(err, KITH_EINVAL, "only a favour has a giver");
	if (!it->initiator)
		it->initiator = it->giver;
	if (it->initiator) {
		int in = 0;
		for (size_t i = 0; i < it->people.n; i++)
			in |= it->people.v[i] == it->initiator;
		if (!in)
			return kith_error_set(err, KITH_EINVAL,
				"whoever started an interaction must be one of the people in it");
		if (it->giver && it->giver != it->initiator)
			return kith_error_set(err, KITH_EINVAL,
				"a favour is started by whoever gives it");
	}
	if (is_favour && it->value == 0)
		it->value = 1;
	if (it->value < 0 || it->value > 1000000)
		return kith_error_set(err, KITH_EINVAL, "a favour's value must be positive");
	if (!is_favour)
		it->value = 0;
	if (it->notes) {
		int oom = 0;
		char *t = kith__trim_dup(it->notes, &oom);
		free(it->notes);
		it->notes = t;
		if (oom)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	return KITH_OK;
}

static int insert_people(kith_db *db, const kith_interaction *it, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "INSERT INTO interaction_person(interaction_id,"
	                       " person_id) VALUES (?1, ?2)", &st, err);

	for (size_t i = 0; !rc && i < it->people.n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, it->id);
		sqlite3_bind_int64(st, 2, it->people.v[i]);
		rc = kith__step_done(db, st, "add interaction", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int kith_interaction_add(kith_db *db, kith_interaction *it, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = kith__interaction_check(it, err);

	if (!rc)
		rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	it->created = kith_db_now(db);
	if (!it->at)
		it->at = it->created;
	rc = check_interaction(db, it, err);
	if (!rc)
		rc = kith__prepare(db, "INSERT INTO interaction(at, kind, notes, giver,"
		                   " value, created, initiator) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		                   &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, it->at);
		kith__bind_text(st, 2, it->kind);
		kith__bind_text(st, 3, it->notes);
		if (it->giver) {
			sqlite3_bind_int64(st, 4, it->giver);
			sqlite3_bind_double(st, 5, it->value);
		}
		sqlite3_bind_int64(st, 6, it->created);
		if (it->initiator)
			sqlite3_bind_int64(st, 7, it->initiator);
		rc = kith__step_done(db, st, "add interaction", err);
		sqlite3_finalize(st);
	}
	if (!rc) {
		it->id = sqlite3_last_insert_rowid(db->h);
		rc = insert_people(db, it, err);
	}
	if (!rc)
		rc = kith__score_interaction(db, it, 1, err);
	if (rc) {
		kith_db_rollback(db);
		it->id = 0;
		return rc;
	}
	return kith_db_commit(db, err);
}

/* Rewrites interaction it->id's row and people from it.  The people are
 * inserted afresh, so a private person among them makes it private as on
 * an add (schema trigger private_interaction_ins). */
static int write_update(kith_db *db, const kith_interaction *it, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = kith__prepare(db, "UPDATE interaction SET at = ?1, kind = ?2, notes = ?3,"
	                       " giver = ?4, value = ?5, initiator = ?6 WHERE id = ?7", &st, err);

	if (!rc) {
		sqlite3_bind_int64(st, 1, it->at);
		kith__bind_text(st, 2, it->kind);
		kith__bind_text(st, 3, it->notes);
		if (it->giver) {
			sqlite3_bind_int64(st, 4, it->giver);
			sqlite3_bind_double(st, 5, it->value);
		}
		if (it->initiator)
			sqlite3_bind_int64(st, 6, it->initiator);
		sqlite3_bind_int64(st, 7, it->id);
		rc = kith__step_done(db, st, "update interaction", err);
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = kith__prepare(db, "DELETE FROM interaction_person WHERE interaction_id = ?1",
		                   &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, it->id);
		rc = kith__step_done(db, st, "update interaction", err);
		sqlite3_finalize(st);
	}
	return rc ? rc : insert_people(db, it, err);
}

/* A person brought into interaction id who is private to a member other
 * than its owner would hide it from that owner (schema trigger
 * private_interaction_ins makes it theirs): refused.  An interaction
 * nobody owns is claimed, as kith_record_set_private claims one. */
static int check_newcomers(kith_db *db, const kith_interaction *old,
                           const kith_interaction *it, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT 1 FROM person p, interaction i WHERE p.id = ?1"
	                       " AND i.id = ?2 AND p.private AND i.owner IS NOT NULL"
	                       " AND p.owner IS NOT i.owner", &st, err);

	for (size_t k = 0; !rc && k < it->people.n; k++) {
		size_t j;
		for (j = 0; j < old->people.n && old->people.v[j] != it->people.v[k]; j++)
			;
		if (j < old->people.n)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, it->people.v[k]);
		sqlite3_bind_int64(st, 2, it->id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			rc = kith_error_set(err, KITH_EPERM, "#%lld is private to another member than"
			                    " this interaction's owner: they cannot be added to it",
			                    (long long)it->people.v[k]);
		else
			rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "update interaction", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int kith_interaction_update(kith_db *db, kith_interaction *it, kith_error *err)
{
	kith_interaction old;
	int rc = kith__interaction_check(it, err);

	if (!rc)
		rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	/* The old share of the pair cache goes as the database says now, the
	 * new one comes as it says after the write: a change of people, kind,
	 * time or initiator moves each pair's sums by exactly its terms. */
	rc = kith_interaction_get(db, it->id, &old, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	it->created = old.created;
	if (!it->at)
		it->at = old.at;
	rc = check_interaction(db, it, err);
	if (!rc)
		rc = check_newcomers(db, &old, it, err);
	if (!rc)
		rc = kith__score_interaction(db, &old, -1, err);
	if (!rc)
		rc = write_update(db, it, err);
	if (!rc)
		rc = kith__score_interaction(db, it, 1, err);
	kith_interaction_clear(&old);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

/* Fills it from a row of INTERACTION_COLS and loads its people. */
static int load_row(kith_db *db, sqlite3_stmt *row, kith_interaction *it,
                    kith_error *err)
{
	sqlite3_stmt *st;
	int oom = 0, rc;

	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(row, 0);
	it->at = sqlite3_column_int64(row, 1);
	it->kind = kith__col_dup(row, 2, &oom);
	it->notes = kith__col_dup(row, 3, &oom);
	it->giver = sqlite3_column_int64(row, 4);
	it->value = sqlite3_column_double(row, 5);
	it->created = sqlite3_column_int64(row, 6);
	it->initiator = sqlite3_column_int64(row, 7);
	if (oom)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	/* Kept prepared (kith__stmt): a list loads the people of every row,
	 * and a member's handle prepares a statement through its views.  The
	 * row was read through the handle's view of interaction, which keeps
	 * an interaction only when all of its people show: its people are
	 * read from main, without the view checking that again per person. */
	rc = kith__stmt(db, "SELECT person_id FROM main.interaction_person"
	                " WHERE interaction_id = ?1 ORDER BY person_id", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, it->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (kith_idv_push(&it->people, sqlite3_column_int64(st, 0))) {
			kith__stmt_release(db, st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
	kith__stmt_release(db, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "load interaction", err);
}

#define INTERACTION_COLS \
	"i.id, i.at, i.kind, i.notes, i.giver, i.value, i.created, i.initiator"

int kith_interaction_get(kith_db *db, kith_id id, kith_interaction *out,
                         kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT " INTERACTION_COLS " FROM interaction i"
	                       " WHERE i.id = ?1", &st, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = load_row(db, st, out, err);
	else if (rc == SQLITE_DONE)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no interaction #%lld", (long long)id);
	else
		rc = kith__sqlerr(db, rc, "load interaction", err);
	sqlite3_finalize(st);
	if (rc)
		kith_interaction_clear(out);
	return rc;
}

int kith_interaction_remove(kith_db *db, kith_id id, kith_error *err)
{
	kith_interaction it;
	sqlite3_stmt *st = NULL;
	int rc = kith_db_begin(db, err);

	if (rc)
		return rc;
	rc = kith_interaction_get(db, id, &it, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	rc = kith__score_interaction(db, &it, -1, err);
	if (!rc)
		rc = kith__prepare(db, "DELETE FROM interaction WHERE id = ?1", &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, id);
		rc = kith__step_done(db, st, "remove interaction", err);
	}
	sqlite3_finalize(st);
	kith_interaction_clear(&it);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_interaction_list(kith_db *db, const kith_interaction_filter *f,
                          kith_interaction **out, size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	kith_interaction *v = NULL;
	size_t cnt = 0, cap = 0;
	/* Both people are in every interaction listed: start from either. */
	kith_id who = f ? (f->person ? f->person : f->with) : 0;
	int rc;

	*out = NULL;
	*n = 0;
	/* Two statements, each on an index.  A person's list starts from
	 * their rows of interaction_person (CROSS JOIN keeps that order, the
	 * unary + keeps SQLite from walking interaction_at instead and probing
	 * everybody's interactions for theirs) and sorts what it found; the
	 * log without a person reads interaction_at newest first, between the
	 * bounds, and stops at the limit.  The person's rows come from
	 * main.interaction_person: the join with interaction (the handle's
	 * view of it) keeps what the view of interaction_person would, which
	 * checks the same interaction's visibility a second time per row. */
	rc = kith__stmt(db, who ?
		"SELECT " INTERACTION_COLS " FROM main.interaction_person ip CROSS JOIN"
		" interaction i ON i.id = ip.interaction_id WHERE ip.person_id = ?1"
		" AND (?2 = 0 OR EXISTS (SELECT 1 FROM main.interaction_person p"
		"   WHERE p.interaction_id = i.id AND p.person_id = ?2))"
		" AND (?3 IS NULL OR i.kind = ?3) AND +i.at >= ?4 AND +i.at < ?5"
		" ORDER BY i.at DESC, i.id DESC LIMIT ?6 OFFSET ?7" :
		"SELECT " INTERACTION_COLS " FROM interaction i"
		" WHERE i.at >= ?4 AND i.at < ?5"
		" AND (?2 = 0 OR EXISTS (SELECT 1 FROM interaction_person p"
		"   WHERE p.interaction_id = i.id AND p.person_id = ?2))"
		" AND (?3 IS NULL OR i.kind = ?3)"
		" ORDER BY i.at DESC, i.id DESC LIMIT ?6 OFFSET ?7", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, who);
	sqlite3_bind_int64(st, 2, who == (f ? f->person : 0) ? (f ? f->with : 0) : 0);
	kith__bind_text(st, 3, f ? f->kind : NULL);
	sqlite3_bind_int64(st, 4, f && f->since ? f->since : INT64_MIN);
	sqlite3_bind_int64(st, 5, f && f->until ? f->until : INT64_MAX);
	sqlite3_bind_int64(st, 6, f && f->limit ? (sqlite3_int64)f->limit : -1);
	sqlite3_bind_int64(st, 7, f ? (sqlite3_int64)f->offset : 0);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto fail;
		}
		rc = load_row(db, st, &v[cnt++], err);
		if (rc)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		rc = kith__sqlerr(db, rc, "list interactions", err);
		goto fail;
	}
	kith__stmt_release(db, st);
	*out = v;
	*n = cnt;
	return KITH_OK;
fail:
	kith__stmt_release(db, st);
	kith_interaction_list_free(v, cnt);
	return rc;
}

int kith__interactions_rescore(kith_db *db, const kith_idv *ids, int sign,
                               kith_error *err)
{
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < ids->n; i++) {
		kith_interaction it;
		rc = kith_interaction_get(db, ids->v[i], &it, err);
		if (rc == KITH_ENOTFOUND) {  /* went with the change */
			kith_error_clear(err);
			rc = KITH_OK;
			continue;
		}
		if (!rc)
			rc = kith__score_interaction(db, &it, sign, err);
		kith_interaction_clear(&it);
	}
	return rc;
}
