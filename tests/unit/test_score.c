/* Strength, orbits, balance, due: hand-computed expectations at a fixed
 * now, and properties over random histories. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support.h"
#include "kith/link.h"
#include "kith/member.h"
#include "kith/score.h"

#define DAY 86400
#define EPS 1e-9
#define assert_near(a, b, eps) do { double x_ = (a), y_ = (b); \
	if (!(fabs(x_ - y_) <= (eps))) fail_msg("%.12g != %.12g", x_, y_); } while (0)

static kith_id log_it(kith_db *db, const char *kind, kith_id a, kith_id b,
                      kith_id c, kith_id initiator, kith_id giver, double value, int64_t at)
{
	kith_interaction it = {.kind = strdup(kind), .at = at, .initiator = initiator,
	                       .giver = giver, .value = value};
	kith_error err;
	kith_id id;

	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	if (c)
		kith_idv_push(&it.people, c);
	if (kith_interaction_add(db, &it, &err))
		fail_msg("log: %s", err.msg);
	id = it.id;
	kith_interaction_clear(&it);
	return id;
}

static double strength(kith_db *db, kith_id a, kith_id b, int64_t now)
{
	kith_strength s;

	assert_int_equal(kith_strength_get(db, a, b, now, &s, NULL), KITH_OK);
	kith_strength_clear(&s);
	return s.strength;
}

static void formula(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "A", NULL), b = t_person(db, "B", NULL),
	        c = t_person(db, "C", NULL), d = t_person(db, "D", NULL);
	kith_vouch v = {.voucher = a, .subject = d};

	(void)state;
	/* One meeting (weight 1) today: raw 1, strength 1 - e^(-1/8). */
	log_it(db, "meeting", a, b, 0, 0, 0, 0, T_NOW);
	assert_near(strength(db, a, b, T_NOW), 1 - exp(-1.0 / 8), EPS);
	/* 90 days later (one half-life) the raw weight is halved. */
	assert_near(strength(db, a, b, T_NOW + 90 * DAY), 1 - exp(-0.5 / 8), EPS);
	/* One-way email (0.3) counts half: raw 0.15.  A reply makes it two-way:
	 * raw 0.5 * 0.6 + 0.3 = 0.6. */
	log_it(db, "email", a, c, 0, a, 0, 0, T_NOW);
	assert_near(strength(db, a, c, T_NOW), 1 - exp(-0.15 / 8), EPS);
	log_it(db, "email", a, c, 0, c, 0, 0, T_NOW);
	assert_near(strength(db, a, c, T_NOW), 1 - exp(-0.6 / 8), EPS);
	/* A link with trust 0.8 and nothing logged: 1 - (1 - 0.4)(1 - 0.1). */
	assert_int_equal(t_link(db, a, d, "friend", 0.8), KITH_OK);
	assert_near(strength(db, a, d, T_NOW), 1 - 0.6 * 0.9, EPS);
	/* A vouch takes a further quarter off what is missing. */
	assert_int_equal(kith_vouch_add(db, &v, NULL), KITH_OK);
	assert_near(strength(db, a, d, T_NOW), 1 - 0.6 * 0.9 * 0.75, EPS);
	assert_int_equal(kith_vouch_add(db, &v, NULL), KITH_EEXISTS);
	/* A meeting of three is shared: each pair gets half a meeting. */
	log_it(db, "meeting", b, c, d, 0, 0, 0, T_NOW);
	assert_near(strength(db, c, d, T_NOW), 1 - exp(-0.5 / 8), EPS);
	/* Interactions after "now" do not count yet. */
	assert_near(strength(db, b, c, T_NOW - DAY), 0, EPS);
	t_close(db);
}

static void half_life_setting(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "A", NULL), b = t_person(db, "B", NULL);

	(void)state;
	log_it(db, "meeting", a, b, 0, 0, 0, 0, T_NOW - 30 * DAY);
	assert_int_equal(kith_score_set_half_life(db, 30, NULL), KITH_OK);
	assert_near(kith_score_half_life(db), 30, EPS);
	assert_near(strength(db, a, b, T_NOW), 1 - exp(-0.5 / 8), EPS);
	assert_int_equal(kith_score_set_half_life(db, 0, NULL), KITH_EINVAL);
	t_close(db);
}

/* Sums of the cache for (a, b) as a raw weight at t. */
static double cached_raw(kith_db *db, kith_id a, kith_id b, int64_t t)
{
	sqlite3_stmt *st;
	kith_pair_sums s = {0, 0, 0, t};

	sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT u, ab, ba, ref FROM kith_pairs"
	                   " WHERE a = ?1 AND b = ?2", -1, &st, NULL);
	sqlite3_bind_int64(st, 1, a < b ? a : b);
	sqlite3_bind_int64(st, 2, a < b ? b : a);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s.u = sqlite3_column_double(st, 0);
		s.ab = sqlite3_column_double(st, 1);
		s.ba = sqlite3_column_double(st, 2);
		s.ref = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return kith_score_raw(&s, t, kith_score_half_life(db));
}

/* Random histories: the incremental cache, the full recompute and the
 * live computation agree; strength falls with time and rises with any
 * new interaction. */
static void properties(void **state)
{
	static const char *const kinds[] = {"meeting", "call", "email", "message", "favour"};
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 40; round++) {
		kith_db *db = t_open();
		kith_id p[6];
		kith_idv logged = {0};
		for (int i = 0; i < 6; i++) {
			char name[8] = {'P', (char)('a' + i), 0};
			p[i] = t_person(db, name, NULL);
		}
		for (int k = 0; k < 30; k++) {
			kith_id a = p[rand_r(&seed) % 6], b = p[rand_r(&seed) % 6];
			kith_id c = rand_r(&seed) % 4 == 0 ? p[rand_r(&seed) % 6] : 0;
			const char *kind = kinds[rand_r(&seed) % 5];
			int64_t at = T_NOW - (int64_t)(rand_r(&seed) % 400) * DAY;
			double before, after;
			if (a == b || c == a || c == b)
				continue;
			before = strength(db, a, b, T_NOW);
			int favour = strcmp(kind, "favour") == 0;
			kith_id init = rand_r(&seed) % 3 ? (rand_r(&seed) % 2 ? a : b) : 0;
			/* A favour is started by its giver. */
			kith_idv_push(&logged, log_it(db, kind, a, b, c, favour ? 0 : init,
			                              favour ? a : 0, 1, at));
			after = strength(db, a, b, T_NOW);
			assert_true(after > before);
		}
		/* Remove a few again: the cache must follow. */
		for (size_t i = 0; i < logged.n; i += 4)
			assert_int_equal(kith_interaction_remove(db, logged.v[i], NULL), KITH_OK);
		for (int i = 0; i < 6; i++)
			for (int j = i + 1; j < 6; j++) {
				kith_strength s;
				double inc = cached_raw(db, p[i], p[j], T_NOW);
				assert_int_equal(kith_strength_get(db, p[i], p[j], T_NOW, &s, NULL), KITH_OK);
				assert_near(inc, s.raw, 1e-9 + 1e-9 * s.raw);
				assert_true(s.strength >= s.then || s.count > 0);
				assert_true(strength(db, p[i], p[j], T_NOW + 30 * DAY) <= s.strength + EPS);
				kith_strength_clear(&s);
			}
		assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
		for (int i = 0; i < 6; i++)
			for (int j = i + 1; j < 6; j++) {
				kith_strength s;
				assert_int_equal(kith_strength_get(db, p[i], p[j], T_NOW, &s, NULL), KITH_OK);
				assert_near(cached_raw(db, p[i], p[j], T_NOW), s.raw, 1e-9 + 1e-9 * s.raw);
				kith_strength_clear(&s);
			}
		kith_idv_clear(&logged);
		t_close(db);
	}
}

static void orbits_and_due(void **state)
{
	kith_db *db = t_open();
	kith_id me = t_person(db, "Me", NULL), p[20];
	kith_orbit_member *m, *gone;
	kith_due *due;
	size_t n, ngone, ndue;

	(void)state;
	kith_set_me(db, me, NULL);
	/* Person i gets i + 1 meetings, the last one i days ago. */
	for (int i = 0; i < 20; i++) {
		char name[24];
		snprintf(name, sizeof(name), "Person %02d", i);
		p[i] = t_person(db, name, NULL);
		for (int k = 0; k <= i; k++)
			log_it(db, "meeting", me, p[i], 0, 0, 0, 0, T_NOW - (int64_t)(i + k) * DAY);
	}
	assert_int_equal(kith_orbits(db, me, T_NOW, 0, &m, &n, NULL, NULL, NULL), KITH_OK);
	assert_int_equal(n, 20);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(m[i].orbit, i < 5 ? 1 : i < 15 ? 2 : 3);
		if (i)
			assert_true(m[i].s.strength <= m[i - 1].s.strength);
	}
	assert_int_equal(m[0].s.person, p[19]);
	kith_orbit_list_free(m, n);
	/* Ninety days on, nobody has moved layers, but all are weaker. */
	assert_int_equal(kith_orbits(db, me, T_NOW + 90 * DAY, T_NOW, &m, &n, &gone, &ngone, NULL),
	                 KITH_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(m[i].orbit, m[i].before);
	assert_int_equal(ngone, 0);
	kith_orbit_list_free(m, n);
	kith_orbit_list_free(gone, ngone);

	/* Due at now: inner cadence is 14 days, close 30, active 90.  The
	 * inner five (p19..p15) last met 19..15 days ago: all overdue. */
	assert_int_equal(kith_due_list(db, me, T_NOW, &due, &ndue, NULL), KITH_OK);
	assert_true(ndue >= 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(due[i].m.orbit, 1);
		assert_true(due[i].why & KITH_DUE_OVERDUE);
		assert_int_equal(due[i].cadence, 14);
	}
	assert_int_equal(due[0].m.s.person, p[19]); /* longest overdue first */
	kith_due_list_free(due, ndue);
	/* A person's own cadence beats their orbit's. */
	assert_int_equal(kith_cadence_set_person(db, p[19], 60, NULL), KITH_OK);
	assert_int_equal(kith_cadence_set_orbit(db, 2, 0, NULL), KITH_OK);
	assert_int_equal(kith_cadence_set_orbit(db, 9, 10, NULL), KITH_EINVAL);
	assert_int_equal(kith_due_list(db, me, T_NOW, &due, &ndue, NULL), KITH_OK);
	for (size_t i = 0; i < ndue; i++) {
		assert_int_not_equal(due[i].m.s.person, p[19]);
		assert_int_not_equal(due[i].m.orbit, 2);
	}
	kith_due_list_free(due, ndue);
	t_close(db);
}

static void balance(void **state)
{
	kith_db *db = t_open();
	kith_id me = t_person(db, "Me", NULL), a = t_person(db, "A", NULL),
	        b = t_person(db, "B", NULL);
	kith_balance *v;
	size_t n;

	(void)state;
	kith_set_me(db, me, NULL);
	log_it(db, "favour", me, a, 0, 0, me, 3, T_NOW);
	log_it(db, "favour", me, a, 0, 0, a, 1, T_NOW);
	log_it(db, "favour", me, a, b, 0, me, 4, T_NOW);  /* 2 each */
	log_it(db, "favour", a, b, 0, 0, a, 5, T_NOW);     /* not mine */
	log_it(db, "favour", me, b, 0, 0, b, 2, T_NOW);
	assert_int_equal(kith_balance_list(db, me, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].person, a);  /* the biggest net first */
	assert_near(v[0].given, 5, EPS);
	assert_near(v[0].received, 1, EPS);
	assert_int_equal(v[1].person, b);
	assert_near(v[1].given, 2, EPS);
	assert_near(v[1].received, 2, EPS);
	free(v);
	t_close(db);
}

static void like_minds(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "A", NULL), b = t_person(db, "B", NULL),
	        c = t_person(db, "C", NULL), d = t_person(db, "D", NULL);
	const char *tags[][3] = {{"rust", "climate", "chess"}, {"rust", "climate", NULL},
	                         {"chess", NULL, NULL}, {"music", NULL, NULL}};
	kith_id ids[] = {a, b, c, d};
	kith_like *v;
	size_t n;

	(void)state;
	for (int i = 0; i < 4; i++) {
		kith_strv t = {0};
		for (int j = 0; j < 3 && tags[i][j]; j++)
			kith_strv_push(&t, tags[i][j]);
		kith_person_tag(db, ids[i], &t, NULL, NULL);
		kith_strv_clear(&t);
	}
	assert_int_equal(kith_like_list(db, a, NULL, 0, 10, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);  /* D shares nothing */
	assert_int_equal(v[0].person, b);
	assert_int_equal(v[0].shared.n, 2);
	assert_true(v[0].similarity > v[1].similarity);
	assert_true(v[0].similarity > 0 && v[0].similarity < 1);
	kith_like_list_free(v, n);
	assert_int_equal(kith_like_list(db, a, &c, 1, 10, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].person, c);
	kith_like_list_free(v, n);
	t_close(db);
}

static void network(void **state)
{
	kith_db *db = t_open();
	kith_id p[7];
	kith_network_stats s;

	(void)state;
	for (int i = 0; i < 7; i++) {
		char name[8] = {'N', (char)('a' + i), 0};
		p[i] = t_person(db, name, NULL);
	}
	/* Two triangles joined through p[3], plus p[6] alone. */
	t_link(db, p[0], p[1], NULL, -1);
	t_link(db, p[1], p[2], NULL, -1);
	t_link(db, p[0], p[2], NULL, -1);
	t_link(db, p[2], p[3], NULL, -1);
	t_link(db, p[3], p[4], NULL, -1);
	t_link(db, p[4], p[5], NULL, -1);
	t_link(db, p[3], p[5], NULL, -1);
	assert_int_equal(kith_network_stats_get(db, 3, &s, NULL), KITH_OK);
	assert_int_equal(s.components, 2);
	assert_int_equal(s.largest_component, 6);
	assert_int_equal(s.brokers[0], p[2] == s.brokers[0] ? p[2] : p[3]);
	assert_true(s.brokers[0] == p[2] || s.brokers[0] == p[3]);
	assert_true(s.communities >= 2);
	kith_network_stats_clear(&s);
	t_close(db);
}

/* One pair's strength (kith_strength_get, which skips the pair's reads
 * when b is not among the people the handle keeps as a's peers) against
 * the same person in a's whole list (kith_strength_around, which keeps
 * nothing), on handles that stay open while the network changes:
 * interactions, links and vouches written through the handle itself and
 * through another connection (as another process would), rolled back,
 * removed, and made private by a member.  And member one's strengths
 * before and after member two logs a private interaction: the same, as
 * if it were not there (the kept peers are main's, so they name the pair,
 * and the read through one's view must find nothing). */
#define PAIR_PEOPLE 7
#define PAIR_ASKERS 3     /* people a handle keeps across calls: at most 4 */

/* What h says of every pair of an asker and another person, in v. */
static void pair_strengths(kith_db *h, const kith_id *p,
                           kith_strength v[PAIR_ASKERS][PAIR_PEOPLE])
{
	kith_error err;

	for (int i = 0; i < PAIR_ASKERS; i++)
		for (int j = 0; j < PAIR_PEOPLE; j++) {
			memset(&v[i][j], 0, sizeof(v[i][j]));
			if (i == j)
				continue;
			assert_int_equal(kith_strength_get(h, p[i], p[j], T_NOW, &v[i][j], &err),
			                 KITH_OK);
			kith_strength_clear(&v[i][j]);
		}
}

static void pair_matches_around(kith_db *h, const kith_id *p)
{
	kith_error err;

	for (int i = 0; i < PAIR_ASKERS; i++) {
		kith_strength *v;
		size_t n;
		assert_int_equal(kith_strength_around(h, p[i], T_NOW, &v, &n, &err), KITH_OK);
		for (int j = 0; j < PAIR_PEOPLE; j++) {
			kith_strength s, want = {.person = p[j]};
			if (i == j)
				continue;
			for (size_t k = 0; k < n; k++)
				if (v[k].person == p[j])
					want = v[k];
			assert_int_equal(kith_strength_get(h, p[i], p[j], T_NOW, &s, &err), KITH_OK);
			if (s.count != want.count || s.last_at != want.last_at ||
			    fabs(s.strength - want.strength) > EPS)
				fail_msg("#%lld-#%lld: %d interactions, last %lld, %.9g; around says"
				         " %d, %lld, %.9g", (long long)p[i], (long long)p[j], s.count,
				         (long long)s.last_at, s.strength, want.count,
				         (long long)want.last_at, want.strength);
			kith_strength_clear(&s);
		}
		kith_strength_list_free(v, n);
	}
}

static void pair_strength_follows_every_write(void **state)
{
	kith_db *db = t_open(), *other, *view, *plain;
	kith_id p[PAIR_PEOPLE], m1, m2, logged[64];
	size_t nlogged = 0;
	kith_error err;
	unsigned seed = 11;

	(void)state;
	t_people(db, p, PAIR_PEOPLE, "P");
	assert_int_equal(kith_member_add(db, "one", p[0], &m1, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "two", p[1], &m2, &err), KITH_OK);
	assert_int_equal(kith_db_open(t_path(), 0, &other, &err), KITH_OK);
	kith_db_set_now(other, T_NOW);
	view = t_viewer(m1);
	plain = t_viewer(0);
	for (int step = 0; step < 80; step++) {
		kith_id a = p[rand_r(&seed) % PAIR_PEOPLE], b = p[rand_r(&seed) % PAIR_PEOPLE];
		int what = rand_r(&seed) % 11;
		kith_db *w = what == 1 ? other : db;
		if (a == b)
			b = a == p[0] ? p[1] : p[0];
		if (what == 2)
			assert_int_equal(kith_db_begin(db, &err), KITH_OK);
		if (what <= 2) {
			kith_id c = p[rand_r(&seed) % PAIR_PEOPLE];   /* a third, at times */
			kith_id id = log_it(w, step % 3 ? "call" : "meeting", a, b,
			                    c == a || c == b || step % 4 ? 0 : c, a, 0, 0,
			                    T_NOW - (int64_t)(step + 1) * DAY);
			if (what == 2) {
				/* seen inside the transaction, gone after it */
				pair_matches_around(db, p);
				kith_db_rollback(db);
			} else if (nlogged < 64) {
				logged[nlogged++] = id;
			}
		} else if (what == 3 && nlogged) {
			size_t k = rand_r(&seed) % nlogged;
			assert_int_equal(kith_interaction_remove(db, logged[k], &err), KITH_OK);
			logged[k] = logged[--nlogged];
		} else if (what == 4 && nlogged) {
			/* member two's private interaction: one's view is as if it
			 * were not there */
			assert_int_equal(kith_record_set_private(db, m2, "interaction",
			                 logged[rand_r(&seed) % nlogged], 1, &err), KITH_OK);
		} else if (what == 5 && nlogged) {
			assert_int_equal(kith_record_set_private(db, m2, "interaction",
			                 logged[rand_r(&seed) % nlogged], 0, &err), KITH_OK);
		} else if (what == 6) {  /* another connection; may be linked already */
			t_link(other, a, b, "knows", 0.6);
		} else if (what == 7) {
			kith_link_remove(db, a, b, "knows", NULL, NULL);
		} else if (what == 8) {
			kith_vouch v = {.voucher = a, .subject = b};
			kith_vouch_add(step % 2 ? other : db, &v, NULL);
		} else if (what == 9) {
			kith_vouch_remove(db, a, b, NULL);
		} else if (what == 10) {
			kith_strength before[PAIR_ASKERS][PAIR_PEOPLE], after[PAIR_ASKERS][PAIR_PEOPLE];
			pair_strengths(view, p, before);
			assert_int_equal(kith_db_begin(db, &err), KITH_OK);
			kith_id id = log_it(db, "call", a, b, 0, a, 0, 0, T_NOW - DAY);
			assert_int_equal(kith_record_set_private(db, m2, "interaction", id, 1, &err),
			                 KITH_OK);
			assert_int_equal(kith_db_commit(db, &err), KITH_OK);
			pair_strengths(view, p, after);
			for (int i = 0; i < PAIR_ASKERS; i++)
				for (int j = 0; j < PAIR_PEOPLE; j++)
					if (before[i][j].count != after[i][j].count ||
					    before[i][j].last_at != after[i][j].last_at ||
					    before[i][j].strength != after[i][j].strength ||
					    before[i][j].trust != after[i][j].trust)
						fail_msg("#%lld-#%lld moved for member one after member"
						         " two's private interaction #%lld-#%lld",
						         (long long)p[i], (long long)p[j], (long long)a,
						         (long long)b);
		}
		pair_matches_around(db, p);
		pair_matches_around(view, p);
		pair_matches_around(plain, p);
	}
	kith_db_close(plain);
	kith_db_close(view);
	kith_db_close(other);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formula),
		cmocka_unit_test(half_life_setting),
		cmocka_unit_test(properties),
		cmocka_unit_test(orbits_and_due),
		cmocka_unit_test(balance),
		cmocka_unit_test(like_minds),
		cmocka_unit_test(network),
		cmocka_unit_test(pair_strength_follows_every_write),
	};
	return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
