/* kith reach: everyone within a few links of someone. */
#include <stdlib.h>

#include "graph_util.h"

static const char help[] =
	"usage: kith reach A [--within N] [--count]\n"
	"\n"
	"The people at most N links from A, closest first.\n"
	"\n"
	"  --within N   at most N links away (default 2)\n"
	"  --count      only say how many\n";

int cmd_reach(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"within", required_argument, NULL, 'w'},
		{"count", no_argument, NULL, 'c'},
		CLI_COMMON_OPTS, {0}};
	char name[256];
	kith_graph *g = NULL;
	kith_id a, *ids = NULL;
	int *dist = NULL, within = 2, only_count = 0, ch, rc;
	kith_error err;
	size_t n = 0;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': if (gcli_int("reach", "--within", optarg, 0, 1000, &within))
		              return CLI_USAGE;
		          break;
		case 'c': only_count = 1; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("reach");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("reach", "give one person");
	if ((rc = gcli_graph(c, &g)) || (rc = cli_person(c, argv[optind], &a)))
		goto cleanup;
	if (kith_graph_reach(g, a, within, only_count ? NULL : &ids,
	                     only_count ? NULL : &dist, &n, &err)) {
		rc = cli_fail(&err);
		goto cleanup;
	}
	if (c->json) {
		json_t *people = only_count ? NULL : json_array();
		for (size_t i = 0; people && i < n; i++) {
			json_t *o = gcli_person_json(c, ids[i]);
			json_object_set_new(o, "distance", json_integer(dist[i]));
			json_array_append_new(people, o);
		}
		json_t *j = json_pack("{s:o, s:i, s:I}", "from", gcli_person_json(c, a),
		                      "within", within, "count", (json_int_t)n);
		if (j && people)
			json_object_set_new(j, "people", people);
		rc = cli_print_json(j);
		goto cleanup;
	}
	printf("%zu %s within %d link%s of %s\n", n, n == 1 ? "person" : "people", within,
	       within == 1 ? "" : "s", gcli_name(c, a, name, sizeof(name)));
	for (size_t i = 0; !only_count && i < n; i++)
		printf("  %2d  %s (#%lld)\n", dist[i], gcli_name(c, ids[i], name, sizeof(name)),
		       (long long)ids[i]);
cleanup:
	free(ids);
	free(dist);
	kith_graph_close(g);
	return rc;
}
