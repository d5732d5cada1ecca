/* kith check: the database and kith's caches, verified. */
#include "cli.h"
#include "kith/backup.h"

static const char help[] =
	"usage: kith check [--repair]\n"
	"\n"
	"Verify the database: SQLite's integrity and foreign keys, the schema,\n"
	"and kith's own derived data against what the records say: the search\n"
	"indexes, email scopes, the graph state, and the pair strength cache\n"
	"against a recompute from the interaction log.  Prints each check with\n"
	"'ok' or what differs; exits 1 when anything differs.  Only reads.\n"
	"\n"
	"  --repair   rebuild the caches that differ (a write transaction each),\n"
	"             then check again\n";

int cmd_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"repair", no_argument, NULL, 'r'},
		CLI_COMMON_OPTS, {0}};
	kith_check_report rep;
	kith_error err;
	int ch, repair = 0, rc;

	while ((ch = getopt_long(argc, argv, "hr", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': repair = 1; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("check");
		}
	}
	if (argc != optind)
		return cli_usage_error("check", "takes no arguments");
	if ((rc = cli_open(c, repair ? 0 : KITH_OPEN_READONLY)) != CLI_OK)
		return rc;
	if (kith_check(c->db, repair, &rep, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *items = json_array();
		for (int i = 0; i < rep.n; i++)
			json_array_append_new(items, json_pack("{s:s, s:b, s:s}", "check",
				rep.items[i].name, "ok", rep.items[i].ok, "detail", rep.items[i].detail));
		if (cli_print_json(json_pack("{s:b, s:o, s:i}", "ok", rep.failed == 0, "checks",
		                             items, "repaired", rep.repaired)) != CLI_OK)
			return CLI_FAIL;
	} else {
		for (int i = 0; i < rep.n; i++)
			printf("%-20s %s%s%s\n", rep.items[i].name, rep.items[i].ok ? "ok" : "DIFFERS",
			       rep.items[i].detail[0] ? ": " : "", rep.items[i].detail);
		if (rep.repaired)
			printf("repaired %d, %d still differ\n", rep.repaired, rep.failed);
	}
	return rep.failed ? CLI_FAIL : CLI_OK;
}
