/*
 * Capture, lookups: the source keys of records (import_source) and the
 * identity lookups of people.c and events.c, by email, phone, org and
 * name at an org, each answered from the session's hash tables when it
 * can (a big input reads every email and phone once, kith__preload).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session.h"
#include "kith/org.h"
#include "kith/interaction.h"

/* Person p is in the view of member ?9 (0: all), as import.c's VIS. */
#define VIS_P "(?9 = 0 OR p.private = 0 OR p.owner = ?9)"

static int sqlfail(kith__isess *s, int rc, kith_error *err)
{
	return kith__sqlerr(s->db, rc, "import", err);
}

/* Runs a session statement (bound by the caller) that answers one id, or
 * no row: *id, 0 for no row or NULL. */
static int first_id(kith__isess *s, sqlite3_stmt *st, kith_id *id, kith_error *err)
{
	int rc = sqlite3_step(st);

	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

int kith__src_get(kith__isess *s, const char *key, kith_id *person,
                  kith_id *interaction, char digest[33], int *found,
                  kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	/* A key of this import whose row waits to be written (bulk path). */
	if (kith__bulk_pending(s, key, interaction, digest)) {
		*person = 0;
		*found = 1;
		return KITH_OK;
	}
	st = kith__ist(s, S_SRC_GET);
	kith__ibind(st, 1, s->kind);
	kith__ibind(st, 2, key);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*person = *interaction = 0;
	digest[0] = '\0';
	if (rc == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 2);
		*person = sqlite3_column_int64(st, 0);
		*interaction = sqlite3_column_int64(st, 1);
		snprintf(digest, 33, "%s", d ? (const char *)d : "");
		rc = SQLITE_DONE;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

int kith__src_put(kith__isess *s, const char *key, kith_id person,
                  kith_id interaction, const char *digest, int replace,
                  kith_error *err)
{
	/* A member's own key may point at what they no longer see (another
	 * member made it private): theirs, and replaced. */
	sqlite3_stmt *st = kith__ist(s, replace || s->viewer ? S_SRC_PUT : S_SRC_INS);
	int rc;

	kith__ibind(st, 1, s->kind);
	kith__ibind(st, 2, key);
	if (person)
		sqlite3_bind_int64(st, 3, person);
	if (interaction)
		sqlite3_bind_int64(st, 4, interaction);
	kith__ibind(st, 5, digest);
	sqlite3_bind_int64(st, 6, s->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

void kith__remember_email(kith__isess *s, const char *email, kith_id id)
{
	g_hash_table_replace(s->emails, g_ascii_strdown(email, -1),
	                     GSIZE_TO_POINTER((gsize)id));
}

void kith__remember_phone(kith__isess *s, const char *digits, kith_id id)
{
	/* The lowest id wins, as in S_BY_PHONE; ids only grow in an import. */
	if (s->phones && digits && !g_hash_table_contains(s->phones, digits))
		g_hash_table_insert(s->phones, g_strdup(digits),
		                    GSIZE_TO_POINTER((gsize)id));
}

int kith__find_email(kith__isess *s, const char *email, kith_id *id,
                     kith_error *err)
{
	gchar *low = g_ascii_strdown(email, -1);
	int rc = kith__find_email_low(s, email, low, id, err);

	g_free(low);
	return rc;
}

int kith__find_email_low(kith__isess *s, const char *email, const char *low,
                         kith_id *id, kith_error *err)
{
	gpointer v;
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if ((rc = kith__preload(s, err)))
		return rc;
	if (g_hash_table_lookup_extended(s->emails, low, NULL, &v)) {
		*id = (kith_id)GPOINTER_TO_SIZE(v);
		return KITH_OK;
	}
	if (s->emails_all)  /* the table holds everyone: nobody has it */
		return KITH_OK;
	st = kith__ist(s, S_BY_EMAIL);
	kith__ibind(st, 1, email);
	rc = first_id(s, st, id, err);
	if (!rc && *id)
		kith__remember_email(s, email, *id);
	return rc;
}

/* The lowest person id whose phone digits are exactly digits; 0: none. */
static int phone_owner(kith__isess *s, const char *digits, kith_id *id,
                       kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if ((rc = kith__preload(s, err)))
		return rc;
	if (s->phones) {
		*id = (kith_id)GPOINTER_TO_SIZE(g_hash_table_lookup(s->phones, digits));
		return KITH_OK;
	}
	st = kith__ist(s, S_BY_PHONE);
	kith__ibind(st, 1, digits);
	return first_id(s, st, id, err);  /* min() of nobody is NULL: 0 */
}

int kith__find_phone(kith__isess *s, const char *phone, kith_id *id,
                     kith_error *err)
{
	char key[40], alt[44];
	kith_id other = 0;
	int rc;

	/* Stored digits keep the form typed: "+33..." or "0033..."; both are
	 * the key "+33...", so look for either and take the first person. */
	kith_phone_key(phone, key, sizeof(key));
	rc = phone_owner(s, key, id, err);
	if (rc || key[0] != '+')
		return rc;
	snprintf(alt, sizeof(alt), "00%s", key + 1);
	rc = phone_owner(s, alt, &other, err);
	if (!rc && other && (!*id || other < *id))
		*id = other;
	return rc;
}

int kith__org_lookup(kith__isess *s, const char *name, int create, kith_id *id,
                     kith_error *err)
{
	gchar *low = g_utf8_strdown(name, -1);
	gpointer v;
	int rc = KITH_OK;

	*id = 0;
	if (g_hash_table_lookup_extended(s->orgs, low, NULL, &v)) {
		*id = (kith_id)GPOINTER_TO_SIZE(v);
		g_free(low);
		return KITH_OK;
	}
	sqlite3_stmt *st = kith__ist(s, S_ORG_BY_NAME);
	kith__ibind(st, 1, name);
	rc = first_id(s, st, id, err);
	/* A name the viewer does not see is free for them: names are unique
	 * per scope (schema migration 9), so their org is made as for a name
	 * nobody has. */
	if (!rc && !*id && create) {
		rc = s->bulk ? kith__bulk_org(s, name, id, err)
		             : kith_org_ensure(s->db, name, id, err);
		if (!rc)
			s->rep->orgs_created++;
	}
	if (!rc && *id)
		g_hash_table_replace(s->orgs, low, GSIZE_TO_POINTER((gsize)*id));
	else
		g_free(low);
	return rc;
}

/* Loads "folded name\x1forg" -> person for everyone with a job, once. */
int kith__nameorg_load(kith__isess *s, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	s->nameorg = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* A job the viewer sees: person and org both theirs to see. */
	/* plan: scan -- an import loads the network's jobs once */
	rc = kith__prepare(s->db, "SELECT p.id, p.display_name, j.org_id FROM job j"
	                   " JOIN person p ON p.id = j.person_id"
	                   " JOIN org o ON o.id = j.org_id WHERE ?1 = 0"
	                   " OR ((p.private = 0 OR p.owner = ?1) AND (o.private = 0 OR o.owner = ?1))"
	                   " ORDER BY p.id", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, s->viewer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *k = kith__name_key((const char *)sqlite3_column_text(st, 1));
		if (!k)
			break;
		gchar *key = g_strdup_printf("%s\x1f%lld", k,
		                             (long long)sqlite3_column_int64(st, 2));
		free(k);
		if (!g_hash_table_contains(s->nameorg, key))
			g_hash_table_insert(s->nameorg, key,
			                    GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 0)));
		else
			g_free(key);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

void kith__nameorg_note(kith__isess *s, const char *name, kith_id org, kith_id id)
{
	char *k = s->nameorg ? kith__name_key(name) : NULL;

	if (!k)
		return;
	gchar *key = g_strdup_printf("%s\x1f%lld", k, (long long)org);
	free(k);
	if (!g_hash_table_contains(s->nameorg, key))
		g_hash_table_insert(s->nameorg, key, GSIZE_TO_POINTER((gsize)id));
	else
		g_free(key);
}

/* Reads who has an address for a name, once, for kith__placeholder. */
static int placeholders_load(kith__isess *s, kith_error *err)
{
	sqlite3_stmt *st;
	/* plan: scan -- an import loads the network's names once */
	int rc = kith__prepare(s->db, "SELECT id FROM person WHERE display_name LIKE '%@%'",
	                       &st, err);

	if (rc)
		return rc;
	s->placeholders = g_hash_table_new(g_direct_hash, g_direct_equal);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_add(s->placeholders,
		                 GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 0)));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

int kith__placeholder(kith__isess *s, kith_id id, int *is, kith_error *err)
{
	int rc = s->placeholders ? KITH_OK : placeholders_load(s, err);

	*is = !rc && g_hash_table_contains(s->placeholders, GSIZE_TO_POINTER((gsize)id));
	return rc;
}

void kith__placeholder_note(kith__isess *s, kith_id id, const char *display)
{
	gpointer k = GSIZE_TO_POINTER((gsize)id);

	/* Not read yet: the first kith__placeholder will read it as stored. */
	if (!s->placeholders)
		return;
	if (display && strchr(display, '@'))
		g_hash_table_add(s->placeholders, k);
	else
		g_hash_table_remove(s->placeholders, k);
}

/* --- keeping the tables current between batches --- */

int kith__change_seq(kith__isess *s, int64_t *seq, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(s->db, "SELECT coalesce(max(seq), 0) FROM card_change", &st, err);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KITH_OK : sqlfail(s, rc, err);
}

/* Removes from t every entry whose value is in ids; the keys removed
 * go to gone (owned by it) when gone is not NULL. */
static void drop_values(GHashTable *t, GHashTable *ids, GPtrArray *gone)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (!g_hash_table_contains(ids, v))
			continue;
		if (gone)
			g_ptr_array_add(gone, g_strdup(k));
		g_hash_table_iter_remove(&it);
	}
}

/* Keeps the lowest id for key in t, as the full reads do. */
static void keep_lowest(GHashTable *t, const char *key, kith_id id)
{
	gpointer v;

	if (!g_hash_table_lookup_extended(t, key, NULL, &v) ||
	    (kith_id)GPOINTER_TO_SIZE(v) > id)
		g_hash_table_replace(t, g_strdup(key), GSIZE_TO_POINTER((gsize)id));
}

/* Runs sql (?1 the person, ?9 the viewer) and adds what it answers for
 * person id to t: column 0 made into the key by how (0: lower case,
 * 1: as is, 2: "name key\x1forg" from columns 0 and 1). */
static int add_rows(kith__isess *s, GHashTable *t, const char *sql, kith_id id,
                    int how, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(s->db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 9, s->viewer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		gchar *key;
		if (!v)
			continue;
		if (how == 2) {
			char *k = kith__name_key(v);
			key = k ? g_strdup_printf("%s\x1f%lld", k,
			                          (long long)sqlite3_column_int64(st, 1)) : NULL;
			free(k);
		} else {
			key = how ? g_strdup(v) : g_ascii_strdown(v, -1);
		}
		if (!key) {
			sqlite3_finalize(st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		keep_lowest(t, key, id);
		g_free(key);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

/* The people others changed since our last commit. */
static int changed_people(kith__isess *s, GHashTable *ids, kith_error *err)
{
	sqlite3_stmt *st;
	/* plan: scan -- an import reads the change log once */
	int rc = kith__prepare(s->db, "SELECT DISTINCT person_id FROM card_change"
	                       " WHERE seq > ?1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, s->seen_seq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_add(ids, GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 0)));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

static int refresh_people(kith__isess *s, GHashTable *ids, kith_error *err)
{
	GPtrArray *gone = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k;
	int rc = KITH_OK;

	/* Emails: a removed one may still be someone else's. */
	drop_values(s->emails, ids, s->emails_all ? gone : NULL);
	for (guint i = 0; !rc && i < gone->len; i++) {
		kith_id id;
		sqlite3_stmt *st = kith__ist(s, S_BY_EMAIL);
		kith__ibind(st, 1, g_ptr_array_index(gone, i));
		if (!(rc = first_id(s, st, &id, err)) && id)
			kith__remember_email(s, g_ptr_array_index(gone, i), id);
	}
	g_ptr_array_set_size(gone, 0);
	if (s->phones)
		drop_values(s->phones, ids, gone);
	for (guint i = 0; !rc && i < gone->len; i++) {
		kith_id id;
		sqlite3_stmt *st = kith__ist(s, S_BY_PHONE);
		kith__ibind(st, 1, g_ptr_array_index(gone, i));
		if (!(rc = first_id(s, st, &id, err)) && id)
			kith__remember_phone(s, g_ptr_array_index(gone, i), id);
	}
	g_ptr_array_free(gone, TRUE);
	if (s->nameorg)
		drop_values(s->nameorg, ids, NULL);
	g_hash_table_iter_init(&it, ids);
	while (!rc && g_hash_table_iter_next(&it, &k, NULL)) {
		kith_id id = (kith_id)GPOINTER_TO_SIZE(k);
		if (s->emails_all)
			rc = add_rows(s, s->emails, "SELECT e.email FROM person_email e JOIN person p"
			              " ON p.id = e.person_id WHERE e.person_id = ?1 AND " VIS_P,
			              id, 0, err);
		if (!rc && s->phones)
			rc = add_rows(s, s->phones, "SELECT x.digits FROM person_phone x JOIN person p"
			              " ON p.id = x.person_id WHERE x.person_id = ?1 AND " VIS_P,
			              id, 1, err);
		if (!rc && s->nameorg)
			rc = add_rows(s, s->nameorg, "SELECT p.display_name, j.org_id FROM job j"
			              " JOIN person p ON p.id = j.person_id JOIN org o ON o.id = j.org_id"
			              " WHERE j.person_id = ?1 AND " VIS_P " AND (?9 = 0"
			              " OR o.private = 0 OR o.owner = ?9)", id, 2, err);
		if (s->placeholders)  /* read again at the next need */
			g_hash_table_remove(s->placeholders, k);
	}
	return rc;
}

int kith__caches_refresh(kith__isess *s, kith_error *err)
{
	GHashTable *ids = g_hash_table_new(g_direct_hash, g_direct_equal);
	int rc = changed_people(s, ids, err);

	/* Orgs and kinds are not in the log, and cheap to look up again. */
	g_hash_table_remove_all(s->orgs);
	memset(s->kind_ok, 0, sizeof(s->kind_ok));
	if (s->placeholders && g_hash_table_size(ids)) {
		g_hash_table_destroy(s->placeholders);
		s->placeholders = NULL;
	}
	if (!rc && g_hash_table_size(ids))
		rc = refresh_people(s, ids, err);
	g_hash_table_destroy(ids);
	return rc;
}

int kith__preload(kith__isess *s, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!s->preload)
		return KITH_OK;
	s->preload = 0;
	/* The lowest id first, as S_BY_EMAIL answers when two people the
	 * viewer sees share an address (one team, one their own). */
	rc = kith__prepare(s->db, "SELECT e.email, e.person_id FROM person_email e"
	                   " JOIN person p ON p.id = e.person_id WHERE " VIS("p")
	                   " ORDER BY e.person_id", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 9, s->viewer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(st, 0);
		gchar *low = g_ascii_strdown(e, -1);
		if (!g_hash_table_contains(s->emails, low))
			g_hash_table_insert(s->emails, low,
			                    GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 1)));
		else
			g_free(low);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(s->db, rc, "read emails", err);
	s->emails_all = 1;
	rc = kith__prepare(s->db, "SELECT x.digits, min(x.person_id) FROM person_phone x"
	                   " JOIN person p ON p.id = x.person_id WHERE " VIS("p")
	                   " GROUP BY x.digits", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 9, s->viewer);
	s->phones = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		kith__remember_phone(s, (const char *)sqlite3_column_text(st, 0),
		                     sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "read phones", err);
}
