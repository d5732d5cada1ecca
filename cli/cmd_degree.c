/* kith degree: how many people are at each distance from someone. */
#include <stdlib.h>

#include "graph_util.h"

static const char help[] =
	"usage: kith degree A\n"
	"\n"
	"How many people are 1, 2, 3... links away from A, and how many are\n"
	"not connected to A at all.\n";

int cmd_degree(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTS, {0}};
	char name[256];
	kith_graph *g = NULL;
	int64_t *counts = NULL, unreach = 0, total = 0;
	kith_error err;
	kith_id a;
	size_t nd = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return ch == 'h' ? cli_help(help) : cli_bad_option("degree");
	if (argc - optind != 1)
		return cli_usage_error("degree", "give one person");
	if ((rc = gcli_graph(c, &g)) || (rc = cli_person(c, argv[optind], &a)))
		goto cleanup;
	if (kith_graph_degree(g, a, &counts, &nd, &unreach, &err)) {
		rc = cli_fail(&err);
		goto cleanup;
	}
	if (c->json) {
		json_t *by = json_array();
		for (size_t d = 1; by && d < nd; d++)
			json_array_append_new(by, json_pack("{s:I, s:I}", "distance", (json_int_t)d,
			                                    "people", (json_int_t)counts[d]));
		rc = cli_print_json(json_pack("{s:o, s:o, s:I}", "person",
		                              gcli_person_json(c, a), "by_distance", by,
		                              "unreachable", (json_int_t)unreach));
		goto cleanup;
	}
	printf("People by distance from %s:\n", gcli_name(c, a, name, sizeof(name)));
	for (size_t d = 1; d < nd; d++) {
		total += counts[d];
		printf("  %3zu  %8lld\n", d, (long long)counts[d]);
	}
	printf("  reachable %lld, not connected %lld\n", (long long)total,
	       (long long)unreach);
cleanup:
	free(counts);
	kith_graph_close(g);
	return rc;
}
