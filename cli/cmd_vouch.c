/* kith vouch: A recommends B. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith vouch A for B [--note N]\n"
	"       kith vouch --rm A for B\n"
	"       kith vouch --list [PERSON]\n"
	"\n"
	"Record that A vouches for (recommends) B, as said to me.  A link\n"
	"between people who vouched for each other counts as stronger, so\n"
	"introductions through it rank higher.\n";

int cmd_vouch(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"note", required_argument, NULL, 'n'},
		{"rm", no_argument, NULL, 'r'},
		{"list", no_argument, NULL, 'l'},
		CLI_COMMON_OPTS, {0}};
	kith_vouch v = {0};
	kith_error err;
	const char *note = NULL;
	int ch, rc, rm = 0, list = 0;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': note = optarg; break;
		case 'r': rm = 1; break;
		case 'l': list = 1; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("vouch");
		}
	}
	if ((rc = cli_open(c, 0)))
		return rc;
	if (list) {
		kith_vouch *vs;
		size_t n;
		kith_id who = 0;
		json_t *a = c->json ? json_array() : NULL;
		if (optind < argc && (rc = cli_person(c, argv[optind], &who)))
			return rc;
		if (kith_vouch_list(c->db, who, &vs, &n, &err))
			return cli_fail(&err);
		for (size_t i = 0; i < n; i++) {
			char la[256], lb[256];
			if (a)
				json_array_append_new(a, json_pack("{s:I, s:I, s:o}", "voucher",
					(json_int_t)vs[i].voucher, "subject", (json_int_t)vs[i].subject,
					"notes", vs[i].notes ? json_string(vs[i].notes) : json_null()));
			else
				printf("%s vouches for %s%s%s\n", cli_person_label(c, vs[i].voucher, la, sizeof(la)),
				       cli_person_label(c, vs[i].subject, lb, sizeof(lb)),
				       vs[i].notes ? ": " : "", vs[i].notes ? vs[i].notes : "");
		}
		kith_vouch_list_free(vs, n);
		return a ? cli_print_json(json_pack("{s:o}", "vouches", a)) : CLI_OK;
	}
	if (argc - optind != 3 || strcmp(argv[optind + 1], "for") != 0)
		return cli_usage_error("vouch", "say 'kith vouch A for B'");
	if ((rc = cli_person(c, argv[optind], &v.voucher)) ||
	    (rc = cli_person(c, argv[optind + 2], &v.subject)))
		return rc;
	if (rm) {
		if (kith_vouch_remove(c->db, v.voucher, v.subject, &err))
			return cli_fail(&err);
		if (!c->json)
			printf("Removed the vouch\n");
		return c->json ? cli_print_json(json_pack("{s:b}", "removed", 1)) : CLI_OK;
	}
	v.notes = (char *)note;  /* borrowed for the call */
	if (kith_vouch_add(c->db, &v, &err))
		return cli_fail(&err);
	if (c->json)
		return cli_print_json(json_pack("{s:I, s:I, s:I}", "id", (json_int_t)v.id,
			"voucher", (json_int_t)v.voucher, "subject", (json_int_t)v.subject));
	{
		char la[256], lb[256];
		printf("%s vouches for %s\n", cli_person_label(c, v.voucher, la, sizeof(la)),
		       cli_person_label(c, v.subject, lb, sizeof(lb)));
	}
	return CLI_OK;
}
