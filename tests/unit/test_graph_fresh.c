/* The graph index never answers from a stale snapshot, and the edge cases
 * (unknown people, a = b, isolated people) have defined answers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_graph.h"

static size_t hops_between(kith_graph *g, kith_id a, kith_id b)
{
	kith_path p;
	size_t h;

	assert_int_equal(kith_graph_path(g, a, b, &p, NULL), KITH_OK);
	h = p.len ? p.len - 1 : (size_t)-1;
	kith_path_clear(&p);
	return h;
}

/* Sets the trust of the (first) link between a and b through the store. */
static int set_trust(kith_db *db, kith_id a, kith_id b, double trust)
{
	kith_link *v;
	size_t n;
	int rc = KITH_ENOTFOUND;

	assert_int_equal(kith_link_list(db, a, &v, &n, NULL), KITH_OK);
	for (size_t i = 0; i < n; i++)
		if (v[i].a == b || v[i].b == b) {
			v[i].trust = trust;
			v[i].has_trust = 1;
			rc = kith_link_update(db, &v[i], NULL);
			break;
		}
	kith_link_list_free(v, n);
	return rc;
}

static void sees_every_change(void **state)
{
	kith_db *db = t_open();
	kith_graph *g;
	kith_graph_info info;
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bo", NULL),
	        c = t_person(db, "Cy", NULL);
	int64_t gen0, gen1;
	int removed;

	(void)state;
	assert_int_equal(kith_graph_open(db, NULL, &g, NULL), KITH_OK);
	assert_int_equal(hops_between(g, a, c), (size_t)-1);
	assert_int_equal(kith_graph_generation(db, &gen0, NULL), KITH_OK);

	/* Link added: the next query sees it. */
	assert_int_equal(t_link(db, a, b, "friend", 0.9), KITH_OK);
	assert_int_equal(t_link(db, b, c, NULL, -1), KITH_OK);
	assert_int_equal(kith_graph_generation(db, &gen1, NULL), KITH_OK);
	assert_true(gen1 > gen0);
	assert_int_equal(hops_between(g, a, c), 2);
	assert_int_equal(t_link(db, a, c, "colleague", -1), KITH_OK);
	assert_int_equal(hops_between(g, a, c), 1);

	/* No change: no rebuild. */
	assert_int_equal(kith_graph_info_get(g, &info, NULL), KITH_OK);
	int64_t builds = info.builds;
	assert_int_equal(hops_between(g, a, b), 1);
	assert_int_equal(kith_graph_info_get(g, &info, NULL), KITH_OK);
	assert_int_equal(info.builds, builds);
	assert_int_equal(info.people, 3);
	assert_int_equal(info.edges, 3);

	/* Link removed. */
	assert_int_equal(kith_link_remove(db, c, a, NULL, &removed, NULL), KITH_OK);
	assert_int_equal(hops_between(g, a, c), 2);

	/* Trust changed: the introduction path follows. */
	kith_id d = t_person(db, "Di", NULL);
	assert_int_equal(t_link(db, a, d, NULL, 0.9), KITH_OK);
	assert_int_equal(t_link(db, d, c, NULL, 0.9), KITH_OK);
	kith_path *p;
	size_t n;
	assert_int_equal(kith_graph_intro(g, a, c, 0, 1, &p, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].ids[1], d);   /* 0.81 beats 0.9 * 0.5 */
	kith_path_list_free(p, n);
	assert_int_equal(set_trust(db, b, c, 1.0), KITH_OK);
	assert_int_equal(kith_graph_intro(g, a, c, 0, 1, &p, &n, NULL), KITH_OK);
	assert_int_equal(p[0].ids[1], b);   /* 0.9 * 1.0 beats 0.81 */
	kith_path_list_free(p, n);

	/* Person removed, with their links; person added. */
	assert_int_equal(kith_person_remove(db, b, NULL), KITH_OK);
	assert_int_equal(hops_between(g, a, c), 2);
	kith_path q;
	kith_error err;
	assert_int_equal(kith_graph_path(g, a, b, &q, &err), KITH_ENOTFOUND);
	kith_id e = t_person(db, "Ed", NULL);
	assert_int_equal(hops_between(g, a, e), (size_t)-1);
	kith_graph_close(g);
	t_close(db);
}

/* Runs sql and reports whether the graph generation moved, and how many
 * rows it added to the change log. */
static int moves(kith_db *db, const char *sql, int64_t *logged)
{
	int64_t gen0, gen1, log0 = t_int(db, "SELECT count(*) FROM graph_change");

	assert_int_equal(kith_graph_generation(db, &gen0, NULL), KITH_OK);
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kith_graph_generation(db, &gen1, NULL), KITH_OK);
	*logged = t_int(db, "SELECT count(*) FROM graph_change") - log0;
	return gen1 > gen0;
}

/* The generation moves with every change of who is in the network and
 * how they are linked or vouched for (snapshots rebuild on it), and not
 * with an interaction, a kind's weight or the half-life: those move
 * strengths only, which the change log carries on its own (rows with b
 * -1 and -2).  Each change also leaves its rows in the log. */
static void generation_moves_with_the_network(void **state)
{
	static const struct {
		const char *sql;
		int moves;
	} step[] = {
		{"INSERT INTO person(display_name, created, updated) VALUES ('Di', 1, 1)", 1},
		{"UPDATE person SET display_name = 'Dee' WHERE display_name = 'Di'", 0},
		{"UPDATE person SET private = 1, owner = NULL WHERE display_name = 'Dee'", 1},
		{"INSERT INTO link(a, b, kind, created, updated) VALUES (1, 2, 'knows', 1, 1)", 1},
		{"UPDATE link SET trust = 0.5 WHERE a = 1 AND b = 2", 1},
		{"UPDATE link SET since = '2001' WHERE a = 1 AND b = 2", 1},
		{"UPDATE link SET private = 1 WHERE a = 1 AND b = 2", 1},
		{"UPDATE link SET notes = 'n' WHERE a = 1 AND b = 2", 0},
		{"INSERT INTO vouch(voucher, subject, created) VALUES (1, 3, 1)", 1},
		{"DELETE FROM vouch WHERE voucher = 1", 1},
		{"INSERT INTO interaction(at, kind, created) VALUES (5, 'call', 5);"
		 "INSERT INTO interaction_person VALUES (last_insert_rowid(), 1)", 0},
		{"UPDATE interaction SET at = 6", 0},
		{"UPDATE interaction_kind SET weight = 2 WHERE name = 'call'", 0},
		{"INSERT OR REPLACE INTO config(key, value) VALUES ('half_life_days', 90)", 0},
		{"DELETE FROM interaction_person", 0},
		{"DELETE FROM link WHERE a = 1 AND b = 2", 1},
		{"DELETE FROM person WHERE display_name = 'Dee'", 1},
	};
	kith_db *db = t_open();
	int64_t logged;

	(void)state;
	t_person(db, "Ana", NULL);
	t_person(db, "Bo", NULL);
	t_person(db, "Cy", NULL);
	for (size_t i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		int moved = moves(db, step[i].sql, &logged);
		if (moved != step[i].moves)
			fail_msg("step %zu (%s): the generation %s", i, step[i].sql,
			         moved ? "moved" : "stayed");
		if (step[i].moves && logged < 1)
			fail_msg("step %zu (%s): nothing in the change log", i, step[i].sql);
	}
	t_close(db);
}

/* A change rolled back and followed by another must not leave a snapshot
 * of the rolled-back state looking current (the generation number comes
 * back; the token does not). */
static void rollback_then_other_change(void **state)
{
	kith_db *db = t_open();
	kith_graph *g;
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bo", NULL),
	        c = t_person(db, "Cy", NULL);

	(void)state;
	assert_int_equal(kith_graph_open(db, NULL, &g, NULL), KITH_OK);
	assert_int_equal(hops_between(g, a, b), (size_t)-1);
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	assert_int_equal(t_link(db, a, b, NULL, -1), KITH_OK);
	assert_int_equal(hops_between(g, a, b), 1);      /* own uncommitted write */
	kith_db_rollback(db);
	assert_int_equal(t_link(db, a, c, NULL, -1), KITH_OK);
	assert_int_equal(hops_between(g, a, b), (size_t)-1);
	assert_int_equal(hops_between(g, a, c), 1);
	kith_graph_close(g);
	t_close(db);
}

/* Another connection (another process, in real life) writes: seen too. */
static void sees_other_connections(void **state)
{
	kith_db *db = t_open(), *other;
	kith_graph *g;
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bo", NULL);

	(void)state;
	assert_int_equal(kith_graph_open(db, NULL, &g, NULL), KITH_OK);
	assert_int_equal(hops_between(g, a, b), (size_t)-1);
	assert_int_equal(kith_db_open(t_path(), 0, &other, NULL), KITH_OK);
	assert_int_equal(t_link(other, a, b, NULL, -1), KITH_OK);
	assert_int_equal(hops_between(g, a, b), 1);
	kith_db_close(other);
	kith_graph_close(g);
	t_close(db);
}

static double by_kind(void *ctx, const kith_link *l)
{
	int *calls = ctx;
	(*calls)++;
	if (strcmp(l->kind, "family") == 0)
		return 1.0;
	if (strcmp(l->kind, "colleague") == 0)
		return 7.0;    /* clamped to 1 */
	return l->has_trust ? l->trust * 0.5 : -3;  /* -3: clamped up */
}

static void strength_provider(void **state)
{
	kith_db *db = t_open();
	kith_graph *g;
	kith_graph_opts o = {0};
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bo", NULL),
	        c = t_person(db, "Cy", NULL);
	kith_mutual *m;
	size_t n;
	int calls = 0;

	(void)state;
	o.strength = by_kind;
	o.strength_ctx = &calls;
	assert_int_equal(t_link(db, a, b, "knows", 0.8), KITH_OK);
	assert_int_equal(t_link(db, a, b, "family", -1), KITH_OK);
	assert_int_equal(t_link(db, b, c, "knows", -1), KITH_OK);
	assert_int_equal(t_link(db, a, c, "colleague", -1), KITH_OK);
	assert_int_equal(kith_graph_open(db, &o, &g, NULL), KITH_OK);
	assert_int_equal(kith_graph_mutual(g, a, c, &m, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].id, b);
	assert_true(fabs(m[0].strength_a - 1.0) < 1e-6);   /* max(0.4, 1) */
	assert_true(fabs(m[0].strength_b - KITH_GRAPH_MIN_STRENGTH) < 1e-6);
	free(m);
	assert_int_equal(calls, 4);
	/* Same generation: no rebuild, unless the provider says so. */
	assert_int_equal(kith_graph_refresh(g, NULL), KITH_OK);
	assert_int_equal(calls, 4);
	kith_graph_invalidate(g);
	assert_int_equal(kith_graph_refresh(g, NULL), KITH_OK);
	assert_int_equal(calls, 8);
	kith_graph_close(g);
	t_close(db);
}

/* A provider that reads only pairs: a fixed function of a, b and trust;
 * it records whether it was called in order of the smaller id, and with
 * nothing but the pair fields. */
struct pairs_seen {
	kith_id last_min;
	int calls, out_of_order, extra_fields;
};

static double by_pair(void *ctx, const kith_link *l)
{
	struct pairs_seen *p = ctx;
	kith_id lo = l->a < l->b ? l->a : l->b;

	if (p) {
		p->calls++;
		p->out_of_order |= lo < p->last_min;
		p->extra_fields |= l->kind != NULL || l->since != NULL || l->id != 0;
		p->last_min = lo;
	}
	return 0.05 + (double)((l->a * 7 + l->b * 13) % 19) / 20.0 * (l->has_trust ? l->trust : 1);
}

/* Same answers whether the provider is called row by row or pair by pair,
 * and pair by pair it is called in order of the smaller id, on links
 * written in a random order, some with trust. */
static void strength_pairs_only(void **state)
{
	kith_db *db = t_open();
	kith_graph *row, *pair;
	kith_graph_opts o = {0}, q = {0};
	struct pairs_seen seen = {0};
	kith_id p[60];
	unsigned seed = 11;
	char name[16];

	(void)state;
	for (int i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "P%d", i);
		p[i] = t_person(db, name, NULL);
	}
	for (int i = 0; i < 240; i++) {
		kith_id a = p[rand_r(&seed) % 60], b = p[rand_r(&seed) % 60];
		if (a != b)
			t_link(db, a, b, "knows", rand_r(&seed) % 2 ? (rand_r(&seed) % 10) / 10.0 : -1);
	}
	o.strength = by_pair;
	q.strength = by_pair;
	q.strength_ctx = &seen;
	q.strength_pairs_only = 1;
	assert_int_equal(kith_graph_open(db, &o, &row, NULL), KITH_OK);
	assert_int_equal(kith_graph_open(db, &q, &pair, NULL), KITH_OK);
	for (int i = 0; i < 60; i++)
		for (int j = 0; j < 60; j += 7) {
			kith_path *x, *y;
			size_t nx, ny;
			assert_int_equal(kith_graph_intro(row, p[i], p[j], 4, 2, &x, &nx, NULL), KITH_OK);
			assert_int_equal(kith_graph_intro(pair, p[i], p[j], 4, 2, &y, &ny, NULL), KITH_OK);
			assert_int_equal(nx, ny);
			for (size_t k = 0; k < nx; k++) {
				assert_int_equal(x[k].len, y[k].len);
				assert_memory_equal(x[k].ids, y[k].ids, x[k].len * sizeof(kith_id));
				assert_true(x[k].strength == y[k].strength);
			}
			kith_path_list_free(x, nx);
			kith_path_list_free(y, ny);
		}
	assert_true(seen.calls > 200);
	assert_false(seen.out_of_order);
	assert_false(seen.extra_fields);
	kith_graph_close(row);
	kith_graph_close(pair);
	t_close(db);
}

static void edge_cases(void **state)
{
	kith_db *db = t_open();
	kith_graph *g;
	kith_id a = t_person(db, "Ana", NULL), lone = t_person(db, "Lone", NULL),
	        b = t_person(db, "Bo", NULL);
	kith_path p, *v;
	kith_near_hit *h;
	kith_near_filter f = {.within = 3};
	kith_mutual *m;
	kith_error err;
	int64_t *counts, unreach;
	uint64_t total;
	size_t n;

	(void)state;
	assert_int_equal(t_link(db, a, b, NULL, -1), KITH_OK);
	assert_int_equal(kith_graph_open(db, NULL, &g, NULL), KITH_OK);
	/* a = b */
	assert_int_equal(kith_graph_path(g, a, a, &p, NULL), KITH_OK);
	assert_int_equal(p.len, 1);
	assert_int_equal(p.ids[0], a);
	assert_true(p.strength == 1.0);
	kith_path_clear(&p);
	assert_int_equal(kith_graph_paths_all(g, lone, lone, 0, &v, &n, &total, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	kith_path_list_free(v, n);
	assert_int_equal(kith_graph_intro(g, a, a, 0, 3, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].len, 1);
	kith_path_list_free(v, n);
	/* Isolated person: unreachable from and to everyone. */
	assert_int_equal(kith_graph_path(g, a, lone, &p, NULL), KITH_OK);
	assert_int_equal(p.len, 0);
	assert_null(p.ids);
	assert_int_equal(kith_graph_paths_all(g, lone, a, 5, &v, &n, &total, NULL), KITH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	assert_int_equal(kith_graph_intro(g, lone, a, 0, 3, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(kith_graph_near(g, lone, &f, &h, &n, NULL), KITH_OK);
	assert_int_equal(n, 0);
	free(h);
	assert_int_equal(kith_graph_degree(g, lone, &counts, &n, &unreach, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(counts[0], 1);
	assert_int_equal(unreach, 2);
	free(counts);
	assert_int_equal(kith_graph_mutual(g, a, a, &m, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);   /* a's own contacts */
	free(m);
	/* Unknown people and bad arguments. */
	assert_int_equal(kith_graph_path(g, a, 999, &p, &err), KITH_ENOTFOUND);
	assert_int_equal(err.code, KITH_ENOTFOUND);
	assert_int_equal(kith_graph_intro(g, 999, a, 0, 0, &v, &n, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_graph_intro(g, a, b, KITH_INTRO_MAX_HOPS + 1, 0, &v, &n, NULL),
	                 KITH_EINVAL);
	assert_int_equal(kith_graph_intro(g, a, b, -2, 0, &v, &n, NULL), KITH_EINVAL);
	f.within = 0;
	assert_int_equal(kith_graph_near(g, a, &f, &h, &n, NULL), KITH_EINVAL);
	assert_int_equal(kith_graph_reach(g, a, -1, NULL, NULL, &n, NULL), KITH_EINVAL);
	/* One hop: only a direct link is an introduction. */
	assert_int_equal(kith_graph_intro(g, a, b, 1, 2, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].len, 2);
	kith_path_list_free(v, n);
	kith_graph_close(g);
	t_close(db);
}

/* An empty database is a graph with nobody in it. */
static void empty_database(void **state)
{
	kith_db *db = t_open();
	kith_graph *g;
	kith_graph_info info;
	kith_path p;

	(void)state;
	assert_int_equal(kith_graph_open(db, NULL, &g, NULL), KITH_OK);
	assert_int_equal(kith_graph_info_get(g, &info, NULL), KITH_OK);
	assert_int_equal(info.people, 0);
	assert_int_equal(info.edges, 0);
	assert_int_equal(kith_graph_path(g, 1, 2, &p, NULL), KITH_ENOTFOUND);
	kith_graph_close(g);
	kith_graph_close(NULL);
	t_close(db);
}

/*
 * Big balls take other routes through SQL (the filter driven by an org's
 * staff, or run over every person, then intersected): a star of n people
 * around a hub, with jobs, tags and cities in a pattern, checked against
 * the pattern.
 */
static void star(kith_db *db, int n)
{
	sqlite3_stmt *sp, *sl, *sj, *st;
	sqlite3 *h = kith_db_sqlite(db);

	assert_int_equal(sqlite3_exec(h, "BEGIN; INSERT INTO org(id, name, country, created,"
	                              " updated) VALUES (1, 'O1', 'France', 0, 0),"
	                              " (2, 'O2', 'Kenya', 0, 0), (3, 'O3', 'Peru', 0, 0)",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_prepare_v2(h, "INSERT INTO person(id, display_name, city, created, updated)"
	                   " VALUES (?1, 'p', CASE ?1 % 5 WHEN 0 THEN 'Lyon' END, 0, 0)", -1,
	                   &sp, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO link(a, b, kind, created, updated)"
	                   " VALUES (1, ?1, 'knows', 0, 0)", -1, &sl, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO job(person_id, org_id, date_from, date_to, created)"
	                   " VALUES (?1, ?1 % 3 + 1, 2000 + ?1 % 20,"
	                   " CASE WHEN ?1 % 2 THEN '2030' END, 0)", -1, &sj, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO person_tag(person_id, tag) SELECT ?1, 'chess'"
	                   " WHERE ?1 % 7 = 0", -1, &st, NULL);
	for (int i = 1; i <= n; i++) {
		sqlite3_stmt *v[4] = {sp, sl, sj, st};
		for (int k = 0; k < 4; k++) {
			if (k == 1 && i == 1)
				continue;
			sqlite3_bind_int(v[k], 1, i);
			assert_int_equal(sqlite3_step(v[k]), SQLITE_DONE);
			sqlite3_reset(v[k]);
		}
	}
	sqlite3_finalize(sp);
	sqlite3_finalize(sl);
	sqlite3_finalize(sj);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
}

static int star_passes(int i, const kith_near_filter *f)
{
	int org = i % 3 + 1, from = 2000 + i % 20, current = i % 2 == 0;

	if (f->worked_at && f->worked_at != org)
		return 0;
	if (f->works_at && (f->works_at != org || !current))
		return 0;
	if (f->since_year && !(from < f->since_year))
		return 0;
	if (f->org_country && strcmp(f->org_country, org == 1 ? "france" :
	                             org == 2 ? "kenya" : "peru") != 0)
		return 0;
	if (f->tag && i % 7)
		return 0;
	if (f->city && i % 5)
		return 0;
	return 1;
}

static void check_star(kith_graph *g, int n, const kith_near_filter *f)
{
	kith_near_hit *h;
	size_t nh, want = 0;

	for (int i = 2; i <= n; i++)
		want += star_passes(i, f);
	assert_int_equal(kith_graph_near(g, 1, f, &h, &nh, NULL), KITH_OK);
	assert_int_equal(nh, want);
	for (size_t k = 0; k < nh; k++) {
		assert_true(star_passes((int)h[k].id, f));
		assert_int_equal(h[k].distance, 1);
		if (k)
			assert_true(h[k - 1].id < h[k].id);   /* equal strengths: by id */
	}
	free(h);
}

static void near_big_balls(void **state)
{
	kith_db *db = t_open();
	kith_graph *g;
	const int n = 50100;   /* over both switch-over sizes */

	(void)state;
	star(db, n);
	assert_int_equal(kith_graph_open(db, NULL, &g, NULL), KITH_OK);
	check_star(g, n, &(kith_near_filter){.within = 1, .worked_at = 2});
	check_star(g, n, &(kith_near_filter){.within = 1, .works_at = 3, .since_year = 2010});
	check_star(g, n, &(kith_near_filter){.within = 2, .worked_at = 1, .tag = "chess",
	                                     .city = "lyon"});
	check_star(g, n, &(kith_near_filter){.within = 1, .org_country = "kenya",
	                                     .since_year = 2005});
	check_star(g, n, &(kith_near_filter){.within = 1, .tag = "chess"});
	check_star(g, n, &(kith_near_filter){.within = 3});
	kith_graph_close(g);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sees_every_change),
		cmocka_unit_test(generation_moves_with_the_network),
		cmocka_unit_test(rollback_then_other_change),
		cmocka_unit_test(sees_other_connections),
		cmocka_unit_test(strength_provider),
		cmocka_unit_test(strength_pairs_only),
		cmocka_unit_test(edge_cases),
		cmocka_unit_test(empty_database),
		cmocka_unit_test(near_big_balls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
