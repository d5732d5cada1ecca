/* JSON forms of records (see kith/json.h).  Absent optional fields are
 * JSON null, so a consumer sees every key every time. */
#include <glib.h>

#include "internal.h"
#include "kith/json.h"

/* Records read through the store are UTF-8 (kith__col_dup); a string
 * that is not still gives its key, with U+FFFD for the bad bytes, rather
 * than a NULL that fails the whole answer. */
static json_t *str_or_null(const char *s)
{
	json_t *j;
	gchar *v;

	if (!s)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	v = g_utf8_make_valid(s, -1);
	j = json_string(v);
	g_free(v);
	return j;
}

static json_t *strv_json(const kith_strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < sv->n; i++)
		json_array_append_new(a, str_or_null(sv->v[i]));
	return a;
}

json_t *kith_time_json(int64_t t)
{
	char buf[32];

	kith_time_format_iso(t, buf, sizeof(buf));
	return json_string(buf);
}

json_t *kith_person_json(const kith_person *p)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)p->id,
		"name", str_or_null(p->display_name),
		"given_name", str_or_null(p->given_name),
		"family_name", str_or_null(p->family_name),
		"emails", strv_json(&p->emails),
		"phones", strv_json(&p->phones),
		"city", str_or_null(p->city),
		"country", str_or_null(p->country),
		"tags", strv_json(&p->tags),
		"notes", str_or_null(p->notes),
		"created", kith_time_json(p->created),
		"updated", kith_time_json(p->updated));
}

json_t *kith_org_json(const kith_org *o)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)o->id,
		"name", str_or_null(o->name),
		"domain", str_or_null(o->domain),
		"city", str_or_null(o->city),
		"country", str_or_null(o->country),
		"notes", str_or_null(o->notes),
		"created", kith_time_json(o->created),
		"updated", kith_time_json(o->updated));
}

json_t *kith_job_json(const kith_job *j)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:b}",
		"id", (json_int_t)j->id,
		"person", (json_int_t)j->person,
		"org", (json_int_t)j->org,
		"org_name", str_or_null(j->org_name),
		"title", str_or_null(j->title),
		"from", str_or_null(j->from),
		"to", str_or_null(j->to),
		"current", j->to == NULL);
}

json_t *kith_link_json(const kith_link *l)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)l->id,
		"a", (json_int_t)l->a,
		"b", (json_int_t)l->b,
		"kind", str_or_null(l->kind),
		"since", str_or_null(l->since),
		"trust", l->has_trust ? json_real(l->trust) : json_null(),
		"notes", str_or_null(l->notes),
		"asserted_by", l->asserted_by ? json_integer(l->asserted_by) : json_null(),
		"created", kith_time_json(l->created));
}

json_t *kith_interaction_json(const kith_interaction *it)
{
	json_t *people = json_array();

	for (size_t i = 0; people && i < it->people.n; i++)
		json_array_append_new(people, json_integer(it->people.v[i]));
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)it->id,
		"at", kith_time_json(it->at),
		"kind", str_or_null(it->kind),
		"people", people,
		"initiator", it->initiator ? json_integer(it->initiator) : json_null(),
		"giver", it->giver ? json_integer(it->giver) : json_null(),
		"value", it->giver ? json_real(it->value) : json_null(),
		"notes", str_or_null(it->notes));
}

json_t *kith_due_json(const kith_due *d)
{
	return json_pack("{s:I, s:s, s:f, s:f, s:i, s:o, s:o, s:o, s:b, s:b}",
		"person", (json_int_t)d->m.s.person, "orbit", kith_orbit_name[d->m.orbit],
		"strength", d->m.s.strength, "strength_90d_ago", d->m.s.then,
		"cadence_days", d->cadence,
		"days_since", d->days_since >= 0 ? json_real(d->days_since) : json_null(),
		"last_at", d->m.s.last_at ? kith_time_json(d->m.s.last_at) : json_null(),
		"last_kind", str_or_null(d->m.s.last_kind),
		"overdue", !!(d->why & KITH_DUE_OVERDUE), "going_dry", !!(d->why & KITH_DUE_DRY));
}

json_t *kith_orbit_member_json(const kith_orbit_member *m, int since)
{
	json_t *j = json_pack("{s:I, s:i, s:s, s:f, s:f}", "person", (json_int_t)m->s.person,
	                      "orbit", m->orbit, "orbit_name", kith_orbit_name[m->orbit],
	                      "strength", m->s.strength, "strength_90d_ago", m->s.then);
	if (j && since)
		json_object_set_new(j, "before", m->before ? json_integer(m->before) : json_null());
	return j;
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
