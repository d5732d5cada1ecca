/* kith edit: change a person, an organisation or a link in place. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith edit PERSON [options]\n"
	"       kith edit org ORG [--name N] [--domain D] [--city C] [--country C] [--note N]\n"
	"       kith edit link A B --kind K [--trust X] [--since DATE] [--note N]\n"
	"\n"
	"Change fields; an empty value (--city \"\") clears one.\n"
	"\n"
	"  --name N, --given G, --family F   names\n"
	"  --email E / --rm-email E          add / remove an email\n"
	"  --phone P / --rm-phone P          add / remove a phone\n"
	"  --city C, --country C             where they live\n"
	"  --note N                          replace the notes\n"
	"  --append-note N                   add a line to the notes\n";

/* Sets *field to v, or clears it when v is empty. */
static void set_field(char **field, const char *v)
{
	free(*field);
	*field = *v ? cli_dup(v) : NULL;
}

static void append_note(char **notes, const char *line)
{
	size_t n = (*notes ? strlen(*notes) + 1 : 0) + strlen(line) + 1;
	char *s = malloc(n);

	if (!s) {
		cli_failf("out of memory");
		exit(CLI_FAIL);
	}
	snprintf(s, n, "%s%s%s", *notes ? *notes : "", *notes ? "\n" : "", line);
	free(*notes);
	*notes = s;
}

static int remove_value(kith_strv *sv, const char *v, const char *what)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcasecmp(sv->v[i], v) == 0) {
			kith_strv_remove(sv, i);
			return CLI_OK;
		}
	return cli_failf("they have no %s '%s'", what, v);
}

static int edit_person(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'N'},
		{"given", required_argument, NULL, 'g'},
		{"family", required_argument, NULL, 'f'},
		{"email", required_argument, NULL, 'e'},
		{"rm-email", required_argument, NULL, 'E'},
		{"phone", required_argument, NULL, 'p'},
		{"rm-phone", required_argument, NULL, 'P'},
		{"city", required_argument, NULL, 'c'},
		{"country", required_argument, NULL, 'C'},
		{"note", required_argument, NULL, 'n'},
		{"append-note", required_argument, NULL, 'a'},
		CLI_COMMON_OPTS, {0}};
	kith_person *p = NULL;
	kith_error err;
	kith_id id;
	int ch, rc = CLI_OK;

	/* Pass 1 checks the options and finds the person (getopt moves the
	 * operand to the end); pass 2 applies the options to them. */
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(help);
		if (ch == '?')
			return cli_bad_option("edit");
	}
	if (argc - optind != 1)
		return cli_usage_error("edit", "give one person");
	if (argc == 2)
		return cli_usage_error("edit", "nothing to change");
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, argv[optind], &id)))
		return rc;
	if (kith_person_get(c->db, id, &p, &err))
		return cli_fail(&err);
	optind = 0;
	while (!rc && (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'N': set_field(&p->display_name, optarg); break;
		case 'g': set_field(&p->given_name, optarg); break;
		case 'f': set_field(&p->family_name, optarg); break;
		case 'c': set_field(&p->city, optarg); break;
		case 'C': set_field(&p->country, optarg); break;
		case 'n': set_field(&p->notes, optarg); break;
		case 'a': append_note(&p->notes, optarg); break;
		case 'e': rc = kith_strv_push(&p->emails, optarg); break;
		case 'p': rc = kith_strv_push(&p->phones, optarg); break;
		case 'E': rc = remove_value(&p->emails, optarg, "email"); break;
		case 'P': rc = remove_value(&p->phones, optarg, "phone"); break;
		}
	}
	if (!rc && kith_person_update(c->db, p, &err))
		rc = cli_fail(&err);
	if (!rc && c->json)
		rc = cli_print_json(kith_person_json(p));
	else if (!rc)
		printf("Updated #%lld %s\n", (long long)p->id, p->display_name);
	kith_person_free(p);
	return rc;
}

static int edit_org(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'N'},
		{"domain", required_argument, NULL, 'd'},
		{"city", required_argument, NULL, 'c'},
		{"country", required_argument, NULL, 'C'},
		{"note", required_argument, NULL, 'n'},
		CLI_COMMON_OPTS, {0}};
	kith_org *o = NULL;
	kith_error err;
	kith_id id;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help(help);
		if (ch == '?')
			return cli_bad_option("edit");
	}
	if (argc - optind != 1)
		return cli_usage_error("edit", "give one organisation");
	if (argc == 2)
		return cli_usage_error("edit", "nothing to change");
	if ((rc = cli_open(c, 0)) || (rc = cli_org(c, argv[optind], &id)))
		return rc;
	if (kith_org_get(c->db, id, &o, &err))
		return cli_fail(&err);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'N': set_field(&o->name, optarg); break;
		case 'd': set_field(&o->domain, optarg); break;
		case 'c': set_field(&o->city, optarg); break;
		case 'C': set_field(&o->country, optarg); break;
		case 'n': set_field(&o->notes, optarg); break;
		}
	}
	if (kith_org_update(c->db, o, &err))
		rc = cli_fail(&err);
	else if (c->json)
		rc = cli_print_json(kith_org_json(o));
	else
		printf("Updated organisation #%lld %s\n", (long long)o->id, o->name);
	kith_org_free(o);
	return rc;
}

/* Finds the link of this kind between a and b in l (caller clears). */
static int find_link(struct cli *c, kith_id a, kith_id b, const char *kind,
                     kith_link *out)
{
	kith_link *v;
	size_t n;
	kith_error err;
	int found = 0;

	if (kith_link_list(c->db, a, &v, &n, &err))
		return cli_fail(&err);
	for (size_t i = 0; i < n && !found; i++)
		if ((v[i].a == b || v[i].b == b) && strcmp(v[i].kind, kind) == 0) {
			*out = v[i];
			memset(&v[i], 0, sizeof(v[i]));
			found = 1;
		}
	kith_link_list_free(v, n);
	if (!found) {
		char la[256], lb[256];
		return cli_failf("%s and %s are not linked as %s",
		                 cli_person_label(c, a, la, sizeof(la)),
		                 cli_person_label(c, b, lb, sizeof(lb)), kind);
	}
	return CLI_OK;
}

static int edit_link(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"trust", required_argument, NULL, 't'},
		{"since", required_argument, NULL, 's'},
		{"note", required_argument, NULL, 'n'},
		CLI_COMMON_OPTS, {0}};
	const char *kind = "knows", *trust = NULL, *since = NULL, *note = NULL;
	kith_link l = {0};
	kith_error err;
	kith_id a, b;
	double t = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'k': kind = optarg; break;
		case 't': trust = optarg; break;
		case 's': since = optarg; break;
		case 'n': note = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("edit");
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("edit", "give the two people of the link");
	if (!trust && !since && !note)
		return cli_usage_error("edit", "nothing to change");
	if (trust && *trust && cli_number("edit", "--trust", trust, 0, 1, &t))
		return CLI_USAGE;
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, argv[optind], &a)) ||
	    (rc = cli_person(c, argv[optind + 1], &b)) || (rc = find_link(c, a, b, kind, &l)))
		return rc;
	if (trust) {
		l.has_trust = *trust != '\0';
		l.trust = t;
	}
	if (since)
		set_field(&l.since, since);
	if (note)
		set_field(&l.notes, note);
	if (kith_link_update(c->db, &l, &err))
		rc = cli_fail(&err);
	else if (c->json)
		rc = cli_print_json(kith_link_json(&l));
	else
		printf("Updated %s link #%lld\n", l.kind, (long long)l.id);
	kith_link_clear(&l);
	return rc;
}

int cmd_edit(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "org") == 0)
		return edit_org(c, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "link") == 0)
		return edit_link(c, argc - 1, argv + 1);
	return edit_person(c, argc, argv);
}
