/* kith merge: two records of one person become one. */
#include "cli.h"
#include "kith/import.h"

static const char help[] =
	"usage: kith merge KEEP GONE\n"
	"\n"
	"Merge GONE into KEEP and delete GONE: emails, phones, tags, empty\n"
	"fields, notes, jobs, links, interactions, vouches and cadences all move\n"
	"to KEEP, in one transaction.  When both were linked to the same person\n"
	"with the same kind, the link keeps the higher trust and earlier since.\n"
	"See 'kith dupes' for likely pairs.\n";

int cmd_merge(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTS, {0}};
	kith_id keep, gone;
	kith_error err;
	char a[200], b[200];
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(help);
		return cli_bad_option("merge");
	}
	if (argc - optind != 2)
		return cli_usage_error("merge", "name the person to keep, then the one to merge into them");
	if ((rc = cli_open(c, 0)) != CLI_OK)
		return rc;
	if (cli_person(c, argv[optind], &keep) || cli_person(c, argv[optind + 1], &gone))
		return CLI_FAIL;
	cli_person_label(c, keep, a, sizeof(a));
	cli_person_label(c, gone, b, sizeof(b));
	if (kith_person_merge(c->db, keep, gone, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *j = json_object();
		json_object_set_new(j, "kept", json_integer(keep));
		json_object_set_new(j, "merged", json_integer(gone));
		return cli_print_json(j);
	}
	printf("Merged %s into %s\n", b, a);
	return CLI_OK;
}
