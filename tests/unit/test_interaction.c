/* Interactions and favours. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(timeline),
	};
	return cmocka_run_group_tests_name("interaction", tests, NULL, NULL);
}
