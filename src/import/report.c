/* Capture, the report: what an import did, record by record, and its
 * JSON form (see kith/json.h). */
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "kith/json.h"
#include "kith/interaction.h"

void kith_import_report_clear(kith_import_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nissues; i++)
		free(r->issues[i].reason);
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

int kith__import_issue(void *ctx, int64_t line, int level, const char *why,
                       kith_error *err)
{
	kith__isess *s = ctx;
	kith_import_report *r = s->rep;
	kith_import_issue *v;

	if (level == KITH_ISSUE_REJECTED)
		r->rejected++;
	else if (level == KITH_ISSUE_SKIPPED)
		r->skipped++;
	if (level != KITH_ISSUE_WARNING)
		r->records++;
	if (r->nissues >= KITH_IMPORT_MAX_ISSUES) {
		r->issues_dropped++;
		return KITH_OK;
	}
	v = realloc(r->issues, (r->nissues + 1) * sizeof(*v));
	if (!v)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	r->issues = v;
	v[r->nissues].line = line;
	v[r->nissues].level = level;
	v[r->nissues].reason = strdup(why);
	if (!v[r->nissues].reason)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	r->nissues++;
	return KITH_OK;
}

static const char *issue_level_name(int level)
{
	return level == KITH_ISSUE_REJECTED ? "rejected" :
	       level == KITH_ISSUE_SKIPPED ? "skipped" : "warning";
}

json_t *kith_import_report_json(const kith_import_report *r)
{
	json_t *j = json_object(), *issues = json_array();

	json_object_set_new(j, "format", json_string(kith_import_format_name(r->format)));
	json_object_set_new(j, "dry_run", json_boolean(r->dry_run));
	json_object_set_new(j, "records", json_integer(r->records));
	json_object_set_new(j, "new", json_integer(r->created));
	json_object_set_new(j, "merged", json_integer(r->merged));
	json_object_set_new(j, "unchanged", json_integer(r->unchanged));
	json_object_set_new(j, "skipped", json_integer(r->skipped));
	json_object_set_new(j, "rejected", json_integer(r->rejected));
	json_object_set_new(j, "people_created", json_integer(r->people_created));
	json_object_set_new(j, "links_created", json_integer(r->links_created));
	json_object_set_new(j, "jobs_created", json_integer(r->jobs_created));
	json_object_set_new(j, "orgs_created", json_integer(r->orgs_created));
	for (size_t i = 0; i < r->nissues; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "line", json_integer(r->issues[i].line));
		json_object_set_new(x, "level", json_string(issue_level_name(r->issues[i].level)));
		json_object_set_new(x, "reason", json_string(r->issues[i].reason));
		json_array_append_new(issues, x);
	}
	json_object_set_new(j, "issues", issues);
	return j;
}
