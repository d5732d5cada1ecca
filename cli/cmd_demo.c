/* kith demo: fill a database with a generated, believable network. */
#include <stdlib.h>

#include "cli.h"

static const char help[] =
	"usage: kith demo [--seed N] [--people N]\n"
	"\n"
	"Generate a demo network around \"me\" (set one first with 'kith init\n"
	"--me NAME'): people, organisations, jobs, links and a year of\n"
	"interactions up to now (or --now).  The same seed gives the same network.\n"
	"\n"
	"  --seed N     random seed (default 42)\n"
	"  --people N   how many people besides me (default 300, at most 100000)\n";

int cmd_demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"seed", required_argument, NULL, 's'},
		{"people", required_argument, NULL, 'p'},
		CLI_COMMON_OPTS, {0}};
	kith_demo_opts o = {.seed = 42, .people = 300};
	kith_demo_report r;
	kith_error err;
	double v;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (cli_number("demo", "--seed", optarg, 0, 1e15, &v))
				return CLI_USAGE;
			o.seed = (uint64_t)v;
			break;
		case 'p':
			if (cli_number("demo", "--people", optarg, 10, 100000, &v))
				return CLI_USAGE;
			o.people = (int)v;
			break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("demo");
		}
	}
	if (optind < argc)
		return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(c, 0)))
		return rc;
	if (kith_demo_generate(c->db, &o, &r, &err))
		return cli_fail(&err);
	if (c->json)
		return cli_print_json(json_pack("{s:I, s:I, s:I, s:I}",
			"people", (json_int_t)r.people, "orgs", (json_int_t)r.orgs,
			"links", (json_int_t)r.links, "interactions", (json_int_t)r.interactions));
	printf("Demo network: %lld people, %lld organisations, %lld links, "
	       "%lld interactions\n", (long long)r.people, (long long)r.orgs,
	       (long long)r.links, (long long)r.interactions);
	return CLI_OK;
}
