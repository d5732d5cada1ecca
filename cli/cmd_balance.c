/* kith balance: favours given and received, who owes whom. */
#include <math.h>

#include "cli.h"

static const char help[] =
	"usage: kith balance [PERSON]\n"
	"\n"
	"The ledger of favours between me and others: what I gave, what I\n"
	"received, and the net.  A positive net means they owe me.  With a\n"
	"PERSON, the favours between us one by one.\n";

static int ledger(struct cli *c, kith_id me, kith_id other)
{
	kith_interaction_filter f = {.person = me, .with = other, .kind = "favour"};
	kith_interaction *v;
	kith_error err;
	size_t n;
	double net = 0;
	json_t *a = c->json ? json_array() : NULL;

	if (kith_interaction_list(c->db, &f, &v, &n, &err))
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++) {
		char day[32];
		double share = v[i].value / (double)(v[i].people.n - 1);
		int mine = v[i].giver == me;
		if (v[i].giver != me && v[i].giver != other)
			continue;
		net += mine ? share : -share;
		if (a) {
			json_array_append_new(a, kith_interaction_json(&v[i]));
			continue;
		}
		kith_time_format_date(v[i].at, day, sizeof(day));
		printf("%s  %-8s %6.1f  %s\n", day, mine ? "given" : "received", share,
		       v[i].notes ? v[i].notes : "");
	}
	kith_interaction_list_free(v, n);
	if (a)
		return cli_print_json(json_pack("{s:I, s:f, s:o}", "person", (json_int_t)other,
		                                "net", net, "favours", a));
	printf("net %+.1f: %s\n", net, net > 0 ? "they owe me" : net < 0 ? "I owe them" : "even");
	return CLI_OK;
}

int cmd_balance(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTS, {0}};
	kith_balance *v;
	kith_error err;
	kith_id me, other;
	size_t n, owe_me = 0, i_owe = 0;
	double given = 0, received = 0;
	json_t *a = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return ch == 'h' ? cli_help(help) : cli_bad_option("balance");
	if (argc - optind > 1)
		return cli_usage_error("balance", "give at most one person");
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, "me", &me)))
		return rc;
	if (optind < argc)
		return (rc = cli_person(c, argv[optind], &other)) ? rc : ledger(c, me, other);
	if (kith_balance_list(c->db, me, &v, &n, &err))
		return cli_fail(&err);
	a = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		char who[256];
		double net = v[i].given - v[i].received;
		given += v[i].given;
		received += v[i].received;
		owe_me += net > 0.0001;
		i_owe += net < -0.0001;
		if (a) {
			json_array_append_new(a, json_pack("{s:I, s:f, s:f, s:f, s:I}", "person",
				(json_int_t)v[i].person, "given", v[i].given, "received", v[i].received,
				"net", net, "favours", (json_int_t)v[i].favours));
		} else if (fabs(net) > 0.0001) {
			printf("%+7.1f  ", net);
			cli_put_padded(cli_person_label(c, v[i].person, who, sizeof(who)), 32);
			printf("%s (given %.1f, received %.1f)\n", net > 0 ? "owes me" : "I owe",
			       v[i].given, v[i].received);
		}
	}
	free(v);
	if (a)
		return cli_print_json(json_pack("{s:f, s:f, s:I, s:I, s:o}", "given", given,
			"received", received, "people_owing_me", (json_int_t)owe_me,
			"people_i_owe", (json_int_t)i_owe, "balances", a));
	printf("total: given %.1f, received %.1f, net %+.1f; %zu owe me, I owe %zu\n",
	       given, received, given - received, owe_me, i_owe);
	return CLI_OK;
}
