/* kith member: the team members who use `kith serve`, and their tokens. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith member add NAME [--person P] [--label L]\n"
	"       kith member list\n"
	"       kith member rm NAME\n"
	"       kith member token NAME [--label L]\n"
	"       kith member tokens [NAME]\n"
	"       kith member revoke TOKEN_ID\n"
	"\n"
	"Each member is a person in the network (their \"me\" in the API): P,\n"
	"else the person called NAME, who is added when there is none.  'add'\n"
	"and 'token' print a new sign-in token once; kith keeps only its hash,\n"
	"so a lost token is revoked and replaced, never shown again.\n";

static int print_token(struct cli *c, kith_id member, const char *label)
{
	char tok[KITH_TOKEN_LEN];
	kith_id tid;
	kith_error err;

	if (kith_token_new(c->db, member, label, tok, &tid, &err))
		return cli_fail(&err);
	if (c->json)
		return cli_print_json(json_pack("{s:I, s:I, s:s}", "member", (json_int_t)member,
		                                "token_id", (json_int_t)tid, "token", tok));
	printf("token #%lld (shown once, keep it safe): %s\n", (long long)tid, tok);
	return CLI_OK;
}

/* The person a new member is: --person, else NAME, else a new person. */
static int member_person(struct cli *c, const char *name, const char *ref, kith_id *id)
{
	kith_person p = {0};
	kith_error err;
	int rc;

	if (ref)
		return cli_person(c, ref, id);
	if (kith_person_resolve(c->db, name, id, NULL, &err) == KITH_OK)
		return CLI_OK;
	if (err.code != KITH_ENOTFOUND)
		return cli_fail(&err);
	if (!(p.display_name = strdup(name)))
		return cli_failf("out of memory");
	rc = kith_person_add(c->db, &p, &err) ? cli_fail(&err) : CLI_OK;
	*id = p.id;
	kith_person_clear(&p);
	return rc;
}

static int member_add(struct cli *c, const char *name, const char *person, const char *label)
{
	kith_error err;
	kith_id pid, mid;
	int rc;

	if (kith_db_begin(c->db, &err))
		return cli_fail(&err);
	if ((rc = member_person(c, name, person, &pid)))
		goto fail;
	if (kith_member_add(c->db, name, pid, &mid, &err)) {
		rc = cli_fail(&err);
		goto fail;
	}
	if (!c->json)
		printf("member #%lld %s is %s\n", (long long)mid, name,
		       cli_person_label(c, pid, (char[256]){0}, 256));
	if ((rc = print_token(c, mid, label)))
		goto fail;
	if (kith_db_commit(c->db, &err))
		return cli_fail(&err);
	return CLI_OK;
fail:
	kith_db_rollback(c->db);
	return rc;
}

static int member_list(struct cli *c)
{
	kith_member *v;
	size_t n;
	kith_error err;
	json_t *a = c->json ? json_array() : NULL;

	if (kith_member_list(c->db, &v, &n, &err))
		return cli_fail(&err);
	if (!a && n == 0)
		printf("no members yet (add one with 'kith member add NAME')\n");
	for (size_t i = 0; i < n; i++) {
		char who[256] = "(no person)";
		if (v[i].person)
			cli_person_label(c, v[i].person, who, sizeof(who));
		if (a)
			json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:I}", "id",
				(json_int_t)v[i].id, "name", v[i].name, "person",
				v[i].person ? json_integer(v[i].person) : json_null(),
				"tokens", (json_int_t)v[i].tokens));
		else
			printf("#%-4lld %-20s %s, %lld token%s\n", (long long)v[i].id, v[i].name, who,
			       (long long)v[i].tokens, v[i].tokens == 1 ? "" : "s");
	}
	kith_member_list_free(v, n);
	return a ? cli_print_json(a) : CLI_OK;
}

static int token_list(struct cli *c, kith_id member)
{
	kith_token_info *v;
	size_t n;
	kith_error err;
	json_t *a = c->json ? json_array() : NULL;

	if (kith_token_list(c->db, member, &v, &n, &err))
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++) {
		char made[32], used[32] = "never";
		kith_time_format_date(v[i].created, made, sizeof(made));
		if (v[i].last_used)
			kith_time_format_date(v[i].last_used, used, sizeof(used));
		if (a)
			json_array_append_new(a, json_pack("{s:I, s:I, s:o, s:b}", "id",
				(json_int_t)v[i].id, "member", (json_int_t)v[i].member, "label",
				v[i].label ? json_string(v[i].label) : json_null(), "revoked",
				v[i].revoked != 0));
		else
			printf("#%-4lld member #%lld  made %s  used %s%s%s%s\n", (long long)v[i].id,
			       (long long)v[i].member, made, used, v[i].label ? "  " : "",
			       v[i].label ? v[i].label : "", v[i].revoked ? "  REVOKED" : "");
	}
	kith_token_list_free(v, n);
	return a ? cli_print_json(a) : CLI_OK;
}

int cmd_member(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"person", required_argument, NULL, 'p'},
		{"label", required_argument, NULL, 'l'},
		CLI_COMMON_OPTS, {0}};
	const char *person = NULL, *label = NULL, *verb;
	kith_error err;
	kith_id id = 0;
	int ch, rc, nargs;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': person = optarg; break;
		case 'l': label = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("member");
		}
	}
	if (optind >= argc)
		return cli_usage_error("member", "say what to do: add, list, rm, token, tokens, revoke");
	verb = argv[optind++];
	nargs = argc - optind;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (strcmp(verb, "list") == 0 && nargs == 0)
		return member_list(c);
	if (strcmp(verb, "tokens") == 0 && nargs <= 1) {
		if (nargs && kith_member_resolve(c->db, argv[optind], &id, &err))
			return cli_fail(&err);
		return token_list(c, id);
	}
	if (nargs != 1)
		return cli_usage_error("member", "'%s' takes one argument", verb);
	if (strcmp(verb, "add") == 0)
		return member_add(c, argv[optind], person, label);
	if (strcmp(verb, "revoke") == 0) {
		if (!(id = kith_parse_id(argv[optind])))
			return cli_usage_error("member", "revoke takes a token id (see 'kith member tokens')");
		if (kith_token_revoke(c->db, id, 0, &err))
			return cli_fail(&err);
		if (!c->json)
			printf("token #%lld revoked\n", (long long)id);
		return CLI_OK;
	}
	if (kith_member_resolve(c->db, argv[optind], &id, &err))
		return cli_fail(&err);
	if (strcmp(verb, "token") == 0)
		return print_token(c, id, label);
	if (strcmp(verb, "rm") == 0) {
		if (kith_member_remove(c->db, id, &err))
			return cli_fail(&err);
		if (!c->json)
			printf("member %s removed; their private records stay hidden\n", argv[optind]);
		return CLI_OK;
	}
	return cli_usage_error("member", "unknown action '%s'", verb);
}
