/* Helpers for the network subcommands: opening the graph, naming people
 * and printing paths the same way everywhere. */
#include <stdlib.h>
#include <string.h>

#include "graph_util.h"

int gcli_graph(struct cli *c, kith_graph **g)
{
	kith_graph_opts o = {0};
	kith_error err;
	char index[4096];
	int rc = cli_open(c, 0);

	*g = NULL;
	if (rc)
		return rc;
	/* Edge weights are the scored strengths (interactions, trust,
	 * vouches: docs/score.md), so the warmest introduction is found. */
	if (!c->score && !(c->score = kith_score_graph_ctx_new(c->db, kith_db_now(c->db))))
		return cli_failf("out of memory");
	kith_score_graph_index_opts(c->score, &o);
	/* The index beside the database (docs/graph.md): mapped instead of
	 * built, and written again by this process when it must be. */
	if (snprintf(index, sizeof(index), "%s.graph", c->db_path) < (int)sizeof(index) &&
	    !getenv("KITH_NO_GRAPH_INDEX")) {
		o.index_path = index;
		o.index_write = 1;
	}
	if (kith_graph_open(c->db, &o, g, &err))
		return cli_fail(&err);
	return CLI_OK;
}

const char *gcli_name(struct cli *c, kith_id id, char *buf, size_t sz)
{
	kith_person *p;

	if (kith_person_get_brief(c->db, id, &p, NULL) != KITH_OK) {
		snprintf(buf, sz, "#%lld", (long long)id);
		return buf;
	}
	snprintf(buf, sz, "%s", p->display_name);
	kith_person_free(p);
	return buf;
}

void gcli_print_path(struct cli *c, const kith_path *p)
{
	char name[256];

	for (size_t i = 0; i < p->len; i++)
		printf("%s%s", i ? " \xe2\x86\x92 " : "", gcli_name(c, p->ids[i], name,
		                                                    sizeof(name)));
}

json_t *gcli_person_json(struct cli *c, kith_id id)
{
	char name[256];

	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name",
	                 gcli_name(c, id, name, sizeof(name)));
}

json_t *gcli_path_json(struct cli *c, const kith_path *p)
{
	json_t *people = json_array();

	for (size_t i = 0; people && i < p->len; i++)
		json_array_append_new(people, gcli_person_json(c, p->ids[i]));
	return json_pack("{s:o, s:I, s:f}", "people", people,
	                 "degrees", (json_int_t)(p->len ? p->len - 1 : 0),
	                 "strength", p->strength);
}

int gcli_int(const char *cmd, const char *opt, const char *s, int lo, int hi,
             int *out)
{
	double v;

	if (cli_number(cmd, opt, s, lo, hi, &v))
		return CLI_USAGE;
	if (v != (double)(int)v)
		return cli_usage_error(cmd, "%s: '%s' is not a whole number", opt, s);
	*out = (int)v;
	return CLI_OK;
}
