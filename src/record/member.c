/* Team members and their sign-in tokens. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "internal.h"
#include "kith/member.h"

#define TOKEN_PREFIX "kith_"
#define TOKEN_BYTES 32
/* A token's last_used is written at most this often: signing in is a read,
 * and a write per request would serialise every reader on the lock. */
#define LAST_USED_GRAIN 3600

void kith_member_clear(kith_member *m)
{
	if (!m)
		return;
	free(m->name);
	memset(m, 0, sizeof(*m));
}

void kith_member_list_free(kith_member *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_member_clear(&v[i]);
	free(v);
}

int kith_member_add(kith_db *db, const char *name, kith_id person, kith_id *id,
                    kith_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = kith__text_check("member name", name, KITH_TEXT_NAME, err)))
		return rc;
	if (!name || !*name || strlen(name) > 100 || strpbrk(name, "\n\r\t"))
		return kith_error_set(err, KITH_EINVAL,
		                      "a member needs a one-line name of 1 to 100 characters");
	if ((rc = kith__person_exists(db, person, err)))
		return rc;
	if ((rc = kith__prepare(db, "SELECT name FROM member WHERE person_id = ?1 OR name = ?2",
	                        &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, person);
	kith__bind_text(st, 2, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = kith_error_set(err, KITH_EEXISTS, "member '%s' already exists or is that person",
		                    (const char *)sqlite3_column_text(st, 0));
	else
		rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "add member", err);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if ((rc = kith__prepare(db, "INSERT INTO member(name, person_id, created) "
	                            "VALUES (?1, ?2, ?3)", &st, err)))
		return rc;
	kith__bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, person);
	sqlite3_bind_int64(st, 3, kith_db_now(db));
	rc = kith__step_done(db, st, "add member", err);
	sqlite3_finalize(st);
	if (!rc && id)
		*id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

int kith_member_remove(kith_db *db, kith_id id, kith_error *err)
{
	sqlite3_stmt *st;
	/* plan: scan -- removing a member unsets their ownership everywhere (rare, an admin's act) */
	int rc = kith__prepare(db, "DELETE FROM member WHERE id = ?1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = kith__step_done(db, st, "remove member", err);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->h) == 0)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no member #%lld", (long long)id);
	return rc;
}

int kith_member_resolve(kith_db *db, const char *ref, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st;
	kith_id n = kith_parse_id(ref);
	int rc = kith__prepare(db, "SELECT id FROM member WHERE id = ?1 OR name = ?2",
	                       &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, n);
	kith__bind_text(st, 2, ref);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = KITH_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kith_error_set(err, KITH_ENOTFOUND, "no member '%s'", ref);
	} else {
		rc = kith__sqlerr(db, rc, "find member", err);
	}
	sqlite3_finalize(st);
	return rc;
}

#define MEMBER_SQL \
	"SELECT m.id, m.name, m.person_id, m.created," \
	" (SELECT count(*) FROM token t WHERE t.member_id = m.id AND t.revoked IS NULL)" \
	" FROM member m"

static int member_row(sqlite3_stmt *st, kith_member *m)
{
	int oom = 0;

	m->id = sqlite3_column_int64(st, 0);
	m->name = kith__col_dup(st, 1, &oom);
	m->person = sqlite3_column_int64(st, 2);
	m->created = sqlite3_column_int64(st, 3);
	m->tokens = sqlite3_column_int64(st, 4);
	return oom ? KITH_ENOMEM : KITH_OK;
}

int kith_member_get(kith_db *db, kith_id id, kith_member *out, kith_error *err)
{
	/* Every server request reads its member: kept prepared. */
	static const char sql[] = MEMBER_SQL " WHERE m.id = ?1";
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kith__stmt(db, sql, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = member_row(st, out) ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		                         : KITH_OK;
	else if (rc == SQLITE_DONE)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no member #%lld", (long long)id);
	else
		rc = kith__sqlerr(db, rc, "read member", err);
	kith__stmt_release(db, st);
	return rc;
}

int kith_member_list(kith_db *db, kith_member **out, size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	kith_member *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = kith__prepare(db, MEMBER_SQL " ORDER BY m.name", &st, err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap && kith__grow(&v, &cap, sizeof(*v), 8))
			goto oom;
		memset(&v[len], 0, sizeof(v[len]));
		if (member_row(st, &v[len++]))
			goto oom;
	}
	if (rc != SQLITE_DONE) {
		rc = kith__sqlerr(db, rc, "list members", err);
		goto fail;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return KITH_OK;
oom:
	rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
fail:
	sqlite3_finalize(st);
	kith_member_list_free(v, len);
	return rc;
}

static void token_hash(const char *token, unsigned char h[crypto_generichash_BYTES])
{
	crypto_generichash(h, crypto_generichash_BYTES, (const unsigned char *)token,
	                   strlen(token), NULL, 0);
}

int kith_token_new(kith_db *db, kith_id member, const char *label,
                   char out[KITH_TOKEN_LEN], kith_id *token_id, kith_error *err)
{
	unsigned char raw[TOKEN_BYTES], h[crypto_generichash_BYTES];
	sqlite3_stmt *st;
	int rc;

	if ((rc = kith__text_check("token label", label, KITH_TEXT_LINE, err)))
		return rc;
	if (sodium_init() < 0)
		return kith_error_set(err, KITH_EINTERNAL, "libsodium failed to start");
	randombytes_buf(raw, sizeof(raw));
	memcpy(out, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1);
	sodium_bin2base64(out + sizeof(TOKEN_PREFIX) - 1,
	                  KITH_TOKEN_LEN - (sizeof(TOKEN_PREFIX) - 1), raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	token_hash(out, h);
	if ((rc = kith__prepare(db, "INSERT INTO token(member_id, hash, label, created) "
	                            "SELECT id, ?2, ?3, ?4 FROM member WHERE id = ?1",
	                        &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	sqlite3_bind_blob(st, 2, h, sizeof(h), SQLITE_TRANSIENT);
	kith__bind_text(st, 3, label);
	sqlite3_bind_int64(st, 4, kith_db_now(db));
	rc = kith__step_done(db, st, "make token", err);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->h) == 0)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no member #%lld", (long long)member);
	if (!rc && token_id)
		*token_id = sqlite3_last_insert_rowid(db->h);
	if (rc)
		sodium_memzero(out, KITH_TOKEN_LEN);
	return rc;
}

/* Notes the use of a token when the last note is old.  Signing in is a
 * read: the note is skipped, never waited for, when another connection
 * holds the write lock (a busy timeout of 0 for this one statement), and
 * a failure to write (busy, read-only) must not refuse a valid token. */
static void token_touch(kith_db *db, kith_id id, int64_t last_used)
{
	sqlite3_stmt *st;
	int64_t now = kith_db_now(db);

	if (db->readonly || now - last_used < LAST_USED_GRAIN)
		return;
	if (sqlite3_prepare_v2(db->h, "UPDATE token SET last_used = ?2 WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_busy_timeout(db->h, 0);
	sqlite3_step(st);
	sqlite3_finalize(st);
	sqlite3_busy_timeout(db->h, db->busy_ms);
}

int kith_token_check(kith_db *db, const char *token, kith_id *member, kith_error *err)
{
	unsigned char h[crypto_generichash_BYTES];
	sqlite3_stmt *st;
	kith_id id = 0;
	int64_t last = 0;
	int rc;

	*member = 0;
	if (!token || strlen(token) != KITH_TOKEN_LEN - 1 ||
	    strncmp(token, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1) != 0)
		return kith_error_set(err, KITH_EINVAL, "not a valid token");
	/* Lookup by hash: the stored value is useless to whoever reads it, and
	 * a 256-bit secret leaves no room for guessing through timing. */
	token_hash(token, h);
	if ((rc = kith__stmt(db, "SELECT id, member_id, coalesce(last_used, 0) FROM token "
	                            "WHERE hash = ?1 AND revoked IS NULL", &st, err)))
		return rc;
	sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*member = sqlite3_column_int64(st, 1);
		last = sqlite3_column_int64(st, 2);
		rc = KITH_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kith_error_set(err, KITH_EINVAL, "not a valid token");
	} else {
		rc = kith__sqlerr(db, rc, "check token", err);
	}
	kith__stmt_release(db, st);
	if (!rc)
		token_touch(db, id, last);
	return rc;
}

int kith_token_revoke(kith_db *db, kith_id id, kith_id member, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "UPDATE token SET revoked = ?3 WHERE id = ?1 "
	                           "AND (?2 = 0 OR member_id = ?2) AND revoked IS NULL",
	                       &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, member);
	sqlite3_bind_int64(st, 3, kith_db_now(db));
	rc = kith__step_done(db, st, "revoke token", err);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->h) == 0)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no live token #%lld", (long long)id);
	return rc;
}

void kith_token_list_free(kith_token_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].label);
	free(v);
}

int kith_token_list(kith_db *db, kith_id member, kith_token_info **out, size_t *n,
                    kith_error *err)
{
	sqlite3_stmt *st;
	kith_token_info *v = NULL;
	size_t len = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = kith__prepare(db, "SELECT id, member_id, label, created,"
	                            " coalesce(last_used, 0), coalesce(revoked, 0) FROM token"
	                            " WHERE ?1 = 0 OR member_id = ?1 ORDER BY id DESC",
	                        &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap && kith__grow(&v, &cap, sizeof(*v), 8)) {
			oom = 1;
			break;
		}
		kith_token_info *t = &v[len++];
		t->id = sqlite3_column_int64(st, 0);
		t->member = sqlite3_column_int64(st, 1);
		t->label = kith__col_dup(st, 2, &oom);
		t->created = sqlite3_column_int64(st, 3);
		t->last_used = sqlite3_column_int64(st, 4);
		t->revoked = sqlite3_column_int64(st, 5);
	}
	if (oom)
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	else if (rc != SQLITE_DONE)
		rc = kith__sqlerr(db, rc, "list tokens", err);
	else
		rc = KITH_OK;
	sqlite3_finalize(st);
	if (rc) {
		kith_token_list_free(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return KITH_OK;
}
