/* vCard import: the fixtures in tests/data as real address books write them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_import.h"
#include "kith/card.h"

static int has(const kith_strv *sv, const char *s)
{
	return kith_strv_find(sv, s) >= 0;
}

static void test_outlook_21_qp_windows_1252(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *p;
	kith_job *jobs;
	size_t n;

	(void)state;
	ti_import(db, "outlook21.vcf", KITH_IMPORT_VCARD, &r);
	assert_int_equal(r.records, 1);
	assert_int_equal(r.created, 1);
	assert_int_equal(r.rejected, 0);
	p = ti_by_email(db, "zoe.dupont@acme.example");
	/* N and FN are quoted-printable in Windows-1252: "Zo=EB" */
	assert_string_equal(p->display_name, "Zoë Dupont");
	assert_string_equal(p->given_name, "Zoë");
	assert_string_equal(p->family_name, "Dupont");
	/* the PREF work address, QP with =F4 and =E8 */
	assert_string_equal(p->city, "Genève");
	assert_string_equal(p->country, "Suisse");
	/* a note over three QP lines joined at soft breaks, one starting
	 * with a space; "=3B" is a semicolon */
	assert_string_equal(p->notes, "Rencontrée au salon de Genève. Très intéressée "
	                    "par le projet pilote; rappeler en décembre.");
	assert_int_equal(p->phones.n, 2);
	assert_string_equal(p->phones.v[0], "+41 22 555 01 23");
	assert_string_equal(p->phones.v[1], "+44 (7700) 900-123");
	assert_int_equal(kith_job_list(db, p->id, &jobs, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(jobs[0].org_name, "Acme");  /* ORG:Acme;Direction */
	assert_string_equal(jobs[0].title, "CTO");
	kith_job_list_free(jobs, n);
	kith_person_free(p);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_android_21_utf8_qp(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_id id;
	kith_person *p;

	(void)state;
	ti_import(db, "android21.vcf", 0, &r);
	assert_int_equal(r.format, KITH_IMPORT_VCARD);
	assert_int_equal(r.created, 3);
	assert_int_equal(kith_person_resolve(db, "Søren Øvergaard", &id, NULL, NULL), KITH_OK);
	assert_int_equal(kith_person_get(db, id, &p, NULL), KITH_OK);
	assert_string_equal(p->given_name, "Søren");
	assert_string_equal(p->notes, "Kører på cykel til arbejde hver dag, også om vinteren");
	assert_string_equal(p->phones.v[0], "+45 20 12 34 56");
	kith_person_free(p);
	assert_int_equal(kith_person_resolve(db, "王秀英", &id, NULL, NULL), KITH_OK);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_apple_groups_photo_org_card(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *p;
	char *key;

	(void)state;
	ti_import(db, "apple.vcf", 0, &r);
	assert_int_equal(r.records, 3);
	assert_int_equal(r.created, 2);
	assert_int_equal(r.skipped, 1);  /* the company card */
	assert_true(ti_has_issue(&r, 138, KITH_ISSUE_SKIPPED, "organisation"));
	p = ti_by_email(db, "chinedu@okafor.example");
	assert_string_equal(p->display_name, "Chinedu Okafor");
	/* item1.EMAIL;type=pref comes first though written first anyway;
	 * both addresses are kept */
	assert_int_equal(p->emails.n, 2);
	assert_string_equal(p->emails.v[0], "chinedu.okafor@lumen.example");
	assert_string_equal(p->phones.v[0], "+33 6 12 34 56 78");
	assert_string_equal(p->city, "Lyon");
	assert_string_equal(p->country, "France");
	/* escaped comma and semicolon, then BDAY kept as a note line */
	assert_string_equal(p->notes, "Met at the Lyon energy meetup, 2023. Likes climbing;"
	                    " knows the CFO.\nBirthday: 1986-03-14");
	kith_person_free(p);
	/* no UID: X-ABUID is the source key */
	key = ti_text(db, "SELECT key FROM import_source WHERE person_id = 1");
	assert_non_null(key);
	assert_non_null(strstr(key, "5F1C9A2E-3B7D"));
	free(key);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_google_categories_bday(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *p;

	(void)state;
	ti_import(db, "google.vcf", 0, &r);
	assert_int_equal(r.created, 2);
	p = ti_by_email(db, "zoe.dupont@acme.example");
	assert_string_equal(p->display_name, "Zoe Dupont");
	/* CATEGORIES:myContacts,Friends,Climbing Club: the system group goes */
	assert_int_equal(p->tags.n, 2);
	assert_true(has(&p->tags, "friends"));
	assert_true(has(&p->tags, "climbing-club"));
	assert_string_equal(p->city, "Manchester");
	assert_string_equal(p->notes, "Birthday: 1985-04-12\nPrefers email, not calls.\n"
	                    "Introduced by Ana.");
	kith_person_free(p);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_thunderbird_40(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *p;

	(void)state;
	ti_import(db, "thunderbird40.vcf", 0, &r);
	p = ti_by_email(db, "mira@novak.example");
	assert_string_equal(p->display_name, "Mira Novák");
	assert_string_equal(p->emails.v[0], "mira.novak@kestrel.example");  /* PREF=1 */
	assert_string_equal(p->phones.v[0], "+420-601-123-456");  /* tel: URI */
	assert_string_equal(p->phones.v[1], "+420 2 2222 3333");
	assert_true(has(&p->tags, "design"));
	assert_true(has(&p->tags, "prague"));
	kith_person_free(p);
	assert_int_equal(t_int(db, "SELECT count(*) FROM import_source WHERE"
	                 " key = '7b1d4c6e-7a0e-4b7e-9a49-0c5e4d8f2a11'"), 1);
	kith_import_report_clear(&r);
	t_close(db);
}

static void test_malformed_lines_and_reasons(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *p;

	(void)state;
	ti_import(db, "malformed.vcf", KITH_IMPORT_VCARD, &r);
	assert_int_equal(r.created, 1);
	assert_int_equal(r.rejected, 4);
	assert_true(ti_has_issue(&r, 1, KITH_ISSUE_REJECTED, "not a vCard"));
	assert_true(ti_has_issue(&r, 4, KITH_ISSUE_REJECTED, "no name and no email"));
	assert_true(ti_has_issue(&r, 4, KITH_ISSUE_WARNING, "'not a phone' is not a phone"));
	assert_true(ti_has_issue(&r, 9, KITH_ISSUE_WARNING, "'ines at example dot com'"));
	assert_true(ti_has_issue(&r, 14, KITH_ISSUE_WARNING, "no ':'"));
	assert_true(ti_has_issue(&r, 15, KITH_ISSUE_WARNING, "BDAY"));
	assert_true(ti_has_issue(&r, 17, KITH_ISSUE_REJECTED, "no END:VCARD before the next"));
	assert_true(ti_has_issue(&r, 21, KITH_ISSUE_REJECTED, "before the end of the file"));
	p = ti_by_email(db, "ines.ferreira@porto.example");
	assert_int_equal(p->emails.n, 1);
	kith_person_free(p);
	kith_import_report_clear(&r);
	t_close(db);
}

/* The same people from several address books become one person each. */
static void test_identity_across_sources(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *p;

	(void)state;
	ti_import(db, "apple.vcf", 0, &r);
	kith_import_report_clear(&r);
	/* Android has Chinedu with "0033 6 12 34 56 78": Apple's +33 number */
	ti_import(db, "android21.vcf", 0, &r);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.created, 2);
	kith_import_report_clear(&r);
	p = ti_by_email(db, "chinedu.o@gmail.example");
	assert_string_equal(p->display_name, "Chinedu Okafor");
	assert_int_equal(p->emails.n, 3);
	assert_int_equal(p->phones.n, 2);  /* 0033... was the same number */
	kith_person_free(p);
	/* Google's ZOE.DUPONT@ACME.EXAMPLE is Outlook's zoe.dupont@acme.example */
	ti_import(db, "google.vcf", 0, &r);
	kith_import_report_clear(&r);
	ti_import(db, "outlook21.vcf", 0, &r);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.created, 0);
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE display_name LIKE 'Zo%'"), 1);
	p = ti_by_email(db, "zoe.dupont@acme.example");
	/* Google's +44 7700 900123 and Outlook's +44 (7700) 900-123 are one */
	assert_int_equal(p->phones.n, 2);
	assert_string_equal(p->city, "Manchester");  /* the first source's stays */
	assert_non_null(strstr(p->notes, "Prefers email"));
	assert_non_null(strstr(p->notes, "projet pilote"));
	kith_person_free(p);
	t_close(db);
}

static void test_same_name_same_org_merges(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;

	(void)state;
	assert_int_equal(ti_import_str(db, "BEGIN:VCARD\nVERSION:3.0\nFN:Olga Petrova\n"
	                 "ORG:Volga Freight\nEND:VCARD\n", 0, &r), KITH_OK);
	kith_import_report_clear(&r);
	assert_int_equal(ti_import_str(db, "BEGIN:VCARD\nVERSION:3.0\nFN:olga  petrova\n"
	                 "ORG:VOLGA FREIGHT\nEMAIL:olga@volga.example\nEND:VCARD\n"
	                 "BEGIN:VCARD\nVERSION:3.0\nFN:Olga Petrova\nORG:Other Co\n"
	                 "END:VCARD\n", 0, &r), KITH_OK);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.created, 1);  /* same name, another org: not merged */
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 2);
	t_close(db);
}

static void test_reimport_changes_nothing(void **state)
{
	static const char *const files[] = {"apple.vcf", "google.vcf", "outlook21.vcf",
	                                    "android21.vcf", "thunderbird40.vcf",
	                                    "malformed.vcf"};
	kith_db *db = t_open();
	sqlite3 *h = kith_db_sqlite(db);
	kith_import_report r;

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		ti_import(db, files[i], KITH_IMPORT_VCARD, &r);
		kith_import_report_clear(&r);
	}
	int64_t before = t_int(db, "SELECT count(*) FROM person");
	int changes = sqlite3_total_changes(h);
	for (size_t i = 0; i < 6; i++) {
		ti_import(db, files[i], KITH_IMPORT_VCARD, &r);
		assert_int_equal(r.created, 0);
		assert_int_equal(r.merged, 0);
		assert_int_equal(r.unchanged, r.records - r.skipped - r.rejected);
		kith_import_report_clear(&r);
	}
	assert_int_equal(sqlite3_total_changes(h), changes);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), before);
	t_close(db);
}

static void test_dry_run_saves_nothing(void **state)
{
	kith_db *db = t_open();
	kith_import_opts o = {.dry_run = 1};
	kith_import_report r;

	(void)state;
	assert_int_equal(kith_import_file(db, ti_data("apple.vcf"), &o, &r, NULL), KITH_OK);
	assert_int_equal(r.created, 2);
	assert_true(r.dry_run);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM import_source"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM org"), 0);
	kith_import_report_clear(&r);
	t_close(db);
}

/* An 8 MB PHOTO is passed over, not kept, and the card still reads. */
static void test_huge_photo(void **state)
{
	kith_db *db = t_open();
	size_t lines = 8 * 1024 * 1024 / 76, n = 0;
	char *buf = malloc(lines * 78 + 4096);
	kith_import_report r;
	kith_person *p;

	(void)state;
	assert_non_null(buf);
	n += (size_t)sprintf(buf + n, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\n"
	                     "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n");
	for (size_t i = 0; i < lines; i++)
		n += (size_t)sprintf(buf + n, " %.74s\r\n",
		     "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB");
	n += (size_t)sprintf(buf + n, "EMAIL:big@photo.example\r\nEND:VCARD\r\n");
	assert_int_equal(kith_import_buffer(db, buf, n, NULL, &r, NULL), KITH_OK);
	assert_int_equal(r.created, 1);
	p = ti_by_email(db, "big@photo.example");
	assert_string_equal(p->display_name, "Big Photo");
	kith_person_free(p);
	kith_import_report_clear(&r);
	free(buf);
	t_close(db);
}

/* Any NUL, lone CR or broken UTF-8 is read, never crashes. */
static void test_odd_bytes(void **state)
{
	static const char odd[] = "BEGIN:VCARD\rFN:Caf\xe9 Owner\rEMAIL:cafe@owner.example\r"
	                          "NOTE:a\0b\rN:;;;;\rEND:VCARD";
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *p;

	(void)state;
	assert_int_equal(kith_import_buffer(db, odd, sizeof(odd) - 1, NULL, &r, NULL), KITH_OK);
	p = ti_by_email(db, "cafe@owner.example");
	assert_string_equal(p->display_name, "Café Owner");  /* read as Windows-1252 */
	kith_person_free(p);
	kith_import_report_clear(&r);
	t_close(db);
}

/* A contact file does not know "me"; an email of me merges into me. */
static void test_me_by_email(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;

	(void)state;
	assert_int_equal(ti_import_str(db, "BEGIN:VCARD\nVERSION:4.0\nFN:Alex M.\n"
	                 "EMAIL:ALEX@KITH.EXAMPLE\nTEL:+1 555 0100\nEND:VCARD\n", 0, &r), KITH_OK);
	assert_int_equal(r.merged, 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_phone WHERE person_id = 1"), 1);
	kith_import_report_clear(&r);
	t_close(db);
}

/* Android's nested 2.1 cards: the outer card is the person, with the
 * lines after its inner cards; the inner ones are left out with a
 * warning.  A card that lacks its END:VCARD is still refused by line. */
static void test_nested_cards(void **state)
{
	static const char nest[] =
		"BEGIN:VCARD\nVERSION:2.1\nN:Parent;Pat\n"
		"BEGIN:VCARD\nVERSION:2.1\nN:nest1\nEND:VCARD\n"
		"BEGIN:VCARD\nVERSION:2.1\nN:nest2\nEND:VCARD\n"
		"TEL:+44 20 7946 0000\nEMAIL:pat@parent.example\nEND:VCARD\n";
	static const char unclosed[] =
		"BEGIN:VCARD\nVERSION:3.0\nFN:Lost End\n"
		"BEGIN:VCARD\nVERSION:3.0\nFN:Ada One\nEND:VCARD\n"
		"BEGIN:VCARD\nVERSION:3.0\nFN:Bob Two\nEND:VCARD\n";
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_person *p;

	(void)state;
	assert_int_equal(ti_import_str(db, nest, 0, &r), KITH_OK);
	assert_int_equal(r.records, 1);
	assert_int_equal(r.created, 1);
	assert_true(ti_has_issue(&r, 4, KITH_ISSUE_WARNING, "inside the one of line 1"));
	assert_true(ti_has_issue(&r, 8, KITH_ISSUE_WARNING, "inside the one of line 1"));
	kith_import_report_clear(&r);
	p = ti_by_email(db, "pat@parent.example");
	assert_string_equal(p->display_name, "Pat Parent");
	assert_int_equal(p->phones.n, 1);
	kith_person_free(p);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE display_name LIKE 'nest%'"), 0);
	assert_int_equal(ti_import_str(db, unclosed, 0, &r), KITH_OK);
	assert_int_equal(r.created, 2);
	assert_int_equal(r.rejected, 1);
	assert_true(ti_has_issue(&r, 1, KITH_ISSUE_REJECTED, "no END:VCARD before the next"));
	kith_import_report_clear(&r);
	t_close(db);
}

/* 2.1 values without CHARSET: UTF-8 when their bytes are, else the
 * charset the card declares elsewhere, else the one an earlier card of
 * the file declared, else Windows-1252; CHARSET=SHIFT_JIS through iconv. */
static void test_charset_rules(void **state)
{
	static const char file[] =
		"BEGIN:VCARD\r\nVERSION:2.1\r\n"
		"NOTE;ENCODING=QUOTED-PRINTABLE:=83=81=83=82\r\n"  /* no CHARSET */
		"N;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=88=C0=93=A1;=83=8D=83=43=83=68\r\n"
		"EMAIL:ando@sjis.example\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:2.1\r\n"
		"N;ENCODING=QUOTED-PRINTABLE:=88=C0=93=A1;=8F=AB\r\n"  /* the file's */
		"EMAIL:sho@sjis.example\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:2.1\r\n"
		"N;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\n"  /* UTF-8 */
		"EMAIL:jm@utf8.example\r\nEND:VCARD\r\n";
	static const char cp1252[] =
		"BEGIN:VCARD\r\nVERSION:2.1\r\n"
		"N;ENCODING=QUOTED-PRINTABLE:M=FCller;=80va\r\n"
		"EMAIL:eva@cp1252.example\r\nEND:VCARD\r\n";
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_person *p;

	(void)state;
	assert_int_equal(ti_import_str(db, file, 0, &r), KITH_OK);
	assert_int_equal(r.created, 3);
	kith_import_report_clear(&r);
	p = ti_by_email(db, "ando@sjis.example");
	assert_string_equal(p->display_name, "ロイド 安藤");
	assert_string_equal(p->notes, "メモ");
	kith_person_free(p);
	p = ti_by_email(db, "sho@sjis.example");
	assert_string_equal(p->display_name, "将 安藤");
	kith_person_free(p);
	p = ti_by_email(db, "jm@utf8.example");
	assert_string_equal(p->display_name, "Jürgen Müller");
	kith_person_free(p);
	assert_int_equal(ti_import_str(db, cp1252, 0, &r), KITH_OK);
	kith_import_report_clear(&r);
	p = ti_by_email(db, "eva@cp1252.example");
	assert_string_equal(p->display_name, "€va Müller");
	kith_person_free(p);
	t_close(db);
}

/* RELATED (4.0) and X-ABRELATEDNAMES/X-ABLabel (3.0) in a file: a value
 * naming one person (by name, email or the UID of an imported card, on a
 * card further down too) becomes a link of the kind card_rel.c maps its
 * label to; one naming nobody stays with the person, line for line, and
 * the address book (CardDAV) serves both back. */
static void test_related_in_files(void **state)
{
	static const char file[] =
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nEMAIL:ana@silva.example\r\n"
		"item1.X-ABRELATEDNAMES:Bruno Costa\r\nitem1.X-ABLabel:_$!<Spouse>!$_\r\n"
		"item2.X-ABRELATEDNAMES:carla@dias.example\r\nitem2.X-ABLabel:_$!<Manager>!$_\r\n"
		"item3.X-ABRELATEDNAMES:Nobody Known\r\nitem3.X-ABLabel:_$!<Friend>!$_\r\n"
		"END:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:0b6ba1c2-0000-4000-8000-000000000001\r\n"
		"FN:Bruno Costa\r\nEMAIL:bruno@costa.example\r\n"
		"RELATED;TYPE=friend:urn:uuid:0b6ba1c2-0000-4000-8000-000000000002\r\n"
		"RELATED;TYPE=child;VALUE=text:Child Tester\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:0b6ba1c2-0000-4000-8000-000000000002\r\n"
		"FN:Carla Dias\r\nEMAIL:carla@dias.example\r\nEND:VCARD\r\n";
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_person *ana, *bruno, *carla;
	char *card;
	size_t len;

	(void)state;
	assert_int_equal(ti_import_str(db, file, 0, &r), KITH_OK);
	assert_int_equal(r.created, 3);
	assert_int_equal(r.links_created, 3);
	kith_import_report_clear(&r);
	ana = ti_by_email(db, "ana@silva.example");
	bruno = ti_by_email(db, "bruno@costa.example");
	carla = ti_by_email(db, "carla@dias.example");
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM link WHERE kind = 'family' AND a = %lld"
	         " AND b = %lld", (long long)ana->id, (long long)bruno->id);
	assert_int_equal(t_int(db, sql), 1);  /* Spouse */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM link WHERE kind = 'colleague' AND a = %lld"
	         " AND b = %lld", (long long)ana->id, (long long)carla->id);
	assert_int_equal(t_int(db, sql), 1);  /* Manager, by email */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM link WHERE kind = 'friend' AND a = %lld"
	         " AND b = %lld", (long long)bruno->id, (long long)carla->id);
	assert_int_equal(t_int(db, sql), 1);  /* by UID, a card further down */
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 3);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 4);  /* nobody made up */
	/* the address book: "Spouse" as it came, the unknown name line for line */
	assert_int_equal(kith_card_render(db, ana->id, 3, &card, &len, NULL), KITH_OK);
	assert_non_null(strstr(card, "X-ABRELATEDNAMES:Bruno Costa\r\n"));
	assert_non_null(strstr(card, "X-ABLabel:_$!<Spouse>!$_\r\n"));
	assert_non_null(strstr(card, "item3.X-ABRELATEDNAMES:Nobody Known\r\n"
	                             "item3.X-ABLabel:_$!<Friend>!$_\r\n"));
	free(card);
	assert_int_equal(kith_card_render(db, bruno->id, 4, &card, &len, NULL), KITH_OK);
	assert_non_null(strstr(card, "RELATED;TYPE=child;VALUE=text:Child Tester\r\n"));
	assert_non_null(strstr(card, "RELATED;TYPE=friend:"));
	free(card);
	/* again: nothing new, nothing twice */
	assert_int_equal(ti_import_str(db, file, 0, &r), KITH_OK);
	assert_int_equal(r.unchanged, 3);
	assert_int_equal(r.links_created, 0);
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 3);
	kith_person_free(ana);
	kith_person_free(bruno);
	kith_person_free(carla);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outlook_21_qp_windows_1252),
		cmocka_unit_test(test_android_21_utf8_qp),
		cmocka_unit_test(test_apple_groups_photo_org_card),
		cmocka_unit_test(test_google_categories_bday),
		cmocka_unit_test(test_thunderbird_40),
		cmocka_unit_test(test_malformed_lines_and_reasons),
		cmocka_unit_test(test_identity_across_sources),
		cmocka_unit_test(test_same_name_same_org_merges),
		cmocka_unit_test(test_reimport_changes_nothing),
		cmocka_unit_test(test_dry_run_saves_nothing),
		cmocka_unit_test(test_huge_photo),
		cmocka_unit_test(test_odd_bytes),
		cmocka_unit_test(test_me_by_email),
		cmocka_unit_test(test_nested_cards),
		cmocka_unit_test(test_charset_rules),
		cmocka_unit_test(test_related_in_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
