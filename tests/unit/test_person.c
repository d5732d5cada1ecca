/* People: storing, validating, naming, tagging, removing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void add_and_get(void **state)
{
	kith_db *db = t_open();
	kith_person p = {0}, *got;

	(void)state;
	p.given_name = strdup("  Zoë ");
	p.family_name = strdup("Dupont");
	p.city = strdup("Lyon");
	kith_strv_push(&p.emails, "Zoe@Example.FR");
	kith_strv_push(&p.emails, "zoe@work.example");
	kith_strv_push(&p.phones, "+33 6 12 34 56 78");
	kith_strv_push(&p.tags, "Rust");
	kith_strv_push(&p.tags, "rust");
	assert_int_equal(kith_person_add(db, &p, NULL), KITH_OK);
	assert_true(p.id > 0);
	assert_int_equal(p.created, T_NOW);
	assert_int_equal(kith_person_get(db, p.id, &got, NULL), KITH_OK);
	assert_string_equal(got->display_name, "Zoë Dupont");
	assert_string_equal(got->given_name, "Zoë");
	assert_int_equal(got->emails.n, 2);
	assert_string_equal(got->emails.v[0], "Zoe@example.fr");
	assert_int_equal(got->tags.n, 1);
	assert_string_equal(got->tags.v[0], "rust");
	assert_string_equal(got->phones.v[0], "+33 6 12 34 56 78");
	kith_person_free(got);
	kith_person_clear(&p);
	t_close(db);
}

/* The brief read: the row as kith_person_get reads it, no sets; a person
 * hidden from a member is answered like one who does not exist. */
static void get_brief(void **state)
{
	kith_db *db = t_open(), *view;
	kith_person *full, *brief;
	kith_id me = t_person(db, "Ana Lima", "ana@example.org"), mate, secret, m, mb;
	kith_error err, e_hidden, e_missing;
	char want[64];

	(void)state;
	assert_int_equal(kith_person_get(db, me, &full, NULL), KITH_OK);
	assert_int_equal(kith_person_get_brief(db, me, &brief, NULL), KITH_OK);
	assert_string_equal(brief->display_name, full->display_name);
	assert_int_equal(brief->created, full->created);
	assert_int_equal(full->emails.n, 1);
	assert_int_equal(brief->emails.n, 0);
	assert_int_equal(brief->phones.n, 0);
	assert_int_equal(brief->tags.n, 0);
	kith_person_free(full);
	kith_person_free(brief);

	mate = t_person(db, "Bo Berg", NULL);
	secret = t_person(db, "Cy Secret", NULL);
	assert_int_equal(kith_member_add(db, "ana", me, &m, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "bo", mate, &mb, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", secret, mb, 1, &err), KITH_OK);
	view = t_viewer(m);
	assert_int_equal(kith_person_get_brief(view, secret, &brief, &e_hidden), KITH_ENOTFOUND);
	assert_null(brief);
	assert_int_equal(kith_person_get_brief(view, secret + 100, &brief, &e_missing),
	                 KITH_ENOTFOUND);
	/* the same words, but for the id asked */
	snprintf(want, sizeof(want), "no person #%lld", (long long)secret);
	assert_string_equal(e_hidden.msg, want);
	snprintf(want, sizeof(want), "no person #%lld", (long long)(secret + 100));
	assert_string_equal(e_missing.msg, want);
	assert_int_equal(kith_person_get_brief(view, mate, &brief, NULL), KITH_OK);
	assert_string_equal(brief->display_name, "Bo Berg");
	kith_person_free(brief);
	kith_db_close(view);
	t_close(db);
}

static void refusals_write_nothing(void **state)
{
	kith_db *db = t_open();
	kith_person p = {0};
	kith_error err;

	(void)state;
	t_person(db, "Ana Silva", "ana@example.com");
	assert_int_equal(kith_person_add(db, &p, &err), KITH_EINVAL); /* no name */
	p.display_name = strdup("Bob");
	kith_strv_push(&p.emails, "bob@example.com");
	kith_strv_push(&p.emails, "ANA@example.com");
	assert_int_equal(kith_person_add(db, &p, &err), KITH_EEXISTS);
	assert_non_null(strstr(err.msg, "Ana Silva"));
	kith_strv_clear(&p.emails);
	kith_strv_push(&p.emails, "not-an-email");
	assert_int_equal(kith_person_add(db, &p, &err), KITH_EINVAL);
	kith_strv_clear(&p.emails);
	kith_strv_push(&p.phones, "call me maybe");
	assert_int_equal(kith_person_add(db, &p, &err), KITH_EINVAL);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_email"), 1);
	kith_person_clear(&p);
	t_close(db);
}

static void update_replaces_sets(void **state)
{
	kith_db *db = t_open();
	kith_id id = t_person(db, "Ana", "ana@example.com");
	kith_person *p;

	(void)state;
	assert_int_equal(kith_person_get(db, id, &p, NULL), KITH_OK);
	kith_strv_clear(&p->emails);
	kith_strv_push(&p->emails, "ana@new.example");
	free(p->city);
	p->city = strdup("Porto");
	kith_db_set_now(db, T_NOW + 60);
	assert_int_equal(kith_person_update(db, p, NULL), KITH_OK);
	kith_person_free(p);
	assert_int_equal(kith_person_get(db, id, &p, NULL), KITH_OK);
	assert_int_equal(p->emails.n, 1);
	assert_string_equal(p->emails.v[0], "ana@new.example");
	assert_string_equal(p->city, "Porto");
	assert_int_equal(p->updated, T_NOW + 60);
	assert_int_equal(p->created, T_NOW);
	p->id = 4242;
	assert_int_equal(kith_person_update(db, p, NULL), KITH_ENOTFOUND);
	kith_person_free(p);
	t_close(db);
}

static void resolve_refs(void **state)
{
	kith_db *db = t_open();
	kith_id zoe = t_person(db, "Zoë Dupont", "zoe@example.fr");
	kith_id ana1 = t_person(db, "Ana Silva", "ana@one.example");
	kith_id ana2 = t_person(db, "Ana Sousa", "ana@two.example");
	kith_idv cands = {0};
	kith_error err;
	kith_id id;
	char ref[16];

	(void)state;
	snprintf(ref, sizeof(ref), "#%lld", (long long)zoe);
	assert_int_equal(kith_person_resolve(db, ref, &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, zoe);
	assert_int_equal(kith_person_resolve(db, "ZOE@example.fr", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, zoe);
	assert_int_equal(kith_person_resolve(db, "zoe dupont", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, zoe);
	assert_int_equal(kith_person_resolve(db, "Zoe", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, zoe);
	assert_int_equal(kith_person_resolve(db, "ana silva", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, ana1);
	assert_int_equal(kith_person_resolve(db, "Ana", &id, &cands, &err), KITH_EAMBIGUOUS);
	assert_int_equal(cands.n, 2);
	assert_true((cands.v[0] == ana1 && cands.v[1] == ana2) ||
	            (cands.v[0] == ana2 && cands.v[1] == ana1));
	assert_non_null(strstr(err.msg, "2 people"));
	kith_idv_clear(&cands);
	assert_int_equal(kith_person_resolve(db, "Nobody", &id, NULL, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_resolve(db, "999", &id, NULL, NULL), KITH_ENOTFOUND);
	assert_int_equal(kith_person_resolve(db, "x@nowhere.example", &id, NULL, NULL),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_person_resolve(db, "me", &id, NULL, &err), KITH_ENOTFOUND);
	kith_set_me(db, ana2, NULL);
	assert_int_equal(kith_person_resolve(db, "me", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, ana2);
	/* Two people with the very same name stay ambiguous. */
	t_person(db, "Zoë Dupont", NULL);
	assert_int_equal(kith_person_resolve(db, "Zoë Dupont", &id, NULL, NULL),
	                 KITH_EAMBIGUOUS);
	t_close(db);
}

static void tags_add_remove(void **state)
{
	kith_db *db = t_open();
	kith_id id = t_person(db, "Ana", NULL);
	kith_strv add = {0}, rm = {0};
	kith_tag_count *tc;
	kith_person *p;
	size_t n;

	(void)state;
	kith_strv_push(&add, "Rust");
	kith_strv_push(&add, "design");
	assert_int_equal(kith_person_tag(db, id, &add, NULL, NULL), KITH_OK);
	kith_strv_push(&rm, "RUST");
	assert_int_equal(kith_person_tag(db, id, NULL, &rm, NULL), KITH_OK);
	assert_int_equal(kith_person_get(db, id, &p, NULL), KITH_OK);
	assert_int_equal(p->tags.n, 1);
	assert_string_equal(p->tags.v[0], "design");
	kith_person_free(p);
	kith_strv_clear(&add);
	kith_strv_push(&add, "bad tag");
	assert_int_equal(kith_person_tag(db, id, &add, NULL, NULL), KITH_EINVAL);
	assert_int_equal(kith_tag_list(db, &tc, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(tc[0].tag, "design");
	kith_tag_list_free(tc, n);
	kith_strv_clear(&add);
	kith_strv_clear(&rm);
	t_close(db);
}

static void list_filters(void **state)
{
	kith_db *db = t_open();
	kith_person_filter f = {0};
	kith_person **v;
	kith_strv tag = {0};
	size_t n;
	int64_t total;

	(void)state;
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Person %d", i);
		kith_id id = t_person(db, name, NULL);
		if (i % 2 == 0) {
			kith_strv_push(&tag, "even");
			kith_person_tag(db, id, &tag, NULL, NULL);
			kith_strv_clear(&tag);
		}
	}
	f.tag = "EVEN";
	assert_int_equal(kith_person_count(db, &f, &total, NULL), KITH_OK);
	assert_int_equal(total, 3);
	f.limit = 2;
	f.offset = 1;
	assert_int_equal(kith_person_list(db, &f, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0]->display_name, "Person 2");
	kith_person_list_free(v, n);
	t_close(db);
}

static void remove_cascades(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "A", "a@example.com"), b = t_person(db, "B", NULL),
	        c = t_person(db, "C", NULL);
	kith_interaction pair = {.kind = strdup("call")}, group = {.kind = strdup("meeting")};

	(void)state;
	assert_int_equal(t_link(db, a, b, "friend", 0.5), KITH_OK);
	kith_idv_push(&pair.people, a);
	kith_idv_push(&pair.people, b);
	kith_idv_push(&group.people, a);
	kith_idv_push(&group.people, b);
	kith_idv_push(&group.people, c);
	assert_int_equal(kith_interaction_add(db, &pair, NULL), KITH_OK);
	assert_int_equal(kith_interaction_add(db, &group, NULL), KITH_OK);
	assert_int_equal(kith_person_remove(db, a, NULL), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_email"), 0);
	/* The call between two is gone; the meeting of three keeps B and C. */
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_person"), 2);
	assert_int_equal(kith_person_remove(db, a, NULL), KITH_ENOTFOUND);
	kith_interaction_clear(&pair);
	kith_interaction_clear(&group);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_and_get),
		cmocka_unit_test(get_brief),
		cmocka_unit_test(refusals_write_nothing),
		cmocka_unit_test(update_replaces_sets),
		cmocka_unit_test(resolve_refs),
		cmocka_unit_test(tags_add_remove),
		cmocka_unit_test(list_filters),
		cmocka_unit_test(remove_cascades),
	};
	return cmocka_run_group_tests_name("person", tests, NULL, NULL);
}
