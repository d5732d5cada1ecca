/* kith cadence: how often to be in touch, per person or per orbit. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith cadence PERSON DAYS\n"
	"       kith cadence --orbit N DAYS\n"
	"       kith cadence\n"
	"\n"
	"Set how often I want to be in touch with a person (DAYS = 0 clears\n"
	"it), or with everyone in orbit N (1 inner .. 5 wider).  Without\n"
	"arguments, show the cadences.  Defaults: inner 14 days, close 30,\n"
	"active 90, known 180, wider none.\n";

static int show(struct cli *c)
{
	json_t *orbits = json_object();

	for (int o = 1; o <= KITH_ORBITS; o++) {
		int d = kith_cadence_orbit(c->db, o);
		json_object_set_new(orbits, kith_orbit_name[o], d ? json_integer(d) : json_null());
		if (!c->json)
			printf("%-7s %s%d%s\n", kith_orbit_name[o], d ? "every " : "", d, d ? " days" : " (none)");
	}
	if (c->json)
		return cli_print_json(json_pack("{s:o}", "orbits", orbits));
	json_decref(orbits);
	return CLI_OK;
}

int cmd_cadence(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"orbit", required_argument, NULL, 'o'}, CLI_COMMON_OPTS, {0}};
	kith_error err;
	double orbit = 0, days;
	kith_id who;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'o') {
			if (cli_number("cadence", "--orbit", optarg, 1, KITH_ORBITS, &orbit))
				return CLI_USAGE;
			continue;
		}
		return ch == 'h' ? cli_help(help) : cli_bad_option("cadence");
	}
	if ((rc = cli_open(c, 0)))
		return rc;
	if (optind == argc && !orbit)
		return show(c);
	if (argc - optind != (orbit ? 1 : 2))
		return cli_usage_error("cadence", "give %s and a number of days",
		                       orbit ? "--orbit N" : "a person");
	if (cli_number("cadence", "DAYS", argv[argc - 1], 0, 3650, &days))
		return CLI_USAGE;
	if (orbit) {
		if (kith_cadence_set_orbit(c->db, (int)orbit, (int)days, &err))
			return cli_fail(&err);
	} else if ((rc = cli_person(c, argv[optind], &who))) {
		return rc;
	} else if (kith_cadence_set_person(c->db, who, (int)days, &err)) {
		return cli_fail(&err);
	}
	if (c->json)
		return cli_print_json(json_pack("{s:i}", "days", (int)days));
	if (days)
		printf("Cadence set: every %d days\n", (int)days);
	else
		printf("Cadence cleared\n");
	return CLI_OK;
}
