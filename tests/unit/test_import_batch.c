/* A batched import (kith_import_opts.batch_ms) commits as it goes and
 * lets others write between batches: what it read of the database before
 * must not outlive what they changed (src/import/lookup.c,
 * kith__caches_refresh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "support_import.h"

#define CARDS 2500

struct other {
	kith_db *db;      /* another connection, as another server thread */
	int yields, done;
};

/* Between two batches: once card 5's person is stored, another writer
 * removes them and adds someone whose address a later card has. */
static void other_writes(void *ctx)
{
	struct other *o = ctx;
	kith_id id;
	kith_error err;

	o->yields++;
	if (o->done || kith_person_resolve(o->db, "c5@batch.example", &id, NULL, &err) != KITH_OK)
		return;
	assert_int_equal(kith_person_remove(o->db, id, &err), KITH_OK);
	t_person(o->db, "Late Comer", "late@batch.example");
	o->done = 1;
}

/* CARDS cards of over 400 bytes each (the input is then big enough that
 * every email is read at the first lookup); card 2400 has card 5's
 * address, card 2450 the late comer's. */
static char *cards(void)
{
	GString *s = g_string_new(NULL);
	char pad[401];

	memset(pad, 'x', 400);
	pad[400] = '\0';
	for (int i = 0; i < CARDS; i++) {
		int e = i == 2400 ? 5 : i;
		if (i == 2450)
			g_string_append_printf(s, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Late Card\r\n"
			                       "EMAIL:late@batch.example\r\nCATEGORIES:late\r\n"
			                       "NOTE:%s\r\nEND:VCARD\r\n", pad);
		else
			g_string_append_printf(s, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b%d\r\n"
			                       "FN:Card %d\r\nEMAIL:c%d@batch.example\r\n"
			                       "ORG:Batch Org %d\r\nNOTE:%s\r\nEND:VCARD\r\n",
			                       i, i, e, i % 7, pad);
	}
	return g_string_free(s, FALSE);
}

static void test_batches_see_what_others_wrote(void **state)
{
	kith_db *db = t_open();
	struct other o = {0};
	kith_import_opts opts = {.format = KITH_IMPORT_VCARD, .batch_ms = 1,
	                         .yield = other_writes};
	kith_import_report r;
	kith_error err;
	char *text = cards();
	kith_id late;
	int rc;

	(void)state;
	assert_int_equal(kith_db_open(t_path(), 0, &o.db, &err), KITH_OK);
	opts.yield_ctx = &o;
	rc = kith_import_buffer(db, text, strlen(text), &opts, &r, &err);
	assert_int_equal(rc, KITH_OK);
	assert_true(o.done);
	assert_true(r.batches > 1);
	assert_int_equal(r.batches, o.yields + 1);
	/* The late card found the late comer; card 2400 found nobody (card
	 * 5's person is gone) rather than the id the import had read. */
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.created, CARDS - 1);
	assert_int_equal(kith_person_resolve(db, "late@batch.example", &late, NULL, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_tag WHERE tag = 'late'"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_email"
	                           " WHERE email = 'c5@batch.example'"), 1);
	/* Every batch left the database whole: search rows, change log,
	 * keys, foreign keys, and the triggers the bulk path takes over. */
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"),
	                 t_int(db, "SELECT count(*) FROM person_fts"));
	assert_int_equal(t_int(db, "SELECT count(*) FROM person p WHERE NOT EXISTS"
	                           " (SELECT 1 FROM card_change c WHERE c.person_id = p.id)"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM import_source"), CARDS - 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
	                           " AND name = 'card_email_ins'"), 1);
	assert_true(r.bulk);
	/* Again: nothing changes but card 5, whose key went with its person
	 * and which card 2400's person now answers for. */
	opts.yield = NULL;
	assert_int_equal(kith_import_buffer(db, text, strlen(text), &opts, &r, &err), KITH_OK);
	assert_int_equal(r.unchanged, CARDS - 1);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.created, 0);
	kith_db_close(o.db);
	g_free(text);
	t_close(db);
}

/* A dry run reads a copy: it answers while another connection holds the
 * write lock, and leaves nothing behind. */
static void test_dry_run_takes_no_lock(void **state)
{
	kith_db *db = t_open(), *other;
	kith_import_opts opts = {.format = KITH_IMPORT_VCARD, .dry_run = 1};
	kith_import_report r;
	kith_error err;
	const char *card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dry Card\r\n"
	                   "EMAIL:dry@card.example\r\nEND:VCARD\r\n";

	(void)state;
	t_person(db, "Stored Already", "dry@card.example");
	assert_int_equal(kith_db_open(t_path(), 0, &other, &err), KITH_OK);
	assert_int_equal(kith_db_begin(other, &err), KITH_OK);
	kith_db_set_busy_timeout(db, 0);
	assert_int_equal(kith_import_buffer(db, card, strlen(card), &opts, &r, &err), KITH_OK);
	assert_int_equal(r.merged, 1);
	assert_true(r.dry_run);
	assert_int_equal(r.batches, 0);
	kith_db_rollback(other);
	kith_db_close(other);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person WHERE display_name = 'Dry Card'"
	                           " OR given_name IS NOT NULL"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM import_source"), 0);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batches_see_what_others_wrote),
		cmocka_unit_test(test_dry_run_takes_no_lock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
