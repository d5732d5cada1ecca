/*
 * graph_bench: the network engine against a SQLite recursive CTE and
 * libigraph, on the same graph and the same random pairs, in one run.
 *
 *   graph_bench [--people N --links M --seed S] [--db PATH]
 *   graph_bench --edges FILE [--skip-lines K] [--db PATH]
 *
 * Synthetic databases are written once to /tmp and reused (they are big).
 * Prints one Markdown table.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <igraph.h>

#include "kith/kith.h"
#include "kith/graph.h"
#include "common/bench_gen.h"

struct opts {
	const char *db, *edges;
	int skip_lines;
	int64_t people, links;
	uint64_t seed;
	size_t pairs, intro_pairs, near_pairs, cte_pairs;
	double cte_timeout, cte_budget;
	int no_cte, no_igraph;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Percentile p (0..100) of v[0..n) in milliseconds; sorts a copy. */
static double pct(const double *v, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double *c = malloc(n * sizeof(*c)), r;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	size_t k = (size_t)ceil(p / 100.0 * (double)n);
	r = c[k ? k - 1 : 0];
	free(c);
	return r * 1e3;
}

static void die(const char *what, const kith_error *err)
{
	fprintf(stderr, "graph_bench: %s: %s\n", what, err ? err->msg : "failed");
	exit(1);
}

static void usage(void)
{
	fputs("usage: graph_bench [--people N] [--links M] [--seed S] [--db PATH]\n"
	      "                   [--edges FILE [--skip-lines K]]\n"
	      "                   [--pairs N] [--intro-pairs N] [--near-pairs N]\n"
	      "                   [--cte-pairs N] [--cte-timeout S] [--cte-budget S]\n"
	      "                   [--no-cte] [--no-igraph]\n", stderr);
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"db", required_argument, NULL, 'd'}, {"edges", required_argument, NULL, 'e'},
		{"skip-lines", required_argument, NULL, 'k'},
		{"people", required_argument, NULL, 'n'}, {"links", required_argument, NULL, 'm'},
		{"seed", required_argument, NULL, 's'}, {"pairs", required_argument, NULL, 'p'},
		{"intro-pairs", required_argument, NULL, 'i'},
		{"near-pairs", required_argument, NULL, 'r'},
		{"cte-pairs", required_argument, NULL, 'c'},
		{"cte-timeout", required_argument, NULL, 't'},
		{"cte-budget", required_argument, NULL, 'b'},
		{"no-cte", no_argument, NULL, 'C'}, {"no-igraph", no_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'}, {0}};
	int ch;

	*o = (struct opts){.people = 100000, .links = 2000000, .seed = 1, .pairs = 10000,
	                   .intro_pairs = 10000, .near_pairs = 2000, .cte_pairs = 100,
	                   .cte_timeout = 10, .cte_budget = 300};
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'd': o->db = optarg; break;
		case 'e': o->edges = optarg; break;
		case 'k': o->skip_lines = atoi(optarg); break;
		case 'n': o->people = atoll(optarg); break;
		case 'm': o->links = atoll(optarg); break;
		case 's': o->seed = strtoull(optarg, NULL, 10); break;
		case 'p': o->pairs = strtoul(optarg, NULL, 10); break;
		case 'i': o->intro_pairs = strtoul(optarg, NULL, 10); break;
		case 'r': o->near_pairs = strtoul(optarg, NULL, 10); break;
		case 'c': o->cte_pairs = strtoul(optarg, NULL, 10); break;
		case 't': o->cte_timeout = atof(optarg); break;
		case 'b': o->cte_budget = atof(optarg); break;
		case 'C': o->no_cte = 1; break;
		case 'I': o->no_igraph = 1; break;
		default: usage();
		}
	}
	if (optind < argc || o->pairs == 0)
		usage();
}

/* Opens (creating and filling when missing) the benchmark database. */
static kith_db *open_db(const struct opts *o, char *label, size_t lsz)
{
	static char path[512];
	kith_db *db;
	kith_error err;
	bgen_report rep;
	int fresh;

	if (o->edges) {
		const char *base = strrchr(o->edges, '/');
		base = base ? base + 1 : o->edges;
		snprintf(label, lsz, "%s", base);
		if (!o->db)
			snprintf(path, sizeof(path), "/tmp/kith-bench-%s.db", base);
	} else {
		snprintf(label, lsz, "synthetic, seed %llu", (unsigned long long)o->seed);
		if (!o->db)
			snprintf(path, sizeof(path), "/tmp/kith-bench-%lld-%lld-%llu.db",
			         (long long)o->people, (long long)o->links,
			         (unsigned long long)o->seed);
	}
	if (o->db)
		snprintf(path, sizeof(path), "%s", o->db);
	fresh = access(path, F_OK) != 0;
	if (kith_db_open(path, KITH_OPEN_CREATE, &db, &err))
		die(path, &err);
	if (!fresh)
		return db;
	fprintf(stderr, "writing %s ...\n", path);
	if (o->edges) {
		if (bgen_load_edges(db, o->edges, o->skip_lines, &rep, &err))
			die("load edges", &err);
	} else {
		bgen_opts g = {.people = o->people, .links = o->links, .seed = o->seed};
		if (bgen_generate(db, &g, &rep, &err))
			die("generate", &err);
	}
	fprintf(stderr, "  %lld people, %lld links, %lld orgs, %lld jobs in %.1f s\n",
	        (long long)rep.people, (long long)rep.links, (long long)rep.orgs,
	        (long long)rep.jobs, rep.seconds);
	return db;
}

static kith_id *load_ids(sqlite3 *h, const char *sql, size_t *n)
{
	sqlite3_stmt *st;
	kith_id *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

static int64_t find_id(const kith_id *ids, size_t n, kith_id id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ids[lo] == id ? (int64_t)lo : -1;
}

struct ig {
	igraph_t g;
	double build_s;
	long rss_kb;
};

/* The same people and links as an igraph graph (vertex = index in ids). */
static void ig_build(sqlite3 *h, const kith_id *ids, size_t n, struct ig *ig)
{
	igraph_vector_int_t edges;
	sqlite3_stmt *st;
	long r0 = rss_kb();
	double t0 = now_s();

	igraph_vector_int_init(&edges, 0);
	sqlite3_prepare_v2(h, "SELECT a, b FROM link", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		igraph_vector_int_push_back(&edges, find_id(ids, n, sqlite3_column_int64(st, 0)));
		igraph_vector_int_push_back(&edges, find_id(ids, n, sqlite3_column_int64(st, 1)));
	}
	sqlite3_finalize(st);
	igraph_create(&ig->g, &edges, (igraph_integer_t)n, IGRAPH_UNDIRECTED);
	igraph_vector_int_destroy(&edges);
	igraph_simplify(&ig->g, 1, 1, NULL);
	ig->build_s = now_s() - t0;
	ig->rss_kb = rss_kb() - r0;
}

static int cte_abort(void *deadline)
{
	return now_s() > *(double *)deadline;
}

static void row(const char *what, const char *kith, const char *cte, const char *igr,
                const char *vs_cte, const char *vs_ig)
{
	printf("| %-34s | %14s | %22s | %14s | %10s | %10s |\n", what, kith, cte, igr,
	       vs_cte, vs_ig);
}

/* Formats v with unit u ("ms", "s", "MB", "x") into buf (32 bytes). */
static char *fmt(char *buf, int prec, double v, const char *u)
{
	if (strcmp(u, "x") == 0 && v < 10)
		prec = v < 1 ? 2 : 1;   /* small ratios need their decimals */
	if (isnan(v) || isinf(v))
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%.*f%s%s", prec, v, strcmp(u, "x") ? " " : "", u);
	return buf;
}

int main(int argc, char **argv)
{
	struct opts o;
	kith_db *db;
	kith_graph *g;
	kith_graph_info info;
	kith_error err;
	char label[256];
	struct ig ig = {0};
	uint64_t rs;

	parse(argc, argv, &o);
	igraph_set_error_handler(igraph_error_handler_printignore);
	igraph_set_warning_handler(igraph_warning_handler_ignore);
	db = open_db(&o, label, sizeof(label));
	sqlite3 *h = kith_db_sqlite(db);

	long r0 = rss_kb();
	if (kith_graph_open(db, NULL, &g, &err) || kith_graph_refresh(g, &err) ||
	    kith_graph_info_get(g, &info, &err))
		die("build graph", &err);
	long rss_graph = rss_kb() - r0;

	size_t n, norgs;
	kith_id *ids = load_ids(h, "SELECT id FROM person ORDER BY id", &n);
	kith_id *orgs = load_ids(h, "SELECT id FROM org ORDER BY id", &norgs);
	if (n < 2)
		die("need at least 2 people", NULL);
	size_t np = o.pairs;
	kith_id *pa = malloc(np * sizeof(*pa)), *pb = malloc(np * sizeof(*pb));
	int *hops = malloc(np * sizeof(*hops));
	double *t_path = malloc(np * sizeof(double)), *t_intro = malloc(np * sizeof(double));
	double *t_near = malloc(np * sizeof(double)), *t_nearf = malloc(np * sizeof(double));
	double *t_ig = malloc(np * sizeof(double)), *t_cte = malloc(np * sizeof(double));
	double *t_kcte = malloc(np * sizeof(double));
	rs = o.seed * 7919 + 17;
	for (size_t i = 0; i < np; i++) {
		pa[i] = ids[bgen_rand(&rs) % n];
		pb[i] = ids[bgen_rand(&rs) % n];
	}

	/* path */
	size_t reachable = 0;
	double hop_sum = 0;
	for (size_t i = 0; i < np; i++) {
		kith_path p;
		double t0 = now_s();
		if (kith_graph_path(g, pa[i], pb[i], &p, &err))
			die("path", &err);
		t_path[i] = now_s() - t0;
		hops[i] = p.len ? (int)p.len - 1 : -1;
		if (p.len) {
			reachable++;
			hop_sum += hops[i];
		}
		kith_path_clear(&p);
	}
	/* intro (hops 4, 2 alternatives: the CLI's defaults) */
	size_t ni = o.intro_pairs < np ? o.intro_pairs : np, found = 0;
	for (size_t i = 0; i < ni; i++) {
		kith_path *v;
		size_t k;
		double t0 = now_s();
		if (kith_graph_intro(g, pa[i], pb[i], 0, 2, &v, &k, &err))
			die("intro", &err);
		t_intro[i] = now_s() - t0;
		found += k > 0;
		kith_path_list_free(v, k);
	}
	/* near --within 2, no filter and with --worked-at (limit 50 both) */
	size_t nn = o.near_pairs < np ? o.near_pairs : np;
	double near_hits = 0;
	for (size_t i = 0; i < nn; i++) {
		kith_near_filter f = {.within = 2, .limit = 50};
		kith_near_hit *hh;
		size_t k;
		double t0 = now_s();
		if (kith_graph_near(g, pa[i], &f, &hh, &k, &err))
			die("near", &err);
		t_near[i] = now_s() - t0;
		free(hh);
		if (!norgs)
			continue;   /* edge lists have no orgs: nothing to filter on */
		f.worked_at = orgs[bgen_rand(&rs) % norgs];
		t0 = now_s();
		if (kith_graph_near(g, pa[i], &f, &hh, &k, &err))
			die("near", &err);
		t_nearf[i] = now_s() - t0;
		near_hits += (double)k;
		free(hh);
	}

	/* igraph on the same pairs; its lengths must match ours */
	size_t mismatch_ig = 0;
	if (!o.no_igraph) {
		igraph_vector_int_t verts;
		ig_build(h, ids, n, &ig);
		igraph_vector_int_init(&verts, 0);
		for (size_t i = 0; i < np; i++) {
			igraph_integer_t from = find_id(ids, n, pa[i]), to = find_id(ids, n, pb[i]);
			double t0 = now_s();
			igraph_error_t rc = igraph_get_shortest_path(&ig.g, &verts, NULL, from, to,
			                                             IGRAPH_ALL);
			t_ig[i] = now_s() - t0;
			int len = rc == IGRAPH_SUCCESS && igraph_vector_int_size(&verts) > 0
				? (int)igraph_vector_int_size(&verts) - 1 : -1;
			mismatch_ig += len != hops[i];
		}
		igraph_vector_int_destroy(&verts);
	}

	/* The recursive CTE on a sample of connected pairs, searching only as
	 * deep as the known distance (which favours it), each under a timeout
	 * and all under a total budget. */
	size_t ncte = 0, cte_timeouts = 0, cte_tried = 0, mismatch_cte = 0;
	if (!o.no_cte) {
		sqlite3_stmt *st;
		double budget_end = now_s() + o.cte_budget, deadline;
		sqlite3_prepare_v2(h,
			"WITH RECURSIVE r(n, d) AS (SELECT ?1, 0"
			" UNION SELECT l.b, r.d + 1 FROM r JOIN link l ON l.a = r.n WHERE r.d < ?3"
			" UNION SELECT l.a, r.d + 1 FROM r JOIN link l ON l.b = r.n WHERE r.d < ?3)"
			" SELECT d FROM r WHERE n = ?2 LIMIT 1", -1, &st, NULL);
		sqlite3_progress_handler(h, 10000, cte_abort, &deadline);
		for (size_t i = 0; i < np && cte_tried < o.cte_pairs && now_s() < budget_end; i++) {
			if (hops[i] < 0)
				continue;
			cte_tried++;
			sqlite3_bind_int64(st, 1, pa[i]);
			sqlite3_bind_int64(st, 2, pb[i]);
			sqlite3_bind_int(st, 3, hops[i]);
			double t0 = now_s();
			deadline = t0 + o.cte_timeout;
			int rc = sqlite3_step(st);
			double dt = now_s() - t0;
			if (rc == SQLITE_ROW) {
				mismatch_cte += sqlite3_column_int(st, 0) != hops[i];
				t_cte[ncte] = dt;
				t_kcte[ncte++] = t_path[i];
			} else if (rc == SQLITE_INTERRUPT) {
				cte_timeouts++;
			}
			sqlite3_reset(st);
		}
		sqlite3_progress_handler(h, 0, NULL, NULL);
		sqlite3_finalize(st);
	}

	char a[32], b[32], c[32], d[32], e[32], cte_lbl[64];
	printf("\n### kith graph benchmark: %s\n\n", label);
	printf("%lld people, %lld links (%lld connected pairs); %zu random pairs, "
	       "%zu connected (mean %.2f hops)\n\n", (long long)info.people,
	       (long long)info.links, (long long)info.edges, np, reachable,
	       reachable ? hop_sum / (double)reachable : 0.0);
	row("measure", "kith", "SQLite recursive CTE", "igraph", "vs CTE", "vs igraph");
	printf("|%s|%s|%s|%s|%s|%s|\n", "------------------------------------",
	       "----------------", "------------------------", "----------------",
	       "------------", "------------");
	row("index build", fmt(a, 2, info.build_ms / 1e3, "s"), "-",
	    o.no_igraph ? "-" : fmt(b, 2, ig.build_s, "s"), "", "");
	row("index memory (RSS growth)", fmt(a, 0, rss_graph / 1024.0, "MB"), "-",
	    o.no_igraph ? "-" : fmt(b, 0, ig.rss_kb / 1024.0, "MB"), "", "");
	row("snapshot size", fmt(a, 0, info.bytes / 1048576.0, "MB"), "-", "-", "", "");
	double kp50 = pct(t_path, np, 50), kp99 = pct(t_path, np, 99);
	double ip50 = pct(t_ig, np, 50), ip99 = pct(t_ig, np, 99);
	double cp50 = pct(t_cte, ncte, 50), cp99 = pct(t_cte, ncte, 99);
	double kcp50 = pct(t_kcte, ncte, 50), kcp99 = pct(t_kcte, ncte, 99);
	row("path p50 (all pairs)", fmt(a, 3, kp50, "ms"), "-",
	    o.no_igraph ? "-" : fmt(b, 3, ip50, "ms"), "",
	    o.no_igraph ? "-" : fmt(c, 0, ip50 / kp50, "x"));
	row("path p99 (all pairs)", fmt(a, 3, kp99, "ms"), "-",
	    o.no_igraph ? "-" : fmt(b, 3, ip99, "ms"), "",
	    o.no_igraph ? "-" : fmt(c, 0, ip99 / kp99, "x"));
	snprintf(cte_lbl, sizeof(cte_lbl), "path p50 (CTE sample, n=%zu)", ncte);
	row(cte_lbl, fmt(a, 3, kcp50, "ms"), fmt(b, 1, cp50, "ms"), "-",
	    fmt(d, 0, cp50 / kcp50, "x"), "");
	snprintf(cte_lbl, sizeof(cte_lbl), "path p99 (CTE sample, n=%zu)", ncte);
	/* With timeouts the CTE's p99 is only a lower bound. */
	snprintf(b, sizeof(b), "%s%.1f ms", cte_timeouts ? ">= " : "", cp99);
	row(cte_lbl, fmt(a, 3, kcp99, "ms"), ncte ? b : "-", "-",
	    fmt(e, 0, cp99 / kcp99, "x"), "");
	row("intro p50 (hops 4, 2 alts)", fmt(a, 3, pct(t_intro, ni, 50), "ms"), "-", "-",
	    "", "");
	row("intro p99", fmt(a, 3, pct(t_intro, ni, 99), "ms"), "-", "-", "", "");
	row("near --within 2 p50", fmt(a, 3, pct(t_near, nn, 50), "ms"), "-", "-", "", "");
	row("near --within 2 p99", fmt(a, 3, pct(t_near, nn, 99), "ms"), "-", "-", "", "");
	size_t nf = norgs ? nn : 0;
	row("near --within 2 --worked-at p50", fmt(a, 3, pct(t_nearf, nf, 50), "ms"), "-",
	    "-", "", "");
	row("near --within 2 --worked-at p99", fmt(a, 3, pct(t_nearf, nf, 99), "ms"), "-",
	    "-", "", "");
	printf("\nintro: %zu pairs, %zu with a path of <= 4 hops; near: %zu sources, "
	       "%.1f hits per filtered query\n", ni, found, nn, nf ? near_hits / nf : 0.0);
	if (!o.no_cte)
		printf("CTE: %zu connected pairs tried, %zu answered, %zu timed out (> %.0f s), "
		       "depth capped at each pair's true distance; %zu wrong answers\n",
		       cte_tried, ncte, cte_timeouts, o.cte_timeout, mismatch_cte);
	if (!o.no_igraph)
		printf("igraph: igraph_get_shortest_path (BFS, IGRAPH_ALL) on the same %zu "
		       "pairs; %zu length disagreements\n", np, mismatch_ig);
	if (!o.no_igraph)
		igraph_destroy(&ig.g);
	free(pa); free(pb); free(hops); free(t_path); free(t_intro); free(t_near);
	free(t_nearf); free(t_ig); free(t_cte); free(t_kcte); free(ids); free(orgs);
	kith_graph_close(g);
	kith_db_close(db);
	return mismatch_ig || mismatch_cte ? 1 : 0;
}
