/* The export writers, output exact to the byte: vCard 4.0 (its writer
 * called directly: folding at 75 octets without splitting a UTF-8
 * character, escaping), and CSV, JSON, GraphML and DOT through
 * kith_export on a small fixed database (quoting, the formula quote,
 * shape, names with quotes, ampersands and angle brackets). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>

#include "support.h"
#include "kith/export.h"
#include "kith/import.h"
#include "export/export_impl.h"

/* --- vCard, the writer itself ------------------------------------------ */

/* The card kith__vcard_write makes of x (heap). */
static char *card(const kith__xperson *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(kith__vcard_write(f, x), KITH_OK);
	fclose(f);
	return buf;
}

/* The card of a person with only this display name (heap). */
static char *card_named(const char *name)
{
	kith_person p = {.display_name = (char *)name};
	kith__xperson x = {.p = &p, .uid = "u"};

	return card(&x);
}

static char *rep(const char *s, int n)
{
	GString *g = g_string_new("");

	for (int i = 0; i < n; i++)
		g_string_append(g, s);
	return g_string_free(g, FALSE);
}

/* "FN:" + a..., as the card's one line for it, folded as wanted. */
static void fn_is(const char *name, const char *want_fn)
{
	char *c = card_named(name);
	gchar *want = g_strdup_printf("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:u\r\n%sEND:VCARD\r\n",
	                              want_fn);

	assert_string_equal(c, want);
	g_free(want);
	free(c);
}

static void vcard_folding(void **state)
{
	char *a72 = rep("a", 72), *a73 = rep("a", 73), *a71 = rep("a", 71), *a70 = rep("a", 70);
	char *a69 = rep("a", 69), *a68 = rep("a", 68);
	gchar *name, *want;

	(void)state;
	/* 75 octets: one line */
	want = g_strdup_printf("FN:%s\r\n", a72);
	fn_is(a72, want);
	g_free(want);
	/* 76: the last octet on a line of its own, after a space */
	want = g_strdup_printf("FN:%s\r\n a\r\n", a72);
	fn_is(a73, want);
	g_free(want);
	/* a 2-, 3- or 4-octet character that would cross octet 75 goes whole
	 * to the next line */
	name = g_strdup_printf("%sé", a71);
	want = g_strdup_printf("FN:%s\r\n é\r\n", a71);
	fn_is(name, want);
	g_free(name);
	g_free(want);
	name = g_strdup_printf("%s€", a70);
	want = g_strdup_printf("FN:%s\r\n €\r\n", a70);
	fn_is(name, want);
	g_free(name);
	g_free(want);
	name = g_strdup_printf("%s😀", a69);
	want = g_strdup_printf("FN:%s\r\n 😀\r\n", a69);
	fn_is(name, want);
	g_free(name);
	g_free(want);
	/* ... and one that ends at octet 75 stays */
	name = g_strdup_printf("%s😀", a68);
	want = g_strdup_printf("FN:%s😀\r\n", a68);
	fn_is(name, want);
	g_free(name);
	g_free(want);
	/* Continuation lines hold 74 octets after their space: of 100 é,
	 * 36 on the first line (3 + 72 octets), 37, then 27. */
	char *e100 = rep("é", 100), *e36 = rep("é", 36), *e37 = rep("é", 37), *e27 = rep("é", 27);
	want = g_strdup_printf("FN:%s\r\n %s\r\n %s\r\n", e36, e37, e27);
	fn_is(e100, want);
	g_free(want);
	free(e100);
	free(e36);
	free(e37);
	free(e27);
	free(a72);
	free(a73);
	free(a71);
	free(a70);
	free(a69);
	free(a68);
}

/* Random names of 1- to 4-octet characters and characters to escape:
 * every physical line is at most 75 octets and valid UTF-8, and the
 * lines unfolded are the escaped name. */
static void vcard_folding_random(void **state)
{
	static const char *const chars[] = {"a", "Z", " ", "é", "ß", "€", "中", "😀", "𝄞",
	                                    ",", ";", "\\", "\n"};
	unsigned seed = 75;

	(void)state;
	for (int k = 0; k < 500; k++) {
		GString *name = g_string_new(""), *esc = g_string_new("FN:"), *unf = g_string_new("");
		int n = 1 + rand_r(&seed) % 120;
		for (int i = 0; i < n; i++) {
			const char *c = chars[rand_r(&seed) % (sizeof(chars) / sizeof(chars[0]))];
			g_string_append(name, c);
			if (*c == '\n')
				g_string_append(esc, "\\n");
			else if (*c == ',' || *c == ';' || *c == '\\')
				g_string_append_printf(esc, "\\%c", *c);
			else
				g_string_append(esc, c);
		}
		char *c = card_named(name->str);
		const char *fn = strstr(c, "\r\nFN:") + 2, *end = strstr(fn, "\r\nEND:VCARD");
		/* physical lines of the FN property */
		for (const char *l = fn; l < end + 2;) {
			const char *e = strstr(l, "\r\n");
			assert_true(e - l <= 75);
			if (!g_utf8_validate(l, e - l, NULL))
				fail_msg("line splits a character: '%.*s'", (int)(e - l), l);
			g_string_append_len(unf, l == fn ? l : l + 1, l == fn ? e - l : e - l - 1);
			if (l != fn)
				assert_int_equal(*l, ' ');
			l = e + 2;
			if (l >= end + 2)
				break;
		}
		assert_string_equal(unf->str, esc->str);
		free(c);
		g_string_free(name, TRUE);
		g_string_free(esc, TRUE);
		g_string_free(unf, TRUE);
	}
}

static void vcard_escaping(void **state)
{
	kith_person p = {.display_name = "A, B; C\\D", .given_name = "G;x",
	                 .family_name = "F,y", .city = "Lyon;1", .country = "FR\\",
	                 .notes = "n1\r\nn2"};
	kith_job jobs[2] = {{.org_name = "Org;1", .title = "T,1", .from = "2019"},
	                    {.org_name = "Old\\Co", .from = "2010", .to = "2015"}};
	kith__xperson x = {.p = &p, .jobs = jobs, .njobs = 2, .uid = "urn:uuid:x"};
	char *c;

	(void)state;
	kith_strv_push(&p.emails, "e1@x.example");
	kith_strv_push(&p.emails, "e2@x.example");
	kith_strv_push(&p.phones, "+1,2");
	kith_strv_push(&p.tags, "a,b");
	kith_strv_push(&p.tags, "c;d");
	c = card(&x);
	assert_string_equal(c,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"UID:urn:uuid:x\r\n"
		"FN:A\\, B\\; C\\\\D\r\n"
		"N:F\\,y;G\\;x;;;\r\n"
		"EMAIL;PREF=1:e1@x.example\r\n"
		"EMAIL:e2@x.example\r\n"
		"TEL;VALUE=text:+1\\,2\r\n"
		"ADR:;;;Lyon\\;1;;;FR\\\\\r\n"
		"ORG:Org\\;1\r\n"
		"TITLE:T\\,1\r\n"
		"X-KITH-JOB:Org\\;1;T\\,1;2019;\r\n"
		"X-KITH-JOB:Old\\\\Co;;2010;2015\r\n"
		"CATEGORIES:a\\,b,c\\;d\r\n"
		"NOTE:n1\\nn2\r\n"
		"END:VCARD\r\n");
	free(c);
	/* No current job: no ORG or TITLE, the jobs all the same; one email
	 * is not "preferred"; empty fields write nothing. */
	x.jobs = jobs + 1;
	x.njobs = 1;
	kith_strv_clear(&p.emails);
	kith_strv_push(&p.emails, "only@x.example");
	kith_strv_clear(&p.phones);
	kith_strv_clear(&p.tags);
	p.given_name = NULL;
	p.city = NULL;
	p.notes = "";
	c = card(&x);
	assert_string_equal(c,
		"BEGIN:VCARD\r\n"
		"VERSION:4.0\r\n"
		"UID:urn:uuid:x\r\n"
		"FN:A\\, B\\; C\\\\D\r\n"
		"N:F\\,y;;;;\r\n"
		"EMAIL:only@x.example\r\n"
		"ADR:;;;;;;FR\\\\\r\n"
		"X-KITH-JOB:Old\\\\Co;;2010;2015\r\n"
		"END:VCARD\r\n");
	free(c);
	kith_strv_clear(&p.emails);
}

/* --- the other writers, on a fixed database ---------------------------- */

static kith_id add(kith_db *db, const char *name, const char *given, const char *family,
                   const char *email, const char *phone, const char *tag, const char *city,
                   const char *country, const char *notes)
{
	kith_person p = {0};
	kith_error err;

	p.display_name = strdup(name);
	p.given_name = given ? strdup(given) : NULL;
	p.family_name = family ? strdup(family) : NULL;
	p.city = city ? strdup(city) : NULL;
	p.country = country ? strdup(country) : NULL;
	p.notes = notes ? strdup(notes) : NULL;
	if (email)
		kith_strv_push(&p.emails, email);
	if (phone)
		kith_strv_push(&p.phones, phone);
	if (tag)
		kith_strv_push(&p.tags, tag);
	if (kith_person_add(db, &p, &err))
		fail_msg("add %s: %s", name, err.msg);
	kith_id id = p.id;
	kith_person_clear(&p);
	return id;
}

/* Three people: names with quotes, an ampersand and angle brackets, a
 * formula, an apostrophe; a current job; a link with trust, a directed
 * one with a date; "me". */
static kith_db *fixed(void)
{
	kith_db *db = t_open();
	kith_error err;
	kith_id tom = add(db, "Tom & \"Jerry\" <Co>", "Tom", NULL, "tom@x.example", "+1 555 0100",
	                  "r&d", "Lyon", "France", "=1+1");
	kith_id eve = add(db, "=HYPERLINK(\"http://evil.example\")", "-x", "@y", NULL, NULL, NULL,
	                  NULL, NULL, "line1\nline2 \"quoted\", ok; \\ done");
	kith_id cy = add(db, "Cy 'Apostrophe'", "'Tis", NULL, NULL, NULL, "+vip", NULL, NULL, NULL);
	kith_job j = {.person = tom, .title = strdup("CTO <interim>")};
	kith_link l = {.a = eve, .b = cy, .kind = strdup("mentor"), .since = strdup("2020-03")};

	assert_int_equal(kith_set_me(db, tom, &err), KITH_OK);
	assert_int_equal(kith_org_ensure(db, "Acme <R&D>", &j.org, &err), KITH_OK);
	assert_int_equal(kith_job_add(db, &j, &err), KITH_OK);
	kith_job_clear(&j);
	assert_int_equal(t_link(db, tom, eve, "friend", 0.5), KITH_OK);
	assert_int_equal(kith_link_add(db, &l, &err), KITH_OK);
	kith_link_clear(&l);
	return db;
}

static char *export(kith_db *db, int format)
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

static void vcard_export(void **state)
{
	kith_db *db = fixed();
	char *s = export(db, KITH_EXPORT_VCARD);

	(void)state;
	assert_string_equal(s,
		"BEGIN:VCARD\r\nVERSION:4.0\r\n"
		"UID:urn:uuid:170b500f-8e05-6002-4678-748c0692a294\r\n"
		"FN:Tom & \"Jerry\" <Co>\r\n"
		"N:;Tom;;;\r\n"
		"EMAIL:tom@x.example\r\n"
		"TEL;VALUE=text:+1 555 0100\r\n"
		"ADR:;;;Lyon;;;France\r\n"
		"ORG:Acme <R&D>\r\n"
		"TITLE:CTO <interim>\r\n"
		"X-KITH-JOB:Acme <R&D>;CTO <interim>;;\r\n"
		"CATEGORIES:r&d\r\n"
		"NOTE:=1+1\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:4.0\r\n"
		"UID:urn:uuid:bb5b6258-1e4e-88ba-4d87-eb0c68e1b19a\r\n"
		"FN:=HYPERLINK(\"http://evil.example\")\r\n"
		"N:@y;-x;;;\r\n"
		"NOTE:line1\\nline2 \"quoted\"\\, ok\\; \\\\ done\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:4.0\r\n"
		"UID:urn:uuid:e15b22ee-c2f2-fda5-6859-8057bb38f6f4\r\n"
		"FN:Cy 'Apostrophe'\r\n"
		"N:;'Tis;;;\r\n"
		"CATEGORIES:+vip\r\n"
		"END:VCARD\r\n");
	free(s);
	t_close(db);
}

static void csv_export(void **state)
{
	kith_db *db = fixed(), *back;
	kith_import_report r;
	kith_person *p;
	kith_error err;
	char *s = export(db, KITH_EXPORT_CSV);

	(void)state;
	/* Every cell quoted, quotes doubled, newlines kept inside the quotes;
	 * a cell starting with = + - @ (or a quote) gets a quote first. */
	assert_string_equal(s,
		"\"Name\",\"Given Name\",\"Family Name\",\"E-mail\",\"Phone\",\"City\",\"Country\","
		"\"Organization\",\"Title\",\"Tags\",\"Notes\",\"kith id\"\n"
		"\"Tom & \"\"Jerry\"\" <Co>\",\"Tom\",\"\",\"tom@x.example\",\"'+1 555 0100\","
		"\"Lyon\",\"France\",\"Acme <R&D>\",\"CTO <interim>\",\"r&d\",\"'=1+1\",\"1\"\n"
		"\"'=HYPERLINK(\"\"http://evil.example\"\")\",\"'-x\",\"'@y\",\"\",\"\",\"\",\"\","
		"\"\",\"\",\"\",\"line1\nline2 \"\"quoted\"\", ok; \\ done\",\"2\"\n"
		"\"Cy 'Apostrophe'\",\"''Tis\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"'+vip\",\"\",\"3\"\n");
	/* kith's own import takes the quote away again, once. */
	t_close(db);
	back = t_open();
	assert_int_equal(kith_import_buffer(back, s, strlen(s), NULL, &r, &err), KITH_OK);
	assert_int_equal(r.created, 3);
	kith_import_report_clear(&r);
	assert_int_equal(kith_person_get(back, 2, &p, &err), KITH_OK);
	assert_string_equal(p->display_name, "=HYPERLINK(\"http://evil.example\")");
	assert_string_equal(p->given_name, "-x");
	assert_string_equal(p->family_name, "@y");
	kith_person_free(p);
	assert_int_equal(kith_person_get(back, 1, &p, &err), KITH_OK);
	assert_string_equal(p->phones.v[0], "+1 555 0100");
	assert_string_equal(p->notes, "=1+1");
	kith_person_free(p);
	assert_int_equal(kith_person_get(back, 3, &p, &err), KITH_OK);
	assert_string_equal(p->given_name, "'Tis");
	assert_string_equal(p->tags.v[0], "+vip");
	kith_person_free(p);
	t_close(back);
	free(s);
}

/* The settings and kinds sections as a fresh database has them. */
static json_t *fresh_sections(json_t *got, const char *key)
{
	json_t *v = json_object_get(got, key);

	return v ? json_incref(v) : json_null();
}

static void json_export(void **state)
{
	kith_db *db = fixed();
	char *s = export(db, KITH_EXPORT_JSON);
	json_error_t je;
	json_t *got = json_loads(s, 0, &je), *want;
	const char *t = "2026-11-23T12:00:00Z";

	(void)state;
	assert_non_null(got);
	want = json_pack(
		"{s:s, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:[],"
		" s:[{s:i, s:s, s:s, s:n, s:[s], s:[s], s:s, s:s, s:[s], s:s, s:s, s:s, s:n, s:b,"
		"     s:n, s:n, s:[{s:i, s:i, s:i, s:s, s:s, s:n, s:n, s:b, s:s}]},"
		"    {s:i, s:s, s:s, s:s, s:[], s:[], s:n, s:n, s:[], s:s, s:s, s:s, s:n, s:b,"
		"     s:n, s:n, s:[]},"
		"    {s:i, s:s, s:s, s:n, s:[], s:[], s:n, s:n, s:[s], s:n, s:s, s:s, s:n, s:b,"
		"     s:n, s:n, s:[]}],"
		" s:[{s:i, s:s, s:n, s:n, s:n, s:n, s:s, s:s, s:n, s:b}],"
		" s:o, s:[], s:[], s:[], s:[]}",
		"format", "kith", "version", 1, "schema", kith_schema_version(), "me", 1,
		"config", fresh_sections(got, "config"),
		"orbit_cadences", fresh_sections(got, "orbit_cadences"),
		"link_kinds", fresh_sections(got, "link_kinds"),
		"interaction_kinds", fresh_sections(got, "interaction_kinds"),
		"members",
		"people",
		"id", 1, "name", "Tom & \"Jerry\" <Co>", "given_name", "Tom", "family_name",
		"emails", "tom@x.example", "phones", "+1 555 0100", "city", "Lyon", "country", "France",
		"tags", "r&d", "notes", "=1+1", "created", t, "updated", t, "owner", "private", 0,
		"cadence_days", "card_extra",
		"jobs", "id", 1, "person", 1, "org", 1, "org_name", "Acme <R&D>",
		"title", "CTO <interim>", "from", "to", "current", 1, "created", t,
		"id", 2, "name", "=HYPERLINK(\"http://evil.example\")", "given_name", "-x",
		"family_name", "@y", "emails", "phones", "city", "country", "tags",
		"notes", "line1\nline2 \"quoted\", ok; \\ done", "created", t, "updated", t,
		"owner", "private", 0, "cadence_days", "card_extra", "jobs",
		"id", 3, "name", "Cy 'Apostrophe'", "given_name", "'Tis", "family_name", "emails",
		"phones", "city", "country", "tags", "+vip", "notes", "created", t, "updated", t,
		"owner", "private", 0, "cadence_days", "card_extra", "jobs",
		"orgs",
		"id", 1, "name", "Acme <R&D>", "domain", "city", "country", "notes", "created", t,
		"updated", t, "owner", "private", 0,
		"links", json_object_get(got, "links") ? json_incref(json_object_get(got, "links"))
		                                       : json_null(),
		"interactions", "notes", "vouches", "intro_requests");
	assert_non_null(want);
	if (!json_equal(got, want)) {
		char *g = json_dumps(got, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		fail_msg("export:\n%s", g);
	}
	/* settings and kinds: a fresh database's */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(got, "config"), 0), "key")), "half_life_days");
	assert_int_equal(json_array_size(json_object_get(got, "orbit_cadences")), 4);
	assert_int_equal(json_array_size(json_object_get(got, "link_kinds")), 10);
	assert_int_equal(json_array_size(json_object_get(got, "interaction_kinds")), 6);
	/* links: every field, in id order */
	json_t *links = json_object_get(got, "links");
	assert_int_equal(json_array_size(links), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(links, 0), "a")), 1);
	assert_true(json_real_value(json_object_get(json_array_get(links, 0), "trust")) == 0.5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(links, 1), "kind")),
	                    "mentor");
	assert_string_equal(json_string_value(json_object_get(json_array_get(links, 1), "since")),
	                    "2020-03");
	assert_true(json_is_false(json_object_get(json_array_get(links, 1), "private")));
	/* the text: keys in this order, one space of indent, a final newline */
	static const char head[] = "{\n \"format\": \"kith\",\n \"version\": 1,\n \"schema\": ";
	assert_int_equal(strncmp(s, head, sizeof(head) - 1), 0);
	assert_non_null(strstr(s, ",\n \"me\": 1,\n \"config\": [\n"));
	assert_non_null(strstr(s, "\"people\": [\n  {\n   \"id\": 1,\n"));
	assert_non_null(strstr(s, "   \"name\": \"Tom & \\\"Jerry\\\" <Co>\",\n"));
	assert_true(strstr(s, "\"members\"") < strstr(s, "\"people\"") &&
	            strstr(s, "\"people\"") < strstr(s, "\"orgs\"") &&
	            strstr(s, "\"orgs\"") < strstr(s, "\"links\"") &&
	            strstr(s, "\"links\"") < strstr(s, "\"interactions\"") &&
	            strstr(s, "\"interactions\"") < strstr(s, "\"notes\": [") &&
	            strstr(s, "\"notes\": [") < strstr(s, "\"vouches\""));
	assert_string_equal(s + strlen(s) - 4, "]\n}\n");
	json_decref(got);
	json_decref(want);
	free(s);
	t_close(db);
}

static void graphml_export(void **state)
{
	kith_db *db = fixed();
	char *s = export(db, KITH_EXPORT_GRAPHML);

	(void)state;
	assert_string_equal(s,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
		"    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
		"    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns"
		" http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
		"  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
		"  <key id=\"email\" for=\"node\" attr.name=\"email\" attr.type=\"string\"/>\n"
		"  <key id=\"org\" for=\"node\" attr.name=\"org\" attr.type=\"string\"/>\n"
		"  <key id=\"city\" for=\"node\" attr.name=\"city\" attr.type=\"string\"/>\n"
		"  <key id=\"country\" for=\"node\" attr.name=\"country\" attr.type=\"string\"/>\n"
		"  <key id=\"me\" for=\"node\" attr.name=\"me\" attr.type=\"boolean\"/>\n"
		"  <key id=\"kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n"
		"  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
		"  <key id=\"since\" for=\"edge\" attr.name=\"since\" attr.type=\"string\"/>\n"
		"  <graph id=\"kith\" edgedefault=\"undirected\">\n"
		"    <node id=\"p1\">\n"
		"      <data key=\"label\">Tom &amp; &quot;Jerry&quot; &lt;Co&gt;</data>\n"
		"      <data key=\"email\">tom@x.example</data>\n"
		"      <data key=\"org\">Acme &lt;R&amp;D&gt;</data>\n"
		"      <data key=\"city\">Lyon</data>\n"
		"      <data key=\"country\">France</data>\n"
		"      <data key=\"me\">true</data>\n"
		"    </node>\n"
		"    <node id=\"p2\">\n"
		"      <data key=\"label\">=HYPERLINK(&quot;http://evil.example&quot;)</data>\n"
		"    </node>\n"
		"    <node id=\"p3\">\n"
		"      <data key=\"label\">Cy &apos;Apostrophe&apos;</data>\n"
		"    </node>\n"
		"    <edge id=\"l1\" source=\"p1\" target=\"p2\">\n"
		"      <data key=\"kind\">friend</data>\n"
		"      <data key=\"weight\">0.500</data>\n"
		"    </edge>\n"
		"    <edge id=\"l2\" source=\"p2\" target=\"p3\" directed=\"true\">\n"
		"      <data key=\"kind\">mentor</data>\n"
		"      <data key=\"since\">2020-03</data>\n"
		"    </edge>\n"
		"  </graph>\n"
		"</graphml>\n");
	free(s);
	t_close(db);
}

static void dot_export(void **state)
{
	kith_db *db = fixed();
	char *s = export(db, KITH_EXPORT_DOT);

	(void)state;
	assert_string_equal(s,
		"graph kith {\n"
		"  node [shape=box];\n"
		"  p1 [label=\"Tom & \\\"Jerry\\\" <Co>\", org=\"Acme <R&D>\", me=true, style=bold];\n"
		"  p2 [label=\"=HYPERLINK(\\\"http://evil.example\\\")\"];\n"
		"  p3 [label=\"Cy 'Apostrophe'\"];\n"
		"  p1 -- p2 [kind=\"friend\", label=\"friend\", weight=0.500];\n"
		"  p2 -- p3 [kind=\"mentor\", label=\"mentor\", since=\"2020-03\", dir=forward];\n"
		"}\n");
	free(s);
	t_close(db);
}

/* Backslashes, newlines and control characters in a name: DOT escapes the
 * first two, both formats drop what they cannot carry. */
static void graph_escapes(void **state)
{
	kith_db *db = t_open();
	char *s;

	(void)state;
	/* Written straight into the table: kith's own checks keep most of
	 * these out of names, an import of old data may not have. */
	assert_int_equal(t_int(db, "INSERT INTO person(display_name, created, updated) VALUES"
	                       " ('a\\b' || char(10) || 'c' || char(1) || 'd' || char(9), 0, 0)"
	                       " RETURNING id"), 1);
	s = export(db, KITH_EXPORT_DOT);
	assert_string_equal(s, "graph kith {\n  node [shape=box];\n"
	                       "  p1 [label=\"a\\\\b\\nc" "d\"];\n}\n");
	free(s);
	s = export(db, KITH_EXPORT_GRAPHML);
	assert_non_null(strstr(s, "<data key=\"label\">a\\b\nc" "d\t</data>\n"));
	free(s);
	t_close(db);
}

/* A member's export is of what they see. */
static void export_per_view(void **state)
{
	kith_db *db = fixed(), *v;
	kith_id m;
	kith_error err;
	char *s;

	(void)state;
	assert_int_equal(kith_member_add(db, "bo", add(db, "Bo", NULL, NULL, NULL, NULL, NULL, NULL,
	                                              NULL, NULL), &m, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", 2, 0, 1, &err), KITH_OK);
	assert_int_equal(kith_db_open(t_path(), KITH_OPEN_READONLY, &v, &err), KITH_OK);
	assert_int_equal(kith_db_set_viewer(v, m, &err), KITH_OK);
	s = export(v, KITH_EXPORT_DOT);
	assert_string_equal(s, "graph kith {\n  node [shape=box];\n"
	                       "  p1 [label=\"Tom & \\\"Jerry\\\" <Co>\", org=\"Acme <R&D>\"];\n"
	                       "  p3 [label=\"Cy 'Apostrophe'\"];\n"
	                       "  p4 [label=\"Bo\", me=true, style=bold];\n}\n");
	free(s);
	s = export(v, KITH_EXPORT_CSV);
	assert_null(strstr(s, "HYPERLINK"));
	assert_null(strstr(s, "line1"));
	free(s);
	kith_db_close(v);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vcard_folding),
		cmocka_unit_test(vcard_folding_random),
		cmocka_unit_test(vcard_escaping),
		cmocka_unit_test(vcard_export),
		cmocka_unit_test(csv_export),
		cmocka_unit_test(json_export),
		cmocka_unit_test(graphml_export),
		cmocka_unit_test(dot_export),
		cmocka_unit_test(graph_escapes),
		cmocka_unit_test(export_per_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
