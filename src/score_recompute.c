/*
 * Full recompute of the cached pair sums from the whole interaction log.
 * Built for tens of millions of interactions: two sequential scans merged
 * on the interaction id (no per-interaction index lookup), an in-memory
 * open-addressing table of pairs, and the result written in key order so
 * that the B-tree only ever appends.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "score_impl.h"

struct pair {
	kith_id a, b;      /* a < b; a == 0 marks an empty slot */
	double u, ab, ba;  /* referenced to the scan's single time */
};

struct pairs {
	struct pair *v;
	size_t n, cap;     /* cap is a power of two */
};

static size_t hash_pair(kith_id a, kith_id b, size_t cap)
{
	uint64_t z = (uint64_t)a * 0x9e3779b97f4a7c15ULL ^ (uint64_t)b * 0xc2b2ae3d27d4eb4fULL;
	z ^= z >> 31;
	return (size_t)z & (cap - 1);
}

static int pairs_grow(struct pairs *p)
{
	size_t cap = p->cap ? p->cap * 2 : 1 << 16;
	struct pair *v = calloc(cap, sizeof(*v));

	if (!v)
		return KITH_ENOMEM;
	for (size_t i = 0; i < p->cap; i++) {
		size_t h;
		if (!p->v[i].a)
			continue;
		for (h = hash_pair(p->v[i].a, p->v[i].b, cap); v[h].a; h = (h + 1) & (cap - 1))
			;
		v[h] = p->v[i];
	}
	free(p->v);
	p->v = v;
	p->cap = cap;
	return KITH_OK;
}

/* The entry of pair (a, b), created when new; NULL on OOM.  The table
 * stays under 70% full so probes stay short. */
static struct pair *pairs_get(struct pairs *p, kith_id a, kith_id b)
{
	size_t h;

	if ((p->n + 1) * 10 > p->cap * 7 && pairs_grow(p))
		return NULL;
	for (h = hash_pair(a, b, p->cap); p->v[h].a; h = (h + 1) & (p->cap - 1))
		if (p->v[h].a == a && p->v[h].b == b)
			return &p->v[h];
	p->v[h].a = a;
	p->v[h].b = b;
	p->n++;
	return &p->v[h];
}

struct kinds {
	char (*name)[40];
	double *w;
	size_t n;
};

static int load_kinds(kith_db *db, struct kinds *k, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT name, weight FROM interaction_kind", &st, err);

	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		void *nn = realloc(k->name, (k->n + 1) * sizeof(*k->name));
		void *nw = nn ? realloc(k->w, (k->n + 1) * sizeof(*k->w)) : NULL;
		if (nn)
			k->name = nn;
		if (!nn || !nw) {
			sqlite3_finalize(st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		k->w = nw;
		snprintf(k->name[k->n], sizeof(k->name[0]), "%s", sqlite3_column_text(st, 0));
		k->w[k->n++] = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read kinds", err);
}

static double kind_weight(const struct kinds *k, const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->name[i], name) == 0)
			return k->w[i];
	return 1.0;
}

#define GROUP_MAX 4096  /* people read per interaction; beyond, the rest are ignored */

struct scan {
	struct pairs *p;
	int64_t ref;
	double h;
	kith_id people[GROUP_MAX];
	size_t n;
};

/* Adds one interaction's pairs (people in s->people) to the table. */
static int add_interaction(struct scan *s, int64_t at, double w, kith_id init)
{
	double share;

	if (s->n < 2)
		return KITH_OK;
	share = w / (double)(s->n - 1) * kith_score_decay(at, s->ref, s->h);
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = i + 1; j < s->n; j++) {
			kith_id a = s->people[i], b = s->people[j];
			struct pair *e;
			if (!kith__score_pair_counts(s->n, init, a, b))
				continue;
			if (a > b) {
				kith_id t = a;
				a = b;
				b = t;
			}
			if (!(e = pairs_get(s->p, a, b)))
				return KITH_ENOMEM;
			if (init == a)
				e->ab += share;
			else if (init == b)
				e->ba += share;
			else
				e->u += share;
		}
	return KITH_OK;
}

static int scan_log(kith_db *db, struct scan *s, const struct kinds *k,
                    int64_t *count, kith_error *err)
{
	sqlite3_stmt *it = NULL, *ip = NULL;
	int rc, rp;

	rc = kith__prepare(db, "SELECT id, at, kind, coalesce(initiator, 0) FROM interaction"
	                   " ORDER BY id", &it, err);
	if (!rc)
		rc = kith__prepare(db, "SELECT interaction_id, person_id FROM interaction_person"
		                   " ORDER BY interaction_id", &ip, err);
	if (rc)
		goto cleanup;
	rp = sqlite3_step(ip);
	while ((rc = sqlite3_step(it)) == SQLITE_ROW) {
		kith_id id = sqlite3_column_int64(it, 0);
		s->n = 0;
		while (rp == SQLITE_ROW && sqlite3_column_int64(ip, 0) < id)
			rp = sqlite3_step(ip);
		for (; rp == SQLITE_ROW && sqlite3_column_int64(ip, 0) == id; rp = sqlite3_step(ip))
			if (s->n < GROUP_MAX)
				s->people[s->n++] = sqlite3_column_int64(ip, 1);
		if (add_interaction(s, sqlite3_column_int64(it, 1),
		                    kind_weight(k, (const char *)sqlite3_column_text(it, 2)),
		                    sqlite3_column_int64(it, 3))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
		(*count)++;
	}
	rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read interactions", err);
cleanup:
	sqlite3_finalize(it);
	sqlite3_finalize(ip);
	return rc;
}

static int by_key(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	if (a->a != b->a)
		return (a->a > b->a) - (a->a < b->a);
	return (a->b > b->b) - (a->b < b->b);
}

static int write_pairs(kith_db *db, struct pairs *p, int64_t ref, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	/* Compact the used slots to the front, then sort them by key. */
	for (size_t i = 0; i < p->cap; i++)
		if (p->v[i].a)
			p->v[n++] = p->v[i];
	qsort(p->v, n, sizeof(*p->v), by_key);
	rc = kith__exec(db, "DELETE FROM pair_strength", "recompute strengths", err);
	if (!rc)
		rc = kith__prepare(db, "INSERT INTO pair_strength(a, b, u, ab, ba, ref)"
		                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, err);
	for (size_t i = 0; !rc && i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, p->v[i].a);
		sqlite3_bind_int64(st, 2, p->v[i].b);
		sqlite3_bind_double(st, 3, p->v[i].u);
		sqlite3_bind_double(st, 4, p->v[i].ab);
		sqlite3_bind_double(st, 5, p->v[i].ba);
		sqlite3_bind_int64(st, 6, ref);
		rc = kith__step_done(db, st, "recompute strengths", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int64_t max_at(kith_db *db)
{
	sqlite3_stmt *st;
	int64_t t = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT max(at) FROM interaction", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			t = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return t;
}

int kith_score_recompute(kith_db *db, int64_t now, kith_score_report *rep,
                         kith_error *err)
{
	struct pairs p = {0};
	struct kinds k = {0};
	struct scan *s = calloc(1, sizeof(*s));
	struct timespec t0, t1;
	int64_t count = 0, last;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!s)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith_db_begin(db, err);
	if (rc) {
		free(s);
		return rc;
	}
	/* The cache holds every logged interaction, planned ones included,
	 * referenced to the later of now and the newest of them. */
	last = max_at(db);
	s->p = &p;
	s->ref = last > now ? last : now;
	s->h = kith_score_half_life(db);
	rc = load_kinds(db, &k, err);
	if (!rc)
		rc = scan_log(db, s, &k, &count, err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rep)
		rep->scan_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		               (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (!rc)
		rc = write_pairs(db, &p, s->ref, err);
	if (!rc)
		rc = kith__bump_generation(db, err);
	if (rc)
		kith_db_rollback(db);
	else
		rc = kith_db_commit(db, err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rep) {
		rep->interactions = count;
		rep->pairs = (int64_t)p.n;
		rep->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	}
	free(p.v);
	free(k.name);
	free(k.w);
	free(s);
	return rc;
}
