/* Interactions and favours. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support.h"
#include "kith/score.h"

#define DAY 86400

static int log3(kith_db *db, const char *kind, kith_id a, kith_id b, kith_id giver,
                int64_t at, kith_error *err)
{
	kith_interaction it = {.kind = strdup(kind), .giver = giver, .at = at};
	int rc;

	kith_idv_push(&it.people, a);
	if (b)
		kith_idv_push(&it.people, b);
	rc = kith_interaction_add(db, &it, err);
	kith_interaction_clear(&it);
	return rc;
}

static void rules(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bob", NULL),
	        c = t_person(db, "Cy", NULL);
	kith_error err;

	(void)state;
	assert_int_equal(log3(db, "meeting", a, b, 0, 0, &err), KITH_OK);
	assert_int_equal(log3(db, "meeting", a, 0, 0, 0, &err), KITH_EINVAL);
	assert_int_equal(log3(db, "meeting", a, a, 0, 0, &err), KITH_EINVAL);
	assert_int_equal(log3(db, "party", a, b, 0, 0, &err), KITH_EINVAL);
	assert_int_equal(log3(db, "meeting", a, 999, 0, 0, &err), KITH_ENOTFOUND);
	assert_int_equal(log3(db, "favour", a, b, 0, 0, &err), KITH_EINVAL);
	assert_non_null(strstr(err.msg, "direction"));
	assert_int_equal(log3(db, "favour", a, b, c, 0, &err), KITH_EINVAL);
	assert_int_equal(log3(db, "call", a, b, a, 0, &err), KITH_EINVAL);
	assert_int_equal(log3(db, "favour", a, b, b, 0, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 2);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_person"), 4);
	assert_int_equal(t_int(db, "SELECT value FROM interaction WHERE kind = 'favour'"), 1);
	assert_int_equal(t_int(db, "SELECT at FROM interaction WHERE kind = 'meeting'"), T_NOW);
	t_close(db);
}

static void timeline(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bob", NULL),
	        c = t_person(db, "Cy", NULL);
	kith_interaction_filter f = {.person = a};
	kith_interaction *v, one;
	size_t n;

	(void)state;
	assert_int_equal(log3(db, "call", a, b, 0, T_NOW - 3 * 86400, NULL), KITH_OK);
	assert_int_equal(log3(db, "email", a, c, 0, T_NOW - 1 * 86400, NULL), KITH_OK);
	assert_int_equal(log3(db, "meeting", b, c, 0, T_NOW - 2 * 86400, NULL), KITH_OK);
	assert_int_equal(log3(db, "meeting", a, b, 0, T_NOW - 30 * 86400, NULL), KITH_OK);
	assert_int_equal(kith_interaction_list(db, &f, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].kind, "email"); /* newest first */
	assert_string_equal(v[2].kind, "meeting");
	kith_interaction_list_free(v, n);
	f.with = b;
	f.since = T_NOW - 10 * 86400;
	assert_int_equal(kith_interaction_list(db, &f, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].kind, "call");
	assert_int_equal(kith_interaction_get(db, v[0].id, &one, NULL), KITH_OK);
	assert_int_equal(one.people.n, 2);
	kith_interaction_clear(&one);
	assert_int_equal(kith_interaction_remove(db, v[0].id, NULL), KITH_OK);
	assert_int_equal(kith_interaction_remove(db, v[0].id, NULL), KITH_ENOTFOUND);
	kith_interaction_list_free(v, n);
	t_close(db);
}

/* Loads interaction id, applies the change f and updates it. */
static int update_with(kith_db *db, kith_id id, void (*f)(kith_interaction *, void *), void *arg,
                       kith_error *err)
{
	kith_interaction it;
	int rc = kith_interaction_get(db, id, &it, err);

	if (rc)
		return rc;
	f(&it, arg);
	rc = kith_interaction_update(db, &it, err);
	kith_interaction_clear(&it);
	return rc;
}

static void set_kind(kith_interaction *it, void *kind)
{
	free(it->kind);
	it->kind = strdup(kind);
}

static void set_giver(kith_interaction *it, void *giver)
{
	it->giver = *(kith_id *)giver;
}

static void add_person(kith_interaction *it, void *who)
{
	kith_idv_push(&it->people, *(kith_id *)who);
}

static void keep_first(kith_interaction *it, void *unused)
{
	(void)unused;
	it->people.n = 1;
}

static void set_notes(kith_interaction *it, void *notes)
{
	free(it->notes);
	it->notes = strdup(notes);
}

static void updates_follow_the_rules(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bob", NULL),
	        c = t_person(db, "Cy", NULL), nobody = 999;
	kith_interaction it;
	kith_error err;
	kith_id id;

	(void)state;
	assert_int_equal(log3(db, "call", a, b, 0, T_NOW - DAY, &err), KITH_OK);
	id = t_int(db, "SELECT max(id) FROM interaction");
	/* Refusals change nothing: a favour without a giver, a giver outside
	 * the people, an unknown kind or person, fewer than two people. */
	assert_int_equal(update_with(db, id, set_kind, "favour", &err), KITH_EINVAL);
	assert_non_null(strstr(err.msg, "direction"));
	assert_int_equal(update_with(db, id, set_giver, &c, &err), KITH_EINVAL);
	assert_int_equal(update_with(db, id, set_kind, "party", &err), KITH_EINVAL);
	assert_int_equal(update_with(db, id, add_person, &nobody, &err), KITH_ENOTFOUND);
	assert_int_equal(update_with(db, id, keep_first, NULL, &err), KITH_EINVAL);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_person"), 2);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE kind = 'call'"
	                           " AND giver IS NULL AND at = " "1795348800"), 1);
	/* A change of everything at once: a favour from b among three. */
	assert_int_equal(kith_interaction_get(db, id, &it, NULL), KITH_OK);
	free(it.kind);
	it.kind = strdup("favour");
	it.giver = b;
	it.at = T_NOW - 5 * DAY;
	kith_idv_push(&it.people, c);
	kith_idv_push(&it.people, c);  /* repeated: kept once */
	assert_int_equal(kith_interaction_update(db, &it, &err), KITH_OK);
	assert_int_equal(it.initiator, b);   /* a favour is started by its giver */
	assert_true(it.value == 1);
	kith_interaction_clear(&it);
	assert_int_equal(kith_interaction_get(db, id, &it, NULL), KITH_OK);
	assert_string_equal(it.kind, "favour");
	assert_int_equal(it.giver, b);
	assert_int_equal(it.at, T_NOW - 5 * DAY);
	assert_int_equal(it.people.n, 3);
	assert_int_equal(it.created, T_NOW);
	kith_interaction_clear(&it);
	/* Notes are searched as they are now. */
	assert_int_equal(update_with(db, id, set_notes, "  lent a ladder  ", &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE notes = 'lent a ladder'"),
	                 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_fts WHERE"
	                           " interaction_fts MATCH 'ladder'"), 1);
	/* Back to a call: the giver must go with the favour. */
	assert_int_equal(update_with(db, id, set_kind, "call", &err), KITH_EINVAL);
	/* A missing one. */
	it = (kith_interaction){.id = 4242, .kind = strdup("call")};
	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	assert_int_equal(kith_interaction_update(db, &it, &err), KITH_ENOTFOUND);
	kith_interaction_clear(&it);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 1);
	t_close(db);
}

/* Bringing in a person private to one member must not take another
 * member's interaction from them; the owner may, and one nobody owns is
 * claimed. */
static void updates_keep_owners(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bob", NULL), ma, mb, hid;
	kith_interaction it;
	kith_error err;
	kith_id mine, unowned;

	(void)state;
	assert_int_equal(kith_member_add(db, "ma", a, &ma, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "mb", b, &mb, &err), KITH_OK);
	assert_int_equal(log3(db, "call", a, b, 0, 0, &err), KITH_OK);
	unowned = t_int(db, "SELECT max(id) FROM interaction");
	assert_int_equal(kith_db_set_author(db, ma, 0, &err), KITH_OK);
	assert_int_equal(log3(db, "call", a, b, 0, 0, &err), KITH_OK);
	mine = t_int(db, "SELECT max(id) FROM interaction");
	assert_int_equal(kith_db_set_author(db, mb, 1, &err), KITH_OK);
	hid = t_person(db, "Bob's secret", NULL);
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);
	assert_int_equal(update_with(db, mine, add_person, &hid, &err), KITH_EPERM);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE private"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_person"), 4);
	assert_int_equal(update_with(db, unowned, add_person, &hid, &err), KITH_OK);
	assert_int_equal(kith_interaction_get(db, unowned, &it, NULL), KITH_OK);
	assert_int_equal(it.people.n, 3);
	kith_interaction_clear(&it);
	assert_int_equal(t_int(db, "SELECT owner FROM interaction WHERE private"), mb);
	t_close(db);
}

struct row {
	int64_t a, b, ref;
	double u, ab, ba;
};

/* Every pair cache row, in key order; *n rows.  The array is the caller's. */
static struct row *cache_rows(kith_db *db, size_t *n)
{
	sqlite3_stmt *st;
	struct row *v = NULL;
	size_t cap = 0;

	*n = 0;
	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT a, b, u, ab, ba, ref"
	                                    " FROM kith_pairs ORDER BY a, b", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof(*v));
			assert_non_null(v);
		}
		v[*n] = (struct row){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		                     sqlite3_column_int64(st, 5), sqlite3_column_double(st, 2),
		                     sqlite3_column_double(st, 3), sqlite3_column_double(st, 4)};
		(*n)++;
	}
	sqlite3_finalize(st);
	return v;
}

static double row_raw(const struct row *r, int64_t t, double h)
{
	kith_pair_sums s = {r->u, r->ab, r->ba, r->ref};

	return kith_score_raw(&s, t, h);
}

#define NP 24

/* A random interaction among p into it (kind, time, 2-5 or a crowd of
 * 22 people, an initiator or a favour's giver). */
static void random_interaction(kith_interaction *it, const kith_id *p, unsigned *seed)
{
	static const char *const kinds[] = {"meeting", "call", "email", "message", "favour",
		"introduction"};
	unsigned r = rand_r(seed) % 100;
	size_t n = r < 60 ? 2 : r < 95 ? 3 + rand_r(seed) % 3 : 22;

	free(it->kind);
	free(it->notes);
	kith_idv_clear(&it->people);
	it->notes = NULL;
	it->kind = strdup(kinds[rand_r(seed) % 6]);
	it->at = T_NOW - (int64_t)(rand_r(seed) % 700) * DAY + 14 * DAY;
	it->giver = it->initiator = 0;
	it->value = 0;
	while (it->people.n < n) {
		kith_id x = p[rand_r(seed) % NP];
		int dup = 0;
		for (size_t i = 0; i < it->people.n; i++)
			dup |= it->people.v[i] == x;
		if (!dup)
			kith_idv_push(&it->people, x);
	}
	if (strcmp(it->kind, "favour") == 0) {
		it->giver = it->people.v[rand_r(seed) % n];
		it->value = 1 + rand_r(seed) % 3;
	} else if (rand_r(seed) % 2) {
		it->initiator = it->people.v[rand_r(seed) % n];
	}
}

/* After any mix of adds, updates (people, kind, time, initiator, giver,
 * a private person brought in or taken out) and removals, the pair cache
 * holds what a full recompute finds. */
static void updates_keep_the_pair_cache(void **state)
{
	kith_db *db = t_open();
	kith_id p[NP], ma, hid;
	kith_idv logged = {0};
	unsigned seed = 17;
	kith_error err;
	struct row *inc, *full;
	size_t ninc, nfull;
	int64_t late = T_NOW + 30 * DAY;
	double h;

	(void)state;
	for (int i = 0; i < NP; i++) {
		char name[24];
		snprintf(name, sizeof(name), "Person %02d", i);
		p[i] = t_person(db, name, NULL);
	}
	/* One of them private to a member: whatever touches them leaves the
	 * cache (the team's strengths). */
	assert_int_equal(kith_member_add(db, "ma", p[0], &ma, &err), KITH_OK);
	assert_int_equal(kith_db_set_author(db, ma, 1, &err), KITH_OK);
	hid = t_person(db, "Hidden", NULL);
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT private FROM person ORDER BY id DESC LIMIT 1"), 1);
	p[NP - 1] = hid;
	for (int k = 0; k < 150; k++) {
		kith_interaction it = {0};
		random_interaction(&it, p, &seed);
		if (kith_interaction_add(db, &it, &err))
			fail_msg("add: %s", err.msg);
		kith_idv_push(&logged, it.id);
		kith_interaction_clear(&it);
	}
	for (int k = 0; k < 300; k++) {
		kith_interaction it = {0};
		kith_id id = logged.v[rand_r(&seed) % logged.n];
		if (kith_interaction_get(db, id, &it, NULL) == KITH_ENOTFOUND)
			continue;
		kith_interaction_clear(&it);
		if (k % 25 == 24) {
			assert_int_equal(kith_interaction_remove(db, id, NULL), KITH_OK);
			continue;
		}
		random_interaction(&it, p, &seed);
		it.id = id;
		if (kith_interaction_update(db, &it, &err))
			fail_msg("update #%lld: %s", (long long)id, err.msg);
		kith_interaction_clear(&it);
	}
	/* Some went private by taking the hidden person in. */
	assert_true(t_int(db, "SELECT count(*) FROM interaction WHERE private") > 0);
	h = kith_score_half_life(db);
	inc = cache_rows(db, &ninc);
	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, NULL), KITH_OK);
	full = cache_rows(db, &nfull);
	assert_true(nfull > 50);
	/* Updates and removals may leave zero rows behind; every other pair
	 * agrees. */
	for (size_t i = 0, j = 0; i < ninc; i++) {
		double want = 0, got = row_raw(&inc[i], late, h);
		if (j < nfull && full[j].a == inc[i].a && full[j].b == inc[i].b)
			want = row_raw(&full[j++], late, h);
		if (!(fabs(want - got) <= 1e-9 + 1e-9 * want))
			fail_msg("pair %lld-%lld: after updates %.12g, recompute %.12g",
			         (long long)inc[i].a, (long long)inc[i].b, got, want);
		if (i == ninc - 1)
			assert_int_equal(j, nfull);  /* no pair of the recompute's is missing */
	}
	free(inc);
	free(full);
	kith_idv_clear(&logged);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(timeline),
		cmocka_unit_test(updates_follow_the_rules),
		cmocka_unit_test(updates_keep_owners),
		cmocka_unit_test(updates_keep_the_pair_cache),
	};
	return cmocka_run_group_tests_name("interaction", tests, NULL, NULL);
}
