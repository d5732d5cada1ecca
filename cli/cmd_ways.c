/* kith ways: who on the team can get us into an organisation. */
#include <stdlib.h>

#include "graph_util.h"
#include "team_util.h"
#include "kith/team.h"

static const char help[] =
	"usage: kith ways ORG [--role WORDS] [--current] [--hops H] [--alts K]\n"
	"                 [--limit N] [--as MEMBER]\n"
	"\n"
	"For each person at ORG (current, and former with their dates), the team\n"
	"member best placed to introduce us and the strongest chain from that\n"
	"member, with each link's strength; then the next best chains through\n"
	"other members or other first contacts.  Strongest first; people nobody\n"
	"on the team reaches come last.\n"
	"\n"
	"  --role WORDS  only people whose title there has all these words\n"
	"  --current     only people working there now\n"
	"  --hops H      at most H links in a chain (default 4, at most 12)\n"
	"  --alts K      up to K alternatives per person (default 1)\n"
	"  --limit N     at most N people (default all)\n"
	TCLI_AS_HELP;

static void print_chain(struct cli *c, const kith_chain *ch)
{
	kith_member m;
	char name[256];

	if (kith_member_get(c->db, ch->member, &m, NULL) == KITH_OK) {
		printf("via %s: ", m.name);
		kith_member_clear(&m);
	}
	for (size_t i = 0; i < ch->path.len; i++) {
		printf("%s%s", i ? " \xe2\x86\x92 " : "", gcli_name(c, ch->path.ids[i], name,
		                                                   sizeof(name)));
		if (i + 1 < ch->path.len)
			printf(" (%.2f)", ch->edges[i]);
	}
	printf("  [%.3f]\n", ch->path.strength);
}

static void print_way(struct cli *c, const kith_way *w)
{
	char name[256];

	printf("  %s", gcli_name(c, w->person, name, sizeof(name)));
	for (size_t i = 0; i < w->njobs; i++) {
		const kith_job *j = &w->jobs[i];
		printf("%s%s", i ? "; " : " - ", j->title ? j->title : "(no title)");
		if (j->to)
			printf(" (%s to %s)", j->from ? j->from : "?", j->to);
		else
			printf(" (now)");
	}
	printf("\n");
	if (!w->best.path.len) {
		printf("      nobody on the team reaches them\n");
		return;
	}
	printf("      ");
	print_chain(c, &w->best);
	for (size_t i = 0; i < w->nalts; i++) {
		printf("      or ");
		print_chain(c, &w->alts[i]);
	}
}

int cmd_ways(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'}, {"current", no_argument, NULL, 'c'},
		{"hops", required_argument, NULL, 'H'}, {"alts", required_argument, NULL, 'k'},
		{"limit", required_argument, NULL, 'n'}, {"as", required_argument, NULL, 'a'},
		CLI_COMMON_OPTS, {0}};
	kith_ways_filter f = {.alts = 1};
	kith_ways_result res = {0};
	const char *as = NULL;
	struct tcli t = {0};
	kith_error err;
	kith_id org;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': f.role = optarg; break;
		case 'c': f.current_only = 1; break;
		case 'H': if (gcli_int("ways", "--hops", optarg, 1, KITH_INTRO_MAX_HOPS, &f.hops))
		              return CLI_USAGE;
		          break;
		case 'k': if (cli_count("ways", "--alts", optarg, &f.alts)) return CLI_USAGE;
		          break;
		case 'n': if (cli_count("ways", "--limit", optarg, &f.limit)) return CLI_USAGE;
		          break;
		case 'a': as = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("ways");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("ways", "give the organisation");
	if ((rc = tcli_open(c, as, 1, &t)))
		goto done;
	if (kith_org_resolve(t.db, argv[optind], &org, NULL, &err) ||
	    kith_team_ways(t.db, t.g, org, &f, &res, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (c->json) {
		rc = cli_print_json(kith_ways_json(t.db, org, &res));
		goto done;
	}
	kith_org *o;
	if (kith_org_get(t.db, org, &o, NULL) == KITH_OK) {
		printf("Into %s: %zu %s%s\n", o->name, res.people, res.people == 1 ? "person" : "people",
		       res.truncated ? " (the first weighed)" : "");
		kith_org_free(o);
	}
	for (size_t i = 0; i < res.n; i++)
		print_way(c, &res.v[i]);
done:
	kith_ways_result_clear(&res);
	tcli_close(c, &t);
	return rc;
}
