/* mbox import: messages become email interactions; bulk and no-reply mail
 * is skipped by rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <gmime/gmime.h>
#include <sqlite3.h>

#include "support_import.h"
#include "import/import_impl.h"
#include "kith/date.h"

static void test_mbox_fixture(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_interaction *v;
	kith_interaction_filter f = {0};
	kith_person *zoe;
	size_t n;
	char *s;

	(void)state;
	ti_import(db, "mail.mbox", 0, &r);
	assert_int_equal(r.format, KITH_IMPORT_MBOX);
	assert_int_equal(r.records, 7);
	assert_int_equal(r.created, 3);
	assert_int_equal(r.skipped, 3);
	assert_int_equal(r.rejected, 1);
	assert_true(ti_has_issue(&r, 42, KITH_ISSUE_SKIPPED, "List-Id"));
	assert_true(ti_has_issue(&r, 55, KITH_ISSUE_SKIPPED, "no-reply"));
	assert_true(ti_has_issue(&r, 84, KITH_ISSUE_REJECTED, "no From"));
	assert_true(ti_has_issue(&r, 91, KITH_ISSUE_SKIPPED, "Auto-Submitted"));
	/* me + Zoë, Kwame, priya@, Chinedu: nobody from the skipped mail */
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 5);
	assert_int_equal(r.people_created, 4);
	/* the encoded-word names: UTF-8 Q in one message, ISO-8859-1 in the
	 * reply, and one person for Zoe.Dupont@ACME.example too */
	zoe = ti_by_email(db, "zoe.dupont@acme.example");
	assert_string_equal(zoe->display_name, "Zoë Dupont");
	assert_int_equal(zoe->emails.n, 1);
	s = ti_text(db, "SELECT display_name FROM person WHERE id = (SELECT person_id"
	            " FROM person_email WHERE email = 'priya@kestrel.example')");
	assert_string_equal(s, "priya@kestrel.example");  /* no name given */
	free(s);
	/* the first message: me, Zoë, Kwame, Priya, at its Date in UTC, with
	 * its decoded subject */
	f.person = zoe->id;
	assert_int_equal(kith_interaction_list(db, &f, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].kind, "email");
	assert_int_equal(v[1].at, 1762161164);  /* 10:12:44 +0100 = 09:12:44Z */
	assert_string_equal(v[1].notes, "Pilot plan — next steps");
	assert_int_equal(v[1].people.n, 4);
	assert_int_equal(v[1].people.v[0], kith_me(db));  /* ALEX@ and alex@ are me */
	assert_int_equal(v[0].people.n, 2);
	/* the sender started each: me the first, Zoë her reply */
	assert_int_equal(v[1].initiator, kith_me(db));
	assert_int_equal(v[0].initiator, zoe->id);
	kith_interaction_list_free(v, n);
	kith_person_free(zoe);
	kith_import_report_clear(&r);
	/* again, Message-ID or not: nothing new */
	int changes = sqlite3_total_changes(kith_db_sqlite(db));
	ti_import(db, "mail.mbox", 0, &r);
	assert_int_equal(r.unchanged, 3);
	assert_int_equal(r.created, 0);
	assert_int_equal(sqlite3_total_changes(kith_db_sqlite(db)), changes);
	kith_import_report_clear(&r);
	t_close(db);
}

/* What the reader hands on, one line per event or issue. */
static int collect_event(void *ctx, kith__event *e, kith_error *err)
{
	GString *g = ctx;

	(void)err;
	g_string_append_printf(g, "%lld email at=%lld key=%s notes=%s:", (long long)e->line,
	                       (long long)e->at, e->key ? e->key : "-",
	                       e->notes ? e->notes : "-");
	for (size_t i = 0; i < e->nparties; i++)
		g_string_append_printf(g, " %s(%s)[%s]", e->parties[i].email,
		                       e->parties[i].name ? e->parties[i].name : "",
		                       e->parties[i].low ? e->parties[i].low : "invalid");
	g_string_append_c(g, '\n');
	return KITH_OK;
}

static int collect_issue(void *ctx, int64_t line, int level, const char *why,
                         kith_error *err)
{
	(void)err;
	g_string_append_printf(ctx, "%lld issue %d %s\n", (long long)line, level, why);
	return KITH_OK;
}

/* The reader cuts messages at each line that starts with "From " and
 * reads only their headers: folded ones, repeated ones, CRLF files, a
 * damaged line among them, a last message without its blank line. */
static void test_header_reader(void **state)
{
	static const char box[] =
		"From a@x Mon Jan  1 00:00:00 2024\r\n"
		"Message-ID: <one@x>\r\n"
		"Date: Mon, 01 Jan 2024 10:00:00 +0000\r\n"
		"From: Ana <ana@x.example>\r\n"
		"To: Bo <bo@x.example>,\r\n"
		"\tCy <cy@x.example>\r\n"
		"this line is not a header\r\n"
		"To: dee@x.example\r\n"
		"Cc: =?UTF-8?Q?Zo=C3=AB?= <zoe@x.example>\r\n"
		"Subject: first\r\n"
		"Subject : =?UTF-8?B?U2Vjb25k?=\r\n"
		"\r\n"
		">From the body, quoted\r\n"
		"To: not@a.header\r\n"
		"\r\n"
		"From b@x Tue Jan  2 00:00:00 2024\n"
		"From: news@x.example\nList-Unsubscribe: <mailto:u@x>\nList-Id: <l.x>\n\nx\n"
		"From d@x Thu Jan  4 00:00:00 2024\n"
		"From: Ren\xe9 <RENE@X.Example>\nTo: ana@x.example, nodot@localhost\n"
		"Date: Thu, 04 Jan 2024 09:00:00 +0000\n\n"
		"From c@x Wed Jan  3 12:00:00 2024\n"
		"From: Bo <bo@x.example>\nTo: ana@x.example\nDate: not a date";
	GString *g = g_string_new("");
	kith__sink s = {.event = collect_event, .issue = collect_issue, .ctx = g};
	kith_error err;

	(void)state;
	assert_int_equal(kith__mbox_parse(box, sizeof(box) - 1, &s, &err), KITH_OK);
	assert_string_equal(g->str,
		"1 email at=1704103200 key=one@x notes=Second: ana@x.example(Ana)[ana@x.example]"
		" bo@x.example(Bo)[bo@x.example] cy@x.example(Cy)[cy@x.example]"
		" dee@x.example()[dee@x.example] zoe@x.example(Zoë)[zoe@x.example]\n"
		"16 issue 1 mailing-list mail (List-Id)\n"
		"22 email at=1704358800 key=- notes=-: RENE@X.Example(René)[rene@x.example]"
		" ana@x.example()[ana@x.example] nodot@localhost()[invalid]\n"
		"27 email at=1704283200 key=- notes=-: bo@x.example(Bo)[bo@x.example]"
		" ana@x.example()[ana@x.example]\n");
	g_string_free(g, TRUE);
}

/* GMime's reading of a Date value, or 0 when it finds none. */
static int64_t gmime_date(const char *v)
{
	GDateTime *dt = g_mime_utils_header_decode_date(v);
	int64_t t = dt ? g_date_time_to_unix(dt) : 0;

	if (dt)
		g_date_time_unref(dt);
	return t;
}

/* The fast reading of Date values agrees with GMime's on every date it
 * takes (random ones, every zone at quarter hours, the month ends of
 * leap and common years), and leaves every other form to GMime. */
static void test_mail_date_oracle(void **state)
{
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	static const char *const other[] = {
		"Mon, 1 Jan 2024 10:00:00 +0000 (UTC)", "Mon, 1 Jan 2024 10:00:00 GMT",
		"mon, 1 jan 2024 10:00:00 +0000", "1 Jan 24 10:00:00 +0000",
		"Thu, 31 Feb 2024 10:00:00 +0000", "Mon,  1 Jan 2024 10:00:00 +0000",
		"1 Jan 2024 24:00:00 +0000", "1 Jan 2024 10:00:60 +0000",
		"1 Jan 2024 10:00 +01", "2024-01-01T10:00:00Z", "1 Jan 1969 10:00:00 +0000",
		"", "Mon, ", "1 Jan 2024 10:00:00 +1500"};
	uint64_t x = 42;
	char v[64];
	int64_t t;

	(void)state;
	g_mime_init();
	for (int i = 0; i < 20000; i++) {
		int y, m, d, h, mi, sec, zone, dim;
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		y = 1970 + (int)((x >> 33) % 130);
		m = (int)((x >> 20) % 12) + 1;
		dim = 31;
		while (!kith_date_valid(y, m, dim))
			dim--;
		d = i % 3 == 0 ? dim : (int)((x >> 40) % (uint64_t)dim) + 1;  /* month ends often */
		h = (int)((x >> 11) % 24);
		mi = (int)((x >> 5) % 60);
		sec = (int)((x >> 50) % 60);
		zone = (i % 113) - 56;  /* -14:00 .. +14:00 by quarter hours */
		char secs[8] = "";
		if (i % 5)  /* seconds are optional */
			snprintf(secs, sizeof(secs), ":%02d", sec);
		snprintf(v, sizeof(v), "%s%s%d %s %d %02d:%02d%s %c%02d%02d",
		         i % 2 ? wd[i % 7] : "", i % 2 ? ", " : "", d, mon[m - 1], y, h, mi,
		         secs, zone < 0 ? '-' : '+', abs(zone) / 4, abs(zone) % 4 * 15);
		if (!kith__mail_date(v, &t))
			fail_msg("not taken: %s", v);
		if (t != gmime_date(v))
			fail_msg("%s: %lld, GMime %lld", v, (long long)t, (long long)gmime_date(v));
	}
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (kith__mail_date(other[i], &t))
			fail_msg("taken: %s", other[i]);
}

static void test_noreply_rule(void **state)
{
	static const char *const yes[] = {"noreply@x.example", "no-reply@x.example",
		"No_Reply@x.example", "donotreply@x.example", "MAILER-DAEMON@x.example",
		"notifications@github.example", "noreply+abc@x.example", "bounces-12@x.example"};
	static const char *const no[] = {"zoe@x.example", "norene@x.example",
		"notes@x.example", "info@x.example", "newsom@x.example"};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(kith__noreply(yes[i]));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(kith__noreply(no[i]));
}

static void test_not_an_mbox(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;

	(void)state;
	assert_int_equal(ti_import_str(db, "Hello\n", KITH_IMPORT_MBOX, &r), KITH_OK);
	assert_int_equal(r.rejected, 1);
	kith_import_report_clear(&r);
	assert_int_equal(ti_import_str(db, "From x\n\n\n", KITH_IMPORT_MBOX, &r), KITH_OK);
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 0);
	t_close(db);
}

/* Shapes of real mailboxes: blank lines or a UTF-8 byte-order mark before
 * the first "From " line (told from the content too), a body line that
 * starts with "From " but opens no message, and UTF-16 saved without a
 * byte-order mark. */
static void test_mbox_openings(void **state)
{
	static const char msg[] =
		"From ada@x.example Mon Jan  5 10:00:00 2026\n"
		"From: Ada <ada@x.example>\nTo: Alex <alex@kith.example>\n"
		"Date: Mon, 5 Jan 2026 10:00:00 +0000\nSubject: hello\n\n"
		"My favourite film:\n\nFrom Russia with love\nYear: 1963\n\nBye\n";
	const char *openings[] = {"", "\n\n\r\n", "\xef\xbb\xbf", "\xef\xbb\xbf\n \n"};
	kith_import_report r;

	(void)state;
	for (size_t i = 0; i < sizeof(openings) / sizeof(openings[0]); i++) {
		kith_db *db = ti_open_me();
		char *text = g_strconcat(openings[i], msg, NULL);
		assert_int_equal(kith_import_detect(text, strlen(text)), KITH_IMPORT_MBOX);
		assert_int_equal(ti_import_str(db, text, 0, &r), KITH_OK);
		assert_int_equal(r.format, KITH_IMPORT_MBOX);
		assert_int_equal(r.records, 1);  /* "From Russia" is the body's */
		assert_int_equal(r.created, 1);
		assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 1);
		kith_import_report_clear(&r);
		/* the same in UTF-16LE without a byte-order mark */
		gsize n = 0;
		gchar *u16 = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
		assert_non_null(u16);
		assert_int_equal(kith_import_buffer(db, u16, n, NULL, &r, NULL), KITH_OK);
		assert_int_equal(r.format, KITH_IMPORT_MBOX);
		assert_int_equal(r.unchanged, 1);
		kith_import_report_clear(&r);
		g_free(u16);
		g_free(text);
		t_close(db);
	}
}

/* One Message-ID on messages from two senders, or at two times: each is
 * a message; the same message twice (another folder's copy, a list's
 * subject tag) is one. */
static void test_mbox_shared_message_id(void **state)
{
	static const char box[] =
		"From ada@x.example Mon Jan  5 10:00:00 2026\n"
		"From: Ada <ada@x.example>\nTo: alex@kith.example\n"
		"Date: Mon, 5 Jan 2026 10:00:00 +0000\nMessage-ID: <same@x.example>\n"
		"Subject: one\n\nbody\n\n"
		"From bob@x.example Mon Jan  5 10:00:00 2026\n"
		"From: Bob <bob@x.example>\nTo: alex@kith.example\n"
		"Date: Mon, 5 Jan 2026 10:00:00 +0000\nMessage-ID: <same@x.example>\n"
		"Subject: two\n\nbody\n\n"
		"From ada@x.example Mon Jan  5 10:00:00 2026\n"
		"From: Ada <ada@x.example>\nTo: alex@kith.example\n"
		"Date: Mon, 5 Jan 2026 10:00:00 +0000\nMessage-ID: <same@x.example>\n"
		"Subject: [list] one\n\nbody\n\n"
		"From ada@x.example Tue Jan  6 10:00:00 2026\n"
		"From: Ada <ada@x.example>\nTo: alex@kith.example\n"
		"Date: Tue, 6 Jan 2026 10:00:00 +0000\nMessage-ID: <same@x.example>\n"
		"Subject: three\n\nbody\n";
	kith_db *db = ti_open_me();
	kith_import_report r;

	(void)state;
	assert_int_equal(ti_import_str(db, box, 0, &r), KITH_OK);
	assert_int_equal(r.records, 4);
	assert_int_equal(r.created, 3);
	assert_int_equal(r.unchanged, 1);
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 3);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE notes = 'two'"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE notes = 'three'"), 1);
	/* again: nothing new */
	assert_int_equal(ti_import_str(db, box, 0, &r), KITH_OK);
	assert_int_equal(r.unchanged, 4);
	assert_int_equal(r.created, 0);
	kith_import_report_clear(&r);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 3);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbox_fixture),
		cmocka_unit_test(test_header_reader),
		cmocka_unit_test(test_mail_date_oracle),
		cmocka_unit_test(test_noreply_rule),
		cmocka_unit_test(test_not_an_mbox),
		cmocka_unit_test(test_mbox_openings),
		cmocka_unit_test(test_mbox_shared_message_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
