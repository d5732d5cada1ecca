/* Capture writes people with its own prepared statements rather than the
 * store API (src/import/people.c): what it leaves must be what the store
 * would have left, search rows included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "support_import.h"
#include "internal.h"

/* The search row of id as "name|info|notes" (caller frees). */
static char *fts_row(kith_db *db, kith_id id)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT name || '|' || info || '|' || coalesce(notes, '')"
	         " FROM person_fts WHERE rowid = %lld", (long long)id);
	return ti_text(db, sql);
}

/* Fails unless id's search row is exactly what the store writes. */
static void assert_fts_as_store(kith_db *db, kith_id id)
{
	char *mine = fts_row(db, id), *store;

	assert_non_null(mine);
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	assert_int_equal(kith__person_fts_refresh(db, id, NULL), KITH_OK);
	store = fts_row(db, id);
	kith_db_rollback(db);
	assert_non_null(store);
	assert_string_equal(mine, store);
	free(mine);
	free(store);
}

static void test_merge_into_stored_person(void **state)
{
	kith_db *db = t_open();
	kith_person p = {0}, *q;
	kith_import_report r;
	kith_job *jobs;
	size_t n;

	(void)state;
	p.display_name = strdup("Ana Silva");
	p.notes = strdup("Old friend");
	kith_strv_push(&p.emails, "ana@silva.example");
	kith_strv_push(&p.phones, "+351 912 345 678");
	kith_strv_push(&p.tags, "friends");
	assert_int_equal(kith_person_add(db, &p, NULL), KITH_OK);
	assert_int_equal(ti_import_str(db,
		"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:m-1\r\nFN:Ana Silva\r\nN:Silva;Ana;;;\r\n"
		"EMAIL:ANA@silva.example\r\nEMAIL:ana.work@acme.example\r\n"
		"TEL:+351 912 345 678\r\nTEL:+33 6 12 34 56 78\r\n"
		"ADR;TYPE=HOME:;;1 Rua;Porto;;;Portugal\r\nORG:Acme\r\nTITLE:CTO\r\n"
		"CATEGORIES:Friends,Board\r\nNOTE:Runs the Porto office\r\nEND:VCARD\r\n",
		KITH_IMPORT_VCARD, &r), KITH_OK);
	assert_int_equal(r.merged, 1);
	assert_int_equal(r.created, 0);
	q = ti_by_email(db, "ana.work@acme.example");
	assert_int_equal(q->id, p.id);
	assert_string_equal(q->display_name, "Ana Silva");
	assert_string_equal(q->given_name, "Ana");
	assert_string_equal(q->city, "Porto");
	assert_string_equal(q->country, "Portugal");
	assert_string_equal(q->notes, "Old friend\nRuns the Porto office");
	assert_int_equal(q->emails.n, 2);
	assert_string_equal(q->emails.v[0], "ana@silva.example");
	assert_string_equal(q->emails.v[1], "ana.work@acme.example");
	assert_int_equal(q->phones.n, 2);
	assert_string_equal(q->phones.v[1], "+33 6 12 34 56 78");
	assert_int_equal(q->tags.n, 2);
	assert_int_equal(q->updated, kith_db_now(db));
	assert_int_equal(kith_job_list(db, q->id, &jobs, &n, NULL), KITH_OK);
	assert_int_equal(n, 1);
	kith_job_list_free(jobs, n);
	/* positions follow the stored ones */
	assert_int_equal(t_int(db, "SELECT max(pos) FROM person_email"), 1);
	assert_int_equal(t_int(db, "SELECT max(pos) FROM person_phone"), 1);
	assert_fts_as_store(db, q->id);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts WHERE person_fts"
	                       " MATCH 'acme'"), 1);
	kith_person_free(q);
	kith_import_report_clear(&r);
	kith_person_clear(&p);
	t_close(db);
}

static void test_new_people_indexed_once(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	kith_person *a, *b;

	(void)state;
	/* The second card is the first person again (same email): one person,
	 * one search row, with everything both cards said. */
	assert_int_equal(ti_import_str(db,
		"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:n-1\r\nFN:Kwame Mensah\r\n"
		"EMAIL:kwame@mensah.example\r\nORG:Volta Labs\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:n-2\r\nFN:Kwame Mensah\r\n"
		"EMAIL:kwame@mensah.example\r\nEMAIL:k@volta.example\r\n"
		"TEL:+233 20 123 4567\r\nNOTE:Solar\r\nEND:VCARD\r\n"
		"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:n-3\r\nFN:Priya Raman\r\n"
		"TEL:0033 6 98 76 54 32\r\nEND:VCARD\r\n",
		KITH_IMPORT_VCARD, &r), KITH_OK);
	assert_int_equal(r.created, 2);
	assert_int_equal(r.merged, 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts"), 2);
	a = ti_by_email(db, "k@volta.example");
	assert_fts_as_store(db, a->id);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts WHERE person_fts"
	                       " MATCH 'solar AND volta'"), 1);
	kith_import_report_clear(&r);
	/* A phone typed "+33 ..." finds the person stored as "0033 ...". */
	assert_int_equal(ti_import_str(db,
		"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:n-4\r\nFN:P. Raman\r\n"
		"EMAIL:priya@raman.example\r\nTEL:+33 6 98 76 54 32\r\nEND:VCARD\r\n",
		KITH_IMPORT_VCARD, &r), KITH_OK);
	assert_int_equal(r.merged, 1);
	b = ti_by_email(db, "priya@raman.example");
	assert_string_equal(b->display_name, "Priya Raman");
	assert_int_equal(b->phones.n, 1);
	assert_fts_as_store(db, b->id);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts"), 2);
	kith_person_free(a);
	kith_person_free(b);
	kith_import_report_clear(&r);
	t_close(db);
}

/* The pair cache and the interactions (without ids) as one string. */
static char *snapshot(kith_db *db)
{
	return ti_text(db, "SELECT (SELECT group_concat(r, ';') FROM (SELECT a || ',' ||"
		" b || ',' || printf('%.17g,%.17g,%.17g', u, ab, ba) || ',' || ref AS r"
		" FROM kith_pairs ORDER BY a, b)) || '#' || (SELECT group_concat(r, ';')"
		" FROM (SELECT at || ',' || kind || ',' || coalesce(notes, '') || ',' ||"
		" coalesce(giver, '') || ',' || coalesce(value, '') || ',' || created ||"
		" ',' || coalesce(initiator, '') || ',' || (SELECT group_concat(person_id)"
		" FROM (SELECT person_id FROM interaction_person WHERE interaction_id = i.id"
		" ORDER BY person_id)) AS r FROM interaction i ORDER BY i.id))");
}

/* Messages become interactions (and pair strengths) exactly as
 * kith_interaction_add makes them. */
static void test_interactions_as_store(void **state)
{
	kith_db *db = t_open();
	kith_import_report r;
	sqlite3_stmt *st;
	kith_idv ids = {0};
	kith_interaction *v;
	char *imported, *stored;

	(void)state;
	ti_import(db, "mail.mbox", KITH_IMPORT_MBOX, &r);
	assert_true(r.created >= 2);
	imported = snapshot(db);
	assert_non_null(imported);
	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db),
		"SELECT id FROM interaction ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		kith_idv_push(&ids, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	assert_true(ids.n >= 2);
	v = calloc(ids.n, sizeof(*v));
	for (size_t i = 0; i < ids.n; i++)
		assert_int_equal(kith_interaction_get(db, ids.v[i], &v[i], NULL), KITH_OK);
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), "DELETE FROM interaction;"
		" DELETE FROM pair_cache", NULL, NULL, NULL), SQLITE_OK);
	for (size_t i = 0; i < ids.n; i++) {
		v[i].id = 0;
		assert_int_equal(kith_interaction_add(db, &v[i], NULL), KITH_OK);
	}
	stored = snapshot(db);
	assert_non_null(stored);
	assert_string_equal(imported, stored);
	kith_interaction_list_free(v, ids.n);
	kith_idv_clear(&ids);
	free(imported);
	free(stored);
	kith_import_report_clear(&r);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_into_stored_person),
		cmocka_unit_test(test_new_people_indexed_once),
		cmocka_unit_test(test_interactions_as_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
