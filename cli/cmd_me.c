/* kith me: show or set the owner's own person. */
#include "cli.h"

static const char help[] =
	"usage: kith me [PERSON]\n"
	"\n"
	"Without PERSON, show who \"me\" is.  With PERSON (id, email or name),\n"
	"make that person \"me\": my network is the graph around them.\n";

int cmd_me(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTS, {0}};
	char label[256];
	kith_error err;
	kith_id id;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(help);
		return cli_bad_option("me");
	}
	if (argc - optind > 1)
		return cli_usage_error("me", "give one person");
	if ((rc = cli_open(c, 0)))
		return rc;
	if (optind < argc) {
		if ((rc = cli_person(c, argv[optind], &id)))
			return rc;
		if (kith_set_me(c->db, id, &err))
			return cli_fail(&err);
	}
	id = kith_me(c->db);
	if (c->json)
		return cli_print_json(json_pack("{s:o}", "me", id ? json_integer(id) : json_null()));
	if (!id)
		return cli_failf("'me' is not set (use 'kith me PERSON')");
	printf("me: %s\n", cli_person_label(c, id, label, sizeof(label)));
	return CLI_OK;
}
