/* kith find: full-text search over people, orgs and interaction notes. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith find TEXT... [--limit N]\n"
	"\n"
	"Search names, emails, cities, tags, jobs and notes.  Each word matches\n"
	"the start of a word, accents and case ignored: \"zoe dup\" finds\n"
	"\"Zoë Dupont\".\n"
	"\n"
	"  --limit N   at most N results (default 20)\n";

static const char *const type_names[] = {"person", "org", "interaction"};

int cmd_find(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"limit", required_argument, NULL, 'l'}, CLI_COMMON_OPTS, {0}};
	size_t limit = 20, n, len = 0;
	kith_hit *hits;
	kith_error err;
	char *q;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'l') {
			if (cli_count("find", "--limit", optarg, &limit))
				return CLI_USAGE;
			continue;
		}
		return ch == 'h' ? cli_help(help) : cli_bad_option("find");
	}
	if (optind >= argc)
		return cli_usage_error("find", "give something to search for");
	for (int i = optind; i < argc; i++)
		len += strlen(argv[i]) + 1;
	q = calloc(1, len + 1);
	if (!q)
		return cli_failf("out of memory");
	for (int i = optind; i < argc; i++) {
		strcat(q, argv[i]);
		strcat(q, " ");
	}
	rc = cli_open(c, 0);
	if (!rc && kith_search(c->db, q, limit, &hits, &n, &err))
		rc = cli_fail(&err);
	free(q);
	if (rc)
		return rc;
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:s}",
				"type", type_names[hits[i].type], "id", (json_int_t)hits[i].id,
				"title", hits[i].title ? hits[i].title : "",
				"snippet", hits[i].snippet ? hits[i].snippet : ""));
		rc = cli_print_json(json_pack("{s:o}", "hits", a));
	} else if (n == 0) {
		printf("nothing found\n");
	} else {
		for (size_t i = 0; i < n; i++)
		{
			printf("%-11s #%-6lld ", type_names[hits[i].type], (long long)hits[i].id);
			cli_put_padded(hits[i].title ? hits[i].title : "", 28);
			printf("%s\n", hits[i].snippet ? hits[i].snippet : "");
		}
	}
	kith_hit_list_free(hits, n);
	return rc;
}
