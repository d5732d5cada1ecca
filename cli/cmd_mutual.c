/* kith mutual: the people two people both know. */
#include <stdlib.h>

#include "graph_util.h"

static const char help[] =
	"usage: kith mutual A B\n"
	"\n"
	"People linked to both A and B, with the strength of each link.\n";

int cmd_mutual(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTS, {0}};
	char na[256], nb[256], nm[256];
	kith_graph *g = NULL;
	kith_mutual *m = NULL;
	kith_error err;
	kith_id a, b;
	size_t n = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return ch == 'h' ? cli_help(help) : cli_bad_option("mutual");
	if (argc - optind != 2)
		return cli_usage_error("mutual", "give the two people");
	if ((rc = gcli_graph(c, &g)) || (rc = cli_person(c, argv[optind], &a)) ||
	    (rc = cli_person(c, argv[optind + 1], &b)))
		goto cleanup;
	if (a == b) {  /* as strength refuses a person with themselves */
		rc = cli_failf("'%s' and '%s' are the same person: give two different people",
		               argv[optind], argv[optind + 1]);
		goto cleanup;
	}
	if (kith_graph_mutual(g, a, b, &m, &n, &err)) {
		rc = cli_fail(&err);
		goto cleanup;
	}
	if (c->json) {
		json_t *people = json_array();
		for (size_t i = 0; people && i < n; i++) {
			json_t *o = gcli_person_json(c, m[i].id);
			json_object_set_new(o, "strength_a", json_real(m[i].strength_a));
			json_object_set_new(o, "strength_b", json_real(m[i].strength_b));
			json_array_append_new(people, o);
		}
		rc = cli_print_json(json_pack("{s:o, s:o, s:o}", "a", gcli_person_json(c, a),
		                              "b", gcli_person_json(c, b), "mutual", people));
		goto cleanup;
	}
	gcli_name(c, a, na, sizeof(na));
	gcli_name(c, b, nb, sizeof(nb));
	if (n == 0)
		printf("%s and %s have no contact in common\n", na, nb);
	else
		printf("%zu contact%s in common between %s and %s:\n", n, n == 1 ? "" : "s",
		       na, nb);
	for (size_t i = 0; i < n; i++)
		printf("  %s (#%lld)  %.2f / %.2f\n", gcli_name(c, m[i].id, nm, sizeof(nm)),
		       (long long)m[i].id, m[i].strength_a, m[i].strength_b);
cleanup:
	free(m);
	kith_graph_close(g);
	return rc;
}
