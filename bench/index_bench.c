/*
 * The graph index file, in process (docs/graph.md, "The index file"):
 *
 *   index_bench --people N --links M [--seed S] [--db PATH] [--pairs K]
 *
 * Writes the synthetic network (bench/common/bench_gen.c) to PATH when it
 * is missing, then measures: building the snapshot from SQLite with the
 * scored strengths and writing the index file; mapping the file in a new
 * handle (checked in full, then with the stamp); and path p50/p99 over K
 * random pairs on the mapped file against the same on the built snapshot.
 * Whole-process figures (kith path, intro, ...) are bench/index_bench.sh's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

#include "common/bench_gen.h"
#include "kith/kith.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const kith_error *err)
{
	fprintf(stderr, "index_bench: %s: %s\n", what, err ? err->msg : "failed");
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct handle {
	kith_graph *g;
	kith_score_graph_ctx *c;
};

static double open_handle(kith_db *db, const char *index, struct handle *h,
                          kith_graph_info *info)
{
	kith_graph_opts o = {0};
	kith_error err;
	double t0 = now_ms();

	if (!(h->c = kith_score_graph_ctx_new(db, kith_db_now(db))))
		die("score", NULL);
	kith_score_graph_index_opts(h->c, &o);
	o.index_path = index;
	o.index_write = index != NULL;
	if (kith_graph_open(db, &o, &h->g, &err) || kith_graph_refresh(h->g, &err) ||
	    kith_graph_info_get(h->g, info, &err))
		die("graph", &err);
	return now_ms() - t0;
}

static void close_handle(struct handle *h)
{
	kith_graph_close(h->g);
	kith_score_graph_ctx_free(h->c);
}

static void path_times(kith_graph *g, const kith_id *a, const kith_id *b, size_t n,
                       double *p50, double *p99)
{
	double *t = malloc(n * sizeof(*t));
	kith_error err;

	for (size_t i = 0; i < n; i++) {
		kith_path p;
		double t0 = now_ms();
		if (kith_graph_path(g, a[i], b[i], &p, &err))
			die("path", &err);
		t[i] = now_ms() - t0;
		kith_path_clear(&p);
	}
	qsort(t, n, sizeof(*t), cmp_double);
	*p50 = t[n / 2];
	*p99 = t[n * 99 / 100];
	free(t);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"people", required_argument, NULL, 'p'}, {"links", required_argument, NULL, 'l'},
		{"seed", required_argument, NULL, 's'}, {"db", required_argument, NULL, 'd'},
		{"pairs", required_argument, NULL, 'k'}, {"no-memory", no_argument, NULL, 'M'},
		{0}};
	bgen_opts go = {.people = 100000, .links = 2000000, .seed = 1};
	char path[512] = "", index[600], okf[620];
	size_t pairs = 10000;
	int ch, no_memory = 0;
	kith_db *db;
	kith_error err;
	kith_graph_info built, mapped, checked;
	struct handle h;
	double t_build, t_map_full, t_map, p50m, p99m, p50b = 0, p99b = 0;

	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'p': go.people = atoll(optarg); break;
		case 'l': go.links = atoll(optarg); break;
		case 's': go.seed = strtoull(optarg, NULL, 10); break;
		case 'd': snprintf(path, sizeof(path), "%s", optarg); break;
		case 'k': pairs = strtoul(optarg, NULL, 10); break;
		case 'M': no_memory = 1; break;
		default:
			fputs("usage: index_bench [--people N] [--links M] [--seed S] [--db PATH]"
			      " [--pairs K] [--no-memory]\n", stderr);
			return 2;
		}
	}
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/kith-bench-%lld-%lld-%llu.db",
		         (long long)go.people, (long long)go.links, (unsigned long long)go.seed);
	snprintf(index, sizeof(index), "%s.graph", path);
	snprintf(okf, sizeof(okf), "%s.ok", index);
	int fresh = access(path, F_OK) != 0;
	if (kith_db_open(path, KITH_OPEN_CREATE, &db, &err))
		die(path, &err);
	if (fresh) {
		bgen_report rep;
		fprintf(stderr, "writing %s ...\n", path);
		if (bgen_generate(db, &go, &rep, &err))
			die("generate", &err);
		fprintf(stderr, "  %lld people, %lld links in %.1f s\n", (long long)rep.people,
		        (long long)rep.links, rep.seconds);
	}

	unlink(index);
	unlink(okf);
	t_build = open_handle(db, index, &h, &built);
	close_handle(&h);
	unlink(okf);   /* the next reader checks every byte */
	t_map_full = open_handle(db, index, &h, &checked);
	close_handle(&h);
	t_map = open_handle(db, index, &h, &mapped);

	size_t n = (size_t)mapped.people;
	kith_id *ids = malloc(n * sizeof(*ids)), *a = malloc(pairs * sizeof(*a)),
	        *b = malloc(pairs * sizeof(*b));
	sqlite3_stmt *st;
	size_t k = 0;
	uint64_t rs = 12345;
	sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT id FROM person ORDER BY id", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW && k < n)
		ids[k++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (size_t i = 0; i < pairs; i++) {
		a[i] = ids[bgen_rand(&rs) % k];
		b[i] = ids[bgen_rand(&rs) % k];
	}
	path_times(h.g, a, b, pairs, &p50m, &p99m);
	close_handle(&h);
	if (!no_memory) {
		kith_graph_info info;
		open_handle(db, NULL, &h, &info);
		path_times(h.g, a, b, pairs, &p50b, &p99b);
		close_handle(&h);
	}

	char host[256] = "";
	gethostname(host, sizeof(host));
	printf("machine: %s, %ld cores, %.1f GiB\n", host, sysconf(_SC_NPROCESSORS_ONLN),
	       (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGE_SIZE) / (1 << 30));
	printf("network: %lld people, %lld connected pairs, %lld link rows\n\n",
	       (long long)built.people, (long long)built.edges, (long long)built.links);
	printf("| measure | value |\n| --- | --- |\n");
	printf("| build from SQLite (scored) + write index | %.0f ms |\n", t_build);
	struct stat sb;
	printf("| index file | %.1f MB |\n", stat(index, &sb) ? 0.0 : (double)sb.st_size / 1e6);
	printf("| map + check every byte (first reader) | %.1f ms |\n", t_map_full);
	printf("| map + O(1) check (stamp) | %.2f ms |\n", t_map);
	printf("| path p50 / p99, mapped index | %.4f / %.4f ms |\n", p50m, p99m);
	if (!no_memory)
		printf("| path p50 / p99, built in memory | %.4f / %.4f ms |\n", p50b, p99b);
	free(ids);
	free(a);
	free(b);
	kith_db_close(db);
	return mapped.from_index && checked.from_index && built.index_written ? 0 : 1;
}
