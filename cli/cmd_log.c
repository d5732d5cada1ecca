/* kith log: record an interaction between me and others. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith log KIND PERSON... [options]\n"
	"\n"
	"Record that KIND (meeting, call, email, message, introduction, favour)\n"
	"happened between me and the people named.  Saying who started it\n"
	"matters: two-way exchanges make a relationship stronger than one-way\n"
	"ones, and favours feed the balance of who owes whom.\n"
	"\n"
	"  --at WHEN       when: YYYY-MM-DD[ HH:MM], today, yesterday, 3d (default: now)\n"
	"  --note N        what it was about\n"
	"  --given         I started it (sent the email; gave the favour)\n"
	"  --received      the first person named started it (a favour: gave it)\n"
	"  --from P        P started it (P must be among the people)\n"
	"  --value V       how much the favour was worth (default 1)\n"
	"  --without-me    I was not part of it (name at least two people)\n";

struct log_opts {
	kith_interaction it;
	const char *at, *from;
	int given, received, without_me;
};

static int pick_giver(struct cli *c, struct log_opts *o, kith_id me, kith_id first)
{
	int ways = o->given + o->received + (o->from != NULL);

	if (ways > 1)
		return cli_usage_error("log", "use one of --given, --received and --from");
	if ((o->given || o->received) && !me)
		return cli_failf("--given and --received need 'me' (kith me PERSON)");
	if (o->given)
		o->it.initiator = me;
	else if (o->received)
		o->it.initiator = first;
	else if (o->from && cli_person(c, o->from, &o->it.initiator))
		return CLI_FAIL;
	/* For a favour, who started it is who gave it. */
	if (strcmp(o->it.kind, "favour") == 0)
		o->it.giver = o->it.initiator;
	return CLI_OK;
}

static int parse_log(int argc, char **argv, struct log_opts *o)
{
	static const struct option opts[] = {
		{"at", required_argument, NULL, 'a'},
		{"note", required_argument, NULL, 'n'},
		{"given", no_argument, NULL, 'g'},
		{"received", no_argument, NULL, 'r'},
		{"from", required_argument, NULL, 'f'},
		{"value", required_argument, NULL, 'v'},
		{"without-me", no_argument, NULL, 'w'},
		CLI_COMMON_OPTS, {0}};
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': o->at = optarg; break;
		case 'n': free(o->it.notes); o->it.notes = cli_dup(optarg); break;
		case 'g': o->given = 1; break;
		case 'r': o->received = 1; break;
		case 'f': o->from = optarg; break;
		case 'v':
			if (cli_number("log", "--value", optarg, 0.001, 1e6, &o->it.value))
				return CLI_USAGE;
			break;
		case 'w': o->without_me = 1; break;
		case 'h': cli_help(help); return -1;
		default: return cli_bad_option("log");
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("log", "give a kind and at least one person");
	return CLI_OK;
}

static int resolve_people(struct cli *c, struct log_opts *o, int argc, char **argv,
                          kith_id me)
{
	int rc = CLI_OK;

	if (!o->without_me) {
		if (!me)
			return cli_failf("'me' is not set: use 'kith me PERSON', or --without-me");
		kith_idv_push(&o->it.people, me);
	}
	for (int i = 0; !rc && i < argc; i++) {
		kith_id id;
		rc = cli_person(c, argv[i], &id);
		if (!rc && kith_idv_push(&o->it.people, id))
			rc = cli_failf("out of memory");
	}
	return rc;
}

int cmd_log(struct cli *c, int argc, char **argv)
{
	struct log_opts o = {0};
	kith_error err;
	kith_id me;
	char day[32];
	int rc = parse_log(argc, argv, &o);

	if (rc)
		goto cleanup;
	o.it.kind = cli_dup(argv[optind]);
	if ((rc = cli_open(c, 0)))
		goto cleanup;
	me = kith_me(c->db);
	if (o.at && kith_time_parse(o.at, kith_db_now(c->db), &o.it.at, &err)) {
		rc = cli_fail(&err);
		goto cleanup;
	}
	rc = resolve_people(c, &o, argc - optind - 1, argv + optind + 1, me);
	if (!rc)
		rc = pick_giver(c, &o, me, o.it.people.v[o.without_me ? 0 : 1]);
	if (rc)
		goto cleanup;
	if (kith_interaction_add(c->db, &o.it, &err)) {
		rc = cli_fail(&err);
	} else if (c->json) {
		rc = cli_print_json(kith_interaction_json(&o.it));
	} else {
		kith_time_format_date(o.it.at, day, sizeof(day));
		printf("Logged %s #%lld on %s with %zu %s\n", o.it.kind, (long long)o.it.id,
		       day, o.it.people.n - !o.without_me,
		       o.it.people.n - !o.without_me == 1 ? "person" : "people");
	}
cleanup:
	kith_interaction_clear(&o.it);
	return rc < 0 ? CLI_OK : rc;
}
