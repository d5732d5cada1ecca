/* A page of people for a front-end's list: the filters of the list plus
 * name words, former employers, privacy and a set of ids with a value to
 * filter and sort on (strengths, computed above this layer), with the
 * total.
 *
 * The cost of a page is bounded by an index, never by the network.  One
 * filter drives: its index gives the candidates (the set, name words, an
 * organisation, a tag, a city, a country, in that order), the others are
 * checked on each, and the candidates are sorted.  Without one, the page
 * walks the sort's own index (migration 14: key, name, id, and who sees
 * the row), so it stops after offset + limit rows, or seeks to a cursor.
 * Sorting on the set's values sorts the set here, in C, and pages through
 * it; everyone outside it (value 0) follows, or comes first, in name order.
 * The caller reads each row with kith_person_get. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/person.h"

/* A row's place in the list: the sort's value or time, the name, the id. */
struct key {
	double v;
	int64_t t;
	char *name;
	kith_id id;
};

/* --- the statements ---------------------------------------------------------- */

/* Binds: ?1 the ids rows must be among, ?2 name words, ?3 tag, ?4 city,
 * ?5 country, ?6 org, ?7 former org, ?8 ids rows must not be among, ?9
 * the cursor's name, ?10 its id, ?11 its time, ?12 limit, ?13 offset. */
enum { DRV_NONE, DRV_SET, DRV_WORDS, DRV_ORG, DRV_FORMER, DRV_TAG, DRV_CITY, DRV_COUNTRY,
       DRV_COUNT };

/* The candidates when a filter drives. */
static const char *const driver_sql[DRV_COUNT] = {
	[DRV_SET] = "SELECT value FROM json_each(?1)",
	[DRV_WORDS] = "SELECT rowid FROM person_fts WHERE person_fts MATCH ?2",
	[DRV_ORG] = "SELECT person_id FROM job WHERE org_id = ?6 AND date_to IS NULL",
	[DRV_FORMER] = "SELECT person_id FROM job WHERE org_id = ?7 AND date_to IS NOT NULL",
	[DRV_TAG] = "SELECT person_id FROM person_tag WHERE tag = lower(?3)",
	[DRV_CITY] = "SELECT id FROM person WHERE city = ?4 COLLATE NOCASE",
	[DRV_COUNTRY] = "SELECT id FROM person WHERE country = ?5 COLLATE NOCASE",
};

/* The same filters checked on a row found otherwise. */
static const char *const check_sql[DRV_COUNT] = {
	[DRV_SET] = " AND p.id IN (SELECT value FROM json_each(?1))",
	[DRV_WORDS] = " AND p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?2)",
	[DRV_ORG] = " AND EXISTS (SELECT 1 FROM job j WHERE j.person_id = p.id AND j.org_id = ?6"
	            " AND j.date_to IS NULL)",
	[DRV_FORMER] = " AND EXISTS (SELECT 1 FROM job j WHERE j.person_id = p.id"
	               " AND j.org_id = ?7 AND j.date_to IS NOT NULL)",
	[DRV_TAG] = " AND EXISTS (SELECT 1 FROM person_tag t WHERE t.person_id = p.id"
	            " AND t.tag = lower(?3))",
	[DRV_CITY] = " AND +p.city = ?4 COLLATE NOCASE",
	[DRV_COUNTRY] = " AND +p.country = ?5 COLLATE NOCASE",
};

/* The sort's key columns: as the index has them (a walk), or as
 * expressions no index matches (driven: the candidates are sorted, so
 * that SQLite does not walk the sort's index and probe each row). */
static const char *const key_name[2] = {"p.display_name COLLATE NOCASE",
                                        "(p.display_name || '') COLLATE NOCASE"};
static const char *const key_id[2] = {"p.id", "+p.id"};
/* A cursor's comparison puts the collation on its right (?9 COLLATE
 * NOCASE): with a bare column on the left SQLite seeks the index to it. */
static const char *const cur_name[2] = {"p.display_name", "(p.display_name || '')"};
static const char *const key_time[3][2] = {
	[KITH_PERSON_SORT_CREATED] = {"p.created", "+p.created"},
	[KITH_PERSON_SORT_UPDATED] = {"p.updated", "+p.updated"},
};

/* One run of rows in SQL order: by name (or time, name) within filters. */
struct seg {
	int sort;          /* KITH_PERSON_SORT_NAME, _CREATED or _UPDATED */
	int driver;
	const char *in, *out;  /* JSON id arrays (?1, ?8) or NULL */
	int64_t count;
};

struct page {
	kith_db *db;
	const kith_person_query *q;
	const char *words;
	int desc;
};

static void filters_sql(const struct page *pg, const struct seg *s, char *buf, size_t sz)
{
	const kith_person_query *q = pg->q;
	const int on[DRV_COUNT] = {
		[DRV_SET] = s->in != NULL, [DRV_WORDS] = pg->words != NULL, [DRV_ORG] = q->org != 0,
		[DRV_FORMER] = q->former_org != 0, [DRV_TAG] = q->tag != NULL,
		[DRV_CITY] = q->city != NULL, [DRV_COUNTRY] = q->country != NULL,
	};
	size_t len = 0;

	buf[0] = '\0';
	for (int d = DRV_SET; d < DRV_COUNT; d++)
		if (on[d] && d != s->driver)
			len += (size_t)snprintf(buf + len, len < sz ? sz - len : 0, "%s", check_sql[d]);
	snprintf(buf + len, len < sz ? sz - len : 0, "%s%s",
	         q->visibility == KITH_PERSON_PRIVATE ? " AND p.private" :
	         q->visibility == KITH_PERSON_TEAM ? " AND NOT p.private" : "",
	         s->out ? " AND p.id NOT IN (SELECT value FROM json_each(?8))" : "");
}

static int pick_driver(const struct page *pg, const struct seg *s)
{
	const kith_person_query *q = pg->q;

	return s->in ? DRV_SET : pg->words ? DRV_WORDS : q->org ? DRV_ORG :
	       q->former_org ? DRV_FORMER : q->tag ? DRV_TAG : q->city ? DRV_CITY :
	       q->country ? DRV_COUNTRY : DRV_NONE;
}

/* The statement of segment s: cols of its rows, then tail (order, limit). */
static int seg_sql(const struct page *pg, const struct seg *s, const char *cols,
                   const char *tail, char *sql, size_t sz)
{
	char where[1600];

	filters_sql(pg, s, where, sizeof(where));
	if (s->driver != DRV_NONE)
		return snprintf(sql, sz, "SELECT %s FROM person p WHERE p.id IN (%s)%s%s", cols,
		                driver_sql[s->driver], where, tail) >= (int)sz;
	/* plan: scan -- no filter: the sort's covering index, to offset + limit rows */
	return snprintf(sql, sz, "SELECT %s FROM person p WHERE 1%s%s", cols, where, tail) >= (int)sz;
}

static void bind_seg(sqlite3_stmt *st, const struct page *pg, const struct seg *s)
{
	const kith_person_query *q = pg->q;

	if (s->in)
		kith__bind_text(st, 1, s->in);
	if (pg->words)
		kith__bind_text(st, 2, pg->words);
	if (q->tag)
		kith__bind_text(st, 3, q->tag);
	if (q->city)
		kith__bind_text(st, 4, q->city);
	if (q->country)
		kith__bind_text(st, 5, q->country);
	if (q->org)
		sqlite3_bind_int64(st, 6, q->org);
	if (q->former_org)
		sqlite3_bind_int64(st, 7, q->former_org);
	if (s->out)
		kith__bind_text(st, 8, s->out);
}

static int seg_count(const struct page *pg, struct seg *s, kith_error *err)
{
	char sql[2048];
	sqlite3_stmt *st;
	int rc;

	if (seg_sql(pg, s, "count(*)", "", sql, sizeof(sql)))
		return kith_error_set(err, KITH_EINTERNAL, "person query too long");
	if ((rc = kith__prepare(pg->db, sql, &st, err)))
		return rc;
	bind_seg(st, pg, s);
	rc = sqlite3_step(st);
	s->count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KITH_OK : kith__sqlerr(pg->db, rc, "count people", err);
}

/* Up to limit rows of s from offset on, after key *after when given,
 * onto ids; *last gets the last row's key (name on the heap). */
static int seg_rows(const struct page *pg, const struct seg *s, const struct key *after,
                    size_t limit, size_t offset, kith_idv *ids, struct key *last,
                    kith_error *err)
{
	int dr = s->driver != DRV_NONE, timed = s->sort != KITH_PERSON_SORT_NAME;
	const char *dir = pg->desc ? " DESC" : "", *cmp = pg->desc ? "<" : ">";
	char tail[640], cols[96], sql[2800];
	sqlite3_stmt *st;
	size_t len = 0;
	int rc, oom = 0;

	if (after && timed)
		len += (size_t)snprintf(tail, sizeof(tail),
		                        " AND (%s, %s, %s) %s (?11, ?9 COLLATE NOCASE, ?10)",
		                        key_time[s->sort][dr], cur_name[dr], key_id[dr], cmp);
	else if (after)
		len += (size_t)snprintf(tail, sizeof(tail), " AND (%s, %s) %s (?9 COLLATE NOCASE, ?10)",
		                        cur_name[dr], key_id[dr], cmp);
	else
		tail[0] = '\0';
	if (timed)
		len += (size_t)snprintf(tail + len, sizeof(tail) - len, " ORDER BY %s%s,",
		                        key_time[s->sort][dr], dir);
	else
		len += (size_t)snprintf(tail + len, sizeof(tail) - len, " ORDER BY");
	snprintf(tail + len, sizeof(tail) - len, " %s%s, %s%s LIMIT ?12 OFFSET ?13",
	         key_name[dr], dir, key_id[dr], dir);
	snprintf(cols, sizeof(cols), "p.id, p.display_name, %s",
	         timed ? key_time[s->sort][0] : "0");
	if (seg_sql(pg, s, cols, tail, sql, sizeof(sql)))
		return kith_error_set(err, KITH_EINTERNAL, "person query too long");
	if ((rc = kith__prepare(pg->db, sql, &st, err)))
		return rc;
	bind_seg(st, pg, s);
	if (after) {
		kith__bind_text(st, 9, after->name);
		sqlite3_bind_int64(st, 10, after->id);
		sqlite3_bind_int64(st, 11, after->t);
	}
	sqlite3_bind_int64(st, 12, (sqlite3_int64)limit);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)offset);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		oom = kith_idv_push(ids, sqlite3_column_int64(st, 0)) != 0;
		free(last->name);
		*last = (struct key){0, sqlite3_column_int64(st, 2), kith__col_dup(st, 1, &oom),
		                     sqlite3_column_int64(st, 0)};
	}
	sqlite3_finalize(st);
	if (oom)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(pg->db, rc, "list people", err);
}

/* --- the set, sorted here ------------------------------------------------------ */

struct entry {
	kith_id id;
	double v;
};

static int by_id(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* The order of value sorts: value, then name (as COLLATE NOCASE), then id. */
static int key_cmp(const struct key *a, const struct key *b)
{
	int c;

	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	if ((c = sqlite3_stricmp(a->name ? a->name : "", b->name ? b->name : "")))
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

static int key_qcmp(const void *a, const void *b)
{
	return key_cmp(a, b);
}

/* A JSON array of the ids of v[i] for which keep(v[i]) (NULL: all). */
static char *ids_json(const struct entry *v, size_t n, const kith_person_query *q,
                      int (*keep)(const struct entry *, const kith_person_query *))
{
	size_t cap = 3 + n * 21, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[len++] = '[';
	for (size_t i = 0; i < n; i++)
		if (!keep || keep(&v[i], q))
			len += (size_t)snprintf(s + len, cap - len, "%s%lld", len > 1 ? "," : "",
			                        (long long)v[i].id);
	snprintf(s + len, cap - len, "]");
	return s;
}

static int in_range(double v, const kith_person_query *q)
{
	return !q->ranged || (v >= q->min_value && v <= q->max_value);
}

static int nonzero(const struct entry *e, const kith_person_query *q)
{
	(void)q;
	return e->v != 0;
}

static int nonzero_in_range(const struct entry *e, const kith_person_query *q)
{
	return e->v != 0 && in_range(e->v, q);
}

static int nonzero_out_of_range(const struct entry *e, const kith_person_query *q)
{
	return e->v != 0 && !in_range(e->v, q);
}

static int any_in_range(const struct entry *e, const kith_person_query *q)
{
	return in_range(e->v, q);
}

/* The set's rows that pass the filters, with their keys, sorted. */
static int set_rows(const struct page *pg, const char *in, const struct entry *set, size_t nset,
                    struct key **out, size_t *n, kith_error *err)
{
	struct seg s = {.sort = KITH_PERSON_SORT_NAME, .in = in};
	char sql[2048];
	sqlite3_stmt *st;
	struct key *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	s.driver = DRV_SET;
	if (seg_sql(pg, &s, "p.id, p.display_name", "", sql, sizeof(sql)))
		return kith_error_set(err, KITH_EINTERNAL, "person query too long");
	if ((rc = kith__prepare(pg->db, sql, &st, err)))
		return rc;
	bind_seg(st, pg, &s);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct entry k = {.id = sqlite3_column_int64(st, 0)}, *e;
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 64)) {
			oom = 1;
			break;
		}
		e = nset ? bsearch(&k, set, nset, sizeof(*set), by_id) : NULL;
		v[cnt] = (struct key){e ? e->v : 0, 0, kith__col_dup(st, 1, &oom), k.id};
		cnt++;
	}
	sqlite3_finalize(st);
	if (oom || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
		for (size_t i = 0; i < cnt; i++)
			free(v[i].name);
		free(v);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(pg->db, rc, "list people", err);
	}
	if (cnt)  /* v is NULL when nobody matched */
		qsort(v, cnt, sizeof(*v), key_qcmp);
	for (size_t i = 0; pg->desc && i < cnt / 2; i++) {
		struct key t = v[i];
		v[i] = v[cnt - 1 - i];
		v[cnt - 1 - i] = t;
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

/* --- cursors -------------------------------------------------------------------- */

/* "<sort><a|d>_<id>_<value or time>_<name in hex>": the last row's key. */
static char *cursor_make(int sort, int desc, const struct key *k)
{
	size_t nl = k->name ? strlen(k->name) : 0, cap = nl * 2 + 80, len;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	if (sort == KITH_PERSON_SORT_VALUE)
		len = (size_t)snprintf(s, cap, "%d%c_%lld_%.17g_", sort, desc ? 'd' : 'a',
		                       (long long)k->id, k->v);
	else
		len = (size_t)snprintf(s, cap, "%d%c_%lld_%lld_", sort, desc ? 'd' : 'a',
		                       (long long)k->id, (long long)k->t);
	for (size_t i = 0; i < nl; i++)
		len += (size_t)snprintf(s + len, cap - len, "%02x", (unsigned char)k->name[i]);
	return s;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int cursor_parse(const char *s, int sort, int desc, struct key *k, kith_error *err)
{
	const char *p = s, *hex;
	char *end;
	size_t nh;

	memset(k, 0, sizeof(*k));
	if (strlen(s) > KITH_PERSON_CURSOR_MAX || p[0] != '0' + sort ||
	    p[1] != (desc ? 'd' : 'a') || p[2] != '_')
		return kith_error_set(err, KITH_EINVAL, "the cursor is not one of this sort and order");
	p += 3;
	k->id = strtoll(p, &end, 10);
	if (end == p || *end != '_' || k->id <= 0)
		goto bad;
	p = end + 1;
	if (sort == KITH_PERSON_SORT_VALUE)
		k->v = strtod(p, &end);
	else
		k->t = strtoll(p, &end, 10);
	if (end == p || *end != '_')
		goto bad;
	hex = end + 1;
	nh = strlen(hex);
	if (nh % 2 || !(k->name = malloc(nh / 2 + 1)))
		goto bad;
	for (size_t i = 0; i < nh / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			goto bad;
		k->name[i] = (char)(hi * 16 + lo);
	}
	k->name[nh / 2] = '\0';
	return KITH_OK;
bad:
	free(k->name);
	k->name = NULL;
	return kith_error_set(err, KITH_EINVAL, "the cursor is malformed");
}

/* --- the page --------------------------------------------------------------------- */

/* Where a page starts: skip rows of earlier parts, then within a part. */
struct pos {
	const struct key *after;  /* in the current part, or NULL */
	size_t skip;              /* rows still to skip (offset) */
	int started;              /* the cursor's part is behind us */
};

/* Rows of the sorted set part onto ids, from pos. */
static int take_set(struct key *v, size_t n, int part_has_cursor, struct pos *at, size_t limit,
                    kith_idv *ids, struct key *last, int desc)
{
	size_t i = 0;

	if (part_has_cursor) {
		while (i < n && (desc ? -1 : 1) * key_cmp(&v[i], at->after) <= 0)
			i++;
		at->started = 1;
	} else if (!at->started) {
		return KITH_OK;   /* the cursor is in a later part */
	}
	if (at->skip >= n - i) {
		at->skip -= n - i;
		return KITH_OK;
	}
	i += at->skip;
	at->skip = 0;
	for (; i < n && ids->n < limit; i++) {
		if (kith_idv_push(ids, v[i].id))
			return KITH_ENOMEM;
		free(last->name);
		*last = v[i];
		last->name = kith__strdup(v[i].name);
	}
	return KITH_OK;
}

static int take_seg(const struct page *pg, struct seg *s, int part_has_cursor, struct pos *at,
                    size_t limit, kith_idv *ids, struct key *last, kith_error *err)
{
	if (part_has_cursor) {
		at->started = 1;
		return seg_rows(pg, s, at->after, limit - ids->n, 0, ids, last, err);
	}
	if (!at->started)
		return KITH_OK;
	if ((int64_t)at->skip >= s->count) {
		at->skip -= (size_t)s->count;
		return KITH_OK;
	}
	size_t off = at->skip;
	at->skip = 0;
	return ids->n < limit ? seg_rows(pg, s, NULL, limit - ids->n, off, ids, last, err)
	                      : KITH_OK;
}

/* Sorting on the values: the set's rows sorted here, and everyone else
 * (value 0) in name order, after them (desc) or before. */
static int value_page(struct page *pg, const struct entry *set, size_t nset, const struct key *cur,
                      kith_idv *ids, struct key *last, int64_t *total, kith_error *err)
{
	const kith_person_query *q = pg->q;
	int zero = !q->set_only && in_range(0, q);
	char *in = ids_json(set, nset, q, q->set_only ? any_in_range : nonzero_in_range);
	char *out = zero ? ids_json(set, nset, q, nonzero) : NULL;
	struct seg s = {.sort = KITH_PERSON_SORT_NAME, .out = out};
	struct key *v = NULL;
	size_t nv = 0;
	struct pos at = {cur, q->offset, !cur};
	int rc, cur_in_set = cur && (q->set_only || cur->v != 0);

	if (!in || (zero && !out)) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = set_rows(pg, in, set, nset, &v, &nv, err)))
		goto done;
	s.driver = pick_driver(pg, &s);
	if (zero && (rc = seg_count(pg, &s, err)))
		goto done;
	*total = (int64_t)nv + (zero ? s.count : 0);
	if (!q->limit)
		goto done;
	if (pg->desc) {
		if ((rc = take_set(v, nv, cur_in_set, &at, q->limit, ids, last, 1)))
			goto oom;
		if (zero && ids->n < q->limit)
			rc = take_seg(pg, &s, cur && !cur_in_set, &at, q->limit, ids, last, err);
	} else {
		if (zero)
			rc = take_seg(pg, &s, cur && !cur_in_set, &at, q->limit, ids, last, err);
		if (!rc && ids->n < q->limit && take_set(v, nv, cur_in_set, &at, q->limit, ids, last, 0))
			goto oom;
	}
	goto done;
oom:
	rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
done:
	for (size_t i = 0; i < nv; i++)
		free(v[i].name);
	free(v);
	free(in);
	free(out);
	return rc;
}

/* Sorting on name or time: one run in SQL, the set (if any) as ids the
 * rows must be among (set_only, or a range without 0) or not among (the
 * set's values outside a range with 0). */
static int sql_page(struct page *pg, const struct entry *set, size_t nset, const struct key *cur,
                    kith_idv *ids, struct key *last, int64_t *total, kith_error *err)
{
	const kith_person_query *q = pg->q;
	int restrict_ = q->set_only || (q->ranged && !in_range(0, q));
	int exclude = !restrict_ && q->ranged;
	char *in = restrict_ ? ids_json(set, nset, q, any_in_range) : NULL;
	char *out = exclude ? ids_json(set, nset, q, nonzero_out_of_range) : NULL;
	struct seg s = {.sort = q->sort, .in = in, .out = out};
	struct pos at = {cur, q->offset, !cur};
	int rc;

	if ((restrict_ && !in) || (exclude && !out)) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto done;
	}
	s.driver = pick_driver(pg, &s);
	if ((rc = seg_count(pg, &s, err)))
		goto done;
	*total = s.count;
	if (q->limit)
		rc = take_seg(pg, &s, cur != NULL, &at, q->limit, ids, last, err);
done:
	free(in);
	free(out);
	return rc;
}

int kith_person_page(kith_db *db, const kith_person_query *q, kith_id **ids, size_t *n,
                     int64_t *total, char **next, kith_error *err)
{
	struct page pg = {db, q, NULL, q->desc != 0};
	struct entry *set = NULL;
	struct key cur = {0}, last = {0};
	kith_idv out = {0};
	char *words = NULL;
	int rc = KITH_OK;

	*ids = NULL;
	*n = 0;
	*total = 0;
	if (next)
		*next = NULL;
	if (q->sort < 0 || q->sort > KITH_PERSON_SORT_VALUE)
		return kith_error_set(err, KITH_EINVAL, "unknown sort order");
	if (q->ranged && q->min_value > q->max_value)
		return kith_error_set(err, KITH_EINVAL, "the lower bound is above the upper one");
	if (q->cursor && q->offset)
		return kith_error_set(err, KITH_EINVAL, "give a cursor or an offset, not both");
	if (q->cursor && (rc = cursor_parse(q->cursor, q->sort, pg.desc, &cur, err)))
		return rc;
	if (q->nset && !(set = malloc(q->nset * sizeof(*set)))) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < q->nset; i++)
		set[i] = (struct entry){q->set[i], q->values && q->values[i] > 0 ? q->values[i] : 0};
	if (q->nset)
		qsort(set, q->nset, sizeof(*set), by_id);
	if (q->words) {
		if (!(words = kith__fts_query(q->words, "name"))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto done;
		}
		if (!*words)  /* nothing to match on: punctuation only */
			goto done;
		pg.words = words;
	}
	rc = q->sort == KITH_PERSON_SORT_VALUE
	     ? value_page(&pg, set, q->nset, q->cursor ? &cur : NULL, &out, &last, total, err)
	     : sql_page(&pg, set, q->nset, q->cursor ? &cur : NULL, &out, &last, total, err);
	if (!rc && next && out.n && out.n == q->limit &&
	    (q->cursor || (int64_t)(q->offset + out.n) < *total) &&
	    !(*next = cursor_make(q->sort, pg.desc, &last)))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
done:
	free(set);
	free(words);
	free(cur.name);
	free(last.name);
	if (rc) {
		kith_idv_clear(&out);
		*total = 0;
		return rc;
	}
	*ids = out.v;
	*n = out.n;
	return KITH_OK;
}
