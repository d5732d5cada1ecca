/* kith add person|org: record someone or an organisation. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith add person NAME [options]\n"
	"       kith add org NAME [--domain D] [--city C] [--country C] [--note N]\n"
	"\n"
	"Add a person (or an organisation).  All of it is saved, or none.\n"
	"\n"
	"  --given G, --family F   given and family names\n"
	"  --email E               an email (repeat for more; the first is primary)\n"
	"  --phone P               a phone number (repeatable)\n"
	"  --city C, --country C   where they live\n"
	"  --tag T                 a tag (repeatable)\n"
	"  --note N                free notes\n"
	"  --org ORG [--title T] [--from DATE]\n"
	"                          where they work now (the org is created if new)\n"
	"  --link KIND             also link them to me, e.g. --link friend\n"
	"  --trust X               with --link: trust from 0 to 1\n";

struct add_person_opts {
	kith_person p;
	const char *org, *title, *from, *link;
	double trust;
	int has_trust;
};

static int set_str(char **field, const char *v)
{
	free(*field);
	*field = strdup(v);
	return *field ? CLI_OK : cli_failf("out of memory");
}

/* Everything one `add person` writes, in one transaction. */
static int save_person(struct cli *c, struct add_person_opts *o, kith_error *err)
{
	kith_job job = {0};
	kith_link l = {0};
	int rc = kith_person_add(c->db, &o->p, err);

	if (!rc && o->org) {
		job.person = o->p.id;
		job.title = cli_dup(o->title);
		job.from = cli_dup(o->from);
		rc = kith_org_ensure(c->db, o->org, &job.org, err);
		if (!rc)
			rc = kith_job_add(c->db, &job, err);
	}
	if (!rc && o->link) {
		l.a = kith_me(c->db);
		l.b = o->p.id;
		l.kind = cli_dup(o->link);
		l.trust = o->trust;
		l.has_trust = o->has_trust;
		if (!l.a)
			rc = kith_error_set(err, KITH_EINVAL,
				"--link needs 'me' to be set (kith me PERSON)");
		else
			rc = kith_link_add(c->db, &l, err);
	}
	kith_job_clear(&job);
	kith_link_clear(&l);
	return rc;
}

static int add_person(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"given", required_argument, NULL, 'g'},
		{"family", required_argument, NULL, 'f'},
		{"email", required_argument, NULL, 'e'},
		{"phone", required_argument, NULL, 'p'},
		{"city", required_argument, NULL, 'c'},
		{"country", required_argument, NULL, 'C'},
		{"tag", required_argument, NULL, 't'},
		{"note", required_argument, NULL, 'n'},
		{"org", required_argument, NULL, 'o'},
		{"title", required_argument, NULL, 'T'},
		{"from", required_argument, NULL, 'F'},
		{"link", required_argument, NULL, 'l'},
		{"trust", required_argument, NULL, 'r'},
		CLI_COMMON_OPTS, {0}};
	struct add_person_opts o = {0};
	kith_error err;
	int ch, rc = CLI_OK;

	while (!rc && (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'g': rc = set_str(&o.p.given_name, optarg); break;
		case 'f': rc = set_str(&o.p.family_name, optarg); break;
		case 'e': rc = kith_strv_push(&o.p.emails, optarg); break;
		case 'p': rc = kith_strv_push(&o.p.phones, optarg); break;
		case 'c': rc = set_str(&o.p.city, optarg); break;
		case 'C': rc = set_str(&o.p.country, optarg); break;
		case 't': rc = kith_strv_push(&o.p.tags, optarg); break;
		case 'n': rc = set_str(&o.p.notes, optarg); break;
		case 'o': o.org = optarg; break;
		case 'T': o.title = optarg; break;
		case 'F': o.from = optarg; break;
		case 'l': o.link = optarg; break;
		case 'r':
			rc = cli_number("add", "--trust", optarg, 0, 1, &o.trust);
			o.has_trust = 1;
			break;
		case 'h': kith_person_clear(&o.p); return cli_help(help);
		default: rc = cli_bad_option("add"); break;
		}
	}
	if (!rc && argc - optind != 1)
		rc = cli_usage_error("add", "give the person's name once, in quotes");
	if (!rc && (o.title || o.from) && !o.org)
		rc = cli_usage_error("add", "--title and --from go with --org");
	if (!rc && o.has_trust && !o.link)
		rc = cli_usage_error("add", "--trust goes with --link");
	if (!rc)
		rc = set_str(&o.p.display_name, argv[optind]);
	if (!rc)
		rc = cli_open(c, 0);
	if (rc)
		goto cleanup;
	if ((rc = kith_db_begin(c->db, &err)) == KITH_OK) {
		rc = save_person(c, &o, &err);
		if (!rc)
			rc = kith_db_commit(c->db, &err);
		else
			kith_db_rollback(c->db);
	}
	if (rc) {
		rc = cli_fail(&err);
	} else if (c->json) {
		rc = cli_print_json(kith_person_json(&o.p));
	} else {
		printf("Added #%lld %s\n", (long long)o.p.id, o.p.display_name);
	}
cleanup:
	kith_person_clear(&o.p);
	return rc;
}

static int add_org(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"domain", required_argument, NULL, 'd'},
		{"city", required_argument, NULL, 'c'},
		{"country", required_argument, NULL, 'C'},
		{"note", required_argument, NULL, 'n'},
		CLI_COMMON_OPTS, {0}};
	kith_org o = {0};
	kith_error err;
	int ch, rc = CLI_OK;

	while (!rc && (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': rc = set_str(&o.domain, optarg); break;
		case 'c': rc = set_str(&o.city, optarg); break;
		case 'C': rc = set_str(&o.country, optarg); break;
		case 'n': rc = set_str(&o.notes, optarg); break;
		case 'h': kith_org_clear(&o); return cli_help(help);
		default: rc = cli_bad_option("add"); break;
		}
	}
	if (!rc && argc - optind != 1)
		rc = cli_usage_error("add", "give the organisation's name once, in quotes");
	if (!rc)
		rc = set_str(&o.name, argv[optind]);
	if (!rc)
		rc = cli_open(c, 0);
	if (!rc && kith_org_add(c->db, &o, &err))
		rc = cli_fail(&err);
	else if (!rc && c->json)
		rc = cli_print_json(kith_org_json(&o));
	else if (!rc)
		printf("Added organisation #%lld %s\n", (long long)o.id, o.name);
	kith_org_clear(&o);
	return rc;
}

int cmd_add(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "person") == 0)
		return add_person(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "org") == 0)
		return add_org(c, argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return cli_help(help);
	return cli_usage_error("add", "say what to add: 'kith add person NAME' or "
	                       "'kith add org NAME'");
}
