/*
 * Address-book cards: names, ETags and the change log behind sync tokens
 * (include/kith/card.h).  The log itself is written by triggers (schema
 * migration 6), so every way a person changes (the API, the CLI, an
 * import, a merge) reaches the clients without any of them knowing.
 * Here it is only read, always on a viewer handle: `person` there is the
 * member's view, so a card is present exactly when the API would show
 * the person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card_impl.h"

void kith__card_default_href(kith_id person, char *out, size_t sz)
{
	snprintf(out, sz, "kith-%lld.vcf", (long long)person);
}

/* The person kith's own name "kith-ID.vcf" stands for, or 0. */
kith_id kith__card_href_person(const char *href)
{
	long long id;
	int end = 0;

	if (sscanf(href, "kith-%lld.vcf%n", &id, &end) != 1 || href[end] || id <= 0)
		return 0;
	char canon[64];
	kith__card_default_href(id, canon, sizeof(canon));
	return strcmp(canon, href) == 0 ? id : 0;  /* "kith-007.vcf" is not 7 */
}

int kith_card_href_ok(const char *href)
{
	size_t n = href ? strlen(href) : 0;

	if (n == 0 || n > KITH_CARD_HREF_MAX || strcmp(href, ".") == 0 ||
	    strcmp(href, "..") == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)href[i] < 0x20 || href[i] == '/' || href[i] == '\\' ||
		    href[i] == 0x7f)
			return 0;
	/* kith's own names belong to the people they name. */
	return strncmp(href, "kith-", 5) != 0 || kith__card_href_person(href) != 0;
}

int kith__card_etag(kith_db *db, kith_id person, int64_t *etag, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, "SELECT max(seq) FROM card_change WHERE person_id = ?1",
	                    &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*etag = sqlite3_column_int64(st, 0);
		rc = KITH_OK;
	} else {
		rc = kith__sqlerr(db, rc, "read card", err);
	}
	kith__stmt_release(db, st);
	return rc;
}

/* Fills out for person if db shows them: their name in member's book,
 * updated and last log entry (seq).  KITH_ENOTFOUND when db does not show them. */
int kith__card_ref_of(kith_db *db, kith_id member, kith_id person, kith_card_ref *out,
                  kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db,
		"SELECT p.updated, h.href FROM person p LEFT JOIN card_href h"
		" ON h.member_id = ?1 AND h.person_id = p.id WHERE p.id = ?2", &st, err);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->person = person;
	sqlite3_bind_int64(st, 1, member);
	sqlite3_bind_int64(st, 2, person);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 1);
		out->updated = sqlite3_column_int64(st, 0);
		if (h)
			snprintf(out->href, sizeof(out->href), "%s", h);
		else
			kith__card_default_href(person, out->href, sizeof(out->href));
		rc = KITH_OK;
	} else if (rc == SQLITE_DONE) {
		rc = kith_error_set(err, KITH_ENOTFOUND, "no such card");
	} else {
		rc = kith__sqlerr(db, rc, "read card", err);
	}
	kith__stmt_release(db, st);
	if (!rc)
		rc = kith__card_etag(db, person, &out->seq, err);
	return rc;
}

int kith_card_find(kith_db *db, kith_id member, const char *href,
                   kith_card_ref *out, kith_error *err)
{
	sqlite3_stmt *st;
	kith_id person = 0;
	int rc;

	if (!kith_card_href_ok(href))
		return kith_error_set(err, KITH_ENOTFOUND, "no such card");
	rc = kith__stmt(db, "SELECT person_id FROM card_href WHERE member_id = ?1"
	                " AND href = ?2", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, member);
	sqlite3_bind_text(st, 2, href, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		person = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		rc = kith__sqlerr(db, rc, "find card", err);
	kith__stmt_release(db, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	if (!person)
		person = kith__card_href_person(href);
	if (!person)
		return kith_error_set(err, KITH_ENOTFOUND, "no such card");
	rc = kith__card_ref_of(db, member, person, out, err);
	/* A person the member named themselves is no longer "kith-ID.vcf". */
	if (!rc && strcmp(out->href, href) != 0)
		rc = kith_error_set(err, KITH_ENOTFOUND, "no such card");
	return rc;
}

/* Grows a ref array by one; NULL on OOM. */
static kith_card_ref *push_ref(kith_card_ref **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		kith_card_ref *nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		*v = nv;
		*cap = nc;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	return &(*v)[(*n)++];
}

int kith_card_list(kith_db *db, kith_id member, kith_card_ref **out, size_t *n,
                   kith_error *err)
{
	/* One pass: the ETag subquery reads the (person_id, seq) index. */
	static const char sql[] =
		/* plan: scan -- every card of a member's address book (CardDAV listing) */
		"SELECT p.id, p.updated, h.href,"
		" (SELECT max(seq) FROM card_change c WHERE c.person_id = p.id)"
		" FROM person p LEFT JOIN card_href h ON h.member_id = ?1"
		" AND h.person_id = p.id ORDER BY p.id";
	sqlite3_stmt *st;
	kith_card_ref *v = NULL, *c;
	size_t nv = 0, cap = 0;
	int rc = kith__prepare(db, sql, &st, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, member);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(c = push_ref(&v, &nv, &cap))) {
			rc = SQLITE_NOMEM;
			break;
		}
		const char *h = (const char *)sqlite3_column_text(st, 2);
		c->person = sqlite3_column_int64(st, 0);
		c->updated = sqlite3_column_int64(st, 1);
		c->seq = sqlite3_column_int64(st, 3);
		if (h)
			snprintf(c->href, sizeof(c->href), "%s", h);
		else
			kith__card_default_href(c->person, c->href, sizeof(c->href));
	}
	if (rc != SQLITE_DONE) {
		rc = kith__sqlerr(db, rc, "list cards", err);
		free(v);
		v = NULL;
		nv = 0;
	} else {
		rc = KITH_OK;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = nv;
	return rc;
}

int kith_card_token(kith_db *db, int64_t *token, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, "SELECT coalesce(max(seq), 0) FROM card_change", &st, err);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*token = sqlite3_column_int64(st, 0);
		rc = KITH_OK;
	} else {
		rc = kith__sqlerr(db, rc, "read sync token", err);
	}
	kith__stmt_release(db, st);
	return rc;
}

/* Whether member ever saw person: a logged state of theirs was team or
 * the member's own.  Tombstones of people they never saw would tell them
 * that someone else's private person existed. */
static int ever_seen(kith_db *db, kith_id member, kith_id person, int *seen,
                     kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, "SELECT 1 FROM card_change WHERE person_id = ?1"
	                    " AND (private = 0 OR owner = ?2) LIMIT 1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person);
	sqlite3_bind_int64(st, 2, member);
	rc = sqlite3_step(st);
	*seen = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                           : kith__sqlerr(db, rc, "read changes", err);
	kith__stmt_release(db, st);
	return rc;
}

/* One changed (person, href) of the log made into a list entry. */
static int change_entry(kith_db *db, kith_id member, kith_id person,
                        const char *gone_href, kith_card_ref **v, size_t *nv,
                        size_t *cap, kith_error *err)
{
	kith_card_ref ref, *c;
	int rc = kith__card_ref_of(db, member, person, &ref, err), seen = 1;

	if (rc == KITH_ENOTFOUND) {
		/* Gone, or hidden from the member now. */
		rc = KITH_OK;
		memset(&ref, 0, sizeof(ref));
		ref.person = person;
		ref.gone = 1;
		if (gone_href)
			snprintf(ref.href, sizeof(ref.href), "%s", gone_href);
		else {
			kith__card_default_href(person, ref.href, sizeof(ref.href));
			rc = ever_seen(db, member, person, &seen, err);
		}
	} else if (!rc && gone_href) {
		if (strcmp(ref.href, gone_href) == 0)
			return KITH_OK;  /* named so again: the present entry says it */
		memset(&ref, 0, sizeof(ref));
		ref.person = person;
		ref.gone = 1;
		snprintf(ref.href, sizeof(ref.href), "%s", gone_href);
	}
	if (rc || !seen)
		return rc;
	if (!(c = push_ref(v, nv, cap)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	*c = ref;
	return KITH_OK;
}

int kith_card_changes(kith_db *db, kith_id member, int64_t since,
                      kith_card_ref **out, size_t *n, int64_t *now,
                      kith_error *err)
{
	static const char sql[] =
		/* plan: scan -- the change log after a sync token, grouped per card */
		"SELECT person_id, href, max(seq) AS s FROM card_change"
		" WHERE seq > ?2 AND (member_id IS NULL OR member_id = ?1)"
		" GROUP BY person_id, coalesce(href, '') ORDER BY s";
	sqlite3_stmt *st = NULL;
	kith_card_ref *v = NULL;
	size_t nv = 0, cap = 0;
	int rc, step;

	*out = NULL;
	*n = 0;
	/* Read the token and the changes as one moment: a deferred read
	 * transaction (BEGIN IMMEDIATE would fail on a read-only handle). */
	if (db->tx_depth == 0 && (rc = kith__exec(db, "BEGIN", "read changes", err)))
		return rc;
	rc = kith_card_token(db, now, err);
	if (!rc)
		rc = kith__prepare(db, sql, &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, member);
		sqlite3_bind_int64(st, 2, since);
		while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *h = (const char *)sqlite3_column_text(st, 1);
			if (sqlite3_column_int64(st, 2) > *now)
				continue;  /* written after the token was read */
			rc = change_entry(db, member, sqlite3_column_int64(st, 0), h, &v,
			                  &nv, &cap, err);
		}
		if (!rc && step != SQLITE_DONE)
			rc = kith__sqlerr(db, step, "read changes", err);
	}
	sqlite3_finalize(st);
	if (db->tx_depth == 0)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);  /* a read: nothing to keep */
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = nv;
	return KITH_OK;
}

/* The lines of card_extra (x->n == 0 when there are none). */
int kith__card_extra_load(kith_db *db, kith_id person, kith__lines *x, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, "SELECT lines FROM card_extra WHERE person_id = ?1", &st, err);
	char *text = NULL;
	int oom = 0;

	memset(x, 0, sizeof(*x));
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		text = kith__col_dup(st, 0, &oom);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                           : kith__sqlerr(db, rc, "read card", err);
	kith__stmt_release(db, st);
	if (!rc && oom)
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (rc || !text) {
		free(text);
		return rc;
	}
	if (kith__lines_index(text, x))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return KITH_OK;
}

/* --- a card's UID ------------------------------------------------------ */

void kith__card_made_uid(kith_id person, int64_t created, char *uid, size_t sz)
{
	char seed[96];
	gchar *h;

	snprintf(seed, sizeof(seed), "kith:%lld:%lld", (long long)person, (long long)created);
	h = g_compute_checksum_for_string(G_CHECKSUM_MD5, seed, -1);
	snprintf(uid, sz, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
	         h + 20);
	g_free(h);
}

/* The value of the UID line among a client's kept lines, into uid. */
static void extra_uid(kith_db *db, kith_id person, char *uid, size_t sz)
{
	kith__lines x;

	if (kith__card_extra_load(db, person, &x, NULL))
		return;
	for (size_t i = 0; i < x.n && !uid[0]; i++)
		if (strcmp(x.name[i], "UID") == 0) {
			const char *v = kith_card_value(x.line[i], x.len[i]);
			size_t n = x.len[i] - (size_t)(v - x.line[i]);
			if (n < sz) {
				memcpy(uid, v, n);
				uid[n] = '\0';
			}
		}
	kith__lines_free(&x);
}

void kith__card_uid(kith_db *db, kith_id person, int64_t created, char *uid, size_t sz)
{
	sqlite3_stmt *st;
	kith_error e;

	uid[0] = '\0';
	extra_uid(db, person, uid, sz);
	if (!uid[0] && !kith__stmt(db, "SELECT key FROM import_source WHERE kind = 'vcard'"
	                           " AND person_id = ?1", &st, &e)) {
		sqlite3_bind_int64(st, 1, person);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(uid, sz, "%s", sqlite3_column_text(st, 0));
		kith__stmt_release(db, st);
	}
	if (!uid[0])
		kith__card_made_uid(person, created, uid, sz);
}
