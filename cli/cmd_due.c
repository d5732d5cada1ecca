/* kith due: who to reach out to, most valuable first. */
#include "cli.h"

static const char help[] =
	"usage: kith due [--limit N]\n"
	"\n"
	"People who are overdue for contact (longer since the last interaction\n"
	"than their cadence: their own, else their orbit's; see 'kith cadence')\n"
	"or going dry (weaker than their orbit expects, and weaker than three\n"
	"months ago).  Inner orbits first, then the longest overdue.\n"
	"\n"
	"  --limit N   at most N people (default 20; 0 = all)\n";

int cmd_due(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"limit", required_argument, NULL, 'l'}, CLI_COMMON_OPTS, {0}};
	size_t limit = 20, n;
	kith_due *v;
	kith_error err;
	kith_id me;
	json_t *a = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'l') {
			if (cli_count("due", "--limit", optarg, &limit))
				return CLI_USAGE;
			continue;
		}
		return ch == 'h' ? cli_help(help) : cli_bad_option("due");
	}
	if (optind < argc)
		return cli_usage_error("due", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, "me", &me)))
		return rc;
	if (kith_due_list(c->db, me, kith_db_now(c->db), &v, &n, &err))
		return cli_fail(&err);
	if (c->json)
		a = json_array();
	else if (n == 0)
		printf("nobody is due: every relationship is tended\n");
	for (size_t i = 0; i < n && (!limit || i < limit); i++) {
		const kith_due *d = &v[i];
		char who[256], day[32] = "never";
		if (d->m.s.last_at)
			kith_time_format_date(d->m.s.last_at, day, sizeof(day));
		if (a) {
			json_array_append_new(a, kith_due_json(d));
			continue;
		}
		printf("%-7s ", kith_orbit_name[d->m.orbit]);
		cli_put_padded(cli_person_label(c, d->m.s.person, who, sizeof(who)), 32);
		printf("last %s %-12s", day, d->m.s.last_kind ? d->m.s.last_kind : "");
		if ((d->why & KITH_DUE_OVERDUE) && d->days_since < 0)
			printf(" never in touch");
		else if (d->why & KITH_DUE_OVERDUE)
			printf(" %3.0f days (every %d)", d->days_since, d->cadence);
		if (d->why & KITH_DUE_DRY)
			printf(" going dry %.2f→%.2f", d->m.s.then, d->m.s.strength);
		putchar('\n');
	}
	if (!a && limit && n > limit)
		printf("(%zu more: kith due --limit 0)\n", n - limit);
	kith_due_list_free(v, n);
	return a ? cli_print_json(json_pack("{s:o}", "due", a)) : CLI_OK;
}
