/* Team intelligence (src/team/, intro_request.c, goodwill.c): the ranking
 * into an organisation against an exhaustive oracle on random graphs,
 * what leaves with a member, the favour of a made introduction, and the
 * goodwill at a past date against a recomputation from the truncated log. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_graph.h"
#include "kith/goodwill.h"
#include "kith/intro_request.h"
#include "kith/team.h"

static int ngraphs(int n)
{
	const char *q = getenv("KITH_TEST_QUICK");

	return q && *q && strcmp(q, "0") != 0 ? n / 4 : n;
}

static int close_to(double x, double y)
{
	return fabs(x - y) <= 1e-6 * (1 + fabs(x) + fabs(y));
}

static void sql(kith_db *db, const char *s)
{
	char *msg = NULL;

	if (sqlite3_exec(kith_db_sqlite(db), s, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", s, msg);
}

/* --- into an organisation ------------------------------------------------ */

/* Members on nm random people of g; their indexes into mi. */
static int add_members(kith_db *db, tg_rng *r, const tg_graph *g, int nm, int *mi, kith_id *mid)
{
	char name[16];
	int k = 0;

	sql(db, "DELETE FROM member");
	for (int i = 0; i < nm; i++) {
		int p = (int)tg_below(r, (uint32_t)g->n), dup = 0;
		for (int j = 0; j < k; j++)
			dup |= mi[j] == p;
		if (dup)
			continue;
		snprintf(name, sizeof(name), "m%d", i);
		assert_int_equal(kith_member_add(db, name, g->ids[p], &mid[k], NULL), KITH_OK);
		mi[k++] = p;
	}
	return k;
}

static int works_at(const tg_graph *g, int i, kith_id org, int current_only)
{
	for (int j = 0; j < g->njobs[i]; j++)
		if (g->job_org[i][j] == org && (!current_only || g->job_current[i][j]))
			return 1;
	return 0;
}

/* A chain is a walk along g's links from the member's person, whose edges
 * are the links' strengths and multiply to its strength. */
static void check_chain(const tg_graph *g, const kith_chain *c, int from, kith_id to, int hops)
{
	double prod = 1;

	assert_true(c->path.len >= 2 && c->path.len <= (size_t)hops + 1);
	assert_int_equal(c->path.ids[0], g->ids[from]);
	assert_int_equal(c->path.ids[c->path.len - 1], to);
	for (size_t i = 0; i + 1 < c->path.len; i++) {
		int a = tg_index(g, c->path.ids[i]), b = tg_index(g, c->path.ids[i + 1]);
		assert_true(a >= 0 && b >= 0 && g->w[a][b] > 0);
		assert_true(close_to(c->edges[i], exp(-tg_cost(g->w[a][b]))));
		prod *= c->edges[i];
	}
	assert_true(close_to(prod, c->path.strength));
}

static int member_index(const kith_id *mid, const int *mi, int nm, kith_id member)
{
	for (int k = 0; k < nm; k++)
		if (mid[k] == member)
			return mi[k];
	fail_msg("chain from no member");
	return -1;
}

static void check_ways(kith_db *db, kith_graph *kg, const tg_graph *g, const int *mi,
                       const kith_id *mid, int nm, kith_id org, int hops, int current)
{
	kith_ways_filter f = {.hops = hops, .alts = 3, .current_only = current};
	kith_ways_result res;
	size_t want_people = 0;

	assert_int_equal(kith_team_ways(db, kg, org, &f, &res, NULL), KITH_OK);
	for (int i = 0; i < g->n; i++) {
		int member = 0;
		for (int k = 0; k < nm; k++)
			member |= mi[k] == i;
		want_people += !member && works_at(g, i, org, current);
	}
	assert_int_equal(res.people, want_people);
	assert_int_equal(res.n, want_people);
	for (size_t w = 0; w < res.n; w++) {
		const kith_way *x = &res.v[w];
		int t = tg_index(g, x->person);
		double best = 0, first[TG_MAX];
		assert_true(t >= 0 && works_at(g, t, org, current));
		for (int k = 0; k < nm; k++) {
			double c = tg_best_simple(g, mi[k], t, hops, first);
			if (isfinite(c) && exp(-c) > best)
				best = exp(-c);
		}
		if (best == 0) {
			assert_int_equal(x->best.path.len, 0);
			assert_int_equal(x->nalts, 0);
		} else {
			assert_true(close_to(x->best.path.strength, best));
			check_chain(g, &x->best, member_index(mid, mi, nm, x->best.member), x->person,
			            hops);
		}
		/* Each alternative is its member's best through its first contact. */
		for (size_t a = 0; a < x->nalts; a++) {
			const kith_chain *c = &x->alts[a];
			int from = member_index(mid, mi, nm, c->member);
			check_chain(g, c, from, x->person, hops);
			tg_best_simple(g, from, t, hops, first);
			assert_true(close_to(-log(c->path.strength), first[tg_index(g, c->path.ids[1])]));
			assert_true(c->path.strength <= x->best.path.strength * (1 + 1e-9));
			assert_false(c->member == x->best.member && c->path.ids[1] == x->best.path.ids[1]);
		}
		/* Ranked by chain strength; nobody's last. */
		if (w > 0) {
			double prev = res.v[w - 1].best.path.len ? res.v[w - 1].best.path.strength : -1;
			double cur = x->best.path.len ? x->best.path.strength : -1;
			assert_true(prev >= cur);
		}
	}
	kith_ways_result_clear(&res);
}

static void ways_match_oracle(void **state)
{
	kith_db *db = t_open();
	kith_graph *kg;
	tg_rng r = {1818};
	tg_graph g;
	int mi[4];
	kith_id mid[4];

	(void)state;
	sqlite3_exec(kith_db_sqlite(db), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	assert_int_equal(kith_graph_open(db, NULL, &kg, NULL), KITH_OK);
	for (int i = 0; i < ngraphs(200); i++) {
		int n = 2 + (int)tg_below(&r, 8);
		sql(db, "DELETE FROM member");
		tg_random(db, &r, n, (double)(10 + tg_below(&r, 60)) / 100.0, &g);
		int nm = add_members(db, &r, &g, 1 + (int)tg_below(&r, 3), mi, mid);
		for (int o = 0; o < 3; o++)
			check_ways(db, kg, &g, mi, mid, nm, g.orgs[o], 1 + (int)tg_below(&r, 5),
			           (int)tg_below(&r, 2));
	}
	kith_graph_close(kg);
	t_close(db);
}

static void ways_filters_and_refusals(void **state)
{
	kith_db *db = t_open();
	kith_graph *kg;
	kith_ways_result res;
	kith_ways_filter f = {0};
	kith_id a = t_person(db, "Ann", NULL), x = t_person(db, "Xavier", NULL);
	kith_id y = t_person(db, "Yolanda", NULL), m, org;
	kith_job j1 = {.person = x, .title = strdup("Head of Engineering")};
	kith_job j2 = {.person = y, .title = strdup("Sales engineer"), .from = strdup("2019"),
	               .to = strdup("2021")};

	(void)state;
	assert_int_equal(kith_org_ensure(db, "Acme", &org, NULL), KITH_OK);
	j1.org = j2.org = org;
	assert_int_equal(kith_job_add(db, &j1, NULL), KITH_OK);
	assert_int_equal(kith_job_add(db, &j2, NULL), KITH_OK);
	kith_job_clear(&j1);
	kith_job_clear(&j2);
	assert_int_equal(t_link(db, a, x, "knows", 0.9), KITH_OK);
	assert_int_equal(kith_member_add(db, "ann", a, &m, NULL), KITH_OK);
	assert_int_equal(kith_graph_open(db, NULL, &kg, NULL), KITH_OK);
	f.role = "ENGINEER head";
	assert_int_equal(kith_team_ways(db, kg, org, &f, &res, NULL), KITH_OK);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.v[0].person, x);
	kith_ways_result_clear(&res);
	f.role = "engineer";
	assert_int_equal(kith_team_ways(db, kg, org, &f, &res, NULL), KITH_OK);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.v[0].person, x);  /* reached */
	assert_int_equal(res.v[1].best.path.len, 0);  /* nobody reaches Yolanda */
	assert_false(res.v[1].current);
	kith_ways_result_clear(&res);
	f.current_only = 1;
	assert_int_equal(kith_team_ways(db, kg, org, &f, &res, NULL), KITH_OK);
	assert_int_equal(res.n, 1);
	kith_ways_result_clear(&res);
	f.hops = 13;
	assert_int_equal(kith_team_ways(db, kg, org, &f, &res, NULL), KITH_EINVAL);
	assert_int_equal(kith_team_ways(db, kg, org + 100, NULL, &res, NULL), KITH_ENOTFOUND);
	kith_graph_close(kg);
	t_close(db);
}

/* --- what leaves with a member --------------------------------------------- */

static void leaves_held_by_one(void **state)
{
	kith_db *db = t_open();
	kith_graph *kg;
	kith_leaves *v;
	size_t n;
	kith_id a = t_person(db, "Ann", NULL), b = t_person(db, "Bea", NULL);
	kith_id x = t_person(db, "Xavier", NULL), y = t_person(db, "Yusuf", NULL), ma, mb, org;
	kith_job j = {.person = x, .title = strdup("CTO")};

	(void)state;
	assert_int_equal(kith_org_ensure(db, "Acme", &org, NULL), KITH_OK);
	j.org = org;
	assert_int_equal(kith_job_add(db, &j, NULL), KITH_OK);
	kith_job_clear(&j);
	assert_int_equal(kith_member_add(db, "ann", a, &ma, NULL), KITH_OK);
	assert_int_equal(kith_member_add(db, "bea", b, &mb, NULL), KITH_OK);
	assert_int_equal(t_link(db, a, x, "knows", 0.9), KITH_OK);
	assert_int_equal(t_link(db, a, b, "colleague", 0.9), KITH_OK);  /* through Ann: no */
	assert_int_equal(t_link(db, b, y, "knows", 0.5), KITH_OK);
	assert_int_equal(kith_graph_open(db, NULL, &kg, NULL), KITH_OK);
	assert_int_equal(kith_team_leaves(db, kg, ma, 0.2, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].nheld, 1);               /* Xavier; not Bea, a member */
	assert_int_equal(v[0].held[0].person, x);
	assert_int_equal(v[0].nlost, 1);
	assert_int_equal(v[0].lost_orgs[0], org);
	assert_int_equal(v[0].held[0].suggest.path.len, 0);  /* only through Ann */
	kith_leaves_list_free(v, n);
	/* A weak second way is not a way; a strong one is. */
	assert_int_equal(t_link(db, y, x, "knows", 0.3), KITH_OK);   /* 0.5 x 0.3 < 0.2 */
	assert_int_equal(kith_team_leaves(db, kg, ma, 0.2, &v, &n, NULL), KITH_OK);
	assert_int_equal(v[0].nheld, 1);
	assert_int_equal(v[0].held[0].suggest.member, mb);   /* the best second path */
	assert_int_equal(v[0].held[0].suggest.path.len, 3);
	kith_leaves_list_free(v, n);
	assert_int_equal(kith_team_leaves(db, kg, ma, 0.1, &v, &n, NULL), KITH_OK);
	assert_int_equal(v[0].nheld, 0);
	assert_int_equal(v[0].nlost, 0);
	kith_leaves_list_free(v, n);
	/* Team-wide: every member. */
	assert_int_equal(kith_team_leaves(db, kg, 0, 0.2, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].nheld, 1);               /* Xavier, by Ann */
	assert_int_equal(v[1].member, mb);
	assert_int_equal(v[1].nheld, 0);  /* Ann reaches Yusuf through Xavier (0.27) */
	kith_leaves_list_free(v, n);
	assert_int_equal(kith_team_leaves(db, kg, 99, 0.2, &v, &n, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_team_leaves(db, kg, 0, 1.5, &v, &n, NULL), KITH_EINVAL);
	kith_graph_close(kg);
	t_close(db);
}

/* --- introduction requests and goodwill ------------------------------------ */

struct team3 {
	kith_id a, b, x, ma, mb;
};

static void team3(kith_db *db, struct team3 *t)
{
	t->a = t_person(db, "Ann", NULL);
	t->b = t_person(db, "Bea", NULL);
	t->x = t_person(db, "Xavier", NULL);
	assert_int_equal(kith_member_add(db, "ann", t->a, &t->ma, NULL), KITH_OK);
	assert_int_equal(kith_member_add(db, "bea", t->b, &t->mb, NULL), KITH_OK);
	assert_int_equal(t_link(db, t->b, t->x, "knows", 0.8), KITH_OK);
}

static kith_id ask(kith_db *db, const struct team3 *t, int expect)
{
	kith_id chain[2] = {t->b, t->x};
	kith_intro_request q = {.chain = chain, .nchain = 2, .strength = 0.8, .note = "CTO?"};

	assert_int_equal(kith_intro_request_add(db, t->ma, t->mb, &q, NULL), expect);
	return q.id;
}

static void made_introduction_is_a_favour(void **state)
{
	kith_db *db = t_open();
	struct team3 t;
	kith_intro_request r;
	kith_interaction it;
	kith_id id;

	(void)state;
	team3(db, &t);
	id = ask(db, &t, KITH_OK);
	/* Only Bea makes it; only Ann withdraws; an outcome waits for it. */
	assert_int_equal(kith_intro_request_move(db, t.ma, id, "made", 0, NULL), KITH_EPERM);
	assert_int_equal(kith_intro_request_move(db, t.mb, id, "met", 0, NULL), KITH_ECONFLICT);
	assert_int_equal(kith_intro_request_move(db, t.mb, id, "withdrawn", 0, NULL), KITH_EPERM);
	assert_int_equal(kith_intro_request_move(db, t.mb, id, "bogus", 0, NULL), KITH_EINVAL);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 0);
	assert_int_equal(kith_intro_request_move(db, t.mb, id, "accepted", 0, NULL), KITH_OK);
	assert_int_equal(kith_intro_request_move(db, t.mb, id, "made", T_NOW - 3600, NULL), KITH_OK);
	assert_int_equal(kith_intro_request_move(db, t.ma, id, "hired", 0, NULL), KITH_OK);
	assert_int_equal(kith_intro_request_get(db, t.ma, id, &r, NULL), KITH_OK);
	assert_string_equal(r.status, "made");
	assert_string_equal(r.outcome, "hired");
	assert_int_equal(r.made_at, T_NOW - 3600);
	/* The introduction: three people, started by Bea. */
	assert_int_equal(kith_interaction_get(db, r.interaction, &it, NULL), KITH_OK);
	assert_string_equal(it.kind, "introduction");
	assert_int_equal(it.people.n, 3);
	assert_int_equal(it.at, T_NOW - 3600);
	kith_interaction_clear(&it);
	/* The favour: given by Bea to Ann. */
	assert_int_equal(kith_interaction_get(db, r.favour, &it, NULL), KITH_OK);
	assert_string_equal(it.kind, "favour");
	assert_int_equal(it.giver, t.b);
	assert_true(it.value == 1);
	assert_int_equal(it.people.n, 2);
	kith_interaction_clear(&it);
	kith_balance *bal;
	size_t nb;
	assert_int_equal(kith_balance_list(db, t.a, &bal, &nb, NULL), KITH_OK);
	assert_int_equal(nb, 1);
	assert_int_equal(bal[0].person, t.b);
	assert_true(bal[0].received == 1 && bal[0].given == 0);
	free(bal);
	kith_intro_request_clear(&r);
	assert_int_equal(kith_intro_request_move(db, t.mb, id, "made", 0, NULL), KITH_ECONFLICT);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 2);
	t_close(db);
}

static void requests_seen_by_their_two_members(void **state)
{
	kith_db *db = t_open();
	struct team3 t;
	kith_intro_request r, *v;
	kith_error e1, e2;
	size_t n;
	kith_id c = t_person(db, "Cy", NULL), mc, id, priv;

	(void)state;
	team3(db, &t);
	assert_int_equal(kith_member_add(db, "cy", c, &mc, NULL), KITH_OK);
	id = ask(db, &t, KITH_OK);
	assert_int_equal(kith_intro_request_get(db, t.mb, id, &r, NULL), KITH_OK);
	kith_intro_request_clear(&r);
	/* Cy: exactly as a request that does not exist. */
	assert_int_equal(kith_intro_request_get(db, mc, id, &r, &e1), KITH_ENOTFOUND);
	assert_int_equal(kith_intro_request_get(db, mc, id + 1000, &r, &e2), KITH_ENOTFOUND);
	assert_string_equal(strchr(e1.msg, '#') ? "x" : e1.msg, strchr(e2.msg, '#') ? "x" : e2.msg);
	assert_int_equal(kith_intro_request_move(db, mc, id, "accepted", 0, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_intro_request_list(db, mc, KITH_INTRO_BOTH, NULL, &v, &n, NULL),
	                 KITH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(kith_intro_request_list(db, t.mb, KITH_INTRO_FROM_ME, NULL, &v, &n, NULL),
	                 KITH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(kith_intro_request_list(db, t.mb, KITH_INTRO_TO_ME, NULL, &v, &n, NULL),
	                 KITH_OK);
	assert_int_equal(n, 1);
	kith_intro_request_list_free(v, n);
	/* A target private to the asker is not asked about. */
	priv = t_person(db, "Hidden", NULL);
	assert_int_equal(t_link(db, t.b, priv, "knows", 0.5), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", priv, t.ma, 1, NULL), KITH_OK);
	kith_id chain[2] = {t.b, priv};
	kith_intro_request q = {.chain = chain, .nchain = 2};
	assert_int_equal(kith_intro_request_add(db, t.ma, t.mb, &q, NULL), KITH_EINVAL);
	/* Nor one the asker cannot see, which reads as unknown. */
	assert_int_equal(kith_record_set_visibility(db, "person", priv, mc, 1, NULL), KITH_OK);
	assert_int_equal(kith_intro_request_add(db, t.ma, t.mb, &q, NULL), KITH_ENOTFOUND);
	/* Once the target is hidden from a party, the request is, to them. */
	assert_int_equal(kith_record_set_visibility(db, "person", t.x, t.ma, 1, NULL), KITH_OK);
	assert_int_equal(kith_intro_request_get(db, t.mb, id, &r, NULL), KITH_ENOTFOUND);
	assert_int_equal(t_int(db, "SELECT count(*) FROM intro_request"), 1);
	t_close(db);
}

/* Goodwill at a past date equals goodwill computed on a copy of the
 * database whose log (interactions, request dates) stops at that date. */
static void goodwill_at_past_date_is_the_truncated_log(void **state)
{
	kith_db *db = t_open(), *copy;
	struct team3 t;
	tg_rng r = {4242};
	kith_goodwill g1, g2;
	kith_id people[12];
	char *s1, *s2, path[4200], q[4400];
	const int64_t past = T_NOW - 75 * 86400;

	(void)state;
	team3(db, &t);
	for (int i = 0; i < 12; i++) {
		char name[16];
		snprintf(name, sizeof(name), "P%d", i);
		people[i] = t_person(db, name, NULL);
		t_link(db, i % 2 ? t.a : t.b, people[i], "knows", -1);
	}
	for (int i = 0; i < 160; i++) {
		kith_interaction it = {0};
		kith_id who = people[tg_below(&r, 12)], member = tg_below(&r, 2) ? t.a : t.b;
		it.at = T_NOW - (int64_t)tg_below(&r, 400) * 86400;
		it.kind = tg_below(&r, 3) ? "meeting" : "favour";
		if (!strcmp(it.kind, "favour"))
			it.giver = tg_below(&r, 2) ? who : member;
		kith_idv_push(&it.people, who);
		kith_idv_push(&it.people, member);
		assert_int_equal(kith_interaction_add(db, &it, NULL), KITH_OK);
		kith_idv_clear(&it.people);
	}
	for (int i = 0; i < 6; i++) {
		kith_db_set_now(db, T_NOW - (int64_t)(150 - 25 * i) * 86400);
		kith_id id = ask(db, &t, KITH_OK);
		if (i % 3 != 2)
			kith_intro_request_move(db, t.mb, id, "made",
			                        T_NOW - (int64_t)(140 - 25 * i) * 86400, NULL);
		if (i % 3 == 0)
			kith_intro_request_move(db, t.ma, id, "deal",
			                        T_NOW - (int64_t)(130 - 25 * i) * 86400, NULL);
	}
	kith_db_set_now(db, T_NOW);
	assert_int_equal(kith_goodwill_get(db, 0, past, 6, &g1, NULL), KITH_OK);
	assert_true(g1.made > 0 && g1.given > 0 && g1.people > 0);
	json_t *j = kith_goodwill_json(db, &g1);
	s1 = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	/* The copy, cut at past. */
	snprintf(path, sizeof(path), "%s.cut", t_path());
	snprintf(q, sizeof(q), "VACUUM INTO '%s'", path);
	sql(db, q);
	assert_int_equal(kith_db_open(path, 0, &copy, NULL), KITH_OK);
	snprintf(q, sizeof(q),
	         "DELETE FROM intro_request WHERE asked_at > %1$lld;"
	         "UPDATE intro_request SET outcome = NULL, outcome_at = NULL WHERE outcome_at > %1$lld;"
	         "UPDATE intro_request SET status = 'accepted', made_at = NULL WHERE made_at > %1$lld;"
	         "DELETE FROM interaction WHERE at > %1$lld;", (long long)past);
	sql(copy, q);
	kith_db_set_now(copy, past);
	assert_int_equal(kith_goodwill_get(copy, 0, past, 6, &g2, NULL), KITH_OK);
	j = kith_goodwill_json(copy, &g2);
	s2 = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	assert_string_equal(s1, s2);
	/* And the present differs from the past. */
	kith_goodwill_clear(&g2);
	assert_int_equal(kith_goodwill_get(db, 0, T_NOW, 6, &g2, NULL), KITH_OK);
	assert_true(g2.made > g1.made);
	free(s1);
	free(s2);
	kith_goodwill_clear(&g1);
	kith_goodwill_clear(&g2);
	kith_db_close(copy);
	remove(path);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ways_match_oracle),
		cmocka_unit_test(ways_filters_and_refusals),
		cmocka_unit_test(leaves_held_by_one),
		cmocka_unit_test(made_introduction_is_a_favour),
		cmocka_unit_test(requests_seen_by_their_two_members),
		cmocka_unit_test(goodwill_at_past_date_is_the_truncated_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
