#ifndef KITH_CLI_TEAM_UTIL_H
#define KITH_CLI_TEAM_UTIL_H

/* Shared by the team subcommands (cmd_ways.c ... cmd_candidate.c): the
 * view they answer from.  Without --as, the database's own user sees
 * everything; with --as MEMBER, a read-only handle sees what that member
 * sees (kith_db_set_viewer), exactly as the server answers them. */
#include "cli.h"
#include "kith/graph.h"

struct tcli {
	kith_db *db;              /* the view: c->db, or an owned viewer handle */
	kith_id member;           /* --as, else the member whose person is me, else 0 */
	kith_graph *g;            /* on db, owned */
	kith_score_graph_ctx *score;
};

/* Opens the view for member reference as (NULL: see above); with graph,
 * a graph on it too.  Prints the error and returns CLI_FAIL on failure. */
int tcli_open(struct cli *c, const char *as, int graph, struct tcli *t);
void tcli_close(struct cli *c, struct tcli *t);

#define TCLI_AS_HELP "  --as MEMBER  answer as that member sees the network (default: me)\n"

#endif
