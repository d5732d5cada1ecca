/* Identity: phone keys, kith merge, kith dupes. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_import.h"

static void sql(kith_db *db, const char *q)
{
	char *msg = NULL;

	if (sqlite3_exec(kith_db_sqlite(db), q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
}

static kith_id person(kith_db *db, const char *name, const char *email,
                      const char *phone, const char *tag)
{
	kith_person p = {0};

	p.display_name = strdup(name);
	if (email)
		kith_strv_push(&p.emails, email);
	if (phone)
		kith_strv_push(&p.phones, phone);
	if (tag)
		kith_strv_push(&p.tags, tag);
	assert_int_equal(kith_person_add(db, &p, NULL), KITH_OK);
	kith_id id = p.id;
	kith_person_clear(&p);
	return id;
}

static void job(kith_db *db, kith_id who, const char *org, const char *title,
                const char *from)
{
	kith_job j = {.person = who, .title = title ? strdup(title) : NULL,
	              .from = from ? strdup(from) : NULL};

	assert_int_equal(kith_org_ensure(db, org, &j.org, NULL), KITH_OK);
	assert_int_equal(kith_job_add(db, &j, NULL), KITH_OK);
	kith_job_clear(&j);
}

static kith_id meet(kith_db *db, kith_id a, kith_id b, kith_id c)
{
	kith_interaction it = {.kind = strdup("meeting"), .at = T_NOW - 86400};

	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	if (c)
		kith_idv_push(&it.people, c);
	assert_int_equal(kith_interaction_add(db, &it, NULL), KITH_OK);
	kith_id id = it.id;
	kith_interaction_clear(&it);
	return id;
}

static void test_phone_key(void **state)
{
	char k[40];

	(void)state;
	kith_phone_key("0033 6 12 34 56 78", k, sizeof(k));
	assert_string_equal(k, "+33612345678");
	kith_phone_key("+33 (6) 12-34-56-78", k, sizeof(k));
	assert_string_equal(k, "+33612345678");
	kith_phone_key("06 12 34 56 78", k, sizeof(k));  /* national: no match */
	assert_string_equal(k, "0612345678");
}

static void test_merge_moves_everything(void **state)
{
	kith_db *db = ti_open_me();
	kith_id me = kith_me(db);
	kith_id a = person(db, "Zoë Dupont", "zoe@acme.example", "+33 6 12 34 56 78", "rust");
	kith_id b = person(db, "Zoe D.", "zoe@perso.example", "0033 6 12 34 56 78", "climbing");
	kith_id c = person(db, "Ana Silva", "ana@example.com", NULL, NULL);
	kith_id d = person(db, "Kenji Watanabe", "kenji@sakura.example", NULL, NULL);
	kith_person *p;
	kith_link *links;
	size_t n;
	kith_error err;
	char *s;

	(void)state;
	sql(db, "UPDATE person SET city = 'Lyon', notes = 'from the phone' WHERE id = 3");
	job(db, a, "Acme", "CTO", "2019");
	job(db, b, "Acme", "CTO", "2019");      /* the same job twice */
	job(db, b, "Helios", "Advisor", "2021");
	/* both linked to Ana as friends: trust 0.4 since 2015, 0.9 since 2018 */
	sql(db, "INSERT INTO link(a, b, kind, since, trust, notes, created, updated) VALUES"
	        " (2, 4, 'friend', '2015', 0.4, 'school', 0, 0),"
	        " (4, 3, 'friend', '2018', 0.9, 'climbing', 0, 0),"
	        " (3, 5, 'mentor', NULL, NULL, NULL, 0, 0),"
	        " (2, 3, 'knows', NULL, NULL, NULL, 0, 0)");
	meet(db, a, b, 0);       /* goes: only one person left */
	kith_id g = meet(db, a, b, c);
	kith_id bc = meet(db, b, c, 0);
	sql(db, "INSERT INTO vouch(voucher, subject, created) VALUES (3, 4, 0), (2, 4, 0), (5, 3, 0)");
	sql(db, "INSERT INTO person_cadence(person_id, days) VALUES (2, 30), (3, 14)");
	sql(db, "INSERT INTO import_source(kind, key, person_id, digest, imported)"
	        " VALUES ('vcard', 'uid-b', 3, 'x', 0)");
	sql(db, "UPDATE owner SET person_id = 3");  /* b was me */

	assert_int_equal(kith_person_merge(db, a, a, &err), KITH_EINVAL);
	assert_int_equal(kith_person_merge(db, a, 99, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_merge(db, a, b, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE id = 3"), 0);
	assert_int_equal(kith_person_get(db, a, &p, NULL), KITH_OK);
	assert_string_equal(p->display_name, "Zoë Dupont");
	assert_int_equal(p->emails.n, 2);
	assert_string_equal(p->emails.v[1], "zoe@perso.example");
	assert_int_equal(p->phones.n, 1);  /* 0033 is the same number */
	assert_int_equal(p->tags.n, 2);
	assert_string_equal(p->city, "Lyon");
	assert_string_equal(p->notes, "from the phone");
	kith_person_free(p);
	/* jobs: Acme once, Helios moved */
	assert_int_equal(t_int(db, "SELECT count(*) FROM job WHERE person_id = 2"), 2);
	/* links: one friend link to Ana with the higher trust, earlier since,
	 * both notes; the mentor link moved with its direction; none to self */
	assert_int_equal(kith_link_list(db, a, &links, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	kith_link_list_free(links, n);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE kind = 'friend'"
	                 " AND trust = 0.9 AND since = '2015'"), 1);
	s = ti_text(db, "SELECT notes FROM link WHERE kind = 'friend'");
	assert_string_equal(s, "school\nclimbing");
	free(s);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE kind = 'mentor'"
	                 " AND a = 2 AND b = 5"), 1);
	/* interactions: the A-B one went, the group lost B, B-C became A-C */
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 2);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_person WHERE"
	                 " interaction_id = 2"), 2);
	(void)g;
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_person WHERE"
	                 " person_id = 2 AND interaction_id IN (2, 3)"), 2);
	(void)bc;
	/* vouches for Ana by both: one; Kenji's for B now for A */
	assert_int_equal(t_int(db, "SELECT count(*) FROM vouch WHERE subject = 4"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM vouch WHERE voucher = 5 AND subject = 2"), 1);
	assert_int_equal(t_int(db, "SELECT days FROM person_cadence WHERE person_id = 2"), 14);
	assert_int_equal(t_int(db, "SELECT person_id FROM import_source WHERE key = 'uid-b'"), 2);
	assert_int_equal(kith_me(db), a);
	(void)me;
	(void)d;
	/* search finds A by B's email */
	assert_int_equal(t_int(db, "SELECT rowid FROM person_fts WHERE person_fts MATCH 'perso'"), 2);
	t_close(db);
}

static void test_merge_is_atomic(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "A", "a@x.example"), b = t_person(db, "B", "b@x.example");

	(void)state;
	/* a trigger that fails the final delete: nothing may have moved */
	sql(db, "CREATE TRIGGER no_delete BEFORE DELETE ON person BEGIN"
	        " SELECT raise(ABORT, 'refused'); END");
	assert_int_not_equal(kith_person_merge(db, a, b, NULL), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_email WHERE person_id = 2"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 2);
	t_close(db);
}

static int find(const kith_dupe *v, size_t n, kith_id a, kith_id b, int reason)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].a == a && v[i].b == b)
			return v[i].reason == reason;
	return 0;
}

static void test_dupes(void **state)
{
	kith_db *db = t_open();
	kith_id p1 = person(db, "Marc Leroy", NULL, "+33 6 11 22 33 44", NULL);
	kith_id p2 = person(db, "M. Leroy", NULL, "0033 6 11 22 33 44", NULL);
	kith_id p3 = person(db, "Jon Smith", NULL, NULL, NULL);
	kith_id p4 = person(db, "John Smith", NULL, NULL, NULL);
	kith_id p5 = person(db, "Zoë Dupont", "zoe.dupont@acme.example", NULL, NULL);
	kith_id p6 = person(db, "Z Dupont", "zoe.dupont@gmail.example", NULL, NULL);
	kith_id p7 = person(db, "zoe  dupont", NULL, NULL, NULL);
	kith_id p8 = person(db, "Rob Stark", NULL, NULL, NULL);
	kith_id p9 = person(db, "Robert Stark", NULL, NULL, NULL);
	kith_id p10 = person(db, "Jon Smith", NULL, NULL, NULL);  /* no org */
	kith_dupe *v;
	size_t n;

	(void)state;
	job(db, p3, "Acme", NULL, NULL);
	job(db, p4, "Acme", NULL, NULL);
	job(db, p8, "Winterfell", NULL, NULL);
	job(db, p9, "Winterfell", NULL, NULL);
	assert_int_equal(kith_dupes_find(db, 0, &v, &n, NULL), KITH_OK);
	assert_true(find(v, n, p1, p2, KITH_DUPE_PHONE));
	assert_true(find(v, n, p3, p4, KITH_DUPE_NAME_ORG));
	assert_true(find(v, n, p8, p9, KITH_DUPE_NAME_ORG));
	assert_true(find(v, n, p5, p6, KITH_DUPE_EMAIL_LOCAL));
	assert_true(find(v, n, p5, p7, KITH_DUPE_NAME));
	assert_true(find(v, n, p3, p10, KITH_DUPE_NAME));
	assert_false(find(v, n, p4, p10, KITH_DUPE_NAME));
	assert_int_equal(v[0].reason, KITH_DUPE_PHONE);  /* strongest first */
	assert_string_equal(kith_dupe_reason_name(v[0].reason), "shared phone");
	kith_dupe_list_free(v, n);
	assert_int_equal(kith_dupes_find(db, 2, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	kith_dupe_list_free(v, n);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_key),
		cmocka_unit_test(test_merge_moves_everything),
		cmocka_unit_test(test_merge_is_atomic),
		cmocka_unit_test(test_dupes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
