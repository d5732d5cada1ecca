/* kith show: everything kith knows about a person or an organisation. */
#include <string.h>

#include "cli.h"

static const char help[] =
	"usage: kith show PERSON\n"
	"       kith show org ORG\n"
	"\n"
	"Show a person's details, jobs, links and latest interactions (or an\n"
	"organisation with its people).  PERSON is an id, an email or a name.\n"
	"\n"
	"  --recent N   how many recent interactions to show (default 5)\n";

struct person_view {
	kith_person *p;
	kith_job *jobs;
	size_t njobs;
	kith_link *links;
	size_t nlinks;
	kith_interaction *recent;
	size_t nrecent;
};

static void view_free(struct person_view *v)
{
	kith_person_free(v->p);
	kith_job_list_free(v->jobs, v->njobs);
	kith_link_list_free(v->links, v->nlinks);
	kith_interaction_list_free(v->recent, v->nrecent);
}

static int load_view(struct cli *c, kith_id id, size_t recent,
                     struct person_view *v, kith_error *err)
{
	kith_interaction_filter f = {.person = id, .limit = recent};
	int rc = kith_person_get(c->db, id, &v->p, err);

	if (!rc)
		rc = kith_job_list(c->db, id, &v->jobs, &v->njobs, err);
	if (!rc)
		rc = kith_link_list(c->db, id, &v->links, &v->nlinks, err);
	if (!rc && recent)
		rc = kith_interaction_list(c->db, &f, &v->recent, &v->nrecent, err);
	return rc;
}

static void print_list(const char *label, const kith_strv *sv)
{
	if (!sv->n)
		return;
	printf("  %-9s", label);
	for (size_t i = 0; i < sv->n; i++)
		printf("%s%s", i ? ", " : "", sv->v[i]);
	putchar('\n');
}

static void print_job(const kith_job *j)
{
	printf("  %-9s%s%s%s", j->to ? "worked" : "works", j->title ? j->title : "",
	       j->title ? " at " : "at ", j->org_name);
	if (j->from && j->to)
		printf(" (%s to %s)", j->from, j->to);
	else if (j->from)
		printf(" (since %s)", j->from);
	else if (j->to)
		printf(" (until %s)", j->to);
	putchar('\n');
}

static void print_link(struct cli *c, kith_id self, const kith_link *l)
{
	char other[256];

	cli_person_label(c, l->a == self ? l->b : l->a, other, sizeof(other));
	printf("    %-10s %s", l->kind, other);
	if (l->has_trust)
		printf("  trust %.2f", l->trust);
	if (l->since)
		printf("  since %s", l->since);
	putchar('\n');
}

static void print_interaction(struct cli *c, kith_id self, const kith_interaction *it,
                              int width)
{
	char day[32], who[256];
	int first = 1;

	kith_time_format_date(it->at, day, sizeof(day));
	printf("    %s  %-*s ", day, width, it->kind);
	for (size_t i = 0; i < it->people.n; i++) {
		if (it->people.v[i] == self)
			continue;
		printf("%s%s", first ? "with " : ", ",
		       cli_person_label(c, it->people.v[i], who, sizeof(who)));
		first = 0;
	}
	if (it->notes)
		printf(": %s", it->notes);
	putchar('\n');
}

static void print_view(struct cli *c, const struct person_view *v)
{
	const kith_person *p = v->p;
	char created[32], updated[32];
	int width = cli_kind_width(v->recent, v->nrecent);

	printf("%s  #%lld%s\n", p->display_name, (long long)p->id,
	       p->id == kith_me(c->db) ? "  (me)" : "");
	print_list("email", &p->emails);
	print_list("phone", &p->phones);
	if (p->city || p->country)
		printf("  %-9s%s%s%s\n", "lives", p->city ? p->city : "",
		       p->city && p->country ? ", " : "", p->country ? p->country : "");
	print_list("tags", &p->tags);
	for (size_t i = 0; i < v->njobs; i++)
		print_job(&v->jobs[i]);
	if (p->notes)
		printf("  %-9s%s\n", "notes", p->notes);
	if (v->nlinks)
		printf("  links (%zu)\n", v->nlinks);
	for (size_t i = 0; i < v->nlinks; i++)
		print_link(c, p->id, &v->links[i]);
	if (v->nrecent)
		printf("  recent\n");
	for (size_t i = 0; i < v->nrecent; i++)
		print_interaction(c, p->id, &v->recent[i], width);
	kith_time_format_date(p->created, created, sizeof(created));
	kith_time_format_date(p->updated, updated, sizeof(updated));
	printf("  added %s, updated %s\n", created, updated);
}

static json_t *view_json(const struct person_view *v)
{
	json_t *j = kith_person_json(v->p);
	json_t *jobs = json_array(), *links = json_array(), *recent = json_array();

	for (size_t i = 0; i < v->njobs; i++)
		json_array_append_new(jobs, kith_job_json(&v->jobs[i]));
	for (size_t i = 0; i < v->nlinks; i++)
		json_array_append_new(links, kith_link_json(&v->links[i]));
	for (size_t i = 0; i < v->nrecent; i++)
		json_array_append_new(recent, kith_interaction_json(&v->recent[i]));
	json_object_set_new(j, "jobs", jobs);
	json_object_set_new(j, "links", links);
	json_object_set_new(j, "recent", recent);
	return j;
}

static int show_org(struct cli *c, const char *ref)
{
	kith_org *o = NULL;
	kith_job *jobs = NULL;
	size_t n = 0;
	kith_error err;
	kith_id id;
	int rc = cli_org(c, ref, &id);

	if (rc)
		return rc;
	if (kith_org_get(c->db, id, &o, &err) || kith_job_list_at(c->db, id, &jobs, &n, &err)) {
		kith_org_free(o);
		return cli_fail(&err);
	}
	if (c->json) {
		json_t *j = kith_org_json(o), *people = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(people, kith_job_json(&jobs[i]));
		json_object_set_new(j, "jobs", people);
		rc = cli_print_json(j);
	} else {
		char who[256];
		printf("%s  #%lld\n", o->name, (long long)o->id);
		if (o->domain)
			printf("  %-9s%s\n", "domain", o->domain);
		if (o->city || o->country)
			printf("  %-9s%s%s%s\n", "based", o->city ? o->city : "",
			       o->city && o->country ? ", " : "", o->country ? o->country : "");
		if (o->notes)
			printf("  %-9s%s\n", "notes", o->notes);
		printf("  people (%zu)\n", n);
		for (size_t i = 0; i < n; i++)
			printf("    %s%s%s%s\n", cli_person_label(c, jobs[i].person, who, sizeof(who)),
			       jobs[i].title ? ", " : "", jobs[i].title ? jobs[i].title : "",
			       jobs[i].to ? " (former)" : "");
	}
	kith_org_free(o);
	kith_job_list_free(jobs, n);
	return rc;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"recent", required_argument, NULL, 'r'}, CLI_COMMON_OPTS, {0}};
	struct person_view v = {0};
	size_t recent = 5;
	kith_error err;
	kith_id id;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch == 'r' && !cli_count("show", "--recent", optarg, &recent))
			continue;
		if (ch == 'h')
			return cli_help(help);
		return ch == 'r' ? CLI_USAGE : cli_bad_option("show");
	}
	if (argc - optind == 2 && strcmp(argv[optind], "org") == 0) {
		if ((rc = cli_open(c, 0)))
			return rc;
		return show_org(c, argv[optind + 1]);
	}
	if (argc - optind != 1)
		return cli_usage_error("show", "give one person (or 'org ORG')");
	if ((rc = cli_open(c, 0)) || (rc = cli_person(c, argv[optind], &id)))
		return rc;
	if (load_view(c, id, recent, &v, &err)) {
		rc = cli_fail(&err);
	} else if (c->json) {
		rc = cli_print_json(view_json(&v));
	} else {
		print_view(c, &v);
	}
	view_free(&v);
	return rc;
}
