/* CSV import: LinkedIn, Google, Outlook, kith's own, and mapped columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "support_import.h"

static const kith_job *job_at(const kith_job *v, size_t n, const char *org)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].org_name, org) == 0)
			return &v[i];
	return NULL;
}

static void test_linkedin(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_person *p;
	kith_job *jobs;
	kith_link *links;
	size_t n, nl;
	kith_id id;

	(void)state;
	ti_import(db, "linkedin_connections.csv", 0, &r);
	assert_int_equal(r.format, KITH_IMPORT_CSV);
	/* the Notes: preamble and the empty row are not records */
	assert_int_equal(r.records, 6);
	assert_int_equal(r.created, 5);
	assert_int_equal(r.rejected, 1);
	assert_int_equal(r.links_created, 5);
	/* Ana's row opens a quote it never closes; Tomás after it survives */
	assert_true(ti_has_issue(&r, 10, KITH_ISSUE_REJECTED, "not closed"));
	assert_true(ti_has_issue(&r, 8, KITH_ISSUE_WARNING, "'not a date'"));
	p = ti_by_email(db, "zoe.dupont@acme.example");
	assert_string_equal(p->display_name, "Zoë Dupont");
	assert_int_equal(kith_link_list(db, p->id, &links, &nl, NULL), KITH_OK);
	assert_int_equal(nl, 1);
	assert_int_equal(links[0].a, kith_me(db));
	assert_string_equal(links[0].kind, "knows");
	assert_string_equal(links[0].since, "2019-03-14");  /* "14 Mar 2019" */
	kith_link_list_free(links, nl);
	assert_int_equal(kith_job_list(db, p->id, &jobs, &n, NULL), KITH_OK);
	assert_string_equal(jobs[0].title, "CTO");
	kith_job_list_free(jobs, n);
	kith_person_free(p);
	/* quoted commas and doubled quotes */
	assert_int_equal(kith_person_resolve(db, "Priya Raman", &id, NULL, NULL), KITH_OK);
	assert_int_equal(kith_job_list(db, id, &jobs, &n, NULL), KITH_OK);
	assert_string_equal(jobs[0].org_name, "Kestrel Studio");
	assert_string_equal(jobs[0].title, "Designer, \"Brand\" team");
	kith_job_list_free(jobs, n);
	assert_int_equal(kith_person_resolve(db, "Kwame Mensah", &id, NULL, NULL), KITH_OK);
	assert_int_equal(kith_job_list(db, id, &jobs, &n, NULL), KITH_OK);
	assert_non_null(job_at(jobs, n, "Helios Energy, Ltd."));
	kith_job_list_free(jobs, n);
	p = ti_by_email(db, "tomas@ortega.example");
	assert_string_equal(p->display_name, "Tomás Ortega");
	kith_person_free(p);
	/* the profile URL is the source key */
	assert_int_equal(t_int(db, "SELECT count(*) FROM import_source WHERE"
	                 " key = 'https://www.linkedin.com/in/jlpicard'"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link l JOIN person p ON p.id = l.b"
	                 " WHERE p.display_name = 'Jean-Luc Picard' AND l.since IS NULL"), 1);
	kith_import_report_clear(&r);
	/* again: nothing new */
	ti_import(db, "linkedin_connections.csv", 0, &r);
	assert_int_equal(r.unchanged, 5);
	assert_int_equal(r.created + r.merged + r.links_created, 0);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_google_csv(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_person *p;

	(void)state;
	ti_import(db, "google_contacts.csv", 0, &r);
	assert_int_equal(r.created, 2);
	assert_int_equal(r.rejected, 0);
	p = ti_by_email(db, "kwame@mensah.example");
	assert_int_equal(p->emails.n, 2);
	assert_string_equal(p->emails.v[0], "kwame.mensah@helios.example");
	assert_string_equal(p->phones.v[0], "+233 24 123 4567");
	assert_string_equal(p->city, "Accra");  /* the multi-line address cell */
	assert_string_equal(p->country, "Ghana");
	assert_int_equal(p->tags.n, 2);  /* "* myContacts ::: Work ::: Energy" */
	assert_int_equal(kith_strv_find(&p->tags, "work") >= 0, 1);
	assert_int_equal(kith_strv_find(&p->tags, "energy") >= 0, 1);
	assert_string_equal(p->notes, "Runs the Accra solar pilot.\nBirthday: 1990-07-21");
	kith_person_free(p);
	p = ti_by_email(db, "chiara.bianchi@posta.example");
	assert_int_equal(p->phones.n, 2);  /* " ::: " joins two numbers */
	assert_string_equal(p->notes, "Birthday: --06-02");
	assert_int_equal(kith_strv_find(&p->tags, "starred") >= 0, 1);
	kith_person_free(p);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_outlook_csv(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_person *p;
	kith_job *jobs;
	size_t n;

	(void)state;
	ti_import(db, "outlook_contacts.csv", 0, &r);  /* with a UTF-8 BOM */
	assert_int_equal(r.created, 2);
	p = ti_by_email(db, "kenji.watanabe@sakura.example");
	assert_string_equal(p->display_name, "Kenji Watanabe");  /* "Dr." is not a name */
	assert_int_equal(p->phones.n, 2);
	assert_string_equal(p->city, "Tokyo");
	assert_string_equal(p->notes, "Met at ICRA.\nInterested in the grid project.\n"
	                    "Birthday: 1986-03-14");  /* 3/14/1986 */
	assert_int_equal(kith_strv_find(&p->tags, "robotics") >= 0, 1);
	assert_int_equal(kith_strv_find(&p->tags, "conference") >= 0, 1);
	assert_int_equal(kith_job_list(db, p->id, &jobs, &n, NULL), KITH_OK);
	assert_string_equal(jobs[0].org_name, "Sakura Robotics");
	assert_string_equal(jobs[0].title, "Research Engineer");
	kith_job_list_free(jobs, n);
	kith_person_free(p);
	p = ti_by_email(db, "fatima.zahra@atlas.example");
	assert_string_equal(p->city, "Casablanca");  /* home beats business */
	assert_null(p->notes);  /* Birthday 0/0/00 is no date */
	kith_person_free(p);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_mapped_and_unknown(void **state)
{
	kith_db *db = t_open();
	kith_import_opts o = {.csv_map = "name=Full Name,email=E-mail,phone=Mobile,"
	                                 "org=Employer,city=Town"};
	kith_import_report r;
	kith_error err;
	kith_person *p;

	(void)state;
	assert_int_equal(kith_import_file(db, ti_data("generic.csv"), NULL, &r, &err),
	                 KITH_EINVAL);
	assert_non_null(strstr(err.msg, "--map"));
	kith_import_report_clear(&r);
	o.csv_map = "nom=Full Name";
	assert_int_equal(kith_import_file(db, ti_data("generic.csv"), &o, &r, &err),
	                 KITH_EINVAL);
	kith_import_report_clear(&r);
	o.csv_map = "name=Full Name,email=E-mail,phone=Mobile,org=Employer,city=Town";
	assert_int_equal(kith_import_file(db, ti_data("generic.csv"), &o, &r, &err), KITH_OK);
	assert_int_equal(r.created, 2);  /* ';' separated: found by the header */
	p = ti_by_email(db, "olga.petrova@volga.example");
	assert_string_equal(p->display_name, "Olga Petrova");
	assert_string_equal(p->phones.v[0], "+7 912 345-67-89");
	assert_string_equal(p->city, "Kazan");
	kith_person_free(p);
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 2);
	t_close(db);
}

/* LinkedIn knows Kwame without an email; Google has his email and the
 * same company: one person. */
static void test_identity_name_org(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;

	(void)state;
	ti_import(db, "linkedin_connections.csv", 0, &r);
	kith_import_report_clear(&r);
	ti_import(db, "google_contacts.csv", 0, &r);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.created, 1);
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE display_name = 'Kwame Mensah'"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_email e JOIN person p ON"
	                 " p.id = e.person_id WHERE p.display_name = 'Kwame Mensah'"), 2);
	t_close(db);
}

static void test_bad_quotes_midfile(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;

	(void)state;
	assert_int_equal(ti_import_str(db, "First Name,Last Name,URL,Email Address,Company,"
	                 "Position,Connected On\n"
	                 "A,B,u1,a@b.example,X,Y,01 Jan 2020\n"
	                 "C,\"D\"x,u2,c@d.example,X,Y,01 Jan 2020\n"
	                 "E,F,u3,e@f.example,X,Y,01 Jan 2020\n", 0, &r), KITH_OK);
	assert_int_equal(r.created, 2);
	assert_true(ti_has_issue(&r, 3, KITH_ISSUE_REJECTED, "malformed quoting"));
	kith_import_report_clear(&r);
	t_close(db);
}

/* A fixture as Windows saves "Unicode" text: UTF-16, byte-order mark
 * first.  *len is set; g_free the result. */
static char *utf16(const char *name, const char *to, const char *bom, size_t *len)
{
	char *text, *conv, *out;
	gsize n, cn;

	assert_true(g_file_get_contents(ti_data(name), &text, &n, NULL));
	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)  /* the UTF-8 mark goes */
		memmove(text, text + 3, n -= 3);
	conv = g_convert(text, (gssize)n, to, "UTF-8", NULL, &cn, NULL);
	assert_non_null(conv);
	out = g_malloc(cn + 2);
	memcpy(out, bom, 2);
	memcpy(out + 2, conv, cn);
	*len = cn + 2;
	g_free(conv);
	g_free(text);
	return out;
}

/* Outlook's Unicode CSV and a Windows vCard, UTF-16 either way round: read
 * as their UTF-8 selves.  Broken UTF-16, binary data and text with no
 * separator are refused, each with its own reason. */
static void test_utf16_and_not_csv(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_error err;
	kith_person *p;
	size_t len;
	char *b;

	(void)state;
	b = utf16("outlook_contacts.csv", "UTF-16LE", "\xff\xfe", &len);
	assert_int_equal(kith_import_buffer(db, b, len, NULL, &r, &err), KITH_OK);
	assert_int_equal(r.format, KITH_IMPORT_CSV);
	assert_int_equal(r.created, 2);
	p = ti_by_email(db, "kenji.watanabe@sakura.example");
	assert_string_equal(p->display_name, "Kenji Watanabe");
	assert_string_equal(p->city, "Tokyo");
	kith_person_free(p);
	kith_import_report_clear(&r);
	assert_int_equal(kith_import_buffer(db, b, len - 1, NULL, &r, &err), KITH_EINVAL);
	assert_non_null(strstr(err.msg, "not UTF-16LE text"));
	g_free(b);
	b = utf16("google.vcf", "UTF-16BE", "\xfe\xff", &len);
	assert_int_equal(kith_import_buffer(db, b, len, NULL, &r, &err), KITH_OK);
	assert_int_equal(r.format, KITH_IMPORT_VCARD);
	assert_true(r.created + r.merged + r.unchanged >= 2);
	kith_import_report_clear(&r);
	g_free(b);
	assert_int_equal(kith_import_buffer(db, "\x89PNG\r\n\x1a\n\0\0,", 11, NULL, &r, &err),
	                 KITH_EINVAL);
	assert_non_null(strstr(err.msg, "not text"));
	assert_int_equal(ti_import_str(db, "Dear Ada\nSee you soon\n", 0, &r), KITH_EINVAL);
	kith_import_report_clear(&r);
	assert_int_equal(kith_import_buffer(db, "Dear Ada\n", 9, NULL, &r, &err), KITH_EINVAL);
	assert_non_null(strstr(err.msg, "no comma, semicolon or tab"));
	t_close(db);
}

/* Layouts told by their headers without --map: Thunderbird (comma or
 * semicolon), Yahoo, KAddressBook, Gmail before 2010, a typed "Name,Email",
 * and a single column of addresses. */
static void test_more_layouts(void **state)
{
	static const struct {
		const char *text, *email, *name, *city, *org;
	} cases[] = {
		{"First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,"
		 "Work Phone,Home Phone,Mobile Number,Home City,Home Country,Work City,"
		 "Job Title,Organization,Notes\n"
		 "John,Doe,John Doe,,john@doe.example,jd@doe.example,,,+33 6 12 34 56 78,"
		 "Lyon,France,Paris,CTO,Doe Works,met at FOSDEM\n",
		 "john@doe.example", "John Doe", "Lyon", "Doe Works"},
		{"Display Name;First Name;Last Name;Primary Email\n"
		 "Jane Doe;Jane;Doe;jane@doe.example\n",
		 "jane@doe.example", "Jane Doe", NULL, NULL},
		{"\"First\",\"Middle\",\"Last\",\"Nickname\",\"Email\",\"Category\",\"Home\","
		 "\"Mobile\",\"Alternate Email 1\",\"Title\",\"Company\",\"Work City\","
		 "\"Home Town\",\"Comments\"\n"
		 "\"Firman\",\"\",\"Wandayandi\",\"firman\",\"firman@php.example\",\"friends\","
		 "\"\",\"+62 22 1234567\",\"fw@alt.example\",\"Developer\",\"Foo\",\"Jakarta\","
		 "\"Bandung\",\"It's\nmultiline\"\n",
		 "firman@php.example", "Firman Wandayandi", "Bandung", "Foo"},
		{"\"Formatted Name\",\"Family Name\",\"Given Name\",\"Email Address\","
		 "\"Home Address Locality\",\"Organization\",\"Title\",\"Note\"\n"
		 "\"Ingrid Olsen\",\"Olsen\",\"Ingrid\",\"ingrid@kde.example\",\"Oslo\","
		 "\"KDE e.V.\",\"Maintainer\",\"\"\n",
		 "ingrid@kde.example", "Ingrid Olsen", "Oslo", "KDE e.V."},
		{"Name,E-mail,Notes,Section 1 - Description,Section 1 - Email,"
		 "Section 1 - Phone,Section 1 - Company,Section 1 - Title\n"
		 "Kofi Mensah,kofi@gmail.example,,Work,kofi@work.example,+233 20 123 4567,"
		 "Akwaaba Ltd,Founder\n",
		 "kofi@gmail.example", "Kofi Mensah", NULL, "Akwaaba Ltd"},
		{"Name,Email\r\nMei Chen,mei@chen.example\r\n",
		 "mei@chen.example", "Mei Chen", NULL, NULL},
		{"Primary Email\nsolo@one.example\n",
		 "solo@one.example", "solo@one.example", NULL, NULL},
	};
	kith_import_report r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kith_db *db = ti_open_me();
		kith_person *p;
		assert_int_equal(ti_import_str(db, cases[i].text, 0, &r), KITH_OK);
		assert_int_equal(r.format, KITH_IMPORT_CSV);
		assert_int_equal(r.created, 1);
		p = ti_by_email(db, cases[i].email);
		assert_string_equal(p->display_name, cases[i].name);
		if (cases[i].city)
			assert_string_equal(p->city, cases[i].city);
		if (cases[i].org) {
			char *org = ti_text(db, "SELECT o.name FROM job j JOIN org o ON o.id = j.org_id");
			assert_non_null(org);
			assert_string_equal(org, cases[i].org);
			free(org);
		}
		kith_person_free(p);
		kith_import_report_clear(&r);
		t_close(db);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linkedin),
		cmocka_unit_test(test_google_csv),
		cmocka_unit_test(test_outlook_csv),
		cmocka_unit_test(test_mapped_and_unknown),
		cmocka_unit_test(test_identity_name_org),
		cmocka_unit_test(test_bad_quotes_midfile),
		cmocka_unit_test(test_utf16_and_not_csv),
		cmocka_unit_test(test_more_layouts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
