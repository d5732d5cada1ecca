/* What a member may change (src/record/ownership.c) and the weights each view
 * gets (the pair cache plus the view's own share, src/score/score_overlay.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "internal.h"
#include "score/score_impl.h"

static kith_id t_talk(kith_db *db, kith_id a, kith_id b, kith_id c, const char *kind,
                      int64_t ago_days, kith_id initiator)
{
	kith_interaction it = {.kind = strdup(kind), .at = T_NOW - ago_days * 86400,
	                       .initiator = initiator};
	kith_error err;

	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	if (c)
		kith_idv_push(&it.people, c);
	assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
	kith_interaction_clear(&it);
	return it.id;
}

/* A fixed picture of a database, for "nothing changed". */
static char *rows(kith_db *db)
{
	static const char sql[] =
		"SELECT group_concat(x, ';') FROM (SELECT 'p' || id || ':' || coalesce(owner, 0)"
		" || private AS x FROM person UNION ALL SELECT 'l' || id || ':' || coalesce(owner, 0)"
		" || private FROM link UNION ALL SELECT 'i' || id || ':' || coalesce(owner, 0)"
		" || private FROM interaction UNION ALL SELECT 'n' || id || ':' || coalesce(owner, 0)"
		" || private FROM note UNION ALL SELECT 'o' || id || ':' || coalesce(owner, 0)"
		" || private FROM org UNION ALL SELECT 'j' || id FROM job)";
	sqlite3_stmt *st;
	char *out;

	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static void changes_follow_the_rule(void **state)
{
	kith_db *db = t_open();
	kith_id alex = t_person(db, "Alex", NULL), bo = t_person(db, "Bo", NULL);
	kith_id pat = t_person(db, "Pat", NULL), quin = t_person(db, "Quin", NULL), ma, mb;
	kith_note note = {.person = pat, .body = "bo's"};
	kith_error err;
	char *before;

	(void)state;
	assert_int_equal(kith_member_add(db, "alex", alex, &ma, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "bo", bo, &mb, &err), KITH_OK);
	assert_int_equal(t_link(db, alex, pat, "knows", -1), KITH_OK);
	assert_int_equal(t_link(db, alex, quin, "knows", -1), KITH_OK);
	t_talk(db, alex, quin, 0, "meeting", 3, 0);
	assert_int_equal(kith_db_set_author(db, mb, 1, &err), KITH_OK);
	assert_int_equal(kith_note_add(db, &note, &err), KITH_OK);
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);

	/* Bo's hidden note on Pat: Alex may neither hide nor remove Pat. */
	before = rows(db);
	assert_int_equal(kith_record_set_private(db, ma, "person", pat, 1, &err), KITH_ECONFLICT);
	assert_non_null(strstr(err.msg, "1 record of other members"));
	assert_int_equal(kith_record_remove(db, ma, "person", pat, &err), KITH_ECONFLICT);
	/* Nor anyone's own person; nor another member's note. */
	assert_int_equal(kith_record_set_private(db, ma, "person", bo, 1, &err), KITH_ECONFLICT);
	assert_int_equal(kith_record_remove(db, ma, "person", bo, &err), KITH_ECONFLICT);
	assert_int_equal(kith_record_remove(db, ma, "note", note.id, &err), KITH_ENOTFOUND);
	assert_string_equal(err.msg, "no note #1");
	assert_int_equal(kith_record_remove(db, ma, "note", 99, &err), KITH_ENOTFOUND);
	assert_string_equal(err.msg, "no note #99");
	char *after = rows(db);
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* Quin has only team records nobody owns: Alex may take him private,
	 * which rewrites no other row, and back. */
	before = rows(db);
	assert_int_equal(kith_record_set_private(db, ma, "person", quin, 1, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE owner IS NOT NULL OR private"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE owner IS NOT NULL"), 0);
	kith_db *vb = t_viewer(mb);
	kith_counts c;
	assert_int_equal(kith_counts_get(vb, &c, &err), KITH_OK);
	assert_int_equal(c.people, 3);
	assert_int_equal(c.interactions, 0);
	assert_int_equal(kith_record_set_private(db, mb, "person", quin, 0, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_record_set_private(db, ma, "person", quin, 0, &err), KITH_OK);
	assert_int_equal(kith_counts_get(vb, &c, &err), KITH_OK);
	assert_int_equal(c.people, 4);
	assert_int_equal(c.interactions, 1);
	kith_db_close(vb);
	/* What changed is Quin's owner: nobody's, now Alex's. */
	assert_int_equal(t_int(db, "SELECT owner FROM person WHERE id = 4"), ma);
	assert_int_equal(t_int(db, "UPDATE person SET owner = NULL WHERE id = 4 RETURNING 0"), 0);
	after = rows(db);
	assert_string_equal(before, after);
	free(after);
	free(before);
	/* Now Quin is Alex's; Bo may not remove him. */
	assert_int_equal(kith_record_set_private(db, ma, "person", quin, 1, &err), KITH_OK);
	assert_int_equal(kith_record_set_private(db, ma, "person", quin, 0, &err), KITH_OK);
	assert_int_equal(kith_record_remove(db, mb, "person", quin, &err), KITH_EPERM);
	assert_int_equal(kith_record_remove(db, ma, "person", quin, &err), KITH_OK);
	t_close(db);
}

/* Edge weights of every link as handle v's graph weighs them. */
static void weights(kith_db *v, double *w, size_t n)
{
	kith_score_graph_ctx *c = kith_score_graph_ctx_new(v, T_NOW);
	kith_link *links;
	size_t nl;
	kith_error err;

	assert_non_null(c);
	for (size_t i = 0; i < n; i++)
		w[i] = -1;
	assert_int_equal(kith_link_list(v, 0, &links, &nl, &err), KITH_OK);
	for (size_t i = 0; i < nl; i++) {
		assert_true(links[i].id >= 1 && (size_t)links[i].id <= n);
		w[links[i].id - 1] = kith_score_graph_strength(c, &links[i]);
	}
	kith_link_list_free(links, nl);
	kith_score_graph_ctx_free(c);
}

/* The same weights the slow way: every interaction v sees, from the log. */
static void oracle(kith_db *v, double *w, size_t n)
{
	kith_link *links;
	size_t nl;
	kith_error err;
	double h = kith_score_half_life(v);

	for (size_t i = 0; i < n; i++)
		w[i] = -1;
	assert_int_equal(kith_link_list(v, 0, &links, &nl, &err), KITH_OK);
	for (size_t i = 0; i < nl; i++) {
		kith_id a = links[i].a < links[i].b ? links[i].a : links[i].b;
		kith_id b = links[i].a < links[i].b ? links[i].b : links[i].a;
		kith_pair_sums s = {0, 0, 0, T_NOW};
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(v),
			"SELECT i.at, coalesce(i.initiator, 0), k.weight,"
			" (SELECT count(*) FROM interaction_person c WHERE c.interaction_id = i.id)"
			" FROM interaction i JOIN interaction_kind k ON k.name = i.kind"
			" WHERE EXISTS (SELECT 1 FROM interaction_person x WHERE x.interaction_id = i.id"
			"  AND x.person_id = ?1) AND EXISTS (SELECT 1 FROM interaction_person y"
			"  WHERE y.interaction_id = i.id AND y.person_id = ?2) ORDER BY i.id",
			-1, &st, NULL), SQLITE_OK);
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int64_t np = sqlite3_column_int64(st, 3);
			kith_id init = sqlite3_column_int64(st, 1);
			if (!kith__score_pair_counts((size_t)np, init, a, b))
				continue;
			kith__score_add(&s, a, b, init, sqlite3_column_double(st, 2) / (double)(np - 1),
			                sqlite3_column_int64(st, 0), 1, h);
		}
		sqlite3_finalize(st);
		w[links[i].id - 1] = kith_score_combine(kith_score_raw(&s, T_NOW, h),
		                                        links[i].has_trust ? links[i].trust : -1, 1, 0);
	}
	kith_link_list_free(links, nl);
}

#define NP 12
#define NL 40

/* Random people, links and interactions, some private to one of two
 * members, some of them with private people: each view's weights match
 * the oracle on that view, and a member's weights do not move by a bit
 * when the other member writes privately. */
static void weights_per_view(void **state)
{
	kith_db *db = t_open();
	kith_id p[NP], m[2];
	double got[NL], want[NL], before[NL];
	size_t nl = 0;
	kith_error err;
	unsigned seed = 7;

	(void)state;
	t_people(db, p, NP, "P");
	assert_int_equal(kith_member_add(db, "m0", p[0], &m[0], &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "m1", p[1], &m[1], &err), KITH_OK);
	for (int i = 0; i < NP && nl < NL; i++)
		for (int j = i + 1; j < NP && nl < NL; j++)
			if ((rand_r(&seed) % 3) == 0 || j == i + 1) {
				assert_int_equal(t_link(db, p[i], p[j], "knows", (rand_r(&seed) % 10) / 10.0),
				                 KITH_OK);
				nl++;
			}
	/* Two private people, one each (set as the database's own user: the
	 * links between them would refuse a member, see above). */
	assert_int_equal(kith_record_set_visibility(db, "person", p[10], m[0], 1, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", p[11], m[1], 1, &err), KITH_OK);
	for (int k = 0; k < 120; k++) {
		int who = (int)(rand_r(&seed) % 3), a = (int)(rand_r(&seed) % NP);
		int b = (int)(rand_r(&seed) % NP), c = (int)(rand_r(&seed) % (NP + 4));
		if (a == b || c == a || c == b)
			continue;
		assert_int_equal(kith_db_set_author(db, who < 2 ? m[who] : 0, rand_r(&seed) % 2, &err),
		                 KITH_OK);
		t_talk(db, p[a], p[b], c < NP ? p[c] : 0, k % 2 ? "meeting" : "message",
		       rand_r(&seed) % 400, rand_r(&seed) % 2 ? p[a] : 0);
	}
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);
	/* Some privacy moves after the fact, which the cache must follow. */
	assert_int_equal(kith_record_set_private(db, 0, "interaction", 3, 1, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", p[11], m[1], 0, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", p[11], m[1], 1, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", p[9], m[0], 1, &err), KITH_OK);

	for (int who = 0; who < 3; who++) {
		kith_db *v = t_viewer(who < 2 ? m[who] : 0);
		weights(v, got, NL);
		oracle(v, want, NL);
		for (size_t i = 0; i < NL; i++)
			if (fabs(got[i] - want[i]) > 1e-9)
				fail_msg("view %d, link #%zu: %.12f, the log says %.12f", who, i + 1,
				         got[i], want[i]);
		kith_db_close(v);
	}
	/* The same after a full recompute of the cache. */
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, &err), KITH_OK);
	kith_db *v0 = t_viewer(m[0]);
	weights(v0, before, NL);
	oracle(v0, want, NL);
	for (size_t i = 0; i < NL; i++)
		assert_true(fabs(before[i] - want[i]) <= 1e-9);
	/* m1 writes privately, about m0's team people: m0's weights stay. */
	assert_int_equal(kith_db_set_author(db, m[1], 1, &err), KITH_OK);
	t_talk(db, p[2], p[3], 0, "meeting", 1, p[2]);
	t_talk(db, p[0], p[2], p[4], "meeting", 2, 0);
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);
	weights(v0, got, NL);
	assert_memory_equal(got, before, sizeof(got));
	kith_db *v1 = t_viewer(m[1]);
	weights(v1, got, NL);
	oracle(v1, want, NL);
	for (size_t i = 0; i < NL; i++)
		assert_true(fabs(got[i] - want[i]) <= 1e-9);
	kith_db_close(v1);
	kith_db_close(v0);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(changes_follow_the_rule),
		cmocka_unit_test(weights_per_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
