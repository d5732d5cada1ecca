/* Two records of one person become one (src/record/merge.c: kith_person_merge),
 * and the pairs that may be one person (kith_dupes_find). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <glib.h>

#include "support.h"
#include "kith/import.h"
#include "kith/score.h"

static void sql(kith_db *db, const char *q)
{
	char *msg = NULL;

	if (sqlite3_exec(kith_db_sqlite(db), q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
}

/* One text value of a query (heap; "" for none or NULL). */
static char *text(kith_db *db, const char *q)
{
	sqlite3_stmt *st;
	char *out;

	if (sqlite3_prepare_v2(kith_db_sqlite(db), q, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(kith_db_sqlite(db)));
	out = strdup(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)
	             ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return out;
}

static void text_is(kith_db *db, const char *q, const char *want)
{
	char *got = text(db, q);

	if (strcmp(got, want) != 0)
		fail_msg("%s\n  gives '%s'\n  want  '%s'", q, got, want);
	free(got);
}

static kith_id person(kith_db *db, const char *name, const char *given, const char *family,
                      const char *city, const char *country, const char *notes,
                      const char *emails, const char *phones, const char *tags)
{
	kith_person p = {0};
	gchar **v;
	kith_error err;

	p.display_name = strdup(name);
	p.given_name = given ? strdup(given) : NULL;
	p.family_name = family ? strdup(family) : NULL;
	p.city = city ? strdup(city) : NULL;
	p.country = country ? strdup(country) : NULL;
	p.notes = notes ? strdup(notes) : NULL;
	const char *lists[3] = {emails, phones, tags};
	kith_strv *into[3] = {&p.emails, &p.phones, &p.tags};
	for (int i = 0; i < 3; i++) {
		if (!lists[i])
			continue;
		v = g_strsplit(lists[i], "|", -1);
		for (gchar **s = v; *s; s++)
			kith_strv_push(into[i], *s);
		g_strfreev(v);
	}
	if (kith_person_add(db, &p, &err))
		fail_msg("add %s: %s", name, err.msg);
	kith_id id = p.id;
	kith_person_clear(&p);
	return id;
}

static kith_id talk(kith_db *db, const char *kind, int64_t ago_days, kith_id initiator,
                    kith_id giver, kith_id a, kith_id b, kith_id c)
{
	kith_interaction it = {.kind = strdup(kind), .at = T_NOW - ago_days * 86400,
	                       .initiator = initiator, .giver = giver, .value = giver ? 1 : 0};
	kith_error err;

	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	if (c)
		kith_idv_push(&it.people, c);
	if (kith_interaction_add(db, &it, &err))
		fail_msg("talk: %s", err.msg);
	kith_interaction_clear(&it);
	return it.id;
}

/* Every row of every table (the pair cache as its rows), as text: what a
 * refused merge must leave exactly as it was. */
static char *dump(kith_db *db)
{
	sqlite3 *h = kith_db_sqlite(db);
	GString *out = g_string_new("");
	sqlite3_stmt *tables, *st;

	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_schema WHERE type = 'table'"
	                                    " UNION ALL SELECT 'kith_pairs' ORDER BY 1", -1,
	                                    &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char q[200];
		snprintf(q, sizeof(q), "SELECT * FROM \"%s\" ORDER BY 1", sqlite3_column_text(tables, 0));
		g_string_append_printf(out, "-- %s\n", sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				if (sqlite3_column_type(st, i) == SQLITE_BLOB) {
					const unsigned char *b = sqlite3_column_blob(st, i);
					for (int k = 0; k < sqlite3_column_bytes(st, i); k++)
						g_string_append_printf(out, "%02x", b[k]);
				} else if (sqlite3_column_type(st, i) == SQLITE_FLOAT) {
					g_string_append_printf(out, "%.17g", sqlite3_column_double(st, i));
				} else if (sqlite3_column_type(st, i) == SQLITE_NULL) {
					g_string_append(out, "NULL");
				} else {
					g_string_append(out, (const char *)sqlite3_column_text(st, i));
				}
				g_string_append_c(out, '|');
			}
			g_string_append_c(out, '\n');
		}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	return g_string_free(out, FALSE);
}

/* --- fields ------------------------------------------------------------ */

static void fields(void **state)
{
	kith_db *db = t_open();
	kith_id keep = person(db, "Zoë Dupont", NULL, "Dupont", NULL, "France", "met at RustConf",
	                      "zoe@a.example", "+33 6 12 34 56 78", "rust");
	kith_id gone = person(db, "Z. Dupond", "Zoë", "Dupond", "Lyon", "Suisse", "climbs",
	                      "zoe@b.example|Zoe.D@c.example", "0033 6 12 34 56 78|+1 555 0100",
	                      "climbing|rust");
	kith_person *p;
	kith_error err;

	(void)state;
	assert_int_equal(kith_person_merge(db, keep, gone, &err), KITH_OK);
	assert_int_equal(kith_person_get(db, gone, &p, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_get(db, keep, &p, &err), KITH_OK);
	/* keep's fields win; gone's fill the gaps */
	assert_string_equal(p->display_name, "Zoë Dupont");
	assert_string_equal(p->given_name, "Zoë");
	assert_string_equal(p->family_name, "Dupont");
	assert_string_equal(p->city, "Lyon");
	assert_string_equal(p->country, "France");
	/* notes: both, keep's first */
	assert_string_equal(p->notes, "met at RustConf\nclimbs");
	/* sets: the union, keep's first, a phone once whatever its form */
	assert_int_equal(p->emails.n, 3);
	assert_string_equal(p->emails.v[0], "zoe@a.example");
	assert_string_equal(p->emails.v[1], "zoe@b.example");
	assert_string_equal(p->emails.v[2], "Zoe.D@c.example");
	assert_int_equal(p->phones.n, 2);
	assert_string_equal(p->phones.v[0], "+33 6 12 34 56 78");
	assert_string_equal(p->phones.v[1], "+1 555 0100");
	assert_int_equal(p->tags.n, 2);
	assert_int_equal(kith_strv_find(&p->tags, "rust") >= 0, 1);
	assert_int_equal(kith_strv_find(&p->tags, "climbing") >= 0, 1);
	kith_person_free(p);
	/* nothing of gone's left in the side tables, search finds keep by
	 * gone's address */
	assert_int_equal(t_int(db, "SELECT (SELECT count(*) FROM person_email WHERE person_id = 2)"
	                       " + (SELECT count(*) FROM person_phone WHERE person_id = 2)"
	                       " + (SELECT count(*) FROM person_tag WHERE person_id = 2)"), 0);
	assert_int_equal(t_int(db, "SELECT rowid FROM person_fts WHERE person_fts MATCH 'climbing'"),
	                 keep);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_fts"), 1);

	/* A name that is only an address gives way to a real one; notes that
	 * keep has already are not doubled. */
	kith_id k2 = person(db, "kim@x.example", NULL, NULL, NULL, NULL, "old friend; climbs",
	                    "kim@x.example", NULL, NULL);
	kith_id g2 = person(db, "Kim Lee", "Kim", "Lee", NULL, NULL, "climbs", NULL, NULL, NULL);
	assert_int_equal(kith_person_merge(db, k2, g2, &err), KITH_OK);
	assert_int_equal(kith_person_get(db, k2, &p, &err), KITH_OK);
	assert_string_equal(p->display_name, "Kim Lee");
	assert_string_equal(p->notes, "old friend; climbs");
	assert_string_equal(p->family_name, "Lee");
	kith_person_free(p);
	t_close(db);
}

/* --- links ------------------------------------------------------------- */

static void links(void **state)
{
	kith_db *db = t_open();
	kith_id keep = person(db, "Keep", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_id gone = person(db, "Gone", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_id a = person(db, "Ana", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_id b = person(db, "Ben", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_id c = person(db, "Cy", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_id d = person(db, "Di", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_error err;

	(void)state;
	assert_true(keep == 1 && gone == 2 && a == 3 && b == 4 && c == 5 && d == 6);
	sql(db, "INSERT INTO link(id, a, b, kind, since, trust, notes, asserted_by, created, updated)"
	        " VALUES"
	        /* the same friend link both had: folded */
	        " (1, 1, 3, 'friend', '2015', 0.4, 'school', NULL, 0, 0),"
	        " (2, 3, 2, 'friend', '2018', 0.9, 'climbing', NULL, 0, 0),"
	        /* another kind to the same person: moved */
	        " (3, 2, 3, 'colleague', NULL, NULL, NULL, NULL, 0, 0),"
	        /* between the two: goes */
	        " (4, 1, 2, 'knows', NULL, NULL, NULL, NULL, 0, 0),"
	        /* directed, gone at either end: moved with their direction */
	        " (5, 4, 2, 'mentor', NULL, NULL, NULL, NULL, 0, 0),"
	        " (6, 2, 5, 'mentor', NULL, NULL, NULL, NULL, 0, 0),"
	        /* keep had none to Di */
	        " (7, 2, 6, 'friend', '2020', NULL, 'gym', NULL, 0, 0),"
	        /* folded where keep's has no trust, since or notes */
	        " (8, 1, 4, 'family', NULL, NULL, NULL, NULL, 0, 0),"
	        " (9, 4, 2, 'family', '2001', 0.5, 'cousins', NULL, 0, 0),"
	        /* folded with the same notes: once */
	        " (10, 1, 5, 'knows', NULL, 0.7, 'same', NULL, 0, 0),"
	        " (11, 2, 5, 'knows', NULL, 0.2, 'same', NULL, 0, 0),"
	        /* gone only vouches for it */
	        " (12, 3, 5, 'friend', NULL, NULL, NULL, 2, 0, 0)");
	assert_int_equal(kith_person_merge(db, keep, gone, &err), KITH_OK);
	text_is(db, "SELECT group_concat(r, ' ') FROM (SELECT id || ':' || a || '-' || b || ','"
	            " || kind || ',' || coalesce(since, '') || ',' || coalesce(trust, '') || ','"
	            " || coalesce(replace(notes, char(10), '/'), '') || ','"
	            " || coalesce(asserted_by, '') AS r FROM link ORDER BY id)",
	        "1:1-3,friend,2015,0.9,school/climbing, "
	        "3:1-3,colleague,,,, "
	        "5:4-1,mentor,,,, "
	        "6:1-5,mentor,,,, "
	        "7:1-6,friend,2020,,gym, "
	        "8:1-4,family,2001,0.5,cousins, "
	        "10:1-5,knows,,0.7,same, "
	        "12:3-5,friend,,,,1");
	/* No link of gone's is left, none to keep themselves. */
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE 2 IN (a, b) OR a = b"), 0);
	t_close(db);
}

/* --- interactions, notes, jobs, the rest ------------------------------- */

static void job(kith_db *db, kith_id who, kith_id org, const char *title, const char *from)
{
	kith_job j = {.person = who, .org = org, .title = title ? strdup(title) : NULL,
	              .from = from ? strdup(from) : NULL};
	kith_error err;

	if (kith_job_add(db, &j, &err))
		fail_msg("job: %s", err.msg);
	kith_job_clear(&j);
}

static void interactions_and_the_rest(void **state)
{
	kith_db *db = t_open();
	kith_id keep = person(db, "Keep", NULL, NULL, NULL, NULL, NULL, "k@x.example", NULL, NULL);
	kith_id gone = person(db, "Gone", NULL, NULL, NULL, NULL, NULL, "g@x.example", NULL, NULL);
	kith_id a = person(db, "Ana", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_id b = person(db, "Ben", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	kith_id m, acme, helios;
	kith_error err;

	(void)state;
	/* interactions */
	talk(db, "meeting", 1, 0, 0, keep, gone, 0);        /* 1: only the two: goes */
	talk(db, "meeting", 2, gone, 0, keep, gone, a);     /* 2: keep and Ana, once */
	talk(db, "email", 3, gone, 0, gone, b, 0);          /* 3: keep and Ben, keep started */
	talk(db, "favour", 4, 0, gone, gone, a, 0);         /* 4: keep gave (and so started) */
	talk(db, "call", 5, a, 0, keep, a, 0);              /* 5: untouched */
	/* notes, one a member's private one */
	assert_int_equal(kith_member_add(db, "bo", b, &m, &err), KITH_OK);
	kith_note n1 = {.person = gone, .body = "gone's note"};
	kith_note n2 = {.person = gone, .body = "bo's private note", .owner = m, .priv = 1};
	kith_note n3 = {.person = keep, .body = "keep's note"};
	assert_int_equal(kith_note_add(db, &n1, &err), KITH_OK);
	assert_int_equal(kith_note_add(db, &n2, &err), KITH_OK);
	assert_int_equal(kith_note_add(db, &n3, &err), KITH_OK);
	/* jobs: one both had, one of gone's own */
	assert_int_equal(kith_org_ensure(db, "Acme", &acme, &err), KITH_OK);
	assert_int_equal(kith_org_ensure(db, "Helios", &helios, &err), KITH_OK);
	job(db, keep, acme, "CTO", "2019");
	job(db, gone, acme, "cto", "2019");
	job(db, gone, helios, "Advisor", NULL);
	job(db, gone, acme, "CTO", "2020");
	/* vouches: between the two, for the same subject, by the same voucher */
	sql(db, "INSERT INTO vouch(voucher, subject, recorded_by, created) VALUES"
	        " (1, 2, NULL, 0), (2, 1, NULL, 0), (1, 3, NULL, 0), (2, 3, 2, 0),"
	        " (4, 1, NULL, 0), (4, 2, NULL, 0), (2, 4, NULL, 0)");
	/* cadences: the closer one; gone was me; gone's import key */
	assert_int_equal(kith_cadence_set_person(db, keep, 30, &err), KITH_OK);
	assert_int_equal(kith_cadence_set_person(db, gone, 14, &err), KITH_OK);
	assert_int_equal(kith_set_me(db, gone, &err), KITH_OK);
	sql(db, "INSERT INTO import_source(kind, key, person_id, digest, imported)"
	        " VALUES ('vcard', 'uid-gone', 2, 'x', 0)");

	assert_int_equal(kith_person_merge(db, keep, gone, &err), KITH_OK);
	text_is(db, "SELECT group_concat(r, ' ') FROM (SELECT i.id || ':' || i.kind || ','"
	            " || coalesce(i.initiator, '') || ',' || coalesce(i.giver, '') || ',' ||"
	            " (SELECT group_concat(person_id, '+') FROM (SELECT person_id FROM"
	            "  interaction_person WHERE interaction_id = i.id ORDER BY person_id)) AS r"
	            " FROM interaction i ORDER BY i.id)",
	        "2:meeting,1,,1+3 3:email,1,,1+4 4:favour,1,1,1+3 5:call,3,,1+3");
	text_is(db, "SELECT group_concat(person_id || ',' || coalesce(owner, '') || ',' || private"
	            " || ',' || body, ' / ') FROM (SELECT * FROM note ORDER BY id)",
	        "1,,0,gone's note / 1,1,1,bo's private note / 1,,0,keep's note");
	text_is(db, "SELECT group_concat(person_id || ',' || org_id || ',' || title || ','"
	            " || coalesce(date_from, ''), ' / ') FROM (SELECT * FROM job ORDER BY id)",
	        "1,1,CTO,2019 / 1,2,Advisor, / 1,1,CTO,2020");
	text_is(db, "SELECT group_concat(voucher || '>' || subject || ',' || coalesce(recorded_by, ''),"
	            " ' ') FROM (SELECT * FROM vouch ORDER BY voucher, subject)",
	        "1>3, 1>4, 4>1,");
	assert_int_equal(t_int(db, "SELECT days FROM person_cadence WHERE person_id = 1"), 14);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person_cadence"), 1);
	assert_int_equal(kith_me(db), keep);
	assert_int_equal(t_int(db, "SELECT person_id FROM import_source WHERE key = 'uid-gone'"),
	                 keep);
	/* no row anywhere still names gone */
	assert_int_equal(t_int(db, "SELECT (SELECT count(*) FROM interaction_person WHERE person_id = 2)"
	                       " + (SELECT count(*) FROM interaction WHERE 2 IN (initiator, giver))"
	                       " + (SELECT count(*) FROM note WHERE person_id = 2)"
	                       " + (SELECT count(*) FROM job WHERE person_id = 2)"
	                       " + (SELECT count(*) FROM vouch WHERE 2 IN (voucher, subject, recorded_by))"
	                       " + (SELECT count(*) FROM kith_pairs WHERE 2 IN (a, b))"), 0);
	/* gone's email is keep's now */
	assert_int_equal(t_int(db, "SELECT person_id FROM person_email WHERE email = 'g@x.example'"),
	                 keep);
	t_close(db);
}

/* --- pair strengths ---------------------------------------------------- */

struct row {
	int64_t a, b;
	double u, ab, ba;   /* at a common time */
};

static double at_late(double x, int64_t ref, int64_t t, double h, int twice)
{
	kith_pair_sums s = {twice ? 0 : x, twice ? x : 0, 0, ref};

	/* raw of a one-way stream is half of it */
	return kith_score_raw(&s, t, h) * (twice ? 2 : 1);
}

/* The cache, one row per pair with sums decayed to t; *n rows. */
static struct row *cache(kith_db *db, int64_t t, size_t *n)
{
	double h = kith_score_half_life(db);
	sqlite3_stmt *st;
	struct row *v = NULL;
	size_t cap = 0;

	*n = 0;
	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT a, b, u, ab, ba, ref"
	                                    " FROM kith_pairs ORDER BY a, b", -1, &st, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap)
			assert_non_null(v = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v)));
		int64_t ref = sqlite3_column_int64(st, 5);
		v[*n] = (struct row){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			at_late(sqlite3_column_double(st, 2), ref, t, h, 0),
			at_late(sqlite3_column_double(st, 3), ref, t, h, 1),
			at_late(sqlite3_column_double(st, 4), ref, t, h, 1)};
		(*n)++;
	}
	sqlite3_finalize(st);
	return v;
}

static int close_to(double x, double y)
{
	return fabs(x - y) <= 1e-9 + 1e-9 * fabs(y);
}

/* The cache after merges is the cache a full recompute makes: the same
 * pairs (an incremental row left empty counts as none) with the same
 * sums in each direction. */
static void same_as_recompute(kith_db *db)
{
	int64_t late = T_NOW + 30 * 86400;
	size_t ni, nr;
	struct row *inc = cache(db, late, &ni), *rec;
	kith_error err;

	assert_int_equal(kith_score_recompute(db, T_NOW, NULL, &err), KITH_OK);
	rec = cache(db, late, &nr);
	assert_true(nr > 10);
	size_t j = 0;
	for (size_t i = 0; i < ni; i++) {
		struct row z = {inc[i].a, inc[i].b, 0, 0, 0}, *r = &z;
		if (j < nr && rec[j].a == inc[i].a && rec[j].b == inc[i].b)
			r = &rec[j++];
		if (!close_to(inc[i].u, r->u) || !close_to(inc[i].ab, r->ab) ||
		    !close_to(inc[i].ba, r->ba))
			fail_msg("pair %lld-%lld: merged (%.12g, %.12g, %.12g), recomputed"
			         " (%.12g, %.12g, %.12g)", (long long)inc[i].a, (long long)inc[i].b,
			         inc[i].u, inc[i].ab, inc[i].ba, r->u, r->ab, r->ba);
	}
	if (j != nr)
		fail_msg("the recompute has pair %lld-%lld, the merged cache not",
		         (long long)rec[j].a, (long long)rec[j].b);
	free(inc);
	free(rec);
}

#define NPEOPLE 12

static void strengths(void **state)
{
	kith_db *db = t_open();
	kith_id p[NPEOPLE], m;
	unsigned seed = 16;
	kith_error err;

	(void)state;
	for (int i = 0; i < NPEOPLE; i++) {
		char name[16];
		snprintf(name, sizeof(name), "P%02d", i);
		p[i] = t_person(db, name, NULL);
	}
	assert_int_equal(kith_member_add(db, "m", p[11], &m, &err), KITH_OK);
	sql(db, "PRAGMA synchronous = OFF");
	for (int k = 0; k < 300; k++) {
		static const char *const kinds[] = {"meeting", "call", "email", "favour"};
		const char *kind = kinds[rand_r(&seed) % 4];
		int a = rand_r(&seed) % NPEOPLE, b = rand_r(&seed) % NPEOPLE;
		int c = rand_r(&seed) % (NPEOPLE + 6);
		if (a == b || c == a || c == b)
			continue;
		kith_id x = p[a], y = p[b], z = c < NPEOPLE ? p[c] : 0;
		kith_id who = rand_r(&seed) % 2 ? x : y;
		/* a few of them private to the member */
		assert_int_equal(kith_db_set_author(db, rand_r(&seed) % 8 ? 0 : m,
		                                    1, &err), KITH_OK);
		if (strcmp(kind, "favour") == 0)
			talk(db, kind, rand_r(&seed) % 400, 0, who, x, y, z);
		else
			talk(db, kind, rand_r(&seed) % 400, rand_r(&seed) % 2 ? who : 0, 0, x, y, z);
	}
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);
	/* P00 and P01 shared many interactions; P02 into P03 and P04 into P02
	 * (a lower id into a higher and a higher into a lower). */
	assert_int_equal(kith_person_merge(db, p[0], p[1], &err), KITH_OK);
	assert_int_equal(kith_person_merge(db, p[3], p[2], &err), KITH_OK);
	assert_int_equal(kith_person_merge(db, p[3], p[4], &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM kith_pairs WHERE a IN (2, 3, 5)"
	                       " OR b IN (2, 3, 5)"), 0);
	same_as_recompute(db);
	t_close(db);
}

/* A link of gone's that a member keeps private is not folded into a team
 * link of keep's (which every member sees): it moves, still private.
 *
 * Failed before the fix: merge_links
 * folds any link of gone's with the same kind and other end into keep's,
 * whatever either's privacy, so the private link's notes and trust land
 * in the team link and the private one is deleted.  The fold now only
 * joins links of one scope (both team, or private to one owner); the
 * others move, which the unique index (scoped since migration 9) allows. */
static void merge_keeps_links_private(void **state)
{
	kith_db *db, *v;
	kith_id keep, gone, m0, m1;
	kith_error err;

	(void)state;
	db = t_open();
	keep = t_person(db, "Keep", NULL);
	gone = t_person(db, "Gone", NULL);
	t_person(db, "Ana", NULL);
	assert_int_equal(kith_member_add(db, "m0", t_person(db, "M0", NULL), &m0, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "m1", t_person(db, "M1", NULL), &m1, &err), KITH_OK);
	sql(db, "INSERT INTO link(id, a, b, kind, trust, notes, owner, private, created, updated)"
	        " VALUES (1, 1, 3, 'friend', 0.2, 'team note', NULL, 0, 0, 0),"
	        " (2, 2, 3, 'friend', 0.9, 'm1 secret', 2, 1, 0, 0)");
	assert_int_equal(kith_person_merge(db, keep, gone, &err), KITH_OK);
	assert_int_equal(kith_db_open(t_path(), KITH_OPEN_READONLY, &v, &err), KITH_OK);
	assert_int_equal(kith_db_set_viewer(v, m0, &err), KITH_OK);
	text_is(v, "SELECT group_concat(coalesce(trust, '') || ',' || notes, ' ') FROM link",
	        "0.2,team note");
	kith_db_close(v);
	text_is(db, "SELECT group_concat(r, ' ') FROM (SELECT a || '-' || b || ',' || trust || ','"
	            " || notes || ',' || coalesce(owner, 0) || private AS r FROM link ORDER BY id)",
	        "1-3,0.2,team note,00 1-3,0.9,m1 secret,21");
	t_close(db);
}

/* --- refusals ---------------------------------------------------------- */

static void refusals_write_nothing(void **state)
{
	kith_db *db = t_open();
	kith_id a = person(db, "Ana", NULL, NULL, NULL, NULL, NULL, "a@x.example", NULL, "x");
	kith_id b = person(db, "Ben", NULL, NULL, NULL, NULL, NULL, "b@x.example", NULL, NULL);
	kith_error err;
	char *before, *after;

	(void)state;
	assert_int_equal(t_link(db, a, b, "friend", 0.5), KITH_OK);
	talk(db, "meeting", 3, a, 0, a, b, 0);
	before = dump(db);
	assert_int_equal(kith_person_merge(db, a, a, &err), KITH_EINVAL);
	assert_string_equal(err.msg, "a person cannot be merged into themselves");
	assert_int_equal(kith_person_merge(db, a, 99, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_merge(db, 99, a, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_merge(db, 0, b, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_merge(db, 98, 99, &err), KITH_ENOTFOUND);
	after = dump(db);
	assert_string_equal(before, after);
	free(after);
	/* A step that fails late (the final delete): all of it rolled back. */
	sql(db, "CREATE TEMP TRIGGER no_delete BEFORE DELETE ON main.person BEGIN"
	        " SELECT raise(ABORT, 'refused'); END");
	assert_int_not_equal(kith_person_merge(db, a, b, &err), KITH_OK);
	sql(db, "DROP TRIGGER temp.no_delete");
	after = dump(db);
	assert_string_equal(before, after);
	free(after);
	free(before);
	/* And then it goes through. */
	assert_int_equal(kith_person_merge(db, a, b, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), 1);
	t_close(db);
}

/* --- dupes ------------------------------------------------------------- */

/* The dupes as "a-b:reason:detail" lines. */
static char *dupes(kith_db *db, size_t limit)
{
	kith_dupe *v;
	size_t n;
	kith_error err;
	GString *out = g_string_new("");

	assert_int_equal(kith_dupes_find(db, limit, &v, &n, &err), KITH_OK);
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(out, "%lld-%lld:%s:%s\n", (long long)v[i].a, (long long)v[i].b,
		                       kith_dupe_reason_name(v[i].reason), v[i].detail);
	kith_dupe_list_free(v, n);
	return g_string_free(out, FALSE);
}

static void job_at(kith_db *db, kith_id who, const char *org)
{
	kith_id o;

	assert_int_equal(kith_org_ensure(db, org, &o, NULL), KITH_OK);
	job(db, who, o, NULL, NULL);
}

static void dupes_found(void **state)
{
	kith_db *db = t_open();
	char *got;

	(void)state;
	/* 1, 2: one phone in two forms */
	person(db, "Marc Leroy", NULL, NULL, NULL, NULL, NULL, NULL, "+33 6 11 22 33 44", NULL);
	person(db, "Marcus L", NULL, NULL, NULL, NULL, NULL, NULL, "0033 6 11 22 33 44", NULL);
	/* 3, 4: one email user at two domains */
	person(db, "Zoe", NULL, NULL, NULL, NULL, NULL, "zoe.dupont@acme.example", NULL, NULL);
	person(db, "Z D", NULL, NULL, NULL, NULL, NULL, "Zoe.Dupont@home.example", NULL, NULL);
	/* 5, 6: one name, folded */
	person(db, "Jean-Luc Picard", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	person(db, "jean luc  PICARD", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	/* 7, 8: similar names at one org */
	job_at(db, person(db, "Rob Stark", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	       "Winterfell");
	job_at(db, person(db, "Robert Stark", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	       "Winterfell");
	/* 9, 10: both a phone and a name: one pair, the stronger reason */
	person(db, "Ann Oak", NULL, NULL, NULL, NULL, NULL, NULL, "+44 20 7946 0958", NULL);
	person(db, "Ann Oak", NULL, NULL, NULL, NULL, NULL, NULL, "+44 (20) 7946-0958", NULL);
	/* Not pairs: similar names at different orgs, one at none (11-13);
	 * a short or generic email user (14-17); a national and an
	 * international number (18, 19); an extension (20, 21); a phone four
	 * people share, a switchboard (22-25); no-reply addresses (26, 27). */
	job_at(db, person(db, "Sam Wood", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "Acme");
	job_at(db, person(db, "Samuel Wood", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), "Helios");
	person(db, "S Wood", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	person(db, "Info A", NULL, NULL, NULL, NULL, NULL, "info@a.example", NULL, NULL);
	person(db, "Info B", NULL, NULL, NULL, NULL, NULL, "info@b.example", NULL, NULL);
	person(db, "Johnny A", NULL, NULL, NULL, NULL, NULL, "johnny@a.example", NULL, NULL);
	person(db, "Johnny B", NULL, NULL, NULL, NULL, NULL, "johnny@b.example", NULL, NULL);
	person(db, "Nat One", NULL, NULL, NULL, NULL, NULL, NULL, "06 12 34 56 78", NULL);
	person(db, "Nat Two", NULL, NULL, NULL, NULL, NULL, NULL, "+33 6 12 34 56 78", NULL);
	person(db, "Ext One", NULL, NULL, NULL, NULL, NULL, NULL, "1234", NULL);
	person(db, "Ext Two", NULL, NULL, NULL, NULL, NULL, NULL, "12-34", NULL);
	for (int i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof(name), "Desk %c", 'A' + i);
		person(db, name, NULL, NULL, NULL, NULL, NULL, NULL, "+1 212 555 0000", NULL);
	}
	person(db, "Bot A", NULL, NULL, NULL, NULL, NULL, "no-reply.alerts@a.example", NULL, NULL);
	person(db, "Bot B", NULL, NULL, NULL, NULL, NULL, "no-reply.alerts@b.example", NULL, NULL);
	got = dupes(db, 0);
	assert_string_equal(got,
		"1-2:shared phone:+33 6 11 22 33 44\n"
		"9-10:shared phone:+44 20 7946 0958\n"
		"7-8:similar name, same organisation:Winterfell\n"
		"3-4:same email user at another domain:zoe.dupont@acme.example\n"
		"5-6:same name:Jean-Luc Picard\n");
	free(got);
	got = dupes(db, 2);
	assert_string_equal(got, "1-2:shared phone:+33 6 11 22 33 44\n"
	                         "9-10:shared phone:+44 20 7946 0958\n");
	free(got);
	/* Merged, a pair is no more. */
	assert_int_equal(kith_person_merge(db, 1, 2, NULL), KITH_OK);
	got = dupes(db, 1);
	assert_string_equal(got, "9-10:shared phone:+44 20 7946 0958\n");
	free(got);
	t_close(db);
}

/* A member's dupes are among the people they see. */
static void dupes_per_view(void **state)
{
	kith_db *db = t_open(), *v;
	kith_id a = person(db, "Alex", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), ma;
	kith_error err;
	char *got;

	(void)state;
	person(db, "Pat Doe", NULL, NULL, NULL, NULL, NULL, NULL, "+1 415 555 0101", NULL);
	kith_id hidden = person(db, "P. Doe", NULL, NULL, NULL, NULL, NULL, NULL,
	                        "+1 415 555 0101", NULL);
	person(db, "Kim Oh", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	person(db, "kim oh", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(kith_member_add(db, "alex", a, &ma, &err), KITH_OK);
	kith_id mb, bo = person(db, "Bo", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(kith_member_add(db, "bo", bo, &mb, &err), KITH_OK);
	assert_int_equal(kith_record_set_visibility(db, "person", hidden, mb, 1, &err), KITH_OK);
	got = dupes(db, 0);
	assert_string_equal(got, "2-3:shared phone:+1 415 555 0101\n4-5:same name:Kim Oh\n");
	free(got);
	assert_int_equal(kith_db_open(t_path(), KITH_OPEN_READONLY, &v, &err), KITH_OK);
	assert_int_equal(kith_db_set_viewer(v, ma, &err), KITH_OK);
	got = dupes(v, 0);
	assert_string_equal(got, "4-5:same name:Kim Oh\n");
	free(got);
	kith_db_close(v);
	t_close(db);
}

/* No pairs at all: an empty list.
 *
 * Failed before the fix: kith_dupes_find calls
 * qsort(ps.v, 0, ...) with ps.v NULL when nothing was found
 * (src/record/identity.c, "null pointer passed as argument 1").  Now it sorts
 * only when ps.n > 1. */
static void dupes_none(void **state)
{
	kith_db *db;
	char *got;

	(void)state;
	db = t_open();
	person(db, "Ana", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	got = dupes(db, 0);
	assert_string_equal(got, "");
	free(got);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fields),
		cmocka_unit_test(links),
		cmocka_unit_test(interactions_and_the_rest),
		cmocka_unit_test(strengths),
		cmocka_unit_test(merge_keeps_links_private),
		cmocka_unit_test(refusals_write_nothing),
		cmocka_unit_test(dupes_found),
		cmocka_unit_test(dupes_per_view),
		cmocka_unit_test(dupes_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
