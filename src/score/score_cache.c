/*
 * The pair cache: every pair's decayed sums (kith_pair_sums), packed.
 *
 * One SQLite row per pair cost the full recompute about half a microsecond
 * of B-tree work per row, 25 million times at a million people, which alone
 * kept it above its budget.  So a person's pairs (a < b, stored under a)
 * live in chunks: rows of pair_cache keyed by k = a << 32 | lo, whose value
 * is up to CHUNK_MAX fixed-width entries sorted by b.  The first chunk of a
 * person has lo = 0; a chunk that grows past CHUNK_MAX splits in two and
 * the upper half is keyed by its first b.  So the chunk of (a, b) is always
 * the row with the largest k <= a << 32 | b, found by one rowid seek.
 *
 * An entry is ENTRY bytes, little-endian whatever the host, so a database
 * file moves between machines: b (uint32), u, ab, ba (IEEE doubles), ref
 * (int64).  Ids above KITH__PAIR_MAX_ID do not fit the key; kith refuses
 * them here rather than mixing pairs up.
 *
 * kith_pairs, an eponymous read-only virtual table, shows the cache as one
 * row per pair (a, b, u, ab, ba, ref) for tests and for looking at by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score_impl.h"

#define CHUNK_BYTES (KITH__PAIR_CHUNK_MAX * KITH__PAIR_ENTRY)

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_f64(unsigned char *p, double d)
{
	uint64_t v;

	memcpy(&v, &d, sizeof(v));
	put_u64(p, v);
}

static double get_f64(const unsigned char *p)
{
	uint64_t v = get_u64(p);
	double d;

	memcpy(&d, &v, sizeof(d));
	return d;
}

static uint32_t get_b(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void kith__pair_encode(unsigned char *p, kith_id b, const kith_pair_sums *s)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)((uint64_t)b >> (8 * i));
	put_f64(p + 4, s->u);
	put_f64(p + 12, s->ab);
	put_f64(p + 20, s->ba);
	put_u64(p + 28, (uint64_t)s->ref);
}

kith_id kith__pair_decode(const unsigned char *p, kith_pair_sums *s)
{
	s->u = get_f64(p + 4);
	s->ab = get_f64(p + 12);
	s->ba = get_f64(p + 20);
	s->ref = (int64_t)get_u64(p + 28);
	return get_b(p);
}

int kith__pair_check(kith_id a, kith_id b, kith_error *err)
{
	if (a < 1 || b <= a || b > KITH__PAIR_MAX_ID)
		return kith_error_set(err, KITH_EINVAL, "strength cache: person ids"
		                      " %lld and %lld out of its range",
		                      (long long)a, (long long)b);
	return KITH_OK;
}

/* The index of the first entry of v (n entries) whose b is >= b. */
static size_t lower_bound(const unsigned char *v, size_t n, kith_id b)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((kith_id)get_b(v + mid * KITH__PAIR_ENTRY) < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The chunk that holds or would hold (a, b): a copy of it in the caller's
 * buffer v (room for CHUNK_MAX + 1 entries), its key in *k and entry count
 * in *n; *k = -1 when a has no chunk at all. */
struct kith__pair_chunk {
	sqlite3_int64 k;
	size_t n;
	unsigned char v[CHUNK_BYTES + KITH__PAIR_ENTRY];
};

static int load_chunk(kith_db *db, kith_id a, kith_id b, struct kith__pair_chunk *c, kith_error *err)
{
	static const char sql[] = "SELECT k, v FROM pair_cache WHERE k BETWEEN ?1 AND ?2"
	                          " ORDER BY k DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)((uint64_t)a << 32));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)((uint64_t)a << 32 | (uint64_t)b));
	c->k = -1;
	c->n = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		const void *p = sqlite3_column_blob(st, 1);
		c->k = sqlite3_column_int64(st, 0);
		/* Another program's rows: refused rather than read past. */
		if (len % KITH__PAIR_ENTRY || len > CHUNK_BYTES) {
			kith__stmt_release(db, st);
			return kith_error_set(err, KITH_ECORRUPT,
			                      "strength cache: a damaged chunk (%zu bytes)", len);
		}
		if (len)
			memcpy(c->v, p, len);
		c->n = len / KITH__PAIR_ENTRY;
		rc = SQLITE_DONE;
	}
	kith__stmt_release(db, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read strengths", err);
}

/* The chunk of pair (a, b), loaded into *out (the caller's, to free), with
 * *at the index where b is or would go and *found whether it is there. */
static int find_entry(kith_db *db, kith_id a, kith_id b, struct kith__pair_chunk **out,
                      size_t *at, int *found, kith_error *err)
{
	struct kith__pair_chunk *c;
	kith_pair_sums old;
	int rc = kith__pair_check(a, b, err);

	*out = NULL;
	*found = 0;
	if (rc)
		return rc;
	if (!(c = malloc(sizeof(*c))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if ((rc = load_chunk(db, a, b, c, err))) {
		free(c);
		return rc;
	}
	*at = lower_bound(c->v, c->n, b);
	*found = *at < c->n && kith__pair_decode(c->v + *at * KITH__PAIR_ENTRY, &old) == b;
	*out = c;
	return KITH_OK;
}

int kith__pair_read(kith_db *db, kith_id a, kith_id b, kith_pair_sums *s, int *found,
                    kith_error *err)
{
	kith__pair_reader r = {0};
	int rc = kith__pair_reader_get(db, &r, a, b, s, found, err);

	kith__pair_reader_clear(&r);
	return rc;
}

/* Whether r's chunk still shows the database: nothing committed since it
 * was read (the pager's data version) and nothing written on this
 * connection (its change count), which a data version would not show
 * until the commit. */
static int reader_fresh(kith_db *db, const kith__pair_reader *r)
{
	unsigned int dv = 0;

	if (!r->c || r->a == 0)
		return 0;
	if (sqlite3_file_control(db->h, "main", SQLITE_FCNTL_DATA_VERSION, &dv) != SQLITE_OK)
		return 0;
	return dv == r->dv && sqlite3_total_changes64(db->h) == r->changes;
}

int kith__pair_reader_get(kith_db *db, kith__pair_reader *r, kith_id a, kith_id b,
                          kith_pair_sums *s, int *found, kith_error *err)
{
	struct kith__pair_chunk *c = r->c;
	kith_pair_sums got;
	size_t i;
	int rc = kith__pair_check(a, b, err);

	*found = 0;
	if (rc)
		return rc;
	/* The chunk answers for b from its lo up to its last entry; past
	 * that, b may be in the next chunk. */
	if (!reader_fresh(db, r) || r->a != a ||
	    (c->k >= 0 && (b < r->lo || c->n == 0 ||
	                   b > (kith_id)get_b(c->v + (c->n - 1) * KITH__PAIR_ENTRY)))) {
		if (!c && !(c = r->c = malloc(sizeof(*c))))
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		r->a = 0;
		if ((rc = load_chunk(db, a, b, c, err)))
			return rc;
		sqlite3_file_control(db->h, "main", SQLITE_FCNTL_DATA_VERSION, &r->dv);
		r->changes = sqlite3_total_changes64(db->h);
		r->a = a;
		r->lo = c->k >= 0 ? (kith_id)((uint64_t)c->k & 0xffffffffu) : 0;
	}
	/* k < 0: a has no chunk at all, so no pair under a.  Decoded aside:
	 * *s stays as the caller set it unless the pair is there. */
	if (c->k >= 0 && (i = lower_bound(c->v, c->n, b)) < c->n &&
	    kith__pair_decode(c->v + i * KITH__PAIR_ENTRY, &got) == b) {
		*s = got;
		*found = 1;
	}
	return KITH_OK;
}

void kith__pair_reader_clear(kith__pair_reader *r)
{
	free(r->c);
	r->c = NULL;
	r->a = 0;
}

/* Writes n entries at v as the row keyed k, replacing what was there. */
static int store_row(kith_db *db, sqlite3_int64 k, const unsigned char *v, size_t n,
                     kith_error *err)
{
	static const char sql[] = "INSERT OR REPLACE INTO pair_cache(k, v) VALUES (?1, ?2)";
	sqlite3_stmt *st;
	int rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, k);
	sqlite3_bind_blob(st, 2, v, (int)(n * KITH__PAIR_ENTRY), SQLITE_STATIC);
	rc = sqlite3_step(st);
	kith__stmt_release(db, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "update strength", err);
}

static int delete_row(kith_db *db, sqlite3_int64 k, kith_error *err)
{
	static const char sql[] = "DELETE FROM pair_cache WHERE k = ?1";
	sqlite3_stmt *st;
	int rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, k);
	rc = sqlite3_step(st);
	kith__stmt_release(db, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "update strength", err);
}

/* Stores chunk c of person a, splitting it when it outgrew CHUNK_MAX: the
 * upper half goes to a row of its own, keyed by its first b. */
static int store_chunk(kith_db *db, kith_id a, const struct kith__pair_chunk *c, kith_error *err)
{
	size_t half = c->n / 2;
	const unsigned char *upper = c->v + half * KITH__PAIR_ENTRY;
	int rc;

	if (c->n <= KITH__PAIR_CHUNK_MAX)
		return store_row(db, c->k, c->v, c->n, err);
	rc = store_row(db, c->k, c->v, half, err);
	if (!rc)
		rc = store_row(db, (sqlite3_int64)((uint64_t)a << 32 | get_b(upper)), upper,
		               c->n - half, err);
	return rc;
}

int kith__pair_write(kith_db *db, kith_id a, kith_id b, const kith_pair_sums *s,
                     kith_error *err)
{
	struct kith__pair_chunk *c;
	unsigned char *at;
	size_t i;
	int found, rc = find_entry(db, a, b, &c, &i, &found, err);

	if (rc)
		return rc;
	if (c->k < 0)
		c->k = (sqlite3_int64)((uint64_t)a << 32);  /* a's first chunk */
	at = c->v + i * KITH__PAIR_ENTRY;
	if (!found) {
		memmove(at + KITH__PAIR_ENTRY, at, (c->n - i) * KITH__PAIR_ENTRY);
		c->n++;
	}
	kith__pair_encode(at, b, s);
	rc = store_chunk(db, a, c, err);
	free(c);
	return rc;
}

int kith__pair_remove(kith_db *db, kith_id a, kith_id b, kith_error *err)
{
	struct kith__pair_chunk *c;
	size_t i;
	int found, rc = find_entry(db, a, b, &c, &i, &found, err);

	if (rc || !found)
		goto cleanup;
	memmove(c->v + i * KITH__PAIR_ENTRY, c->v + (i + 1) * KITH__PAIR_ENTRY,
	        (c->n - i - 1) * KITH__PAIR_ENTRY);
	c->n--;
	/* An emptied upper chunk goes; a first chunk stays, even empty, since
	 * the lookup relies on lo = 0 being there whenever a has chunks. */
	if (c->n == 0 && ((uint64_t)c->k & 0xffffffffu))
		rc = delete_row(db, c->k, err);
	else
		rc = store_row(db, c->k, c->v, c->n, err);
cleanup:
	free(c);
	return rc;
}

int kith__pair_forget(kith_db *db, kith_id a, kith_error *err)
{
	static const char sql[] = "DELETE FROM pair_cache WHERE k BETWEEN ?1 AND ?2";
	sqlite3_stmt *st;
	int rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)((uint64_t)a << 32));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)((uint64_t)a << 32 | 0xffffffffu));
	rc = sqlite3_step(st);
	kith__stmt_release(db, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "update strength", err);
}

/* Appends every entry stored under a, in b order, to *v (grown with realloc,
 * *cap its room in entries, *n its count; the caller frees it). */
static int load_person(kith_db *db, kith_id a, unsigned char **v, size_t *n, size_t *cap,
                       kith_error *err)
{
	static const char sql[] = "SELECT v FROM pair_cache WHERE k BETWEEN ?1 AND ?2 ORDER BY k";
	sqlite3_stmt *st;
	int step = SQLITE_DONE, rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)((uint64_t)a << 32));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)((uint64_t)a << 32 | 0xffffffffu));
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(st, 0), m = len / KITH__PAIR_ENTRY;
		if (len % KITH__PAIR_ENTRY) {
			rc = kith_error_set(err, KITH_ECORRUPT,
			                    "strength cache: a damaged chunk (%zu bytes)", len);
		} else if (*n + m > *cap) {
			size_t want = (*n + m) * 2;
			unsigned char *nv = realloc(*v, want * KITH__PAIR_ENTRY);
			if (!nv) {
				rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			} else {
				*v = nv;
				*cap = want;
			}
		}
		if (!rc && m) {
			memcpy(*v + *n * KITH__PAIR_ENTRY, sqlite3_column_blob(st, 0), len);
			*n += m;
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = kith__sqlerr(db, step, "read strengths", err);
	kith__stmt_release(db, st);
	return rc;
}

int kith__pair_merge(kith_db *db, kith_id a, const kith_id *b, const kith_pair_sums *s,
                     size_t n, kith_error *err)
{
	unsigned char *old = NULL, *v = NULL;
	size_t nold = 0, cap = 0, m = 0, i = 0, j = 0;
	int rc = n ? kith__pair_check(a, b[n - 1], err) : KITH_OK;

	for (size_t k = 0; !rc && k < n; k++)
		if (b[k] <= a || (k && b[k] <= b[k - 1]))
			rc = kith_error_set(err, KITH_EINVAL, "strength cache: pairs out of order");
	if (!rc && n)
		rc = load_person(db, a, &old, &nold, &cap, err);
	if (rc || !n)
		goto cleanup;
	if (!(v = malloc((nold + n) * KITH__PAIR_ENTRY))) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* Both sides sorted by b; a new value wins over a stored one. */
	while (i < nold || j < n) {
		kith_id ob = i < nold ? (kith_id)get_b(old + i * KITH__PAIR_ENTRY) : INT64_MAX;
		if (j < n && b[j] <= ob) {
			kith__pair_encode(v + m++ * KITH__PAIR_ENTRY, b[j], &s[j]);
			i += b[j] == ob;
			j++;
		} else {
			memcpy(v + m++ * KITH__PAIR_ENTRY, old + i++ * KITH__PAIR_ENTRY,
			       KITH__PAIR_ENTRY);
		}
	}
	rc = kith__pair_forget(db, a, err);
	for (size_t at = 0; !rc && at < m; at += KITH__PAIR_CHUNK_FILL) {
		size_t len = m - at < KITH__PAIR_CHUNK_FILL ? m - at : KITH__PAIR_CHUNK_FILL;
		uint64_t lo = at ? get_b(v + at * KITH__PAIR_ENTRY) : 0;
		rc = store_row(db, (sqlite3_int64)((uint64_t)a << 32 | lo),
		               v + at * KITH__PAIR_ENTRY, len, err);
	}
cleanup:
	free(old);
	free(v);
	return rc;
}

/* --- kith_pairs: the cache as one row per pair ------------------------ */

struct pairs_vtab {
	sqlite3_vtab base;
	sqlite3 *h;                /* borrowed: the connection it lives on */
};

struct pairs_cursor {
	sqlite3_vtab_cursor base;
	sqlite3_stmt *st;          /* owned: the scan of pair_cache */
	kith_id a;                 /* person of the current chunk */
	unsigned char *v;          /* owned: a copy of the current chunk */
	size_t n, i;               /* its entries, and the current one */
	kith_id b;
	kith_pair_sums s;          /* the current entry, decoded */
	sqlite3_int64 rowid;
};

static int pairs_connect(sqlite3 *h, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **out, char **msg)
{
	struct pairs_vtab *t;
	int rc = sqlite3_declare_vtab(h, "CREATE TABLE x(a INTEGER, b INTEGER, u REAL,"
	                              " ab REAL, ba REAL, ref INTEGER)");

	if (rc != SQLITE_OK)
		return rc;
	if (!(t = sqlite3_malloc(sizeof(*t))))
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->h = h;
	*out = &t->base;
	return SQLITE_OK;
}

static int pairs_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

static int pairs_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	/* Rows come in (a, b) order: an ORDER BY a, b costs nothing. */
	if (info->nOrderBy == 2 && info->aOrderBy[0].iColumn == 0 &&
	    !info->aOrderBy[0].desc && info->aOrderBy[1].iColumn == 1 &&
	    !info->aOrderBy[1].desc)
		info->orderByConsumed = 1;
	else if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == 0 &&
	         !info->aOrderBy[0].desc)
		info->orderByConsumed = 1;
	info->estimatedCost = 1e6;
	return SQLITE_OK;
}

static int pairs_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct pairs_cursor *c = sqlite3_malloc(sizeof(*c));

	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	/* plan: scan -- the pair cache's table-valued function reads it whole (graph builds) */
	if (sqlite3_prepare_v2(((struct pairs_vtab *)t)->h, "SELECT k, v FROM pair_cache"
	                       " ORDER BY k", -1, &c->st, NULL) != SQLITE_OK) {
		sqlite3_finalize(c->st);
		sqlite3_free(c);
		return SQLITE_ERROR;
	}
	*out = &c->base;
	return SQLITE_OK;
}

static int pairs_close(sqlite3_vtab_cursor *cur)
{
	struct pairs_cursor *c = (struct pairs_cursor *)cur;

	sqlite3_finalize(c->st);
	free(c->v);
	sqlite3_free(c);
	return SQLITE_OK;
}

/* Moves to the next entry, loading chunks (skipping empty ones) as
 * needed; at the end c->st is done and c->n = 0. */
static int pairs_advance(struct pairs_cursor *c)
{
	while (++c->i >= c->n) {
		int rc = sqlite3_step(c->st);
		size_t len;
		free(c->v);
		c->v = NULL;
		c->n = c->i = 0;
		if (rc == SQLITE_DONE)
			return SQLITE_OK;
		if (rc != SQLITE_ROW)
			return rc;
		len = (size_t)sqlite3_column_bytes(c->st, 1);
		if (len % KITH__PAIR_ENTRY)
			return SQLITE_CORRUPT;
		if (len && !(c->v = malloc(len)))
			return SQLITE_NOMEM;
		if (len)
			memcpy(c->v, sqlite3_column_blob(c->st, 1), len);
		c->a = (kith_id)((uint64_t)sqlite3_column_int64(c->st, 0) >> 32);
		c->n = len / KITH__PAIR_ENTRY;
		if (c->n) {
			c->i = 0;
			break;
		}
		c->i = (size_t)-1;  /* ++ makes it 0 against n = 0: next chunk */
	}
	c->b = kith__pair_decode(c->v + c->i * KITH__PAIR_ENTRY, &c->s);
	c->rowid++;
	return SQLITE_OK;
}

static int pairs_filter(sqlite3_vtab_cursor *cur, int idx, const char *s, int argc,
                        sqlite3_value **argv)
{
	struct pairs_cursor *c = (struct pairs_cursor *)cur;

	sqlite3_reset(c->st);
	free(c->v);
	c->v = NULL;
	c->n = 0;
	c->i = (size_t)-1;
	c->rowid = 0;
	return pairs_advance(c);
}

static int pairs_next(sqlite3_vtab_cursor *cur)
{
	return pairs_advance((struct pairs_cursor *)cur);
}

static int pairs_eof(sqlite3_vtab_cursor *cur)
{
	return ((struct pairs_cursor *)cur)->n == 0;
}

static int pairs_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct pairs_cursor *c = (struct pairs_cursor *)cur;

	switch (col) {
	case 0: sqlite3_result_int64(ctx, c->a); break;
	case 1: sqlite3_result_int64(ctx, c->b); break;
	case 2: sqlite3_result_double(ctx, c->s.u); break;
	case 3: sqlite3_result_double(ctx, c->s.ab); break;
	case 4: sqlite3_result_double(ctx, c->s.ba); break;
	default: sqlite3_result_int64(ctx, c->s.ref); break;
	}
	return SQLITE_OK;
}

static int pairs_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = ((struct pairs_cursor *)cur)->rowid;
	return SQLITE_OK;
}

static const sqlite3_module pairs_module = {
	.iVersion = 0,
	.xConnect = pairs_connect,
	.xBestIndex = pairs_best_index,
	.xDisconnect = pairs_disconnect,
	.xOpen = pairs_open,
	.xClose = pairs_close,
	.xFilter = pairs_filter,
	.xNext = pairs_next,
	.xEof = pairs_eof,
	.xColumn = pairs_column,
	.xRowid = pairs_rowid,
};

int kith__pair_register(sqlite3 *h)
{
	return sqlite3_create_module(h, "kith_pairs", &pairs_module, NULL);
}
