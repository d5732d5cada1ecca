/* kith candidate: how close a person is to the team, for hiring within
 * two degrees. */
#include <stdlib.h>

#include "graph_util.h"
#include "team_util.h"
#include "kith/member.h"
#include "kith/team.h"

static const char help[] =
	"usage: kith candidate PERSON [--as MEMBER]\n"
	"\n"
	"How close PERSON is to the team: their degree to each member, the\n"
	"shortest and the strongest chains, the contacts they share, and who\n"
	"vouches for them, with the trust of that link and the member closest\n"
	"to the voucher.\n"
	"\n"
	TCLI_AS_HELP;

static void print(struct cli *c, const kith_candidate *k)
{
	char name[256];
	kith_member m;

	printf("%s: ", gcli_name(c, k->person, name, sizeof(name)));
	if (k->degree < 0)
		printf("not connected to the team\n");
	else
		printf("%d degree%s from the team\n", k->degree, k->degree == 1 ? "" : "s");
	for (size_t i = 0; i < k->nties; i++) {
		const kith_candidate_tie *t = &k->ties[i];
		if (kith_member_get(c->db, t->member, &m, NULL))
			continue;
		if (t->degree < 0) {
			printf("  %s: not connected\n", m.name);
		} else {
			printf("  %s: %d degree%s, %zu mutual; strongest ", m.name, t->degree,
			       t->degree == 1 ? "" : "s", t->nmutual);
			gcli_print_path(c, &t->strongest.path);
			printf(" [%.3f]\n", t->strongest.path.strength);
		}
		kith_member_clear(&m);
	}
	for (size_t i = 0; i < k->nvouches; i++) {
		const kith_candidate_vouch *v = &k->vouches[i];
		printf("  vouched for by %s", gcli_name(c, v->voucher, name, sizeof(name)));
		if (v->trust >= 0)
			printf(" (trust %.2f)", v->trust);
		printf(", strength %.2f", v->strength);
		if (v->member && !kith_member_get(c->db, v->member, &m, NULL)) {
			printf("; closest member %s [%.3f]", m.name, v->member_chain);
			kith_member_clear(&m);
		}
		printf("\n");
	}
}

int cmd_candidate(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"as", required_argument, NULL, 'a'}, CLI_COMMON_OPTS, {0}};
	const char *as = NULL;
	int ch, rc;
	struct tcli t = {0};
	kith_candidate k = {0};
	kith_id person;
	kith_error err;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': as = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("candidate");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("candidate", "give the person");
	if ((rc = tcli_open(c, as, 1, &t)))
		return rc;
	if (kith_person_resolve(t.db, argv[optind], &person, NULL, &err) ||
	    kith_team_candidate(t.db, t.g, person, kith_db_now(t.db), &k, &err))
		rc = cli_fail(&err);
	else if (c->json)
		rc = cli_print_json(kith_candidate_json(t.db, &k));
	else
		print(c, &k);
	kith_candidate_clear(&k);
	tcli_close(c, &t);
	return rc;
}
