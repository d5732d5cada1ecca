/* kith kind: the kinds of links and of interactions. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith kind [list] [--interaction]\n"
	"       kith kind add NAME [--interaction] [--weight W] [--directed] [--description D]\n"
	"\n"
	"List the kinds of links (or, with --interaction, of interactions), or\n"
	"add one.  An interaction kind's weight (0 to 10, default 1) says how\n"
	"much it counts towards a link's strength; a directed link kind reads\n"
	"\"A is the K of B\".\n";

int cmd_kind(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"interaction", no_argument, NULL, 'i'},
		{"weight", required_argument, NULL, 'w'},
		{"directed", no_argument, NULL, 'd'},
		{"description", required_argument, NULL, 'D'},
		CLI_COMMON_OPTS, {0}};
	kith_kind k = {.weight = 1};
	kith_kind *v;
	kith_error err;
	size_t n;
	int ch, rc, domain = KITH_KIND_LINK;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'i': domain = KITH_KIND_INTERACTION; break;
		case 'w': if (cli_number("kind", "--weight", optarg, 0.001, 10, &k.weight))
		                  return CLI_USAGE;
		          break;
		case 'd': k.directed = 1; break;
		case 'D': k.description = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("kind");
		}
	}
	if ((rc = cli_open(c, 0)))
		return rc;
	if (optind < argc && strcmp(argv[optind], "add") == 0) {
		if (argc - optind != 2)
			return cli_usage_error("kind", "give one name to add");
		k.name = argv[optind + 1];
		if (kith_kind_add(c->db, domain, &k, &err))
			return cli_fail(&err);
		if (!c->json)
			printf("Added %s kind '%s'\n",
			       domain == KITH_KIND_LINK ? "link" : "interaction", k.name);
	} else if (optind < argc && strcmp(argv[optind], "list") != 0) {
		return cli_usage_error("kind", "'%s' is not 'list' or 'add'", argv[optind]);
	}
	if (kith_kind_list(c->db, domain, &v, &n, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, domain == KITH_KIND_LINK ?
				json_pack("{s:s, s:s, s:b}", "name", v[i].name, "description",
				          v[i].description, "directed", v[i].directed) :
				json_pack("{s:s, s:s, s:f}", "name", v[i].name, "description",
				          v[i].description, "weight", v[i].weight));
		rc = cli_print_json(json_pack("{s:o}", "kinds", a));
	} else if (optind >= argc || strcmp(argv[optind], "add") != 0) {
		for (size_t i = 0; i < n; i++) {
			if (domain == KITH_KIND_LINK)
				printf("%-12s %s%s\n", v[i].name, v[i].description,
				       v[i].directed ? " (directed)" : "");
			else
				printf("%-14s weight %-5.2f %s\n", v[i].name, v[i].weight,
				       v[i].description);
		}
	}
	kith_kind_list_free(v, n);
	return rc;
}
