/*
 * A card a client sends (CardDAV PUT) into the store.  The vCard is read
 * by capture's parser (src/import/vcard.c, through its sink), so a card
 * means here what it means to `kith import`; what happens next differs:
 *
 *   - a card the member already has is replaced field by field by what
 *     the client sent, since the client is where the user just edited it
 *     (an import only fills gaps);
 *   - a new card is matched, like an import, by UID, email and phone, but
 *     only against people the member sees, so it never lands in someone
 *     else's private person; a match is merged into, and the card's name
 *     takes over from the one it had in the book;
 *   - the lines kith has no field for are kept (card_extra) and served
 *     back, so a round trip through kith loses nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>

#include "card_impl.h"
#include "import/import_impl.h"
#include "kith/person.h"
#include "kith/org.h"

/* What the parser handed over: the one card, or why there is none. */
struct got {
	kith__contact c;
	int ncards;
	char why[160];
};

static int got_contact(void *ctx, kith__contact *c, kith_error *err)
{
	struct got *g = ctx;

	if (g->ncards++ == 0) {
		g->c = *c;  /* stolen whole: the parser clears what it left */
		memset(c, 0, sizeof(*c));
	}
	return KITH_OK;
}

static int got_issue(void *ctx, int64_t line, int level, const char *why,
                     kith_error *err)
{
	struct got *g = ctx;

	if (level != KITH_ISSUE_WARNING && !g->why[0])
		snprintf(g->why, sizeof(g->why), "line %lld: %s", (long long)line, why);
	if (level != KITH_ISSUE_WARNING)
		g->ncards += 1000;  /* a card that is not one person */
	return KITH_OK;
}

static int parse_card(const char *data, size_t len, struct got *g, kith_error *err)
{
	kith__sink s = {.contact = got_contact, .issue = got_issue, .ctx = g};
	int rc;

	memset(g, 0, sizeof(*g));
	rc = kith__vcard_parse(data, len, &s, err);
	if (rc)
		return rc;
	if (g->ncards != 1)
		return kith_error_set(err, KITH_EINVAL, "%s",
		                      g->why[0] ? g->why :
		                      g->ncards ? "more than one vCard" : "no vCard");
	return KITH_OK;
}

/* Properties kith writes from its own fields: never kept as extras. */
static int regenerated(const char *name)
{
	static const char *const names[] = {
		"BEGIN", "END", "VERSION", "PRODID", "REV", "FN", "N", "NOTE",
		"CATEGORIES", "ORG", "TITLE", "X-KITH-JOB", NULL};

	for (int i = 0; names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* The card's logical lines, unfolded, BEGIN and END left out, into *out;
 * *version is its vCard version (3 for 2.1 and 3.0, or 4). */
static int card_lines(const char *data, size_t len, kith__lines *out, int *version,
                      kith_error *err)
{
	GString *all = g_string_sized_new(len), *line = g_string_new("");
	size_t i = 0;
	int depth = 0;

	*version = 3;
	while (i < len) {
		size_t e = i;
		while (e < len && data[e] != '\n' && data[e] != '\r')
			e++;
		g_string_append_len(line, data + i, (gssize)(e - i));
		if (e < len && data[e] == '\r')
			e++;
		if (e < len && data[e] == '\n')
			e++;
		i = e;
		if (i < len && (data[i] == ' ' || data[i] == '\t')) {
			i++;  /* a folded line goes on */
			continue;
		}
		char name[24];
		kith_card_prop_name(line->str, line->len, name, sizeof(name));
		if (strcmp(name, "BEGIN") == 0)
			depth++;
		else if (strcmp(name, "END") == 0)
			depth--;
		else if (depth == 1 && name[0]) {
			if (strcmp(name, "VERSION") == 0 &&
			    strncmp(kith_card_value(line->str, line->len), "4", 1) == 0)
				*version = 4;
			if (all->len)
				g_string_append_c(all, '\n');
			g_string_append_len(all, line->str, (gssize)line->len);
		}
		g_string_truncate(line, 0);
	}
	g_string_free(line, TRUE);
	char *text = strdup(all->str);
	g_string_free(all, TRUE);
	if (!text || kith__lines_index(text, out))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return KITH_OK;
}

/* The lines kith keeps as sent, joined by '\n' into *out (heap; NULL when
 * none): those it has no field for, less those stating links it keeps. */
static int extras_of(const kith__lines *l, const char *consumed, char **out,
                     kith_error *err)
{
	GString *all = g_string_new("");

	*out = NULL;
	for (size_t i = 0; i < l->n; i++) {
		if (consumed[i] || regenerated(l->name[i]))
			continue;
		if (all->len)
			g_string_append_c(all, '\n');
		g_string_append_len(all, l->line[i], (gssize)l->len[i]);
	}
	if (all->len && !(*out = strdup(all->str))) {
		g_string_free(all, TRUE);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	g_string_free(all, TRUE);
	return KITH_OK;
}

/* Runs sql with ?1 = a, ?2 = text, ?3 = b (a parameter sql does not
 * use is left unbound). */
static int exec_id(kith_db *db, const char *sql, kith_id a, const char *text,
                   kith_id b, const char *what, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, a);
	kith__bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, b);
	rc = kith__step_done(db, st, what, err);
	sqlite3_finalize(st);
	return rc;
}

/* The first id a one-column query with text ?1 gives, or 0. */
static int query_id(kith_db *db, const char *sql, const char *text, kith_id *id,
                    kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	*id = 0;
	if (rc)
		return rc;
	kith__bind_text(st, 1, text);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                           : kith__sqlerr(db, rc, "match card", err);
	sqlite3_finalize(st);
	return rc;
}

/* The person the member sees (on view) that a new card is: by UID, then
 * email, then phone.  0 when nobody. */
static int match_new(kith_db *view, const kith__contact *c, kith_id *id,
                     kith_error *err)
{
	kith_id seen;
	int rc = KITH_OK;
	char key[64];

	*id = 0;
	if (c->key) {
		rc = query_id(view, "SELECT i.person_id FROM import_source i JOIN person p"
		              " ON p.id = i.person_id WHERE i.kind = 'vcard' AND i.key = ?1",
		              c->key, id, err);
		if (rc || *id)
			return rc;
	}
	for (size_t i = 0; !rc && !*id && i < c->emails.n; i++)
		rc = query_id(view, "SELECT person_id FROM person_email WHERE email = ?1",
		              c->emails.v[i], id, err);
	for (size_t i = 0; !rc && !*id && i < c->phones.n; i++) {
		kith_phone_digits(c->phones.v[i], key, sizeof(key));
		if (strlen(key) >= 6)
			rc = query_id(view, "SELECT person_id FROM person_phone WHERE digits = ?1",
			              key, id, err);
	}
	/* The views show only what the member sees; check the person too. */
	if (!rc && *id) {
		char n[32];
		snprintf(n, sizeof(n), "%lld", (long long)*id);
		rc = query_id(view, "SELECT id FROM person WHERE id = ?1", n, &seen, err);
		if (!rc && !seen)
			*id = 0;
	}
	return rc;
}

/* Cleans the card's lists into p's: emails normalised and not another
 * person's, phones that are phones, tags made tags.  With merge, adds to
 * what p has; without, replaces it. */
static int take_lists(kith_db *db, kith_person *p, const kith__contact *c, int merge,
                      kith_error *err)
{
	kith_strv emails = {0}, phones = {0}, tags = {0};
	int rc = KITH_OK;

	if (merge) {
		rc = kith_strv_copy(&emails, &p->emails);
		if (!rc)
			rc = kith_strv_copy(&phones, &p->phones);
		if (!rc)
			rc = kith_strv_copy(&tags, &p->tags);
	}
	for (size_t i = 0; !rc && i < c->emails.n; i++) {
		char *norm = NULL;
		kith_id owner = 0;
		if (kith_email_normalize(c->emails.v[i], &norm, NULL))
			continue;
		int dup = 0;
		for (size_t k = 0; k < emails.n; k++)
			dup |= strcasecmp(emails.v[k], norm) == 0;
		if (!dup)
			rc = query_id(db, "SELECT person_id FROM person_email WHERE email = ?1",
			              norm, &owner, err);
		if (!rc && !dup && (!owner || owner == p->id))
			rc = kith_strv_push(&emails, norm) ? KITH_ENOMEM : KITH_OK;
		free(norm);
	}
	for (size_t i = 0; !rc && i < c->phones.n; i++) {
		char k1[64], k2[64];
		int dup = 0;
		if (kith_phone_check(c->phones.v[i], NULL))
			continue;
		kith_phone_key(c->phones.v[i], k1, sizeof(k1));
		for (size_t k = 0; k < phones.n; k++) {
			kith_phone_key(phones.v[k], k2, sizeof(k2));
			dup |= strcmp(k1, k2) == 0;
		}
		if (!dup && kith_strv_push(&phones, c->phones.v[i]))
			rc = KITH_ENOMEM;
	}
	for (size_t i = 0; !rc && i < c->tags.n; i++) {
		char *t = kith__tagify(c->tags.v[i]), *norm = NULL;
		if (t && !kith_tag_normalize(t, &norm, NULL) && kith_strv_find(&tags, norm) < 0 &&
		    kith_strv_push(&tags, norm))
			rc = KITH_ENOMEM;
		free(t);
		free(norm);
	}
	if (rc) {
		kith_strv_clear(&emails);
		kith_strv_clear(&phones);
		kith_strv_clear(&tags);
		return rc == KITH_ENOMEM ? kith_error_set(err, rc, "out of memory") : rc;
	}
	kith_strv_clear(&p->emails);
	kith_strv_clear(&p->phones);
	kith_strv_clear(&p->tags);
	p->emails = emails;
	p->phones = phones;
	p->tags = tags;
	return KITH_OK;
}

/* Sets *field to a copy of v: always when replacing, only into a gap
 * when merging. */
static int take_field(char **field, const char *v, int merge)
{
	char *n;

	if (merge && (*field || !v))
		return KITH_OK;
	if (v && !(n = strdup(v)))
		return KITH_ENOMEM;
	free(*field);
	*field = v ? n : NULL;
	return KITH_OK;
}

/* The display name a card stands for: FN, else given family, else its
 * first email (as capture does). */
static char *card_display(const kith__contact *c)
{
	if (c->display)
		return strdup(c->display);
	if (c->given || c->family) {
		gchar *g = g_strdup_printf("%s%s%s", c->given ? c->given : "",
		                           c->given && c->family ? " " : "",
		                           c->family ? c->family : "");
		char *d = strdup(g);
		g_free(g);
		return d;
	}
	return c->emails.n ? strdup(c->emails.v[0]) : NULL;
}

/* Fills p from the card: replacing (an edit of the member's card) or
 * merging (a new card that is someone already there). */
static int take_card(kith_db *db, kith_person *p, const kith__contact *c, int merge,
                     kith_error *err)
{
	char *display = card_display(c);
	int rc;

	if (!display)
		return kith_error_set(err, KITH_EINVAL, "the card has no name and no email");
	if (merge && p->display_name && !strchr(p->display_name, '@')) {
		free(display);
		display = NULL;
	} else {
		free(p->display_name);
		p->display_name = display;
	}
	rc = take_field(&p->given_name, c->given, merge);
	if (!rc)
		rc = take_field(&p->family_name, c->family, merge);
	if (!rc)
		rc = take_field(&p->city, c->city, merge);
	if (!rc)
		rc = take_field(&p->country, c->country, merge);
	if (!rc && merge && c->notes && (!p->notes || !strstr(p->notes, c->notes))) {
		gchar *n = p->notes ? g_strdup_printf("%s\n%s", p->notes, c->notes)
		                    : g_strdup(c->notes);
		rc = take_field(&p->notes, n, 0);
		g_free(n);
	} else if (!rc && !merge) {
		rc = take_field(&p->notes, c->notes, 0);
	}
	if (rc)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return take_lists(db, p, c, merge, err);
}

/* Adds the card's jobs the person does not have (same org and title). */
static int add_jobs(kith_db *db, kith_id person, const kith__contact *c, kith_error *err)
{
	kith_job *have = NULL;
	size_t nhave = 0;
	int rc = kith_job_list(db, person, &have, &nhave, err);

	for (size_t i = 0; !rc && i < c->njobs; i++) {
		const kith__cjob *cj = &c->jobs[i];
		int dup = 0;
		if (!cj->org)
			continue;
		for (size_t k = 0; k < nhave; k++)
			dup |= have[k].org_name && strcasecmp(have[k].org_name, cj->org) == 0 &&
			       (!cj->title || (have[k].title && strcasecmp(have[k].title, cj->title) == 0));
		if (dup)
			continue;
		kith_job j = {.person = person, .title = cj->title, .from = cj->from, .to = cj->to};
		rc = kith_org_ensure(db, cj->org, &j.org, err);
		if (!rc)
			rc = kith_job_add(db, &j, err);
		if (rc == KITH_EINVAL)  /* a bad date in the card: the job goes */
			rc = KITH_OK;
	}
	kith_job_list_free(have, nhave);
	return rc;
}

/* Checks the ETag condition against the card as it is now, as the member
 * sees it (view).  It runs inside the write transaction on db before any
 * write of it, so view reads what db does and nobody changes it in
 * between (db holds the write lock). */
static int check_etag(kith_db *view, kith_id person, int64_t want, kith_error *err)
{
	int64_t now = 0;
	int rc;

	if (want == 0)
		return KITH_OK;
	if (want == -1)
		return person ? kith_error_set(err, KITH_EEXISTS, "the card exists") : KITH_OK;
	if (!person)
		return kith_error_set(err, KITH_ENOTFOUND, "no such card");
	if (want == -2)
		return KITH_OK;
	if ((rc = kith_card_etag(view, person, &now, err)))
		return rc;
	return now == want ? KITH_OK
	                   : kith_error_set(err, KITH_EEXISTS, "the card changed since");
}

/* Names person href in member's book; the name it had goes, with a
 * tombstone so the client drops it (unless the person is new: no client
 * ever had the name). */
static int rename_card(kith_db *db, kith_id member, kith_id person, const char *href,
                       int is_new, kith_error *err)
{
	kith_card_ref old;
	int rc = kith__card_ref_of(db, member, person, &old, err);

	if (rc || strcmp(old.href, href) == 0)
		return rc;
	if (!is_new)
		rc = exec_id(db, "INSERT INTO card_change(person_id, member_id, href, owner,"
		             " private) SELECT ?3, ?1, ?2, owner, private FROM person WHERE id = ?3",
		             member, old.href, person, "name card", err);
	if (!rc)
		rc = exec_id(db, "DELETE FROM card_href WHERE member_id = ?1 AND"
		             " (person_id = ?3 OR href = ?2)", member, href, person,
		             "name card", err);
	if (!rc)
		rc = exec_id(db, "INSERT INTO card_href(member_id, href, person_id)"
		             " VALUES (?1, ?2, ?3)", member, href, person, "name card", err);
	return rc;
}

static int save_extras(kith_db *db, kith_id person, const char *extras, kith_error *err)
{
	if (!extras)
		return exec_id(db, "DELETE FROM card_extra WHERE person_id = ?1",
		               person, NULL, 0, "save card", err);
	return exec_id(db, "INSERT INTO card_extra(person_id, lines) VALUES (?1, ?2)"
	               " ON CONFLICT(person_id) DO UPDATE SET lines = excluded.lines"
	               " WHERE lines IS NOT excluded.lines",
	               person, extras, 0, "save card", err);
}

/* What a PUT carries, parsed. */
struct sent {
	kith__contact *c;
	const kith__lines *lines;
	int version;
};

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_strv(const kith_strv *a, const kith_strv *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* Whether a and b have the same fields (so a card sent again as it was
 * changes nothing, not even the ETag). */
static int same_person(const kith_person *a, const kith_person *b)
{
	return same_str(a->display_name, b->display_name) &&
	       same_str(a->given_name, b->given_name) &&
	       same_str(a->family_name, b->family_name) && same_str(a->city, b->city) &&
	       same_str(a->country, b->country) && same_str(a->notes, b->notes) &&
	       same_strv(&a->emails, &b->emails) && same_strv(&a->phones, &b->phones) &&
	       same_strv(&a->tags, &b->tags);
}

/* The person as the card has them: person id (replaced, or merged into
 * with merge), or a new one (*id set). */
static int put_person(kith_db *db, const kith__contact *c, int merge, kith_id *id,
                      kith_error *err)
{
	kith_person *p = NULL, *was = NULL;
	int rc;

	if (!*id) {
		if (!(p = calloc(1, sizeof(*p))))
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		rc = take_card(db, p, c, 0, err);
		if (!rc)
			rc = kith_person_add(db, p, err);
		*id = p->id;
		if (!rc && c->key)
			rc = exec_id(db, "INSERT OR IGNORE INTO import_source(kind, key, person_id,"
			             " digest, imported) VALUES ('vcard', ?2, ?1, '', ?3)",
			             *id, c->key, kith_db_now(db), "save card", err);
		kith_person_free(p);
		return rc;
	}
	rc = kith_person_get(db, *id, &p, err);
	if (!rc)
		rc = kith_person_get(db, *id, &was, err);
	if (!rc)
		rc = take_card(db, p, c, merge, err);
	if (!rc && !same_person(p, was))
		rc = kith_person_update(db, p, err);
	kith_person_free(p);
	kith_person_free(was);
	return rc;
}

/* The card's links, then the lines kept as sent. */
static int put_links(kith_db *db, kith_db *view, const kith_card_put *put, kith_id id,
                     int result, const struct sent *s, kith_error *err)
{
	kith__card_links_in in = {.db = db, .view = view, .member = put->member,
	                          .person = id, .replace = result == KITH_CARD_UPDATED,
	                          .version = s->version};
	char *consumed = calloc(s->lines->n + 1, 1), *extras = NULL;
	int rc;

	if (!consumed)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith__card_links_store(&in, s->lines, consumed, err);
	if (!rc)
		rc = extras_of(s->lines, consumed, &extras, err);
	if (!rc)
		rc = save_extras(db, id, extras, err);
	free(extras);
	free(consumed);
	return rc;
}

/* Writes the card into the store inside the caller's transaction. */
static int store(kith_db *db, kith_db *view, const kith_card_put *put,
                 const struct sent *s, int *result, kith_id *person, kith_error *err)
{
	kith_card_ref ref;
	kith_id id = 0;
	int rc = kith_card_find(view, put->member, put->href, &ref, err);

	if (rc == KITH_OK)
		id = ref.person;
	else if (rc != KITH_ENOTFOUND)
		return rc;
	else if (kith__card_href_person(put->href))
		/* kith's name for someone this member does not see (or not by
		 * that name): taking it would give one name to two people. */
		return kith_error_set(err, KITH_EINVAL, "%s is kith's name for another card",
		                      put->href);
	if ((rc = check_etag(view, id, put->etag_want, err)))
		return rc;
	*result = id ? KITH_CARD_UPDATED : KITH_CARD_CREATED;
	if (!id) {
		if ((rc = match_new(view, s->c, &id, err)))
			return rc;
		if (id)
			*result = KITH_CARD_MERGED;
	}
	rc = put_person(db, s->c, *result == KITH_CARD_MERGED, &id, err);
	if (!rc)
		rc = add_jobs(db, id, s->c, err);
	if (!rc)
		rc = put_links(db, view, put, id, *result, s, err);
	if (!rc)
		rc = rename_card(db, put->member, id, put->href, *result == KITH_CARD_CREATED, err);
	if (!rc && person)
		*person = id;
	return rc;
}

int kith_card_store(kith_db *db, kith_db *view, const kith_card_put *put,
                    const char *data, size_t len, int *result, kith_id *person,
                    kith_error *err)
{
	struct got g;
	kith__lines lines = {0};
	struct sent s = {.lines = &lines};
	int rc, dummy;

	if (!result)
		result = &dummy;
	if (!kith_card_href_ok(put->href))
		return kith_error_set(err, KITH_EINVAL, "not a name kith can give a card");
	rc = parse_card(data, len, &g, err);
	if (!rc)
		rc = card_lines(data, len, &lines, &s.version, err);
	if (!rc)
		rc = kith_db_begin(db, err);
	if (!rc) {
		s.c = &g.c;
		rc = store(db, view, put, &s, result, person, err);
		if (rc)
			kith_db_rollback(db);
		else
			rc = kith_db_commit(db, err);
	}
	kith__lines_free(&lines);
	kith__contact_clear(&g.c);
	return rc;
}

int kith_card_remove(kith_db *db, kith_db *view, const kith_card_put *put,
                     kith_error *err)
{
	kith_card_ref ref;
	int rc = kith_card_find(view, put->member, put->href, &ref, err);

	if (rc)
		return rc;
	if ((rc = kith_db_begin(db, err)))
		return rc;
	rc = check_etag(view, ref.person, put->etag_want, err);
	if (!rc)
		rc = kith_person_remove(db, ref.person, err);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}
