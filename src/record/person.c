/* People: create, read, update, delete, tags, and their full-text rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/person.h"

void kith_person_clear(kith_person *p)
{
	if (!p)
		return;
	free(p->display_name);
	free(p->given_name);
	free(p->family_name);
	free(p->city);
	free(p->country);
	free(p->notes);
	kith_strv_clear(&p->emails);
	kith_strv_clear(&p->phones);
	kith_strv_clear(&p->tags);
	memset(p, 0, sizeof(*p));
}

void kith_person_free(kith_person *p)
{
	kith_person_clear(p);
	free(p);
}

/* Replaces *field with its trimmed copy (NULL when blank). */
static int trim_field(char **field)
{
	int oom = 0;
	char *t = kith__trim_dup(*field, &oom);

	free(*field);
	*field = t;
	return oom ? KITH_ENOMEM : KITH_OK;
}

/* Normalises every element of sv with fn, dropping duplicates. */
static int normalize_set(kith_strv *sv,
                         int (*fn)(const char *, char **, kith_error *),
                         kith_error *err)
{
	kith_strv out = {0};
	int rc = KITH_OK;

	for (size_t i = 0; i < sv->n && !rc; i++) {
		char *norm;
		rc = fn(sv->v[i], &norm, err);
		if (rc)
			break;
		if (kith_strv_find(&out, norm) < 0)
			rc = kith_strv_push(&out, norm);
		free(norm);
	}
	if (rc) {
		kith_strv_clear(&out);
		return rc == KITH_ENOMEM ? kith_error_set(err, rc, "out of memory") : rc;
	}
	kith_strv_clear(sv);
	*sv = out;
	return KITH_OK;
}

static int phone_norm(const char *in, char **out, kith_error *err)
{
	int rc = kith_phone_check(in, err);

	*out = NULL;
	if (rc)
		return rc;
	*out = kith__trim_dup(in, NULL);
	return *out ? KITH_OK : KITH_ENOMEM;
}

static int normalize(kith_person *p, kith_error *err)
{
	char **fields[] = {&p->display_name, &p->given_name, &p->family_name,
	                   &p->city, &p->country, &p->notes};
	int rc;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (trim_field(fields[i]))
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!p->display_name && (p->given_name || p->family_name)) {
		size_t n = (p->given_name ? strlen(p->given_name) : 0) +
		           (p->family_name ? strlen(p->family_name) : 0) + 2;
		p->display_name = malloc(n);
		if (!p->display_name)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		snprintf(p->display_name, n, "%s%s%s", p->given_name ? p->given_name : "",
		         p->given_name && p->family_name ? " " : "",
		         p->family_name ? p->family_name : "");
	}
	if (!p->display_name)
		return kith_error_set(err, KITH_EINVAL, "a person needs a name");
	rc = normalize_set(&p->emails, kith_email_normalize, err);
	if (!rc)
		rc = normalize_set(&p->phones, phone_norm, err);
	if (!rc)
		rc = normalize_set(&p->tags, kith_tag_normalize, err);
	return rc;
}



/* Refuses an email that another person already has, naming them. */
static int check_emails_free(kith_db *db, kith_id self, const kith_strv *emails,
                             kith_error *err)
{
	sqlite3_stmt *st;
	/* Among the people the author sees: an address another member keeps
	 * on a private person is in another scope (schema migration 11), and
	 * saying it is taken would tell of them. */
	int rc = kith__prepare(db, "SELECT person_id FROM main.person_email e"
	                           " WHERE email = ?1 AND person_id <> ?2 AND (?3 = 0 OR"
	                           " EXISTS (SELECT 1 FROM main.person p WHERE p.id = e.person_id"
	                           " AND (p.private = 0 OR p.owner = ?3)))", &st, err);

	for (size_t i = 0; !rc && i < emails->n; i++) {
		sqlite3_reset(st);
		kith__bind_text(st, 1, emails->v[i]);
		sqlite3_bind_int64(st, 2, self);
		sqlite3_bind_int64(st, 3, db->author);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			char who[160];
			kith__person_label(db, sqlite3_column_int64(st, 0), who, sizeof(who));
			rc = kith_error_set(err, KITH_EEXISTS,
				"email %s already belongs to %s", emails->v[i], who);
		} else if (rc == SQLITE_DONE) {
			rc = KITH_OK;
		} else {
			rc = kith__sqlerr(db, rc, "check email", err);
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* Inserts each element of sv as (id, pos, value[, digits]) with sql. */
static int insert_set(kith_db *db, kith_id id, const kith_strv *sv,
                      const char *sql, int with_digits, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	for (size_t i = 0; !rc && i < sv->n; i++) {
		char digits[32];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		kith__bind_text(st, 3, sv->v[i]);
		if (with_digits) {
			kith_phone_digits(sv->v[i], digits, sizeof(digits));
			kith__bind_text(st, 4, digits);
		}
		rc = kith__step_done(db, st, "save person", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int write_sets(kith_db *db, kith_id id, const kith_person *p, kith_error *err)
{
	sqlite3_stmt *st;
	static const char *const dels[] = {
		"DELETE FROM person_email WHERE person_id = ?1",
		"DELETE FROM person_phone WHERE person_id = ?1",
		"DELETE FROM person_tag WHERE person_id = ?1"};
	int rc = check_emails_free(db, id, &p->emails, err);

	for (size_t i = 0; !rc && i < 3; i++) {
		rc = kith__prepare(db, dels[i], &st, err);
		if (rc)
			break;
		sqlite3_bind_int64(st, 1, id);
		rc = kith__step_done(db, st, "save person", err);
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = insert_set(db, id, &p->emails, "INSERT INTO person_email"
		                "(person_id, pos, email) VALUES (?1, ?2, ?3)", 0, err);
	if (!rc)
		rc = insert_set(db, id, &p->phones, "INSERT INTO person_phone"
		                "(person_id, pos, phone, digits) VALUES (?1, ?2, ?3, ?4)",
		                1, err);
	if (!rc)
		rc = insert_set(db, id, &p->tags, "INSERT INTO person_tag"
		                "(person_id, tag) VALUES (?1, ?3)", 0, err);
	return rc;
}

int kith__person_fts_refresh(kith_db *db, kith_id id, kith_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM person_fts WHERE rowid = ?1",
		"INSERT INTO person_fts(rowid, name, info, notes) SELECT p.id, "
		KITH__PERSON_FTS_COLUMNS " FROM person p WHERE p.id = ?1"};
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < 2; i++) {
		sqlite3_stmt *st;
		rc = kith__prepare(db, sql[i], &st, err);
		if (rc)
			break;
		sqlite3_bind_int64(st, 1, id);
		rc = kith__step_done(db, st, "index person", err);
		sqlite3_finalize(st);
	}
	return rc;
}

static int write_row(kith_db *db, kith_person *p, int insert, kith_error *err)
{
	sqlite3_stmt *st;
	int64_t now = kith_db_now(db);
	int rc = kith__prepare(db, insert ?
		"INSERT INTO person(display_name, given_name, family_name, city, country,"
		" notes, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)" :
		"UPDATE person SET display_name = ?1, given_name = ?2, family_name = ?3,"
		" city = ?4, country = ?5, notes = ?6, updated = ?7 WHERE id = ?8",
		&st, err);

	if (rc)
		return rc;
	kith__bind_text(st, 1, p->display_name);
	kith__bind_text(st, 2, p->given_name);
	kith__bind_text(st, 3, p->family_name);
	kith__bind_text(st, 4, p->city);
	kith__bind_text(st, 5, p->country);
	kith__bind_text(st, 6, p->notes);
	sqlite3_bind_int64(st, 7, now);
	if (!insert)
		sqlite3_bind_int64(st, 8, p->id);
	rc = kith__step_done(db, st, "save person", err);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (insert) {
		p->id = sqlite3_last_insert_rowid(db->h);
		p->created = now;
	}
	p->updated = now;
	return KITH_OK;
}

static int save(kith_db *db, kith_person *p, int insert, kith_error *err)
{
	int rc = normalize(p, err);

	if (rc)
		return rc;
	rc = kith_db_begin(db, err);
	if (rc)
		return rc;
	if (!insert)
		rc = kith__person_exists(db, p->id, err);
	if (!rc)
		rc = write_row(db, p, insert, err);
	if (!rc)
		rc = write_sets(db, p->id, p, err);
	if (!rc)
		rc = kith__person_fts_refresh(db, p->id, err);
	if (rc) {
		kith_db_rollback(db);
		if (insert)
			p->id = 0;
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_person_add(kith_db *db, kith_person *p, kith_error *err)
{
	int rc = kith__person_check(p, err);

	p->id = 0;
	return rc ? rc : save(db, p, 1, err);
}

int kith_person_update(kith_db *db, kith_person *p, kith_error *err)
{
	int rc = kith__person_check(p, err);

	return rc ? rc : save(db, p, 0, err);
}

/* Appends column 0 of every row of sql (bound to id) to sv. */
static int load_set(kith_db *db, kith_id id, const char *sql, kith_strv *sv,
                    kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Through kith__col_dup: bytes an older kith stored that are not
		 * UTF-8 come back repaired, as every other text does. */
		int oom = 0;
		char *v = kith__col_dup(st, 0, &oom);
		if (oom || !v || kith_strv_push(sv, v)) {
			free(v);
			kith__stmt_release(db, st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		free(v);
	}
	kith__stmt_release(db, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "load person", err);
}

/* Loads person id, with the emails, phones and tags when sets is set. */
static int get(kith_db *db, kith_id id, int sets, kith_person **out, kith_error *err)
{
	sqlite3_stmt *st;
	kith_person *p;
	int oom = 0, rc;

	*out = NULL;
	rc = kith__stmt(db, "SELECT display_name, given_name, family_name, city,"
	                   " country, notes, created, updated FROM person WHERE id = ?1",
	                   &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		kith__stmt_release(db, st);
		if (rc == SQLITE_DONE)
			return kith_error_set(err, KITH_ENOTFOUND, "no person #%lld", (long long)id);
		return kith__sqlerr(db, rc, "load person", err);
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		kith__stmt_release(db, st);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	p->id = id;
	p->display_name = kith__col_dup(st, 0, &oom);
	p->given_name = kith__col_dup(st, 1, &oom);
	p->family_name = kith__col_dup(st, 2, &oom);
	p->city = kith__col_dup(st, 3, &oom);
	p->country = kith__col_dup(st, 4, &oom);
	p->notes = kith__col_dup(st, 5, &oom);
	p->created = sqlite3_column_int64(st, 6);
	p->updated = sqlite3_column_int64(st, 7);
	kith__stmt_release(db, st);
	rc = oom ? kith_error_set(err, KITH_ENOMEM, "out of memory") : KITH_OK;
	if (!rc && sets)
		rc = load_set(db, id, "SELECT email FROM person_email WHERE person_id = ?1"
		              " ORDER BY pos", &p->emails, err);
	if (!rc && sets)
		rc = load_set(db, id, "SELECT phone FROM person_phone WHERE person_id = ?1"
		              " ORDER BY pos", &p->phones, err);
	if (!rc && sets)
		rc = load_set(db, id, "SELECT tag FROM person_tag WHERE person_id = ?1"
		              " ORDER BY tag", &p->tags, err);
	if (rc) {
		kith_person_free(p);
		return rc;
	}
	*out = p;
	return KITH_OK;
}

int kith_person_get(kith_db *db, kith_id id, kith_person **out, kith_error *err)
{
	return get(db, id, 1, out, err);
}

int kith_person_get_brief(kith_db *db, kith_id id, kith_person **out, kith_error *err)
{
	return get(db, id, 0, out, err);
}


/* Group interactions (more than two people) that id is part of: they
 * stay, shared among fewer people, so their strength shares change. */
static int groups_of(kith_db *db, kith_id id, kith_idv *out, kith_error *err)
{
	return kith__ids(db, "SELECT ip.interaction_id FROM interaction_person ip"
	                 " WHERE ip.person_id = ?1 AND (SELECT count(*) FROM interaction_person x"
	                 " WHERE x.interaction_id = ip.interaction_id) > 2", id, out, err);
}

int kith_person_remove(kith_db *db, kith_id id, kith_error *err)
{
	static const char *const sql[] = {
		/* Interactions that would be left with fewer than two people go
		 * with the person: they would describe nothing.  Their cached
		 * strength goes with the person's pair rows. */
		"DELETE FROM interaction WHERE id IN (SELECT interaction_id FROM"
		" interaction_person WHERE person_id = ?1) AND (SELECT count(*) FROM"
		" interaction_person ip WHERE ip.interaction_id = interaction.id) <= 2",
		"DELETE FROM person WHERE id = ?1"};
	kith_idv groups = {0};
	int rc = kith_db_begin(db, err);

	if (rc)
		return rc;
	rc = kith__person_exists(db, id, err);
	if (!rc)
		rc = groups_of(db, id, &groups, err);
	if (!rc)
		rc = kith__interactions_rescore(db, &groups, -1, err);
	for (size_t i = 0; !rc && i < 2; i++) {
		sqlite3_stmt *st;
		rc = kith__prepare(db, sql[i], &st, err);
		if (rc)
			break;
		sqlite3_bind_int64(st, 1, id);
		rc = kith__step_done(db, st, "remove person", err);
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = kith__interactions_rescore(db, &groups, 1, err);
	kith_idv_clear(&groups);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_person_tag(kith_db *db, kith_id id, const kith_strv *add,
                    const kith_strv *remove, kith_error *err)
{
	kith_person *p = NULL;
	int rc = kith_db_begin(db, err);

	if (rc)
		return rc;
	rc = kith_person_get(db, id, &p, err);
	for (size_t i = 0; !rc && add && i < add->n; i++)
		rc = kith_strv_push(&p->tags, add->v[i]);
	for (size_t i = 0; !rc && remove && i < remove->n; i++) {
		char *t;
		long at;
		rc = kith_tag_normalize(remove->v[i], &t, err);
		if (rc)
			break;
		if ((at = kith_strv_find(&p->tags, t)) >= 0)
			kith_strv_remove(&p->tags, (size_t)at);
		free(t);
	}
	if (rc == KITH_ENOMEM)
		kith_error_set(err, rc, "out of memory");
	if (!rc)
		rc = kith_person_update(db, p, err);
	kith_person_free(p);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

int kith_set_me(kith_db *db, kith_id person, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = kith__person_exists(db, person, err);

	if (rc)
		return rc;
	rc = kith__prepare(db, "UPDATE owner SET person_id = ?1 WHERE id = 1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person);
	rc = kith__step_done(db, st, "set me", err);
	sqlite3_finalize(st);
	return rc;
}
