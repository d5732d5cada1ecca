/* kith path: degrees of separation between two people. */
#include <stdlib.h>

#include "graph_util.h"

static const char help[] =
	"usage: kith path A B [--all] [--max N]\n"
	"\n"
	"How many links separate A from B, and one shortest chain of people\n"
	"between them.  Links count both ways, whatever their kind.\n"
	"\n"
	"  --all     every shortest chain, not just one\n"
	"  --max N   with --all, show at most N chains (default 20, 0 = all)\n";

static int print_one(struct cli *c, kith_graph *g, kith_id a, kith_id b)
{
	char na[256], nb[256];
	kith_path p;
	kith_error err;

	if (kith_graph_path(g, a, b, &p, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *j = p.len ? gcli_path_json(c, &p)
		                  : json_pack("{s:[], s:n, s:n}", "people", "degrees",
		                              "strength");
		kith_path_clear(&p);
		return cli_print_json(j);
	}
	if (!p.len) {
		printf("%s and %s are not connected\n", gcli_name(c, a, na, sizeof(na)),
		       gcli_name(c, b, nb, sizeof(nb)));
	} else {
		gcli_print_path(c, &p);
		printf("  (%zu degree%s)\n", p.len - 1, p.len == 2 ? "" : "s");
	}
	kith_path_clear(&p);
	return CLI_OK;
}

static int print_all(struct cli *c, kith_graph *g, kith_id a, kith_id b, size_t max)
{
	char na[256], nb[256];
	kith_path *v;
	kith_error err;
	uint64_t total;
	size_t n;

	if (kith_graph_paths_all(g, a, b, max, &v, &n, &total, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *paths = json_array();
		json_t *deg = n ? json_integer((json_int_t)(v[0].len - 1)) : json_null();
		for (size_t i = 0; paths && i < n; i++)
			json_array_append_new(paths, gcli_path_json(c, &v[i]));
		kith_path_list_free(v, n);
		return cli_print_json(json_pack("{s:o, s:I, s:o}", "paths", paths,
		                                "total", (json_int_t)total, "degrees", deg));
	}
	if (n == 0) {
		printf("%s and %s are not connected\n", gcli_name(c, a, na, sizeof(na)),
		       gcli_name(c, b, nb, sizeof(nb)));
	} else {
		for (size_t i = 0; i < n; i++) {
			gcli_print_path(c, &v[i]);
			putchar('\n');
		}
		printf("%llu shortest path%s of %zu degree%s", (unsigned long long)total,
		       total == 1 ? "" : "s", v[0].len - 1, v[0].len == 2 ? "" : "s");
		if (total > n)
			printf(" (showing %zu; --max 0 shows all)", n);
		putchar('\n');
	}
	kith_path_list_free(v, n);
	return CLI_OK;
}

int cmd_path(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"all", no_argument, NULL, 'a'},
		{"max", required_argument, NULL, 'm'},
		CLI_COMMON_OPTS, {0}};
	kith_graph *g = NULL;
	kith_id a, b;
	size_t max = 20;
	int ch, all = 0, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'm': if (cli_count("path", "--max", optarg, &max)) return CLI_USAGE;
		          break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("path");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("path", "give the two people");
	if ((rc = gcli_graph(c, &g)) || (rc = cli_person(c, argv[optind], &a)) ||
	    (rc = cli_person(c, argv[optind + 1], &b))) {
		kith_graph_close(g);
		return rc;
	}
	rc = all ? print_all(c, g, a, b, max) : print_one(c, g, a, b);
	kith_graph_close(g);
	return rc;
}
