/* kith init: create a database, optionally with "me". */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith init [--me NAME] [--email EMAIL]\n"
	"\n"
	"Create the kith database (see --db) if it does not exist, and bring an\n"
	"existing one up to this kith's schema.  Running it again is harmless.\n"
	"\n"
	"  --me NAME      add yourself and mark that person as \"me\"\n"
	"  --email EMAIL  your email, with --me\n";

static int add_me(struct cli *c, const char *name, const char *email)
{
	kith_person p = {0};
	kith_error err;
	int rc;

	if (kith_me(c->db))
		return cli_failf("'me' is already set (change it with 'kith me PERSON')");
	p.display_name = strdup(name);
	if (!p.display_name || (email && kith_strv_push(&p.emails, email))) {
		kith_person_clear(&p);
		return cli_failf("out of memory");
	}
	rc = kith_db_begin(c->db, &err);
	if (!rc)
		rc = kith_person_add(c->db, &p, &err);
	if (!rc)
		rc = kith_set_me(c->db, p.id, &err);
	if (!rc)
		rc = kith_db_commit(c->db, &err);
	else
		kith_db_rollback(c->db);
	kith_person_clear(&p);
	return rc ? cli_fail(&err) : CLI_OK;
}

int cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"me", required_argument, NULL, 'm'},
		{"email", required_argument, NULL, 'e'},
		CLI_COMMON_OPTS, {0}};
	const char *me = NULL, *email = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': me = optarg; break;
		case 'e': email = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("init");
		}
	}
	if (optind < argc)
		return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
	if (email && !me)
		return cli_usage_error("init", "--email goes with --me");
	rc = cli_open(c, KITH_OPEN_CREATE);
	if (rc)
		return rc;
	if (me && (rc = add_me(c, me, email)))
		return rc;
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:i, s:I}", "db", c->db_path,
		                      "schema", kith_schema_version(), "me", (json_int_t)kith_me(c->db)));
	printf("kith database ready at %s (schema %d)\n", c->db_path, kith_schema_version());
	if (me)
		printf("You are %s (#%lld).\n", me, (long long)kith_me(c->db));
	return CLI_OK;
}
