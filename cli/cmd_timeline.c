/* kith timeline: what happened with a person, newest first. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith timeline PERSON [--with P] [--kind K] [--since WHEN] [--limit N]\n"
	"\n"
	"Interactions involving PERSON, newest first.\n"
	"\n"
	"  --with P      only those that P was part of too\n"
	"  --kind K      only this kind (meeting, call, ...)\n"
	"  --since WHEN  only from WHEN on (YYYY-MM-DD, 30d, ...)\n"
	"  --limit N     at most N (default 50; 0 = all)\n";

static void print_row(struct cli *c, kith_id self, const kith_interaction *it, int width)
{
	char day[32], who[256];
	int first = 1;

	kith_time_format_date(it->at, day, sizeof(day));
	printf("%s  %-*s ", day, width, it->kind);
	for (size_t i = 0; i < it->people.n; i++) {
		if (it->people.v[i] == self)
			continue;
		printf("%s%s", first ? "" : ", ", cli_person_label(c, it->people.v[i], who, sizeof(who)));
		first = 0;
	}
	if (it->giver)
		printf("  [%s by %s, value %g]", it->kind,
		       cli_person_label(c, it->giver, who, sizeof(who)), it->value);
	if (it->notes)
		printf("\n            %s", it->notes);
	putchar('\n');
}

int cmd_timeline(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"with", required_argument, NULL, 'w'},
		{"kind", required_argument, NULL, 'k'},
		{"since", required_argument, NULL, 's'},
		{"limit", required_argument, NULL, 'l'},
		CLI_COMMON_OPTS, {0}};
	kith_interaction_filter f = {.limit = 50};
	const char *with = NULL, *since = NULL;
	kith_interaction *v;
	kith_error err;
	size_t n;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': with = optarg; break;
		case 'k': f.kind = optarg; break;
		case 's': since = optarg; break;
		case 'l': if (cli_count("timeline", "--limit", optarg, &f.limit)) return CLI_USAGE;
		          break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("timeline");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("timeline", "give one person");
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, argv[optind], &f.person)) ||
	    (with && (rc = cli_person(c, with, &f.with))))
		return rc;
	if (since && kith_time_parse(since, kith_db_now(c->db), &f.since, &err))
		return cli_fail(&err);
	if (f.kind && kith_kind_check(c->db, KITH_KIND_INTERACTION, f.kind, &err))
		return cli_fail(&err);
	if (kith_interaction_list(c->db, &f, &v, &n, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, kith_interaction_json(&v[i]));
		rc = cli_print_json(json_pack("{s:I, s:o}", "person", (json_int_t)f.person,
		                              "interactions", a));
	} else if (n == 0) {
		printf("no interactions yet\n");
	} else {
		for (size_t i = 0; i < n; i++)
			print_row(c, f.person, &v[i], cli_kind_width(v, n));
	}
	kith_interaction_list_free(v, n);
	return rc;
}
