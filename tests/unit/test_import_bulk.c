/* The bulk path of an import (src/import/bulk.c, pipe.c, strength.c) must
 * leave the database the row-by-row path leaves: every row, search rows,
 * pair strengths to the last bit, the schema, and what CardDAV clients
 * read of the change log; and stay all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <sqlite3.h>

#include "support_import.h"
#include "kith/card.h"
#include "kith/member.h"

/* Cards that take every way of the people writer: merged by email, by
 * phone (00 for +), by name at an org (another case), new with a new org,
 * a name and nothing else, merged into someone new in this very file,
 * merged into a private person, a bad email, a card without its end. */
static const char cards[] =
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-1\r\nFN:Bo Lind\r\nEMAIL:BO@team.example\r\n"
	"TEL:+46 70 123 45 67\r\nCATEGORIES:Friends\r\nNOTE:Sails\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-2\r\nFN:Chloé M.\r\nTEL:0033 6 12 34 56 78\r\n"
	"EMAIL:chloe@new.example\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-3\r\nFN:Dana  Ortiz\r\nORG:ACME\r\nTITLE:VP\r\n"
	"END:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-4\r\nN:Stone;Eve;;;\r\nFN:Eve Stone\r\n"
	"ORG:Nova Labs\r\nTITLE:Chemist\r\nEMAIL:eve@nova.example\r\nEMAIL:not-an-email\r\n"
	"CATEGORIES:lab,Friends\r\nADR:;;1 Rue;Lyon;;;France\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-5\r\nFN:Only Name\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-6\r\nFN:Gus\r\nEMAIL:Eve@Nova.example\r\n"
	"TEL:+1 555 0100\r\nNOTE:Eve's other card\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-7\r\nFN:Hana Sato\r\nORG:nova labs\r\n"
	"END:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-8\r\nFN:Priya R\r\nEMAIL:priya@private.example\r\n"
	"NOTE:Board\r\nCATEGORIES:vip\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-9\r\nFN:Lost\r\n";

/* The same file later: three cards as they were, two changed. */
static const char cards_again[] =
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-1\r\nFN:Bo Lind\r\nEMAIL:BO@team.example\r\n"
	"TEL:+46 70 123 45 67\r\nCATEGORIES:Friends\r\nNOTE:Sails\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-2\r\nFN:Chloé M.\r\nTEL:0033 6 12 34 56 78\r\n"
	"EMAIL:chloe@new.example\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-4\r\nN:Stone;Eve;;;\r\nFN:Eve Stone\r\n"
	"ORG:Nova Labs\r\nTITLE:Director\r\nEMAIL:eve@nova.example\r\n"
	"CATEGORIES:lab\r\nEND:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-5\r\nFN:Only Name\r\nEMAIL:only@name.example\r\n"
	"END:VCARD\r\n"
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-7\r\nFN:Hana Sato\r\nORG:nova labs\r\n"
	"END:VCARD\r\n";

#define MSG(id, date, from, to, subj) \
	"From x@y Mon Jan  1 00:00:00 2024\n" "Message-ID: <" id ">\nDate: " date "\n" \
	"From: " from "\nTo: " to "\nSubject: " subj "\n\nBody.\n\n"

/* Mail among me, a team person, a private one, someone known only by an
 * address (renamed), new people, pairs repeated (their strength adds up),
 * and what is skipped or rejected. */
static const char mail[] =
	MSG("m1@t", "Mon, 01 Jan 2024 10:00:00 +0000", "Alex Morgan <alex@kith.example>",
	    "Bo <bo@team.example>, Zed Ward <zed@addr.example>", "Plan")
	MSG("m2@t", "Tue, 02 Jan 2024 10:00:00 +0000", "Bo <bo@team.example>",
	    "alex@kith.example", "Re: Plan")
	MSG("m3@t", "Wed, 03 Jan 2024 10:00:00 +0000", "Priya <priya@private.example>",
	    "alex@kith.example, New One <new.one@mail.example>", "Secret")
	MSG("m4@t", "Thu, 04 Jan 2024 10:00:00 +0000", "New One <new.one@mail.example>",
	    "Bo <bo@team.example>, new.two@mail.example", "Intro")
	MSG("m5@t", "Fri, 05 Jan 2024 10:00:00 +0000", "Alex Morgan <alex@kith.example>",
	    "Bo <bo@team.example>", "Again")
	MSG("m1@t", "Mon, 01 Jan 2024 10:00:00 +0000", "Alex Morgan <alex@kith.example>",
	    "Bo <bo@team.example>", "Plan (twice in the file)")
	MSG("m6@t", "Sat, 06 Jan 2024 10:00:00 +0000", "Alex Morgan <alex@kith.example>",
	    "alex@kith.example", "Note to self")
	"From x@y Mon Jan  1 00:00:00 2024\nMessage-ID: <m7@t>\nDate: Sun, 07 Jan 2024 10:00:00 +0000\n"
	"From: news@list.example\nTo: alex@kith.example\nList-Id: <l.example>\nSubject: News\n\nx\n\n"
	"From x@y Mon Jan  1 00:00:00 2024\nMessage-ID: <m8@t>\nDate: nonsense\n"
	"From: Bo <bo@team.example>\nTo: alex@kith.example\nSubject: Undated\n\nx\n\n";

/* One step of a scenario: a fixture file (name) or a string. */
typedef struct step {
	const char *file, *text;
	int format;
} step;

static const step steps[] = {
	{"google.vcf", NULL, 0}, {"apple.vcf", NULL, 0}, {"android21.vcf", NULL, 0},
	{"outlook21.vcf", NULL, 0}, {"thunderbird40.vcf", NULL, 0},
	{"malformed.vcf", NULL, 0}, {"google_contacts.csv", NULL, 0},
	{"outlook_contacts.csv", NULL, 0}, {"linkedin_connections.csv", NULL, 0},
	{NULL, cards, KITH_IMPORT_VCARD}, {"mail.mbox", NULL, 0},
	{NULL, mail, KITH_IMPORT_MBOX}, {"calendar.ics", NULL, 0},
	{NULL, cards_again, KITH_IMPORT_VCARD}, {NULL, mail, KITH_IMPORT_MBOX},
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

/* Every row that an import may write, in key order, values exact. */
static const char *const dump_sql[] = {
	"SELECT * FROM person ORDER BY id",
	"SELECT * FROM person_email ORDER BY person_id, pos",
	"SELECT * FROM person_phone ORDER BY person_id, pos",
	"SELECT * FROM person_tag ORDER BY person_id, tag",
	"SELECT * FROM org ORDER BY id",
	"SELECT * FROM job ORDER BY id",
	"SELECT * FROM link ORDER BY id",
	"SELECT * FROM interaction ORDER BY id",
	"SELECT * FROM interaction_person ORDER BY 1, 2",
	"SELECT * FROM import_source ORDER BY kind, key",
	"SELECT * FROM kith_pairs ORDER BY a, b",
	"SELECT rowid, * FROM person_fts ORDER BY rowid",
	"SELECT rowid, * FROM org_fts ORDER BY rowid",
	"SELECT rowid, * FROM interaction_fts ORDER BY rowid",
	("SELECT rowid FROM person_fts WHERE person_fts MATCH 'nova OR friends OR lyon'"
	 " ORDER BY rank, rowid"),
	"SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH 'plan' ORDER BY rowid",
	"SELECT * FROM sqlite_sequence WHERE name NOT IN ('card_change', 'graph_change')"
	" ORDER BY name",
	"SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
	"SELECT type, name, tbl_name, sql FROM sqlite_temp_schema ORDER BY type, name",
};

static void dump_query(kith_db *db, const char *label, const char *sql, GString *out)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	g_string_append_printf(out, "-- %s\n", label ? label : sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				g_string_append_printf(out, "%lld|", (long long)sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				g_string_append_printf(out, "%.17g|", sqlite3_column_double(st, i));
				break;
			case SQLITE_NULL:
				g_string_append(out, "NULL|");
				break;
			default:
				g_string_append_printf(out, "'%s'|", (const char *)sqlite3_column_text(st, i));
			}
		}
		g_string_append_c(out, '\n');
	}
	sqlite3_finalize(st);
}

static int cmp_ref(const void *a, const void *b)
{
	const kith_card_ref *x = a, *y = b;

	return (x->person > y->person) - (x->person < y->person);
}

/* What member m's CardDAV client reads of the log since token: which
 * cards changed or went away (not their ETags, which count log rows). */
static void dump_changes(const char *path, kith_id m, int64_t since, GString *out)
{
	kith_db *v;
	kith_card_ref *refs;
	size_t n;
	int64_t now;
	kith_error err;

	assert_int_equal(kith_db_open(path, KITH_OPEN_READONLY, &v, &err), KITH_OK);
	kith_db_set_now(v, T_NOW);
	assert_int_equal(kith_db_set_viewer(v, m, &err), KITH_OK);
	assert_int_equal(kith_card_changes(v, m, since, &refs, &n, &now, &err), KITH_OK);
	if (n > 1)
		qsort(refs, n, sizeof(*refs), cmp_ref);
	g_string_append_printf(out, "-- changes for member %lld\n", (long long)m);
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(out, "%lld %s %lld%s\n", (long long)refs[i].person,
		                       refs[i].href, (long long)refs[i].updated,
		                       refs[i].gone ? " gone" : "");
	free(refs);
	kith_db_close(v);
}

static void dump_report(const kith_import_report *r, GString *out)
{
	g_string_append_printf(out, "-- report %d: %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld\n",
		r->format, (long long)r->records, (long long)r->created, (long long)r->merged,
		(long long)r->unchanged, (long long)r->skipped, (long long)r->rejected,
		(long long)r->people_created, (long long)r->links_created,
		(long long)r->jobs_created, (long long)r->orgs_created);
	for (size_t i = 0; i < r->nissues; i++)
		g_string_append_printf(out, "%lld %d %s\n", (long long)r->issues[i].line,
		                       r->issues[i].level, r->issues[i].reason);
}

/* A database with people the fixtures meet: a team person, a private
 * one (member sam's), someone known by an address, a phone, a job at
 * Acme.  *m1, *m2: the members alex (me) and sam. */
static kith_db *seed(kith_id *m1, kith_id *m2)
{
	kith_db *db = ti_open_me();
	kith_person p = {0};
	kith_job j = {0};
	kith_id org, priya;

	assert_int_equal(kith_member_add(db, "alex", kith_me(db), m1, NULL), KITH_OK);
	assert_int_equal(kith_member_add(db, "sam", t_person(db, "Sam Kerr", "sam@kith.example"),
	                                 m2, NULL), KITH_OK);
	t_person(db, "Bo Lind", "bo@team.example");
	priya = t_person(db, "Priya Raman", "priya@private.example");
	assert_int_equal(kith_record_set_visibility(db, "person", priya, *m2, 1, NULL), KITH_OK);
	t_person(db, "zed@addr.example", "zed@addr.example");
	p.display_name = strdup("Chloé Martin");
	kith_strv_push(&p.phones, "+33 6 12 34 56 78");
	assert_int_equal(kith_person_add(db, &p, NULL), KITH_OK);
	kith_person_clear(&p);
	assert_int_equal(kith_org_ensure(db, "Acme", &org, NULL), KITH_OK);
	j.person = t_person(db, "Dana Ortiz", NULL);
	j.org = org;
	j.title = strdup("CTO");
	assert_int_equal(kith_job_add(db, &j, NULL), KITH_OK);
	kith_job_clear(&j);
	return db;
}

static int import_step(kith_db *db, const step *s, const kith_import_opts *o,
                       kith_import_report *r, kith_error *err)
{
	if (s->file)
		return kith_import_file(db, ti_data(s->file), o, r, err);
	return kith_import_buffer(db, s->text, strlen(s->text), o, r, err);
}

/* A bulk import writes with foreign keys unenforced (import.c): what it
 * wrote must still hold them all, and enforcement must be back on. */
static void assert_keys_sound(kith_db *db)
{
	assert_int_equal(t_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM pragma_integrity_check"
	                       " WHERE integrity_check <> 'ok'"), 0);
}

/* Runs every step with that path and author stamp (0: none, as the CLI
 * imports; 1, 2: members alex, sam, as the server does; 3: the server's
 * stamps for nobody); out[i] is the state after step i (caller frees). */
static void scenario(int bulk, int author, int priv, char *out[NSTEPS])
{
	kith_id m1, m2;
	kith_db *db = seed(&m1, &m2);
	char path[300];

	snprintf(path, sizeof(path), "%s", t_path());
	if (author)
		assert_int_equal(kith_db_set_author(db, author == 2 ? m2 : m1, priv, NULL),
		                 KITH_OK);
	if (author == 3)  /* the stamps are there, stamping nobody */
		assert_int_equal(kith_db_set_author(db, 0, 0, NULL), KITH_OK);
	for (size_t i = 0; i < NSTEPS; i++) {
		kith_import_opts o = {.format = steps[i].format, .bulk = bulk,
		                      .csv_map = NULL};
		kith_import_report r;
		kith_error err;
		int64_t token, gen;
		char sql[120];
		GString *g = g_string_new("");

		assert_int_equal(kith_card_token(db, &token, NULL), KITH_OK);
		gen = t_int(db, "SELECT generation FROM graph_state");
		if (import_step(db, &steps[i], &o, &r, &err))
			fail_msg("step %zu: %s", i, err.msg);
		assert_keys_sound(db);
		/* The bulk path starts at the first write, so the same
		 * file again (no write) leaves even the schema alone. */
		assert_int_equal(r.bulk, bulk == KITH_IMPORT_BULK_ON &&
		                 r.created + r.merged + r.people_created > 0);
		dump_report(&r, g);
		/* Graph snapshots must see that it moved, by how much matters not. */
		g_string_append_printf(g, "-- generation moved: %d\n",
		                       t_int(db, "SELECT generation FROM graph_state") > gen);
		kith_import_report_clear(&r);
		for (size_t k = 0; k < sizeof(dump_sql) / sizeof(dump_sql[0]); k++)
			dump_query(db, NULL, dump_sql[k], g);
		snprintf(sql, sizeof(sql), "SELECT DISTINCT person_id FROM card_change"
		         " WHERE seq > %lld ORDER BY 1", (long long)token);
		dump_query(db, "people in the change log since", sql, g);
		dump_changes(path, m1, token, g);
		dump_changes(path, m2, token, g);
		out[i] = g_string_free(g, FALSE);
	}
	t_close(db);
}

/* Fails at the first line where two dumps differ, showing both. */
static void assert_same_dump(size_t step_no, const char *a, const char *b)
{
	const char *la = a, *lb = b, *section = "";

	while (*la && *lb) {
		size_t na = strcspn(la, "\n"), nb = strcspn(lb, "\n");
		if (na != nb || memcmp(la, lb, na) != 0)
			fail_msg("step %zu, %.100s\n  row by row: %.*s\n  bulk:       %.*s",
			         step_no, section, (int)na, la, (int)nb, lb);
		if (strncmp(la, "-- ", 3) == 0)
			section = la;
		la += na + (la[na] != '\0');
		lb += nb + (lb[nb] != '\0');
	}
	if (*la || *lb)
		fail_msg("step %zu: one dump is longer", step_no);
}

static void same_database(int author, int priv)
{
	char *rows[NSTEPS], *bulk[NSTEPS];

	scenario(KITH_IMPORT_BULK_OFF, author, priv, rows);
	scenario(KITH_IMPORT_BULK_ON, author, priv, bulk);
	for (size_t i = 0; i < NSTEPS; i++) {
		assert_same_dump(i, rows[i], bulk[i]);
		g_free(rows[i]);
		g_free(bulk[i]);
	}
}

static void test_same_as_cli(void **state)
{
	(void)state;
	same_database(0, 0);
}

static void test_same_as_server_team(void **state)
{
	(void)state;
	same_database(1, 0);
}

static void test_same_as_server_private(void **state)
{
	(void)state;
	same_database(2, 1);
}

static void test_same_as_server_nobody(void **state)
{
	(void)state;
	same_database(3, 0);
}

/* Everything a dry run or a failed import must leave as it was. */
static char *dump_all(kith_db *db)
{
	GString *g = g_string_new("");

	for (size_t k = 0; k < sizeof(dump_sql) / sizeof(dump_sql[0]); k++)
		dump_query(db, NULL, dump_sql[k], g);
	dump_query(db, NULL, "SELECT * FROM card_change ORDER BY seq", g);
	dump_query(db, NULL, "SELECT * FROM graph_state", g);
	dump_query(db, NULL, "PRAGMA schema_version", g);
	return g_string_free(g, FALSE);
}

/* Every row an import writes (dump_sql), as the two paths must agree. */
static char *dump_rows(kith_db *db)
{
	GString *g = g_string_new("");

	for (size_t k = 0; k < sizeof(dump_sql) / sizeof(dump_sql[0]); k++)
		dump_query(db, NULL, dump_sql[k], g);
	return g_string_free(g, FALSE);
}

/* n cards, the one at bad (if any) with an address a trigger refuses. */
static char *many_cards(int n, int bad)
{
	GString *g = g_string_new("");

	for (int i = 0; i < n; i++)
		g_string_append_printf(g, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:many-%d\r\n"
		                       "FN:Person %d\r\nEMAIL:%s%d@many.example\r\n"
		                       "ORG:Org %d\r\nEND:VCARD\r\n", i, i,
		                       i == bad ? "boom" : "p", i, i % 7);
	return g_string_free(g, FALSE);
}

static void test_dry_run(void **state)
{
	kith_id m1, m2;
	kith_db *db = seed(&m1, &m2);
	kith_import_opts o = {.bulk = KITH_IMPORT_BULK_ON, .dry_run = 1};
	kith_import_report dry, real;
	char *before = dump_all(db), *after, *text = many_cards(3000, -1);

	(void)state;
	assert_int_equal(kith_import_buffer(db, text, strlen(text), &o, &dry, NULL), KITH_OK);
	assert_true(dry.bulk && dry.dry_run);
	assert_keys_sound(db);
	after = dump_all(db);
	assert_string_equal(before, after);
	o.dry_run = 0;
	assert_int_equal(kith_import_buffer(db, text, strlen(text), &o, &real, NULL), KITH_OK);
	assert_int_equal(dry.created, 3000);
	assert_int_equal(real.created, dry.created);
	assert_int_equal(real.orgs_created, dry.orgs_created);
	assert_int_equal(real.people_created, dry.people_created);
	kith_import_report_clear(&dry);
	kith_import_report_clear(&real);
	free(before);
	free(after);
	g_free(text);
	t_close(db);
}

/* A database error in the middle (a trigger the bulk path does not take
 * over refuses one address) undoes all of it, the schema included, and
 * stops the parser even while it waits for room in the queue. */
static void test_failure_undoes_all(void **state)
{
	kith_id m1, m2;
	kith_db *db = seed(&m1, &m2);
	kith_import_opts o = {.bulk = KITH_IMPORT_BULK_ON};
	kith_import_report r;
	kith_error err;
	char *before, *after, *text = many_cards(5000, 2500);

	(void)state;
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db),
		"CREATE TRIGGER refuse BEFORE INSERT ON person_email"
		" WHEN NEW.email LIKE 'boom%' BEGIN SELECT RAISE(ABORT, 'refused'); END",
		NULL, NULL, NULL), SQLITE_OK);
	before = dump_all(db);
	assert_int_not_equal(kith_import_buffer(db, text, strlen(text), &o, &r, &err), KITH_OK);
	assert_non_null(strstr(err.msg, "refused"));
	assert_true(r.bulk);
	assert_keys_sound(db);
	after = dump_all(db);
	assert_string_equal(before, after);
	kith_import_report_clear(&r);
	/* and the next import works, through the triggers put back */
	o.bulk = KITH_IMPORT_BULK_OFF;
	assert_int_equal(ti_import_str(db, cards, KITH_IMPORT_VCARD, &r), KITH_OK);
	assert_true(t_int(db, "SELECT count(*) FROM card_change WHERE person_id ="
	                  " (SELECT person_id FROM person_email WHERE email = 'eve@nova.example')") > 1);
	kith_import_report_clear(&r);
	free(before);
	free(after);
	g_free(text);
	t_close(db);
}

/* Importing the same file again writes nothing, so it never takes the
 * bulk path: not even the schema is touched. */
static void test_again_touches_nothing(void **state)
{
	kith_id m1, m2;
	kith_db *db = seed(&m1, &m2);
	kith_import_opts o = {.bulk = KITH_IMPORT_BULK_ON};
	kith_import_report r;
	char *before, *after, *text = many_cards(2000, -1);

	(void)state;
	assert_int_equal(kith_import_buffer(db, text, strlen(text), &o, &r, NULL), KITH_OK);
	assert_true(r.bulk);
	kith_import_report_clear(&r);
	before = dump_all(db);
	assert_int_equal(kith_import_buffer(db, text, strlen(text), &o, &r, NULL), KITH_OK);
	assert_false(r.bulk);
	assert_int_equal(r.unchanged, 2000);
	after = dump_all(db);
	assert_string_equal(before, after);
	kith_import_report_clear(&r);
	free(before);
	free(after);
	g_free(text);
	t_close(db);
}

/* A trigger the bulk path would take over but does not know (a later
 * migration changed it): the import goes row by row, through it. */
static void test_unknown_trigger_goes_row_by_row(void **state)
{
	kith_id m1, m2;
	kith_db *db = seed(&m1, &m2);
	kith_import_opts o = {.bulk = KITH_IMPORT_BULK_ON};
	kith_import_report r;
	char *text = many_cards(100, -1);

	(void)state;
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db),
		"DROP TRIGGER card_email_ins;"
		"CREATE TRIGGER card_email_ins AFTER INSERT ON person_email BEGIN"
		"  INSERT INTO card_change(person_id, owner, private) VALUES (NEW.person_id, NULL, 0);"
		"  INSERT INTO card_change(person_id, owner, private) VALUES (NEW.person_id, NULL, 0);"
		" END", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kith_import_buffer(db, text, strlen(text), &o, &r, NULL), KITH_OK);
	assert_false(r.bulk);
	assert_int_equal(r.created, 100);
	assert_int_equal(t_int(db, "SELECT count(*) FROM card_change WHERE person_id ="
	                       " (SELECT person_id FROM person_email WHERE email = 'p7@many.example')"),
	                 4);  /* the person, twice for the email, the job */
	kith_import_report_clear(&r);
	g_free(text);
	t_close(db);
}

/* Counts the statements that drop the person index of interactions. */
static int count_drops(unsigned type, void *ctx, void *p, void *x)
{
	const char *sql = sqlite3_expanded_sql(p);

	(void)type;
	(void)x;
	if (sql && strstr(sql, "DROP INDEX main.interaction_person_p"))
		(*(int *)ctx)++;
	sqlite3_free((void *)sql);
	return 0;
}

/* n messages, each among three of 50 people, ids from first. */
static char *many_messages(int first, int n)
{
	GString *g = g_string_new("");

	for (int i = first; i < first + n; i++)
		g_string_append_printf(g, "From x@y Mon Jan  1 00:00:00 2024\n"
		                       "Message-ID: <many-%d@t>\nDate: Mon, 01 Jan 2024 10:%02d:00 +0000\n"
		                       "From: P%d <p%d@m.example>\nTo: p%d@m.example, p%d@m.example\n"
		                       "Subject: n%d\n\nBody.\n\n", i, i % 60, i % 50, i % 50,
		                       (i * 7 + 1) % 50, (i * 13 + 2) % 50, i);
	return g_string_free(g, FALSE);
}

/* The person index of interactions is built again after an import that
 * at least doubles the table, and kept (rows added one by one) after a
 * smaller one; either way the rows and the index are whole.  The first
 * import spans two batches of interactions and names one message again
 * after the first batch is written; it leaves what row by row leaves. */
static void test_person_index(void **state)
{
	kith_db *db = t_open();
	kith_import_opts o = {.bulk = KITH_IMPORT_BULK_ON};
	kith_import_opts off = {.bulk = KITH_IMPORT_BULK_OFF};
	kith_import_report r;
	char *first = many_messages(0, 5000), *again = many_messages(10, 1);
	char *big = g_strconcat(first, again, NULL), *small = many_messages(5000, 200);
	char *a, *b;
	int drops = 0;
	int64_t rows;
	sqlite3 *h;

	(void)state;
	assert_int_equal(kith_import_buffer(db, big, strlen(big), &off, &r, NULL), KITH_OK);
	assert_false(r.bulk);
	kith_import_report_clear(&r);
	a = dump_rows(db);
	t_close(db);
	db = t_open();
	h = kith_db_sqlite(db);
	sqlite3_trace_v2(h, SQLITE_TRACE_STMT, count_drops, &drops);
	assert_int_equal(kith_import_buffer(db, big, strlen(big), &o, &r, NULL), KITH_OK);
	assert_true(r.bulk);
	assert_int_equal(r.created, 5000);
	assert_int_equal(r.unchanged, 1);
	kith_import_report_clear(&r);
	assert_int_equal(drops, 1);
	assert_keys_sound(db);
	b = dump_rows(db);
	assert_same_dump(0, a, b);
	free(a);
	free(b);
	assert_int_equal(kith_import_buffer(db, small, strlen(small), &o, &r, NULL), KITH_OK);
	assert_true(r.bulk);
	assert_int_equal(r.created, 200);
	kith_import_report_clear(&r);
	assert_int_equal(drops, 1);
	sqlite3_trace_v2(h, 0, NULL, NULL);
	assert_keys_sound(db);
	assert_int_equal(t_int(db, "SELECT count(*) FROM sqlite_schema WHERE"
	                       " name = 'interaction_person_p'"), 1);
	rows = t_int(db, "SELECT count(*) FROM interaction_person");
	assert_true(rows > 5200 * 2);
	/* each person's messages, through the index, as stored */
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction_person INDEXED BY"
	                       " interaction_person_p WHERE person_id > 0"), rows);
	g_free(first);
	g_free(again);
	g_free(big);
	g_free(small);
	t_close(db);
}

/* A parser's own error comes through the pipeline as it would directly. */
static void test_parser_error(void **state)
{
	kith_db *db = t_open();
	kith_import_opts o = {.bulk = KITH_IMPORT_BULK_ON, .format = KITH_IMPORT_CSV,
	                      .csv_map = "nosuchfield=Name"};
	kith_import_report r;
	kith_error err;

	(void)state;
	assert_int_equal(kith_import_buffer(db, "Name\nAna\n", 9, &o, &r, &err), KITH_EINVAL);
	assert_non_null(strstr(err.msg, "nosuchfield"));
	kith_import_report_clear(&r);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_cli),
		cmocka_unit_test(test_same_as_server_team),
		cmocka_unit_test(test_same_as_server_private),
		cmocka_unit_test(test_same_as_server_nobody),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_failure_undoes_all),
		cmocka_unit_test(test_again_touches_nothing),
		cmocka_unit_test(test_unknown_trigger_goes_row_by_row),
		cmocka_unit_test(test_person_index),
		cmocka_unit_test(test_parser_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
