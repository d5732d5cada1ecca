/* kith intro: the warmest chain of introductions to someone. */
#include <stdlib.h>

#include "graph_util.h"

static const char help[] =
	"usage: kith intro B [--from A] [--hops H] [--alts K]\n"
	"\n"
	"The strongest chain of introductions from A (default: me) to B: the\n"
	"one whose links' strengths multiply to the most.  A link's strength\n"
	"comes from the interactions along it, its trust and any vouch between\n"
	"the two (see 'kith strength').  Then the best chains that start with\n"
	"other people, so you can choose whom to ask.\n"
	"\n"
	"  --from A   start from A instead of me\n"
	"  --hops H   at most H links in a chain (default 4, at most 12)\n"
	"  --alts K   up to K alternatives through other first contacts\n"
	"             (default 2)\n";

static int print_paths(struct cli *c, kith_id from, kith_id to,
                       const kith_path *v, size_t n, int hops)
{
	char na[256], nb[256];

	if (c->json) {
		json_t *paths = json_array();
		for (size_t i = 0; paths && i < n; i++)
			json_array_append_new(paths, gcli_path_json(c, &v[i]));
		return cli_print_json(json_pack("{s:o, s:o, s:i, s:o}",
		                                "from", gcli_person_json(c, from),
		                                "to", gcli_person_json(c, to),
		                                "hops", hops, "paths", paths));
	}
	if (n == 0) {
		printf("No chain of at most %d link%s from %s to %s\n", hops,
		       hops == 1 ? "" : "s", gcli_name(c, from, na, sizeof(na)),
		       gcli_name(c, to, nb, sizeof(nb)));
		return CLI_OK;
	}
	for (size_t i = 0; i < n; i++) {
		if (i == 1)
			printf("Alternatives:\n");
		printf(i == 0 ? "  " : "  %zu. ", i);
		gcli_print_path(c, &v[i]);
		printf("  (strength %.3f, %zu hop%s)\n", v[i].strength, v[i].len - 1,
		       v[i].len == 2 ? "" : "s");
	}
	return CLI_OK;
}

int cmd_intro(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},
		{"hops", required_argument, NULL, 'H'},
		{"alts", required_argument, NULL, 'k'},
		CLI_COMMON_OPTS, {0}};
	const char *from_ref = NULL;
	kith_graph *g = NULL;
	kith_path *v = NULL;
	kith_error err;
	kith_id from = 0, to;
	size_t alts = 2, n = 0;
	int ch, hops = KITH_INTRO_DEFAULT_HOPS, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': from_ref = optarg; break;
		case 'H': if (gcli_int("intro", "--hops", optarg, 1, KITH_INTRO_MAX_HOPS, &hops))
		              return CLI_USAGE;
		          break;
		case 'k': if (cli_count("intro", "--alts", optarg, &alts)) return CLI_USAGE;
		          break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("intro");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("intro", "give the person to be introduced to");
	if ((rc = gcli_graph(c, &g)) || (rc = cli_person(c, argv[optind], &to)))
		goto cleanup;
	if (from_ref) {
		if ((rc = cli_person(c, from_ref, &from)))
			goto cleanup;
	} else if (!(from = kith_me(c->db))) {
		rc = cli_failf("who is 'me'? set it with 'kith me PERSON' or use --from");
		goto cleanup;
	}
	if (kith_graph_intro(g, from, to, hops, alts, &v, &n, &err)) {
		rc = cli_fail(&err);
		goto cleanup;
	}
	rc = print_paths(c, from, to, v, n, hops);
cleanup:
	kith_path_list_free(v, n);
	kith_graph_close(g);
	return rc;
}
