/*
 * Capture of links alone: a network loaded in one statement instead of a
 * `kith link` per pair.  Two inputs:
 *
 *   CSV     a,b,kind,since,trust (a header line is allowed), each end
 *           named by id ("12" or "#12"), email, or the source key of an
 *           earlier import;
 *   GraphML kith's own export (src/export/graph_out.c): nodes are found
 *           by their email when they have one, else by id.
 *
 * Every end is resolved against what the importing member sees (the
 * database's own user sees everyone), so a hidden person is answered as a
 * missing one.  Rows that name nobody, an unknown kind, a bad date or
 * trust are rejected with their line; a link already there is unchanged.
 * The valid rows go in with one INSERT ... SELECT (store/feed.c) inside
 * the import's transaction: all or nothing, and a dry run rolls it back.
 *
 * A large file (BULK_MIN rows or more) goes in with the link table's
 * triggers off for that statement, and their work done after it once
 * for all the new rows (bulk_after): per row they cost more than the row
 * (five triggers writing four tables, 16M times for a network).  That is
 * done only while the triggers on link are the ones it knows
 * (bulk_triggers_known); a schema with another one takes the row path.
 * Rows go in sorted by pair, file order kept within a pair, so the
 * table and link_pair grow at their end and the first of a duplicate
 * still wins.  link_a and link_b would take each row at a random place;
 * when the file holds at least as many links as the table already has,
 * they are dropped while the rows go in and made again after, sorted
 * once by CREATE INDEX, in the same transaction (indexes_drop,
 * indexes_make).
 */
#include <csv.h>
#include <ctype.h>
#include <stdarg.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/feed.h"
#include "import_impl.h"

#define PROGRESS_EVERY (1u << 20)
/* Rows from which a file goes in with the triggers' work done in bulk;
 * $KITH_LINKS_BULK_MIN overrides it (the tests run both paths). */
#define BULK_MIN 4096

struct lrow {
	kith_id a, b;
	size_t seq;         /* its place in the file */
	const char *kind;   /* interned in kinds */
	char *since;
	double trust;       /* < 0: none */
};

struct lctx {
	kith_db *db;
	const kith_import_opts *o;
	kith_import_report *rep;
	kith_id member;                /* the author, 0: the database's user */
	int priv;                      /* the author's writes are private */
	GHashTable *kinds;             /* name -> itself, owned keys */
	GHashTable *refs;              /* ref text -> kith_id (0: nobody), cache */
	GHashTable *keys;              /* source key -> person id, loaded once */
	kith_id *ids;                  /* visible people, sorted */
	size_t nids;
	uint64_t *idbits;              /* the same as bits, when ids are dense */
	kith_id maxid;
	sqlite3_stmt *by_email;
	struct lrow *v;                /* kith__map_zero's, vmapped bytes */
	size_t n, cap, vmapped;
	uint32_t *order;               /* v's rows in pair order, or NULL: v's */
	size_t order_mapped;
	/* CSV state */
	char *field[6];                /* the row's fields, buffers reused */
	size_t fieldcap[6];
	int nfield;
	int64_t line;
	size_t done, next_progress;
	size_t len;
	kith_error *err;
	int rc;
};

/* --- the issue list (the sessionless twin of kith__import_issue) --------- */

__attribute__((format(printf, 3, 4)))
static int issue(struct lctx *c, int64_t line, const char *fmt, ...)
{
	va_list ap;
	kith_import_report *r = c->rep;
	kith_import_issue *v;
	char why[256];

	r->rejected++;
	r->records++;
	if (r->nissues >= KITH_IMPORT_MAX_ISSUES) {
		r->issues_dropped++;
		return KITH_OK;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!(v = realloc(r->issues, (r->nissues + 1) * sizeof(*v))))
		return kith_error_set(c->err, KITH_ENOMEM, "out of memory");
	r->issues = v;
	v[r->nissues] = (kith_import_issue){line, KITH_ISSUE_REJECTED, strdup(why)};
	if (!v[r->nissues].reason)
		return kith_error_set(c->err, KITH_ENOMEM, "out of memory");
	r->nissues++;
	return KITH_OK;
}

/* --- people by reference --------------------------------------------------- */

static int cmp_id(const void *x, const void *y)
{
	kith_id a = *(const kith_id *)x, b = *(const kith_id *)y;

	return a < b ? -1 : a > b;
}

static int load_ids(struct lctx *c)
{
	sqlite3_stmt *st;
	size_t cap = 1024;
	int rc;

	/* main.person with the member's rule: the write handle has no view.
	 * plan: scan -- a bulk link import reads the ids it may name once */
	if ((rc = kith__prepare(c->db, "SELECT id FROM main.person WHERE ?1 = 0 OR private = 0"
	                        " OR owner = ?1 ORDER BY id", &st, c->err)))
		return rc;
	sqlite3_bind_int64(st, 1, c->member);
	if (!(c->ids = malloc(cap * sizeof(*c->ids))))
		rc = KITH_ENOMEM;
	while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (c->nids == cap) {
			kith_id *nv = realloc(c->ids, (cap *= 2) * sizeof(*nv));
			if (!nv) {
				rc = KITH_ENOMEM;
				break;
			}
			c->ids = nv;
		}
		c->ids[c->nids++] = sqlite3_column_int64(st, 0);
		rc = KITH_OK;
	}
	sqlite3_finalize(st);
	if (rc == KITH_ENOMEM)
		return kith_error_set(c->err, KITH_ENOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return kith__sqlerr(c->db, rc, "import links", c->err);
	/* Ids are dense as a rule: then a bit each answers visible() at once
	 * (a binary search for each end was a tenth of a 16M-link import). */
	c->maxid = c->nids ? c->ids[c->nids - 1] : 0;
	if (c->nids && (uint64_t)c->maxid / 16 <= c->nids &&
	    (c->idbits = calloc((size_t)c->maxid / 64 + 1, sizeof(*c->idbits))))
		for (size_t i = 0; i < c->nids; i++)
			c->idbits[c->ids[i] / 64] |= (uint64_t)1 << (c->ids[i] % 64);
	return KITH_OK;
}

/* The source keys the member's imports left (their scope only). */
static int load_keys(struct lctx *c)
{
	sqlite3_stmt *st;
	int rc;

	c->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if ((rc = kith__prepare(c->db, "SELECT key, person_id FROM import_source"
	                        " WHERE person_id IS NOT NULL AND scope = ?1", &st, c->err)))
		return rc;
	sqlite3_bind_int64(st, 1, c->member);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_insert(c->keys, g_strdup((const char *)sqlite3_column_text(st, 0)),
		                    GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 1)));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(c->db, rc, "import links", c->err);
}

static int visible(const struct lctx *c, kith_id id)
{
	if (c->idbits)
		return id > 0 && id <= c->maxid && c->idbits[id / 64] >> (id % 64) & 1;
	return bsearch(&id, c->ids, c->nids, sizeof(id), cmp_id) != NULL;
}

/* The person ref names, or 0 for nobody (the member may not see them). */
static int resolve(struct lctx *c, const char *ref, kith_id *out)
{
	gpointer hit;
	const char *p = ref[0] == '#' ? ref + 1 : ref;
	char *end;
	long long n;
	int rc;

	*out = 0;
	/* An id is read faster than it is looked up in the cache. */
	n = *p && isdigit((unsigned char)*p) ? strtoll(p, &end, 10) : 0;
	if (n > 0 && *end == '\0') {
		*out = visible(c, n) ? n : 0;
		return KITH_OK;
	}
	if (g_hash_table_lookup_extended(c->refs, ref, NULL, &hit)) {
		*out = (kith_id)GPOINTER_TO_SIZE(hit);
		return KITH_OK;
	}
	if (strchr(ref, '@')) {
		sqlite3_bind_text(c->by_email, 1, ref, -1, SQLITE_TRANSIENT);
		while ((rc = sqlite3_step(c->by_email)) == SQLITE_ROW && !*out) {
			kith_id id = sqlite3_column_int64(c->by_email, 0);
			if (visible(c, id))
				*out = id;
		}
		sqlite3_reset(c->by_email);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return kith__sqlerr(c->db, rc, "import links", c->err);
	} else {
		if (!c->keys && (rc = load_keys(c)))
			return rc;
		hit = g_hash_table_lookup(c->keys, ref);
		*out = hit && visible(c, (kith_id)GPOINTER_TO_SIZE(hit))
		       ? (kith_id)GPOINTER_TO_SIZE(hit) : 0;
	}
	g_hash_table_insert(c->refs, g_strdup(ref), GSIZE_TO_POINTER((gsize)*out));
	return KITH_OK;
}

/* The lines of data: at least its CSV rows but for quoted line breaks. */
static size_t lines(const char *data, size_t len)
{
	size_t n = 1;

	for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	return n;
}

/* Room for cap rows.  The rows of a large file are hundreds of megabytes:
 * they live in a mapping on huge pages (kith__map_zero), sized once from
 * the file's line count, so they are neither faulted in 4 KiB at a time
 * nor copied as they grow. */
static int rows_reserve(struct lctx *c, size_t cap)
{
	size_t mapped;
	struct lrow *v;

	if (cap <= c->cap)
		return KITH_OK;
	if (cap > SIZE_MAX / sizeof(*v) || !(v = kith__map_zero(cap * sizeof(*v), &mapped)))
		return KITH_ENOMEM;
	if (c->n)
		memcpy(v, c->v, c->n * sizeof(*v));
	kith__unmap(c->v, c->vmapped);
	c->v = v;
	c->vmapped = mapped;
	c->cap = mapped / sizeof(*v);
	return KITH_OK;
}

/* --- one link ------------------------------------------------------------- */

static int valid_since(const char *s)
{
	size_t n = strlen(s);

	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static char *trim(char *s)
{
	char *e;

	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Checks one link and queues it; a bad one becomes an issue. */
static int add(struct lctx *c, int64_t line, char *a, char *b, char *kind, char *since,
               char *trust)
{
	struct lrow r = {0};
	char *end;
	int rc;

	a = trim(a);
	b = trim(b);
	kind = kind ? trim(kind) : NULL;
	since = since ? trim(since) : NULL;
	trust = trust ? trim(trust) : NULL;
	if (!*a || !*b)
		return issue(c, line, "a link needs two people");
	if ((rc = resolve(c, a, &r.a)) || (rc = resolve(c, b, &r.b)))
		return rc;
	if (!r.a)
		return issue(c, line, "no person '%s'", a);
	if (!r.b)
		return issue(c, line, "no person '%s'", b);
	if (r.a == r.b)
		return issue(c, line, "a link needs two different people");
	r.kind = g_hash_table_lookup(c->kinds, kind && *kind ? kind : "knows");
	if (!r.kind)
		return issue(c, line, "unknown link kind '%s'", kind);
	if (since && *since && !valid_since(since))
		return issue(c, line, "'%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", since);
	r.trust = -1;
	if (trust && *trust) {
		r.trust = strtod(trust, &end);
		if (*end || !(r.trust >= 0 && r.trust <= 1))
			return issue(c, line, "trust '%s' is not a number from 0 to 1", trust);
	}
	if (since && *since && !(r.since = strdup(since)))
		return kith_error_set(c->err, KITH_ENOMEM, "out of memory");
	if (c->n == c->cap && rows_reserve(c, c->cap ? c->cap * 2 : 1024)) {
		free(r.since);
		return kith_error_set(c->err, KITH_ENOMEM, "out of memory");
	}
	r.seq = c->n;
	c->v[c->n++] = r;
	c->rep->records++;
	return KITH_OK;
}

static void progress(struct lctx *c, size_t done)
{
	if (c->o && c->o->progress && done >= c->next_progress) {
		c->o->progress(c->o->progress_ctx, done, c->len);
		c->next_progress = done + PROGRESS_EVERY;
	}
}

/* --- CSV ------------------------------------------------------------------ */

static void on_field(void *s, size_t len, void *ctx)
{
	struct lctx *c = ctx;
	int i = c->nfield++;

	/* Into a buffer kept for the next rows: a malloc and a free a field
	 * were a sixth of a 16M-link import. */
	if (i >= 6 || c->rc)
		return;
	if (len + 1 > c->fieldcap[i]) {
		size_t cap = len + 1 > 64 ? len + 1 : 64;
		char *f = realloc(c->field[i], cap);
		if (!f) {
			c->rc = kith_error_set(c->err, KITH_ENOMEM, "out of memory");
			return;
		}
		c->field[i] = f;
		c->fieldcap[i] = cap;
	}
	if (len)
		memcpy(c->field[i], s, len);
	c->field[i][len] = '\0';
}

static void on_row(int ch, void *ctx)
{
	struct lctx *c = ctx;
	int n = c->nfield < 6 ? c->nfield : 6;

	(void)ch;
	c->line++;
	if (!c->rc && !(c->line == 1 && n >= 2 && (!strcasecmp(trim(c->field[0]), "a") ||
	                                           !strcasecmp(trim(c->field[0]), "from")))) {
		if (n == 1 && !*trim(c->field[0]))
			;   /* a blank line */
		else if (n < 2 || c->nfield > 5)
			c->rc = issue(c, c->line, "a link is a,b[,kind[,since[,trust]]]");
		else
			c->rc = add(c, c->line, c->field[0], c->field[1], n > 2 ? c->field[2] : NULL,
			            n > 3 ? c->field[3] : NULL, n > 4 ? c->field[4] : NULL);
	}
	c->nfield = 0;
}

static int parse_csv(struct lctx *c, const char *data, size_t len)
{
	struct csv_parser p;
	size_t off = 0;

	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return kith_error_set(c->err, KITH_ENOMEM, "out of memory");
	while (off < len && !c->rc) {
		size_t k = len - off < PROGRESS_EVERY ? len - off : PROGRESS_EVERY;
		if (csv_parse(&p, data + off, k, on_field, on_row, c) != k) {
			c->rc = kith_error_set(c->err, KITH_EINVAL, "line %lld: %s",
			                       (long long)c->line + 1, csv_strerror(csv_error(&p)));
			break;
		}
		off += k;
		progress(c, off);
	}
	if (!c->rc)
		csv_fini(&p, on_field, on_row, c);
	csv_free(&p);
	for (int i = 0; i < 6; i++)
		free(c->field[i]);
	return c->rc;
}

/* --- GraphML (kith's export) ------------------------------------------------ */

static char *unescape(char *s)
{
	static const struct { const char *e; char c; } ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	char *w = s;

	for (char *r = s; *r;) {
		size_t i;
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
			if (strncmp(r, ents[i].e, strlen(ents[i].e)) == 0)
				break;
		if (i < sizeof(ents) / sizeof(ents[0])) {
			*w++ = ents[i].c;
			r += strlen(ents[i].e);
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

/* The value of attribute name in the tag at p (up to '>'), unescaped. */
static char *attr(const char *p, const char *end, const char *name)
{
	size_t nl = strlen(name);

	for (const char *q = p; q + nl + 2 < end && *q != '>'; q++)
		if (isspace((unsigned char)q[-1]) && strncmp(q, name, nl) == 0 && q[nl] == '=' &&
		    q[nl + 1] == '"') {
			const char *v = q + nl + 2, *e = memchr(v, '"', (size_t)(end - v));
			return e ? unescape(g_strndup(v, (size_t)(e - v))) : NULL;
		}
	return NULL;
}

/* The text of <data key="key"> inside [p, end), or NULL. */
static char *data_of(const char *p, const char *end, const char *key)
{
	char pat[64];
	const char *q, *e;

	snprintf(pat, sizeof(pat), "<data key=\"%s\">", key);
	q = g_strstr_len(p, end - p, pat);
	if (!q)
		return NULL;
	q += strlen(pat);
	e = g_strstr_len(q, end - q, "</data>");
	return e ? unescape(g_strndup(q, (size_t)(e - q))) : NULL;
}

static int64_t line_at(const char *p, const char **mark, int64_t *line)
{
	for (const char *q = *mark; q < p; q++)
		if (*q == '\n')
			(*line)++;
	*mark = p;
	return *line + 1;
}

static int parse_graphml(struct lctx *c, const char *data, size_t len)
{
	const char *end = data + len, *p = data, *mark = data;
	GHashTable *node = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	int64_t line = 0;
	int rc = KITH_OK;

	/* Nodes first: an email names a person in any database. */
	while (!rc && (p = g_strstr_len(p, end - p, "<node "))) {
		const char *close = g_strstr_len(p, end - p, "</node>");
		const char *stop = close ? close : end;
		char *id = attr(p + 5, stop, "id"), *email = data_of(p, stop, "email");
		if (id)
			g_hash_table_insert(node, id, email ? email
			                    : g_strdup_printf("#%s", id[0] == 'p' ? id + 1 : id));
		else
			g_free(email);
		p = stop;
	}
	for (p = data; !rc && (p = g_strstr_len(p, end - p, "<edge ")); ) {
		const char *close = g_strstr_len(p, end - p, "</edge>");
		const char *stop = close ? close : end;
		char *s = attr(p + 5, stop, "source"), *t = attr(p + 5, stop, "target");
		char *kind = data_of(p, stop, "kind"), *since = data_of(p, stop, "since");
		char *trust = data_of(p, stop, "weight");
		const char *ra = s ? g_hash_table_lookup(node, s) : NULL;
		const char *rb = t ? g_hash_table_lookup(node, t) : NULL;
		char *ca = g_strdup(ra ? ra : s ? s : ""), *cb = g_strdup(rb ? rb : t ? t : "");
		rc = add(c, line_at(p, &mark, &line), ca, cb, kind, since, trust);
		g_free(ca);
		g_free(cb);
		g_free(s);
		g_free(t);
		g_free(kind);
		g_free(since);
		g_free(trust);
		p = stop;
		progress(c, (size_t)(p - data));
	}
	g_hash_table_destroy(node);
	return rc;
}

/* --- writing -------------------------------------------------------------- */

static void row_column(const void *data, size_t i, int col, sqlite3_context *ctx)
{
	const struct lctx *c = data;
	const struct lrow *r = &c->v[c->order ? c->order[i] : i];

	switch (col) {
	case 0: sqlite3_result_int64(ctx, r->a); break;
	case 1: sqlite3_result_int64(ctx, r->b); break;
	case 2: sqlite3_result_text(ctx, r->kind, -1, SQLITE_STATIC); break;
	case 3:
		if (r->since)
			sqlite3_result_text(ctx, r->since, -1, SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
		break;
	default:
		if (r->trust >= 0)
			sqlite3_result_double(ctx, r->trust);
		else
			sqlite3_result_null(ctx);
	}
}

static int load_kinds(struct lctx *c)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(c->db, "SELECT name FROM link_kind", &st, c->err);

	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *k = g_strdup((const char *)sqlite3_column_text(st, 0));
		g_hash_table_insert(c->kinds, k, k);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(c->db, rc, "import links", c->err);
}

static int read_member(struct lctx *c)
{
	sqlite3_stmt *st;

	/* No table: no author was ever set on this handle. */
	if (sqlite3_prepare_v2(kith_db_sqlite(c->db), "SELECT member, private FROM temp.author",
	                       -1, &st, NULL) != SQLITE_OK)
		return KITH_OK;
	if (sqlite3_step(st) == SQLITE_ROW) {
		c->member = sqlite3_column_int64(st, 0);
		c->priv = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_finalize(st);
	return KITH_OK;
}

/* By pair (either way round), then by place in the file. */
static int cmp_pair(const void *x, const void *y)
{
	const struct lrow *a = x, *b = y;
	kith_id a0 = a->a < a->b ? a->a : a->b, a1 = a->a < a->b ? a->b : a->a;
	kith_id b0 = b->a < b->b ? b->a : b->b, b1 = b->a < b->b ? b->b : b->a;

	if (a0 != b0)
		return a0 < b0 ? -1 : 1;
	if (a1 != b1)
		return a1 < b1 ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Whether v is in cmp_pair's order already: then one pass, no sort. */
static int sorted_by_pair(const struct lrow *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_pair(&v[i - 1], &v[i]) > 0)
			return 0;
	return 1;
}

/*
 * Sets c->order to the rows in cmp_pair's order: a least-significant-
 * digit radix sort, a byte at a time, of the key (smaller id << 32 |
 * larger id), which keeps file order among equal keys as cmp_pair does.
 * qsort of the 48-byte rows took 7.5 s for 16M; this takes about one.
 * Bytes that are the same in every key are skipped.  Returns 0, or -1
 * when an id does not fit in 32 bits or memory is short (the caller then
 * sorts v itself).
 */
static int order_by_pair(struct lctx *c)
{
	size_t n = c->n, count[256], mk = 0, mk2 = 0, mr = 0, mr2 = 0;
	uint64_t *key = NULL, *key2 = NULL;
	uint32_t *row = NULL, *row2 = NULL;

	if (n > UINT32_MAX)
		return -1;
	key = kith__map_zero(n * sizeof(*key), &mk);
	key2 = kith__map_zero(n * sizeof(*key2), &mk2);
	row = kith__map_zero(n * sizeof(*row), &mr);
	row2 = kith__map_zero(n * sizeof(*row2), &mr2);
	if (!key || !key2 || !row || !row2)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		kith_id lo = c->v[i].a < c->v[i].b ? c->v[i].a : c->v[i].b;
		kith_id hi = c->v[i].a < c->v[i].b ? c->v[i].b : c->v[i].a;
		if (lo < 0 || hi > (kith_id)UINT32_MAX)
			goto fail;
		key[i] = (uint64_t)lo << 32 | (uint64_t)hi;
		row[i] = (uint32_t)i;
	}
	for (int shift = 0; shift < 64; shift += 8) {
		size_t sum = 0;
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[key[i] >> shift & 0xff]++;
		if (count[key[0] >> shift & 0xff] == n)
			continue;
		for (int d = 0; d < 256; d++) {
			size_t k = count[d];
			count[d] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++) {
			size_t at = count[key[i] >> shift & 0xff]++;
			key2[at] = key[i];
			row2[at] = row[i];
		}
		uint64_t *tk = key;
		uint32_t *tr = row;
		size_t t = mk;
		key = key2, key2 = tk, mk = mk2, mk2 = t;
		t = mr;
		row = row2, row2 = tr, mr = mr2, mr2 = t;
	}
	kith__unmap(key, mk);
	kith__unmap(key2, mk2);
	kith__unmap(row2, mr2);
	c->order = row;
	c->order_mapped = mr;
	return 0;
fail:
	kith__unmap(key, mk);
	kith__unmap(key2, mk2);
	kith__unmap(row, mr);
	kith__unmap(row2, mr2);
	return -1;
}

static size_t bulk_min(void)
{
	const char *e = getenv("KITH_LINKS_BULK_MIN");
	char *end;
	unsigned long long v;

	if (!e || !*e)
		return BULK_MIN;
	v = strtoull(e, &end, 10);
	return *end ? BULK_MIN : (size_t)v;
}

/*
 * Whether the triggers that fire on a new link are exactly those
 * bulk_after does the work of: the schema's three (privacy spread from a
 * private person, the CardDAV change log, the graph index change log,
 * whose rows move the graph generation) and the author's stamp on this
 * handle.
 */
static int bulk_triggers_known(struct lctx *c, int *known)
{
	static const char *const names[] = {
		"private_link_ins", "card_link_ins", "graph_log_link_ins",
	};
	sqlite3_stmt *st;
	int rc, n = 0, other = 0;

	*known = 0;
	/* plan: scan -- the schema tables, not the network's */
	if ((rc = kith__prepare(c->db, "SELECT name FROM sqlite_schema WHERE type = 'trigger'"
	                        " AND tbl_name = 'link' AND sql LIKE '%AFTER INSERT%'"
	                        " UNION ALL SELECT name FROM sqlite_temp_schema"
	                        " WHERE type = 'trigger' AND tbl_name = 'link'", &st, c->err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int hit = strcmp(name, "author_link") == 0;
		for (size_t i = 0; !hit && i < sizeof(names) / sizeof(names[0]); i++)
			hit = strcmp(name, names[i]) == 0;
		n += hit;
		other |= !hit;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(c->db, rc, "import links", c->err);
	*known = !other && n >= 3;
	return KITH_OK;
}

/* What the triggers on link would have done for the rows from id first
 * on, done once for all of them (see the file's comment).  Each statement
 * is sized by what it finds, not by the new rows where it can be: the
 * privacy spread starts from the private people (few), and the CardDAV
 * log, once the new links outnumber the people, asks each person whether
 * they have a new link (two index seeks) instead of gathering the ends
 * of every new link. */
static int bulk_after(struct lctx *c, kith_id first, int64_t created)
{
	/* plan: scan -- the partial index of private people: their count */
	static const char spread[] =
		"UPDATE main.link SET private = 1, owner = (SELECT owner FROM main.person"
		"  WHERE id IN (link.a, link.b) AND private ORDER BY id LIMIT 1)"
		" WHERE id IN (SELECT l.id FROM main.person p INDEXED BY person_private"
		"  CROSS JOIN main.link l ON l.a = p.id WHERE p.private AND l.id >= ?1"
		"  AND NOT l.private UNION SELECT l.id FROM main.person p INDEXED BY person_private"
		"  CROSS JOIN main.link l ON l.b = p.id WHERE p.private AND l.id >= ?1"
		"  AND NOT l.private)";
	static const char cards_of_links[] =
		"INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
		" FROM main.person WHERE id IN (SELECT a FROM main.link WHERE id >= ?1"
		"  UNION SELECT b FROM main.link WHERE id >= ?1)";
	/* plan: scan -- every person, when the new links outnumber them */
	static const char cards_of_people[] =
		"INSERT INTO card_change(person_id, owner, private) SELECT id, owner, private"
		" FROM main.person p WHERE EXISTS (SELECT 1 FROM main.link WHERE a = p.id"
		"  AND id >= ?1) OR EXISTS (SELECT 1 FROM main.link WHERE b = p.id AND id >= ?1)"
		" ORDER BY id";
	static const char pairs[] =
		"INSERT INTO graph_change(a, b, tok) SELECT a, b, random() FROM main.link"
		" WHERE id >= ?1";
	/* the largest person id: the count of people, or more */
	int64_t people = 0;
	int rc = kith__query_int64(c->db, "SELECT coalesce(max(id), 0) FROM main.person", 0,
	                           &people, "import links", c->err);
	/* Past the index's own rewrite point, readers are told to rebuild
	 * (one "every pair moved" row) instead of reading every pair. */
	const char *const sql[] = {spread, created > people ? cards_of_people : cards_of_links,
		created > KITH__GRAPH_REWRITE_AFTER
		? "INSERT INTO graph_change(a, b, tok) VALUES (0, -2, random())"
		: pairs,
		"UPDATE graph_state SET generation = generation + 1, token = random()"
		" WHERE id = 1"};
	sqlite3_stmt *st;

	for (size_t i = 0; !rc && i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((rc = kith__prepare(c->db, sql[i], &st, c->err)))
			break;
		if (sqlite3_bind_parameter_count(st))
			sqlite3_bind_int64(st, 1, first);
		rc = kith__step_done(c->db, st, "import links", c->err);
		sqlite3_finalize(st);
	}
	return rc;
}

/* The indexes a large file is inserted without (see the file's comment). */
static const char *const sorted_later[] = {"link_a", "link_b"};
#define NSORTED (sizeof(sorted_later) / sizeof(sorted_later[0]))

/* Reads the CREATE statements of sorted_later into sql and drops the
 * indexes; a schema without one of them keeps them all (sql all NULL). */
static int indexes_drop(struct lctx *c, char *sql[NSORTED])
{
	sqlite3_stmt *st;
	char *drop;
	int rc;

	/* plan: scan -- the schema table, not the network's */
	if ((rc = kith__prepare(c->db, "SELECT sql FROM sqlite_schema WHERE type = 'index'"
	                        " AND tbl_name = 'link' AND name = ?1", &st, c->err)))
		return rc;
	for (size_t i = 0; i < NSORTED; i++) {
		sqlite3_bind_text(st, 1, sorted_later[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			sql[i] = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < NSORTED; i++)
		if (!sql[i]) {
			for (size_t j = 0; j < NSORTED; j++) {
				sqlite3_free(sql[j]);
				sql[j] = NULL;
			}
			return KITH_OK;
		}
	for (size_t i = 0; !rc && i < NSORTED; i++) {
		if (!(drop = sqlite3_mprintf("DROP INDEX main.\"%w\"", sorted_later[i])))
			rc = kith_error_set(c->err, KITH_ENOMEM, "out of memory");
		else
			rc = kith__exec(c->db, drop, "import links", c->err);
		sqlite3_free(drop);
	}
	return rc;
}

/* Makes the dropped indexes again from sql (the sorter on two threads)
 * and frees sql. */
static int indexes_make(struct lctx *c, char *sql[NSORTED])
{
	sqlite3 *h = kith_db_sqlite(c->db);
	int rc = KITH_OK;

	sqlite3_exec(h, "PRAGMA threads = 2", NULL, NULL, NULL);
	for (size_t i = 0; i < NSORTED; i++) {
		if (!rc && sql[i])
			rc = kith__exec(c->db, sql[i], "import links", c->err);
		sqlite3_free(sql[i]);
		sql[i] = NULL;
	}
	sqlite3_exec(h, "PRAGMA threads = 0", NULL, NULL, NULL);
	return rc;
}

/* The queued rows into link: with the triggers, or in bulk. */
static int insert_links(struct lctx *c, int64_t now)
{
	sqlite3 *h = kith_db_sqlite(c->db);
	kith__rows_feed f;
	kith_id first = 0;
	char *sql, owner[24], *index_sql[NSORTED] = {NULL};
	int rc, known = 0, bulk = c->n >= bulk_min();

	if (!sorted_by_pair(c->v, c->n) && order_by_pair(c))
		qsort(c->v, c->n, sizeof(*c->v), cmp_pair);
	if (bulk && (rc = bulk_triggers_known(c, &known)))
		return rc;
	bulk = bulk && known;
	if (bulk && (rc = kith__query_int64(c->db, "SELECT coalesce(max(id), 0) + 1 FROM main.link",
	                                    0, &first, "import links", c->err)))
		return rc;
	/* The author's stamp (the temporary trigger author_link) as values. */
	snprintf(owner, sizeof(owner), c->member > 0 ? "%lld" : "NULL", (long long)c->member);
	if (bulk)
		sql = sqlite3_mprintf("INSERT OR IGNORE INTO main.link(a, b, kind, since, trust,"
		                      " created, updated, owner, private) SELECT c0, c1, c2, c3, c4,"
		                      " %lld, %lld, %s, %d FROM kith_feed", (long long)now,
		                      (long long)now, owner, c->priv);
	else
		sql = sqlite3_mprintf("INSERT OR IGNORE INTO link(a, b, kind, since, trust, created,"
		                      " updated) SELECT c0, c1, c2, c3, c4, %lld, %lld FROM kith_feed",
		                      (long long)now, (long long)now);
	if (!sql)
		return kith_error_set(c->err, KITH_ENOMEM, "out of memory");
	kith__rows_feed_init(&f, c->n, 5, row_column, c);
	/* first - 1 is at least the number of links there (ids only grow) */
	rc = bulk && c->n >= (size_t)(first - 1) ? indexes_drop(c, index_sql) : KITH_OK;
	if (bulk)
		sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	if (!rc)
		rc = kith__feed_exec(c->db, sql, &f.base, "import links", c->err);
	sqlite3_free(sql);
	if (index_sql[0]) {
		int made = indexes_make(c, index_sql);
		rc = rc ? rc : made;
	}
	/* Only the links themselves: trigger rows are not counted. */
	int64_t created = rc ? 0 : sqlite3_changes64(h);
	if (!rc && bulk)
		rc = bulk_after(c, first, created);
	if (bulk)
		sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, (int *)NULL);
	if (!rc) {
		c->rep->links_created = created;
		c->rep->created = created;
		c->rep->unchanged = (int64_t)c->n - created;
	}
	return rc;
}

int kith__import_links(kith_db *db, const char *data, size_t len, const kith_import_opts *o,
                       kith_import_report *rep, kith_error *err)
{
	struct lctx c = {.db = db, .o = o, .rep = rep, .len = len, .err = err};
	int64_t now = kith_db_now(db);
	int rc, graphml = g_strstr_len(data, len < 4096 ? (gssize)len : 4096, "<graphml") != NULL;

	c.kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c.refs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	rc = read_member(&c);
	if (!rc)
		rc = load_kinds(&c);
	if (!rc)
		rc = load_ids(&c);
	if (!rc)
		rc = kith__prepare(db, "SELECT person_id FROM person_email WHERE email = ?1"
		                   " AND (?2 = 0 OR scope IN (0, ?2)) ORDER BY scope <> 0, person_id",
		                   &c.by_email, err);
	if (!rc && rows_reserve(&c, lines(data, len)))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!rc) {
		sqlite3_bind_int64(c.by_email, 2, c.member);
		rc = graphml ? parse_graphml(&c, data, len) : parse_csv(&c, data, len);
	}
	if (!rc && c.n)
		rc = insert_links(&c, now);
	if (!rc)
		progress(&c, len);
	sqlite3_finalize(c.by_email);
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].since);
	kith__unmap(c.v, c.vmapped);
	kith__unmap(c.order, c.order_mapped);
	free(c.ids);
	free(c.idbits);
	g_hash_table_destroy(c.kinds);
	g_hash_table_destroy(c.refs);
	if (c.keys)
		g_hash_table_destroy(c.keys);
	return rc;
}
