/*
 * The reading half of the full recompute: every interaction's share for
 * each of its pairs, emitted as flat records for score_sort.c to order.
 *
 * Two sequential scans (interaction, interaction_person) merged on the
 * interaction id: no per-interaction index lookup.  SQLite's row stepping
 * is most of the cost, so on a file database the id range is split among
 * threads, each with its own read-only connection.  WAL lets them read
 * while the caller holds the write lock; since nobody else can commit
 * then, their snapshot is exactly the caller's.
 *
 * The cache holds what every member sees: private interactions, and those
 * of a private person, are skipped here (each view adds its own, in
 * score_overlay.c).  Private people are few, so they are read once into a
 * sorted array and each participant is looked up there, not joined.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score_impl.h"

int64_t kith__score_parallel_min = 200000;

#define GROUP_MAX 4096  /* people read per interaction; beyond, the rest are ignored */

struct worker {
	sqlite3 *h;               /* a connection of our own, or the caller's */
	kith_db *db;              /* the caller's, when h is its connection */
	kith_id lo, hi;           /* interaction ids, inclusive */
	const kith__kinds *k;
	const kith__layout *l;
	int64_t ref;
	double half_life;
	kith__contribs out;
	int64_t count;
	int rc;
	kith_error err;
	const kith_id *hidden;    /* private people, sorted: their interactions */
	size_t nhidden;           /* are left out, as kith__score_interaction does */
	size_t n;                 /* people of the current interaction */
	kith_id people[GROUP_MAX];
};

/* The weight of the kind named by the len bytes at name (borrowed; NULL
 * counts as unknown), 1 when unknown, as the incremental update has it.
 * Lengths first: this runs fifty million times in a big recompute, and
 * the kinds' names mostly differ in length. */
static double kind_weight(const kith__kinds *k, const void *name, size_t len)
{
	for (size_t i = 0; name && i < k->n; i++)
		if (k->len[i] == len && memcmp(k->name[i], name, len) == 0)
			return k->w[i];
	return 1.0;
}

#define BLOCK_LEN 16384  /* contributions per block, 384 KiB */

/* Appends one contribution to part's list in c (c's blocks are c's);
 * KITH_ENOMEM when a block cannot be had. */
static int emit(kith__contribs *c, size_t part, kith_id a, kith_id b, unsigned bin,
                double w)
{
	kith__contrib_block *t = c->tail[part];
	kith__contrib *e;

	if (!t || t->n == BLOCK_LEN) {
		kith__contrib_block *nb = malloc(sizeof(*nb) + BLOCK_LEN * sizeof(nb->v[0]));
		if (!nb)
			return KITH_ENOMEM;
		nb->next = NULL;
		nb->n = 0;
		if (t)
			t->next = nb;
		else
			c->head[part] = nb;
		c->tail[part] = t = nb;
	}
	e = &t->v[t->n++];
	e->a = (uint64_t)a | (uint64_t)(bin & 1) << 63;
	e->b = (uint64_t)b | (uint64_t)(bin >> 1) << 63;
	e->w = w;
	return KITH_OK;
}

/* Emits the pairs of one interaction (people in x->people).  The share is
 * the same expression, in the same order of operations, as the one-pass
 * recompute used, so the cached sums do not move by a bit.  KITH_EINTERNAL
 * for an id outside the layout (it cannot be, in one snapshot). */
static int add_interaction(struct worker *x, int64_t at, double w, kith_id init)
{
	double share;

	if (x->n < 2)
		return KITH_OK;
	share = w / (double)(x->n - 1) * kith_score_decay(at, x->ref, x->half_life);
	for (size_t i = 0; i < x->n; i++)
		for (size_t j = i + 1; j < x->n; j++) {
			kith_id a = x->people[i], b = x->people[j];
			if (!kith__score_pair_counts(x->n, init, a, b))
				continue;
			if (a > b) {
				kith_id t = a;
				a = b;
				b = t;
			}
			if (a < 1 || (uint64_t)b >> x->l->bits)
				return KITH_EINTERNAL;
			if (emit(&x->out, (uint64_t)a >> x->l->shift, a, b,
			         init == a ? 1 : init == b ? 2 : 0, share))
				return KITH_ENOMEM;
		}
	return KITH_OK;
}

/* Whether someone in x->people is a private person. */
static int has_hidden(const struct worker *x)
{
	for (size_t i = 0; x->nhidden && i < x->n; i++)
		if (bsearch(&x->people[i], x->hidden, x->nhidden, sizeof(kith_id), kith__cmp_id))
			return 1;
	return 0;
}

/* Maps an SQLite failure on x's connection: a reader of our own is no
 * kith_db, so its message is SQLite's generic one for the code. */
static int scan_err(struct worker *x, int rc)
{
	return kith__sqlerr(x->db, rc, "read interactions", &x->err);
}

/* Reads interactions x->lo..x->hi on x->h into x->out; on failure the
 * message is in x->err. */
static int scan_range(struct worker *x)
{
	kith_error *err = &x->err;
	sqlite3_stmt *it = NULL, *ip = NULL;
	int rc, rp;

	rc = sqlite3_prepare_v2(x->h, "SELECT id, at, kind, coalesce(initiator, 0), private"
	                        " FROM main.interaction WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
	                        -1, &it, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(x->h, "SELECT interaction_id, person_id"
		                        " FROM main.interaction_person WHERE interaction_id BETWEEN ?1 AND ?2"
		                        " ORDER BY interaction_id", -1, &ip, NULL);
	if (rc != SQLITE_OK) {
		rc = scan_err(x, rc);
		goto cleanup;
	}
	sqlite3_bind_int64(it, 1, x->lo);
	sqlite3_bind_int64(it, 2, x->hi);
	sqlite3_bind_int64(ip, 1, x->lo);
	sqlite3_bind_int64(ip, 2, x->hi);
	rp = sqlite3_step(ip);
	while ((rc = sqlite3_step(it)) == SQLITE_ROW) {
		kith_id id = sqlite3_column_int64(it, 0);
		x->n = 0;
		/* Each column read is an API call: the id is read once a row. */
		for (; rp == SQLITE_ROW; rp = sqlite3_step(ip)) {
			kith_id of = sqlite3_column_int64(ip, 0);
			if (of > id)
				break;
			if (of == id && x->n < GROUP_MAX)
				x->people[x->n++] = sqlite3_column_int64(ip, 1);
		}
		x->count++;
		if (sqlite3_column_int(it, 4) || has_hidden(x))
			continue;
		/* As a blob: the bytes as stored, with no terminating copy. */
		const void *kind = sqlite3_column_blob(it, 2);
		rc = add_interaction(x, sqlite3_column_int64(it, 1),
		                     kind_weight(x->k, kind, (size_t)sqlite3_column_bytes(it, 2)),
		                     sqlite3_column_int64(it, 3));
		if (rc) {
			rc = rc == KITH_ENOMEM ? kith_error_set(err, rc, "out of memory")
			     : kith_error_set(err, rc, "recompute: a person id out of range");
			goto cleanup;
		}
	}
	if (rc == SQLITE_DONE && rp != SQLITE_ROW && rp != SQLITE_DONE)
		rc = rp;
	rc = rc == SQLITE_DONE ? KITH_OK : scan_err(x, rc);
cleanup:
	sqlite3_finalize(it);
	sqlite3_finalize(ip);
	return rc;
}

/* Thread body: arg is a worker whose connection is its own. */
static void *worker_main(void *arg)
{
	struct worker *x = arg;

	/* One read transaction, so both scans see the same snapshot. */
	int rc = sqlite3_exec(x->h, "BEGIN", NULL, NULL, NULL);

	x->rc = rc == SQLITE_OK ? KITH_OK : scan_err(x, rc);
	if (!x->rc) {
		x->rc = scan_range(x);
		sqlite3_exec(x->h, "COMMIT", NULL, NULL, NULL);
	}
	return NULL;
}

/* Whether db's main database is in WAL mode. */
static int is_wal(kith_db *db)
{
	sqlite3_stmt *st;
	int wal = 0;

	if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK) {
		wal = sqlite3_step(st) == SQLITE_ROW &&
		      sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
		sqlite3_finalize(st);
	}
	return wal;
}

/* A read-only connection on path, owned by the caller (sqlite3_close), or
 * NULL. */
static sqlite3 *open_reader(const char *path)
{
	sqlite3 *h = NULL;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/* The smallest and largest interaction ids, and their span in *n. */
static int id_range(kith_db *db, kith_id *lo, kith_id *hi, int64_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	/* One min() or max() per SELECT, or SQLite scans the table. */
	int rc = kith__prepare(db, "SELECT coalesce((SELECT min(id) FROM interaction), 0),"
	                       " coalesce((SELECT max(id) FROM interaction), -1)", &st, err);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*lo = sqlite3_column_int64(st, 0);
		*hi = sqlite3_column_int64(st, 1);
		/* The id span stands in for the row count, which would take a
		 * scan of its own: ids are dense unless much was removed. */
		*n = *hi - *lo + 1;
		rc = KITH_OK;
	} else {
		rc = kith__sqlerr(db, rc, "read interactions", err);
	}
	sqlite3_finalize(st);
	return rc;
}

void kith__contribs_free(kith__contribs *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		for (size_t p = 0; c[i].head && p < c[i].nparts; p++)
			for (kith__contrib_block *b = c[i].head[p], *next; b; b = next) {
				next = b->next;
				free(b);
			}
		free(c[i].head);
		free(c[i].tail);
	}
	free(c);
}

int kith__score_scan(kith_db *db, const kith__kinds *k, int64_t ref, double h,
                     const kith__layout *l, int nthreads,
                     int (*meanwhile)(kith_db *db, kith_error *err),
                     kith__contribs **out, size_t *nout, int64_t *count,
                     kith_error *err)
{
	const char *path = sqlite3_db_filename(db->h, "main");
	struct worker **w = NULL;
	pthread_t tid[8];
	int started[8] = {0};
	kith_id lo = 0, hi = -1;
	kith_idv hidden = {0};
	int64_t span = 0;
	int nw = 1, rc;

	*out = NULL;
	*nout = 0;
	*count = 0;
	if ((rc = id_range(db, &lo, &hi, &span, err)))
		return rc;
	/* plan: scan -- the full recompute */
	if ((rc = kith__ids(db, "SELECT id FROM main.person WHERE private ORDER BY id",
	                    0, &hidden, err))) {
		kith_idv_clear(&hidden);
		return rc;
	}
	/* Other connections would not see what an enclosing transaction of
	 * the caller's has written: only a fresh one (depth 1) may split.
	 * And only in WAL mode, where readers never block the writer. */
	if (nthreads > 1 && db->tx_depth == 1 && path && *path &&
	    span >= kith__score_parallel_min && is_wal(db))
		nw = nthreads > 8 ? 8 : nthreads;
	if (!(w = calloc((size_t)nw, sizeof(*w))) || !(*out = calloc((size_t)nw, sizeof(**out)))) {
		free(w);
		kith_idv_clear(&hidden);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	*nout = (size_t)nw;
	for (int i = 0; i < nw; i++) {
		kith__contribs *o = &(*out)[i];
		o->nparts = l->nparts;
		if (!(w[i] = calloc(1, sizeof(**w))) ||
		    !(o->head = calloc(l->nparts, sizeof(*o->head))) ||
		    !(o->tail = calloc(l->nparts, sizeof(*o->tail)))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
		w[i]->out = *o;
		w[i]->k = k;
		w[i]->l = l;
		w[i]->ref = ref;
		w[i]->half_life = h;
		w[i]->hidden = hidden.v;
		w[i]->nhidden = hidden.n;
		w[i]->lo = lo + (kith_id)((double)span * i / nw);
		w[i]->hi = i + 1 < nw ? lo + (kith_id)((double)span * (i + 1) / nw) - 1 : hi;
		w[i]->h = db->h;
		w[i]->db = db;
	}
	/* Readers of our own; the caller's connection is the fallback
	 * whenever one cannot be opened or started. */
	for (int i = 0; nw > 1 && i < nw; i++) {
		sqlite3 *r = open_reader(path);
		if (r) {
			w[i]->h = r;
			w[i]->db = NULL;
			started[i] = pthread_create(&tid[i], NULL, worker_main, w[i]) == 0;
		}
	}
	/* The caller's connection is free while the readers work. */
	rc = meanwhile ? meanwhile(db, err) : KITH_OK;
	for (int i = 0; i < nw; i++) {
		if (started[i]) {
			pthread_join(tid[i], NULL);
		} else {
			if (!w[i]->db)
				sqlite3_close(w[i]->h);
			w[i]->h = db->h;
			w[i]->db = db;
			if (!rc)
				w[i]->rc = scan_range(w[i]);
		}
	}
	for (int i = 0; i < nw; i++) {
		if (!rc && w[i]->rc) {
			rc = w[i]->rc;
			if (err)
				*err = w[i]->err;
		}
		*count += w[i]->count;
		(*out)[i] = w[i]->out;  /* the lists the worker filled */
	}
cleanup:
	for (int i = 0; i < nw; i++) {
		if (w[i] && !w[i]->db)
			sqlite3_close(w[i]->h);
		free(w[i]);
	}
	free(w);
	kith_idv_clear(&hidden);
	if (rc) {
		kith__contribs_free(*out, *nout);
		*out = NULL;
		*nout = 0;
	}
	return rc;
}
