/* Emails, phones, tags and the accent folding used for name matching. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void emails(void **state)
{
	static const char *const good[][2] = {
		{"ana@example.com", "ana@example.com"},
		{"  Ana.Silva+kith@Example.COM ", "Ana.Silva+kith@example.com"},
		{"o'brien@mail.example.ie", "o'brien@mail.example.ie"},
		{"zoë@exämple.fr", "zoë@exämple.fr"},
		{"a@b.co", "a@b.co"},
	};
	static const char *const bad[] = {"", "ana", "ana@", "@example.com",
		"ana@example", "ana@@example.com", "ana@exa mple.com", "an a@example.com",
		".ana@example.com", "ana.@example.com", "an..a@example.com",
		"ana@-example.com", "ana@example-.com", "ana@example.123", "ana@.com",
		"ana@example..com"};
	char *out;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(kith_email_normalize(good[i][0], &out, NULL), KITH_OK);
		assert_string_equal(out, good[i][1]);
		free(out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kith_error err;
		assert_int_equal(kith_email_normalize(bad[i], &out, &err), KITH_EINVAL);
		assert_null(out);
		assert_non_null(strstr(err.msg, "email"));
	}
}

static void phones(void **state)
{
	char d[32];

	(void)state;
	assert_int_equal(kith_phone_check("+33 6 12 34 56 78", NULL), KITH_OK);
	assert_int_equal(kith_phone_check("(555) 123-4567", NULL), KITH_OK);
	assert_int_equal(kith_phone_check("123", NULL), KITH_EINVAL);
	assert_int_equal(kith_phone_check("call me", NULL), KITH_EINVAL);
	assert_int_equal(kith_phone_check("+1 234 567 890 123 456 789 012", NULL), KITH_EINVAL);
	kith_phone_digits("+33 (0)6.12-34", d, sizeof(d));
	assert_string_equal(d, "+33061234");
}

static void tags(void **state)
{
	char *t;

	(void)state;
	assert_int_equal(kith_tag_normalize(" Rust ", &t, NULL), KITH_OK);
	assert_string_equal(t, "rust");
	free(t);
	assert_int_equal(kith_tag_normalize("C++", &t, NULL), KITH_OK);
	assert_string_equal(t, "c++");
	free(t);
	assert_int_equal(kith_tag_normalize("two words", &t, NULL), KITH_EINVAL);
	assert_int_equal(kith_tag_normalize("", &t, NULL), KITH_EINVAL);
	assert_int_equal(kith_tag_normalize("semi;colon", &t, NULL), KITH_EINVAL);
}

static void ids(void **state)
{
	(void)state;
	assert_int_equal(kith_parse_id("12"), 12);
	assert_int_equal(kith_parse_id("#12"), 12);
	assert_int_equal(kith_parse_id("12a"), 0);
	assert_int_equal(kith_parse_id("0"), 0);
	assert_int_equal(kith_parse_id("-3"), 0);
	assert_int_equal(kith_parse_id("Ana"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(emails),
		cmocka_unit_test(phones),
		cmocka_unit_test(tags),
		cmocka_unit_test(ids),
	};
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
