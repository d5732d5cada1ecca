/* kith stats: a summary of the network. */
#include "cli.h"

static const char help[] =
	"usage: kith stats [--top N]\n"
	"\n"
	"Sizes of the network, the most linked people, the biggest orgs and\n"
	"cities, the kinds of links and interactions, and the people I dealt\n"
	"with most over the last year.\n"
	"\n"
	"  --top N   how many entries per top list (default 5)\n";

static const struct {
	int what;
	const char *key, *title;
} sections[] = {
	{KITH_RANK_MY_CONTACTS, "my_contacts", "Most frequent contacts, last 365 days"},
	{KITH_RANK_LINKED_PEOPLE, "most_linked", "Most linked people"},
	{KITH_RANK_ORGS, "orgs", "Organisations by current staff"},
	{KITH_RANK_CITIES, "cities", "Cities"},
	{KITH_RANK_LINK_KINDS, "link_kinds", "Links by kind"},
	{KITH_RANK_INTERACTION_KINDS, "interaction_kinds", "Interactions by kind"},
};

static json_t *counts_json(const kith_counts *k)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"people", (json_int_t)k->people, "orgs", (json_int_t)k->orgs,
		"jobs", (json_int_t)k->jobs, "links", (json_int_t)k->links,
		"interactions", (json_int_t)k->interactions, "tags", (json_int_t)k->tags,
		"my_links", (json_int_t)k->my_links,
		"interactions_30d", (json_int_t)k->interactions_30d,
		"interactions_365d", (json_int_t)k->interactions_365d,
		"isolated", (json_int_t)k->isolated);
}

static void print_counts(struct cli *c, const kith_counts *k)
{
	char me[256];
	kith_id id = kith_me(c->db);

	printf("kith network in %s%s%s\n", c->db_path, id ? ", me: " : "",
	       id ? cli_person_label(c, id, me, sizeof(me)) : "");
	printf("  %-14s %7lld   (%lld with no link yet)\n", "people",
	       (long long)k->people, (long long)k->isolated);
	printf("  %-14s %7lld   (%lld jobs)\n", "organisations", (long long)k->orgs,
	       (long long)k->jobs);
	printf("  %-14s %7lld   (%lld of them mine)\n", "links", (long long)k->links,
	       (long long)k->my_links);
	printf("  %-14s %7lld   (%lld in the last 30 days, %lld in the last year)\n",
	       "interactions", (long long)k->interactions,
	       (long long)k->interactions_30d, (long long)k->interactions_365d);
	printf("  %-14s %7lld\n", "tags", (long long)k->tags);
}

int cmd_stats(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"top", required_argument, NULL, 't'}, CLI_COMMON_OPTS, {0}};
	json_t *j = NULL;
	kith_counts k;
	kith_error err;
	size_t top = 5;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 't') {
			if (cli_count("stats", "--top", optarg, &top) || top == 0)
				return top ? CLI_USAGE : cli_usage_error("stats", "--top must be > 0");
			continue;
		}
		return ch == 'h' ? cli_help(help) : cli_bad_option("stats");
	}
	if (optind < argc)
		return cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(c, 0)))
		return rc;
	if (kith_counts_get(c->db, &k, &err))
		return cli_fail(&err);
	if (c->json)
		j = json_pack("{s:o}", "counts", counts_json(&k));
	else
		print_counts(c, &k);
	for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		kith_ranked *v;
		size_t n;
		json_t *a = j ? json_array() : NULL;
		if (kith_rank(c->db, sections[s].what, top, &v, &n, &err)) {
			json_decref(j);
			json_decref(a);
			return cli_fail(&err);
		}
		if (!j && n)
			printf("\n%s\n", sections[s].title);
		for (size_t i = 0; i < n; i++) {
			if (a)
				json_array_append_new(a, json_pack("{s:o, s:s, s:I}",
					"id", v[i].id ? json_integer(v[i].id) : json_null(),
					"name", v[i].name ? v[i].name : "", "count", (json_int_t)v[i].count));
			else
				printf("  %6lld  %s\n", (long long)v[i].count, v[i].name ? v[i].name : "");
		}
		if (j)
			json_object_set_new(j, sections[s].key, a);
		kith_ranked_free(v, n);
	}
	return j ? cli_print_json(j) : CLI_OK;
}
