/*
 * Capture, events: a message or a meeting becomes one interaction among
 * the people taking part, each found by email (the owner's own addresses
 * find "me") or created with the name the source gives.  Interactions go
 * through kith_interaction_add so that everything the store keeps about
 * them (search, scores) stays right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

/* The person for a party: found by email, else created.  A person whose
 * name was only an address gets the name the source gives. */
static int party_person(kith__isess *s, const kith__event *e,
                        const kith__party *pt, kith_id *id, kith_error *err)
{
	char *email = NULL;
	int rc;

	*id = 0;
	if (kith_email_normalize(pt->email, &email, NULL) != KITH_OK) {
		gchar *m = g_strdup_printf("'%.60s' is not a valid email address; left out",
		                           pt->email);
		rc = kith__import_issue(s, e->line, KITH_ISSUE_WARNING, m, err);
		g_free(m);
		return rc;
	}
	if (kith__noreply(email)) {
		free(email);
		return KITH_OK;
	}
	rc = kith__find_email(s, email, id, err);
	if (!rc && *id && pt->name && !strchr(pt->name, '@')) {
		/* Upgrade "zoe@acme.example" to "Zoë Dupont" when a message
		 * finally names them. */
		sqlite3_stmt *st = kith__ist(s, S_RENAME);
		int r;
		sqlite3_bind_int64(st, 1, *id);
		kith__bind_text(st, 2, pt->name);
		sqlite3_bind_int64(st, 3, s->now);
		r = sqlite3_step(st);
		sqlite3_reset(st);
		if (r != SQLITE_DONE)
			rc = kith__sqlerr(s->db, r, "import", err);
		else if (sqlite3_changes(kith_db_sqlite(s->db)) > 0 && kith__touch(s, *id))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
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
	free(email);
	return rc;
}

int kith__import_event(void *ctx, kith__event *e, kith_error *err)
{
	kith__isess *s = ctx;
	const char *key = e->key ? e->key : e->digest;
	kith_interaction it = {0};
	kith_id pid, iid;
	kith_error ierr;
	char old[33];
	int found, rc;

	rc = kith__src_get(s, key, &pid, &iid, old, &found, err);
	if (rc)
		return rc;
	if (found && iid) {
		s->rep->records++;
		s->rep->unchanged++;
		return KITH_OK;
	}
	for (size_t i = 0; !rc && i < e->nparties; i++) {
		kith_id id;
		rc = party_person(s, e, &e->parties[i], &id, err);
		if (!rc && id && kith_idv_push(&it.people, id))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
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
	rc = kith_interaction_add(s->db, &it, &ierr);
	if (rc == KITH_EINVAL) {  /* never expected: the record, not the import */
		rc = kith__import_issue(s, e->line, KITH_ISSUE_REJECTED, ierr.msg, err);
		goto cleanup;
	}
	if (rc && err)
		*err = ierr;
	if (!rc) {
		s->rep->records++;
		s->rep->created++;
		rc = kith__src_put(s, key, 0, it.id, e->digest, err);
	}
cleanup:
	kith_interaction_clear(&it);
	return rc;
}
