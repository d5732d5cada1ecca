/* The network engine against brute-force oracles on thousands of random
 * graphs: disconnected ones, isolated people, parallel link kinds, a = b. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_graph.h"

/* Graphs per property; a quarter with KITH_TEST_QUICK set (make test's
 * sanitizer run: the plain run and make test-long run them all). */
#define NGRAPHS_PATH ngraphs(1000)
#define NGRAPHS_INTRO ngraphs(800)
#define NGRAPHS_NEAR ngraphs(400)

static int ngraphs(int n)
{
	const char *q = getenv("KITH_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0 ? n / 4 : n;
}

/* The random graphs are thrown away: no need to wait for the disk. */
static kith_db *open_scratch(void)
{
	kith_db *db = t_open();
	sqlite3_exec(kith_db_sqlite(db), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	return db;
}

static int close_to(double x, double y)
{
	if (isinf(x) || isinf(y))
		return isinf(x) && isinf(y);
	return fabs(x - y) <= 1e-4 * (1 + fabs(x) + fabs(y));
}

/* Checks that p is a walk along links of g from s to t with the given
 * number of hops, visiting nobody twice, and that its strength is right. */
static void check_walk(const tg_graph *g, const kith_path *p, int s, int t,
                       int hops)
{
	int seen[TG_MAX] = {0};
	double cost = 0;

	assert_int_equal(p->len, hops + 1);
	assert_int_equal(p->ids[0], g->ids[s]);
	assert_int_equal(p->ids[p->len - 1], g->ids[t]);
	for (size_t i = 0; i < p->len; i++) {
		int v = tg_index(g, p->ids[i]);
		assert_true(v >= 0);
		assert_false(seen[v]);
		seen[v] = 1;
		if (i) {
			int u = tg_index(g, p->ids[i - 1]);
			assert_true(g->w[u][v] > 0);
			cost += tg_cost(g->w[u][v]);
		}
	}
	assert_true(close_to(p->strength, exp(-cost)));
}

static int cmp_ids(const kith_path *a, const kith_path *b)
{
	for (size_t i = 0; i < a->len && i < b->len; i++)
		if (a->ids[i] != b->ids[i])
			return a->ids[i] < b->ids[i] ? -1 : 1;
	return (a->len > b->len) - (a->len < b->len);
}

static void check_paths(kith_graph *kg, const tg_graph *g, tg_rng *r)
{
	int d[TG_MAX][TG_MAX];

	tg_floyd(g, d);
	for (int s = 0; s < g->n; s++)
		for (int t = 0; t < g->n; t++) {
			kith_path p, *all = NULL;
			size_t n, cap = 1 + tg_below(r, 4);
			uint64_t total, want = tg_count_paths(g, d, s, t);

			assert_int_equal(kith_graph_path(kg, g->ids[s], g->ids[t], &p, NULL), KITH_OK);
			if (d[s][t] >= TG_INF) {
				assert_int_equal(p.len, 0);
			} else {
				check_walk(g, &p, s, t, d[s][t]);
			}
			kith_path_clear(&p);

			assert_int_equal(kith_graph_paths_all(kg, g->ids[s], g->ids[t], 0,
			                                      &all, &n, &total, NULL), KITH_OK);
			assert_int_equal(total, want);
			assert_int_equal(n, want);
			for (size_t i = 0; i < n; i++) {
				check_walk(g, &all[i], s, t, d[s][t]);
				if (i)
					assert_true(cmp_ids(&all[i - 1], &all[i]) < 0);
			}
			/* A cap returns the first paths of the same order. */
			kith_path *few = NULL;
			size_t nf;
			assert_int_equal(kith_graph_paths_all(kg, g->ids[s], g->ids[t], cap,
			                                      &few, &nf, &total, NULL), KITH_OK);
			assert_int_equal(nf, want < cap ? want : cap);
			assert_int_equal(total, want);
			for (size_t i = 0; i < nf; i++)
				assert_int_equal(cmp_ids(&few[i], &all[i]), 0);
			kith_path_list_free(few, nf);
			kith_path_list_free(all, n);
		}
}

static void check_degree_reach_mutual(kith_graph *kg, const tg_graph *g, tg_rng *r)
{
	int d[TG_MAX][TG_MAX];

	tg_floyd(g, d);
	for (int s = 0; s < g->n; s++) {
		int64_t *counts, unreach, want_unreach = 0, want[TG_MAX + 1] = {0};
		size_t nd, maxd = 0;
		for (int t = 0; t < g->n; t++) {
			if (d[s][t] >= TG_INF) {
				want_unreach++;
			} else {
				want[d[s][t]]++;
				if ((size_t)d[s][t] > maxd)
					maxd = (size_t)d[s][t];
			}
		}
		assert_int_equal(kith_graph_degree(kg, g->ids[s], &counts, &nd, &unreach, NULL),
		                 KITH_OK);
		assert_int_equal(nd, maxd + 1);
		assert_int_equal(unreach, want_unreach);
		for (size_t i = 0; i < nd; i++)
			assert_int_equal(counts[i], want[i]);
		free(counts);

		int within = (int)tg_below(r, 5);
		kith_id *ids;
		int *dist;
		size_t n, wn = 0;
		assert_int_equal(kith_graph_reach(kg, g->ids[s], within, &ids, &dist, &n, NULL),
		                 KITH_OK);
		for (int t = 0; t < g->n; t++)
			wn += t != s && d[s][t] <= within;
		assert_int_equal(n, wn);
		for (size_t i = 0; i < n; i++) {
			int t = tg_index(g, ids[i]);
			assert_true(t >= 0 && t != s);
			assert_int_equal(dist[i], d[s][t]);
			if (i)
				assert_true(dist[i - 1] < dist[i] ||
				            (dist[i - 1] == dist[i] && ids[i - 1] < ids[i]));
		}
		free(ids);
		free(dist);
		assert_int_equal(kith_graph_reach(kg, g->ids[s], within, NULL, NULL, &n, NULL),
		                 KITH_OK);
		assert_int_equal(n, wn);

		int t = (int)tg_below(r, (uint32_t)g->n);
		kith_mutual *m;
		assert_int_equal(kith_graph_mutual(kg, g->ids[s], g->ids[t], &m, &n, NULL), KITH_OK);
		wn = 0;
		for (int x = 0; x < g->n; x++) {
			if (!(g->w[s][x] > 0 && g->w[t][x] > 0))
				continue;
			assert_true(wn < n);
			assert_int_equal(m[wn].id, g->ids[x]);
			assert_true(close_to(m[wn].strength_a, g->w[s][x]));
			assert_true(close_to(m[wn].strength_b, g->w[t][x]));
			wn++;
		}
		assert_int_equal(n, wn);
		free(m);
	}
}

static void paths_degree_reach_mutual(void **state)
{
	kith_db *db = open_scratch();
	kith_graph *kg;
	tg_rng r = {20261123};
	tg_graph g;

	(void)state;
	assert_int_equal(kith_graph_open(db, NULL, &kg, NULL), KITH_OK);
	for (int i = 0; i < NGRAPHS_PATH; i++) {
		/* Sparse to dense, so some graphs fall apart into pieces and
		 * some people have no link at all. */
		int n = 1 + (int)tg_below(&r, 12);
		double density = (double)(1 + tg_below(&r, 60)) / 100.0;
		tg_random(db, &r, n, density, &g);
		check_paths(kg, &g, &r);
		check_degree_reach_mutual(kg, &g, &r);
	}
	kith_graph_close(kg);
	t_close(db);
}

/* p (n paths, freed here) is the introduction from s to t against the
 * exhaustive oracle. */
static void check_intro_result(const tg_graph *g, int s, int t, int hops, size_t alts,
                               kith_path *p, size_t n)
{
	double first[TG_MAX], want;

	want = tg_best_simple(g, s, t, hops, first);
	if (s == t) {
		assert_int_equal(n, 1);
		assert_int_equal(p[0].len, 1);
		assert_true(close_to(p[0].strength, 1));
		kith_path_list_free(p, n);
		return;
	}
	if (isinf(want)) {
		assert_int_equal(n, 0);
		assert_null(p);
		return;
	}
	/* The oracle's per-first-hop bests, strongest first, must be the
	 * costs returned, path by path. */
	double sorted[TG_MAX];
	size_t ns = 0;
	for (int u = 0; u < g->n; u++)
		if (isfinite(first[u]))
			sorted[ns++] = first[u];
	for (size_t i = 1; i < ns; i++)
		for (size_t j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
			double x = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = x;
		}
	assert_int_equal(n, ns < alts + 1 ? ns : alts + 1);
	assert_true(close_to(-log(p[0].strength), want));
	for (size_t i = 0; i < n; i++) {
		int u = tg_index(g, p[i].ids[1]);
		assert_true(p[i].len >= 2 && p[i].len <= (size_t)hops + 1);
		check_walk(g, &p[i], s, t, (int)p[i].len - 1);
		assert_true(close_to(-log(p[i].strength), sorted[i]));
		assert_true(close_to(-log(p[i].strength), first[u]));
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(p[j].ids[1], p[i].ids[1]);
	}
	kith_path_list_free(p, n);
}

static void check_intro(kith_graph *kg, const tg_graph *g, int s, int t, int hops,
                        size_t alts)
{
	kith_path *p;
	size_t n;

	assert_int_equal(kith_graph_intro(kg, g->ids[s], g->ids[t], hops, alts, &p, &n,
	                                  NULL), KITH_OK);
	check_intro_result(g, s, t, hops, alts, p, n);
}

/* Every node's introduction to t at once (one search shared by all
 * sources, the way into an organisation asks), each against the oracle:
 * sources on the others' best chains and t itself among them. */
static void check_intro_many(kith_graph *kg, const tg_graph *g, int t, int hops, size_t alts)
{
	kith_id from[TG_MAX];
	kith_path *p[TG_MAX];
	size_t n[TG_MAX];

	for (int s = 0; s < g->n; s++)
		from[s] = g->ids[s];
	assert_int_equal(kith_graph_intro_many(kg, from, (size_t)g->n, g->ids[t], hops, alts,
	                                       p, n, NULL), KITH_OK);
	for (int s = 0; s < g->n; s++)
		check_intro_result(g, s, t, hops, alts, p[s], n[s]);
}

static void intro_matches_oracles(void **state)
{
	kith_db *db = open_scratch();
	kith_graph *kg;
	tg_rng r = {77};
	tg_graph g;

	(void)state;
	assert_int_equal(kith_graph_open(db, NULL, &kg, NULL), KITH_OK);
	for (int i = 0; i < NGRAPHS_INTRO; i++) {
		int n = 1 + (int)tg_below(&r, 9);
		double density = (double)(5 + tg_below(&r, 70)) / 100.0;
		tg_random(db, &r, n, density, &g);
		for (int q = 0; q < 12; q++) {
			int s = (int)tg_below(&r, (uint32_t)n), t = (int)tg_below(&r, (uint32_t)n);
			int hops = 1 + (int)tg_below(&r, 6);
			check_intro(kg, &g, s, t, hops, tg_below(&r, 5));
			if (q % 4 == 0)
				check_intro_many(kg, &g, t, hops, tg_below(&r, 5));
			/* No hop limit that matters: plain Dijkstra must agree. */
			if (n >= 2 && s != t) {
				kith_path *p;
				size_t np;
				double want = tg_dijkstra(&g, s, t);
				assert_int_equal(kith_graph_intro(kg, g.ids[s], g.ids[t],
				                                  n > 2 ? n - 1 : 2, 0, &p, &np, NULL),
				                 KITH_OK);
				if (isinf(want)) {
					assert_int_equal(np, 0);
				} else {
					assert_int_equal(np, 1);
					assert_true(close_to(-log(p[0].strength), want));
				}
				kith_path_list_free(p, np);
			}
		}
	}
	kith_graph_close(kg);
	t_close(db);
}

/* Does person i pass f, by the rules in graph.h? */
static int passes(const tg_graph *g, int i, const kith_near_filter *f)
{
	int job_country = f->org_country != NULL, since = f->since_year != 0;

	if (f->tag && !(g->tag[i] & (1 << (strcmp(f->tag, tg_tags[0]) == 0 ? 0 :
	                                   strcmp(f->tag, tg_tags[1]) == 0 ? 1 : 2))))
		return 0;
	if (f->city && (g->city[i] < 0 || strcmp(tg_cities[g->city[i]], f->city) != 0))
		return 0;
	for (int pass = 0; pass < 3; pass++) {
		kith_id org = pass == 0 ? f->works_at : pass == 1 ? f->worked_at : 0;
		if (pass < 2 && !org)
			continue;
		if (pass == 2 && !(job_country || since))
			continue;
		int ok = 0;
		for (int j = 0; j < g->njobs[i]; j++) {
			if (org && g->job_org[i][j] != org)
				continue;
			if (pass == 0 && !g->job_current[i][j])
				continue;
			/* Orgs 0 and 2 are in France (spelt two ways), 1 in Kenya. */
			if (job_country && (g->job_org[i][j] == g->orgs[1]) !=
			                   (strcmp(f->org_country, "kenya") == 0))
				continue;
			if (since && !(g->job_from[i][j] && g->job_from[i][j] < f->since_year))
				continue;
			ok = 1;
		}
		if (!ok)
			return 0;
		job_country = since = 0;
	}
	return 1;
}

static void near_matches_oracle(void **state)
{
	kith_db *db = open_scratch();
	kith_graph *kg;
	tg_rng r = {4242};
	tg_graph g;
	int d[TG_MAX][TG_MAX];

	(void)state;
	assert_int_equal(kith_graph_open(db, NULL, &kg, NULL), KITH_OK);
	for (int i = 0; i < NGRAPHS_NEAR; i++) {
		int n = 1 + (int)tg_below(&r, 14);
		tg_random(db, &r, n, (double)(5 + tg_below(&r, 40)) / 100.0, &g);
		tg_floyd(&g, d);
		for (int q = 0; q < 8; q++) {
			kith_near_filter f = {0};
			int s = (int)tg_below(&r, (uint32_t)n);
			double best[TG_MAX];
			kith_near_hit *h;
			size_t nh, want = 0;

			f.within = 1 + (int)tg_below(&r, 4);
			if (tg_below(&r, 3) == 0)
				f.tag = tg_tags[tg_below(&r, 3)];
			if (tg_below(&r, 4) == 0)
				f.city = tg_cities[tg_below(&r, 3)];
			if (tg_below(&r, 3) == 0)
				f.worked_at = g.orgs[tg_below(&r, 3)];
			if (tg_below(&r, 4) == 0)
				f.works_at = g.orgs[tg_below(&r, 3)];
			if (tg_below(&r, 4) == 0)
				f.org_country = tg_below(&r, 2) ? "kenya" : "FRANCE";
			if (tg_below(&r, 3) == 0)
				f.since_year = 2000 + (int)tg_below(&r, 22);
			f.limit = tg_below(&r, 3) == 0 ? 1 + tg_below(&r, 4) : 0;
			/* Oracle strength: the best product over shortest paths. */
			for (int v = 0; v < n; v++)
				best[v] = v == s ? 0 : INFINITY;
			for (int level = 1; level <= f.within; level++)
				for (int v = 0; v < n; v++)
					for (int u = 0; d[s][v] == level && u < n; u++)
						if (g.w[u][v] > 0 && d[s][u] == level - 1 &&
						    best[u] + tg_cost(g.w[u][v]) < best[v])
							best[v] = best[u] + tg_cost(g.w[u][v]);
			for (int v = 0; v < n; v++)
				want += v != s && d[s][v] <= f.within && passes(&g, v, &f);
			assert_int_equal(kith_graph_near(kg, g.ids[s], &f, &h, &nh, NULL), KITH_OK);
			assert_int_equal(nh, f.limit && want > f.limit ? f.limit : want);
			for (size_t k = 0; k < nh; k++) {
				int v = tg_index(&g, h[k].id);
				assert_true(v >= 0 && v != s);
				assert_int_equal(h[k].distance, d[s][v]);
				assert_true(passes(&g, v, &f));
				assert_true(close_to(h[k].strength, exp(-best[v])));
				if (k)
					assert_true(h[k - 1].distance < h[k].distance ||
					            (h[k - 1].distance == h[k].distance &&
					             h[k - 1].strength >= h[k].strength));
			}
			free(h);
		}
	}
	kith_graph_close(kg);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths_degree_reach_mutual),
		cmocka_unit_test(intro_matches_oracles),
		cmocka_unit_test(near_matches_oracle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
