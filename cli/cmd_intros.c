/* kith intros: introduction requests to me and from me, and their moves. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph_util.h"
#include "team_util.h"
#include "kith/intro_request.h"
#include "kith/member.h"

static const char help[] =
	"usage: kith intros [--to-me | --from-me] [--status S] [--as MEMBER]\n"
	"       kith intros accept|decline|made|withdraw ID [--as MEMBER]\n"
	"       kith intros outcome ID met|hired|deal|partnership|nothing [--as MEMBER]\n"
	"\n"
	"Lists the introduction requests you asked for and those asked of you,\n"
	"newest first; or moves one on.  The member asked accepts, declines or\n"
	"says it is made (which logs an introduction among the three people and\n"
	"a favour from the introducer); the asker may withdraw it; either says\n"
	"what came of it.\n"
	"\n"
	"  --to-me       only requests asked of me\n"
	"  --from-me     only requests I asked\n"
	"  --status S    only those asked, accepted, declined, made or withdrawn\n"
	TCLI_AS_HELP;

static void print_request(struct cli *c, const kith_intro_request *r)
{
	kith_member a, b;
	char name[256], day[16];
	time_t at = (time_t)r->asked_at;
	struct tm tm;

	if (kith_member_get(c->db, r->asker, &a, NULL))
		return;
	if (kith_member_get(c->db, r->asked, &b, NULL)) {
		kith_member_clear(&a);
		return;
	}
	strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&at, &tm));
	printf("#%-4lld %s  %s asks %s for %s: %s%s%s\n", (long long)r->id, day, a.name, b.name,
	       gcli_name(c, r->target, name, sizeof(name)), r->status, r->outcome ? ", " : "",
	       r->outcome ? r->outcome : "");
	if (r->note)
		printf("       \"%s\"\n", r->note);
	kith_member_clear(&a);
	kith_member_clear(&b);
}

static int list(struct cli *c, struct tcli *t, int side, const char *status)
{
	kith_intro_request *v;
	size_t n;
	kith_error err;

	if (kith_intro_request_list(t->db, t->member, side, status, &v, &n, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, kith_intro_request_json(t->db, &v[i]));
		kith_intro_request_list_free(v, n);
		return cli_print_json(json_pack("{s:o}", "items", items));
	}
	if (!n)
		printf("No introduction requests\n");
	for (size_t i = 0; i < n; i++)
		print_request(c, &v[i]);
	kith_intro_request_list_free(v, n);
	return CLI_OK;
}

static int move(struct cli *c, struct tcli *t, const char *verb, const char *idarg,
                const char *outcome)
{
	static const char *const verbs[][2] = {{"accept", "accepted"}, {"decline", "declined"},
	                                       {"made", "made"}, {"withdraw", "withdrawn"}};
	const char *to = outcome;
	kith_id id = kith_parse_id(idarg);
	kith_intro_request r;
	kith_error err;

	for (size_t i = 0; !to && i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(verb, verbs[i][0]))
			to = verbs[i][1];
	if (!id)
		return cli_usage_error("intros", "'%s' is not a request id", idarg);
	if (outcome && (!strcmp(outcome, "made") || !strcmp(outcome, "accepted") ||
	                !strcmp(outcome, "declined") || !strcmp(outcome, "withdrawn")))
		return cli_usage_error("intros", "an outcome is met, hired, deal, partnership or "
		                       "nothing");
	if (kith_db_set_author(c->db, t->member, 0, &err) ||
	    kith_intro_request_move(c->db, t->member, id, to, 0, &err) ||
	    kith_intro_request_get(c->db, t->member, id, &r, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *j = kith_intro_request_json(c->db, &r);
		kith_intro_request_clear(&r);
		return cli_print_json(j);
	}
	print_request(c, &r);
	kith_intro_request_clear(&r);
	return CLI_OK;
}

int cmd_intros(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"to-me", no_argument, NULL, 't'}, {"from-me", no_argument, NULL, 'f'},
		{"status", required_argument, NULL, 's'}, {"as", required_argument, NULL, 'a'},
		CLI_COMMON_OPTS, {0}};
	static const char *const verbs[] = {"accept", "decline", "made", "withdraw", "outcome", NULL};
	const char *as = NULL, *status = NULL;
	int ch, rc, side = KITH_INTRO_BOTH, nargs;
	struct tcli t = {0};

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 't': side = KITH_INTRO_TO_ME; break;
		case 'f': side = KITH_INTRO_FROM_ME; break;
		case 's': status = optarg; break;
		case 'a': as = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("intros");
		}
	}
	nargs = argc - optind;
	if (nargs) {
		int known = 0;
		for (int i = 0; verbs[i]; i++)
			known |= !strcmp(argv[optind], verbs[i]);
		if (!known)
			return cli_usage_error("intros", "'%s' is not accept, decline, made, withdraw or "
			                       "outcome", argv[optind]);
		if (nargs != (strcmp(argv[optind], "outcome") ? 2 : 3))
			return cli_usage_error("intros", "%s takes %s", argv[optind],
			                       strcmp(argv[optind], "outcome") ? "a request id"
			                                                        : "a request id and an outcome");
	}
	if ((rc = tcli_open(c, as, 0, &t)))
		return rc;
	if (nargs && !t.member)
		rc = cli_failf("who are you on the team? use --as MEMBER");
	else if (nargs)
		rc = move(c, &t, argv[optind], argv[optind + 1], nargs == 3 ? argv[optind + 2] : NULL);
	else
		rc = list(c, &t, side, status);
	tcli_close(c, &t);
	return rc;
}
