/*
 * A card's relationships and kith's links (card_impl.h).
 *
 * Out: a card lists the links of its person that the member's view
 * shows, so a member never gets a line naming someone, or a link, they
 * may not see.  In: a PUT's RELATED and X-ABRELATEDNAMES lines are
 * resolved on the same view (a URI against the UIDs of the cards kith
 * serves, a name against people's exact display names, the person's
 * linked people first) and become links; a line naming nobody stays with
 * the card as it was sent, and nobody is made up for it.
 *
 * The lines a client sent for a link are kept (card_related, schema
 * migration 7) and served back as they came, in the vCard version they
 * came in, as long as all they say still holds: so "Spouse" stays
 * "Spouse" although kith only knows "family".  The table in card_rel.c
 * writes the others.  Which links a card owns: all it shows, that is
 * every link of the person the member sees; a client that edits the card
 * and drops a line removes that link, as dropping an email removes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "card_impl.h"
#include "kith/member.h"
#include "kith/link.h"

/* A link of the card's person as the view shows it. */
struct vlink {
	kith_id id, q;          /* the link; the related person */
	char kind[40];
	int end;                /* q's end for a directed kind, else KITH__REL_ANY */
	char *qname;
	char quid[128];
	char *row;              /* the client's lines for it (card_related), or NULL */
	int row_version;
	int claimed;            /* a PUT: the card states it */
	size_t item;            /* ... last in item - 1 */
	GString *lines;         /* ... in these lines */
};

struct vlinks {
	struct vlink *v;
	size_t n, cap;
	kith_kind *kinds;       /* link kinds, for labels that name one */
	size_t nkinds;
};

static void vlinks_free(struct vlinks *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->v[i].qname);
		free(ls->v[i].row);
		if (ls->v[i].lines)
			g_string_free(ls->v[i].lines, TRUE);
	}
	free(ls->v);
	kith_kind_list_free(ls->kinds, ls->nkinds);
	memset(ls, 0, sizeof(*ls));
}

static struct vlink *vlinks_push(struct vlinks *ls)
{
	if (ls->n == ls->cap) {
		size_t nc = ls->cap ? ls->cap * 2 : 8;
		struct vlink *nv = realloc(ls->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		ls->v = nv;
		ls->cap = nc;
	}
	memset(&ls->v[ls->n], 0, sizeof(ls->v[0]));
	return &ls->v[ls->n++];
}

/* The stored lines of each link (card_related rows of person). */
static int load_rows(kith_db *view, kith_id person, struct vlinks *ls, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(view, "SELECT link_id, version, lines FROM card_related"
	                    " WHERE person_id = ?1", &st, err), oom = 0;

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (size_t i = 0; i < ls->n; i++)
			if (ls->v[i].id == sqlite3_column_int64(st, 0) && !ls->v[i].row) {
				ls->v[i].row_version = sqlite3_column_int(st, 1);
				ls->v[i].row = kith__col_dup(st, 2, &oom);
			}
	kith__stmt_release(view, st);
	if (oom)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(view, rc, "read card", err);
}

/* The links of person that view shows, in id order (a card's lines keep
 * their order whatever changes in a link's trust), with their stored
 * lines and the kinds there are (not read when there are no links and
 * skip_empty).  *ls is the caller's (vlinks_free). */
static int load_links(kith_db *view, kith_id person, int skip_empty, struct vlinks *ls,
                      kith_error *err)
{
	static const char sql[] =
		"SELECT l.id, l.kind, p.id, l.a = p.id, k.directed, p.display_name, p.created"
		" FROM link l JOIN link_kind k ON k.name = l.kind"
		" JOIN person p ON p.id = (CASE WHEN l.a = ?1 THEN l.b ELSE l.a END)"
		" WHERE l.a = ?1 OR l.b = ?1 ORDER BY l.id";
	sqlite3_stmt *st;
	int rc, oom = 0;

	memset(ls, 0, sizeof(*ls));
	if ((rc = kith__stmt(view, sql, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, person);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vlink *l = vlinks_push(ls);
		if (!l) {
			oom = 1;
			break;
		}
		l->id = sqlite3_column_int64(st, 0);
		snprintf(l->kind, sizeof(l->kind), "%s", sqlite3_column_text(st, 1));
		l->q = sqlite3_column_int64(st, 2);
		l->end = !sqlite3_column_int(st, 4) ? KITH__REL_ANY
		         : sqlite3_column_int(st, 3) ? KITH__REL_A : KITH__REL_B;
		l->qname = kith__col_dup(st, 5, &oom);
		kith__card_uid(view, l->q, sqlite3_column_int64(st, 6), l->quid, sizeof(l->quid));
	}
	kith__stmt_release(view, st);
	if (oom)
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	else if (rc != SQLITE_DONE)
		rc = kith__sqlerr(view, rc, "read links", err);
	else if (!ls->n && skip_empty)  /* most cards have none: two reads saved */
		rc = KITH_OK;
	else
		rc = load_rows(view, person, ls, err);
	if (!rc && (ls->n || !skip_empty))
		rc = kith_kind_list(view, KITH_KIND_LINK, &ls->kinds, &ls->nkinds, err);
	if (rc)
		vlinks_free(ls);
	return rc;
}

/* The kind and end a label means here: the table's, else a kith kind's
 * own name, else "knows" (the card says they are related; how is kept
 * in its own line).  end is KITH__REL_ANY for an undirected kind. */
static void label_kind(const struct vlinks *ls, const char *label, char *kind, size_t sz,
                       int *end)
{
	int known, directed = -1;

	kind[0] = '\0';
	*end = KITH__REL_ANY;
	known = label && *label ? kith__rel_from_label(label, kind, sz, end) : 0;
	for (size_t i = 0; i < ls->nkinds && directed < 0; i++) {
		char alt[40];
		snprintf(alt, sizeof(alt), "%s", ls->kinds[i].name);
		for (char *p = alt; *p; p++)
			if (*p == '_')
				*p = '-';  /* labels have no '_' */
		if (strcmp(ls->kinds[i].name, kind) == 0 || (!known && strcmp(alt, kind) == 0)) {
			snprintf(kind, sz, "%s", ls->kinds[i].name);
			directed = ls->kinds[i].directed;
		}
	}
	if (directed < 0) {
		snprintf(kind, sz, "knows");
		directed = 0;
	}
	if (!directed)
		*end = KITH__REL_ANY;
}

/* Whether two UIDs are the same card's ("urn:uuid:" or not, any case). */
static int uid_same(const char *a, const char *b)
{
	if (strncasecmp(a, "urn:uuid:", 9) == 0)
		a += 9;
	if (strncasecmp(b, "urn:uuid:", 9) == 0)
		b += 9;
	return *a && strcasecmp(a, b) == 0;
}

/* The label of an item, or "" (an unlabelled relationship). */
static const char *item_label(const kith__rel_item *it, size_t i)
{
	return i < it->labels.n ? it->labels.v[i] : "";
}

static size_t item_nlabels(const kith__rel_item *it)
{
	return it->labels.n ? it->labels.n : 1;
}

/* Whether all an item says of l's related person still holds: it names
 * them (their UID or their name as it is now) and each of its labels is
 * a link between them that the view shows. */
static int item_holds(const struct vlinks *ls, const struct vlink *l,
                      const kith__rel_item *it)
{
	if (it->uri ? !uid_same(it->value, l->quid) : strcmp(it->value, l->qname) != 0)
		return 0;
	for (size_t i = 0; i < item_nlabels(it); i++) {
		char kind[40];
		int end, found = 0;
		label_kind(ls, item_label(it, i), kind, sizeof(kind), &end);
		for (size_t k = 0; k < ls->n && !found; k++)
			found = ls->v[k].q == l->q && strcmp(ls->v[k].kind, kind) == 0 &&
			        (end == KITH__REL_ANY || end == ls->v[k].end);
		if (!found)
			return 0;
	}
	return 1;
}

/* Used group names ("item1", lower case) and a source of new ones. */
struct groups {
	GHashTable *used;
	int next;
};

static void group_use(struct groups *g, const char *name)
{
	if (name[0])
		g_hash_table_add(g->used, g_ascii_strdown(name, -1));
}

static void group_new(struct groups *g, char *out, size_t sz)
{
	do
		snprintf(out, sz, "item%d", ++g->next);
	while (g_hash_table_contains(g->used, out));
	group_use(g, out);
}

static int group_taken(struct groups *g, const char *name)
{
	gchar *low = g_ascii_strdown(name, -1);
	int taken = g_hash_table_contains(g->used, low);

	g_free(low);
	return taken;
}

/* Writes a stored item as it came, in a group of its own: one another
 * line took meanwhile is renamed. */
static void write_stored(GString *out, const kith__lines *row, const kith__rel_item *it,
                         struct groups *g)
{
	char old[24], name[24];
	size_t skip;

	kith__line_group(row->line[it->lines[0]], row->len[it->lines[0]], old, sizeof(old));
	snprintf(name, sizeof(name), "%s", old);
	if (old[0] && group_taken(g, old))
		group_new(g, name, sizeof(name));
	else
		group_use(g, old);
	skip = strlen(old);
	for (size_t k = 0; k < it->nlines; k++) {
		GString *l = g_string_new(name);
		size_t i = it->lines[k];
		g_string_append_len(l, row->line[i] + skip, (gssize)(row->len[i] - skip));
		kith__vcard_fold(out, l->str, l->len);
		g_string_free(l, TRUE);
	}
}

/* The value naming l's related person: their UID as a URI when it is a
 * UUID (what RFC 6350 prefers), else their name. */
static const char *rel_value(const struct vlink *l, int version, char *buf, size_t sz,
                             int *uri)
{
	const char *u = l->quid;
	size_t n;

	*uri = 0;
	if (version != 4)
		return l->qname;
	if (strncasecmp(u, "urn:uuid:", 9) == 0)
		u += 9;
	n = strspn(u, "0123456789abcdefABCDEF-");
	if (n != 36 || u[n] || u[8] != '-' || u[13] != '-' || u[18] != '-' || u[23] != '-')
		return l->qname;
	snprintf(buf, sz, "urn:uuid:%s", u);
	*uri = 1;
	return buf;
}

/* The items of a stored row (rl and *items are the caller's). */
static int row_items(const struct vlink *l, kith__lines *rl, kith__rel_item **items,
                     size_t *n)
{
	char *t = strdup(l->row);

	*items = NULL;
	*n = 0;
	memset(rl, 0, sizeof(*rl));
	if (!t || kith__lines_index(t, rl))
		return KITH_ENOMEM;
	return kith__rel_items(rl, items, n);
}

/* The client's own lines that still hold, as they came; covered[i] for
 * each link they state. */
static int write_rows(const struct vlinks *ls, int version, char *covered, GString *out,
                      struct groups *g)
{
	GHashTable *written = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < ls->n; i++) {
		const struct vlink *l = &ls->v[i];
		kith__lines rl;
		kith__rel_item *items;
		size_t n;
		if (!l->row || l->row_version != version)
			continue;
		rc = row_items(l, &rl, &items, &n);
		for (size_t k = 0; !rc && k < n; k++) {
			if (!item_holds(ls, l, &items[k]))
				continue;
			GString *key = g_string_new("");
			for (size_t j = 0; j < items[k].nlines; j++)
				g_string_append_len(key, rl.line[items[k].lines[j]],
				                    (gssize)rl.len[items[k].lines[j]]);
			/* One line may state two links (TYPE=friend,co-worker). */
			if (!g_hash_table_contains(written, key->str)) {
				write_stored(out, &rl, &items[k], g);
				g_hash_table_add(written, g_string_free(key, FALSE));
			} else {
				g_string_free(key, TRUE);
			}
			covered[i] = 1;
		}
		kith__rel_items_free(items, n);
		kith__lines_free(&rl);
	}
	g_hash_table_destroy(written);
	return rc;
}

/* The label for l in this version: its stored line's, converted, when
 * that still means l's kind, else the table's. */
static void made_label(const struct vlinks *ls, const struct vlink *l, int version,
                       char *out, size_t sz)
{
	kith__lines rl;
	kith__rel_item *items = NULL;
	size_t n = 0;
	int done = 0;

	if (l->row && !row_items(l, &rl, &items, &n)) {
		for (size_t k = 0; k < n && !done; k++)
			for (size_t j = 0; j < items[k].labels.n && !done; j++) {
				char kind[40];
				int end;
				if (!kith__rel_convert(items[k].labels.v[j], version, out, sz))
					continue;
				label_kind(ls, out, kind, sizeof(kind), &end);
				done = strcmp(kind, l->kind) == 0 && end == l->end;
			}
		kith__lines_free(&rl);
	}
	kith__rel_items_free(items, n);
	if (!done)
		kith__rel_to_label(l->kind, l->end, version, out, sz);
}

/* Links no kept line states, from the table. */
static void write_made(const struct vlinks *ls, int version, const char *covered,
                       GString *out, struct groups *g)
{
	for (size_t i = 0; i < ls->n; i++) {
		char label[80], buf[160], group[24] = "";
		int uri;
		if (covered[i])
			continue;
		made_label(ls, &ls->v[i], version, label, sizeof(label));
		const char *value = rel_value(&ls->v[i], version, buf, sizeof(buf), &uri);
		if (version != 4)
			group_new(g, group, sizeof(group));
		kith__rel_write(out, version, label, value, uri, group);
	}
}

int kith__card_links_write(kith_db *view, kith_id person, int version,
                           const kith__lines *extras, GString *out, kith_error *err)
{
	struct vlinks ls;
	struct groups g = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), 0};
	char *covered = NULL;
	int rc = load_links(view, person, 1, &ls, err);

	if (!rc && ls.n && !(covered = calloc(ls.n, 1)))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!rc && ls.n) {
		for (size_t i = 0; i < extras->n; i++) {
			char grp[24];
			kith__line_group(extras->line[i], extras->len[i], grp, sizeof(grp));
			group_use(&g, grp);
		}
		/* Kept lines first, so they keep their groups. */
		if (write_rows(&ls, version, covered, out, &g))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		else
			write_made(&ls, version, covered, out, &g);
	}
	free(covered);
	vlinks_free(&ls);
	g_hash_table_destroy(g.used);
	return rc;
}

/* The person another card's UID names: a client's or an imported card
 * with that UID, else one whose UID kith made (which a client only has
 * from kith).  Never person; 0 when nobody or several. */
static int by_uid(kith_db *view, kith_id person, const char *uid, kith_id *q,
                  kith_error *err)
{
	const char *bare = strncasecmp(uid, "urn:uuid:", 9) == 0 ? uid + 9 : uid;
	gchar *other = bare == uid ? g_strdup_printf("urn:uuid:%s", uid) : g_strdup(bare);
	sqlite3_stmt *st;
	/* Any case: UUIDs are compared so (RFC 4122), and Apple writes them
	 * in upper case. */
	int rc = kith__prepare(view, "SELECT id FROM person WHERE id <> ?3 AND id IN"
	                       " (SELECT person_id FROM import_source WHERE kind = 'vcard'"
	                       "  AND lower(key) IN (lower(?1), lower(?2))"
	                       "  UNION SELECT person_id FROM card_extra"
	                       "  WHERE instr(lower(char(10) || lines || char(10)),"
	                       "   lower(char(10) || 'UID:' || ?1 || char(10)))"
	                       "  OR instr(lower(char(10) || lines || char(10)),"
	                       "   lower(char(10) || 'UID:' || ?2 || char(10)))) LIMIT 2", &st, err);
	int rows = 0;

	*q = 0;
	if (!rc) {
		kith__bind_text(st, 1, uid);
		kith__bind_text(st, 2, other);
		sqlite3_bind_int64(st, 3, person);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			*q = rows++ ? 0 : sqlite3_column_int64(st, 0);
		rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(view, rc, "resolve card", err);
		sqlite3_finalize(st);
	}
	g_free(other);
	if (rc || rows || bare == uid)
		return rc;
	/* plan: scan -- every card of the address book */
	if ((rc = kith__prepare(view, "SELECT id, created FROM person WHERE id <> ?1", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, person);
	while (!*q && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char made[128];
		kith__card_made_uid(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		                    made, sizeof(made));
		if (uid_same(made, uid))
			*q = sqlite3_column_int64(st, 0);
	}
	rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? KITH_OK
	                                           : kith__sqlerr(view, rc, "resolve card", err);
	sqlite3_finalize(st);
	return rc;
}

/* The one person (not person) whose display name is name exactly. */
static int by_name(kith_db *view, kith_id person, const char *name, kith_id *q,
                   kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(view, "SELECT id FROM person WHERE display_name = ?1 COLLATE NOCASE"
	                    " AND display_name = ?1 AND id <> ?2 LIMIT 2", &st, err), rows = 0;

	*q = 0;
	if (rc)
		return rc;
	kith__bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, person);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*q = rows++ ? 0 : sqlite3_column_int64(st, 0);
	kith__stmt_release(view, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(view, rc, "resolve card", err);
}

/* The person an item names among those the view shows, the card's
 * linked people first (so a round trip finds the same one even when
 * another has the name).  *q = 0 when nobody, or not one, is. */
static int resolve(kith_db *view, kith_id person, const struct vlinks *ls,
                   const kith__rel_item *it, kith_id *q, kith_error *err)
{
	kith_id found = 0;
	int many = 0;

	for (size_t i = 0; i < ls->n; i++) {
		const struct vlink *l = &ls->v[i];
		if (!l->qname || (it->uri ? !uid_same(it->value, l->quid)
		                          : strcmp(it->value, l->qname) != 0))
			continue;
		many |= found && found != l->q;
		found = l->q;
	}
	*q = many ? 0 : found;
	if (*q)
		return KITH_OK;
	return it->uri ? by_uid(view, person, it->value, q, err)
	               : by_name(view, person, it->value, q, err);
}

/* The visible link of kind between the card's person and q, any
 * direction, or -1. */
static long find_link(const struct vlinks *ls, kith_id q, const char *kind)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->v[i].q == q && strcmp(ls->v[i].kind, kind) == 0)
			return (long)i;
	return -1;
}

/* Makes the link a card states (the person at end is q), as ls's last
 * entry.  -1 in *at when one the member cannot see is in the way. */
static int make_link(const kith__card_links_in *in, struct vlinks *ls, kith_id q,
                     const char *kind, int end, long *at, kith_error *err)
{
	kith_link l = {.a = end == KITH__REL_A ? q : in->person,
	               .b = end == KITH__REL_A ? in->person : q,
	               .asserted_by = kith_me(in->view)};
	struct vlink *v;
	kith_error e;
	kith_id id;
	int rc;

	*at = -1;
	if (!(l.kind = strdup(kind)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith_link_add(in->db, &l, &e);
	id = l.id;
	kith_link_clear(&l);
	if (rc == KITH_EEXISTS)
		return KITH_OK;
	if (rc)
		return kith_error_set(err, rc, "%s", e.msg);
	if (!(v = vlinks_push(ls)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	v->id = id;
	v->q = q;
	v->end = end;
	snprintf(v->kind, sizeof(v->kind), "%s", kind);
	*at = (long)ls->n - 1;
	return KITH_OK;
}

/* Binds item it's lines to the links its labels name (made when new).
 * *any is set when one is; the lines then belong to the links. */
static int claim(const kith__card_links_in *in, struct vlinks *ls, const kith__lines *l,
                 const kith__rel_item *it, size_t item, kith_id q, int *any,
                 kith_error *err)
{
	int rc = KITH_OK;

	*any = 0;
	for (size_t j = 0; !rc && j < item_nlabels(it); j++) {
		char kind[40];
		int end;
		label_kind(ls, item_label(it, j), kind, sizeof(kind), &end);
		long at = find_link(ls, q, kind);
		if (at < 0 && (rc = make_link(in, ls, q, kind, end, &at, err)))
			break;
		if (at < 0)
			continue;
		struct vlink *v = &ls->v[at];
		*any = 1;
		if (v->claimed && v->item == item + 1)
			continue;  /* the item names this link twice (spouse,kin) */
		if (!v->lines)
			v->lines = g_string_new("");
		for (size_t k = 0; k < it->nlines; k++) {
			if (v->lines->len)
				g_string_append_c(v->lines, '\n');
			g_string_append_len(v->lines, l->line[it->lines[k]], (gssize)l->len[it->lines[k]]);
		}
		v->claimed = 1;
		v->item = item + 1;
	}
	return rc;
}

/* Keeps the lines of each link the card states, and with replace removes
 * the links among the first nbefore (those the member saw) it no longer
 * states. */
static int settle(const kith__card_links_in *in, struct vlinks *ls, size_t nbefore,
                  kith_error *err)
{
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < ls->n; i++) {
		struct vlink *v = &ls->v[i];
		sqlite3_stmt *st;
		if (!v->claimed) {
			/* As the member may in the API: another member's link
			 * stays, whatever their client's card leaves out. */
			if (in->replace && i < nbefore &&
			    (rc = kith_record_remove(in->db, in->member, "link", v->id, err)) ==
			    KITH_EPERM) {
				kith_error_clear(err);
				rc = KITH_OK;
			}
			continue;
		}
		rc = kith__prepare(in->db, "INSERT INTO card_related(person_id, link_id, version, lines)"
		                   " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(person_id, link_id) DO UPDATE"
		                   " SET version = excluded.version, lines = excluded.lines"
		                   " WHERE version IS NOT excluded.version"
		                   " OR lines IS NOT excluded.lines", &st, err);
		if (rc)
			break;
		sqlite3_bind_int64(st, 1, in->person);
		sqlite3_bind_int64(st, 2, v->id);
		sqlite3_bind_int(st, 3, in->version);
		kith__bind_text(st, 4, v->lines->str);
		rc = kith__step_done(in->db, st, "save card", err);
		sqlite3_finalize(st);
	}
	return rc;
}

int kith__card_links_store(const kith__card_links_in *in, const kith__lines *l,
                           char *consumed, kith_error *err)
{
	struct vlinks ls;
	kith__rel_item *items = NULL;
	size_t n = 0, nbefore;
	int rc = load_links(in->view, in->person, 0, &ls, err);

	if (rc)
		return rc;
	nbefore = ls.n;
	if (kith__rel_items(l, &items, &n))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n; i++) {
		kith_id q;
		int any = 0;
		rc = resolve(in->view, in->person, &ls, &items[i], &q, err);
		if (!rc && q)
			rc = claim(in, &ls, l, &items[i], i, q, &any, err);
		for (size_t k = 0; !rc && any && k < items[i].nlines; k++)
			consumed[items[i].lines[k]] = 1;
	}
	if (!rc)
		rc = settle(in, &ls, nbefore, err);
	kith__rel_items_free(items, n);
	vlinks_free(&ls);
	return rc;
}
