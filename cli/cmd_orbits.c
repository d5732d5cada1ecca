/* kith orbits: the layers of my network, and who moved. */
#include "cli.h"

static const char help[] =
	"usage: kith orbits [--since WHEN] [--all]\n"
	"\n"
	"Place everyone I am related to in an orbit by the strength of our\n"
	"relationship: inner (5 strongest), close (next 10), active (next 35),\n"
	"known (next 100), wider (the rest).\n"
	"\n"
	"  --since WHEN  also show who moved in or out since then (e.g. 90d)\n"
	"  --all         list everyone, not only the first three orbits\n";

static void print_member(struct cli *c, const kith_orbit_member *m, int since)
{
	char who[256];

	printf("    %.2f  ", m->s.strength);
	cli_put_padded(cli_person_label(c, m->s.person, who, sizeof(who)), 34);
	if (since && m->before != m->orbit)
		printf("%s", !m->before ? "new" : m->before > m->orbit ? "moved in" : "moved out");
	putchar('\n');
}

static int print_json(const kith_orbit_member *v, size_t n, const kith_orbit_member *gone,
                      size_t ngone, int since)
{
	json_t *members = json_array(), *counts = json_object(), *left = json_array();
	int per[KITH_ORBITS + 1] = {0};

	for (size_t i = 0; i < n; i++) {
		per[v[i].orbit]++;
		json_array_append_new(members, kith_orbit_member_json(&v[i], since));
	}
	for (int o = 1; o <= KITH_ORBITS; o++)
		json_object_set_new(counts, kith_orbit_name[o], json_integer(per[o]));
	for (size_t i = 0; i < ngone; i++)
		json_array_append_new(left, json_pack("{s:I, s:i}", "person",
			(json_int_t)gone[i].s.person, "before", gone[i].before));
	return cli_print_json(json_pack("{s:o, s:o, s:o}", "counts", counts,
	                                "members", members, "gone", left));
}

int cmd_orbits(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"since", required_argument, NULL, 's'},
		{"all", no_argument, NULL, 'a'},
		CLI_COMMON_OPTS, {0}};
	kith_orbit_member *v, *gone = NULL;
	size_t n, ngone = 0;
	const char *since_s = NULL;
	int64_t since = 0;
	kith_error err;
	kith_id me;
	int ch, rc, all = 0;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 's': since_s = optarg; break;
		case 'a': all = 1; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("orbits");
		}
	}
	if (optind < argc)
		return cli_usage_error("orbits", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, "me", &me)))
		return rc;
	if (since_s && kith_time_parse(since_s, kith_db_now(c->db), &since, &err))
		return cli_fail(&err);
	if (kith_orbits(c->db, me, kith_db_now(c->db), since, &v, &n, &gone, &ngone, &err))
		return cli_fail(&err);
	if (c->json) {
		rc = print_json(v, n, gone, ngone, since != 0);
	} else {
		for (int o = 1; o <= KITH_ORBITS; o++) {
			size_t cnt = 0;
			for (size_t i = 0; i < n; i++)
				cnt += v[i].orbit == o;
			printf("%-7s %4zu%s\n", kith_orbit_name[o], cnt, cnt && (o <= 3 || all) ? ":" : "");
			for (size_t i = 0; i < n && (o <= 3 || all); i++)
				if (v[i].orbit == o)
					print_member(c, &v[i], since != 0);
			for (size_t i = 0; since && !(o <= 3 || all) && i < n; i++)
				if (v[i].orbit == o && v[i].before != o)
					print_member(c, &v[i], 1);
		}
		for (size_t i = 0; i < ngone; i++) {
			char who[256];
			printf("left: %s (was %s)\n", cli_person_label(c, gone[i].s.person, who, sizeof(who)),
			       kith_orbit_name[gone[i].before]);
		}
	}
	kith_orbit_list_free(v, n);
	kith_orbit_list_free(gone, ngone);
	return rc;
}
