/* Relationships on address-book cards: the label table both ways, the
 * lines a card states them with, and links made, kept and shown per
 * member (src/card/card_rel.c, src/card/card_link.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "support.h"
#include "card/card_impl.h"

/* A viewer handle for member m (a second connection on the file). */
static kith_db *viewer(kith_id m)
{
	kith_db *v;
	kith_error err;

	assert_int_equal(kith_db_open(t_path(), KITH_OPEN_READONLY, &v, &err), KITH_OK);
	kith_db_set_now(v, T_NOW);
	assert_int_equal(kith_db_set_viewer(v, m, &err), KITH_OK);
	return v;
}

/* A member named name, who is a new person of that name. */
static kith_id member(kith_db *db, const char *name)
{
	kith_id m;
	kith_error err;

	assert_int_equal(kith_member_add(db, name, t_person(db, name, NULL), &m, &err), KITH_OK);
	return m;
}

/* The card of person as view shows it (heap; free()). */
static char *render(kith_db *view, kith_id person, int version)
{
	char *out;
	size_t len;
	kith_error err;

	if (kith_card_render(view, person, version, &out, &len, &err))
		fail_msg("render: %s", err.msg);
	return out;
}

/* PUTs card (a whole vCard) as href of member's book; the kith code. */
static int put_card(kith_db *db, kith_db *view, kith_id m, const char *href,
                    const char *card, kith_id *person)
{
	kith_card_put p = {.member = m, .href = href};
	kith_error err;
	int result, rc;

	assert_int_equal(kith_db_set_author(db, m, 0, &err), KITH_OK);
	rc = kith_card_store(db, view, &p, card, strlen(card), &result, person, &err);
	if (rc && rc != KITH_EINVAL)
		fail_msg("store: %s", err.msg);
	return rc;
}

/* PUTs a vCard 3.0 or 4.0 made of lines ('\n' between). */
static int put(kith_db *db, kith_db *view, kith_id m, const char *href, int version,
               const char *lines, kith_id *person)
{
	char card[4096];

	snprintf(card, sizeof(card), "BEGIN:VCARD\r\nVERSION:%s\r\n", version == 4 ? "4.0" : "3.0");
	for (const char *s = lines; *s;) {
		size_t n = strcspn(s, "\n");
		strncat(card, s, n);
		strcat(card, "\r\n");
		s += n + (s[n] == '\n');
	}
	strcat(card, "END:VCARD\r\n");
	return put_card(db, view, m, href, card, person);
}

static int occurrences(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static int64_t etag(kith_db *db, kith_id person)
{
	int64_t e = 0;

	assert_int_equal(kith__card_etag(db, person, &e, NULL), KITH_OK);
	return e;
}

static int64_t links_between(kith_db *db, kith_id a, kith_id b, const char *kind)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM link WHERE min(a, b) = %lld AND"
	         " max(a, b) = %lld AND kind = '%s'", (long long)(a < b ? a : b),
	         (long long)(a < b ? b : a), kind);
	return t_int(db, sql);
}

static void expect_kind(const char *label, int known, const char *kind, int end)
{
	char k[40];
	int e = -1;

	assert_int_equal(kith__rel_from_label(label, k, sizeof(k), &e), known);
	assert_string_equal(k, kind);
	if (end >= 0)
		assert_int_equal(e, end);
}

static void label_table(void **state)
{
	char out[64];

	(void)state;
	expect_kind("_$!<Spouse>!$_", 1, "family", -1);
	expect_kind("_$!<Child>!$_", 1, "family", -1);
	expect_kind("_$!<Friend>!$_", 1, "friend", -1);
	expect_kind("_$!<Manager>!$_", 1, "colleague", -1);
	expect_kind("_$!<Assistant>!$_", 1, "colleague", -1);
	expect_kind("_$!<Other>!$_", 1, "knows", -1);
	expect_kind("SPOUSE", 1, "family", -1);
	expect_kind("co-worker", 1, "colleague", -1);
	expect_kind("X-Friend", 1, "friend", -1);
	expect_kind("neighbor", 1, "neighbour", -1);
	expect_kind("mentee", 1, "mentor", KITH__REL_B);
	/* Apple's Partner is a life partner, not kith's business partner. */
	expect_kind("_$!<Partner>!$_", 1, "family", -1);
	expect_kind("partner", 0, "partner", KITH__REL_A);
	/* Not in the table: the name a kind would have. */
	expect_kind("x-mentor-of", 0, "mentor", KITH__REL_B);
	expect_kind("client of", 0, "client", KITH__REL_B);
	expect_kind("x-investor", 0, "investor", KITH__REL_A);
	expect_kind("Godmother", 0, "godmother", KITH__REL_A);
	expect_kind("Best Friend", 0, "best-friend", KITH__REL_A);

	kith__rel_to_label("friend", KITH__REL_ANY, 4, out, sizeof(out));
	assert_string_equal(out, "friend");
	kith__rel_to_label("friend", KITH__REL_ANY, 3, out, sizeof(out));
	assert_string_equal(out, "_$!<Friend>!$_");
	kith__rel_to_label("family", KITH__REL_ANY, 4, out, sizeof(out));
	assert_string_equal(out, "kin");
	kith__rel_to_label("knows", KITH__REL_ANY, 3, out, sizeof(out));
	assert_string_equal(out, "_$!<Other>!$_");
	kith__rel_to_label("mentor", KITH__REL_B, 4, out, sizeof(out));
	assert_string_equal(out, "x-mentor-of");
	kith__rel_to_label("mentor", KITH__REL_A, 3, out, sizeof(out));
	assert_string_equal(out, "mentor");
	kith__rel_to_label("client", KITH__REL_B, 3, out, sizeof(out));
	assert_string_equal(out, "client of");
	kith__rel_to_label("close_friend", KITH__REL_ANY, 4, out, sizeof(out));
	assert_string_equal(out, "x-close-friend");

	/* Whatever kith writes reads back as the same kind and end. */
	static const char *const kinds[] = {"knows", "friend", "family", "colleague", "client",
	                                    "partner", "mentor", "investor", "classmate",
	                                    "neighbour"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		for (int v = 3; v <= 4; v++)
			for (int end = KITH__REL_A; end <= KITH__REL_B; end++) {
				char k[40];
				int e;
				kith__rel_to_label(kinds[i], end, v, out, sizeof(out));
				kith__rel_from_label(out, k, sizeof(k), &e);
				assert_string_equal(k, kinds[i]);
				if (strcmp(kinds[i], "mentor") == 0 || strcmp(kinds[i], "client") == 0)
					assert_int_equal(e, end);
			}

	assert_int_equal(kith__rel_convert("_$!<Spouse>!$_", 4, out, sizeof(out)), 1);
	assert_string_equal(out, "spouse");
	assert_int_equal(kith__rel_convert("spouse", 3, out, sizeof(out)), 1);
	assert_string_equal(out, "_$!<Spouse>!$_");
	assert_int_equal(kith__rel_convert("_$!<Mother>!$_", 4, out, sizeof(out)), 1);
	assert_string_equal(out, "parent");
	assert_int_equal(kith__rel_convert("co-worker", 3, out, sizeof(out)), 1);
	assert_string_equal(out, "co-worker");
	assert_int_equal(kith__rel_convert("mentee", 4, out, sizeof(out)), 0);
	assert_int_equal(kith__rel_convert("Godmother", 4, out, sizeof(out)), 0);
}

static void card_items(void **state)
{
	kith__lines l;
	kith__rel_item *it;
	size_t n;
	char *text = strdup("FN:Pat\n"
		"RELATED;TYPE=friend,co-worker;PREF=1:urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\n"
		"RELATED;VALUE=text;TYPE=\"spouse\":Jane\\, Doe\n"
		"item2.X-ABRELATEDNAMES;type=pref:Bob Stone\n"
		"item3.URL:https://pat.example\n"
		"item2.X-ABLabel:_$!<Manager>!$_\n"
		"RELATED:Just A Name\n"
		"X-ABRELATEDNAMES:\n"
		"RELATED;TYPE=pref:mailto:a@b.example");

	(void)state;
	assert_int_equal(kith__lines_index(text, &l), KITH_OK);
	assert_int_equal(kith__rel_items(&l, &it, &n), KITH_OK);
	assert_int_equal(n, 5);  /* the empty X-ABRELATEDNAMES states nothing */
	assert_string_equal(it[0].value, "urn:uuid:0a1b2c3d-0000-4000-8000-000000000001");
	assert_true(it[0].uri);
	assert_int_equal(it[0].labels.n, 2);
	assert_string_equal(it[0].labels.v[0], "friend");
	assert_string_equal(it[0].labels.v[1], "co-worker");
	assert_string_equal(it[1].value, "Jane, Doe");
	assert_false(it[1].uri);
	assert_string_equal(it[1].labels.v[0], "spouse");
	assert_true(it[2].apple);
	assert_string_equal(it[2].value, "Bob Stone");
	assert_int_equal(it[2].nlines, 2);  /* its label, not the URL of another group */
	assert_int_equal(it[2].lines[1], 5);
	assert_int_equal(it[2].labels.n, 1);
	assert_string_equal(it[2].labels.v[0], "_$!<Manager>!$_");
	assert_false(it[3].uri);  /* no scheme: a name */
	assert_int_equal(it[3].labels.n, 0);
	assert_true(it[4].uri);
	assert_int_equal(it[4].labels.n, 0);  /* "pref" is no relationship */
	kith__rel_items_free(it, n);
	kith__lines_free(&l);

	GString *g = g_string_new("");
	kith__rel_write(g, 3, "_$!<Friend>!$_", "Ann; Lee", 0, "item4");
	kith__rel_write(g, 4, "friend", "urn:uuid:0a1b2c3d-0000-4000-8000-000000000001", 1, "");
	kith__rel_write(g, 4, "x-mentor-of", "Ann, Lee", 0, "");
	assert_string_equal(g->str, "item4.X-ABRELATEDNAMES:Ann\\; Lee\r\n"
	                    "item4.X-ABLabel:_$!<Friend>!$_\r\n"
	                    "RELATED;TYPE=friend:urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\r\n"
	                    "RELATED;TYPE=x-mentor-of;VALUE=text:Ann\\, Lee\r\n");
	g_string_free(g, TRUE);
}

/* Links made in kith, on cards of both versions. */
static void links_out(void **state)
{
	kith_db *db = t_open(), *v;
	kith_id zoe = t_person(db, "Zoe Dupont", NULL), olga = t_person(db, "Olga Petrova", NULL);
	kith_id ana = t_person(db, "Ana Mentor", NULL), m = member(db, "alex");
	char uid[128], line[200];
	char *c;

	(void)state;
	assert_int_equal(t_link(db, zoe, olga, "friend", -1), KITH_OK);
	assert_int_equal(t_link(db, ana, zoe, "mentor", -1), KITH_OK);
	/* A card imported with a UID that is no UUID is named by its name. */
	assert_int_equal(t_int(db, "INSERT INTO import_source(kind, key, person_id, digest,"
	                       " imported) VALUES ('vcard', 'ana-card', 3, '', 0) RETURNING 1"), 1);
	v = viewer(m);
	c = render(v, zoe, 3);
	assert_non_null(strstr(c, "\r\nitem1.X-ABRELATEDNAMES:Olga Petrova\r\n"
	                          "item1.X-ABLabel:_$!<Friend>!$_\r\n"));
	assert_non_null(strstr(c, "\r\nitem2.X-ABRELATEDNAMES:Ana Mentor\r\n"
	                          "item2.X-ABLabel:mentor\r\n"));
	assert_null(strstr(c, "RELATED;"));  /* 3.0 has Apple's form only */
	free(c);
	c = render(v, zoe, 4);
	kith__card_made_uid(olga, T_NOW, uid, sizeof(uid));
	snprintf(line, sizeof(line), "\r\nRELATED;TYPE=friend:%s\r\n", uid);
	assert_non_null(strstr(c, line));
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=x-mentor;VALUE=text:Ana Mentor\r\n"));
	assert_null(strstr(c, "X-ABRELATEDNAMES"));
	free(c);
	c = render(v, ana, 4);  /* the mentor's own card */
	assert_non_null(strstr(c, "RELATED;TYPE=x-mentor-of:urn:uuid:"));
	free(c);

	/* Cards kith served, sent back in either version: the same links. */
	for (int version = 3; version <= 4; version++)
		for (kith_id p = zoe; p <= ana; p++) {
			char href[32];
			snprintf(href, sizeof(href), "kith-%lld.vcf", (long long)p);
			c = render(v, p, version);
			assert_int_equal(put_card(db, v, m, href, c, NULL), KITH_OK);
			free(c);
		}
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 2);
	assert_int_equal(links_between(db, zoe, olga, "friend"), 1);
	snprintf(line, sizeof(line), "SELECT count(*) FROM link WHERE kind = 'mentor' AND"
	         " a = %lld AND b = %lld", (long long)ana, (long long)zoe);
	assert_int_equal(t_int(db, line), 1);  /* Ana still mentors Zoe */
	kith_db_close(v);
	t_close(db);
}

static const char pat_apple[] =
	"FN:Pat Phone\nN:Phone;Pat;;;\nUID:pat-iphone\n"
	"item1.X-ABRELATEDNAMES:Zoe Dupont\nitem1.X-ABLabel:_$!<Spouse>!$_\n"
	"item2.URL:https://pat.example\nitem2.X-ABLabel:blog\n"
	"item3.X-ABRELATEDNAMES:Olga Petrova\nitem3.X-ABLabel:_$!<Manager>!$_";

/* An iPhone's card: links made with the right kind, its lines served
 * back as sent, the same card again changes nothing, a line dropped
 * removes its link. */
static void apple_in(void **state)
{
	kith_db *db = t_open(), *v;
	kith_id zoe = t_person(db, "Zoe Dupont", NULL), olga = t_person(db, "Olga Petrova", NULL);
	kith_id m = member(db, "alex"), pat;
	int64_t e1, people;
	char *c;

	(void)state;
	v = viewer(m);
	people = t_int(db, "SELECT count(*) FROM person");
	assert_int_equal(put(db, v, m, "pat.vcf", 3, pat_apple, &pat), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), people + 1);
	assert_int_equal(links_between(db, pat, zoe, "family"), 1);
	assert_int_equal(links_between(db, pat, olga, "colleague"), 1);
	c = render(v, pat, 3);
	assert_non_null(strstr(c, "\r\nitem1.X-ABRELATEDNAMES:Zoe Dupont\r\n"
	                          "item1.X-ABLabel:_$!<Spouse>!$_\r\n"));
	assert_non_null(strstr(c, "\r\nitem3.X-ABRELATEDNAMES:Olga Petrova\r\n"
	                          "item3.X-ABLabel:_$!<Manager>!$_\r\n"));
	assert_non_null(strstr(c, "\r\nitem2.URL:https://pat.example\r\nitem2.X-ABLabel:blog\r\n"));
	free(c);
	c = render(v, pat, 4);  /* the same in vCard 4.0 terms */
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=spouse:urn:uuid:"));
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=co-worker:urn:uuid:"));
	assert_null(strstr(c, "X-ABRELATEDNAMES"));
	free(c);
	c = render(v, zoe, 3);  /* and on the other person's card */
	assert_non_null(strstr(c, "X-ABRELATEDNAMES:Pat Phone\r\nitem1.X-ABLabel:family\r\n"));
	free(c);

	e1 = etag(db, pat);
	assert_int_equal(put(db, v, m, "pat.vcf", 3, pat_apple, NULL), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 2);
	assert_int_equal(etag(db, pat), e1);

	/* The client dropped Olga: that link goes, Zoe's stays. */
	assert_int_equal(put(db, v, m, "pat.vcf", 3,
	                     "FN:Pat Phone\nN:Phone;Pat;;;\nUID:pat-iphone\n"
	                     "item1.X-ABRELATEDNAMES:Zoe Dupont\nitem1.X-ABLabel:_$!<Spouse>!$_",
	                     NULL), KITH_OK);
	assert_int_equal(links_between(db, pat, olga, "colleague"), 0);
	assert_int_equal(links_between(db, pat, zoe, "family"), 1);
	assert_true(etag(db, olga) > e1);
	/* A label that no longer holds is written from kith's link. */
	assert_int_equal(t_int(db, "UPDATE link SET kind = 'friend' RETURNING 1"), 1);
	c = render(v, pat, 3);
	assert_non_null(strstr(c, "X-ABRELATEDNAMES:Zoe Dupont\r\nitem1.X-ABLabel:_$!<Friend>!$_"));
	assert_null(strstr(c, "Spouse"));
	free(c);
	kith_db_close(v);
	t_close(db);
}

/* vCard 4.0: a UID kith made resolves, a label naming a kith kind makes
 * that kind, any other label makes "knows" and stays as sent, and a
 * name nobody (or more than one) has makes nothing. */
static void related_in(void **state)
{
	kith_db *db = t_open(), *v;
	kith_id zoe = t_person(db, "Zoe Dupont", NULL), olga = t_person(db, "Olga Petrova", NULL);
	kith_id m = member(db, "alex"), pat, uma;
	kith_kind boss = {.name = "boss", .directed = 1};
	char uid[128], lines[1024];
	int64_t people;
	char *c;
	kith_error err;

	(void)state;
	t_person(db, "Sam Lee", NULL);
	t_person(db, "Sam Lee", NULL);
	assert_int_equal(kith_kind_add(db, KITH_KIND_LINK, &boss, &err), KITH_OK);
	kith__card_made_uid(zoe, T_NOW, uid, sizeof(uid));
	snprintf(lines, sizeof(lines), "FN:Pat Four\nUID:pat-4\n"
	         "RELATED;TYPE=friend,co-worker:%s\n"
	         "RELATED;TYPE=x-boss-of;VALUE=text:Olga Petrova\n"
	         "RELATED;TYPE=muse;VALUE=text:Olga Petrova\n"
	         "RELATED;TYPE=friend;VALUE=text:Nobody Known\n"
	         "RELATED;TYPE=friend;VALUE=text:Sam Lee\n"
	         "RELATED;TYPE=friend:urn:uuid:00000000-0000-4000-8000-00000000dead\n"
	         "RELATED;VALUE=text:Uma Uuid", uid);
	v = viewer(m);
	/* A phone's card keeps its own UID (Apple's are bare UUIDs). */
	assert_int_equal(put(db, v, m, "uma.vcf", 3, "FN:Uma Uuid\n"
	                     "UID:4F2A6E2C-0000-4000-8000-ABCDEF012345", &uma), KITH_OK);
	people = t_int(db, "SELECT count(*) FROM person");
	assert_int_equal(put(db, v, m, "pat4.vcf", 4, lines, &pat), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM person"), people + 1);  /* nobody made up */
	assert_int_equal(links_between(db, pat, zoe, "friend"), 1);
	assert_int_equal(links_between(db, pat, zoe, "colleague"), 1);
	snprintf(lines, sizeof(lines), "SELECT count(*) FROM link WHERE kind = 'boss' AND"
	         " a = %lld AND b = %lld", (long long)pat, (long long)olga);
	assert_int_equal(t_int(db, lines), 1);  /* Pat is Olga's boss */
	assert_int_equal(links_between(db, pat, olga, "knows"), 1);
	assert_int_equal(links_between(db, pat, uma, "knows"), 1);  /* no TYPE: knows */
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 5);
	c = render(v, pat, 4);
	assert_int_equal(occurrences(c, "RELATED;TYPE=friend,co-worker:"), 1);  /* two links */
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=x-boss-of;VALUE=text:Olga Petrova\r\n"));
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=muse;VALUE=text:Olga Petrova\r\n"));
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=friend;VALUE=text:Nobody Known\r\n"));
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=friend;VALUE=text:Sam Lee\r\n"));
	assert_non_null(strstr(c, "00000000dead"));
	free(c);
	c = render(v, olga, 3);
	assert_non_null(strstr(c, "X-ABRELATEDNAMES:Pat Four\r\nitem1.X-ABLabel:boss\r\n"));
	free(c);
	c = render(v, uma, 4);  /* Pat's card is named by its UID, which is no UUID */
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=contact;VALUE=text:Pat Four\r\n"));
	free(c);
	/* Uma's UID, from her phone, names her card as a URI, and finds her. */
	assert_int_equal(t_int(db, "DELETE FROM link WHERE kind = 'knows' RETURNING 1"), 1);
	assert_int_equal(put(db, v, m, "kith-2.vcf", 4, "FN:Olga Petrova\n"
	                     "RELATED;TYPE=friend:urn:uuid:4f2a6e2c-0000-4000-8000-abcdef012345",
	                     NULL), KITH_OK);
	assert_int_equal(links_between(db, olga, uma, "friend"), 1);
	c = render(v, pat, 4);
	assert_null(strstr(c, "Uma Uuid"));  /* the knows links went */
	free(c);
	c = render(v, uma, 3);
	assert_non_null(strstr(c, "X-ABRELATEDNAMES:Olga Petrova"));
	free(c);
	c = render(v, olga, 4);
	assert_non_null(strstr(c, "RELATED;TYPE=friend:urn:uuid:4f2a6e2c-0000-4000-8000-abcdef012345"));
	free(c);
	/* A friend link gone in kith: the two-kind line no longer holds. */
	assert_int_equal(t_int(db, "DELETE FROM link WHERE kind = 'friend' RETURNING 1"), 1);
	c = render(v, pat, 4);
	assert_null(strstr(c, "friend,co-worker"));
	assert_non_null(strstr(c, "\r\nRELATED;TYPE=co-worker:urn:uuid:"));
	free(c);
	kith_db_close(v);
	t_close(db);
}

/* Each member's card shows the links they see; a member's edit never
 * removes a link they do not see. */
static void per_member(void **state)
{
	kith_db *db = t_open(), *va, *vb;
	kith_id zoe = t_person(db, "Zoe Dupont", NULL), ma = member(db, "alex");
	kith_id mb = member(db, "sam"), secret;
	kith_error err;
	char *c;

	(void)state;
	secret = t_person(db, "Sam Secret", NULL);
	assert_int_equal(kith_record_set_visibility(db, "person", secret, mb, 1, &err), KITH_OK);
	assert_int_equal(t_link(db, zoe, secret, "friend", -1), KITH_OK);
	va = viewer(ma);
	vb = viewer(mb);
	c = render(va, zoe, 3);
	assert_null(strstr(c, "Sam Secret"));
	assert_null(strstr(c, "X-ABRELATEDNAMES"));
	free(c);
	c = render(va, zoe, 4);
	assert_null(strstr(c, "RELATED"));
	free(c);
	c = render(vb, zoe, 3);
	assert_non_null(strstr(c, "X-ABRELATEDNAMES:Sam Secret"));
	free(c);
	/* Alex's client names Sam Secret: alex sees nobody so named. */
	assert_int_equal(put(db, va, ma, "kith-1.vcf", 3, "FN:Zoe Dupont\n"
	                     "item1.X-ABRELATEDNAMES:Sam Secret\nitem1.X-ABLabel:_$!<Friend>!$_",
	                     NULL), KITH_OK);
	assert_int_equal(links_between(db, zoe, secret, "friend"), 1);  /* sam's link stays */
	assert_int_equal(t_int(db, "SELECT count(*) FROM link"), 1);
	kith_db_close(va);
	kith_db_close(vb);
	t_close(db);
}

/* Who is linked to whom is part of both cards: their ETags move. */
static void change_log(void **state)
{
	kith_db *db = t_open();
	kith_id zoe = t_person(db, "Zoe Dupont", NULL), olga = t_person(db, "Olga Petrova", NULL);
	kith_id ana = t_person(db, "Ana", NULL);
	int64_t z, o, a;
	kith_error err;

	(void)state;
	z = etag(db, zoe);
	o = etag(db, olga);
	assert_int_equal(t_link(db, zoe, olga, "friend", -1), KITH_OK);
	assert_true(etag(db, zoe) > z && etag(db, olga) > o);
	z = etag(db, zoe);
	o = etag(db, olga);
	a = etag(db, ana);
	/* Olga renamed: Zoe's card names her. */
	assert_int_equal(t_int(db, "UPDATE person SET display_name = 'Olga P.' WHERE id = 2"
	                       " RETURNING 1"), 1);
	assert_true(etag(db, zoe) > z);
	assert_int_equal(etag(db, ana), a);
	z = etag(db, zoe);
	o = etag(db, olga);
	assert_int_equal(kith_record_set_visibility(db, "link", 1, 0, 1, &err), KITH_OK);
	assert_true(etag(db, zoe) > z && etag(db, olga) > o);
	z = etag(db, zoe);
	assert_int_equal(kith_link_remove(db, zoe, olga, NULL, NULL, &err), KITH_OK);
	assert_true(etag(db, zoe) > z);
	t_close(db);
}

/* The rows of the change log after seq, as "person owner private" lines
 * (owner - when none), each once, in the order first logged. */
static char *logged_since(kith_db *db, int64_t seq)
{
	sqlite3_stmt *st;
	char *out = calloc(1, 4096);
	size_t len = 0;

	assert_non_null(out);
	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db),
		"SELECT person_id, coalesce(owner, '-'), private FROM card_change WHERE seq > ?1"
		" GROUP BY person_id, owner, private ORDER BY min(seq)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, seq);
	while (sqlite3_step(st) == SQLITE_ROW && len < 4000)
		len += (size_t)snprintf(out + len, 4096 - len, "%lld %s %d;",
		                        (long long)sqlite3_column_int64(st, 0),
		                        (const char *)sqlite3_column_text(st, 1),
		                        sqlite3_column_int(st, 2));
	sqlite3_finalize(st);
	return out;
}

/* Each write to what a card shows logs the people whose cards changed,
 * with their owner and privacy as they are (the change log's rows let
 * each member's sync see only the cards it may): a private person's
 * email, phone, tag, job, extra lines, and a link's two ends, in id
 * order. */
static void change_log_rows(void **state)
{
	static const struct {
		const char *sql, *want;
	} step[] = {
		{"INSERT INTO person_email(person_id, pos, email) VALUES (2, 0, 'p@example.org')",
		 "2 1 1;"},
		{"DELETE FROM person_email WHERE person_id = 2", "2 1 1;"},
		{"INSERT INTO person_phone VALUES (2, 0, '+33 1 23', '33123')", "2 1 1;"},
		{"DELETE FROM person_phone WHERE person_id = 2", "2 1 1;"},
		{"INSERT INTO person_tag VALUES (2, 'x')", "2 1 1;"},
		{"DELETE FROM person_tag WHERE person_id = 2", "2 1 1;"},
		{"INSERT INTO job(person_id, org_id, created) VALUES (2, 1, 1)", "2 1 1;"},
		{"UPDATE job SET title = 'CTO'", "2 1 1;"},
		{"DELETE FROM job", "2 1 1;"},
		{"INSERT INTO card_extra VALUES (3, 'X-A:1')", "3 - 0;"},
		{"UPDATE card_extra SET lines = 'X-A:2'", "3 - 0;"},
		{"INSERT INTO link(a, b, kind, created, updated) VALUES (3, 1, 'knows', 1, 1)",
		 "1 - 0;3 - 0;"},
		{"INSERT INTO card_related VALUES (1, 1, 4, 'RELATED:x')", "1 - 0;"},
		{"UPDATE card_related SET lines = 'RELATED:y'", "1 - 0;"},
		{"DELETE FROM card_related", "1 - 0;"},
		{"DELETE FROM link", "1 - 0;3 - 0;"},
	};
	kith_db *db = t_open();

	(void)state;
	t_person(db, "Ana", NULL);
	assert_int_equal(sqlite3_exec(kith_db_sqlite(db),
		"INSERT INTO member(name, created) VALUES ('m', 1);"
		"INSERT INTO person(display_name, created, updated, private, owner)"
		" VALUES ('Pia', 1, 1, 1, 1);"
		"INSERT INTO person(display_name, created, updated) VALUES ('Cy', 1, 1);"
		"INSERT INTO org(name, created, updated) VALUES ('Acme', 1, 1)",
		NULL, NULL, NULL), SQLITE_OK);
	for (size_t i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		int64_t seq = t_int(db, "SELECT coalesce(max(seq), 0) FROM card_change");
		char *got;
		assert_int_equal(sqlite3_exec(kith_db_sqlite(db), step[i].sql, NULL, NULL, NULL),
		                 SQLITE_OK);
		got = logged_since(db, seq);
		if (strcmp(got, step[i].want) != 0)
			fail_msg("step %zu (%s): logged '%s', wanted '%s'", i, step[i].sql, got,
			         step[i].want);
		free(got);
	}
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_table),
		cmocka_unit_test(card_items),
		cmocka_unit_test(links_out),
		cmocka_unit_test(apple_in),
		cmocka_unit_test(related_in),
		cmocka_unit_test(per_member),
		cmocka_unit_test(change_log),
		cmocka_unit_test(change_log_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
