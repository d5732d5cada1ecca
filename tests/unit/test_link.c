/* Links and kinds. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void rules(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bob", NULL);
	kith_link l = {0};
	kith_error err;

	(void)state;
	assert_int_equal(t_link(db, a, b, "friend", 0.8), KITH_OK);
	assert_int_equal(t_link(db, b, a, "friend", -1), KITH_EEXISTS);  /* either order */
	assert_int_equal(t_link(db, b, a, "colleague", -1), KITH_OK);    /* parallel kind */
	assert_int_equal(t_link(db, a, a, "friend", -1), KITH_EINVAL);
	assert_int_equal(t_link(db, a, 999, "friend", -1), KITH_ENOTFOUND);
	assert_int_equal(t_link(db, a, b, "frenemy", -1), KITH_EINVAL);
	assert_int_equal(t_link(db, a, b, "knows", 1.5), KITH_EINVAL);
	l.a = a;
	l.b = b;
	l.kind = strdup("frenemy");
	assert_int_equal(kith_link_add(db, &l, &err), KITH_EINVAL);
	assert_non_null(strstr(err.msg, "known: "));
	assert_non_null(strstr(err.msg, "mentor"));
	free(l.kind);
	l.kind = strdup("knows");
	l.since = strdup("2019-02-30");
	assert_int_equal(kith_link_add(db, &l, &err), KITH_EINVAL);
	free(l.since);
	l.since = strdup("2019-02");
	assert_int_equal(kith_link_add(db, &l, &err), KITH_OK);
	assert_int_equal(l.asserted_by, 0); /* no "me" yet */
	kith_link_clear(&l);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 3);
	t_close(db);
}

static void list_update_remove(void **state)
{
	kith_db *db = t_open();
	kith_id me = t_person(db, "Me", NULL), a = t_person(db, "Ana", NULL),
	        b = t_person(db, "Bob", NULL);
	kith_link *v;
	size_t n;
	int removed;

	(void)state;
	kith_set_me(db, me, NULL);
	assert_int_equal(t_link(db, a, b, "friend", 0.3), KITH_OK);
	assert_int_equal(t_link(db, a, b, "colleague", -1), KITH_OK);
	assert_int_equal(t_link(db, me, a, "knows", 0.9), KITH_OK);
	assert_int_equal(kith_link_list(db, a, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 3);
	assert_true(v[0].has_trust && v[0].trust > 0.85); /* highest trust first */
	assert_int_equal(v[0].asserted_by, me);
	v[1].trust = 0.6;
	v[1].has_trust = 1;
	free(v[1].notes);
	v[1].notes = strdup("  old friends ");
	assert_int_equal(kith_link_update(db, &v[1], NULL), KITH_OK);
	kith_link_list_free(v, n);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE trust = 0.6 AND notes = 'old friends'"), 1);
	assert_int_equal(kith_link_remove(db, b, a, "friend", &removed, NULL), KITH_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(kith_link_remove(db, b, a, "friend", &removed, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_link_remove(db, me, a, NULL, &removed, NULL), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 1);
	t_close(db);
}

static void kinds(void **state)
{
	kith_db *db = t_open();
	kith_kind k = {.name = "investor2", .weight = 1}, *v;
	kith_kind bad = {.name = "Bad Kind", .weight = 1};
	size_t n;

	(void)state;
	assert_int_equal(kith_kind_add(db, KITH_KIND_LINK, &k, NULL), KITH_OK);
	assert_int_equal(kith_kind_add(db, KITH_KIND_LINK, &k, NULL), KITH_EEXISTS);
	assert_int_equal(kith_kind_add(db, KITH_KIND_LINK, &bad, NULL), KITH_EINVAL);
	assert_int_equal(kith_kind_check(db, KITH_KIND_LINK, "investor2", NULL), KITH_OK);
	assert_int_equal(kith_kind_check(db, KITH_KIND_INTERACTION, "investor2", NULL),
	                 KITH_EINVAL);
	k.name = "workshop";
	k.weight = 0.9;
	assert_int_equal(kith_kind_add(db, KITH_KIND_INTERACTION, &k, NULL), KITH_OK);
	assert_int_equal(kith_kind_list(db, KITH_KIND_INTERACTION, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 7);
	assert_string_equal(v[0].name, "meeting"); /* by weight */
	kith_kind_list_free(v, n);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules),
		cmocka_unit_test(list_update_remove),
		cmocka_unit_test(kinds),
	};
	return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
