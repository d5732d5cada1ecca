/* Which recurrence rules kith expands, checked against libical itself: every
 * rule the check lets through must give libical occurrences close together,
 * or libical would search to the year 2582 for the next one (seconds per
 * event); the rules calendar programs write must all pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "import/ics_rule.h"

/* The imports' "now" in these tests. */
#define NOW "20261204T000000"

static const char *refusal(const char *rule, const char *start)
{
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rule);
	const char *why = kith__rrule_refusal(&r, icaltime_from_string(start), 2026);

	free(r.rscale);
	return why;
}

/* How far libical searches for an occurrence, at worst, as an import
 * expands the rule: from DTSTART to the first occurrence past NOW.  That
 * is the widest gap between two in days, over INTERVAL, since libical
 * skips the periods INTERVAL passes over and looks at each day of the
 * others.  When the occurrences end before COUNT or UNTIL, the last
 * search ran to the end of libical's years, 2582.  -1 when libical refuses the rule at once
 * (BYMONTHDAY in a weekly rule, which RFC 5545 forbids). */
static long widest_search(const char *rule, const char *start)
{
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rule);
	struct icaltimetype t0 = icaltime_from_string(start), t;
	icalrecur_iterator *it = icalrecur_iterator_new(r, t0);
	long widest = 0, prev = (long)(icaltime_as_timet(t0) / 86400);
	long end = (long)(icaltime_as_timet(icaltime_from_string("25830101T000000")) / 86400);
	long now = (long)(icaltime_as_timet(icaltime_from_string(NOW)) / 86400);

	free(r.rscale);
	if (!it)
		return -1;
	for (int i = 0; i < 2000 && prev <= now; i++) {
		long day = end;
		t = icalrecur_iterator_next(it);
		if (!icaltime_is_null_time(t))
			day = (long)(icaltime_as_timet(t) / 86400);
		else if (i && (r.count || !icaltime_is_null_time(r.until)))
			break;  /* past COUNT or UNTIL: libical stops at once */
		if ((day - prev) / r.interval > widest)
			widest = (day - prev) / r.interval;
		prev = day;
	}
	icalrecur_iterator_free(it);
	return widest;
}

/* Rules as Google Calendar, Outlook and Apple Calendar write them. */
static void test_common_rules_pass(void **state)
{
	static const char *rules[] = {
		"FREQ=DAILY", "FREQ=DAILY;COUNT=10", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
		"FREQ=DAILY;INTERVAL=7;BYDAY=FR", "FREQ=WEEKLY", "FREQ=WEEKLY;BYDAY=MO,WE,FR",
		"FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=TU,TH",
		"FREQ=WEEKLY;UNTIL=20251231T000000Z;BYDAY=TH", "FREQ=MONTHLY",
		"FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTHDAY=31",
		"FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=MONTHLY;BYDAY=-1FR",
		"FREQ=MONTHLY;BYDAY=5TH", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
		"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
		"FREQ=YEARLY", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=5",
		"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
		"FREQ=YEARLY;BYMONTH=11;BYDAY=TH;BYSETPOS=4", "FREQ=YEARLY;BYDAY=1MO",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++) {
		const char *why = refusal(rules[i], "20200103T090000");
		if (why)
			fail_msg("%s refused: %s", rules[i], why);
		assert_in_range(widest_search(rules[i], "20200103T090000"), 0, 8 * 366);
	}
}

/* Each of these sends libical 3.0 to the year 2582 (0.04 to 0.5 s each
 * in an optimised build). */
static void test_never_rules_refused(void **state)
{
	static const char *rules[][2] = {
		{"FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "20200101T000000Z"},
		{"FREQ=YEARLY;BYMONTHDAY=30", "20200201T000000Z"},
		{"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "20200101T000000Z"},
		{"FREQ=MONTHLY;BYMONTHDAY=-31;BYMONTH=4", "20200301T000000Z"},
		{"FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", "20200201T000000Z"},
		{"FREQ=MONTHLY;INTERVAL=6;BYMONTH=2", "20200101T000000Z"},
		{"FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "20210101T000000Z"},
		{"FREQ=MONTHLY;BYDAY=6MO", "20200101T000000Z"},
		{"FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=20", "20200101T000000Z"},
		{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", "20200101T000000Z"},
		{"FREQ=YEARLY;BYDAY=MO;BYSETPOS=60", "20200301T000000Z"},
		{"FREQ=YEARLY;BYMONTHDAY=15;BYSETPOS=2", "20200201T000000Z"},
		{"FREQ=DAILY;BYDAY=1MO", "20200101T000000Z"},
		{"FREQ=DAILY;INTERVAL=7;BYDAY=MO", "20200101T000000Z"},
		{"FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", "20200101T000000Z"},
		{"FREQ=DAILY;BYHOUR=9,14", "20200101T000000Z"},
		{"FREQ=DAILY;INTERVAL=0", "20200101T000000Z"},
		{"FREQ=DAILY;BYMONTHDAY=-1", "20040808T090000"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		if (!refusal(rules[i][0], rules[i][1]))
			fail_msg("%s from %s passed", rules[i][0], rules[i][1]);
}

static unsigned rnd(unsigned *s, unsigned n)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) % n;
}

static void list(char *buf, size_t cap, unsigned *s, const char *part,
                 const char *const *vals, unsigned nvals)
{
	unsigned n = 1 + rnd(s, 2);

	snprintf(buf + strlen(buf), cap - strlen(buf), ";%s=", part);
	for (unsigned i = 0; i < n; i++)
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", i ? "," : "",
		         vals[rnd(s, nvals)]);
}

static void random_rule(char *buf, size_t cap, char *start, unsigned *s)
{
	static const char *freq[] = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"};
	static const char *interval[] = {"1", "2", "3", "4", "6", "7", "12", "14"};
	static const char *month[] = {"1", "2", "4", "6", "9", "11", "12"};
	static const char *mday[] = {"1", "13", "15", "28", "29", "30", "31", "-1", "-29", "-31"};
	static const char *day[] = {"MO", "FR", "SU", "1MO", "2TU", "-1FR", "4TH", "5WE",
	                            "-5SA", "6MO", "20MO", "53SU"};
	static const char *setpos[] = {"1", "2", "-1", "4", "5", "6", "60"};

	snprintf(buf, cap, "FREQ=%s", freq[rnd(s, 4)]);
	if (rnd(s, 2))
		snprintf(buf + strlen(buf), cap - strlen(buf), ";INTERVAL=%s", interval[rnd(s, 8)]);
	if (rnd(s, 3) == 0)
		list(buf, cap, s, "BYMONTH", month, 7);
	if (rnd(s, 3) == 0)
		list(buf, cap, s, "BYMONTHDAY", mday, 10);
	if (rnd(s, 2))
		list(buf, cap, s, "BYDAY", day, 12);
	if (rnd(s, 5) == 0)
		list(buf, cap, s, "BYSETPOS", setpos, 7);
	snprintf(start, 17, "%04u%02u%02uT090000", 1995 + rnd(s, 35), 1 + rnd(s, 12),
	         1 + rnd(s, 28));
}

/* No rule that passes makes libical search longer than 40 years of days
 * while an import expands it: the 31st of February would be 200,000. */
static void test_random_rules_against_libical(void **state)
{
	unsigned seed = 20261204, passed = 0, total = 2000;
	char rule[256], start[20];

	(void)state;
	if (getenv("KITH_TEST_SEED"))
		seed = (unsigned)strtoul(getenv("KITH_TEST_SEED"), NULL, 10);
	for (unsigned i = 0; i < total; i++) {
		random_rule(rule, sizeof(rule), start, &seed);
		if (refusal(rule, start))
			continue;
		passed++;
		long gap = widest_search(rule, start);
		if (gap > 40 * 366)
			fail_msg("%s from %s passed, but libical searched %ld days",
			         rule, start, gap);
	}
	print_message("%u of %u random rules passed\n", passed, total);
	assert_true(passed > total / 4);
}

static int rrule_count(icalcomponent *root)
{
	int n = 0;
	icalcomponent *z = icalcomponent_get_first_component(root, ICAL_VTIMEZONE_COMPONENT);

	for (icalcomponent *c = icalcomponent_get_first_component(z, ICAL_ANY_COMPONENT); c;
	     c = icalcomponent_get_next_component(z, ICAL_ANY_COMPONENT))
		n += icalcomponent_count_properties(c, ICAL_RRULE_PROPERTY);
	return n;
}

/* A zone keeps its yearly rules; a rule that never matches, or one that is
 * not yearly, would be searched or stepped through on every conversion. */
static void test_zones_tamed(void **state)
{
	icalcomponent *root = icalparser_parse_string(
		"BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:X\n"
		"BEGIN:DAYLIGHT\nDTSTART:16010325T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\n"
		"BEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
		"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n"
		"RRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31\nRRULE:FREQ=DAILY\n"
		"END:STANDARD\nBEGIN:STANDARD\nDTSTART:00011025T030000\n"
		"TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY\nEND:STANDARD\n"
		"END:VTIMEZONE\nEND:VCALENDAR\n");

	(void)state;
	assert_non_null(root);
	assert_int_equal(rrule_count(root), 5);
	kith__ics_tame_zones(root);
	assert_int_equal(rrule_count(root), 2);
	icalcomponent_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_rules_pass),
		cmocka_unit_test(test_never_rules_refused),
		cmocka_unit_test(test_random_rules_against_libical),
		cmocka_unit_test(test_zones_tamed),
	};

	icalerror_set_errors_are_fatal(0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
