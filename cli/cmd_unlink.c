/* kith unlink: remove the link(s) between two people. */
#include "cli.h"

static const char help[] =
	"usage: kith unlink A B [--kind K]\n"
	"\n"
	"Remove the link of kind K between A and B, or every link between them\n"
	"when no kind is given.\n";

int cmd_unlink(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'}, CLI_COMMON_OPTS, {0}};
	const char *kind = NULL;
	kith_error err;
	kith_id a, b;
	int ch, rc, removed;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'k')
			kind = optarg;
		else
			return ch == 'h' ? cli_help(help) : cli_bad_option("unlink");
	}
	if (argc - optind != 2)
		return cli_usage_error("unlink", "give the two people to unlink");
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, argv[optind], &a)) ||
	    (rc = cli_person(c, argv[optind + 1], &b)))
		return rc;
	if (kith_link_remove(c->db, a, b, kind, &removed, &err))
		return cli_fail(&err);
	if (c->json)
		return cli_print_json(json_pack("{s:i}", "removed", removed));
	printf("Removed %d link%s\n", removed, removed == 1 ? "" : "s");
	return CLI_OK;
}
