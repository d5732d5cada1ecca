/* Full-text search. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void diacritics_and_prefixes(void **state)
{
	kith_db *db = t_open();
	kith_id zoe = t_person(db, "Zoë Ångström", "zoe@example.se");
	kith_hit *hits;
	size_t n;

	(void)state;
	t_person(db, "Zoltan Kis", NULL);
	assert_int_equal(kith_search(db, "Zoe", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].type, KITH_HIT_PERSON);
	assert_int_equal(hits[0].id, zoe);
	assert_non_null(strstr(hits[0].snippet, "[Zoë]"));
	kith_hit_list_free(hits, n);
	assert_int_equal(kith_search(db, "angstr zo", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	kith_hit_list_free(hits, n);
	assert_int_equal(kith_search(db, "zo", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	kith_hit_list_free(hits, n);
	assert_int_equal(kith_search(db, "example.se", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	kith_hit_list_free(hits, n);
	t_close(db);
}

static void notes_and_interactions(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bob", NULL);
	kith_interaction it = {.kind = strdup("meeting"), .notes = strdup("Board meeting about fundraising")};
	kith_person *p;
	kith_hit *hits;
	size_t n;

	(void)state;
	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	assert_int_equal(kith_interaction_add(db, &it, NULL), KITH_OK);
	kith_person_get(db, b, &p, NULL);
	p->notes = strdup("Knows everyone in fundraising circles");
	kith_person_update(db, p, NULL);
	kith_person_free(p);
	assert_int_equal(kith_search(db, "fundrais", 10, &hits, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	assert_true((hits[0].type == KITH_HIT_PERSON && hits[1].type == KITH_HIT_INTERACTION) ||
	            (hits[1].type == KITH_HIT_PERSON && hits[0].type == KITH_HIT_INTERACTION));
	kith_hit_list_free(hits, n);
	kith_interaction_clear(&it);
	t_close(db);
}

static void hostile_queries(void **state)
{
	static const char *const queries[] = {"\"", "\"\"\"", "*", "a*b", "NEAR(a b)",
		"AND", "OR OR", "col:val", "{name}", "(", ")", "^x", "a - b", "'; DROP TABLE person; --",
		"\xff\xfe", "ana\"bob"};
	kith_db *db = t_open();
	kith_hit *hits;
	size_t n;

	(void)state;
	t_person(db, "Ana", NULL);
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		int rc = kith_search(db, queries[i], 10, &hits, &n, NULL);
		assert_true(rc == KITH_OK || rc == KITH_EINVAL);
		if (rc == KITH_OK)
			kith_hit_list_free(hits, n);
	}
	assert_int_equal(kith_search(db, "   ", 10, &hits, &n, NULL), KITH_EINVAL);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	t_close(db);
}

/* Words that expand the most in the FTS query: one letter ( "a"* and a
 * space, five bytes for two) and quotes (doubled).  The query buffer once
 * took 2*len+64 bytes and 63 one-letter words wrote past it. */
static void expanding_words(void **state)
{
	kith_db *db = t_open();
	kith_id ana = t_person(db, "Ana Bell", NULL), id;
	char *ones = malloc(2 * 400 + 1), *quotes = malloc(6 * 200 + 1);
	kith_hit *hits;
	kith_error err;
	size_t n;

	(void)state;
	for (int i = 0; i < 400; i++)
		memcpy(ones + 2 * i, "a ", 2);
	ones[2 * 400 - 1] = '\0';
	for (int i = 0; i < 200; i++)
		memcpy(quotes + 6 * i, "\"\"\"\"a ", 6);
	quotes[6 * 200 - 1] = '\0';
	assert_int_equal(kith_search(db, ones, 10, &hits, &n, &err), KITH_OK);
	kith_hit_list_free(hits, n);
	assert_int_equal(n, 1);
	assert_int_equal(kith_search(db, quotes, 10, &hits, &n, &err), KITH_OK);
	kith_hit_list_free(hits, n);
	/* The person and org references build the same query on one column. */
	assert_int_equal(kith_person_resolve(db, ones, &id, NULL, &err), KITH_OK);
	assert_int_equal(id, ana);  /* every word is a prefix of "Ana" */
	assert_int_equal(kith_person_resolve(db, quotes, &id, NULL, &err), KITH_OK);
	assert_int_equal(kith_org_resolve(db, ones, &id, NULL, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_org_resolve(db, quotes, &id, NULL, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_resolve(db, "ana bell", &id, NULL, &err), KITH_OK);
	assert_int_equal(id, ana);
	free(ones);
	free(quotes);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(diacritics_and_prefixes),
		cmocka_unit_test(notes_and_interactions),
		cmocka_unit_test(hostile_queries),
		cmocka_unit_test(expanding_words),
	};
	return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
