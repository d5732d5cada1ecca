/* Emails, phones, tags, the text of records (UTF-8, control characters,
 * caps, NFC) and the folding used for name matching. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <stdint.h>
#include <glib.h>

#include "support.h"
#include "internal.h"
#include "import/session.h"

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


/* kith__text_check on the first n bytes of s (all 'a'). */
static int check_len(char *s, size_t n, int kind, kith_error *err)
{
	char keep = s[n];
	int rc;

	s[n] = '\0';
	rc = kith__text_check(kind == KITH_TEXT_NAME ? "name" : "field", s, kind, err);
	s[n] = keep;
	return rc;
}

static void text_checks(void **state)
{
	char *big = malloc(KITH_NOTE_MAX + 2);
	kith_error err;

	(void)state;
	assert_int_equal(kith__text_check("name", NULL, KITH_TEXT_NAME, NULL), KITH_OK);
	assert_int_equal(kith__text_check("name", "Zoë Dupont", KITH_TEXT_NAME, NULL), KITH_OK);
	assert_int_equal(kith__text_check("name", "Bad \xff", KITH_TEXT_NAME, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "name is not valid UTF-8");
	assert_int_equal(kith__text_check("city", "\xc0\xaf", KITH_TEXT_LINE, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "city is not valid UTF-8");  /* overlong "/" */
	assert_int_equal(kith__text_check("city", "\xed\xa0\x80", KITH_TEXT_LINE, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "city is not valid UTF-8");  /* a surrogate */
	assert_int_equal(kith__text_check("name", "E\x1b]0;x\x07", KITH_TEXT_NAME, &err),
	                 KITH_EINVAL);
	assert_string_equal(err.msg, "name has a control character (U+001B)");
	assert_int_equal(kith__text_check("city", "a\tb", KITH_TEXT_LINE, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "city has a control character (U+0009)");
	assert_int_equal(kith__text_check("name", "a\x7f", KITH_TEXT_NAME, &err), KITH_EINVAL);
	assert_int_equal(kith__text_check("name", "a\xc2\x9b", KITH_TEXT_NAME, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "name has a control character (U+009B)");
	assert_int_equal(kith__text_check("notes", "a\tb\r\nc", KITH_TEXT_NOTE, NULL), KITH_OK);
	assert_int_equal(kith__text_check("notes", "a\x1b[2J", KITH_TEXT_NOTE, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "notes has a control character (U+001B)");
	/* The caps, exactly. */
	memset(big, 'a', KITH_NOTE_MAX + 1);
	big[KITH_NOTE_MAX + 1] = '\0';
	assert_int_equal(check_len(big, KITH_NAME_MAX, KITH_TEXT_NAME, NULL), KITH_OK);
	assert_int_equal(check_len(big, KITH_NAME_MAX + 1, KITH_TEXT_NAME, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "name is too long (501 bytes; a name holds at most 500)");
	assert_int_equal(check_len(big, KITH_LINE_MAX, KITH_TEXT_LINE, NULL), KITH_OK);
	assert_int_equal(check_len(big, KITH_LINE_MAX + 1, KITH_TEXT_LINE, NULL), KITH_EINVAL);
	assert_int_equal(check_len(big, KITH_NOTE_MAX, KITH_TEXT_NOTE, NULL), KITH_OK);
	assert_int_equal(check_len(big, KITH_NOTE_MAX + 1, KITH_TEXT_NOTE, NULL), KITH_EINVAL);
	free(big);
}

static void folding(void **state)
{
	static const char *const same[][2] = {
		{"Zoë Dupont", "zoe dupont"},
		{"Zoe\xcc\x88 Dupont", "zoe dupont"},      /* NFD, as macOS writes */
		{"ZOË DUPONT", "zoe dupont"},
		{"Straße", "strasse"},
		{"Søren Łukasz", "soren lukasz"},          /* letters with a stroke */
		{"Çelik İnönü", "celik inonu"},
		{"Ｚｏｅ", "zoe"},                          /* full-width: NFKD */
		{"Bad \xff", "bad \xef\xbf\xbd"},          /* not UTF-8: U+FFFD */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *f = kith__fold(same[i][0]);
		assert_non_null(f);
		assert_string_equal(f, same[i][1]);
		free(f);
	}
}

static void name_keys(void **state)
{
	char *a = kith__name_key("Zoë  Dupont-Martin"), *b = kith__name_key("ZOE\xcc\x88 dupont martin.");

	(void)state;
	assert_string_equal(a, "zoe dupont martin");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* Each write of a record refuses bad text, names the field, and leaves
 * the database as it was. */
static void records_refuse_bad_text(void **state)
{
	kith_db *db = t_open();
	kith_id ana = t_person(db, "Ana Silva", NULL), bo = t_person(db, "Bo Chen", NULL);
	kith_error err;
	kith_person p = {.display_name = strdup("Ok"), .city = strdup("C\xffity")};
	kith_org o = {.name = strdup("Acme"), .notes = strdup("a\x1b[2J")};
	kith_job j = {.person = ana, .title = strdup("T\xff")};
	kith_link l = {.a = ana, .b = bo, .notes = strdup("\xfe")};
	kith_interaction it = {.kind = strdup("meeting"), .notes = strdup("n\xff")};
	kith_note n = {.person = ana, .body = strdup("x\x1b")};
	kith_kind kk = {.name = strdup("chat"), .description = strdup("a\nb"), .weight = 1};
	kith_person *got;
	kith_id id;

	(void)state;
	kith_idv_push(&it.people, ana);
	kith_idv_push(&it.people, bo);
	assert_int_equal(t_link(db, ana, bo, "friend", 0.5), KITH_OK);
	assert_int_equal(kith_person_add(db, &p, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "city is not valid UTF-8");
	assert_int_equal(p.id, 0);
	assert_int_equal(kith_person_get(db, ana, &got, NULL), KITH_OK);
	free(got->notes);
	got->notes = strdup("ok");
	kith_strv_push(&got->tags, "t\xc2\x85");
	assert_int_equal(kith_person_update(db, got, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "tag has a control character (U+0085)");
	kith_person_free(got);
	assert_int_equal(kith_org_add(db, &o, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "notes has a control character (U+001B)");
	assert_int_equal(kith_job_add(db, &j, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "title is not valid UTF-8");
	l.kind = strdup("knows");
	assert_int_equal(kith_link_add(db, &l, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "notes is not valid UTF-8");
	l.id = t_int(db, "SELECT id FROM link");
	assert_int_equal(kith_link_update(db, &l, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "notes is not valid UTF-8");
	assert_int_equal(kith_interaction_add(db, &it, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "notes is not valid UTF-8");
	assert_int_equal(kith_note_add(db, &n, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "note has a control character (U+001B)");
	assert_int_equal(kith_kind_add(db, KITH_KIND_INTERACTION, &kk, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "description has a control character (U+000A)");
	assert_int_equal(kith_member_add(db, "a\xff", ana, &id, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "member name is not valid UTF-8");
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 2);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_tag"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM org"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM job"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE notes IS NOT NULL"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM note"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM member"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_kind WHERE name = 'chat'"), 0);
	kith_person_clear(&p);
	kith_org_clear(&o);
	kith_job_clear(&j);
	kith_link_clear(&l);
	kith_interaction_clear(&it);
	free(n.body);
	free(kk.name);
	free(kk.description);
	t_close(db);
}

/* Text is stored in NFC: one person's name, one tag, whatever the form. */
static void stored_in_nfc(void **state)
{
	kith_db *db = t_open();
	kith_person p = {.display_name = strdup("Zoe\xcc\x88 Dupont")}, *got;
	kith_id id;

	(void)state;
	kith_strv_push(&p.tags, "cafe\xcc\x81");
	assert_int_equal(kith_person_add(db, &p, NULL), KITH_OK);
	assert_int_equal(kith_person_get(db, p.id, &got, NULL), KITH_OK);
	assert_string_equal(got->display_name, "Zoë Dupont");
	assert_string_equal(got->tags.v[0], "café");
	assert_int_equal(kith_person_resolve(db, "ZOE\xcc\x88 DUPONT", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, p.id);
	assert_int_equal(kith_person_resolve(db, "zoe dupont", &id, NULL, NULL), KITH_OK);
	assert_int_equal(id, p.id);
	kith_person_free(got);
	kith_person_clear(&p);
	t_close(db);
}

/* Bytes an older kith stored read back as U+FFFD, so JSON still works. */
static void stored_bad_bytes_read_as_utf8(void **state)
{
	kith_db *db = t_open();
	kith_id id = t_person(db, "Ana Silva", NULL);
	kith_person *got;
	json_t *j;

	(void)state;
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), "UPDATE person SET city = "
	                              "CAST(X'43FF6974' AS TEXT)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kith_person_get(db, id, &got, NULL), KITH_OK);
	assert_string_equal(got->city, "C\xef\xbf\xbdit");
	j = kith_person_json(got);
	assert_non_null(j);
	json_decref(j);
	/* A record not read through the store still gives its JSON. */
	free(got->notes);
	got->notes = strdup("n\xff");
	j = kith_person_json(got);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "notes")), "n\xef\xbf\xbd");
	json_decref(j);
	kith_person_free(got);
	t_close(db);
}

static void error_messages_stay_utf8(void **state)
{
	kith_error err;
	char name[600];

	(void)state;
	kith_error_set(&err, KITH_EINVAL, "no person matches '%s'", "x\xffy");
	assert_string_equal(err.msg, "no person matches 'x?y'");
	/* Cut inside a character by the message's size. */
	memset(name, 'a', sizeof(name));
	memcpy(name + KITH_ERROR_MSG_MAX - 3, "\xc3\xab\xc3\xab", 4);
	name[sizeof(name) - 1] = '\0';
	kith_error_set(&err, KITH_EINVAL, "%s", name + 1);
	assert_true(g_utf8_validate(err.msg, -1, NULL));
}

/* kith_utf8_prefix and kith__utf8_valid say what GLib's g_utf8_validate
 * says (valid or not, and where the valid part ends): for every one,
 * two and three byte string, every lead byte of four with every second
 * and a spread of the rest, and random strings (NULs among them) of
 * random lengths; and the control-character check sees C1 controls. */
static void utf8_as_glib(void **state)
{
	unsigned char b[16];
	size_t checked = 0, valid = 0;
	uint64_t x = 88172645463325252u;

	(void)state;
#define AGREE(n)                                                              \
	do {                                                                  \
		const gchar *end;                                             \
		int want = g_utf8_validate((const char *)b, (gssize)(n), &end);  \
		size_t at = kith_utf8_prefix((const char *)b, (n));           \
		if (at != (size_t)(end - (const gchar *)b) ||                 \
		    kith__utf8_valid((const char *)b, (n)) != want)             \
			fail_msg("%zu bytes %02x %02x %02x %02x: GLib says %d at %td," \
			         " kith %zu", (size_t)(n), b[0], b[1], b[2], b[3], \
			         want, end - (const gchar *)b, at);              \
		checked++;                                                    \
		valid += want;                                                \
	} while (0)
	for (unsigned i = 0; i < 256; i++) {
		b[0] = (unsigned char)i;
		AGREE(1);
		for (unsigned j = 0; j < 256; j++) {
			b[1] = (unsigned char)j;
			AGREE(2);
			for (unsigned k = 0; k < 256; k++) {
				b[2] = (unsigned char)k;
				if (i >= 0xe0 || (i < 0x80 && j < 0x80))
					AGREE(3);
				if (i >= 0xf0 && (k & 7) == 0)
					for (unsigned l = 0x70; l < 0xd0; l += 3) {
						b[3] = (unsigned char)l;
						AGREE(4);
					}
			}
		}
	}
	for (int r = 0; r < 200000; r++) {
		size_t n = 0;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = 1 + x % sizeof(b);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* mostly bytes that make or nearly make UTF-8 */
			b[i] = (unsigned char)(x % 4 == 0 ? x >> 8 : x % 4 == 1 ? 0x80 | (x >> 8 & 0x3f)
			                       : x % 4 == 2 ? 0xc0 | (x >> 8 & 0x3f) : 0x41);
		}
		AGREE(n);
	}
#undef AGREE
	assert_true(checked > 3000000);
	assert_true(valid > 100000 && valid < checked / 2);

	kith_error err;
	assert_int_equal(kith__text_check("name", "a\xc2\x85" "b", KITH_TEXT_NAME, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "name has a control character (U+0085)");
	assert_int_equal(kith__text_check("name", "a\xc2\xa0" "b\xc3\xa9", KITH_TEXT_NAME, &err),
	                 KITH_OK);
	assert_int_equal(kith__text_check("name", "a\xed\xa0\x80", KITH_TEXT_NAME, &err),
	                 KITH_EINVAL);
	assert_string_equal(err.msg, "name is not valid UTF-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(emails),
		cmocka_unit_test(phones),
		cmocka_unit_test(tags),
		cmocka_unit_test(ids),
		cmocka_unit_test(text_checks),
		cmocka_unit_test(folding),
		cmocka_unit_test(name_keys),
		cmocka_unit_test(records_refuse_bad_text),
		cmocka_unit_test(stored_in_nfc),
		cmocka_unit_test(stored_bad_bytes_read_as_utf8),
		cmocka_unit_test(error_messages_stay_utf8),
		cmocka_unit_test(utf8_as_glib),
	};
	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
