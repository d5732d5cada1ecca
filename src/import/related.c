/*
 * Capture, relationships: what a vCard says of its person's people, a
 * RELATED line (4.0) or Apple's X-ABRELATEDNAMES with the X-ABLabel of
 * its group (3.0).  The lines are read as CardDAV reads a card a client
 * sends (src/card_rel.c: kith__rel_items, kith__rel_from_label), once
 * every card of the batch is in, so a card may name someone further down
 * the file.  A value that names exactly one person the import sees (a
 * UID of an imported card, an email address, or a display name) becomes
 * a link of the kind its label maps to, and the lines are kept with the
 * link (card_related) so that a CardDAV client gets "Spouse" back, not
 * only "family".  A value that names nobody, or several, makes no link
 * and nobody is made up for it: its lines stay with the person as they
 * were written (card_extra), as CardDAV keeps the lines it has no field
 * for, and go out again with the card.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "session.h"
#include "base/vcard_text.h"
#include "kith/person.h"
#include "kith/link.h"

struct pending {
	kith_id person;
	char *text;
};

static void pending_free(gpointer p)
{
	struct pending *r = p;

	free(r->text);
	free(r);
}

int kith__related_note(kith__isess *s, kith_id person, kith__contact *c,
                       kith_error *err)
{
	struct pending *r;

	if (!c->related)
		return KITH_OK;
	if (!(r = malloc(sizeof(*r))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	r->person = person;
	r->text = c->related;
	c->related = NULL;
	if (!s->related)
		s->related = g_ptr_array_new_with_free_func(pending_free);
	g_ptr_array_add(s->related, r);
	return KITH_OK;
}

void kith__related_free(kith__isess *s)
{
	if (s->related)
		g_ptr_array_free(s->related, TRUE);
	s->related = NULL;
}

static int sqlfail(kith__isess *s, int rc, kith_error *err)
{
	return kith__sqlerr(s->db, rc, "import", err);
}

/* The one person other than person the import sees with this display
 * name (any case); 0 when none or several. */
static int by_name(kith__isess *s, kith_id person, const char *name, kith_id *q,
                   kith_error *err)
{
	static const char sql[] =
		"SELECT id FROM person p WHERE display_name = ?1 COLLATE NOCASE AND id <> ?2"
		" AND (?9 = 0 OR p.private = 0 OR p.owner = ?9) LIMIT 2";
	sqlite3_stmt *st;
	int rc, rows = 0;

	*q = 0;
	if ((rc = kith__stmt(s->db, sql, &st, err)))
		return rc;
	kith__ibind(st, 1, name);
	sqlite3_bind_int64(st, 2, person);
	sqlite3_bind_int64(st, 9, s->viewer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*q = rows++ ? 0 : sqlite3_column_int64(st, 0);
	kith__stmt_release(s->db, st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

/* The person a card with this UID became in an import of the viewer's
 * ("urn:uuid:" or not); 0 when none. */
static int by_uid(kith__isess *s, const char *uid, kith_id *q, kith_error *err)
{
	const char *bare = strncasecmp(uid, "urn:uuid:", 9) == 0 ? uid + 9 : uid;
	gchar *forms[2] = {g_strdup(bare), g_strdup_printf("urn:uuid:%s", bare)};
	kith_id iid;
	char digest[33];
	int found, rc = KITH_OK;

	*q = 0;
	for (int i = 0; !rc && !*q && i < 2; i++)
		rc = kith__src_get(s, forms[i], q, &iid, digest, &found, err);
	g_free(forms[0]);
	g_free(forms[1]);
	return rc;
}

/* Who an item names: by UID, email address or name. */
static int named(kith__isess *s, kith_id person, const kith__rel_item *it, kith_id *q,
                 kith_error *err)
{
	const char *v = it->value;
	char *email = NULL;
	int rc = KITH_OK;

	*q = 0;
	if (it->uri && strncasecmp(v, "mailto:", 7) == 0)
		v += 7;
	else if (it->uri)
		return by_uid(s, v, q, err);
	if (strchr(v, '@') && kith_email_normalize(v, &email, NULL) == KITH_OK)
		rc = kith__find_email(s, email, q, err);
	free(email);
	if (!rc && !*q && !it->uri)
		rc = by_name(s, person, v, q, err);
	if (*q == person)
		*q = 0;
	return rc;
}

/* The link kind an item's first label stands for (card_rel.c's table, or
 * a kind's own name), "knows" when it has none or names no kind kith
 * has.  *end: the related person's end of a directed kind. */
static void item_kind(kith__isess *s, const kith__rel_item *it, char *kind, size_t sz,
                      int *end)
{
	*end = KITH__REL_ANY;
	if (it->labels.n) {
		kith__rel_from_label(it->labels.v[0], kind, sz, end);
		if (kind[0] && kith_kind_check(s->db, KITH_KIND_LINK, kind, NULL) == KITH_OK)
			return;
	}
	snprintf(kind, sz, "knows");
	*end = KITH__REL_ANY;
}

/* The link of kind between person and q (made when there is none the
 * viewer sees, with q at end): *link. */
static int link_to(kith__isess *s, kith_id person, kith_id q, const char *kind, int end,
                   kith_id *link, kith_error *err)
{
	kith_id a = end == KITH__REL_A ? q : person, b = end == KITH__REL_A ? person : q;
	sqlite3_stmt *st = kith__ist(s, S_LINK_FIND);
	int rc;

	*link = 0;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	kith__ibind(st, 3, kind);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*link = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sqlfail(s, rc, err);
	if (*link)
		return KITH_OK;
	st = kith__ist(s, S_LINK_INS);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	kith__ibind(st, 3, kind);
	if (s->me)
		sqlite3_bind_int64(st, 5, s->me);
	sqlite3_bind_int64(st, 6, s->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sqlfail(s, rc, err);
	*link = sqlite3_last_insert_rowid(kith_db_sqlite(s->db));
	s->rep->links_created++;
	return KITH_OK;
}

/* The lines of item it, '\n' between (g_free). */
static gchar *item_lines(const kith__lines *l, const kith__rel_item *it)
{
	GString *g = g_string_new(NULL);

	for (size_t k = 0; k < it->nlines; k++) {
		if (g->len)
			g_string_append_c(g, '\n');
		g_string_append_len(g, l->line[it->lines[k]], (gssize)l->len[it->lines[k]]);
	}
	return g_string_free(g, FALSE);
}

/* Runs sql with ?1 a, ?2 b, ?3 v and ?4 text (those it has). */
static int exec(kith__isess *s, const char *sql, kith_id a, kith_id b, int v,
                const char *text, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(s->db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_int(st, 3, v);
	kith__ibind(st, 4, text);
	rc = sqlite3_step(st);
	kith__stmt_release(s->db, st);
	return rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
}

/* Adds lines to what person keeps of their cards (card_extra), each once. */
static int keep_lines(kith__isess *s, kith_id person, const char *lines, kith_error *err)
{
	static const char get[] = "SELECT lines FROM card_extra WHERE person_id = ?1";
	GString *all = g_string_new(NULL);
	gchar **add = g_strsplit(lines, "\n", -1);
	sqlite3_stmt *st;
	int rc = kith__stmt(s->db, get, &st, err), changed = 0;

	if (!rc) {
		sqlite3_bind_int64(st, 1, person);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
			g_string_append(all, (const char *)sqlite3_column_text(st, 0));
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK : sqlfail(s, rc, err);
		kith__stmt_release(s->db, st);
	}
	for (gchar **p = add; !rc && *p; p++) {
		gchar *needle = g_strdup_printf("\n%s\n", *p);
		gchar *hay = g_strdup_printf("\n%s\n", all->str);
		if (**p && !strstr(hay, needle)) {
			if (all->len)
				g_string_append_c(all, '\n');
			g_string_append(all, *p);
			changed = 1;
		}
		g_free(needle);
		g_free(hay);
	}
	if (!rc && changed)
		rc = exec(s, "INSERT INTO card_extra(person_id, lines) VALUES (?1, ?4)"
		          " ON CONFLICT(person_id) DO UPDATE SET lines = excluded.lines",
		          person, 0, 0, all->str, err);
	g_strfreev(add);
	g_string_free(all, TRUE);
	return rc;
}

/* One card's relationship lines. */
static int one_card(kith__isess *s, struct pending *r, kith_error *err)
{
	kith__lines l;
	kith__rel_item *items = NULL;
	size_t n = 0;
	int rc;

	if (kith__lines_index(r->text, &l))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	r->text = NULL;  /* l owns it now */
	if (kith__rel_items(&l, &items, &n)) {
		kith__lines_free(&l);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	rc = KITH_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		kith_id q = 0, link = 0;
		char kind[40];
		int end;
		gchar *lines = item_lines(&l, &items[i]);
		rc = named(s, r->person, &items[i], &q, err);
		if (!rc && q) {
			item_kind(s, &items[i], kind, sizeof(kind), &end);
			rc = link_to(s, r->person, q, kind, end, &link, err);
			/* as a client's card would have stated it (card_link.c) */
			if (!rc)
				rc = exec(s, "INSERT INTO card_related(person_id, link_id, version, lines)"
				          " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
				          r->person, link, items[i].apple ? 3 : 4, lines, err);
		} else if (!rc) {
			rc = keep_lines(s, r->person, lines, err);
		}
		g_free(lines);
	}
	kith__rel_items_free(items, n);
	kith__lines_free(&l);
	return rc;
}

int kith__related_finish(kith__isess *s, kith_error *err)
{
	int rc = KITH_OK;

	if (!s->related)
		return KITH_OK;
	for (guint i = 0; !rc && i < s->related->len; i++)
		rc = one_card(s, g_ptr_array_index(s->related, i), err);
	g_ptr_array_set_size(s->related, 0);
	return rc;
}
