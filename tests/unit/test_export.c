/* Export: vCard 4.0 that import reads back whole, CSV, JSON, GraphML, DOT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "support_import.h"

/* A person with every field kith keeps, and text that needs escaping. */
static void fill(kith_db *db)
{
	kith_person p = {0};
	kith_job j = {0};
	kith_id me = t_person(db, "Alex Morgan", "alex@kith.example");

	assert_int_equal(kith_set_me(db, me, NULL), KITH_OK);
	p.display_name = strdup("Zoë Dupont-Ångström");
	p.given_name = strdup("Zoë");
	p.family_name = strdup("Dupont-Ångström");
	p.city = strdup("Genève");
	p.country = strdup("Suisse");
	p.notes = strdup("Likes climbing; knows the CFO, the CTO\\nothers.\nSecond line with a "
	                 "very long sentence that certainly needs folding at seventy-five octets: "
	                 "ééééééééééééééééééééééééééééééé.");
	kith_strv_push(&p.emails, "zoe@acme.example");
	kith_strv_push(&p.emails, "Zoe.Dupont@perso.example");
	kith_strv_push(&p.phones, "+41 22 555 01 23");
	kith_strv_push(&p.phones, "(020) 7946-0958");
	kith_strv_push(&p.tags, "rust");
	kith_strv_push(&p.tags, "c++");
	assert_int_equal(kith_person_add(db, &p, NULL), KITH_OK);
	j.person = p.id;
	assert_int_equal(kith_org_ensure(db, "Acme; Lyon, S.A.", &j.org, NULL), KITH_OK);
	j.title = strdup("CTO");
	j.from = strdup("2019-05");
	assert_int_equal(kith_job_add(db, &j, NULL), KITH_OK);
	kith_job_clear(&j);
	j.person = p.id;
	assert_int_equal(kith_org_ensure(db, "Helios", &j.org, NULL), KITH_OK);
	j.title = strdup("Engineer");
	j.from = strdup("2012");
	j.to = strdup("2019-04");
	assert_int_equal(kith_job_add(db, &j, NULL), KITH_OK);
	kith_job_clear(&j);
	assert_int_equal(t_link(db, me, p.id, "friend", 0.8), KITH_OK);
	kith_person_clear(&p);
	t_person(db, "Nameonly Person", NULL);
}

static char *export_to_string(kith_db *db, int format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	kith_error err;

	assert_non_null(f);
	if (kith_export(db, format, f, &err))
		fail_msg("export: %s", err.msg);
	fclose(f);
	return buf;
}

/* Equal strings, both NULL counting as equal. */
static void same_str(const char *a, const char *b)
{
	if (!a || !b) {
		if (a != b)
			print_message("'%s' vs '%s'\n", a ? a : "(null)", b ? b : "(null)");
		assert_true(a == b);
	}
	else
		assert_string_equal(a, b);
}

static void same_person(kith_db *x, kith_db *y, const char *email)
{
	kith_person *a = ti_by_email(x, email), *b = ti_by_email(y, email);
	kith_job *ja, *jb;
	size_t na, nb;

	same_str(a->display_name, b->display_name);
	same_str(a->given_name, b->given_name);
	same_str(a->family_name, b->family_name);
	same_str(a->city, b->city);
	same_str(a->country, b->country);
	same_str(a->notes, b->notes);
	assert_int_equal(a->emails.n, b->emails.n);
	for (size_t i = 0; i < a->emails.n; i++)
		assert_string_equal(a->emails.v[i], b->emails.v[i]);
	assert_int_equal(a->phones.n, b->phones.n);
	for (size_t i = 0; i < a->phones.n; i++)
		assert_string_equal(a->phones.v[i], b->phones.v[i]);
	assert_int_equal(a->tags.n, b->tags.n);
	for (size_t i = 0; i < a->tags.n; i++)
		assert_string_equal(a->tags.v[i], b->tags.v[i]);
	assert_int_equal(kith_job_list(x, a->id, &ja, &na, NULL), KITH_OK);
	assert_int_equal(kith_job_list(y, b->id, &jb, &nb, NULL), KITH_OK);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		same_str(ja[i].org_name, jb[i].org_name);
		same_str(ja[i].title, jb[i].title);
		same_str(ja[i].from, jb[i].from);
		same_str(ja[i].to, jb[i].to);
	}
	kith_job_list_free(ja, na);
	kith_job_list_free(jb, nb);
	kith_person_free(a);
	kith_person_free(b);
}

static void test_vcard_round_trip(void **state)
{
	kith_db *x = t_open(), *y;
	kith_import_report r;
	char *card, *again;

	(void)state;
	fill(x);
	card = export_to_string(x, KITH_EXPORT_VCARD);
	assert_non_null(strstr(card, "VERSION:4.0\r\n"));
	assert_non_null(strstr(card, "ORG:Acme\\; Lyon\\, S.A.\r\n"));
	assert_non_null(strstr(card, "X-KITH-JOB:Helios;Engineer;2012;2019-04\r\n"));
	for (char *l = card; (l = strstr(l, "\r\n")); l += 2)  /* folded at 75 */
		assert_true(strstr(l + 2, "\r\n") == NULL ||
		            strstr(l + 2, "\r\n") - (l + 2) <= 75);
	/* into another database: every field comes back */
	y = t_open();
	assert_int_equal(kith_import_buffer(y, card, strlen(card), NULL, &r, NULL), KITH_OK);
	assert_int_equal(r.created, 3);
	assert_int_equal(r.rejected, 0);
	kith_import_report_clear(&r);
	same_person(x, y, "zoe@acme.example");
	same_person(x, y, "alex@kith.example");
	/* and out again, the same text (UIDs included) */
	again = export_to_string(y, KITH_EXPORT_VCARD);
	assert_string_equal(card, again);
	/* back into the first: nothing changes */
	int64_t people = t_int(x, "SELECT count(*) FROM person");
	assert_int_equal(kith_import_buffer(x, card, strlen(card), NULL, &r, NULL), KITH_OK);
	assert_int_equal(r.created, 1);  /* the name-only card cannot be matched */
	kith_import_report_clear(&r);
	assert_int_equal(t_int(x, "SELECT count(*) FROM person"), people + 1);
	free(card);
	free(again);
	t_close(y);
	t_close(x);
}

static void test_csv_round_trip(void **state)
{
	kith_db *x = t_open(), *y;
	kith_import_report r;
	char *csv;

	(void)state;
	fill(x);
	csv = export_to_string(x, KITH_EXPORT_CSV);
	assert_true(strncmp(csv, "\"Name\",\"Given Name\"", 19) == 0);
	assert_non_null(strstr(csv, "\"zoe@acme.example ::: Zoe.Dupont@perso.example\""));
	y = t_open();
	assert_int_equal(kith_import_buffer(y, csv, strlen(csv), NULL, &r, NULL), KITH_OK);
	assert_int_equal(r.created, 3);
	kith_import_report_clear(&r);
	kith_person *p = ti_by_email(y, "zoe.dupont@perso.example");
	assert_string_equal(p->notes, "Likes climbing; knows the CFO, the CTO\\nothers.\n"
	                    "Second line with a very long sentence that certainly needs folding"
	                    " at seventy-five octets: ééééééééééééééééééééééééééééééé.");
	assert_int_equal(p->tags.n, 2);
	assert_string_equal(p->phones.v[1], "(020) 7946-0958");
	kith_person_free(p);
	free(csv);
	t_close(y);
	t_close(x);
}

static void test_json(void **state)
{
	kith_db *db = t_open();
	char *s;
	json_t *j;
	json_error_t je;

	(void)state;
	fill(db);
	s = export_to_string(db, KITH_EXPORT_JSON);
	j = json_loads(s, 0, &je);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "people")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "links")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "orgs")), 2);
	json_t *zoe = json_array_get(json_object_get(j, "people"), 1);
	assert_int_equal(json_array_size(json_object_get(zoe, "jobs")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "me")), 1);
	json_decref(j);
	free(s);
	t_close(db);
}

static void test_graphml_dot(void **state)
{
	kith_db *db = t_open();
	char *g, *d;

	(void)state;
	fill(db);
	t_person(db, "Tom & \"Jerry\" <Co>", NULL);
	g = export_to_string(db, KITH_EXPORT_GRAPHML);
	assert_non_null(strstr(g, "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""));
	assert_non_null(strstr(g, "<data key=\"label\">Tom &amp; &quot;Jerry&quot; &lt;Co&gt;</data>"));
	assert_non_null(strstr(g, "<edge id=\"l1\" source=\"p1\" target=\"p2\">"));
	assert_non_null(strstr(g, "<data key=\"weight\">0.800</data>"));
	assert_non_null(strstr(g, "<data key=\"org\">Acme; Lyon, S.A.</data>"));
	d = export_to_string(db, KITH_EXPORT_DOT);
	assert_non_null(strstr(d, "graph kith {"));
	assert_non_null(strstr(d, "p4 [label=\"Tom & \\\"Jerry\\\" <Co>\"]"));
	assert_non_null(strstr(d, "p1 -- p2 [kind=\"friend\""));
	free(g);
	free(d);
	assert_int_equal(kith_export_format_parse("GraphML"), KITH_EXPORT_GRAPHML);
	assert_int_equal(kith_export_format_parse("xls"), -1);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcard_round_trip),
		cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_graphml_dot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
