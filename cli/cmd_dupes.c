/* kith dupes: people who are likely the same person. */
#include "cli.h"
#include "kith/import.h"

static const char help[] =
	"usage: kith dupes [--limit N]\n"
	"\n"
	"List pairs of people who are probably one person, strongest reason\n"
	"first: a shared phone, a similar name at the same organisation, the\n"
	"same email user name at two domains, the same name.  Merge a pair with\n"
	"'kith merge KEEP GONE'.\n"
	"\n"
	"  --limit N   at most N pairs\n";

int cmd_dupes(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"limit", required_argument, NULL, 'l'},
		CLI_COMMON_OPTS, {0}};
	kith_dupe *v = NULL;
	size_t n = 0, limit = 0;
	kith_error err;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "hl:", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if ((rc = cli_count("dupes", "--limit", optarg, &limit)))
				return rc;
			break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("dupes");
		}
	}
	if (optind != argc)
		return cli_usage_error("dupes", "no arguments expected");
	if ((rc = cli_open(c, KITH_OPEN_READONLY)) != CLI_OK)
		return rc;
	if (kith_dupes_find(c->db, limit, &v, &n, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *j = json_object();
			json_object_set_new(j, "a", json_integer(v[i].a));
			json_object_set_new(j, "b", json_integer(v[i].b));
			json_object_set_new(j, "reason", json_string(kith_dupe_reason_name(v[i].reason)));
			json_object_set_new(j, "detail", json_string(v[i].detail));
			json_array_append_new(a, j);
		}
		kith_dupe_list_free(v, n);
		return cli_print_json(a);
	}
	for (size_t i = 0; i < n; i++) {
		char a[200], b[200];
		printf("%s  and  %s: %s (%s)\n", cli_person_label(c, v[i].a, a, sizeof(a)),
		       cli_person_label(c, v[i].b, b, sizeof(b)),
		       kith_dupe_reason_name(v[i].reason), v[i].detail);
	}
	if (n == 0)
		printf("No likely duplicates.\n");
	kith_dupe_list_free(v, n);
	return CLI_OK;
}
