/* kith stats: a summary of the network. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith stats [--top N]\n"
	"\n"
	"Sizes of the network; my orbits, who is due and who is going dry;\n"
	"the favour balance; the connectors (highest betweenness) and clusters\n"
	"(Louvain communities); the most linked people, the biggest orgs and\n"
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

/* Orbits, reciprocity, links going dry, brokers and clusters. */
struct intel {
	int orbit[KITH_ORBITS + 1];
	size_t due, dry;
	double given, received;
	size_t owe_me, i_owe;
	kith_network_stats net;
};

static int load_intel(struct cli *c, struct intel *x, size_t top, kith_error *err)
{
	kith_id me = kith_me(c->db);
	int64_t now = kith_db_now(c->db);
	kith_orbit_member *m;
	kith_balance *b;
	kith_due *d;
	size_t n;
	int rc;

	memset(x, 0, sizeof(*x));
	if (me) {
		if ((rc = kith_orbits(c->db, me, now, 0, &m, &n, NULL, NULL, err)))
			return rc;
		for (size_t i = 0; i < n; i++)
			x->orbit[m[i].orbit]++;
		kith_orbit_list_free(m, n);
		if ((rc = kith_due_list(c->db, me, now, &d, &n, err)))
			return rc;
		x->due = n;
		for (size_t i = 0; i < n; i++)
			x->dry += !!(d[i].why & KITH_DUE_DRY);
		kith_due_list_free(d, n);
		if ((rc = kith_balance_list(c->db, me, &b, &n, err)))
			return rc;
		for (size_t i = 0; i < n; i++) {
			x->given += b[i].given;
			x->received += b[i].received;
			x->owe_me += b[i].given - b[i].received > 0.0001;
			x->i_owe += b[i].received - b[i].given > 0.0001;
		}
		free(b);
	}
	return kith_network_stats_get(c->db, top, &x->net, err);
}

static json_t *intel_json(struct cli *c, const struct intel *x)
{
	json_t *orbits = json_object(), *brokers = json_array(), *sizes = json_array();
	char who[256];

	for (int o = 1; o <= KITH_ORBITS; o++)
		json_object_set_new(orbits, kith_orbit_name[o], json_integer(x->orbit[o]));
	for (size_t i = 0; i < x->net.nbrokers; i++)
		json_array_append_new(brokers, json_pack("{s:I, s:s, s:f}", "id",
			(json_int_t)x->net.brokers[i], "name",
			cli_person_label(c, x->net.brokers[i], who, sizeof(who)),
			"betweenness", x->net.betweenness[i]));
	for (size_t i = 0; i < x->net.ncommunity_sizes && i < 10; i++)
		json_array_append_new(sizes, json_integer(x->net.community_sizes[i]));
	return json_pack("{s:o, s:I, s:I, s:{s:f, s:f, s:I, s:I}, s:o, s:{s:I, s:f, s:o},"
	                 " s:{s:I, s:I}}",
		"orbits", orbits, "due", (json_int_t)x->due, "going_dry", (json_int_t)x->dry,
		"reciprocity", "given", x->given, "received", x->received,
		"people_owing_me", (json_int_t)x->owe_me, "people_i_owe", (json_int_t)x->i_owe,
		"brokers", brokers,
		"clusters", "count", (json_int_t)x->net.communities, "modularity", x->net.modularity,
		"largest", sizes,
		"components", "count", (json_int_t)x->net.components,
		"largest", (json_int_t)x->net.largest_component);
}

static void print_intel(struct cli *c, const struct intel *x)
{
	char who[256];

	printf("\nOrbits around me\n ");
	for (int o = 1; o <= KITH_ORBITS; o++)
		printf(" %s %d%s", kith_orbit_name[o], x->orbit[o], o < KITH_ORBITS ? "," : "\n");
	printf("  %zu due for contact, %zu of them going dry (kith due)\n", x->due, x->dry);
	printf("\nReciprocity\n  given %.1f, received %.1f, net %+.1f; %zu owe me, I owe %zu\n",
	       x->given, x->received, x->given - x->received, x->owe_me, x->i_owe);
	printf("\nConnectors (betweenness)\n");
	for (size_t i = 0; i < x->net.nbrokers; i++)
		printf("  %6.3f  %s\n", x->net.betweenness[i],
		       cli_person_label(c, x->net.brokers[i], who, sizeof(who)));
	printf("\nClusters\n  %lld communities (modularity %.2f), largest:",
	       (long long)x->net.communities, x->net.modularity);
	for (size_t i = 0; i < x->net.ncommunity_sizes && i < 5; i++)
		printf(" %lld", (long long)x->net.community_sizes[i]);
	printf("; %lld connected parts, the largest %lld people\n",
	       (long long)x->net.components, (long long)x->net.largest_component);
}

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
	{
		struct intel x;
		rc = load_intel(c, &x, top, &err);
		if (!rc && j)
			json_object_set_new(j, "network", intel_json(c, &x));
		else if (!rc)
			print_intel(c, &x);
		kith_network_stats_clear(&x.net);
		if (rc) {
			json_decref(j);
			return cli_fail(&err);
		}
	}
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
