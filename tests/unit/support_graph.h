#ifndef KITH_TEST_SUPPORT_GRAPH_H
#define KITH_TEST_SUPPORT_GRAPH_H

/* Random small networks for the graph tests, stored through the real
 * store API, with brute-force oracles computed on their matrices. */
#include "support.h"
#include "kith/graph.h"

#define TG_MAX 24          /* people per random graph, at most */
#define TG_INF 1000000

typedef struct tg_rng {
	uint64_t s;
} tg_rng;

uint64_t tg_next(tg_rng *r);
/* Uniform in [0, n). */
uint32_t tg_below(tg_rng *r, uint32_t n);

/* A random network as the oracles see it.  w[i][j] is the strength of the
 * strongest link between i and j (0: none), ids[i] the stored id. */
typedef struct tg_graph {
	int n;
	kith_id ids[TG_MAX];
	double w[TG_MAX][TG_MAX];
	int city[TG_MAX];        /* index into tg_cities, -1: none */
	int tag[TG_MAX];         /* bit set over tg_tags */
	int njobs[TG_MAX];
	kith_id job_org[TG_MAX][2];
	int job_from[TG_MAX][2]; /* year, 0: no start date */
	int job_current[TG_MAX][2];
	kith_id orgs[3];
} tg_graph;

extern const char *const tg_cities[3];
extern const char *const tg_tags[3];

/* Empties the database (people, links, jobs), then stores a random graph
 * of n people with about density * n*(n-1)/2 pairs linked, parallel kinds
 * on some pairs, random trust (none, 0, ..., 1) and random attributes. */
void tg_random(kith_db *db, tg_rng *r, int n, double density, tg_graph *g);

/* Index of id in g, or -1. */
int tg_index(const tg_graph *g, kith_id id);
/* All-pairs hop distances (TG_INF: not connected), Floyd-Warshall. */
void tg_floyd(const tg_graph *g, int d[TG_MAX][TG_MAX]);
/* Number of shortest paths from s to t, given d. */
uint64_t tg_count_paths(const tg_graph *g, int d[TG_MAX][TG_MAX], int s, int t);
/* Edge cost as the engine defines it: -log(clamped strength). */
double tg_cost(double strength);
/* Best cost over simple paths s->t of at most hops links, by exhaustive
 * search; best_first[u] gets the best through first hop u (INFINITY if
 * none).  Returns INFINITY when t is out of reach. */
double tg_best_simple(const tg_graph *g, int s, int t, int hops,
                      double best_first[TG_MAX]);
/* Cheapest path cost s->t with no hop limit: Dijkstra on the matrix. */
double tg_dijkstra(const tg_graph *g, int s, int t);

#endif
