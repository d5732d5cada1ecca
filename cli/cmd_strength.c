/* kith strength: how strong a relationship is, and why; recompute all. */
#include "cli.h"

static const char help[] =
	"usage: kith strength [A] B\n"
	"       kith strength --recompute\n"
	"       kith strength --half-life DAYS\n"
	"\n"
	"Show the strength (0 to 1) of the relationship between A (default: me)\n"
	"and B, with what it is made of: recent interactions weighted by kind\n"
	"and decayed with a half-life (default 90 days), two-way exchanges\n"
	"counting more, explicit trust, the link itself and vouches.  See\n"
	"docs/score.md.  --recompute rebuilds the network's cached strengths\n"
	"(the graph's edge weights); --half-life changes the decay and does too.\n";

static int show(struct cli *c, kith_id a, kith_id b)
{
	kith_strength s;
	kith_error err;
	char la[256], lb[256], day[32] = "never";
	int64_t now = kith_db_now(c->db);

	if (kith_strength_get(c->db, a, b, now, &s, &err))
		return cli_fail(&err);
	if (s.last_at)
		kith_time_format_date(s.last_at, day, sizeof(day));
	if (c->json) {
		int rc = cli_print_json(json_pack("{s:I, s:I, s:f, s:f, s:f, s:o, s:b, s:b, s:I, s:o, s:o}",
			"a", (json_int_t)a, "b", (json_int_t)b, "strength", s.strength,
			"strength_90d_ago", s.then, "interaction_weight", s.raw,
			"trust", s.trust >= 0 ? json_real(s.trust) : json_null(),
			"linked", s.linked, "vouched", s.vouched, "interactions", (json_int_t)s.count,
			"last_at", s.last_at ? kith_time_json(s.last_at) : json_null(),
			"last_kind", s.last_kind ? json_string(s.last_kind) : json_null()));
		kith_strength_clear(&s);
		return rc;
	}
	printf("%s and %s: strength %.2f (%s%.2f over 90 days)\n",
	       cli_person_label(c, a, la, sizeof(la)), cli_person_label(c, b, lb, sizeof(lb)),
	       s.strength, s.strength >= s.then ? "+" : "", s.strength - s.then);
	printf("  interactions  %lld, last %s", (long long)s.count, day);
	if (s.last_kind)
		printf(" (%s)", s.last_kind);
	printf("; decayed weight %.2f\n", s.raw);
	if (s.trust >= 0)
		printf("  trust         %.2f\n", s.trust);
	else
		printf("  trust         not set\n");
	printf("  linked        %s%s\n", s.linked ? "yes" : "no", s.vouched ? ", vouched" : "");
	kith_strength_clear(&s);
	return CLI_OK;
}

int cmd_strength(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"recompute", no_argument, NULL, 'r'},
		{"half-life", required_argument, NULL, 'H'},
		CLI_COMMON_OPTS, {0}};
	kith_score_report rep;
	kith_error err;
	kith_id a, b;
	double days = 0;
	int ch, rc, recompute = 0;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': recompute = 1; break;
		case 'H': if (cli_number("strength", "--half-life", optarg, 1, 3650, &days))
		                  return CLI_USAGE;
		          break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("strength");
		}
	}
	if ((rc = cli_open(c, 0)))
		return rc;
	if (recompute || days) {
		if (optind < argc)
			return cli_usage_error("strength", "--recompute and --half-life take no people");
		if (days && kith_score_set_half_life(c->db, days, &err))
			return cli_fail(&err);
		if (kith_score_recompute(c->db, kith_db_now(c->db), &rep, &err))
			return cli_fail(&err);
		if (c->json)
			return cli_print_json(json_pack("{s:I, s:I, s:f, s:f}", "interactions",
				(json_int_t)rep.interactions, "pairs", (json_int_t)rep.pairs, "ms", rep.ms,
				"half_life_days", kith_score_half_life(c->db)));
		printf("Recomputed %lld pair strengths from %lld interactions in %.1f ms "
		       "(half-life %g days)\n", (long long)rep.pairs, (long long)rep.interactions,
		       rep.ms, kith_score_half_life(c->db));
		return CLI_OK;
	}
	if (argc - optind < 1 || argc - optind > 2)
		return cli_usage_error("strength", "give one or two people");
	if (argc - optind == 1)
		rc = cli_person(c, "me", &a);
	else
		rc = cli_person(c, argv[optind++], &a);
	if (rc || (rc = cli_person(c, argv[optind], &b)))
		return rc;
	return show(c, a, b);
}
