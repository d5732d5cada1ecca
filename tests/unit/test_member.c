/* Members, tokens, and what each member sees. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void tokens(void **state)
{
	kith_db *db = t_open();
	kith_id alex = t_person(db, "Alex", NULL), bo = t_person(db, "Bo", NULL);
	kith_id m1, m2, who, tid;
	char tok[KITH_TOKEN_LEN], tok2[KITH_TOKEN_LEN];
	kith_member *v;
	size_t n;
	kith_error err;

	(void)state;
	assert_int_equal(kith_member_add(db, "alex", alex, &m1, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "ALEX", bo, &m2, &err), KITH_EEXISTS);
	assert_int_equal(kith_member_add(db, "bo", alex, &m2, &err), KITH_EEXISTS);
	assert_int_equal(kith_member_add(db, "bo", 999, &m2, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_member_add(db, "", bo, &m2, &err), KITH_EINVAL);
	assert_int_equal(kith_member_add(db, "bo", bo, &m2, &err), KITH_OK);
	assert_int_equal(kith_member_resolve(db, "Bo", &who, &err), KITH_OK);
	assert_int_equal(who, m2);
	assert_int_equal(kith_member_resolve(db, "#1", &who, &err), KITH_OK);
	assert_int_equal(who, m1);

	assert_int_equal(kith_token_new(db, m1, "laptop", tok, &tid, &err), KITH_OK);
	assert_int_equal(strlen(tok), KITH_TOKEN_LEN - 1);
	assert_int_equal(strncmp(tok, "kith_", 5), 0);
	assert_int_equal(kith_token_new(db, m1, NULL, tok2, NULL, &err), KITH_OK);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(kith_token_check(db, tok, &who, &err), KITH_OK);
	assert_int_equal(who, m1);
	/* Only a hash is stored: the token text is nowhere in the file. */
	assert_int_equal(t_int(db, "SELECT count(*) FROM token WHERE hash LIKE '%kith_%'"), 0);
	assert_int_equal(t_int(db, "SELECT count(*) FROM token WHERE length(hash) = 32"), 2);
	tok2[10] ^= 1;
	assert_int_equal(kith_token_check(db, tok2, &who, &err), KITH_EINVAL);
	assert_int_equal(kith_token_check(db, "kith_short", &who, &err), KITH_EINVAL);
	assert_int_equal(kith_token_check(db, "", &who, &err), KITH_EINVAL);
	assert_int_equal(kith_token_revoke(db, tid, m2, &err), KITH_ENOTFOUND);  /* not bo's */
	assert_int_equal(kith_token_revoke(db, tid, m1, &err), KITH_OK);
	assert_int_equal(kith_token_check(db, tok, &who, &err), KITH_EINVAL);
	assert_int_equal(kith_token_revoke(db, tid, 0, &err), KITH_ENOTFOUND);

	assert_int_equal(kith_member_list(db, &v, &n, &err), KITH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, "alex");
	assert_int_equal(v[0].tokens, 1);
	kith_member_list_free(v, n);
	assert_int_equal(kith_member_remove(db, m1, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM token"), 0);
	t_close(db);
}

/* A second handle on the same file that sees what member m sees. */
static void visibility(void **state)
{
	kith_db *db = t_open();
	kith_id alex = t_person(db, "Alex", NULL), bo = t_person(db, "Bo", NULL);
	kith_id team = t_person(db, "Team Mate", NULL), ma, mb, secret, who;
	kith_interaction it = {0};
	kith_note note = {0};
	kith_person **pl;
	kith_hit *hits;
	size_t n;
	kith_error err;

	(void)state;
	assert_int_equal(kith_member_add(db, "alex", alex, &ma, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "bo", bo, &mb, &err), KITH_OK);
	assert_int_equal(t_link(db, alex, team, "knows", -1), KITH_OK);

	/* Alex writes a private person, a link to them, and a private note. */
	assert_int_equal(kith_db_set_author(db, ma, 1, &err), KITH_OK);
	secret = t_person(db, "Secret Source", "src@hidden.example");
	assert_int_equal(kith_db_set_author(db, ma, 0, &err), KITH_OK);
	/* The link is team by its author, but private by its private end. */
	assert_int_equal(t_link(db, team, secret, "friend", 0.9), KITH_OK);
	kith_idv_push(&it.people, team);
	kith_idv_push(&it.people, secret);
	it.kind = strdup("meeting");
	it.at = T_NOW - 86400;
	it.notes = strdup("lunch about the deal");
	assert_int_equal(kith_interaction_add(db, &it, &err), KITH_OK);
	kith_interaction_clear(&it);
	note.person = team;
	note.body = "owes us one";
	note.priv = 1;
	note.owner = ma;
	assert_int_equal(kith_note_add(db, &note, &err), KITH_OK);
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT private FROM link WHERE b = 4 OR a = 4"), 1);
	assert_int_equal(t_int(db, "SELECT owner FROM interaction"), ma);

	kith_db *va = t_viewer(ma), *vb = t_viewer(mb);
	/* "me" is the member's person. */
	assert_int_equal(kith_me(va), alex);
	assert_int_equal(kith_me(vb), bo);
	/* Alex sees everything; Bo sees none of it, by any road. */
	assert_int_equal(kith_person_list(va, NULL, &pl, &n, &err), KITH_OK);
	kith_person_list_free(pl, n);
	assert_int_equal(n, 4);
	assert_int_equal(kith_person_list(vb, NULL, &pl, &n, &err), KITH_OK);
	kith_person_list_free(pl, n);
	assert_int_equal(n, 3);
	assert_int_equal(kith_person_resolve(vb, "src@hidden.example", &who, NULL, &err),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_person_resolve(vb, "Secret", &who, NULL, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_person_resolve(va, "Secret", &who, NULL, &err), KITH_OK);
	assert_int_equal(kith_search(vb, "secret", 10, &hits, &n, &err), KITH_OK);
	kith_hit_list_free(hits, n);
	assert_int_equal(n, 0);
	assert_int_equal(kith_search(vb, "lunch", 10, &hits, &n, &err), KITH_OK);
	kith_hit_list_free(hits, n);
	assert_int_equal(n, 0);
	assert_int_equal(kith_search(va, "lunch", 10, &hits, &n, &err), KITH_OK);
	kith_hit_list_free(hits, n);
	assert_int_equal(n, 1);
	kith_note *notes;
	assert_int_equal(kith_note_list(vb, team, &notes, &n, &err), KITH_OK);
	kith_note_list_free(notes, n);
	assert_int_equal(n, 0);
	assert_int_equal(kith_note_list(va, team, &notes, &n, &err), KITH_OK);
	kith_note_list_free(notes, n);
	assert_int_equal(n, 1);

	/* The graph: Bo cannot reach the secret, nor count its link. */
	kith_graph *g;
	kith_path p = {0};
	kith_graph_info gi;
	assert_int_equal(kith_graph_open(vb, NULL, &g, &err), KITH_OK);
	assert_int_equal(kith_graph_path(g, alex, secret, &p, &err), KITH_ENOTFOUND);
	assert_int_equal(kith_graph_info_get(g, &gi, &err), KITH_OK);
	assert_int_equal(gi.people, 3);
	assert_int_equal(gi.links, 1);
	kith_graph_close(g);
	assert_int_equal(kith_graph_open(va, NULL, &g, &err), KITH_OK);
	assert_int_equal(kith_graph_path(g, alex, secret, &p, &err), KITH_OK);
	assert_int_equal(p.len, 3);
	kith_path_clear(&p);
	kith_graph_close(g);

	/* Counts and timelines leave it out too. */
	kith_counts c;
	assert_int_equal(kith_counts_get(vb, &c, &err), KITH_OK);
	assert_int_equal(c.people, 3);
	assert_int_equal(c.links, 1);
	assert_int_equal(c.interactions, 0);
	kith_interaction *il;
	kith_interaction_filter f = {.person = team};
	assert_int_equal(kith_interaction_list(vb, &f, &il, &n, &err), KITH_OK);
	kith_interaction_list_free(il, n);
	assert_int_equal(n, 0);

	/* Viewers cannot write, and only read-only handles may be viewers. */
	assert_int_equal(kith_person_remove(vb, team, &err) != KITH_OK, 1);
	assert_int_equal(kith_db_set_viewer(db, ma, &err), KITH_EINTERNAL);

	/* Making a team person private hides their links and talks as well,
	 * from the views: no row of anyone else's is rewritten (the team link
	 * stays team and nobody's), so making them team again gives back
	 * exactly what was. */
	assert_int_equal(kith_record_set_visibility(db, "person", team, mb, 1, &err), KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE private = 0"), 1);
	assert_int_equal(t_int(db, "SELECT count(*) FROM link WHERE owner IS NULL"), 1);
	assert_int_equal(t_int(db, "SELECT owner FROM interaction"), ma);
	assert_int_equal(t_int(db, "SELECT owner FROM note"), ma);
	assert_int_equal(kith_counts_get(va, &c, &err), KITH_OK);
	assert_int_equal(c.links, 0);
	assert_int_equal(c.interactions, 0);
	kith_id owner;
	int priv;
	assert_int_equal(kith_record_visibility(va, "person", team, &owner, &priv, &err),
	                 KITH_ENOTFOUND);
	assert_int_equal(kith_record_visibility(vb, "person", team, &owner, &priv, &err), KITH_OK);
	assert_int_equal(owner, mb);
	assert_int_equal(kith_record_set_visibility(db, "person", team, 0, 0, &err), KITH_OK);
	assert_int_equal(kith_counts_get(va, &c, &err), KITH_OK);
	assert_int_equal(c.links, 2);
	assert_int_equal(c.interactions, 1);
	assert_int_equal(kith_note_list(va, team, &notes, &n, &err), KITH_OK);
	kith_note_list_free(notes, n);
	assert_int_equal(n, 1);
	kith_db_close(va);
	kith_db_close(vb);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokens),
		cmocka_unit_test(visibility),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
