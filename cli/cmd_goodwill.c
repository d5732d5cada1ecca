/* kith goodwill: the team's stock of relationships, introductions and
 * favours over time, and what is going dry. */
#include <stdlib.h>

#include "graph_util.h"
#include "team_util.h"
#include "kith/goodwill.h"
#include "kith/member.h"

static const char help[] =
	"usage: kith goodwill [--months N] [--as MEMBER]\n"
	"\n"
	"The team's goodwill, from the log: the people in members' inner, close\n"
	"and active orbits and their total strength, month by month; the\n"
	"introductions asked for, made and with an outcome, per member and per\n"
	"month; favours given to and received from people outside the team; and\n"
	"the relationships going dry.  With the global --now, as it was then.\n"
	"Introduction requests count only where you are the asker or the asked.\n"
	"\n"
	"  --months N   how far back (default 12, at most 36)\n"
	TCLI_AS_HELP;

static void print_members(struct cli *c, const kith_goodwill *g)
{
	printf("\n%-16s %7s %9s %6s %6s %5s %9s %6s %6s\n", "member", "people", "strength",
	       "asked", "of", "made", "outcomes", "given", "recv");
	for (size_t i = 0; i < g->nmembers; i++) {
		const kith_goodwill_member *m = &g->members[i];
		kith_member mm;
		if (kith_member_get(c->db, m->member, &mm, NULL))
			continue;
		cli_put_padded(mm.name, 16);
		printf("%7lld %9.2f %6lld %6lld %5lld %9lld %6.1f %6.1f\n", (long long)m->people,
		       m->strength, (long long)m->asked, (long long)m->asked_of, (long long)m->made,
		       (long long)m->outcomes, m->given, m->received);
		kith_member_clear(&mm);
	}
}

static void print(struct cli *c, const kith_goodwill *g)
{
	char name[256];

	printf("Stock: %lld people in the team's inner, close and active orbits, strength %.2f\n",
	       (long long)g->people, g->strength);
	printf("Introductions: %lld asked, %lld made, %lld with an outcome\n", (long long)g->asked,
	       (long long)g->made, (long long)g->outcomes);
	printf("Favours: %.1f given, %.1f received, %.1f within the team\n", g->given, g->received,
	       g->within);
	printf("\n%-8s %7s %9s %6s %5s %9s %6s %6s\n", "month", "people", "strength", "asked",
	       "made", "outcomes", "given", "recv");
	for (size_t i = 0; i < g->nmonths; i++) {
		const kith_goodwill_month *m = &g->months[i];
		/* The series point closest to the month's end: one per month. */
		const kith_goodwill_point *p = &g->series[i + g->nseries - g->nmonths];
		printf("%04d-%02d  %7lld %9.2f %6lld %5lld %9lld %6.1f %6.1f\n", m->year, m->month,
		       (long long)p->people, p->strength, (long long)m->asked, (long long)m->made,
		       (long long)m->outcomes, m->given, m->received);
	}
	print_members(c, g);
	if (g->ndown)
		printf("\nGoing dry:\n");
	for (size_t i = 0; i < g->ndown; i++) {
		const kith_goodwill_down *d = &g->down[i];
		kith_member mm;
		if (kith_member_get(c->db, d->member, &mm, NULL))
			continue;
		printf("  %s (%s): %.2f, was %.2f\n", gcli_name(c, d->person, name, sizeof(name)),
		       mm.name, d->strength, d->then);
		kith_member_clear(&mm);
	}
}

int cmd_goodwill(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"months", required_argument, NULL, 'm'}, {"as", required_argument, NULL, 'a'},
		CLI_COMMON_OPTS, {0}};
	const char *as = NULL;
	int ch, rc, months = 12;
	struct tcli t = {0};
	kith_goodwill g;
	kith_error err;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': if (gcli_int("goodwill", "--months", optarg, 1, KITH_GOODWILL_MAX_MONTHS,
		                       &months))
		              return CLI_USAGE;
		          break;
		case 'a': as = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("goodwill");
		}
	}
	if (argc != optind)
		return cli_usage_error("goodwill", "no arguments, only options");
	if ((rc = tcli_open(c, as, 0, &t)))
		return rc;
	if (kith_goodwill_get(t.db, as ? t.member : 0, kith_db_now(t.db), months, &g, &err)) {
		rc = cli_fail(&err);
	} else {
		if (c->json)
			rc = cli_print_json(kith_goodwill_json(t.db, &g));
		else
			print(c, &g);
		kith_goodwill_clear(&g);
	}
	tcli_close(c, &t);
	return rc;
}
