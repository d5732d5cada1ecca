/* The view of the team subcommands (team_util.h). */
#include <string.h>

#include "team_util.h"
#include "kith/member.h"

/* The member whose person is "me", or 0. */
static kith_id me_member(kith_db *db)
{
	kith_member *m;
	kith_id me = kith_me(db), id = 0;
	size_t n;

	if (!me || kith_member_list(db, &m, &n, NULL))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (m[i].person == me)
			id = m[i].id;
	kith_member_list_free(m, n);
	return id;
}

int tcli_open(struct cli *c, const char *as, int graph, struct tcli *t)
{
	kith_graph_opts o = {0};
	kith_error err;
	int rc = cli_open(c, 0);

	memset(t, 0, sizeof(*t));
	if (rc)
		return rc;
	t->db = c->db;
	if (as && kith_member_resolve(c->db, as, &t->member, &err))
		return cli_fail(&err);
	if (!as)
		t->member = me_member(c->db);
	if (as) {
		if (kith_db_open(c->db_path, KITH_OPEN_READONLY, &t->db, &err) ||
		    kith_db_set_viewer(t->db, t->member, &err)) {
			kith_db_close(t->db);
			t->db = NULL;
			return cli_fail(&err);
		}
		if (c->now)
			kith_db_set_now(t->db, c->now);
	}
	if (!graph)
		return CLI_OK;
	if (!(t->score = kith_score_graph_ctx_new(t->db, kith_db_now(t->db))))
		return cli_failf("out of memory");
	o.strength = kith_score_graph_strength;
	o.strength_pairs_only = 1;
	o.strength_ctx = t->score;
	if (kith_graph_open(t->db, &o, &t->g, &err))
		return cli_fail(&err);
	return CLI_OK;
}

void tcli_close(struct cli *c, struct tcli *t)
{
	kith_graph_close(t->g);
	kith_score_graph_ctx_free(t->score);
	if (t->db && t->db != c->db)
		kith_db_close(t->db);
	memset(t, 0, sizeof(*t));
}
