/* kith leaves: the relationships, and the ways into organisations, that
 * would leave with a member. */
#include <stdlib.h>

#include "graph_util.h"
#include "team_util.h"
#include "kith/member.h"
#include "kith/team.h"

static const char help[] =
	"usage: kith leaves [MEMBER] [--min S] [--as MEMBER]\n"
	"\n"
	"What would leave with MEMBER (default: every member, the team's\n"
	"\"held by one member only\"): the people linked to them with strength\n"
	"at least S whom no other member reaches within 2 links as strongly\n"
	"(not through them); the organisations the team would lose its way\n"
	"into; and, for each person, the teammate to introduce them to (the\n"
	"best chain of another member).\n"
	"\n"
	"  --min S      the strength that counts as holding a relationship\n"
	"               (default 0.2)\n"
	TCLI_AS_HELP;

static void print_one(struct cli *c, kith_db *db, const kith_leaves *l)
{
	kith_member m, s;
	char name[256];

	if (kith_member_get(c->db, l->member, &m, NULL))
		return;
	printf("%s holds %zu relationship%s alone", m.name, l->nheld, l->nheld == 1 ? "" : "s");
	printf("%s\n", l->nheld ? ":" : "");
	for (size_t i = 0; i < l->nheld; i++) {
		const kith_held *h = &l->held[i];
		printf("  %s (%.2f; best other %.2f)", gcli_name(c, h->person, name, sizeof(name)),
		       h->strength, h->others);
		if (h->suggest.path.len && !kith_member_get(c->db, h->suggest.member, &s, NULL)) {
			printf(": introduce to %s [%.3f]", s.name, h->suggest.path.strength);
			kith_member_clear(&s);
		}
		printf("\n");
	}
	for (size_t i = 0; i < l->nlost; i++) {
		kith_org *o;
		if (kith_org_get(db, l->lost_orgs[i], &o, NULL) == KITH_OK) {
			printf("  %s the way into %s\n", i ? "   " : "loses", o->name);
			kith_org_free(o);
		}
	}
	kith_member_clear(&m);
}

int cmd_leaves(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"min", required_argument, NULL, 'm'}, {"as", required_argument, NULL, 'a'},
		CLI_COMMON_OPTS, {0}};
	const char *as = NULL;
	double min = KITH_LEAVES_DEFAULT_MIN;
	int ch, rc;
	kith_id member = 0;
	kith_leaves *v = NULL;
	size_t n = 0;
	struct tcli t = {0};
	kith_error err;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': if (cli_number("leaves", "--min", optarg, 0.001, 1, &min)) return CLI_USAGE;
		          break;
		case 'a': as = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("leaves");
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("leaves", "give at most one member");
	if ((rc = tcli_open(c, as, 1, &t)))
		return rc;
	if ((argc > optind && kith_member_resolve(c->db, argv[optind], &member, &err)) ||
	    kith_team_leaves(t.db, t.g, member, min, &v, &n, &err)) {
		rc = cli_fail(&err);
	} else if (c->json) {
		rc = cli_print_json(kith_leaves_json(t.db, v, n));
	} else {
		for (size_t i = 0; i < n; i++)
			print_one(c, t.db, &v[i]);
	}
	kith_leaves_list_free(v, n);
	tcli_close(c, &t);
	return rc;
}
