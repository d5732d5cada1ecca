/* kith like: people who share a person's tags and values. */
#include <stdlib.h>

#include "cli.h"
#include "graph_util.h"

static const char help[] =
	"usage: kith like PERSON [--within N] [--limit K]\n"
	"\n"
	"People with the most similar tags (weighted Jaccard: a rare tag shared\n"
	"says more than a common one), for partners who share our values.\n"
	"\n"
	"  --within N   only people within N degrees of PERSON (default: all)\n"
	"  --limit K    at most K people (default 10)\n";

int cmd_like(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"within", required_argument, NULL, 'w'},
		{"limit", required_argument, NULL, 'l'},
		CLI_COMMON_OPTS, {0}};
	size_t limit = 10, within = 0, n, nreach = 0;
	kith_id who, *reach = NULL;
	int *dist = NULL;
	kith_like *v;
	kith_error err;
	json_t *a;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': if (cli_count("like", "--within", optarg, &within)) return CLI_USAGE; break;
		case 'l': if (cli_count("like", "--limit", optarg, &limit)) return CLI_USAGE; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("like");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("like", "give one person");
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, argv[optind], &who)))
		return rc;
	if (within) {
		kith_graph *g;
		if ((rc = gcli_graph(c, &g)))
			return rc;
		rc = kith_graph_reach(g, who, (int)within, &reach, &dist, &nreach, &err);
		free(dist);
		kith_graph_close(g);
		if (rc)
			return cli_fail(&err);
	}
	rc = kith_like_list(c->db, who, within ? reach : NULL, nreach, limit, &v, &n, &err);
	free(reach);
	if (rc)
		return cli_fail(&err);
	a = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		char label[256];
		if (a) {
			json_t *tags = json_array();
			for (size_t t = 0; t < v[i].shared.n; t++)
				json_array_append_new(tags, json_string(v[i].shared.v[t]));
			json_array_append_new(a, json_pack("{s:I, s:f, s:o}", "person",
				(json_int_t)v[i].person, "similarity", v[i].similarity, "shared", tags));
			continue;
		}
		printf("%.2f  ", v[i].similarity);
		cli_put_padded(cli_person_label(c, v[i].person, label, sizeof(label)), 34);
		for (size_t t = 0; t < v[i].shared.n; t++)
			printf("%s%s", t ? ", " : "", v[i].shared.v[t]);
		putchar('\n');
	}
	if (!a && n == 0)
		printf("nobody shares a tag with them%s\n", within ? " within reach" : "");
	kith_like_list_free(v, n);
	return a ? cli_print_json(json_pack("{s:o}", "like", a)) : CLI_OK;
}
