/* Dates and times as people type them. */
#include <string.h>

#include "support.h"

static void partial_dates(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(kith_date_parse("2019", out, sizeof(out), NULL), KITH_OK);
	assert_string_equal(out, "2019");
	assert_int_equal(kith_date_parse("2019-05", out, sizeof(out), NULL), KITH_OK);
	assert_string_equal(out, "2019-05");
	assert_int_equal(kith_date_parse("2024-02-29", out, sizeof(out), NULL), KITH_OK);
	assert_string_equal(out, "2024-02-29");
}

static void impossible_dates(void **state)
{
	static const char *const bad[] = {"2023-02-29", "2019-13", "2019-00-10",
		"2019-04-31", "19", "2019-5", "2019/05/01", "", "yesterday", "1900-02-29",
		"2019-05-01x", "0999"};
	kith_error err;
	char out[16];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(kith_date_parse(bad[i], out, sizeof(out), &err), KITH_EINVAL);
		assert_non_null(strstr(err.msg, "is not a date"));
	}
}

static void instants(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(kith_time_parse("2026-11-02", 0, &t, NULL), KITH_OK);
	assert_int_equal(t, 1793620800); /* midday UTC */
	assert_int_equal(kith_time_parse("2026-11-02T14:30:00Z", 0, &t, NULL), KITH_OK);
	assert_int_equal(t, 1793629800);
	assert_int_equal(kith_time_parse("2026-11-02T15:30+01:00", 0, &t, NULL), KITH_OK);
	assert_int_equal(t, 1793629800);
	assert_int_equal(kith_time_parse("2026-11-02 14:30", 0, &t, NULL), KITH_OK);
	assert_int_equal(t, 1793629800); /* TZ=UTC in the test runner */
	assert_int_equal(kith_time_parse("today", T_NOW, &t, NULL), KITH_OK);
	assert_int_equal(t, T_NOW);
	assert_int_equal(kith_time_parse("yesterday", T_NOW, &t, NULL), KITH_OK);
	assert_int_equal(t, T_NOW - 86400);
	assert_int_equal(kith_time_parse("3d", T_NOW, &t, NULL), KITH_OK);
	assert_int_equal(t, T_NOW - 3 * 86400);
	assert_int_equal(kith_time_parse("2w", T_NOW, &t, NULL), KITH_OK);
	assert_int_equal(t, T_NOW - 14 * 86400);
}

static void bad_instants(void **state)
{
	static const char *const bad[] = {"2026-11-31", "2026-11-02T25:00",
		"2026-11-02T10:61", "2026-11", "tomorrowish", "3x", "2026-11-02T10:00+15:00",
		"2026-11-02 10:00 junk"};
	int64_t t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kith_time_parse(bad[i], T_NOW, &t, NULL), KITH_EINVAL);
}

static void formatting(void **state)
{
	char buf[32];

	(void)state;
	kith_time_format_date(1793629800, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-02");
	kith_time_format_iso(1793629800, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-02T14:30:00Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partial_dates),
		cmocka_unit_test(impossible_dates),
		cmocka_unit_test(instants),
		cmocka_unit_test(bad_instants),
		cmocka_unit_test(formatting),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
