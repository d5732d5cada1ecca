/* iCalendar import: meetings from events, declined attendees left out,
 * recurring events up to now. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support_import.h"

static kith_id id_of(kith_db *db, const char *email)
{
	kith_id id = 0;

	assert_int_equal(kith_person_resolve(db, email, &id, NULL, NULL), KITH_OK);
	return id;
}

static int has_id(const kith_idv *iv, kith_id id)
{
	for (size_t i = 0; i < iv->n; i++)
		if (iv->v[i] == id)
			return 1;
	return 0;
}

static void test_calendar(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;
	kith_interaction *v;
	kith_interaction_filter f = {.kind = "meeting"};
	size_t n;
	char iso[32];

	(void)state;
	ti_import(db, "calendar.ics", 0, &r);
	assert_int_equal(r.format, KITH_IMPORT_ICS);
	assert_int_equal(r.created, 8);  /* the review + 7 weekly 1:1s */
	assert_int_equal(r.skipped, 3);
	assert_int_equal(r.rejected, 1);
	assert_true(ti_has_issue(&r, 66, KITH_ISSUE_SKIPPED, "cancelled"));
	assert_true(ti_has_issue(&r, 75, KITH_ISSUE_SKIPPED, "no attendees"));
	assert_true(ti_has_issue(&r, 80, KITH_ISSUE_SKIPPED, "future"));
	assert_true(ti_has_issue(&r, 87, KITH_ISSUE_REJECTED, "no DTSTART"));
	/* the declined attendee and the room never became anyone */
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_email"
	                 " WHERE email LIKE '%resource.calendar%'"), 0);
	f.person = id_of(db, "zoe.dupont@acme.example");
	assert_int_equal(kith_interaction_list(db, &f, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	kith_time_format_iso(v[0].at, iso, sizeof(iso));
	assert_string_equal(iso, "2026-11-05T13:30:00Z");  /* 14:30 Paris, CET */
	assert_string_equal(v[0].notes, "Pilot review, budget and next steps");
	assert_int_equal(v[0].people.n, 3);  /* me, Zoë, Priya (tentative) */
	assert_true(has_id(&v[0].people, kith_me(db)));
	assert_true(has_id(&v[0].people, id_of(db, "priya@kestrel.example")));
	kith_interaction_list_free(v, n);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_email"
	                 " WHERE email = 'kwame.mensah@helios.example'"), 0);
	/* weekly from Oct 5: Oct 19 excluded, Oct 26 moved to the 27th,
	 * nothing after now (2026-11-23T12:00Z) */
	f.person = id_of(db, "kenji.watanabe@sakura.example");
	assert_int_equal(kith_interaction_list(db, &f, &v, &n, NULL), KITH_OK);
	assert_int_equal(n, 7);
	kith_time_format_iso(v[0].at, iso, sizeof(iso));
	assert_string_equal(iso, "2026-11-23T09:00:00Z");
	kith_time_format_iso(v[4].at, iso, sizeof(iso));
	assert_string_equal(iso, "2026-10-27T10:00:00Z");
	assert_string_equal(v[4].notes, "1:1 Kenji / Alex (moved to Tuesday)");
	kith_time_format_iso(v[5].at, iso, sizeof(iso));
	assert_string_equal(iso, "2026-10-12T08:00:00Z");
	kith_interaction_list_free(v, n);
	/* the CN gave Kenji his name */
	char *name = ti_text(db, "SELECT display_name FROM person p JOIN person_email e"
	                     " ON e.person_id = p.id WHERE e.email = 'kenji.watanabe@sakura.example'");
	assert_string_equal(name, "Kenji Watanabe");
	free(name);
	kith_import_report_clear(&r);
	ti_import(db, "calendar.ics", 0, &r);
	assert_int_equal(r.unchanged, 8);
	assert_int_equal(r.created, 0);
	kith_import_report_clear(&r);
	t_close(db);
}

/* A name that was only an address gives way to the one a calendar gives. */
static void test_name_upgrade(void **state)
{
	kith_db *db = ti_open_me();
	kith_import_report r;
	char *name;

	(void)state;
	ti_import(db, "mail.mbox", 0, &r);
	kith_import_report_clear(&r);
	ti_import(db, "calendar.ics", 0, &r);
	kith_import_report_clear(&r);
	name = ti_text(db, "SELECT display_name FROM person p JOIN person_email e"
	               " ON e.person_id = p.id WHERE e.email = 'priya@kestrel.example'");
	assert_string_equal(name, "Priya Raman");
	free(name);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts WHERE person_fts MATCH 'raman'"), 1);
	t_close(db);
}

static void test_garbage(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;

	(void)state;
	assert_int_equal(ti_import_str(db, "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:garbage\n"
	                 "ATTENDEE:mailto:a@b.example\nORGANIZER:mailto:c@d.example\n"
	                 "END:VEVENT\n", KITH_IMPORT_ICS, &r), KITH_OK);
	assert_int_equal(r.created, 0);
	kith_import_report_clear(&r);
	assert_int_equal(ti_import_str(db, "", KITH_IMPORT_ICS, &r), KITH_OK);
	kith_import_report_clear(&r);
	t_close(db);
}

/* Found by fuzzing: an hourly rule made libical step through every hour
 * since 1970 (26 s), and a year 3940 start.  Both are refused at once. */
static void test_hostile_rules(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;

	(void)state;
	assert_int_equal(ti_import_str(db, "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:h\n"
	                 "DTSTART:19700329T020000Z\nRRULE:FREQ=HOURLY;BYMONTH=3;BYDAY=-1SU\n"
	                 "ORGANIZER:mailto:a@b.example\nATTENDEE:mailto:c@d.example\n"
	                 "END:VEVENT\nBEGIN:VEVENT\nUID:y\nDTSTART:39400205T030000Z\n"
	                 "ORGANIZER:mailto:a@b.example\nATTENDEE:mailto:c@d.example\n"
	                 "END:VEVENT\nBEGIN:VEVENT\nUID:d\nDTSTART:19000105T030000Z\n"
	                 "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29\n"
	                 "ORGANIZER:mailto:a@b.example\nATTENDEE:mailto:c@d.example\n"
	                 "END:VEVENT\nEND:VCALENDAR\n", KITH_IMPORT_ICS, &r), KITH_OK);
	assert_true(ti_has_issue(&r, 2, KITH_ISSUE_REJECTED, "more often than daily"));
	assert_true(ti_has_issue(&r, 9, KITH_ISSUE_REJECTED, "not a date"));
	/* 29 February of the last ten years only: 2020 and 2024 */
	assert_int_equal(r.created, 2);
	kith_import_report_clear(&r);
	t_close(db);
}

/* Found by fuzzing: libical searched to the year 2582 for the next
 * occurrence of a rule that never matches, and expanded a zone's rules to
 * the year of an EXDATE in 56655718 (19 s).  A rule kith does not expand
 * keeps its DTSTART with a warning; a zone keeps its fixed offsets; a date
 * out of range is left out.  Each of these would take seconds. */
static void test_endless_searches(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	char text[8192];
	size_t n = 0;

	(void)state;
	alarm(120);  /* before the fix this ran for hours: fail, do not stall */
	n += (size_t)snprintf(text + n, sizeof(text) - n, "BEGIN:VCALENDAR\n"
	     "BEGIN:VTIMEZONE\nTZID:Never\nBEGIN:STANDARD\nDTSTART:19701025T030000\n"
	     "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
	     "RRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31\nEND:STANDARD\nEND:VTIMEZONE\n");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "BEGIN:VEVENT\nUID:n%d\n"
		     "DTSTART;TZID=Never:2020010%dT090000\n"
		     "RRULE:FREQ=MONTHLY;BYDAY=6MO\n"
		     "EXDATE;TZID=US/Central:56655718T090000\n"
		     "ORGANIZER:mailto:a@b.example\nATTENDEE:mailto:c@d.example\n"
		     "END:VEVENT\n", i, 1 + i % 9);
	snprintf(text + n, sizeof(text) - n, "END:VCALENDAR\n");
	assert_int_equal(ti_import_str(db, text, KITH_IMPORT_ICS, &r), KITH_OK);
	assert_true(ti_has_issue(&r, 11, KITH_ISSUE_WARNING,
	                         "weekday past the last of its month"));
	assert_int_equal(r.created, 20);  /* each DTSTART, once */
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 20);
	kith_import_report_clear(&r);
	t_close(db);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_name_upgrade),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_hostile_rules),
		cmocka_unit_test(test_endless_searches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
