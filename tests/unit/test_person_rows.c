/* The guard on the two ways a person is written: kith_person_add
 * (src/record/person.c) and the import's own statements, row by row and
 * in bulk (src/import/, kept for speed).  The same person, written both
 * ways, must leave the same rows, search row and change log; a change to
 * one copy of the SQL that the other does not follow fails here. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <sqlite3.h>

#include "support_import.h"

static const char card[] =
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström-Bell\r\nN:Ångström-Bell;Zoë;;;\r\n"
	"EMAIL:zoe@example.se\r\nEMAIL:z.bell@work.example\r\n"
	"TEL:+46 (0)8 555 01 23\r\nTEL:070-123 45 67\r\n"
	"ADR:;;;Malmö;;;Sweden\r\nCATEGORIES:Board,climate\r\n"
	"NOTE:Met at the Malmö climate meetup\\nLikes chess\r\nEND:VCARD\r\n";

/* Every row a person's write leaves, with ids made relative. */
static char *rows_of(kith_db *db, kith_id id)
{
	static const char *const sql[] = {
		("SELECT display_name, given_name, family_name, city, country, notes,"
		 " private, owner IS NULL FROM person WHERE id = ?1"),
		"SELECT pos, email FROM person_email WHERE person_id = ?1 ORDER BY pos",
		"SELECT phone, digits FROM person_phone WHERE person_id = ?1 ORDER BY phone",
		"SELECT tag FROM person_tag WHERE person_id = ?1 ORDER BY tag",
		"SELECT name, info, notes FROM person_fts WHERE rowid = ?1",
		"SELECT count(*) > 0 FROM card_change WHERE person_id = ?1",
	};
	GString *g = g_string_new("");

	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), sql[i], -1, &st, NULL),
		                 SQLITE_OK);
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *t = sqlite3_column_text(st, c);
				g_string_append_printf(g, "%s|", t ? (const char *)t : "NULL");
			}
			g_string_append_c(g, '\n');
		}
		sqlite3_finalize(st);
		g_string_append(g, "--\n");
	}
	return g_string_free(g, FALSE);
}

static kith_id imported(int bulk, kith_db **out)
{
	kith_import_opts o = {.format = KITH_IMPORT_VCARD, .bulk = bulk};
	kith_import_report rep = {0};
	kith_db *db = t_open();
	kith_error err;

	assert_int_equal(kith_import_buffer(db, card, strlen(card), &o, &rep, &err), KITH_OK);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.bulk, bulk == KITH_IMPORT_BULK_ON);
	kith_import_report_clear(&rep);
	*out = db;
	return (kith_id)t_int(db, "SELECT max(id) FROM person");
}

static void one_person_two_writers(void **state)
{
	kith_person p = {0};
	kith_db *db;
	kith_error err;
	char *want, *got;
	kith_id id;

	(void)state;
	db = t_open();
	p.display_name = strdup("Zoë Ångström-Bell");
	p.given_name = strdup("Zoë");
	p.family_name = strdup("Ångström-Bell");
	p.city = strdup("Malmö");
	p.country = strdup("Sweden");
	p.notes = strdup("Met at the Malmö climate meetup\nLikes chess");
	kith_strv_push(&p.emails, "zoe@example.se");
	kith_strv_push(&p.emails, "z.bell@work.example");
	kith_strv_push(&p.phones, "+46 (0)8 555 01 23");
	kith_strv_push(&p.phones, "070-123 45 67");
	kith_strv_push(&p.tags, "board");
	kith_strv_push(&p.tags, "climate");
	assert_int_equal(kith_person_add(db, &p, &err), KITH_OK);
	want = rows_of(db, p.id);
	kith_person_clear(&p);
	t_close(db);

	static const int ways[] = {KITH_IMPORT_BULK_OFF, KITH_IMPORT_BULK_ON};
	for (size_t w = 0; w < 2; w++) {
		int bulk = ways[w];
		id = imported(bulk, &db);
		got = rows_of(db, id);
		if (strcmp(want, got) != 0)
			fail_msg("%s import wrote\n%s\nwhere kith_person_add writes\n%s",
			         bulk == KITH_IMPORT_BULK_ON ? "a bulk" : "a row-by-row", got, want);
		free(got);
		t_close(db);
	}
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_person_two_writers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
