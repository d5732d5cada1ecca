/*
 * score_bench: how fast kith scores relationships.
 *
 *   score_bench [--people N] [--links M] [--interactions K] [--db PATH]
 *   score_bench --temporal FILE [--db PATH]   (src dst unixtime lines)
 *
 * Builds a synthetic network (bench/common), logs K interactions along its
 * links (10% in groups of three, kinds mixed, two years back, most with a
 * known initiator), then measures in the same run: the full recompute of
 * every pair's strength, the live strengths around random people, orbits
 * and due lists for "me", and the incremental cost of logging one more
 * interaction.  Prints one table.  A --db that already holds a network is
 * reused, so the slow generation is paid once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sqlite3.h>

#include "kith/kith.h"
#include "common/bench_gen.h"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static long rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static int64_t scalar(kith_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = 0;

	if (sqlite3_prepare_v2(kith_db_sqlite(db), sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n ? v[(size_t)(p * (double)(n - 1))] : 0;
}

struct ins {
	sqlite3_stmt *it, *ip;
	int64_t next_id;
};

static int insert(struct ins *s, const int64_t *people, int n, const char *kind,
                  int64_t at, int64_t initiator)
{
	int64_t id = s->next_id++;

	sqlite3_reset(s->it);
	sqlite3_bind_int64(s->it, 1, id);
	sqlite3_bind_int64(s->it, 2, at);
	sqlite3_bind_text(s->it, 3, kind, -1, SQLITE_STATIC);
	if (initiator)
		sqlite3_bind_int64(s->it, 4, initiator);
	else
		sqlite3_bind_null(s->it, 4);
	if (sqlite3_step(s->it) != SQLITE_DONE)
		return -1;
	for (int i = 0; i < n; i++) {
		sqlite3_reset(s->ip);
		sqlite3_bind_int64(s->ip, 1, id);
		sqlite3_bind_int64(s->ip, 2, people[i]);
		if (sqlite3_step(s->ip) != SQLITE_DONE)
			return -1;
	}
	return 0;
}

static int open_ins(kith_db *db, struct ins *s)
{
	sqlite3 *h = kith_db_sqlite(db);

	s->next_id = scalar(db, "SELECT coalesce(max(id), 0) + 1 FROM interaction");
	if (sqlite3_prepare_v2(h, "INSERT INTO interaction(id, at, kind, created, initiator)"
	                       " VALUES (?1, ?2, ?3, ?2, ?4)", -1, &s->it, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "INSERT INTO interaction_person(interaction_id, person_id)"
	                       " VALUES (?1, ?2)", -1, &s->ip, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

static void close_ins(struct ins *s)
{
	sqlite3_finalize(s->it);
	sqlite3_finalize(s->ip);
}

/* The log's secondary indexes: dropped for a bulk load and rebuilt from
 * their own SQL after it, because one sort beats a hundred million random
 * B-tree inserts.  Foreign keys are off meanwhile (the generated rows are
 * consistent by construction). */
static const char *const bulk_index[] = {"interaction_at", "interaction_person_p"};

static int bulk_begin(kith_db *db, char **sql)
{
	sqlite3 *h = kith_db_sqlite(db);

	if (sqlite3_exec(h, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		char drop[80];
		if (sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_schema WHERE type = 'index'"
		                       " AND name = ?1", -1, &st, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_text(st, 1, bulk_index[i], -1, SQLITE_STATIC);
		sql[i] = sqlite3_step(st) == SQLITE_ROW
		         ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
		sqlite3_finalize(st);
		snprintf(drop, sizeof(drop), "DROP INDEX %s", bulk_index[i]);
		if (!sql[i] || sqlite3_exec(h, drop, NULL, NULL, NULL) != SQLITE_OK)
			return -1;
	}
	return 0;
}

static int bulk_end(kith_db *db, char **sql)
{
	sqlite3 *h = kith_db_sqlite(db);
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		if (sql[i] && sqlite3_exec(h, sql[i], NULL, NULL, NULL) != SQLITE_OK)
			rc = -1;
		free(sql[i]);
	}
	if (sqlite3_exec(h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	return rc;
}

/* Logs k interactions along existing links. */
static int log_synthetic(kith_db *db, int64_t k, int64_t now)
{
	static const char *const kinds[] = {"email", "email", "message", "message",
		"meeting", "meeting", "call", "call", "favour", "introduction"};
	sqlite3_stmt *st;
	int64_t *pairs, npairs = scalar(db, "SELECT count(*) FROM link"), i = 0;
	uint64_t seed = 7;
	struct ins s;
	char *index_sql[2] = {NULL, NULL};

	pairs = malloc((size_t)npairs * 2 * sizeof(*pairs));
	if (!pairs || sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT a, b FROM link", -1, &st,
	                                 NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW && i < npairs) {
		pairs[2 * i] = sqlite3_column_int64(st, 0);
		pairs[2 * i + 1] = sqlite3_column_int64(st, 1);
		i++;
	}
	sqlite3_finalize(st);
	npairs = i;
	if (!npairs || bulk_begin(db, index_sql) || kith_db_begin(db, NULL) || open_ins(db, &s))
		return -1;
	for (int64_t n = 0; n < k; n++) {
		uint64_t r = bgen_rand(&seed);
		int64_t e = (int64_t)(r % (uint64_t)npairs), people[3];
		int np = 2;
		const char *kind = kinds[(r >> 32) % 10];
		people[0] = pairs[2 * e];
		people[1] = pairs[2 * e + 1];
		if ((r >> 40) % 10 == 0) {  /* a friend of one of them joins */
			int64_t f = (int64_t)(bgen_rand(&seed) % (uint64_t)npairs);
			int64_t third = pairs[2 * f] == people[0] ? pairs[2 * f + 1] : pairs[2 * f];
			if (third != people[0] && third != people[1])
				people[np++] = third;
		}
		if (strcmp(kind, "favour") == 0 && ((r >> 48) & 3) == 3)
			kind = "meeting";
		if (insert(&s, people, np, kind, now - (int64_t)(bgen_rand(&seed) % (730 * 86400ULL)),
		           (r >> 50) % 4 ? people[(r >> 52) & 1] : 0)) {
			fprintf(stderr, "insert: %s\n", sqlite3_errmsg(kith_db_sqlite(db)));
			return -1;
		}
		if (n && n % 5000000 == 0)
			fprintf(stderr, "  %lld interactions logged\n", (long long)n);
	}
	close_ins(&s);
	free(pairs);
	if (kith_db_commit(db, NULL))
		return -1;
	fprintf(stderr, "  rebuilding the log's indexes\n");
	return bulk_end(db, index_sql);
}

/* Loads "src dst unixtime" lines as message interactions (src started it). */
static int log_temporal(kith_db *db, const char *path, int64_t *last)
{
	FILE *f = fopen(path, "r");
	char line[256];
	struct ins s;
	sqlite3_stmt *person;

	if (!f || kith_db_begin(db, NULL) || open_ins(db, &s) ||
	    sqlite3_prepare_v2(kith_db_sqlite(db), "INSERT OR IGNORE INTO person(id,"
	                       " display_name, created, updated) VALUES (?1, 'p' || ?1, 0, 0)",
	                       -1, &person, NULL) != SQLITE_OK)
		return -1;
	*last = 0;
	while (fgets(line, sizeof(line), f)) {
		long long a, b, t;
		int64_t people[2];
		if (line[0] == '#' || sscanf(line, "%lld %lld %lld", &a, &b, &t) != 3 || a == b)
			continue;
		people[0] = a + 1;
		people[1] = b + 1;
		for (int i = 0; i < 2; i++) {
			sqlite3_reset(person);
			sqlite3_bind_int64(person, 1, people[i]);
			sqlite3_step(person);
		}
		if (insert(&s, people, 2, "message", t, people[0]))
			return -1;
		if (t > *last)
			*last = t;
	}
	fclose(f);
	sqlite3_finalize(person);
	close_ins(&s);
	return kith_db_commit(db, NULL);
}

static void measure_queries(kith_db *db, int64_t now)
{
	int64_t maxid = scalar(db, "SELECT max(id) FROM person");
	uint64_t seed = 99;
	enum { N = 1000 };
	double *t = malloc(N * sizeof(*t));
	kith_orbit_member *m;
	kith_due *d;
	size_t n;
	double t0;

	for (int i = 0; i < N; i++) {
		kith_strength *v;
		kith_id p = 1 + (kith_id)(bgen_rand(&seed) % (uint64_t)maxid);
		t0 = now_ms();
		if (kith_strength_around(db, p, now, &v, &n, NULL) == KITH_OK)
			kith_strength_list_free(v, n);
		t[i] = now_ms() - t0;
	}
	printf("| strengths around one person, p50 / p99 | %.2f ms / %.2f ms |\n",
	       pct(t, N, 0.5), pct(t, N, 0.99));
	kith_set_me(db, 1, NULL);
	t0 = now_ms();
	if (kith_orbits(db, 1, now, now - 90 * 86400LL, &m, &n, NULL, NULL, NULL) == KITH_OK)
		kith_orbit_list_free(m, n);
	printf("| orbits of person 1 (%zu people), with 90-day comparison | %.1f ms |\n", n,
	       now_ms() - t0);
	t0 = now_ms();
	if (kith_due_list(db, 1, now, &d, &n, NULL) == KITH_OK)
		kith_due_list_free(d, n);
	printf("| due list of person 1 | %.1f ms |\n", now_ms() - t0);
	for (int i = 0; i < N; i++) {
		kith_interaction it = {.kind = strdup("call"), .at = now};
		kith_idv_push(&it.people, 1 + (kith_id)(bgen_rand(&seed) % (uint64_t)maxid));
		kith_idv_push(&it.people, 1 + (kith_id)(bgen_rand(&seed) % (uint64_t)maxid));
		t0 = now_ms();
		kith_interaction_add(db, &it, NULL);
		t[i] = now_ms() - t0;
		kith_interaction_clear(&it);
	}
	printf("| log one interaction (incremental strength update, fsync), p50 / p99 |"
	       " %.2f ms / %.2f ms |\n", pct(t, N, 0.5), pct(t, N, 0.99));
	free(t);
}

static int usage(FILE *f, int code)
{
	fprintf(f, "usage: score_bench [--people N] [--links M] [--interactions K] [--db PATH]\n"
	        "       score_bench --temporal FILE [--db PATH]\n"
	        "Defaults: 100000 people, 1000000 links, 2500000 interactions, --db\n"
	        "/tmp/kith-score-bench.db.  A --db that already holds a network is reused\n"
	        "(the other sizes are then ignored); each run logs 1000 more interactions.\n");
	return code;
}

int main(int argc, char **argv)
{
	bgen_opts o = {.people = 100000, .links = 1000000, .seed = 42};
	int64_t k = 2500000, now = 1795435200, last;
	const char *path = "/tmp/kith-score-bench.db", *temporal = NULL;
	kith_score_report rep;
	kith_error err;
	kith_db *db;
	double t0;

	for (int i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout, 0);
		if (i + 1 == argc)
			return usage(stderr, 2);
		if (!strcmp(argv[i], "--people")) o.people = atoll(argv[i + 1]);
		else if (!strcmp(argv[i], "--links")) o.links = atoll(argv[i + 1]);
		else if (!strcmp(argv[i], "--interactions")) k = atoll(argv[i + 1]);
		else if (!strcmp(argv[i], "--db")) path = argv[i + 1];
		else if (!strcmp(argv[i], "--temporal")) temporal = argv[i + 1];
		else return usage(stderr, 2);
	}
	if (kith_db_open(path, KITH_OPEN_CREATE, &db, &err)) {
		fprintf(stderr, "score_bench: %s\n", err.msg);
		return 1;
	}
	sqlite3_exec(kith_db_sqlite(db), "PRAGMA cache_size = -2000000", NULL, NULL, NULL);
	t0 = now_ms();
	if (temporal) {
		if (scalar(db, "SELECT count(*) FROM interaction") == 0 && log_temporal(db, temporal, &last)) {
			fprintf(stderr, "score_bench: cannot load %s\n", temporal);
			return 1;
		}
		now = scalar(db, "SELECT max(at) FROM interaction");
	} else if (scalar(db, "SELECT count(*) FROM interaction") == 0) {
		/* A network generated before (the slow part) but not its log:
		 * an interrupted run resumes with the interactions. */
		bgen_report br;
		err.msg[0] = '\0';
		if ((scalar(db, "SELECT count(*) FROM person") == 0 && bgen_generate(db, &o, &br, &err)) ||
		    log_synthetic(db, k, now)) {
			fprintf(stderr, "score_bench: generation failed: %s\n",
			        err.msg[0] ? err.msg : sqlite3_errmsg(kith_db_sqlite(db)));
			return 1;
		}
	}
	kith_db_set_now(db, now);
	printf("| measure (%s) | value |\n|---|---|\n", temporal ? temporal : "synthetic");
	printf("| people / links / interactions | %lld / %lld / %lld |\n",
	       (long long)scalar(db, "SELECT count(*) FROM person"),
	       (long long)scalar(db, "SELECT count(*) FROM link"),
	       (long long)scalar(db, "SELECT count(*) FROM interaction"));
	printf("| loading (skipped if reused) | %.1f s |\n", (now_ms() - t0) / 1e3);
	if (kith_score_recompute(db, now, &rep, &err)) {
		fprintf(stderr, "score_bench: recompute: %s\n", err.msg);
		return 1;
	}
	printf("| full recompute: %lld interactions -> %lld pairs | %.2f s |\n",
	       (long long)rep.interactions, (long long)rep.pairs, rep.ms / 1e3);
	printf("| ... of which reading the log / sorting and writing pairs | %.2f s / %.2f s |\n",
	       rep.scan_ms / 1e3, (rep.ms - rep.scan_ms) / 1e3);
	printf("| peak RSS after recompute | %ld MB |\n", rss_mb());
	measure_queries(db, now);
	kith_db_close(db);
	return 0;
}
