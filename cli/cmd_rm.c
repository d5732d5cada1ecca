/* kith rm: delete people, an organisation, an interaction or a job. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith rm PERSON...\n"
	"       kith rm org ORG | interaction ID | job ID\n"
	"\n"
	"Delete for good.  Removing a person removes their emails, tags, jobs\n"
	"and links; interactions they shared with one other person go too.\n"
	"Several people are removed together or not at all.\n";

static int rm_people(struct cli *c, int argc, char **argv)
{
	kith_idv ids = {0};
	kith_error err;
	char label[256];
	int rc = CLI_OK;

	/* Resolve every name before deleting anything. */
	for (int i = 0; !rc && i < argc; i++) {
		kith_id id;
		rc = cli_person(c, argv[i], &id);
		if (!rc && kith_idv_push(&ids, id))
			rc = cli_failf("out of memory");
	}
	if (!rc && (rc = kith_db_begin(c->db, &err)) != KITH_OK)
		rc = cli_fail(&err);
	for (size_t i = 0; !rc && i < ids.n; i++) {
		cli_person_label(c, ids.v[i], label, sizeof(label));
		if (kith_person_remove(c->db, ids.v[i], &err)) {
			kith_db_rollback(c->db);
			rc = cli_fail(&err);
		} else if (!c->json) {
			printf("Removed %s\n", label);
		}
	}
	if (!rc && kith_db_commit(c->db, &err))
		rc = cli_fail(&err);
	if (!rc && c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < ids.n; i++)
			json_array_append_new(a, json_integer(ids.v[i]));
		rc = cli_print_json(json_pack("{s:o}", "removed", a));
	}
	kith_idv_clear(&ids);
	return rc;
}

static int rm_record(struct cli *c, const char *what, const char *ref)
{
	kith_error err;
	kith_id id = 0;
	int rc = KITH_OK;

	if (strcmp(what, "org") == 0) {
		if ((rc = cli_org(c, ref, &id)))
			return rc;
		rc = kith_org_remove(c->db, id, &err);
	} else if (!(id = kith_parse_id(ref))) {
		return cli_usage_error("rm", "'%s' is not an id", ref);
	} else if (strcmp(what, "interaction") == 0) {
		rc = kith_interaction_remove(c->db, id, &err);
	} else {
		rc = kith_job_remove(c->db, id, &err);
	}
	if (rc)
		return cli_fail(&err);
	if (c->json)
		return cli_print_json(json_pack("{s:s, s:I}", "removed", what, "id", (json_int_t)id));
	printf("Removed %s #%lld\n", what, (long long)id);
	return CLI_OK;
}

int cmd_rm(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTS, {0}};
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		return ch == 'h' ? cli_help(help) : cli_bad_option("rm");
	if (optind >= argc)
		return cli_usage_error("rm", "say what to remove");
	if ((rc = cli_open(c, 0)))
		return rc;
	if (argc - optind == 2 && (strcmp(argv[optind], "org") == 0 ||
	    strcmp(argv[optind], "interaction") == 0 || strcmp(argv[optind], "job") == 0))
		return rm_record(c, argv[optind], argv[optind + 1]);
	return rm_people(c, argc - optind, argv + optind);
}
