/*
 * Capture, pair strengths of a bulk import: each interaction's share is
 * added to the cached sums of its pairs (score.c) in memory, and every
 * pair touched is written once before commit, one pass per person over
 * the packed pair cache (kith__pair_merge, score_cache.c).  A mailbox
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
#include "score/score.h"
#include "kith/interaction.h"

typedef struct pair {
	kith_id a, b;          /* a < b */
	kith_pair_sums s;
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
	kith_id last_old;      /* highest person id before the import */
	double h;              /* half-life, read once */
	char kind[2][24];      /* the kinds seen and their weights */
	double weight[2];
	GHashTable *pairs;     /* pair * -> itself */
	block *blocks;
	size_t n;
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

int kith__strength_new(kith_db *db, kith_id last_old, kith__strength **out,
                       kith_error *err)
{
	kith__strength *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	t->db = db;
	t->last_old = last_old;
	t->h = kith_score_half_life(db);
	t->pairs = g_hash_table_new(pair_hash, pair_equal);
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
	int found;

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
	/* Someone new in this import has no stored pair yet (b > a). */
	if (b <= t->last_old && (*rc = kith__pair_read(t->db, a, b, &p->s, &found, err)))
		return NULL;
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

/* Writes every pair touched: sorted, each person's run merged into the
 * cache in one pass. */
int kith__strength_flush(kith__strength *t, kith_error *err)
{
	pair **v = t->n ? malloc(t->n * sizeof(*v)) : NULL;
	kith_id *b = t->n ? malloc(t->n * sizeof(*b)) : NULL;
	kith_pair_sums *s = t->n ? malloc(t->n * sizeof(*s)) : NULL;
	size_t k = 0;
	int rc = KITH_OK;

	if (t->n && (!v || !b || !s)) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (block *bl = t->blocks; bl; bl = bl->next)
		for (size_t i = 0; i < bl->n; i++)
			v[k++] = &bl->v[i];
	if (k)
		qsort(v, k, sizeof(*v), cmp_pair);
	for (size_t i = 0; !rc && i < k;) {
		size_t m = 0;
		kith_id a = v[i]->a;
		for (; i < k && v[i]->a == a; i++, m++) {
			b[m] = v[i]->b;
			s[m] = v[i]->s;
		}
		rc = kith__pair_merge(t->db, a, b, s, m, err);
	}
cleanup:
	free(v);
	free(b);
	free(s);
	return rc;
}
