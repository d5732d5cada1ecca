/* kith link: say that two people know each other, and how. */
#include "cli.h"

static const char help[] =
	"usage: kith link A B [--kind K] [--trust X] [--since DATE] [--note N] [--by P]\n"
	"\n"
	"Record a link between A and B.  A pair may have several links of\n"
	"different kinds (colleague and friend), never two of one kind.\n"
	"For directed kinds (mentor, client, investor) A is the mentor of B.\n"
	"\n"
	"  --kind K      knows (default), friend, family, colleague, client,\n"
	"                partner, mentor, investor, classmate, neighbour, or one\n"
	"                added with 'kith kind add'\n"
	"  --trust X     how much A and B trust each other, from 0 to 1\n"
	"  --since DATE  when it started: YYYY, YYYY-MM or YYYY-MM-DD\n"
	"  --note N      free notes\n"
	"  --by P        who says so (default: me)\n";

int cmd_link(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"trust", required_argument, NULL, 't'},
		{"since", required_argument, NULL, 's'},
		{"note", required_argument, NULL, 'n'},
		{"by", required_argument, NULL, 'b'},
		CLI_COMMON_OPTS, {0}};
	const char *by = NULL;
	kith_link l = {0};
	kith_error err;
	char la[256], lb[256];
	int ch, rc = CLI_OK;

	while (!rc && (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'k': free(l.kind); l.kind = cli_dup(optarg); break;
		case 't': rc = cli_number("link", "--trust", optarg, 0, 1, &l.trust);
		          l.has_trust = 1; break;
		case 's': free(l.since); l.since = cli_dup(optarg); break;
		case 'n': free(l.notes); l.notes = cli_dup(optarg); break;
		case 'b': by = optarg; break;
		case 'h': kith_link_clear(&l); return cli_help(help);
		default: rc = cli_bad_option("link"); break;
		}
	}
	if (!rc && argc - optind != 2)
		rc = cli_usage_error("link", "give the two people to link");
	if (!rc)
		rc = cli_open(c, 0);
	if (!rc)
		rc = cli_person(c, argv[optind], &l.a);
	if (!rc)
		rc = cli_person(c, argv[optind + 1], &l.b);
	if (!rc && by)
		rc = cli_person(c, by, &l.asserted_by);
	if (!rc && kith_link_add(c->db, &l, &err))
		rc = cli_fail(&err);
	if (!rc && c->json) {
		rc = cli_print_json(kith_link_json(&l));
	} else if (!rc) {
		printf("Linked %s and %s as %s", cli_person_label(c, l.a, la, sizeof(la)),
		       cli_person_label(c, l.b, lb, sizeof(lb)), l.kind);
		if (l.has_trust)
			printf(" (trust %.2f)", l.trust);
		putchar('\n');
	}
	kith_link_clear(&l);
	return rc;
}
