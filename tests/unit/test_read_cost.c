/*
 * What the reads of a person page cost, counted where a busy machine does
 * not move the count: statements compiled (SQLite calls the authorizer
 * while it compiles, never while it runs) and virtual machine steps.
 *
 * A person page read on a member's handle compiles nothing once it has
 * been read before (a member's handle compiles every statement through
 * its views, which cost more than the read), and the strength between a
 * person with many ties and one with few reads the few, not the many.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "internal.h"

#define HUB_TIES 300

static long compiled;
static long long steps;

static int count_compile(void *ctx, int action, const char *a, const char *b,
                         const char *c, const char *d)
{
	(void)ctx, (void)a, (void)b, (void)c, (void)d;
	if (action == SQLITE_SELECT)
		compiled++;
	return SQLITE_OK;
}

static int count_steps(unsigned type, void *ctx, void *p, void *x)
{
	(void)ctx, (void)x;
	if (type == SQLITE_TRACE_PROFILE)
		steps += sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 1);
	return 0;
}

struct net {
	kith_id me, hub_member, leaf, member;
};

/* Me, linked to and interacting with HUB_TIES people; leaf, one of them,
 * with a job and a note; a member whose person is me. */
static kith_db *build(struct net *n)
{
	kith_db *db = t_open();
	kith_error err;
	kith_org o = {.name = strdup("Acme")};

	n->me = t_person(db, "Me Myself", NULL);
	assert_int_equal(kith_set_me(db, n->me, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "me", n->me, &n->member, &err), KITH_OK);
	assert_int_equal(kith_db_begin(db, &err), KITH_OK);
	for (int i = 0; i < HUB_TIES; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Person %03d", i);
		kith_id p = t_person(db, name, NULL);
		assert_int_equal(t_link(db, n->me, p, "knows", 0.5), KITH_OK);
		for (int k = 0; k < 2; k++) {
			/* Half meet me lately, half long ago, and the ranks of
			 * three months back are not today's. */
			int64_t days = i % 2 ? i / 3 + k * 7 : 80 + i / 2 + k * 30;
			kith_interaction it = {.kind = strdup(i % 3 ? "call" : "meeting"),
			                       .at = T_NOW - days * 86400};
			kith_idv_push(&it.people, n->me);
			kith_idv_push(&it.people, p);
			assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
			kith_interaction_clear(&it);
		}
		if (i == HUB_TIES / 2)
			n->leaf = p;
	}
	assert_int_equal(kith_db_commit(db, &err), KITH_OK);
	assert_int_equal(kith_org_add(db, &o, &err), KITH_OK);
	kith_job j = {.person = n->leaf, .org = o.id, .title = strdup("Engineer")};
	assert_int_equal(kith_job_add(db, &j, &err), KITH_OK);
	kith_note note = {.person = n->leaf, .body = strdup("met at the fair")};
	assert_int_equal(kith_note_add(db, &note, &err), KITH_OK);
	free(note.body);
	kith_job_clear(&j);
	kith_org_clear(&o);
	return db;
}

/* The reads of the person page of id, as GET /api/v1/people/{id}, its
 * timeline, links and notes read them. */
static void read_page(kith_db *v, kith_id me, kith_id id)
{
	kith_person *p;
	kith_job *jobs;
	kith_link *links;
	kith_interaction *its;
	kith_note *notes;
	kith_strength s;
	size_t n;
	kith_error err;
	kith_interaction_filter f = {.person = id, .limit = 50};
	kith_id owner;
	int priv;

	assert_int_equal(kith_person_get(v, id, &p, &err), KITH_OK);
	kith_person_free(p);
	assert_int_equal(kith_record_visibility(v, "person", id, &owner, &priv, &err), KITH_OK);
	assert_int_equal(kith_job_list(v, id, &jobs, &n, &err), KITH_OK);
	assert_int_equal(n, 1);
	kith_job_list_free(jobs, n);
	assert_int_equal(kith_strength_get(v, me, id, T_NOW, &s, &err), KITH_OK);
	assert_int_equal(s.count, 2);
	assert_true(s.linked);
	kith_strength_clear(&s);
	assert_int_equal(kith_interaction_list(v, &f, &its, &n, &err), KITH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(its[0].people.n, 2);
	kith_interaction_list_free(its, n);
	assert_int_equal(kith_link_list(v, id, &links, &n, &err), KITH_OK);
	assert_int_equal(n, 1);
	kith_link_list_free(links, n);
	assert_int_equal(kith_note_list(v, id, &notes, &n, &err), KITH_OK);
	assert_int_equal(n, 1);
	kith_note_list_free(notes, n);
}

/* Read twice on a member's handle: the second read compiles nothing. */
static void test_person_page_compiles_once(void **state)
{
	struct net n;
	kith_db *db = build(&n);
	kith_db *views[2] = {t_viewer(n.member), t_viewer(0)};

	(void)state;
	for (int i = 0; i < 2; i++) {
		sqlite3_set_authorizer(kith_db_sqlite(views[i]), count_compile, NULL);
		read_page(views[i], n.me, n.leaf);
		compiled = 0;
		read_page(views[i], n.me, n.leaf);
		if (compiled)
			fail_msg("a person page read again compiled %ld statements (handle %d)",
			         compiled, i);
		kith_db_close(views[i]);
	}
	t_close(db);
}

/* Statements a handle prepared before: more than its cache holds. */
static const char *const other[] = {
	"SELECT 0",
	"SELECT 1",
	"SELECT 2",
	"SELECT 3",
	"SELECT 4",
	"SELECT 5",
	"SELECT 6",
	"SELECT 7",
	"SELECT 8",
	"SELECT 9",
	"SELECT 10",
	"SELECT 11",
	"SELECT 12",
	"SELECT 13",
	"SELECT 14",
	"SELECT 15",
	"SELECT 16",
	"SELECT 17",
	"SELECT 18",
	"SELECT 19",
	"SELECT 20",
	"SELECT 21",
	"SELECT 22",
	"SELECT 23",
	"SELECT 24",
	"SELECT 25",
	"SELECT 26",
	"SELECT 27",
	"SELECT 28",
	"SELECT 29",
	"SELECT 30",
	"SELECT 31",
	"SELECT 32",
	"SELECT 33",
	"SELECT 34",
	"SELECT 35",
	"SELECT 36",
	"SELECT 37",
	"SELECT 38",
	"SELECT 39",
	"SELECT 40",
	"SELECT 41",
	"SELECT 42",
	"SELECT 43",
	"SELECT 44",
	"SELECT 45",
	"SELECT 46",
	"SELECT 47",
	"SELECT 48",
	"SELECT 49",
	"SELECT 50",
	"SELECT 51",
	"SELECT 52",
	"SELECT 53",
	"SELECT 54",
	"SELECT 55",
	"SELECT 56",
	"SELECT 57",
	"SELECT 58",
	"SELECT 59",
	"SELECT 60",
	"SELECT 61",
	"SELECT 62",
	"SELECT 63",
};

/* A handle that prepared many other statements first (a server's handle
 * serves every kind of request) still keeps the person page's prepared:
 * the statements used least recently give way. */
static void test_person_page_stays_prepared_after_others(void **state)
{
	struct net n;
	kith_db *db = build(&n);
	kith_db *v = t_viewer(n.member);

	(void)state;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		sqlite3_stmt *st;
		assert_int_equal(kith__stmt(v, other[i], &st, NULL), KITH_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		kith__stmt_release(v, st);
	}
	sqlite3_set_authorizer(kith_db_sqlite(v), count_compile, NULL);
	read_page(v, n.me, n.leaf);
	compiled = 0;
	read_page(v, n.me, n.leaf);
	if (compiled)
		fail_msg("after %zu other statements, a person page read again compiled %ld",
		         sizeof(other) / sizeof(other[0]), compiled);
	kith_db_close(v);
	t_close(db);
}

/* The strength of me and a leaf reads the leaf's ties, not me's
 * HUB_TIES links and interactions. */
static void test_pair_strength_reads_the_pair(void **state)
{
	struct net n;
	kith_db *db = build(&n);
	kith_db *v = t_viewer(n.member);
	kith_strength s;
	kith_error err;

	(void)state;
	sqlite3_trace_v2(kith_db_sqlite(v), SQLITE_TRACE_PROFILE, count_steps, NULL);
	assert_int_equal(kith_strength_get(v, n.me, n.leaf, T_NOW, &s, &err), KITH_OK);
	kith_strength_clear(&s);
	steps = 0;
	assert_int_equal(kith_strength_get(v, n.me, n.leaf, T_NOW, &s, &err), KITH_OK);
	assert_int_equal(s.count, 2);
	assert_true(s.linked);
	assert_true(s.strength > 0);
	kith_strength_clear(&s);
	/* The leaf's two interactions and one link: a few hundred steps,
	 * against several thousand when me's ties are walked. */
	if (steps > HUB_TIES * 2)
		fail_msg("strength of a pair took %lld steps with %d ties on one side",
		         steps, HUB_TIES);
	/* The other way round: the hub is the second person. */
	steps = 0;
	assert_int_equal(kith_strength_get(v, n.leaf, n.me, T_NOW, &s, &err), KITH_OK);
	assert_int_equal(s.count, 2);
	kith_strength_clear(&s);
	kith_db_close(v);
	t_close(db);
}

/* The due list's orbits (now, and KITH_SCORE_TREND_DAYS before) come from
 * one reading of my log: the same members, orbits and strengths as the
 * two readings of kith_orbits with a list of who left (which keeps them),
 * for well under the steps. */
static void test_trend_orbits_read_once(void **state)
{
	struct net n;
	kith_db *db = build(&n);
	kith_db *v = t_viewer(n.member);
	int64_t since = T_NOW - KITH_SCORE_TREND_DAYS * 86400LL;
	kith_orbit_member *one, *two, *gone;
	size_t n1, n2, ngone;
	long long steps_one, steps_two;
	kith_error err;
	int moved = 0;

	(void)state;
	sqlite3_trace_v2(kith_db_sqlite(v), SQLITE_TRACE_PROFILE, count_steps, NULL);
	steps = 0;
	assert_int_equal(kith_orbits(v, n.me, T_NOW, since, &one, &n1, NULL, NULL, &err), KITH_OK);
	steps_one = steps;
	steps = 0;
	assert_int_equal(kith_orbits(v, n.me, T_NOW, since, &two, &n2, &gone, &ngone, &err),
	                 KITH_OK);
	steps_two = steps;
	assert_int_equal(n1, n2);
	assert_int_equal(n1, HUB_TIES);
	for (size_t i = 0; i < n1; i++) {
		assert_int_equal(one[i].s.person, two[i].s.person);
		assert_int_equal(one[i].orbit, two[i].orbit);
		assert_int_equal(one[i].before, two[i].before);
		assert_true(one[i].s.strength == two[i].s.strength);
		assert_int_equal(one[i].s.count, two[i].s.count);
		moved += one[i].orbit != one[i].before;
	}
	assert_true(moved > 0);  /* the ranks then differ from now */
	if (steps_one * 10 > steps_two * 6)
		fail_msg("orbits with their trend took %lld steps, two readings %lld",
		         steps_one, steps_two);
	kith_orbit_list_free(one, n1);
	kith_orbit_list_free(two, n2);
	kith_orbit_list_free(gone, ngone);
	kith_db_close(v);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_person_page_compiles_once),
		cmocka_unit_test(test_person_page_stays_prepared_after_others),
		cmocka_unit_test(test_pair_strength_reads_the_pair),
		cmocka_unit_test(test_trend_orbits_read_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
