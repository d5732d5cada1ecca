/*
 * Capture, events: a message or a meeting becomes one interaction among
 * the people taking part, each found by email (the owner's own addresses
 * find "me") or created with the name the source gives.  Interactions are
 * written as kith_interaction_add writes them (its search row by the
 * schema's trigger, its share of the pair strengths by
 * kith__score_interaction), but with statements prepared once per import:
 * kith_interaction_add prepares eight per call, which was half the time
 * of a large mbox import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "score/score.h"
#include "kith/interaction.h"

/* The person for a party: found by email, else created.  A person whose
 * name was only an address gets the name the source gives. */
static int party_person(kith__isess *s, const kith__event *e,
                        const kith__party *pt, kith_id *id, kith_error *err)
{
	const char *email = pt->norm;
	int rc, unnamed = 0;

	*id = 0;
	if (!email) {
		gchar *m = g_strdup_printf("'%.60s' is not a valid email address; left out",
		                           pt->email);
		rc = kith__import_issue(s, e->line, KITH_ISSUE_WARNING, m, err);
		g_free(m);
		return rc;
	}
	if (pt->noreply)
		return KITH_OK;
	rc = kith__find_email_low(s, email, pt->low, id, err);
	if (!rc && *id && pt->name && !strchr(pt->name, '@'))
		rc = kith__placeholder(s, *id, &unnamed, err);
	if (!rc && unnamed)  /* a private import does not rename a team person */
		rc = kith__writable(s, *id, &unnamed, err);
	if (!rc && unnamed) {
		/* Upgrade "zoe@acme.example" to "Zoë Dupont" when a message
		 * finally names them.  This does not start the bulk path: if
		 * it runs before, the trigger logs it. */
		sqlite3_stmt *st = kith__ist(s, S_RENAME);
		int r;
		sqlite3_bind_int64(st, 1, *id);
		kith__ibind(st, 2, pt->name);
		sqlite3_bind_int64(st, 3, s->now);
		r = sqlite3_step(st);
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			rc = kith__sqlerr(s->db, r, "import", err);
		else if (sqlite3_changes(kith_db_sqlite(s->db)) > 0 && kith__touch(s, *id))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		kith__placeholder_note(s, *id, pt->name);
	}
	if (!rc && !*id) {
		kith_strv emails = {0};
		if (kith_strv_push(&emails, email))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		else
			rc = kith__insert_person(s, pt->name && *pt->name ? pt->name : email,
			                         NULL, NULL, NULL, NULL, NULL, &emails, NULL,
			                         NULL, id, err);
		kith_strv_clear(&emails);
	}
	return rc;
}

/* KITH_OK, or an error (err filled) when kind is not an interaction
 * kind; the first two kinds found are remembered for the import. */
static int check_kind(kith__isess *s, const char *kind, kith_error *err)
{
	int rc;

	for (int i = 0; i < 2; i++)
		if (s->kind_ok[i][0] && strcmp(s->kind_ok[i], kind) == 0)
			return KITH_OK;
	rc = kith_kind_check(s->db, KITH_KIND_INTERACTION, kind, err);
	if (!rc && strlen(kind) < sizeof(s->kind_ok[0]))
		snprintf(s->kind_ok[s->kind_ok[0][0] ? 1 : 0], sizeof(s->kind_ok[0]),
		         "%s", kind);
	return rc;
}

/* Stores it (two or more distinct people, all existing; no giver; the
 * initiator, if any, one of them) as kith_interaction_add would: sets
 * it->id. */
static int add_interaction(kith__isess *s, kith_interaction *it, kith_error *err)
{
	sqlite3_stmt *st;
	int rc, oom = 0;

	rc = check_kind(s, it->kind, err);
	if (!rc)
		rc = kith__bulk_start(s, err);
	if (rc)
		return rc;
	it->created = s->now;
	if (!it->at)
		it->at = it->created;
	if (it->notes) {
		char *t = kith__trim_dup(it->notes, &oom);
		free(it->notes);
		it->notes = t;
		if (oom)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	if (s->bulk)
		return kith__bulk_interaction(s, it, err);
	st = kith__ist(s, S_IT_INS);
	sqlite3_bind_int64(st, 1, it->at);
	kith__ibind(st, 2, it->kind);
	kith__ibind(st, 3, it->notes);
	sqlite3_bind_int64(st, 4, it->created);
	if (it->initiator)
		sqlite3_bind_int64(st, 5, it->initiator);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(s->db, rc, "add interaction", err);
	it->id = sqlite3_last_insert_rowid(kith_db_sqlite(s->db));
	for (size_t i = 0; i < it->people.n; i++) {
		st = kith__ist(s, S_IT_PERSON);
		sqlite3_bind_int64(st, 1, it->id);
		sqlite3_bind_int64(st, 2, it->people.v[i]);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return kith__sqlerr(s->db, rc, "add interaction", err);
	}
	return kith__score_interaction(s->db, it, 1, err);
}

/* Whether stored interaction iid is the message e: the same time, and
 * the same sender (when it has one on record).  Some mailers give every
 * message the same Message-ID, or reuse one; the copies of one message in
 * two folders agree on both.  *same. */
static int same_message(kith__isess *s, kith_id iid, const kith__event *e, int *same,
                        kith_error *err)
{
	static const char sql[] =
		"SELECT at = ?2 AND (initiator IS NULL OR initiator IS"
		" (SELECT person_id FROM person_email WHERE email = ?3))"
		" FROM interaction WHERE id = ?1";
	sqlite3_stmt *st;
	int rc;

	*same = 1;
	if (e->nparties == 0 || !e->first_initiates)
		return KITH_OK;
	if ((rc = kith__stmt(s->db, sql, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, iid);
	sqlite3_bind_int64(st, 2, e->at);
	kith__ibind(st, 3, e->parties[0].norm ? e->parties[0].norm : e->parties[0].email);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*same = sqlite3_column_int(st, 0);
	else if (rc != SQLITE_DONE)
		rc = kith__sqlerr(s->db, rc, "import", err);
	kith__stmt_release(s->db, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK : rc;
}

int kith__import_event(void *ctx, kith__event *e, kith_error *err)
{
	kith__isess *s = ctx;
	const char *key = e->key ? e->key : e->digest;
	kith_interaction it = {0};
	kith_id pid, iid;
	kith_error ierr;
	char old[33], *alt = NULL;
	int found, rc, rejected, same;

	if ((rc = kith__batch_point(s, err)))
		return rc;
	rc = kith__src_get(s, key, &pid, &iid, old, &found, err);
	if (rc)
		return rc;
	/* A Message-ID already taken by a message from someone else, or sent
	 * at another time: this one is known by its id, sender and time. */
	if (found && iid && e->key && strcmp(e->kind, "email") == 0) {
		if ((rc = same_message(s, iid, e, &same, err)))
			return rc;
		if (!same) {
			alt = g_strdup_printf("%s\x1f%s\x1f%lld", e->key,
			                      e->parties[0].low ? e->parties[0].low : e->parties[0].email,
			                      (long long)e->at);
			key = alt;
			rc = kith__src_get(s, key, &pid, &iid, old, &found, err);
			if (rc)
				goto cleanup;
		}
	}
	if (found && iid) {
		s->rep->records++;
		s->rep->unchanged++;
		goto cleanup;
	}
	if ((rc = kith__event_text(s, e, &rejected, err)) || rejected)
		goto cleanup;
	for (size_t i = 0; !rc && i < e->nparties; i++) {
		kith_id id;
		rc = party_person(s, e, &e->parties[i], &id, err);
		if (!rc && id && kith_idv_push(&it.people, id))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		/* An email's sender started it: the scores count it as given
		 * by them (docs/score.md), not as of unknown direction. */
		if (!rc && i == 0 && e->first_initiates)
			it.initiator = id;
	}
	if (rc)
		goto cleanup;
	/* Duplicates (two addresses of one person) count once. */
	size_t n = 0;
	for (size_t i = 0; i < it.people.n; i++) {
		size_t j;
		for (j = 0; j < n && it.people.v[j] != it.people.v[i]; j++)
			;
		if (j == n)
			it.people.v[n++] = it.people.v[i];
	}
	it.people.n = n;
	if (n < 2) {
		rc = kith__import_issue(s, e->line, KITH_ISSUE_SKIPPED,
		                        n ? "only one person took part" :
		                            "nobody taking part has a usable address", err);
		goto cleanup;
	}
	it.at = e->at;
	it.kind = strdup(e->kind);
	it.notes = e->notes;
	e->notes = NULL;
	if (!it.kind) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = add_interaction(s, &it, &ierr);
	/* Never expected: the record, not the import, unless it was half
	 * written (it.id set), which only rolling back the import undoes. */
	if (rc == KITH_EINVAL && !it.id) {
		rc = kith__import_issue(s, e->line, KITH_ISSUE_REJECTED, ierr.msg, err);
		goto cleanup;
	}
	if (rc && err)
		*err = ierr;
	if (!rc) {
		s->rep->records++;
		s->rep->created++;
		rc = s->bulk ? kith__bulk_source(s, key, it.id, e->digest, found, err)
		             : kith__src_put(s, key, 0, it.id, e->digest, found, err);
	}
cleanup:
	kith_interaction_clear(&it);
	g_free(alt);
	return rc;
}
