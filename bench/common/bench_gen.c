/* Synthetic social networks and edge-list loading for the benchmarks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

#include "bench_gen.h"

#define NKINDS 5
static const char *const kinds[NKINDS] = {"knows", "friend", "colleague",
                                          "classmate", "family"};
#define NTAGS 40
#define NCOUNTRIES 30

uint64_t bgen_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unit(uint64_t *s)
{
	return (double)(bgen_rand(s) >> 11) / 9007199254740992.0;
}

static int sqlfail(sqlite3 *h, const char *what, kith_error *err)
{
	return kith_error_set(err, KITH_EIO, "%s: %s", what, sqlite3_errmsg(h));
}

static double secs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs a prepared insert and resets it; constraint failures (a duplicate
 * pair and kind) are expected and skipped. */
static int run(sqlite3_stmt *st, int *added)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		if (added)
			(*added)++;
		return SQLITE_OK;
	}
	return (rc & 0xff) == SQLITE_CONSTRAINT ? SQLITE_OK : rc;
}

struct gen {
	int64_t n, ncomm;
	int64_t *comm_lo;     /* first person (0-based) of each community */
	int64_t *comm_of;
	double *cum;          /* cumulative degree weights */
};

/* Person i's community: sizes 20..200, laid out in order. */
static int layout(struct gen *g, uint64_t *rs)
{
	int64_t cap = g->n / 20 + 2, k = 0;

	g->comm_lo = malloc((size_t)(cap + 1) * sizeof(*g->comm_lo));
	g->comm_of = malloc((size_t)g->n * sizeof(*g->comm_of));
	g->cum = malloc((size_t)g->n * sizeof(*g->cum));
	if (!g->comm_lo || !g->comm_of || !g->cum)
		return -1;
	for (int64_t i = 0; i < g->n; k++) {
		int64_t size = 20 + (int64_t)(bgen_rand(rs) % 181);
		g->comm_lo[k] = i;
		for (int64_t j = 0; j < size && i < g->n; j++)
			g->comm_of[i++] = k;
	}
	g->comm_lo[k] = g->n;
	g->ncomm = k;
	/* Pareto weights (alpha 1.5 -> degree exponent ~2.5), capped so no
	 * hub holds more than ~1% of all links. */
	double total = 0;
	for (int64_t i = 0; i < g->n; i++) {
		double w = pow(1.0 - unit(rs), -1.0 / 1.5);
		if (w > 1000)
			w = 1000;
		total += w;
		g->cum[i] = total;
	}
	return 0;
}

static int64_t by_weight(const struct gen *g, uint64_t *rs)
{
	double x = unit(rs) * g->cum[g->n - 1];
	int64_t lo = 0, hi = g->n - 1;
	while (lo < hi) {
		int64_t mid = (lo + hi) / 2;
		if (g->cum[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int gen_people(sqlite3 *h, struct gen *g, uint64_t *rs, bgen_report *rep,
                      kith_error *err)
{
	sqlite3_stmt *sp = NULL, *sf = NULL, *st = NULL;
	char name[48], city[32], country[32], tag[16];
	int rc = SQLITE_OK;

	if (sqlite3_prepare_v2(h, "INSERT INTO person(id, display_name, city, country,"
	                       " created, updated) VALUES (?1, ?2, ?3, ?4, 0, 0)", -1, &sp,
	                       NULL) ||
	    sqlite3_prepare_v2(h, "INSERT INTO person_fts(rowid, name, info, notes)"
	                       " VALUES (?1, ?2, ?3 || ' ' || ?4, '')", -1, &sf, NULL) ||
	    sqlite3_prepare_v2(h, "INSERT OR IGNORE INTO person_tag(person_id, tag)"
	                       " VALUES (?1, ?2)", -1, &st, NULL)) {
		rc = sqlfail(h, "prepare", err);
		goto cleanup;
	}
	for (int64_t i = 0; i < g->n && rc == SQLITE_OK; i++) {
		int64_t c = g->comm_of[i];
		snprintf(name, sizeof(name), "Person %lld", (long long)i + 1);
		snprintf(city, sizeof(city), "City %lld", (long long)(c / 10));
		snprintf(country, sizeof(country), "Country %lld",
		         (long long)(c / 10 % NCOUNTRIES));
		for (int k = 0; k < 2; k++) {
			sqlite3_stmt *s = k ? sf : sp;
			sqlite3_bind_int64(s, 1, i + 1);
			sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 3, city, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(s, 4, country, -1, SQLITE_TRANSIENT);
			if ((rc = run(s, NULL)))
				break;
		}
		for (uint64_t t = bgen_rand(rs) % 3; t > 0 && rc == SQLITE_OK; t--) {
			snprintf(tag, sizeof(tag), "tag%02d", (int)(bgen_rand(rs) % NTAGS));
			sqlite3_bind_int64(st, 1, i + 1);
			sqlite3_bind_text(st, 2, tag, -1, SQLITE_TRANSIENT);
			rc = run(st, NULL);
		}
	}
	if (rc)
		rc = sqlfail(h, "insert people", err);
	rep->people = g->n;
cleanup:
	sqlite3_finalize(sp);
	sqlite3_finalize(sf);
	sqlite3_finalize(st);
	return rc ? KITH_EIO : KITH_OK;
}

/* Orgs: one per ~50 people; each community hires mostly from a few. */
static int gen_jobs(sqlite3 *h, struct gen *g, uint64_t *rs, bgen_report *rep,
                    kith_error *err)
{
	sqlite3_stmt *so = NULL, *sj = NULL;
	int64_t norgs = g->n / 50 + 1;
	char name[48], country[32], from[16], to[16];
	int rc = SQLITE_OK, added = 0;

	if (sqlite3_prepare_v2(h, "INSERT INTO org(id, name, country, created, updated)"
	                       " VALUES (?1, ?2, ?3, 0, 0)", -1, &so, NULL) ||
	    sqlite3_prepare_v2(h, "INSERT INTO job(person_id, org_id, date_from, date_to,"
	                       " created) VALUES (?1, ?2, ?3, ?4, 0)", -1, &sj, NULL)) {
		rc = sqlfail(h, "prepare", err);
		goto cleanup;
	}
	for (int64_t i = 0; i < norgs && rc == SQLITE_OK; i++) {
		snprintf(name, sizeof(name), "Org %lld", (long long)i + 1);
		snprintf(country, sizeof(country), "Country %lld", (long long)(i % NCOUNTRIES));
		sqlite3_bind_int64(so, 1, i + 1);
		sqlite3_bind_text(so, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(so, 3, country, -1, SQLITE_TRANSIENT);
		rc = run(so, NULL);
	}
	for (int64_t i = 0; i < g->n && rc == SQLITE_OK; i++) {
		int njobs = (int)(bgen_rand(rs) % 4);
		int year = 1990 + (int)(bgen_rand(rs) % 20);
		for (int j = 0; j < njobs && rc == SQLITE_OK; j++) {
			int64_t org = bgen_rand(rs) % 4
				? (g->comm_of[i] * 7 + (int64_t)(bgen_rand(rs) % 3)) % norgs
				: (int64_t)(bgen_rand(rs) % (uint64_t)norgs);
			int len = 1 + (int)(bgen_rand(rs) % 8);
			snprintf(from, sizeof(from), "%d", year);
			snprintf(to, sizeof(to), "%d", year + len);
			sqlite3_bind_int64(sj, 1, i + 1);
			sqlite3_bind_int64(sj, 2, org + 1);
			sqlite3_bind_text(sj, 3, from, -1, SQLITE_TRANSIENT);
			if (j == njobs - 1 && bgen_rand(rs) % 2)
				sqlite3_bind_null(sj, 4);
			else
				sqlite3_bind_text(sj, 4, to, -1, SQLITE_TRANSIENT);
			rc = run(sj, &added);
			year += len;
		}
	}
	if (rc)
		rc = sqlfail(h, "insert jobs", err);
	rep->orgs = norgs;
	rep->jobs = added;
cleanup:
	sqlite3_finalize(so);
	sqlite3_finalize(sj);
	return rc ? KITH_EIO : KITH_OK;
}

static int gen_links(sqlite3 *h, struct gen *g, int64_t m, uint64_t *rs,
                     bgen_report *rep, int quiet, kith_error *err)
{
	sqlite3_stmt *sl = NULL;
	int rc = SQLITE_OK, added = 0;

	if (sqlite3_prepare_v2(h, "INSERT INTO link(a, b, kind, trust, created, updated)"
	                       " VALUES (?1, ?2, ?3, ?4, 0, 0)", -1, &sl, NULL))
		return sqlfail(h, "prepare", err);
	for (int64_t k = 0; k < m && rc == SQLITE_OK; k++) {
		int64_t a = by_weight(g, rs), b;
		/* Three links in four stay in the community. */
		if (bgen_rand(rs) % 4) {
			int64_t c = g->comm_of[a], lo = g->comm_lo[c], hi = g->comm_lo[c + 1];
			b = lo + (int64_t)(bgen_rand(rs) % (uint64_t)(hi - lo));
		} else {
			b = by_weight(g, rs);
		}
		if (a == b)
			continue;
		sqlite3_bind_int64(sl, 1, a + 1);
		sqlite3_bind_int64(sl, 2, b + 1);
		sqlite3_bind_text(sl, 3, kinds[bgen_rand(rs) % NKINDS], -1, SQLITE_STATIC);
		if (bgen_rand(rs) % 5 < 2)
			sqlite3_bind_double(sl, 4, 0.1 + 0.9 * unit(rs));
		else
			sqlite3_bind_null(sl, 4);
		rc = run(sl, &added);
		if (!quiet && k % 1000000 == 999999)
			fprintf(stderr, "  %lld links...\n", (long long)k + 1);
	}
	sqlite3_finalize(sl);
	if (rc)
		return sqlfail(h, "insert links", err);
	rep->links = added;
	return KITH_OK;
}

int bgen_generate(kith_db *db, const bgen_opts *o, bgen_report *rep,
                  kith_error *err)
{
	sqlite3 *h = kith_db_sqlite(db);
	struct gen g = {0};
	uint64_t rs = o->seed * 0x2545f4914f6cdd1dULL + 1;
	double t0 = secs();
	int rc;

	memset(rep, 0, sizeof(*rep));
	g.n = o->people;
	if (g.n < 2)
		return kith_error_set(err, KITH_EINVAL, "need at least 2 people");
	if (layout(&g, &rs)) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* A benchmark fixture: durability is not worth the fsyncs, and the
	 * link indexes take random inserts, which crawl once they outgrow
	 * SQLite's default 2 MB page cache. */
	sqlite3_exec(h, "PRAGMA synchronous = OFF; PRAGMA cache_size = -4000000",
	             NULL, NULL, NULL);
	rc = kith_db_begin(db, err);
	if (rc)
		goto cleanup;
	rc = gen_people(h, &g, &rs, rep, err);
	if (!rc)
		rc = gen_jobs(h, &g, &rs, rep, err);
	if (!rc)
		rc = gen_links(h, &g, o->links, &rs, rep, o->quiet, err);
	if (!rc)
		rc = kith_db_commit(db, err);
	else
		kith_db_rollback(db);
	rep->seconds = secs() - t0;
cleanup:
	free(g.comm_lo);
	free(g.comm_of);
	free(g.cum);
	return rc;
}

int bgen_load_edges(kith_db *db, const char *path, int skip_lines,
                    bgen_report *rep, kith_error *err)
{
	sqlite3 *h = kith_db_sqlite(db);
	sqlite3_stmt *sp = NULL, *sl = NULL;
	FILE *f = fopen(path, "r");
	char line[512], name[32];
	long long a, b, maxid = -1;
	double t0 = secs();
	int rc = KITH_OK, added = 0;

	memset(rep, 0, sizeof(*rep));
	if (!f)
		return kith_error_set(err, KITH_ENOTFOUND, "cannot open %s", path);
	sqlite3_exec(h, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	if ((rc = kith_db_begin(db, err)))
		goto cleanup;
	if (sqlite3_prepare_v2(h, "INSERT OR IGNORE INTO person(id, display_name, created,"
	                       " updated) VALUES (?1, ?2, 0, 0)", -1, &sp, NULL) ||
	    sqlite3_prepare_v2(h, "INSERT OR IGNORE INTO link(a, b, kind, created, updated)"
	                       " VALUES (?1, ?2, 'knows', 0, 0)", -1, &sl, NULL)) {
		rc = sqlfail(h, "prepare", err);
		goto cleanup;
	}
	while (fgets(line, sizeof(line), f)) {
		if (skip_lines-- > 0 || line[0] == '#' || line[0] == '%')
			continue;
		for (char *p = line; *p; p++)
			if (*p == ',' || *p == '\t')
				*p = ' ';
		if (sscanf(line, "%lld %lld", &a, &b) != 2 || a < 0 || b < 0 || a == b)
			continue;
		/* Every node id up to the largest seen is a person, so ids stay
		 * dense (id = node + 1). */
		long long hi = a > b ? a : b;
		for (long long id = maxid + 1; id <= hi; id++) {
			snprintf(name, sizeof(name), "node %lld", id);
			sqlite3_bind_int64(sp, 1, id + 1);
			sqlite3_bind_text(sp, 2, name, -1, SQLITE_TRANSIENT);
			if (run(sp, NULL)) {
				rc = sqlfail(h, "insert people", err);
				goto cleanup;
			}
		}
		if (hi > maxid)
			maxid = hi;
		sqlite3_bind_int64(sl, 1, a + 1);
		sqlite3_bind_int64(sl, 2, b + 1);
		if (run(sl, &added)) {
			rc = sqlfail(h, "insert links", err);
			goto cleanup;
		}
	}
	rc = kith_db_commit(db, err);
	rep->people = maxid + 1;
	rep->links = added;
	rep->seconds = secs() - t0;
cleanup:
	if (rc)
		kith_db_rollback(db);
	sqlite3_finalize(sp);
	sqlite3_finalize(sl);
	fclose(f);
	return rc;
}
