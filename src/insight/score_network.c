/* Like minds (tag similarity) and whole-network measures with libigraph:
 * brokers by betweenness, communities by Louvain, connected components. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <igraph.h>

#include "internal.h"
#include "score/score.h"
#include "kith/person.h"

struct tagw {
	char *tag;
	double idf;
};

/* Rarer tags say more about a person: weight by inverse document frequency. */
static int load_tag_weights(kith_db *db, struct tagw **out, size_t *n, kith_error *err)
{
	kith_tag_count *tc;
	int64_t people;
	size_t nt;
	int rc = kith_person_count(db, NULL, &people, err);

	if (!rc)
		rc = kith_tag_list(db, &tc, &nt, err);
	if (rc)
		return rc;
	*out = calloc(nt ? nt : 1, sizeof(**out));
	if (!*out) {
		kith_tag_list_free(tc, nt);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nt; i++) {
		(*out)[i].tag = tc[i].tag;
		tc[i].tag = NULL;
		(*out)[i].idf = log((double)(people + 1) / (double)(tc[i].count + 1)) + 0.01;
	}
	*n = nt;
	kith_tag_list_free(tc, nt);
	return KITH_OK;
}

static double weight_of(const struct tagw *w, size_t n, const char *tag)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i].tag, tag) == 0)
			return w[i].idf;
	return 0;
}

static double tags_weight(const kith_strv *tags, const struct tagw *w, size_t nw)
{
	double s = 0;

	for (size_t i = 0; i < tags->n; i++)
		s += weight_of(w, nw, tags->v[i]);
	return s;
}

static int allowed(const kith_id *cand, size_t ncand, kith_id id)
{
	if (!cand)
		return 1;
	for (size_t i = 0; i < ncand; i++)
		if (cand[i] == id)
			return 1;
	return 0;
}

static int by_similarity(const void *pa, const void *pb)
{
	const kith_like *a = pa, *b = pb;

	if (a->similarity != b->similarity)
		return a->similarity < b->similarity ? 1 : -1;
	return (a->person > b->person) - (a->person < b->person);
}

void kith_like_list_free(kith_like *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_strv_clear(&v[i].shared);
	free(v);
}

/* Scores candidate q against p (weighted Jaccard); fills l, 0 if nothing shared. */
static int score_one(const kith_person *p, const kith_person *q, const struct tagw *w,
                     size_t nw, double wp, kith_like *l)
{
	double shared = 0;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < q->tags.n; i++)
		if (kith_strv_find(&p->tags, q->tags.v[i]) >= 0) {
			shared += weight_of(w, nw, q->tags.v[i]);
			kith_strv_push(&l->shared, q->tags.v[i]);
		}
	if (!l->shared.n)
		return 0;
	l->person = q->id;
	l->similarity = shared / (wp + tags_weight(&q->tags, w, nw) - shared);
	return 1;
}

int kith_like_list(kith_db *db, kith_id person, const kith_id *candidates,
                   size_t ncand, size_t limit, kith_like **out, size_t *n,
                   kith_error *err)
{
	kith_person *p = NULL, **all = NULL;
	struct tagw *w = NULL;
	size_t nw = 0, nall = 0, cnt = 0;
	kith_like *v = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = kith_person_get(db, person, &p, err)) ||
	    (rc = load_tag_weights(db, &w, &nw, err)) ||
	    (rc = kith_person_list(db, NULL, &all, &nall, err)))
		goto cleanup;
	if (!(v = calloc(nall ? nall : 1, sizeof(*v)))) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < nall; i++)
		if (all[i]->id != person && allowed(candidates, ncand, all[i]->id) &&
		    score_one(p, all[i], w, nw, tags_weight(&p->tags, w, nw), &v[cnt]))
			cnt++;
	qsort(v, cnt, sizeof(*v), by_similarity);
	while (limit && cnt > limit)
		kith_strv_clear(&v[--cnt].shared);
	*out = v;
	*n = cnt;
	v = NULL;  /* handed over */
	cnt = 0;
cleanup:
	kith_like_list_free(v, cnt);
	kith_person_free(p);
	kith_person_list_free(all, nall);
	for (size_t i = 0; i < nw; i++)
		free(w[i].tag);
	free(w);
	return rc;
}

/* --- network measures ---------------------------------------------------- */

void kith_network_stats_clear(kith_network_stats *s)
{
	free(s->brokers);
	free(s->betweenness);
	free(s->community_of);
	free(s->community_id);
	free(s->community_sizes);
	memset(s, 0, sizeof(*s));
}

/* Loads people as vertices 0..n-1 (ids in *ids) and links as edges. */
static int load_igraph(kith_db *db, igraph_t *g, kith_id **ids, size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	igraph_vector_int_t edges;
	size_t cap = 0;
	/* plan: scan -- network-wide ranking */
	int rc = kith__prepare(db, "SELECT id FROM person ORDER BY id", &st, err);

	*ids = NULL;
	*n = 0;
	if (rc)
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap && kith__grow(ids, &cap, sizeof(**ids), 256)) {
			sqlite3_finalize(st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	/* plan: scan -- network-wide ranking */
	if ((rc = kith__prepare(db, "SELECT DISTINCT min(a, b), max(a, b) FROM link", &st, err)))
		return rc;
	igraph_vector_int_init(&edges, 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kith_id ends[2] = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)};
		for (int e = 0; e < 2; e++) {
			size_t lo = 0, hi = *n;  /* ids are sorted: binary search */
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if ((*ids)[mid] < ends[e])
					lo = mid + 1;
				else
					hi = mid;
			}
			igraph_vector_int_push_back(&edges, (igraph_integer_t)lo);
		}
	}
	sqlite3_finalize(st);
	rc = igraph_create(g, &edges, (igraph_integer_t)*n, IGRAPH_UNDIRECTED) == IGRAPH_SUCCESS
	     ? KITH_OK : kith_error_set(err, KITH_EINTERNAL, "igraph: cannot build the graph");
	igraph_vector_int_destroy(&edges);
	return rc;
}

static int cmp_desc_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x < y) - (x > y);
}

static void communities(igraph_t *g, const kith_id *ids, size_t n, kith_network_stats *s)
{
	igraph_vector_int_t membership;
	igraph_vector_t modularity;

	igraph_vector_int_init(&membership, 0);
	igraph_vector_init(&modularity, 0);
	igraph_rng_seed(igraph_rng_default(), 42);  /* Louvain is randomised */
	if (igraph_community_multilevel(g, NULL, 1.0, &membership, NULL, &modularity) == IGRAPH_SUCCESS) {
		igraph_integer_t k = igraph_vector_int_size(&membership) ? igraph_vector_int_max(&membership) + 1 : 0;
		s->communities = k;
		s->modularity = igraph_vector_size(&modularity) ? igraph_vector_tail(&modularity) : 0;
		s->community_of = calloc(n ? n : 1, sizeof(*s->community_of));
		s->community_id = calloc(n ? n : 1, sizeof(*s->community_id));
		s->community_sizes = calloc(k ? (size_t)k : 1, sizeof(*s->community_sizes));
		for (size_t i = 0; s->community_of && s->community_id && s->community_sizes && i < n; i++) {
			s->community_of[i] = ids[i];
			s->community_id[i] = (int)VECTOR(membership)[i];
			s->community_sizes[VECTOR(membership)[i]]++;
		}
		s->npeople = n;
		s->ncommunity_sizes = (size_t)k;
		if (s->community_sizes)
			qsort(s->community_sizes, (size_t)k, sizeof(int64_t), cmp_desc_i64);
	}
	igraph_vector_int_destroy(&membership);
	igraph_vector_destroy(&modularity);
}

static void brokers(igraph_t *g, const kith_id *ids, size_t n, size_t k, kith_network_stats *s)
{
	igraph_vector_t bc;
	double norm = n > 2 ? 2.0 / ((double)(n - 1) * (double)(n - 2)) : 1;

	igraph_vector_init(&bc, 0);
	/* Exact betweenness is O(V E); past a few thousand people only paths
	 * of up to 4 hops are counted, which is what introductions use. */
	if ((n <= 5000 ? igraph_betweenness(g, &bc, igraph_vss_all(), 0, NULL)
	               : igraph_betweenness_cutoff(g, &bc, igraph_vss_all(), 0, NULL, 4)) == IGRAPH_SUCCESS) {
		k = k < n ? k : n;
		s->brokers = calloc(k ? k : 1, sizeof(*s->brokers));
		s->betweenness = calloc(k ? k : 1, sizeof(*s->betweenness));
		for (size_t i = 0; s->brokers && s->betweenness && i < k; i++) {
			igraph_integer_t best = igraph_vector_which_max(&bc);
			s->brokers[i] = ids[best];
			s->betweenness[i] = VECTOR(bc)[best] * norm;
			VECTOR(bc)[best] = -1;
			s->nbrokers++;
		}
	}
	igraph_vector_destroy(&bc);
}

int kith_network_stats_get(kith_db *db, size_t k, kith_network_stats *out,
                           kith_error *err)
{
	igraph_t g;
	igraph_vector_int_t csize;
	igraph_integer_t nc = 0;
	kith_id *ids;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = load_igraph(db, &g, &ids, &n, err))) {
		free(ids);
		return rc;
	}
	igraph_vector_int_init(&csize, 0);
	if (igraph_connected_components(&g, NULL, &csize, &nc, IGRAPH_WEAK) == IGRAPH_SUCCESS) {
		out->components = nc;
		out->largest_component = nc ? igraph_vector_int_max(&csize) : 0;
	}
	igraph_vector_int_destroy(&csize);
	brokers(&g, ids, n, k, out);
	communities(&g, ids, n, out);
	igraph_destroy(&g);
	free(ids);
	return KITH_OK;
}
