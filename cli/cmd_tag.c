/* kith tag: add or remove tags on a person, or list tags in use. */
#include "cli.h"

static const char help[] =
	"usage: kith tag PERSON TAG... [--rm]\n"
	"       kith tag\n"
	"\n"
	"Add tags to a person (or remove them with --rm).  Without arguments,\n"
	"list the tags in use with how many people carry each.\n";

int cmd_tag(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"rm", no_argument, NULL, 'r'}, CLI_COMMON_OPTS, {0}};
	kith_strv tags = {0};
	kith_person *p = NULL;
	kith_error err;
	kith_id id;
	int ch, rc, rm = 0;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'r')
			rm = 1;
		else
			return ch == 'h' ? cli_help(help) : cli_bad_option("tag");
	}
	if (optind == argc) {
		char *largv[] = {"list", "tags", NULL};
		optind = 0;
		return cmd_list(c, 2, largv);
	}
	if (argc - optind < 2)
		return cli_usage_error("tag", "give a person and at least one tag");
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, argv[optind], &id)))
		return rc;
	for (int i = optind + 1; i < argc; i++)
		if (kith_strv_push(&tags, argv[i]))
			return cli_failf("out of memory");
	rc = kith_person_tag(c->db, id, rm ? NULL : &tags, rm ? &tags : NULL, &err);
	kith_strv_clear(&tags);
	if (!rc)
		rc = kith_person_get(c->db, id, &p, &err);
	if (rc)
		return cli_fail(&err);
	if (c->json) {
		rc = cli_print_json(kith_person_json(p));
	} else {
		printf("%s: ", p->display_name);
		for (size_t i = 0; i < p->tags.n; i++)
			printf("%s%s", i ? ", " : "", p->tags.v[i]);
		printf("%s\n", p->tags.n ? "" : "(no tags)");
	}
	kith_person_free(p);
	return rc;
}
