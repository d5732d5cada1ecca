/*
 * Capture, people: each contact record is matched to a person already
 * there (identity resolution) and merged into them, or becomes a new
 * person.  Both are written with prepared statements kept for the whole
 * import (the store API prepares a dozen statements per person, which
 * dominated a 100k-card import), with values normalised as the store
 * normalises them (clean_lists); search rows are rebuilt once per person
 * before commit (import.c).  tests/unit/test_import_store.c holds this
 * to what kith_person_add/update would have written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session.h"
#include "kith/person.h"
#include "kith/interaction.h"
#include "kith/date.h"

static int sqlfail(kith__isess *s, int rc, kith_error *err)
{
	return kith__sqlerr(s->db, rc, "import", err);
}

/* Validates a contact's lists in place: normalised, duplicates (any case)
 * dropped, bad values reported as warnings. */
static int clean_lists(kith__isess *s, kith__contact *c, kith_error *err)
{
	kith_strv out[3] = {{0}};
	kith_strv *in[3] = {&c->emails, &c->phones, &c->tags};
	int rc = KITH_OK;

	for (int k = 0; k < 3 && !rc; k++) {
		for (size_t i = 0; i < in[k]->n && !rc; i++) {
			char *norm = NULL, *raw = in[k]->v[i], *tmp = NULL;
			int bad, dup = 0;
			if (k == 0)
				bad = kith_email_normalize(raw, &norm, NULL);
			else if (k == 1)
				bad = kith_phone_check(raw, NULL) || !(norm = strdup(raw));
			else
				bad = !(tmp = kith__tagify(raw)) ||
				      kith_tag_normalize(tmp, &norm, NULL);
			free(tmp);
			for (size_t j = 0; !bad && j < out[k].n && !dup; j++)
				dup = strcasecmp(out[k].v[j], norm) == 0;
			if (bad) {
				gchar *m = g_strdup_printf("'%.60s' is %s; dropped", raw,
					k == 0 ? "not a valid email address" :
					k == 1 ? "not a phone number" : "not usable as a tag");
				rc = kith__import_issue(s, c->line, KITH_ISSUE_WARNING, m, err);
				g_free(m);
			}
			if (!bad && !dup && kith_strv_push(&out[k], norm))
				rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			free(norm);
		}
	}
	for (int k = 0; k < 3; k++) {
		if (rc) {
			kith_strv_clear(&out[k]);
		} else {
			kith_strv_clear(in[k]);
			*in[k] = out[k];
		}
	}
	return rc;
}

/* Who this contact already is, by the identity rules; 0 when new. */
static int resolve(kith__isess *s, const kith__contact *c, kith_id *id,
                   kith_error *err)
{
	int rc = KITH_OK;

	*id = 0;
	for (size_t i = 0; !rc && !*id && i < c->emails.n; i++)
		rc = kith__find_email(s, c->emails.v[i], id, err);
	for (size_t i = 0; !rc && !*id && i < c->phones.n; i++)
		rc = kith__find_phone(s, c->phones.v[i], id, err);
	if (rc || *id || !c->njobs || !c->display)
		return rc;
	if (!s->nameorg && (rc = kith__nameorg_load(s, err)))
		return rc;
	char *k = kith__name_key(c->display);
	if (!k)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && !*id && i < c->njobs; i++) {
		kith_id org;
		if (!c->jobs[i].org)
			continue;
		rc = kith__org_lookup(s, c->jobs[i].org, 0, &org, err);
		if (!rc && org) {
			gchar *key = g_strdup_printf("%s\x1f%lld", k, (long long)org);
			gpointer v;
			if (g_hash_table_lookup_extended(s->nameorg, key, NULL, &v))
				*id = (kith_id)GPOINTER_TO_SIZE(v);
			g_free(key);
		}
	}
	free(k);
	return rc;
}

int kith__insert_person(kith__isess *s, const char *display, const char *given,
                        const char *family, const char *city,
                        const char *country, const char *notes,
                        const kith_strv *emails, const kith_strv *phones,
                        const kith_strv *tags, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__bulk_start(s, err);

	if (rc)
		return rc;
	st = kith__ist(s, S_PERSON_INS);
	kith__ibind(st, 1, display);
	kith__ibind(st, 2, given);
	kith__ibind(st, 3, family);
	kith__ibind(st, 4, city);
	kith__ibind(st, 5, country);
	kith__ibind(st, 6, notes);
	sqlite3_bind_int64(st, 7, s->now);
	if (s->new_owner)
		sqlite3_bind_int64(st, 8, s->new_owner);
	sqlite3_bind_int(st, 9, s->new_private);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return sqlfail(s, rc, err);
	*id = sqlite3_last_insert_rowid(kith_db_sqlite(s->db));
	kith__placeholder_note(s, *id, display);
	for (size_t i = 0; emails && i < emails->n; i++) {
		st = kith__ist(s, S_EMAIL_INS);
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		kith__ibind(st, 3, emails->v[i]);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE)
			return sqlfail(s, rc, err);
		kith__remember_email(s, emails->v[i], *id);
	}
	for (size_t i = 0; phones && i < phones->n; i++) {
		char digits[32];
		st = kith__ist(s, S_PHONE_INS);
		kith_phone_digits(phones->v[i], digits, sizeof(digits));
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		kith__ibind(st, 3, phones->v[i]);
		kith__ibind(st, 4, digits);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE)
			return sqlfail(s, rc, err);
		kith__remember_phone(s, digits, *id);
	}
	for (size_t i = 0; tags && i < tags->n; i++) {
		st = kith__ist(s, S_TAG_INS);
		sqlite3_bind_int64(st, 1, *id);
		kith__ibind(st, 2, tags->v[i]);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE)
			return sqlfail(s, rc, err);
	}
	s->rep->people_created++;
	return kith__touch(s, *id) ? kith_error_set(err, KITH_ENOMEM, "out of memory")
	                           : KITH_OK;
}

/* A display name that only repeats an address is a placeholder that a
 * real name may replace. */
static int placeholder_name(const kith_person *p)
{
	if (!p->display_name)
		return 1;
	if (strchr(p->display_name, '@'))
		return 1;
	return 0;
}

static int fill(char **dst, char **src, int *changed)
{
	if (*dst || !*src)
		return 0;
	*dst = *src;
	*src = NULL;
	*changed = 1;
	return 0;
}

/* Reads one of a person's lists (column 0) in stored order into *sv;
 * *next is one past the highest position (column 1). */
static int load_list(kith__isess *s, int which, kith_id id, kith_strv *sv,
                     int64_t *next, kith_error *err)
{
	sqlite3_stmt *st = kith__ist(s, which);
	int rc;

	*next = 0;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		int64_t pos = sqlite3_column_int64(st, 1);
		if (t && kith_strv_push(sv, t)) {
			sqlite3_reset(st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		if (pos + 1 > *next)
			*next = pos + 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

/* The stored person, as kith_person_get reads them, through the
 * session's statements: a merge is a common case of a big import, and
 * the store API prepares a dozen statements per call.  p is the
 * caller's, cleared with kith_person_clear; next[0..1] are the next free
 * email and phone positions. */
static int load_person(kith__isess *s, kith_id id, kith_person *p,
                       int64_t next[2], kith_error *err)
{
	sqlite3_stmt *st = kith__ist(s, S_P_ROW);
	char **fields[] = {&p->display_name, &p->given_name, &p->family_name,
	                   &p->city, &p->country, &p->notes};
	int64_t ignored;
	int rc, oom = 0;

	memset(p, 0, sizeof(*p));
	p->id = id;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return kith_error_set(err, KITH_ENOTFOUND, "no person #%lld",
			                      (long long)id);
		return sqlfail(s, rc, err);
	}
	for (int i = 0; i < 6; i++)
		*fields[i] = kith__col_dup(st, i, &oom);
	sqlite3_reset(st);
	if (oom)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = load_list(s, S_P_EMAILS, id, &p->emails, &next[0], err);
	if (!rc)
		rc = load_list(s, S_P_PHONES, id, &p->phones, &next[1], err);
	if (!rc)
		rc = load_list(s, S_P_TAGS, id, &p->tags, &ignored, err);
	return rc;
}

/* Writes what enrich() added: the row, and the list entries from
 * first[k] on (emails, phones, tags) at the positions after the stored
 * ones.  The values were normalised by clean_lists(), as
 * kith_person_update would; the search row is rebuilt before commit. */
static int save_merge(kith__isess *s, const kith_person *p, const size_t first[3],
                      const int64_t next[2], kith_error *err)
{
	sqlite3_stmt *st = kith__ist(s, S_P_UPDATE);
	int rc;

	sqlite3_bind_int64(st, 1, p->id);
	kith__ibind(st, 2, p->display_name);
	kith__ibind(st, 3, p->given_name);
	kith__ibind(st, 4, p->family_name);
	kith__ibind(st, 5, p->city);
	kith__ibind(st, 6, p->country);
	kith__ibind(st, 7, p->notes);
	sqlite3_bind_int64(st, 8, s->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlfail(s, rc, err);
	kith__placeholder_note(s, p->id, p->display_name);
	for (size_t i = first[0]; i < p->emails.n; i++) {
		st = kith__ist(s, S_EMAIL_INS);
		sqlite3_bind_int64(st, 1, p->id);
		sqlite3_bind_int64(st, 2, next[0] + (int64_t)(i - first[0]));
		kith__ibind(st, 3, p->emails.v[i]);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return sqlfail(s, rc, err);
	}
	for (size_t i = first[1]; i < p->phones.n; i++) {
		char digits[32];
		kith_phone_digits(p->phones.v[i], digits, sizeof(digits));
		st = kith__ist(s, S_PHONE_INS);
		sqlite3_bind_int64(st, 1, p->id);
		sqlite3_bind_int64(st, 2, next[1] + (int64_t)(i - first[1]));
		kith__ibind(st, 3, p->phones.v[i]);
		kith__ibind(st, 4, digits);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return sqlfail(s, rc, err);
		kith__remember_phone(s, digits, p->id);
	}
	for (size_t i = first[2]; i < p->tags.n; i++) {
		st = kith__ist(s, S_TAG_INS);
		sqlite3_bind_int64(st, 1, p->id);
		kith__ibind(st, 2, p->tags.v[i]);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return sqlfail(s, rc, err);
	}
	return kith__touch(s, p->id) ? kith_error_set(err, KITH_ENOMEM, "out of memory")
	                             : KITH_OK;
}

/* Merges a contact into person id; only writes when something is new.
 * The contact's display name is copied, not taken: add_jobs needs it. */
static int enrich(kith__isess *s, kith_id id, kith__contact *c, kith_error *err)
{
	kith_person p;
	int64_t next[2];
	size_t first[3];
	int rc = load_person(s, id, &p, next, err), changed = 0;

	first[0] = p.emails.n;
	first[1] = p.phones.n;
	first[2] = p.tags.n;
	if (rc)
		goto cleanup;
	if (c->display && placeholder_name(&p) && !strchr(c->display, '@')) {
		char *d = strdup(c->display);
		if (!d) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
		free(p.display_name);
		p.display_name = d;
		changed = 1;
	}
	fill(&p.given_name, &c->given, &changed);
	fill(&p.family_name, &c->family, &changed);
	fill(&p.city, &c->city, &changed);
	fill(&p.country, &c->country, &changed);
	if (c->notes && !(p.notes && strstr(p.notes, c->notes))) {
		if (p.notes) {
			gchar *n = g_strdup_printf("%s\n%s", p.notes, c->notes);
			char *d = strdup(n);
			g_free(n);
			if (!d)
				rc = KITH_ENOMEM;
			free(p.notes);
			p.notes = d;
		} else {
			p.notes = c->notes;
			c->notes = NULL;
		}
		changed = 1;
	}
	for (size_t i = 0; !rc && i < c->emails.n; i++) {
		kith_id owner;
		int have = 0;
		for (size_t j = 0; j < p.emails.n && !have; j++)
			have = strcasecmp(p.emails.v[j], c->emails.v[i]) == 0;
		if (have)
			continue;
		rc = kith__find_email(s, c->emails.v[i], &owner, err);
		if (!rc && owner && owner != id) {
			rc = kith__import_issue(s, c->line, KITH_ISSUE_WARNING,
				"an email of this record belongs to someone else; "
				"not moved (see 'kith dupes')", err);
		} else if (!rc) {
			rc = kith_strv_push(&p.emails, c->emails.v[i]);
			changed = 1;
		}
	}
	for (size_t i = 0; !rc && i < c->phones.n; i++) {
		char k1[40], k2[40];
		int have = 0;
		kith_phone_key(c->phones.v[i], k1, sizeof(k1));
		for (size_t j = 0; j < p.phones.n && !have; j++) {
			kith_phone_key(p.phones.v[j], k2, sizeof(k2));
			have = strcmp(k1, k2) == 0;
		}
		if (!have) {
			rc = kith_strv_push(&p.phones, c->phones.v[i]);
			changed = 1;
		}
	}
	for (size_t i = 0; !rc && i < c->tags.n; i++) {
		if (kith_strv_find(&p.tags, c->tags.v[i]) < 0) {
			rc = kith_strv_push(&p.tags, c->tags.v[i]);
			changed = 1;
		}
	}
	if (rc == KITH_ENOMEM)
		rc = kith_error_set(err, rc, "out of memory");
	if (!rc && changed) {
		rc = save_merge(s, &p, first, next, err);
		for (size_t i = 0; !rc && i < p.emails.n; i++)
			kith__remember_email(s, p.emails.v[i], id);
	}
cleanup:
	kith_person_clear(&p);
	return rc;
}

/* Adds the contact's jobs that the person does not have yet.  A job at
 * the same org with the same title (or no title on either side) is the
 * same job. */
static int add_jobs(kith__isess *s, kith_id id, const char *name,
                    const kith__contact *c, kith_error *err)
{
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < c->njobs; i++) {
		const kith__cjob *j = &c->jobs[i];
		char from[16] = "", to[16] = "";
		kith_id org;
		int same = 0;
		if (!j->org)
			continue;
		if (j->from && kith_date_parse(j->from, from, sizeof(from), NULL))
			from[0] = '\0';
		if (j->to && kith_date_parse(j->to, to, sizeof(to), NULL))
			to[0] = '\0';
		if (from[0] && to[0] && strcmp(from, to) > 0)
			from[0] = to[0] = '\0';
		rc = kith__org_lookup(s, j->org, 1, &org, err);
		if (rc)
			break;
		sqlite3_stmt *st = kith__ist(s, S_JOB_FIND);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, org);
		while (!same && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 1);
			same = !t || !j->title || strcasecmp(t, j->title) == 0;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sqlfail(s, rc, err);
		rc = KITH_OK;
		if (same)
			continue;
		st = kith__ist(s, S_JOB_INS);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, org);
		kith__ibind(st, 3, j->title);
		kith__ibind(st, 4, from[0] ? from : NULL);
		kith__ibind(st, 5, to[0] ? to : NULL);
		sqlite3_bind_int64(st, 6, s->now);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE)
			return sqlfail(s, rc, err);
		rc = KITH_OK;
		s->rep->jobs_created++;
		kith__nameorg_note(s, name, org, id);
		if (kith__touch(s, id))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	return rc;
}

/* "I know them" (a LinkedIn connection): a knows link from me, with the
 * earliest since anyone said. */
static int link_me(kith__isess *s, kith_id id, const char *since, kith_error *err)
{
	char canon[16] = "";
	sqlite3_stmt *st;
	kith_id link = 0;
	int rc, has_since = 0, older = 0, priv = 0;

	if (!s->me || s->me == id)
		return KITH_OK;
	if (since && kith_date_parse(since, canon, sizeof(canon), NULL))
		canon[0] = '\0';
	st = kith__ist(s, S_LINK_FIND);
	sqlite3_bind_int64(st, 1, s->me);
	sqlite3_bind_int64(st, 2, id);
	kith__ibind(st, 3, "knows");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(st, 1);
		link = sqlite3_column_int64(st, 0);
		priv = sqlite3_column_int(st, 2);
		has_since = old != NULL;
		older = canon[0] && old && strcmp(canon, old) < 0;
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlfail(s, rc, err);
	/* A private import leaves a team link as it is. */
	if (link && s->priv && !priv)
		return KITH_OK;
	if (link && canon[0] && (!has_since || older)) {
		st = kith__ist(s, S_LINK_SINCE);
		sqlite3_bind_int64(st, 1, link);
		kith__ibind(st, 2, canon);
		sqlite3_bind_int64(st, 3, s->now);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
	}
	if (link)
		return KITH_OK;
	/* A link the viewer does not see is no reason not to make theirs:
	 * pairs are unique per scope (schema migration 9). */
	st = kith__ist(s, S_LINK_INS);
	sqlite3_bind_int64(st, 1, s->me);
	sqlite3_bind_int64(st, 2, id);
	kith__ibind(st, 3, "knows");
	kith__ibind(st, 4, canon[0] ? canon : NULL);
	sqlite3_bind_int64(st, 5, s->me);
	sqlite3_bind_int64(st, 6, s->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlfail(s, rc, err);
	s->rep->links_created++;
	return KITH_OK;
}

int kith__import_contact(void *ctx, kith__contact *c, kith_error *err)
{
	kith__isess *s = ctx;
	const char *key = c->key ? c->key : c->digest;
	char old_digest[33];
	kith_id id = 0, ignored;
	int found, rc, rejected, ok;

	if ((rc = kith__batch_point(s, err)))
		return rc;
	rc = kith__src_get(s, key, &id, &ignored, old_digest, &found, err);
	if (rc)
		return rc;
	s->rep->records++;
	if (found && id && strcmp(old_digest, c->digest) == 0) {
		s->rep->unchanged++;
		return KITH_OK;
	}
	if ((rc = kith__contact_text(s, c, &rejected, err)) || rejected)
		return rc;
	rc = clean_lists(s, c, err);
	if (!rc && !c->display && (c->given || c->family)) {
		gchar *n = g_strdup_printf("%s%s%s", c->given ? c->given : "",
		                           c->given && c->family ? " " : "",
		                           c->family ? c->family : "");
		rc = kith__set_field(&c->display, n, strlen(n));
		g_free(n);
	}
	if (!rc && !c->display && c->emails.n)
		rc = kith__set_field(&c->display, c->emails.v[0], strlen(c->emails.v[0]));
	if (rc)
		return rc == KITH_ENOMEM ? kith_error_set(err, rc, "out of memory") : rc;
	if (!c->display) {
		s->rep->records--;  /* the issue counts it */
		return kith__import_issue(s, c->line, KITH_ISSUE_REJECTED,
		                          "no name and no email address", err);
	}
	/* Everything from here on writes, if only the source key. */
	if (!id && (rc = resolve(s, c, &id, err)))
		return rc;
	/* A private import keeps what it brings to the importer: a team
	 * person it matches is left as it is (docs/capture.md). */
	if (id && (rc = kith__writable(s, id, &ok, err)))
		return rc;
	if (id && !ok) {
		gchar *m = g_strdup_printf("matches team person #%lld; a private import"
		                           " leaves team records as they are", (long long)id);
		s->rep->records--;  /* the issue counts it */
		rc = kith__import_issue(s, c->line, KITH_ISSUE_SKIPPED, m, err);
		g_free(m);
		return rc;
	}
	rc = kith__bulk_start(s, err);
	if (!rc && id) {
		rc = enrich(s, id, c, err);
		s->rep->merged++;
	} else if (!rc) {
		rc = kith__insert_person(s, c->display, c->given, c->family, c->city,
		                         c->country, c->notes, &c->emails, &c->phones,
		                         &c->tags, &id, err);
		s->rep->created++;
	}
	if (!rc)
		rc = add_jobs(s, id, c->display, c, err);
	if (!rc && c->link_me)
		rc = link_me(s, id, c->since, err);
	if (!rc)
		rc = kith__related_note(s, id, c, err);
	if (!rc)
		rc = kith__src_put(s, key, id, 0, c->digest, found, err);
	return rc;
}
