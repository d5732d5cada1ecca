/* Who sees what (src/store/visibility.c): every table a member's view shadows,
 * checked against a filter computed here from the main tables; the
 * author's stamp on what a handle inserts; a hidden record answered
 * exactly as a missing one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <glib.h>

#include "support.h"

/* A second handle on the file: member m's view, or (m = 0) the
 * database's own, which sees everything. */
/* --- the truth, read from the main tables ------------------------------ */

#define MAXID 256

struct truth {
	int person[MAXID];            /* exists */
	int64_t powner[MAXID];        /* 0: nobody */
	int ppriv[MAXID];
	int org[MAXID];
	int64_t oowner[MAXID];
	int opriv[MAXID];
	kith_idv people[MAXID];       /* of each interaction */
};

static void truth_load(kith_db *db, struct truth *t)
{
	sqlite3_stmt *st;
	sqlite3 *h = kith_db_sqlite(db);

	memset(t, 0, sizeof(*t));
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT id, coalesce(owner, 0), private"
	                                    " FROM main.person", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		assert_true(id > 0 && id < MAXID);
		t->person[id] = 1;
		t->powner[id] = sqlite3_column_int64(st, 1);
		t->ppriv[id] = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT id, coalesce(owner, 0), private"
	                                    " FROM main.org", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		assert_true(id > 0 && id < MAXID);
		t->org[id] = 1;
		t->oowner[id] = sqlite3_column_int64(st, 1);
		t->opriv[id] = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT interaction_id, person_id"
	                                    " FROM main.interaction_person", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		assert_true(id > 0 && id < MAXID);
		kith_idv_push(&t->people[id], sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
}

static void truth_clear(struct truth *t)
{
	for (int i = 0; i < MAXID; i++)
		kith_idv_clear(&t->people[i]);
}

/* A record of its own privacy: team, or member m's. */
static int own_ok(int64_t owner, int priv, kith_id m)
{
	return !priv || owner == m;
}

static int sees_person(const struct truth *t, int64_t id, kith_id m)
{
	return id > 0 && id < MAXID && t->person[id] && own_ok(t->powner[id], t->ppriv[id], m);
}

static int sees_org(const struct truth *t, int64_t id, kith_id m)
{
	return id > 0 && id < MAXID && t->org[id] && own_ok(t->oowner[id], t->opriv[id], m);
}

/* An interaction shows when it is team or m's, and m sees all its people. */
static int sees_interaction(const struct truth *t, int64_t id, int64_t owner, int priv,
                            kith_id m)
{
	if (!own_ok(owner, priv, m))
		return 0;
	for (size_t i = 0; i < t->people[id].n; i++)
		if (!sees_person(t, t->people[id].v[i], m))
			return 0;
	return 1;
}

/* Column name of a row of st, as an integer (NULL: 0). */
static int64_t col(sqlite3_stmt *st, const char *name)
{
	for (int i = 0; i < sqlite3_column_count(st); i++)
		if (strcmp(sqlite3_column_name(st, i), name) == 0)
			return sqlite3_column_int64(st, i);
	fail_msg("no column %s", name);
	return 0;
}

/* Whether member m may see the row st of table. */
static int oracle(const struct truth *t, const char *table, sqlite3_stmt *st, kith_id m)
{
	if (strcmp(table, "person") == 0)
		return sees_person(t, col(st, "id"), m);
	if (strcmp(table, "org") == 0)
		return sees_org(t, col(st, "id"), m);
	if (strcmp(table, "person_email") == 0 || strcmp(table, "person_phone") == 0 ||
	    strcmp(table, "person_tag") == 0 || strcmp(table, "person_cadence") == 0)
		return sees_person(t, col(st, "person_id"), m);
	if (strcmp(table, "job") == 0)
		return sees_person(t, col(st, "person_id"), m) && sees_org(t, col(st, "org_id"), m);
	if (strcmp(table, "link") == 0)
		return own_ok(col(st, "owner"), (int)col(st, "private"), m) &&
		       sees_person(t, col(st, "a"), m) && sees_person(t, col(st, "b"), m);
	if (strcmp(table, "interaction") == 0)
		return sees_interaction(t, col(st, "id"), col(st, "owner"), (int)col(st, "private"), m);
	if (strcmp(table, "interaction_person") == 0) {
		int64_t id = col(st, "interaction_id");
		sqlite3_stmt *q;
		int vis;
		/* the interaction's own row, from the main table */
		assert_int_equal(sqlite3_prepare_v2(sqlite3_db_handle(st), "SELECT coalesce(owner, 0),"
		                 " private FROM main.interaction WHERE id = ?1", -1, &q, NULL),
		                 SQLITE_OK);
		sqlite3_bind_int64(q, 1, id);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		vis = sees_interaction(t, id, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1), m);
		sqlite3_finalize(q);
		return vis;
	}
	if (strcmp(table, "vouch") == 0)
		return sees_person(t, col(st, "voucher"), m) && sees_person(t, col(st, "subject"), m);
	if (strcmp(table, "note") == 0)
		return own_ok(col(st, "owner"), (int)col(st, "private"), m) &&
		       sees_person(t, col(st, "person_id"), m);
	if (strcmp(table, "intro_request") == 0) {
		/* its two members', while its target and chain ("1,2,3") show */
		const char *c = (const char *)sqlite3_column_text(st, 4);
		char *end;
		if (col(st, "asker") != m && col(st, "asked") != m)
			return 0;
		for (; c && *c; c = *end ? end + 1 : end)
			if (!sees_person(t, strtoll(c, &end, 10), m))
				return 0;
		return sees_person(t, col(st, "target"), m);
	}
	fail_msg("no rule for %s", table);
	return 0;
}

/* Every table a member's view shadows ("owner" is checked on its own). */
static const char *const shadowed[] = {
	"person", "org", "person_email", "person_phone", "person_tag", "person_cadence",
	"job", "link", "interaction", "interaction_person", "vouch", "note", "intro_request",
};
#define NSHADOWED (sizeof(shadowed) / sizeof(shadowed[0]))

static void row_text(sqlite3_stmt *st, GString *out)
{
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_NULL: g_string_append(out, "NULL"); break;
		case SQLITE_INTEGER:
			g_string_append_printf(out, "%lld", (long long)sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			g_string_append_printf(out, "%.17g", sqlite3_column_double(st, i));
			break;
		default:
			g_string_append_printf(out, "'%s'", sqlite3_column_text(st, i));
		}
		g_string_append_c(out, '|');
	}
	g_string_append_c(out, '\n');
}

/* The rows of `from` on h, in key order, that keep (m's oracle; NULL:
 * all) lets through; *n counts them. */
static char *rows(kith_db *h, const char *from, const char *table, const struct truth *t,
                  kith_id m, size_t *n)
{
	GString *out = g_string_new("");
	sqlite3_stmt *st;
	char q[160];

	snprintf(q, sizeof(q), "SELECT * FROM %s ORDER BY 1, 2", from);
	if (sqlite3_prepare_v2(kith_db_sqlite(h), q, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(kith_db_sqlite(h)));
	*n = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (!t || oracle(t, table, st, m)) {
			row_text(st, out);
			(*n)++;
		}
	sqlite3_finalize(st);
	return g_string_free(out, FALSE);
}

/* --- a random database ------------------------------------------------- */

#define NP 18
#define NO 6

struct world {
	kith_id m[2];
	kith_id p[NP], o[NO];
	size_t nlinks, nits, nnotes;
};

static unsigned roll(unsigned *seed, unsigned n)
{
	return (unsigned)rand_r(seed) % n;
}

/* Random owner and privacy for record id of table: team nobody's, team
 * a member's, private to a member, or private to nobody (which nobody
 * sees but the database's own handle). */
static void scramble(kith_db *db, const struct world *w, const char *table, kith_id id,
                     unsigned *seed)
{
	unsigned r = roll(seed, 12);
	kith_id owner = r < 6 ? 0 : w->m[r % 2];
	int priv = r >= 3 && r != 6 && r != 7;
	kith_error err;

	if (r == 11)
		owner = 0;
	if (kith_record_set_visibility(db, table, id, owner, priv, &err))
		fail_msg("%s #%lld: %s", table, (long long)id, err.msg);
}

static void build(kith_db *db, struct world *w, unsigned seed)
{
	static const char *const link_kinds[] = {"knows", "friend", "colleague", "mentor"};
	kith_error err;

	memset(w, 0, sizeof(*w));
	/* Hundreds of small commits: a test's file needs no fsync. */
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), "PRAGMA synchronous = OFF", NULL, NULL,
	                              NULL), SQLITE_OK);
	for (int i = 0; i < NP; i++) {
		kith_person p = {0};
		char s[64];
		snprintf(s, sizeof(s), "Person %02d", i);
		p.display_name = strdup(s);
		if (roll(&seed, 3)) {
			snprintf(s, sizeof(s), "p%02d@v.example", i);
			kith_strv_push(&p.emails, s);
		}
		if (roll(&seed, 2)) {
			snprintf(s, sizeof(s), "+33 6 00 00 00 %02d", i);
			kith_strv_push(&p.phones, s);
		}
		if (roll(&seed, 2))
			kith_strv_push(&p.tags, roll(&seed, 2) ? "rust" : "climbing");
		assert_int_equal(kith_person_add(db, &p, &err), KITH_OK);
		w->p[i] = p.id;
		kith_person_clear(&p);
		if (roll(&seed, 3) == 0)
			assert_int_equal(kith_cadence_set_person(db, w->p[i], 7 + i, &err), KITH_OK);
	}
	assert_int_equal(kith_member_add(db, "m0", w->p[0], &w->m[0], &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "m1", w->p[1], &w->m[1], &err), KITH_OK);
	for (int i = 0; i < NO; i++) {
		char s[32];
		snprintf(s, sizeof(s), "Org %d", i);
		assert_int_equal(kith_org_ensure(db, s, &w->o[i], &err), KITH_OK);
	}
	for (int k = 0; k < 30; k++) {
		kith_job j = {.person = w->p[roll(&seed, NP)], .org = w->o[roll(&seed, NO)]};
		assert_int_equal(kith_job_add(db, &j, &err), KITH_OK);
		kith_job_clear(&j);
	}
	for (int k = 0; k < 40; k++) {
		int a = (int)roll(&seed, NP), b = (int)roll(&seed, NP);
		if (a != b && t_link(db, w->p[a], w->p[b], link_kinds[roll(&seed, 4)], -1) == KITH_OK)
			w->nlinks++;
	}
	for (int k = 0; k < 40; k++) {
		kith_interaction it = {.kind = strdup(k % 2 ? "meeting" : "call"),
		                       .at = T_NOW - (int64_t)roll(&seed, 300) * 86400};
		size_t want = 2 + roll(&seed, 3);
		while (it.people.n < want) {
			kith_id x = w->p[roll(&seed, NP)];
			int dup = 0;
			for (size_t i = 0; i < it.people.n; i++)
				dup |= it.people.v[i] == x;
			if (!dup)
				kith_idv_push(&it.people, x);
		}
		assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
		kith_interaction_clear(&it);
		w->nits++;
	}
	for (int k = 0; k < 30; k++) {
		kith_vouch v = {.voucher = w->p[roll(&seed, NP)], .subject = w->p[roll(&seed, NP)]};
		if (v.voucher != v.subject)
			(void)kith_vouch_add(db, &v, NULL);  /* a pair twice: EEXISTS */
	}
	/* Introduction requests among m0, m1 and a third member who views
	 * nothing here, along chains of 2 to 4 random people (rows as
	 * src/record/intro_request.c writes them). */
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db), "INSERT INTO member(name, created)"
	                              " VALUES ('m2', 0)", NULL, NULL, NULL), SQLITE_OK);
	kith_id mm[3] = {w->m[0], w->m[1], (kith_id)sqlite3_last_insert_rowid(kith_db_sqlite(db))};
	for (int k = 0; k < 24; k++) {
		int a = (int)roll(&seed, 3), b = (a + 1 + (int)roll(&seed, 2)) % 3;
		char chain[64], q[200];
		kith_id last = 0;
		size_t len = 0;
		for (unsigned i = 0, n = 2 + roll(&seed, 3); i < n; i++)
			len += (size_t)snprintf(chain + len, sizeof(chain) - len, "%s%lld", i ? "," : "",
			                        (long long)(last = w->p[roll(&seed, NP)]));
		snprintf(q, sizeof(q), "INSERT INTO intro_request(asker, asked, target, chain, asked_at)"
		         " VALUES (%lld, %lld, %lld, '%s', 1)", (long long)mm[a], (long long)mm[b],
		         (long long)last, chain);
		assert_int_equal(sqlite3_exec(kith_db_sqlite(db), q, NULL, NULL, NULL), SQLITE_OK);
	}
	for (int k = 0; k < 30; k++) {
		kith_note n = {.person = w->p[roll(&seed, NP)], .body = "a note"};
		assert_int_equal(kith_note_add(db, &n, &err), KITH_OK);
		w->nnotes++;
	}
	for (int i = 0; i < NP; i++)
		scramble(db, w, "person", w->p[i], &seed);
	for (int i = 0; i < NO; i++)
		scramble(db, w, "org", w->o[i], &seed);
	for (size_t i = 1; i <= w->nlinks; i++)
		scramble(db, w, "link", (kith_id)i, &seed);
	for (size_t i = 1; i <= w->nits; i++)
		scramble(db, w, "interaction", (kith_id)i, &seed);
	for (size_t i = 1; i <= w->nnotes; i++)
		scramble(db, w, "note", (kith_id)i, &seed);
}

/* For several random databases, each member's view of every shadowed
 * table is exactly the rows the rules let through, and a handle without
 * a viewer reads every row. */
static void views_match_the_rules(void **state)
{
	size_t hidden[NSHADOWED][2] = {{0}}, shown[NSHADOWED][2] = {{0}};

	(void)state;
	for (unsigned seed = 1; seed <= 6; seed++) {
		kith_db *db = t_open(), *own, *v[2], *sw;
		struct world w;
		struct truth t;

		build(db, &w, seed);
		truth_load(db, &t);
		own = t_viewer(0);
		v[0] = t_viewer(w.m[0]);
		v[1] = t_viewer(w.m[1]);
		/* One handle that sees as one member, then the other, then
		 * back (the server's read handle): the same rows as each
		 * member's own handle. */
		sw = t_viewer(w.m[1]);
		for (size_t k = 0; k < NSHADOWED; k++) {
			const char *tb = shadowed[k];
			char main_name[64];
			size_t nall, nown, ngot, nwant;
			snprintf(main_name, sizeof(main_name), "main.%s", tb);
			char *all = rows(db, main_name, tb, NULL, 0, &nall);
			char *mine = rows(own, tb, tb, NULL, 0, &nown);
			assert_string_equal(mine, all);  /* the database's own handle */
			free(mine);
			for (int i = 0; i < 2; i++) {
				char *got = rows(v[i], tb, tb, NULL, 0, &ngot);
				char *want = rows(db, main_name, tb, &t, w.m[i], &nwant);
				if (strcmp(got, want) != 0)
					fail_msg("seed %u, %s, member %d sees\n%s\nthe rules say\n%s", seed,
					         tb, i, got, want);
				shown[k][i] += ngot;
				hidden[k][i] += nall - ngot;
				assert_int_equal(kith_db_set_viewer(sw, w.m[i], NULL), KITH_OK);
				char *sgot = rows(sw, tb, tb, NULL, 0, &ngot);
				assert_string_equal(sgot, got);
				free(sgot);
				free(got);
				free(want);
			}
			free(all);
		}
		/* "owner": the member's own person, whatever the main row says. */
		for (int i = 0; i < 2; i++) {
			char q[80];
			snprintf(q, sizeof(q), "SELECT count(*) FROM owner WHERE id = 1 AND person_id = %lld",
			         (long long)w.p[i]);
			assert_int_equal(t_int(v[i], q), 1);
			assert_int_equal(t_int(v[i], "SELECT count(*) FROM owner"), 1);
			assert_int_equal(kith_me(v[i]), w.p[i]);
		}
		assert_int_equal(t_int(own, "SELECT count(*) FROM owner WHERE person_id IS NULL"), 1);
		/* The views are these tables and no more (a new one needs a rule here). */
		char *names = rows(v[0], "(SELECT name, type FROM sqlite_temp_schema"
		                   " WHERE type = 'view')", "", NULL, 0, &(size_t){0});
		assert_string_equal(names, "'interaction'|'view'|\n'interaction_person'|'view'|\n"
		                    "'intro_request'|'view'|\n"
		                    "'job'|'view'|\n'link'|'view'|\n'note'|'view'|\n'org'|'view'|\n"
		                    "'owner'|'view'|\n'person'|'view'|\n'person_cadence'|'view'|\n"
		                    "'person_email'|'view'|\n'person_phone'|'view'|\n"
		                    "'person_tag'|'view'|\n'vouch'|'view'|\n");
		free(names);
		truth_clear(&t);
		kith_db_close(v[0]);
		kith_db_close(v[1]);
		kith_db_close(sw);
		kith_db_close(own);
		t_close(db);
	}
	/* Each table had rows each member sees and rows they do not: the
	 * databases exercised the rules. */
	for (size_t k = 0; k < NSHADOWED; k++)
		for (int i = 0; i < 2; i++)
			if (shown[k][i] < 5 || hidden[k][i] < 5)
				fail_msg("%s, member %d: %zu shown, %zu hidden", shadowed[k], i,
				         shown[k][i], hidden[k][i]);
}

/* The same rules one by one, on a picture small enough to read: what
 * touches a person a member cannot see is hidden from them, whoever owns
 * it and however team it is. */
static void what_touches_a_hidden_person(void **state)
{
	kith_db *db = t_open(), *va, *vb;
	kith_id alex = t_person(db, "Alex", NULL), bo = t_person(db, "Bo", NULL);
	kith_id team = t_person(db, "Team Mate", "team@v.example"), ma, mb, secret, acme, vault;
	kith_error err;

	(void)state;
	assert_int_equal(kith_member_add(db, "alex", alex, &ma, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "bo", bo, &mb, &err), KITH_OK);
	{
		kith_person p = {.display_name = strdup("Secret Source")};
		kith_strv_push(&p.emails, "src@v.example");
		kith_strv_push(&p.phones, "+1 555 0100");
		kith_strv_push(&p.tags, "source");
		assert_int_equal(kith_person_add(db, &p, &err), KITH_OK);
		secret = p.id;
		kith_person_clear(&p);
	}
	assert_int_equal(kith_cadence_set_person(db, secret, 30, &err), KITH_OK);
	assert_int_equal(kith_org_ensure(db, "Acme", &acme, &err), KITH_OK);
	assert_int_equal(kith_org_ensure(db, "Vault", &vault, &err), KITH_OK);
	kith_job j1 = {.person = secret, .org = acme}, j2 = {.person = team, .org = vault};
	kith_job j3 = {.person = team, .org = acme};
	assert_int_equal(kith_job_add(db, &j1, &err), KITH_OK);
	assert_int_equal(kith_job_add(db, &j2, &err), KITH_OK);
	assert_int_equal(kith_job_add(db, &j3, &err), KITH_OK);
	/* Team records all, by nobody, before anything is made private. */
	assert_int_equal(t_link(db, team, secret, "friend", -1), KITH_OK);
	assert_int_equal(t_link(db, alex, team, "knows", -1), KITH_OK);
	kith_interaction it = {.kind = strdup("meeting"), .at = T_NOW - 86400};
	kith_idv_push(&it.people, alex);
	kith_idv_push(&it.people, team);
	kith_idv_push(&it.people, secret);
	assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
	kith_interaction_clear(&it);
	kith_interaction it2 = {.kind = strdup("call"), .at = T_NOW - 86400};
	kith_idv_push(&it2.people, alex);
	kith_idv_push(&it2.people, team);
	assert_int_equal(kith_interaction_add(db, &it2, &err), KITH_OK);
	kith_interaction_clear(&it2);
	kith_vouch vo = {.voucher = secret, .subject = team};
	assert_int_equal(kith_vouch_add(db, &vo, &err), KITH_OK);
	kith_note n1 = {.person = secret, .body = "team note on the source"};
	kith_note n2 = {.person = team, .body = "bo's private note", .owner = mb, .priv = 1};
	assert_int_equal(kith_note_add(db, &n1, &err), KITH_OK);
	assert_int_equal(kith_note_add(db, &n2, &err), KITH_OK);
	/* Now the source is bo's, and so is the vault. */
	assert_int_equal(kith_record_set_visibility(db, "person", secret, mb, 1, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "org", vault, mb, 1, &err), KITH_OK);
	/* No row of anyone else's was rewritten. */
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE private OR owner IS NOT NULL"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM interaction WHERE private"), 0);

	va = t_viewer(ma);
	vb = t_viewer(mb);
	/* Bo sees it all. */
	assert_int_equal(t_int(vb, "SELECT count(*) FROM person"), 4);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM org"), 2);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM job"), 3);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM link"), 2);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM interaction"), 2);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM interaction_person"), 5);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM vouch"), 1);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM note"), 2);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM person_email"), 2);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM person_phone"), 1);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM person_tag"), 1);
	assert_int_equal(t_int(vb, "SELECT count(*) FROM person_cadence"), 1);
	/* Alex: no source, nor anything of theirs. */
	assert_int_equal(t_int(va, "SELECT count(*) FROM person WHERE id = 4"), 0);
	assert_int_equal(t_int(va, "SELECT count(*) FROM person_email"), 1);   /* team's */
	assert_int_equal(t_int(va, "SELECT count(*) FROM person_phone"), 0);
	assert_int_equal(t_int(va, "SELECT count(*) FROM person_tag"), 0);
	assert_int_equal(t_int(va, "SELECT count(*) FROM person_cadence"), 0);
	/* the team link to the source goes, the other stays */
	assert_int_equal(t_int(va, "SELECT count(*) FROM link"), 1);
	assert_int_equal(t_int(va, "SELECT count(*) FROM link WHERE a = 4 OR b = 4"), 0);
	/* the meeting had the source in it: gone whole, with its people rows */
	assert_int_equal(t_int(va, "SELECT count(*) FROM interaction WHERE kind = 'call'"), 1);
	assert_int_equal(t_int(va, "SELECT count(*) FROM interaction_person"), 2);
	assert_int_equal(t_int(va, "SELECT count(*) FROM interaction_person WHERE person_id = 1"), 1);
	/* the vouch by the source, the team note on them, bo's private note */
	assert_int_equal(t_int(va, "SELECT count(*) FROM vouch"), 0);
	assert_int_equal(t_int(va, "SELECT count(*) FROM note"), 0);
	/* jobs: the source's at a team org, the team mate's at bo's vault */
	assert_int_equal(t_int(va, "SELECT count(*) FROM org"), 1);
	assert_int_equal(t_int(va, "SELECT count(*) FROM job"), 1);
	assert_int_equal(t_int(va, "SELECT person_id * 100 + org_id FROM job"), team * 100 + acme);
	/* Through the library's reads too. */
	kith_job *jobs;
	size_t n;
	assert_int_equal(kith_job_list(va, team, &jobs, &n, &err), KITH_OK);
	kith_job_list_free(jobs, n);
	assert_int_equal(n, 1);
	kith_vouch *vs;
	assert_int_equal(kith_vouch_list(va, team, &vs, &n, &err), KITH_OK);
	kith_vouch_list_free(vs, n);
	assert_int_equal(n, 0);
	assert_int_equal(kith_cadence_person(va, secret), 0);
	kith_db_close(va);
	kith_db_close(vb);

	/* Team again: Alex gets every row back as it was. */
	assert_int_equal(kith_record_set_visibility(db, "person", secret, 0, 0, &err), KITH_OK);
	va = t_viewer(ma);
	assert_int_equal(t_int(va, "SELECT count(*) FROM link"), 2);
	assert_int_equal(t_int(va, "SELECT count(*) FROM interaction_person"), 5);
	assert_int_equal(t_int(va, "SELECT count(*) FROM vouch"), 1);
	assert_int_equal(t_int(va, "SELECT count(*) FROM note"), 1);  /* bo's stays bo's */
	assert_int_equal(t_int(va, "SELECT count(*) FROM job"), 2);   /* not the vault */
	kith_db_close(va);
	t_close(db);
}

/* What a handle inserts carries its author: owner and privacy on people,
 * orgs, links, interactions and notes; privacy only ever added. */
static void author_stamps(void **state)
{
	kith_db *db = t_open();
	kith_id alex = t_person(db, "Alex", NULL), bo = t_person(db, "Bo", NULL), ma, mb;
	kith_id x, y, org;
	kith_error err;
	char q[200];

	(void)state;
	assert_int_equal(kith_member_add(db, "alex", alex, &ma, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "bo", bo, &mb, &err), KITH_OK);
	static const char *const stamped[] = {"person", "org", "link", "interaction", "note"};
	for (int round = 0; round < 3; round++) {
		kith_id who = round == 0 ? ma : round == 1 ? mb : 0;
		int priv = round == 0;
		char name[32];
		assert_int_equal(kith_db_set_author(db, who, priv, &err), KITH_OK);
		snprintf(name, sizeof(name), "X%d", round);
		x = t_person(db, name, NULL);
		snprintf(name, sizeof(name), "Y%d", round);
		y = t_person(db, name, NULL);
		snprintf(name, sizeof(name), "Org %d", round);
		assert_int_equal(kith_org_ensure(db, name, &org, &err), KITH_OK);
		assert_int_equal(t_link(db, x, y, "knows", -1), KITH_OK);
		kith_interaction it = {.kind = strdup("call"), .at = T_NOW};
		kith_idv_push(&it.people, x);
		kith_idv_push(&it.people, y);
		assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
		kith_interaction_clear(&it);
		kith_note n = {.person = x, .body = "hi"};
		assert_int_equal(kith_note_add(db, &n, &err), KITH_OK);
		for (int k = 0; k < 5; k++) {
			snprintf(q, sizeof(q), "SELECT coalesce(owner, 0) * 10 + private FROM %s"
			         " ORDER BY id DESC LIMIT 1", stamped[k]);
			if (t_int(db, q) != who * 10 + priv)
				fail_msg("round %d, %s: owner*10+private %lld, want %lld", round,
				         stamped[k], (long long)t_int(db, q), (long long)(who * 10 + priv));
		}
	}
	/* Jobs, emails and the like carry none: they are their person's. */
	assert_int_equal(kith_db_set_author(db, ma, 1, &err), KITH_OK);
	kith_job j = {.person = alex, .org = org};
	assert_int_equal(kith_job_add(db, &j, &err), KITH_OK);
	/* An explicit private note under a team author stays private, and its
	 * own owner stays. */
	assert_int_equal(kith_db_set_author(db, mb, 0, &err), KITH_OK);
	kith_note n = {.person = alex, .body = "mine", .owner = ma, .priv = 1};
	assert_int_equal(kith_note_add(db, &n, &err), KITH_OK);
	snprintf(q, sizeof(q), "SELECT owner * 10 + private FROM note WHERE id = %lld",
	         (long long)n.id);
	assert_int_equal(t_int(db, q), ma * 10 + 1);
	/* A team author linking to a private person: the link is private by
	 * its end, the schema's doing, which the stamp does not undo. */
	assert_int_equal(kith_db_set_author(db, ma, 1, &err), KITH_OK);
	kith_id hidden = t_person(db, "Hidden", NULL);
	assert_int_equal(kith_db_set_author(db, mb, 0, &err), KITH_OK);
	assert_int_equal(t_link(db, bo, hidden, "knows", -1), KITH_OK);
	assert_int_equal(t_int(db, "SELECT private FROM link ORDER BY id DESC LIMIT 1"), 1);
	/* Author 0 stops the stamping. */
	assert_int_equal(kith_db_set_author(db, 0, 1, &err), KITH_OK);
	x = t_person(db, "Nobody's", NULL);
	snprintf(q, sizeof(q), "SELECT owner IS NULL AND NOT private FROM person WHERE id = %lld",
	         (long long)x);
	assert_int_equal(t_int(db, q), 1);
	t_close(db);
}

/* Replaces each run of digits in s by '#'. */
static void no_digits(const char *s, char *out, size_t sz)
{
	size_t o = 0;

	for (; *s && o + 1 < sz; s++)
		if (*s < '0' || *s > '9')
			out[o++] = *s;
		else if (!o || out[o - 1] != '#')
			out[o++] = '#';
	out[o] = '\0';
}

/* kith_record_visibility on a viewer: a record hidden from the member is
 * answered as one that does not exist, code and words. */
static void hidden_is_missing(void **state)
{
	kith_db *db = t_open(), *va, *vb;
	kith_id alex = t_person(db, "Alex", NULL), bo = t_person(db, "Bo", NULL);
	kith_id ma, mb, ids[5];
	static const char *const tables[] = {"person", "org", "link", "interaction", "note"};
	kith_error err;

	(void)state;
	assert_int_equal(kith_member_add(db, "alex", alex, &ma, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "bo", bo, &mb, &err), KITH_OK);
	/* One record of each, private to bo. */
	assert_int_equal(kith_db_set_author(db, mb, 1, &err), KITH_OK);
	ids[0] = t_person(db, "Bo's", NULL);
	assert_int_equal(kith_org_ensure(db, "Bo's Org", &ids[1], &err), KITH_OK);
	assert_int_equal(t_link(db, alex, bo, "knows", -1), KITH_OK);
	ids[2] = t_int(db, "SELECT max(id) FROM link");
	kith_interaction it = {.kind = strdup("call"), .at = T_NOW};
	kith_idv_push(&it.people, alex);
	kith_idv_push(&it.people, bo);
	assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
	ids[3] = it.id;
	kith_interaction_clear(&it);
	kith_note n = {.person = alex, .body = "x"};
	assert_int_equal(kith_note_add(db, &n, &err), KITH_OK);
	ids[4] = n.id;
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);

	va = t_viewer(ma);
	vb = t_viewer(mb);
	for (int k = 0; k < 5; k++) {
		kith_id owner = -1;
		int priv = -1, rc_hidden, rc_missing;
		kith_error eh, em;
		char h[sizeof(eh.msg)], m[sizeof(em.msg)], want[80];
		/* bo, and the database's own handle, see it */
		assert_int_equal(kith_record_visibility(vb, tables[k], ids[k], &owner, &priv, &err),
		                 KITH_OK);
		assert_int_equal(owner, mb);
		assert_int_equal(priv, 1);
		assert_int_equal(kith_record_visibility(db, tables[k], ids[k], &owner, &priv, &err),
		                 KITH_OK);
		/* alex: as if there were none */
		rc_hidden = kith_record_visibility(va, tables[k], ids[k], &owner, &priv, &eh);
		rc_missing = kith_record_visibility(va, tables[k], 999, &owner, &priv, &em);
		assert_int_equal(rc_hidden, KITH_ENOTFOUND);
		assert_int_equal(rc_missing, KITH_ENOTFOUND);
		snprintf(want, sizeof(want), "no %s #%lld", tables[k], (long long)ids[k]);
		assert_string_equal(eh.msg, want);
		no_digits(eh.msg, h, sizeof(h));
		no_digits(em.msg, m, sizeof(m));
		assert_string_equal(h, m);
	}
	/* One handle switched between them answers as each, with the
	 * statements it keeps prepared. */
	kith_db *sw = t_viewer(mb);
	for (int round = 0; round < 3; round++) {
		for (int k = 0; k < 5; k++) {
			kith_id owner;
			int priv;
			assert_int_equal(kith_db_set_viewer(sw, mb, &err), KITH_OK);
			assert_int_equal(kith_record_visibility(sw, tables[k], ids[k], &owner, &priv,
			                                        &err), KITH_OK);
			assert_int_equal(kith_me(sw), bo);
			assert_int_equal(kith_db_set_viewer(sw, ma, &err), KITH_OK);
			assert_int_equal(kith_record_visibility(sw, tables[k], ids[k], &owner, &priv,
			                                        &err), KITH_ENOTFOUND);
			assert_int_equal(kith_me(sw), alex);
		}
	}
	/* Not while a statement is under way (it saw the viewer as it
	 * started), nor inside a transaction. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(sw), "SELECT id FROM person", -1,
	                                    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(kith_db_set_viewer(sw, mb, &err), KITH_EINTERNAL);
	assert_int_equal(kith_me(sw), alex);
	sqlite3_reset(st);
	assert_int_equal(kith_db_begin_read(sw, &err), KITH_OK);
	assert_int_equal(kith_db_set_viewer(sw, mb, &err), KITH_EINTERNAL);
	assert_int_equal(kith_db_commit(sw, &err), KITH_OK);
	assert_int_equal(kith_db_set_viewer(sw, mb, &err), KITH_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), alex);
	sqlite3_finalize(st);
	assert_int_equal(kith_me(sw), bo);
	kith_db_close(sw);
	/* Tables without visibility are no question for it. */
	kith_id o;
	int p;
	assert_int_equal(kith_record_visibility(va, "job", 1, &o, &p, &err), KITH_EINTERNAL);
	/* Only a read-only handle becomes a viewer, of a member. */
	assert_int_equal(kith_db_set_viewer(db, ma, &err), KITH_EINTERNAL);
	kith_db *ro;
	assert_int_equal(kith_db_open(t_path(), KITH_OPEN_READONLY, &ro, &err), KITH_OK);
	assert_int_equal(kith_db_set_viewer(ro, 0, &err), KITH_EINVAL);
	kith_db_close(ro);
	/* A viewer writes nothing through its views. */
	assert_int_not_equal(sqlite3_exec(kith_db_sqlite(va), "DELETE FROM person", NULL, NULL,
	                                  NULL), SQLITE_OK);
	kith_db_close(va);
	kith_db_close(vb);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(views_match_the_rules),
		cmocka_unit_test(what_touches_a_hidden_person),
		cmocka_unit_test(author_stamps),
		cmocka_unit_test(hidden_is_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
