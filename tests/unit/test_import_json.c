/* The JSON import (src/import/json.c): kith's own export read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <jansson.h>

#include "support.h"
#include "kith/intro_request.h"

static char other[400];

static kith_db *open_other(void)
{
	kith_db *db;
	kith_error err;

	snprintf(other, sizeof(other), "%s.other", t_path());
	if (kith_db_open(other, KITH_OPEN_CREATE, &db, &err))
		fail_msg("open: %s", err.msg);
	kith_db_set_now(db, T_NOW);
	return db;
}

static void close_other(kith_db *db)
{
	const char *const ext[] = {"", "-wal", "-shm"};
	char f[420];

	kith_db_close(db);
	for (size_t i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s%s", other, ext[i]);
		unlink(f);
	}
}

static char *export_json(kith_db *db, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	kith_error err;

	assert_non_null(f);
	if (kith_export(db, KITH_EXPORT_JSON, f, &err))
		fail_msg("export: %s", err.msg);
	fclose(f);
	return buf;
}

static kith_db *network(int people)
{
	kith_db *db = t_open();
	kith_id prev = 0, me = t_person(db, "Me Myself", "me@x.example");
	kith_error err;
	char name[32];

	assert_int_equal(kith_set_me(db, me, &err), KITH_OK);
	for (int i = 0; i < people; i++) {
		snprintf(name, sizeof(name), "Person %d", i);
		kith_id p = t_person(db, name, NULL);
		kith_interaction it = {.at = T_NOW - 3600 * (i + 1), .kind = "call", .initiator = p};
		kith_idv_push(&it.people, me);
		kith_idv_push(&it.people, p);
		assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
		kith_idv_clear(&it.people);
		if (prev)
			assert_int_equal(t_link(db, prev, p, "knows", 0.25), KITH_OK);
		prev = p;
	}
	return db;
}

static int yields;

static void count_yield(void *ctx)
{
	(void)ctx;
	yields++;
}

static void batches_keep_the_round_trip(void **state)
{
	kith_db *db = network(300), *back = open_other();
	kith_import_opts o = {.format = KITH_IMPORT_JSON, .batch_ms = 1, .yield = count_yield};
	kith_import_report rep;
	kith_check_report chk;
	kith_error err;
	size_t n1, n2;
	char *e1 = export_json(db, &n1), *e2;

	(void)state;
	yields = 0;
	assert_int_equal(kith_import_buffer(back, e1, n1, &o, &rep, &err), KITH_OK);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.people_created, 301);
	assert_true(rep.batches >= 2);
	assert_int_equal(yields, rep.batches - 1);
	e2 = export_json(back, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(e1, e2, n1);
	/* The pair cache was kept as it went: the check agrees. */
	assert_int_equal(kith_check(back, 0, &chk, &err), KITH_OK);
	assert_int_equal(chk.failed, 0);
	kith_import_report_clear(&rep);
	free(e1);
	free(e2);
	close_other(back);
	t_close(db);
}

static void bad_records_are_rejected_alone(void **state)
{
	kith_db *db = t_open();
	kith_import_report rep;
	kith_error err;
	static const char doc[] =
		"{\"format\": \"kith\", \"version\": 1,"
		" \"people\": [{\"id\": 1, \"name\": \"Ana\"}, {\"id\": 2, \"name\": \"\\u001b[2J\"},"
		"  {\"id\": 3, \"name\": \"Bo\", \"emails\": [\"not an email\"]}],"
		" \"links\": [{\"id\": 1, \"a\": 1, \"b\": 2, \"kind\": \"knows\"},"
		"  {\"id\": 2, \"a\": 1, \"b\": 1, \"kind\": \"knows\"}],"
		" \"interactions\": [{\"id\": 1, \"at\": \"2026-01-01\", \"kind\": \"call\", \"people\": [1]}]}";

	(void)state;
	assert_int_equal(kith_import_buffer(db, doc, strlen(doc), NULL, &rep, &err), KITH_OK);
	assert_int_equal(rep.format, KITH_IMPORT_JSON);
	assert_int_equal(rep.records, 6);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.rejected, 5);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts"), 1);
	kith_import_report_clear(&rep);
	/* Not kith's, and from a newer kith: refused whole. */
	static const char other_json[] = "{\"a\": 1}";
	static const char newer[] = "{\"format\": \"kith\", \"version\": 2}";
	assert_int_equal(kith_import_buffer(db, other_json, strlen(other_json), NULL, &rep, &err),
	                 KITH_EINVAL);
	assert_non_null(strstr(err.msg, "not a kith JSON export"));
	assert_int_equal(kith_import_buffer(db, newer, strlen(newer), NULL, &rep, &err),
	                 KITH_EINVAL);
	assert_non_null(strstr(err.msg, "newer"));
	kith_import_report_clear(&rep);
	t_close(db);
}

static void settings_this_kith_has(void **state)
{
	kith_db *db = t_open();
	kith_import_report rep;
	kith_error err;
	static const char doc[] =
		"{\"format\": \"kith\", \"version\": 1, \"config\": ["
		" {\"key\": \"half_life_days\", \"value\": \"45\"},"
		" {\"key\": \"backup_digest\", \"value\": \"v1:0\"},"
		" {\"key\": \"graph_db_id\", \"value\": \"7\"},"
		" {\"key\": \"a_later_knob\", \"value\": \"1\"}]}";

	(void)state;
	assert_int_equal(kith_import_buffer(db, doc, strlen(doc), NULL, &rep, &err), KITH_OK);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(rep.nissues, 3);
	assert_int_equal(rep.issues[0].level, KITH_ISSUE_WARNING);
	assert_true(kith_score_half_life(db) == 45);
	/* the database's own identity (its graph index's) is never taken */
	assert_int_equal(t_int(db, "SELECT count(*) FROM config WHERE key = 'graph_db_id'"
	                       " AND value = '7'"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM config"
	                       " WHERE key NOT IN ('half_life_days', 'graph_db_id')"), 0);
	kith_import_report_clear(&rep);
	t_close(db);
}

/* --- introduction requests ------------------------------------------------ */

enum { NREQ = 13 };

static void exec(kith_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(kith_db_sqlite(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* The first column of a one-row SELECT, as text the caller frees. */
static char *text_of(kith_db *db, const char *sql)
{
	sqlite3_stmt *st;
	char *s = NULL;

	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_non_null(s);
	return s;
}

/* Every request by what it says, in names, not ids: members, target,
 * chain, and what the interactions it logged were. */
static const char requests_in_names[] =
	"SELECT group_concat(x, ';') FROM (SELECT r.status || ' ' || coalesce(r.outcome, '-')"
	" || ' ' || a.name || '>' || b.name || ' ' || p.display_name || ' ' ||"
	" (SELECT group_concat(q.display_name, '/') FROM json_each('[' || r.chain || ']') j"
	"  JOIN person q ON q.id = j.value) || ' ' || r.strength || ' ' || coalesce(r.note, '-')"
	" || ' ' || r.asked_at || ' ' || coalesce(r.answered_at, '-') || ' ' ||"
	" coalesce(r.made_at, '-') || ' ' || coalesce(r.outcome_at, '-') || ' ' ||"
	" coalesce(i.kind || ':' || i.at || ':' || (SELECT count(*) FROM interaction_person ip"
	"  WHERE ip.interaction_id = i.id), '-') || ' ' || coalesce(f.kind || ':' || f.value, '-') AS x"
	" FROM intro_request r JOIN member a ON a.id = r.asker JOIN member b ON b.id = r.asked"
	" JOIN person p ON p.id = r.target LEFT JOIN interaction i ON i.id = r.interaction_id"
	" LEFT JOIN interaction f ON f.id = r.favour_id ORDER BY r.asked_at, r.strength)";

/* Members alex (me), bo (Person 0) and cy (Person 1) on network(4), and
 * introduction requests in every status and outcome: eleven from alex
 * to bo along Person 0, 1, 2; one from cy to bo; one from alex to bo
 * whose target (Person 3) bo then makes private, so alex no longer sees
 * it. */
static kith_db *requests(kith_id m[3])
{
	static const char *const moves[][2] = {
		{NULL, NULL}, {"accepted", NULL}, {"declined", NULL}, {"withdrawn", NULL},
		{"accepted", "withdrawn"}, {"made", NULL}, {"made", "met"}, {"accepted", "made"},
		{"made", "hired"}, {"made", "deal"}, {"made", "partnership"}};
	kith_db *db = network(4);
	kith_id p0 = t_int(db, "SELECT id FROM person WHERE display_name = 'Person 0'");
	kith_id chain[4] = {p0, p0 + 1, p0 + 2, p0 + 3};
	kith_intro_request q;
	kith_error err;

	assert_int_equal(kith_member_add(db, "alex", kith_me(db), &m[0], &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "bo", p0, &m[1], &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "cy", p0 + 1, &m[2], &err), KITH_OK);
	for (int i = 0; i < 11; i++) {
		q = (kith_intro_request){.chain = chain, .nchain = 3, .strength = 0.1 + i / 7.0,
		                         .note = i % 2 ? "why: \"\xc3\xbc\"\nline two" : NULL};
		kith_db_set_now(db, T_NOW + 100 * i);
		assert_int_equal(kith_intro_request_add(db, m[0], m[1], &q, &err), KITH_OK);
		for (int k = 0; k < 2 && moves[i][k]; k++)
			assert_int_equal(kith_intro_request_move(db, strcmp(moves[i][k], "withdrawn")
			                                         ? m[1] : m[0], q.id, moves[i][k],
			                                         T_NOW + 100 * i + 10 * (k + 1), &err),
			                 KITH_OK);
	}
	q = (kith_intro_request){.chain = chain, .nchain = 3, .strength = 0.5, .note = "cy's"};
	assert_int_equal(kith_intro_request_add(db, m[2], m[1], &q, &err), KITH_OK);
	assert_int_equal(kith_intro_request_move(db, m[1], q.id, "made", 0, &err), KITH_OK);
	assert_int_equal(kith_intro_request_move(db, m[2], q.id, "nothing", 0, &err), KITH_OK);
	q = (kith_intro_request){.chain = chain, .nchain = 4, .strength = 0.25};
	assert_int_equal(kith_intro_request_add(db, m[0], m[1], &q, &err), KITH_OK);
	kith_db_set_now(db, T_NOW);
	/* Made private after its links and interactions were team: they stay
	 * team (hidden by the views), and so they must come back. */
	assert_int_equal(kith_record_set_visibility(db, "person", p0 + 3, m[1], 1, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM intro_request"), NREQ);
	/* asked, accepted, declined, withdrawn, made, and made with each outcome */
	assert_int_equal(t_int(db, "SELECT count(DISTINCT status || coalesce(outcome, ''))"
	                       " FROM intro_request"), 10);
	assert_int_equal(t_int(db, "SELECT count(*) FROM intro_request WHERE favour_id IS NOT NULL"),
	                 7);
	return db;
}

static size_t requests_in(const char *doc)
{
	json_t *root = json_loads(doc, 0, NULL);
	size_t n;

	assert_non_null(root);
	n = json_array_size(json_object_get(root, "intro_requests"));
	json_decref(root);
	return n;
}

static void intro_requests_round_trip(void **state)
{
	kith_id m[3];
	kith_db *db = requests(m), *back = open_other();
	kith_import_report rep;
	kith_check_report chk;
	kith_error err;
	size_t n1, n2;
	char *e1 = export_json(db, &n1), *e2, *w1, *w2;

	(void)state;
	assert_int_equal(requests_in(e1), NREQ);
	assert_non_null(strstr(e1, "\"status\": \"withdrawn\""));
	assert_non_null(strstr(e1, "\"outcome\": \"partnership\""));
	assert_int_equal(kith_import_buffer(back, e1, n1, NULL, &rep, &err), KITH_OK);
	assert_int_equal(rep.rejected, 0);
	e2 = export_json(back, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(e1, e2, n1);
	w1 = text_of(db, requests_in_names);
	w2 = text_of(back, requests_in_names);
	assert_string_equal(w1, w2);
	assert_int_equal(kith_check(back, 0, &chk, &err), KITH_OK);
	assert_int_equal(chk.failed, 0);
	kith_import_report_clear(&rep);
	free(e1);
	free(e2);
	free(w1);
	free(w2);
	close_other(back);
	t_close(db);
}

/* Into a database with records of its own, every id is new and every
 * reference (members, people, interactions) follows. */
static void intro_requests_renumbered(void **state)
{
	kith_id m[3], zed;
	kith_db *db = requests(m), *back = open_other();
	kith_import_report rep;
	kith_error err;
	size_t n1;
	char *e1 = export_json(db, &n1), *w1, *w2;

	(void)state;
	for (int i = 0; i < 7; i++)
		t_person(back, i ? "Someone Else" : "Zed Before", NULL);
	assert_int_equal(kith_member_add(back, "zed", t_int(back, "SELECT min(id) FROM person"),
	                                 &zed, &err), KITH_OK);
	exec(back, "INSERT INTO interaction(at, kind, created) VALUES (1, 'call', 1), (2, 'call', 1),"
	     " (3, 'call', 1)");
	assert_int_equal(kith_import_buffer(back, e1, n1, NULL, &rep, &err), KITH_OK);
	assert_int_equal(rep.rejected, 0);
	assert_int_equal(t_int(back, "SELECT count(*) FROM intro_request"), NREQ);
	assert_int_equal(t_int(back, "SELECT count(*) FROM intro_request r JOIN member a"
	                       " ON a.id = r.asker WHERE a.id > 1"), NREQ);
	w1 = text_of(db, requests_in_names);
	w2 = text_of(back, requests_in_names);
	assert_string_equal(w1, w2);
	/* ...and the ids did move: no request points where it did. */
	assert_int_equal(t_int(back, "SELECT count(*) FROM intro_request WHERE interaction_id"
	                       " IN (1, 2, 3)"), 0);
	kith_import_report_clear(&rep);
	free(e1);
	free(w1);
	free(w2);
	close_other(back);
	t_close(db);
}

/* A member's export holds the requests kith_intro_request_list gives
 * them: theirs, while every person on them is theirs to see. */
static void a_members_export_holds_their_requests(void **state)
{
	static const size_t want[3] = {11, NREQ, 1};
	kith_id m[3];
	kith_db *db = requests(m);
	kith_intro_request *v;
	kith_error err;
	size_t n, len;

	(void)state;
	for (int i = 0; i < 3; i++) {
		kith_db *view = t_viewer(m[i]);
		char *e = export_json(view, &len);
		assert_int_equal(kith_intro_request_list(db, m[i], KITH_INTRO_BOTH, NULL, &v, &n,
		                                         &err), KITH_OK);
		assert_int_equal(n, want[i]);
		assert_int_equal(requests_in(e), want[i]);
		kith_intro_request_list_free(v, n);
		free(e);
		kith_db_close(view);
	}
	t_close(db);
}

/* Through the server a member imports as themselves: a request is two
 * members', so none is written, and the report says so in one line. */
static void a_members_import_leaves_requests_out(void **state)
{
	kith_id m[3], zed;
	kith_db *db = requests(m), *back = open_other();
	kith_import_report rep;
	kith_error err;
	size_t n1;
	char *e1 = export_json(db, &n1);

	(void)state;
	assert_int_equal(kith_member_add(back, "zed", t_person(back, "Zed", NULL), &zed, &err),
	                 KITH_OK);
	assert_int_equal(kith_db_set_author(back, zed, 0, &err), KITH_OK);
	assert_int_equal(kith_import_buffer(back, e1, n1, NULL, &rep, &err), KITH_OK);
	assert_int_equal(t_int(back, "SELECT count(*) FROM intro_request"), 0);
	assert_int_equal(rep.skipped, NREQ);
	size_t said = 0;
	for (size_t i = 0; i < rep.nissues; i++)
		said += strstr(rep.issues[i].reason, "intro_requests: 13 left out") != NULL;
	assert_int_equal(said, 1);
	kith_import_report_clear(&rep);
	free(e1);
	close_other(back);
	t_close(db);
}

static void bad_requests_are_rejected_alone(void **state)
{
	kith_db *db = t_open();
	kith_import_report rep;
	kith_error err;
	static const char doc[] =
		"{\"format\": \"kith\", \"version\": 1,"
		" \"members\": [{\"id\": 1, \"name\": \"a\"}, {\"id\": 2, \"name\": \"b\"}],"
		" \"people\": [{\"id\": 1, \"name\": \"Ana\"}, {\"id\": 2, \"name\": \"Bo\"},"
		"  {\"id\": 3, \"name\": \"Cy\"}],"
		" \"intro_requests\": ["
		"  {\"id\": 1, \"asker\": 1, \"asked\": 2, \"target\": 3, \"chain\": [2, 3],"
		"   \"status\": \"made\", \"outcome\": \"met\", \"asked_at\": \"2026-01-01T00:00:00Z\"},"
		"  {\"id\": 2, \"asker\": 1, \"asked\": 2, \"target\": 3, \"chain\": [2, 3],"
		"   \"status\": \"pending\", \"asked_at\": 1},"
		"  {\"id\": 3, \"asker\": 1, \"asked\": 2, \"target\": 3, \"chain\": [2, 3],"
		"   \"status\": \"asked\", \"outcome\": \"met\", \"asked_at\": 1},"
		"  {\"id\": 4, \"asker\": 1, \"asked\": 2, \"target\": 3, \"chain\": [2, 1],"
		"   \"status\": \"asked\", \"asked_at\": 1},"
		"  {\"id\": 5, \"asker\": 1, \"asked\": 2, \"target\": 3, \"chain\": [9, 3],"
		"   \"status\": \"asked\", \"asked_at\": 1},"
		"  {\"id\": 6, \"asker\": 2, \"asked\": 2, \"target\": 3, \"chain\": [2, 3],"
		"   \"status\": \"asked\", \"asked_at\": 1},"
		"  {\"id\": 7, \"asker\": 1, \"asked\": 3, \"target\": 3, \"chain\": [2, 3],"
		"   \"status\": \"asked\", \"asked_at\": 1},"
		"  {\"id\": 8, \"asker\": 1, \"asked\": 2, \"target\": 3, \"chain\": [3],"
		"   \"status\": \"asked\", \"asked_at\": 1},"
		"  {\"id\": 9, \"asker\": 1, \"asked\": 2, \"target\": 3, \"chain\": [2, 3],"
		"   \"status\": \"asked\"}]}";

	(void)state;
	assert_int_equal(kith_import_buffer(db, doc, strlen(doc), NULL, &rep, &err), KITH_OK);
	assert_int_equal(rep.rejected, 8);
	assert_int_equal(t_int(db, "SELECT count(*) FROM intro_request"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM intro_request WHERE id = 1 AND chain = '2,3'"
	                       " AND outcome = 'met' AND answered_at IS NULL"), 1);
	kith_import_report_clear(&rep);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batches_keep_the_round_trip),
		cmocka_unit_test(bad_records_are_rejected_alone),
		cmocka_unit_test(settings_this_kith_has),
		cmocka_unit_test(intro_requests_round_trip),
		cmocka_unit_test(intro_requests_renumbered),
		cmocka_unit_test(a_members_export_holds_their_requests),
		cmocka_unit_test(a_members_import_leaves_requests_out),
		cmocka_unit_test(bad_requests_are_rejected_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
