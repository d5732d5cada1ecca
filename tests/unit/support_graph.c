/* Random networks and brute-force oracles for the graph tests. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_graph.h"

const char *const tg_cities[3] = {"Lyon", "Porto", "Nairobi"};
const char *const tg_tags[3] = {"rust", "chess", "investor"};
static const char *const org_names[3] = {"Acme", "Globex", "Initech"};
static const char *const org_countries[3] = {"France", "Kenya", "france"};
static const char *const kinds[5] = {"knows", "friend", "colleague", "family",
                                     "classmate"};
static const double trusts[7] = {-1, 0, 0.1, 0.25, 0.5, 0.8, 1};

uint64_t tg_next(tg_rng *r)
{
	/* splitmix64: good enough and fully determined by the seed */
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t tg_below(tg_rng *r, uint32_t n)
{
	return (uint32_t)(tg_next(r) % n);
}

static void exec(kith_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(kith_db_sqlite(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

void tg_random(kith_db *db, tg_rng *r, int n, double density, tg_graph *g)
{
	kith_error err;
	char buf[32];

	memset(g, 0, sizeof(*g));
	g->n = n;
	if (kith_db_begin(db, &err))
		fail_msg("begin: %s", err.msg);
	exec(db, "DELETE FROM job; DELETE FROM link; DELETE FROM person; DELETE FROM org");
	for (int i = 0; i < 3; i++) {
		kith_org o = {0};
		o.name = strdup(org_names[i]);
		o.country = strdup(org_countries[i]);
		if (kith_org_add(db, &o, &err))
			fail_msg("org: %s", err.msg);
		g->orgs[i] = o.id;
		kith_org_clear(&o);
	}
	for (int i = 0; i < n; i++) {
		kith_person p = {0};
		snprintf(buf, sizeof(buf), "P%d", i);
		p.display_name = strdup(buf);
		g->city[i] = (int)tg_below(r, 4) - 1;
		if (g->city[i] >= 0)
			p.city = strdup(tg_cities[g->city[i]]);
		g->tag[i] = (int)tg_below(r, 8);
		for (int t = 0; t < 3; t++)
			if (g->tag[i] & (1 << t))
				kith_strv_push(&p.tags, tg_tags[t]);
		if (kith_person_add(db, &p, &err))
			fail_msg("person: %s", err.msg);
		g->ids[i] = p.id;
		kith_person_clear(&p);
		g->njobs[i] = (int)tg_below(r, 3);
		for (int j = 0; j < g->njobs[i]; j++) {
			kith_job jb = {0};
			char from[8], to[8];
			jb.person = g->ids[i];
			g->job_org[i][j] = g->orgs[tg_below(r, 3)];
			jb.org = g->job_org[i][j];
			g->job_from[i][j] = tg_below(r, 5) ? 2000 + (int)tg_below(r, 20) : 0;
			g->job_current[i][j] = (int)tg_below(r, 2);
			if (g->job_from[i][j]) {
				snprintf(from, sizeof(from), "%d", g->job_from[i][j]);
				jb.from = strdup(from);
			}
			if (!g->job_current[i][j]) {
				snprintf(to, sizeof(to), "%d", 2021 + (int)tg_below(r, 4));
				jb.to = strdup(to);
			}
			if (kith_job_add(db, &jb, &err))
				fail_msg("job: %s", err.msg);
			kith_job_clear(&jb);
		}
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			if ((double)tg_below(r, 1000000) / 1e6 >= density)
				continue;
			int nk = tg_below(r, 4) == 0 ? 2 + (int)tg_below(r, 2) : 1;
			int first = (int)tg_below(r, 5);
			for (int k = 0; k < nk; k++) {
				double t = trusts[tg_below(r, 7)];
				double s = t < 0 ? KITH_GRAPH_DEFAULT_STRENGTH : t;
				int swap = (int)tg_below(r, 2);
				if (s < KITH_GRAPH_MIN_STRENGTH)
					s = KITH_GRAPH_MIN_STRENGTH;
				if (t_link(db, g->ids[swap ? j : i], g->ids[swap ? i : j],
				           kinds[(first + k) % 5], t) != KITH_OK)
					fail_msg("link %d-%d failed", i, j);
				if (s > g->w[i][j])
					g->w[i][j] = g->w[j][i] = s;
			}
		}
	if (kith_db_commit(db, &err))
		fail_msg("commit: %s", err.msg);
}

int tg_index(const tg_graph *g, kith_id id)
{
	for (int i = 0; i < g->n; i++)
		if (g->ids[i] == id)
			return i;
	return -1;
}

void tg_floyd(const tg_graph *g, int d[TG_MAX][TG_MAX])
{
	int n = g->n;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			d[i][j] = i == j ? 0 : g->w[i][j] > 0 ? 1 : TG_INF;
	for (int k = 0; k < n; k++)
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				if (d[i][k] + d[k][j] < d[i][j])
					d[i][j] = d[i][k] + d[k][j];
}

uint64_t tg_count_paths(const tg_graph *g, int d[TG_MAX][TG_MAX], int s, int t)
{
	uint64_t cnt[TG_MAX] = {0};

	if (d[s][t] >= TG_INF)
		return 0;
	cnt[s] = 1;
	for (int level = 1; level <= d[s][t]; level++)
		for (int v = 0; v < g->n; v++) {
			if (d[s][v] != level)
				continue;
			for (int u = 0; u < g->n; u++)
				if (g->w[u][v] > 0 && d[s][u] == level - 1)
					cnt[v] += cnt[u];
		}
	return cnt[t];
}

double tg_cost(double strength)
{
	return -log(strength);
}

static void dfs(const tg_graph *g, int u, int t, int left, double cost,
                int first, int *used, double *best, double *best_first)
{
	if (u == t) {
		if (cost < *best)
			*best = cost;
		if (first >= 0 && cost < best_first[first])
			best_first[first] = cost;
		return;
	}
	if (left == 0)
		return;
	for (int v = 0; v < g->n; v++) {
		if (g->w[u][v] <= 0 || used[v])
			continue;
		used[v] = 1;
		dfs(g, v, t, left - 1, cost + tg_cost(g->w[u][v]), first < 0 ? v : first,
		    used, best, best_first);
		used[v] = 0;
	}
}

double tg_best_simple(const tg_graph *g, int s, int t, int hops,
                      double best_first[TG_MAX])
{
	int used[TG_MAX] = {0};
	double best = INFINITY;

	for (int i = 0; i < TG_MAX; i++)
		best_first[i] = INFINITY;
	used[s] = 1;
	dfs(g, s, t, hops, 0, -1, used, &best, best_first);
	return best;
}

double tg_dijkstra(const tg_graph *g, int s, int t)
{
	double dist[TG_MAX];
	int done[TG_MAX] = {0};

	for (int i = 0; i < g->n; i++)
		dist[i] = INFINITY;
	dist[s] = 0;
	for (;;) {
		int u = -1;
		for (int i = 0; i < g->n; i++)
			if (!done[i] && isfinite(dist[i]) && (u < 0 || dist[i] < dist[u]))
				u = i;
		if (u < 0)
			break;
		done[u] = 1;
		for (int v = 0; v < g->n; v++)
			if (g->w[u][v] > 0 && dist[u] + tg_cost(g->w[u][v]) < dist[v])
				dist[v] = dist[u] + tg_cost(g->w[u][v]);
	}
	return dist[t];
}
