/* kith work: record a job, or end one. */
#include "cli.h"

static const char help[] =
	"usage: kith work PERSON ORG [--title T] [--from DATE] [--to DATE]\n"
	"       kith work --end JOB [--to DATE]\n"
	"\n"
	"Record that PERSON works (or, with --to, worked) at ORG.  The\n"
	"organisation is created if kith does not know it yet.  --end closes a\n"
	"job (ids are shown by 'kith show PERSON --json').  Dates: YYYY, YYYY-MM\n"
	"or YYYY-MM-DD.\n";

int cmd_work(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"title", required_argument, NULL, 't'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 'T'},
		{"end", required_argument, NULL, 'e'},
		CLI_COMMON_OPTS, {0}};
	kith_job j = {0};
	const char *end = NULL;
	kith_error err;
	int ch, rc = CLI_OK;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 't': free(j.title); j.title = cli_dup(optarg); break;
		case 'f': free(j.from); j.from = cli_dup(optarg); break;
		case 'T': free(j.to); j.to = cli_dup(optarg); break;
		case 'e': end = optarg; break;
		case 'h': kith_job_clear(&j); return cli_help(help);
		default: kith_job_clear(&j); return cli_bad_option("work");
		}
	}
	if (end) {
		kith_id id = kith_parse_id(end);
		if (!id || optind != argc || j.title || j.from)
			rc = cli_usage_error("work", "--end takes a job id, and only --to");
		else if (!(rc = cli_open(c, 0)) && kith_job_end(c->db, id, j.to, &err))
			rc = cli_fail(&err);
		else if (!rc)
			printf("Ended job #%lld\n", (long long)id);
		kith_job_clear(&j);
		return rc;
	}
	if (argc - optind != 2)
		rc = cli_usage_error("work", "give a person and an organisation");
	if (!rc)
		rc = cli_open(c, 0);
	if (!rc)
		rc = cli_person(c, argv[optind], &j.person);
	if (!rc && kith_db_begin(c->db, &err) == KITH_OK) {
		if (kith_org_ensure(c->db, argv[optind + 1], &j.org, &err) ||
		    kith_job_add(c->db, &j, &err) || kith_db_commit(c->db, &err)) {
			kith_db_rollback(c->db);
			rc = cli_fail(&err);
		}
	} else if (!rc) {
		rc = cli_fail(&err);
	}
	if (!rc && c->json)
		rc = cli_print_json(kith_job_json(&j));
	else if (!rc)
		printf("Recorded job #%lld: %s at %s\n", (long long)j.id,
		       j.title ? j.title : "works", argv[optind + 1]);
	kith_job_clear(&j);
	return rc;
}
