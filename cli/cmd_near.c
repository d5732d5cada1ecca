/* kith near: people within a few links who match some criteria. */
#include <stdlib.h>

#include "graph_util.h"

static const char help[] =
	"usage: kith near A [--within N] [--worked-at ORG] [--works-at ORG]\n"
	"                   [--tag T] [--city C] [--country C] [--org-country C]\n"
	"                   [--since YEAR] [--limit K]\n"
	"\n"
	"People at most N links from A who pass every filter given, closest\n"
	"first, then by the strongest chain to them.\n"
	"\n"
	"  --within N         at most N links away (default 2)\n"
	"  --worked-at ORG    has worked at ORG, now or in the past\n"
	"  --works-at ORG     works at ORG now\n"
	"  --org-country C    has a job at an organisation in country C\n"
	"  --since YEAR       that job started before YEAR (the job at\n"
	"                     --works-at, else --worked-at, else any job)\n"
	"  --tag T            tagged T\n"
	"  --city C           lives in city C\n"
	"  --country C        lives in country C\n"
	"  --limit K          show at most K people (default 50, 0 = all)\n";

static void print_hit(struct cli *c, const kith_near_hit *h)
{
	kith_person *p;

	printf("  %2d   %.3f   ", h->distance, h->strength);
	if (kith_person_get_brief(c->db, h->id, &p, NULL) != KITH_OK) {
		printf("#%lld\n", (long long)h->id);
		return;
	}
	printf("%s (#%lld)", p->display_name, (long long)h->id);
	if (p->city || p->country)
		printf(", %s%s%s", p->city ? p->city : "", p->city && p->country ? ", " : "",
		       p->country ? p->country : "");
	putchar('\n');
	kith_person_free(p);
}

static int print_hits(struct cli *c, kith_id a, const kith_near_filter *f,
                      const kith_near_hit *h, size_t n)
{
	char name[256];

	if (c->json) {
		json_t *people = json_array();
		for (size_t i = 0; people && i < n; i++) {
			json_t *o = gcli_person_json(c, h[i].id);
			json_object_set_new(o, "distance", json_integer(h[i].distance));
			json_object_set_new(o, "strength", json_real(h[i].strength));
			json_array_append_new(people, o);
		}
		return cli_print_json(json_pack("{s:o, s:i, s:o}", "from",
		                                gcli_person_json(c, a), "within", f->within,
		                                "people", people));
	}
	if (n == 0) {
		printf("Nobody within %d link%s of %s matches\n", f->within,
		       f->within == 1 ? "" : "s", gcli_name(c, a, name, sizeof(name)));
		return CLI_OK;
	}
	printf("dist  strength  person\n");
	for (size_t i = 0; i < n; i++)
		print_hit(c, &h[i]);
	return CLI_OK;
}

int cmd_near(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"within", required_argument, NULL, 'w'},
		{"worked-at", required_argument, NULL, 'W'},
		{"works-at", required_argument, NULL, 'A'},
		{"org-country", required_argument, NULL, 'O'},
		{"since", required_argument, NULL, 's'},
		{"tag", required_argument, NULL, 't'},
		{"city", required_argument, NULL, 'c'},
		{"country", required_argument, NULL, 'C'},
		{"limit", required_argument, NULL, 'l'},
		CLI_COMMON_OPTS, {0}};
	const char *worked = NULL, *works = NULL;
	kith_near_filter f = {.within = 2, .limit = 50};
	kith_graph *g = NULL;
	kith_near_hit *h = NULL;
	kith_error err;
	kith_id a;
	size_t n = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': if (gcli_int("near", "--within", optarg, 1, 1000, &f.within))
		              return CLI_USAGE;
		          break;
		case 'W': worked = optarg; break;
		case 'A': works = optarg; break;
		case 'O': f.org_country = optarg; break;
		case 's': if (gcli_int("near", "--since", optarg, 1, 9999, &f.since_year))
		              return CLI_USAGE;
		          break;
		case 't': f.tag = optarg; break;
		case 'c': f.city = optarg; break;
		case 'C': f.country = optarg; break;
		case 'l': if (cli_count("near", "--limit", optarg, &f.limit)) return CLI_USAGE;
		          break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("near");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("near", "give the person to start from");
	if ((rc = gcli_graph(c, &g)) || (rc = cli_person(c, argv[optind], &a)) ||
	    (worked && (rc = cli_org(c, worked, &f.worked_at))) ||
	    (works && (rc = cli_org(c, works, &f.works_at))))
		goto cleanup;
	if (kith_graph_near(g, a, &f, &h, &n, &err)) {
		rc = cli_fail(&err);
		goto cleanup;
	}
	rc = print_hits(c, a, &f, h, n);
cleanup:
	free(h);
	kith_graph_close(g);
	return rc;
}
