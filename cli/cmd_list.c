/* kith list: people (default), orgs, links, interactions, tags, kinds. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith list [people|orgs|links|tags] [filters]\n"
	"\n"
	"List people by name (default), organisations, all links, or tags with\n"
	"counts.\n"
	"\n"
	"  --tag T          people with tag T\n"
	"  --city C         people living in C\n"
	"  --country C      people living in country C\n"
	"  --org ORG        people currently working at ORG\n"
	"  --limit N        at most N rows (default: all)\n"
	"  --offset N       skip the first N rows\n";

struct list_opts {
	kith_person_filter f;
	const char *org;
};

static int list_people(struct cli *c, struct list_opts *o)
{
	kith_person **v;
	size_t n;
	kith_error err;
	int64_t total;
	int rc;

	if (o->org && (rc = cli_org(c, o->org, &o->f.org)))
		return rc;
	if (kith_person_list(c->db, &o->f, &v, &n, &err) ||
	    kith_person_count(c->db, &o->f, &total, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, kith_person_json(v[i]));
		rc = cli_print_json(json_pack("{s:I, s:o}", "total", (json_int_t)total, "people", a));
	} else {
		for (size_t i = 0; i < n; i++) {
			const kith_person *p = v[i];
			printf("#%-6lld ", (long long)p->id);
			cli_put_padded(p->display_name, 28);
			cli_put_padded(p->emails.n ? p->emails.v[0] : "", 32);
			printf("%s\n", p->city ? p->city : "");
		}
		if (n < (size_t)total)
			printf("(%zu of %lld shown)\n", n, (long long)total);
		rc = CLI_OK;
	}
	kith_person_list_free(v, n);
	return rc;
}

static int list_orgs(struct cli *c, struct list_opts *o)
{
	kith_org **v;
	size_t n;
	kith_error err;
	json_t *a;

	if (kith_org_list(c->db, o->f.limit, o->f.offset, &v, &n, &err))
		return cli_fail(&err);
	a = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		if (a) {
			json_array_append_new(a, kith_org_json(v[i]));
			continue;
		}
		printf("#%-6lld ", (long long)v[i]->id);
		cli_put_padded(v[i]->name, 32);
		printf("%s\n", v[i]->domain ? v[i]->domain : "");
	}
	kith_org_list_free(v, n);
	return a ? cli_print_json(json_pack("{s:o}", "orgs", a)) : CLI_OK;
}

static int list_links(struct cli *c, struct list_opts *o)
{
	kith_link *v;
	size_t n;
	kith_error err;
	json_t *a;
	char la[256], lb[256];

	if (kith_link_list(c->db, 0, &v, &n, &err))
		return cli_fail(&err);
	a = c->json ? json_array() : NULL;
	for (size_t i = o->f.offset; i < n && (!o->f.limit || i < o->f.offset + o->f.limit); i++) {
		if (a) {
			json_array_append_new(a, kith_link_json(&v[i]));
			continue;
		}
		cli_put_padded(cli_person_label(c, v[i].a, la, sizeof(la)), 30);
		cli_put_padded(v[i].kind, 10);
		cli_put_padded(cli_person_label(c, v[i].b, lb, sizeof(lb)), 30);
		if (v[i].has_trust)
			printf(" trust %.2f", v[i].trust);
		putchar('\n');
	}
	kith_link_list_free(v, n);
	return a ? cli_print_json(json_pack("{s:o}", "links", a)) : CLI_OK;
}

static int list_tags(struct cli *c)
{
	kith_tag_count *v;
	size_t n;
	kith_error err;
	json_t *a;

	if (kith_tag_list(c->db, &v, &n, &err))
		return cli_fail(&err);
	a = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		if (a)
			json_array_append_new(a, json_pack("{s:s, s:I}", "tag", v[i].tag,
			                                   "count", (json_int_t)v[i].count));
		else
			printf("%6lld  %s\n", (long long)v[i].count, v[i].tag);
	}
	kith_tag_list_free(v, n);
	return a ? cli_print_json(json_pack("{s:o}", "tags", a)) : CLI_OK;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"tag", required_argument, NULL, 't'},
		{"city", required_argument, NULL, 'c'},
		{"country", required_argument, NULL, 'C'},
		{"org", required_argument, NULL, 'o'},
		{"limit", required_argument, NULL, 'l'},
		{"offset", required_argument, NULL, 'O'},
		CLI_COMMON_OPTS, {0}};
	struct list_opts o = {0};
	const char *what = "people";
	int ch, rc = CLI_OK;

	while (!rc && (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 't': o.f.tag = optarg; break;
		case 'c': o.f.city = optarg; break;
		case 'C': o.f.country = optarg; break;
		case 'o': o.org = optarg; break;
		case 'l': rc = cli_count("list", "--limit", optarg, &o.f.limit); break;
		case 'O': rc = cli_count("list", "--offset", optarg, &o.f.offset); break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("list");
		}
	}
	if (rc)
		return rc;
	if (argc - optind > 1)
		return cli_usage_error("list", "list one thing at a time");
	if (optind < argc)
		what = argv[optind];
	if ((rc = cli_open(c, 0)))
		return rc;
	if (strcmp(what, "people") == 0 || strcmp(what, "persons") == 0)
		return list_people(c, &o);
	if ((o.f.tag || o.f.city || o.f.country || o.org) && strcmp(what, "people"))
		return cli_usage_error("list", "--tag, --city, --country and --org filter people");
	if (strcmp(what, "orgs") == 0)
		return list_orgs(c, &o);
	if (strcmp(what, "links") == 0)
		return list_links(c, &o);
	if (strcmp(what, "tags") == 0)
		return list_tags(c);
	return cli_usage_error("list", "'%s' is not something kith lists "
	                       "(people, orgs, links, tags)", what);
}
