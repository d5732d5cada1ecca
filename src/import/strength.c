/*
 * Capture, pair strengths of a bulk import: each interaction's share is
 * added to the cached sums of its pairs (score.c) in memory, and every
 * pair touched is written once, in key order, before commit.  A mailbox
 * repeats the same pairs thousands of times (the owner and their usual
 * correspondents), and reading and rewriting the row per message was a
 * third of an mbox import.  The arithmetic is kith__score_add's, applied
 * in the same order, so the stored doubles are the ones the row-by-row
 * path (kith__score_interaction) writes.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "session.h"
#include "score_impl.h"

typedef struct pair {
	kith_id a, b;          /* a < b */
	kith_pair_sums s;
	int stored;            /* a row exists already */
} pair;

/* Pairs live in blocks that never move, so the table can point at them. */
#define BLOCK_PAIRS 4096

typedef struct block {
	struct block *next;
	size_t n;
	pair v[BLOCK_PAIRS];
} block;

struct kith__strength {
	kith_db *db;
	double h;              /* half-life, read once */
	char kind[2][24];      /* the kinds seen and their weights */
	double weight[2];
	GHashTable *pairs;     /* pair * -> itself */
	block *blocks;
	size_t n;
	sqlite3_stmt *get, *put, *add;
};

static guint pair_hash(gconstpointer p)
{
	const pair *x = p;
	uint64_t h = (uint64_t)x->a * 0x9e3779b97f4a7c15ull ^ (uint64_t)x->b;

	h ^= h >> 29;
	return (guint)(h * 0xbf58476d1ce4e5b9ull >> 32);
}

static gboolean pair_equal(gconstpointer p, gconstpointer q)
{
	const pair *x = p, *y = q;

	return x->a == y->a && x->b == y->b;
}

int kith__strength_new(kith_db *db, kith__strength **out, kith_error *err)
{
	kith__strength *t = calloc(1, sizeof(*t));
	int rc;

	*out = NULL;
	if (!t)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	t->db = db;
	t->h = kith_score_half_life(db);
	t->pairs = g_hash_table_new(pair_hash, pair_equal);
	rc = kith__prepare(db, "SELECT u, ab, ba, ref FROM pair_strength"
	                   " WHERE a = ?1 AND b = ?2", &t->get, err);
	if (!rc)
		rc = kith__prepare(db, "INSERT OR REPLACE INTO pair_strength(a, b, u, ab,"
		                   " ba, ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &t->put, err);
	/* A new pair: REPLACE would look for a row to delete first. */
	if (!rc)
		rc = kith__prepare(db, "INSERT INTO pair_strength(a, b, u, ab, ba, ref)"
		                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &t->add, err);
	if (rc) {
		kith__strength_free(t);
		return rc;
	}
	*out = t;
	return KITH_OK;
}

void kith__strength_free(kith__strength *t)
{
	if (!t)
		return;
	while (t->blocks) {
		block *b = t->blocks;
		t->blocks = b->next;
		free(b);
	}
	g_hash_table_destroy(t->pairs);
	sqlite3_finalize(t->get);
	sqlite3_finalize(t->put);
	sqlite3_finalize(t->add);
	free(t);
}

/* The kind's weight, read once per kind: an import has one or two. */
static int weight_of(kith__strength *t, const char *kind, double *w,
                     kith_error *err)
{
	int i, rc;

	for (i = 0; i < 2 && t->kind[i][0]; i++)
		if (strcmp(t->kind[i], kind) == 0) {
			*w = t->weight[i];
			return KITH_OK;
		}
	rc = kith__kind_weight(t->db, kind, w, err);
	if (!rc && i < 2 && strlen(kind) < sizeof(t->kind[i])) {
		strcpy(t->kind[i], kind);
		t->weight[i] = *w;
	}
	return rc;
}

/* The sums of (a, b) as stored, or as the first update would start them
 * (zero at time at); NULL when out of memory or on a database error
 * (*rc says which). */
static pair *pair_of(kith__strength *t, kith_id a, kith_id b, int64_t at,
                     int *rc, kith_error *err)
{
	pair key = {.a = a, .b = b}, *p = g_hash_table_lookup(t->pairs, &key);
	int step;

	if (p)
		return p;
	if (!t->blocks || t->blocks->n == BLOCK_PAIRS) {
		block *nb = malloc(sizeof(*nb));
		if (!nb) {
			*rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			return NULL;
		}
		nb->next = t->blocks;
		nb->n = 0;
		t->blocks = nb;
	}
	p = &t->blocks->v[t->blocks->n];
	*p = (pair){.a = a, .b = b, .s = {0, 0, 0, at}};
	sqlite3_reset(t->get);
	sqlite3_bind_int64(t->get, 1, a);
	sqlite3_bind_int64(t->get, 2, b);
	step = sqlite3_step(t->get);
	if (step == SQLITE_ROW) {
		p->stored = 1;
		p->s.u = sqlite3_column_double(t->get, 0);
		p->s.ab = sqlite3_column_double(t->get, 1);
		p->s.ba = sqlite3_column_double(t->get, 2);
		p->s.ref = sqlite3_column_int64(t->get, 3);
	}
	sqlite3_reset(t->get);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		*rc = kith__sqlerr(t->db, step, "update strength", err);
		return NULL;
	}
	t->blocks->n++;
	t->n++;
	g_hash_table_add(t->pairs, p);
	return p;
}

int kith__strength_add(kith__strength *t, const kith_interaction *it,
                       kith_error *err)
{
	size_t n = it->people.n;
	double w;
	int rc = weight_of(t, it->kind, &w, err);

	w /= (double)(n - 1);  /* as kith__score_interaction shares it */
	for (size_t i = 0; !rc && i < n; i++)
		for (size_t j = i + 1; !rc && j < n; j++) {
			kith_id a = it->people.v[i], b = it->people.v[j];
			pair *p;
			if (!kith__score_pair_counts(n, it->initiator, a, b))
				continue;
			if (a > b) {
				kith_id x = a;
				a = b;
				b = x;
			}
			if (!(p = pair_of(t, a, b, it->at, &rc, err)))
				break;
			kith__score_add(&p->s, a, b, it->initiator, w, it->at, 1, t->h);
		}
	return rc;
}

static int cmp_pair(const void *x, const void *y)
{
	const pair *p = *(pair *const *)x, *q = *(pair *const *)y;

	if (p->a != q->a)
		return (p->a > q->a) - (p->a < q->a);
	return (p->b > q->b) - (p->b < q->b);
}

/* Writes every pair touched, in key order: appending to the B-tree in
 * order is the cheapest way in. */
int kith__strength_flush(kith__strength *t, kith_error *err)
{
	pair **v = t->n ? malloc(t->n * sizeof(*v)) : NULL;
	size_t k = 0;
	int rc = KITH_OK;

	if (t->n && !v)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (block *b = t->blocks; b; b = b->next)
		for (size_t i = 0; i < b->n; i++)
			v[k++] = &b->v[i];
	if (k > 1)
		qsort(v, k, sizeof(*v), cmp_pair);
	for (size_t i = 0; !rc && i < k; i++) {
		sqlite3_stmt *st = v[i]->stored ? t->put : t->add;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, v[i]->a);
		sqlite3_bind_int64(st, 2, v[i]->b);
		sqlite3_bind_double(st, 3, v[i]->s.u);
		sqlite3_bind_double(st, 4, v[i]->s.ab);
		sqlite3_bind_double(st, 5, v[i]->s.ba);
		sqlite3_bind_int64(st, 6, v[i]->s.ref);
		rc = kith__step_done(t->db, st, "update strength", err);
		sqlite3_reset(st);
	}
	free(v);
	return rc;
}
