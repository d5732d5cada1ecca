/* JSON forms of records (see kith/json.h); the insights' are in
 * insight/insight_json.c, the import report's in import/report.c.  Absent optional fields are
 * JSON null, so a consumer sees every key every time. */
#include <glib.h>

#include "internal.h"
#include "kith/json.h"
#include "kith/date.h"

/* Records read through the store are UTF-8 (kith__col_dup); a string
 * that is not still gives its key, with U+FFFD for the bad bytes, rather
 * than a NULL that fails the whole answer. */
json_t *kith__json_str(const char *s)
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
		json_array_append_new(a, kith__json_str(sv->v[i]));
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
		"name", kith__json_str(p->display_name),
		"given_name", kith__json_str(p->given_name),
		"family_name", kith__json_str(p->family_name),
		"emails", strv_json(&p->emails),
		"phones", strv_json(&p->phones),
		"city", kith__json_str(p->city),
		"country", kith__json_str(p->country),
		"tags", strv_json(&p->tags),
		"notes", kith__json_str(p->notes),
		"created", kith_time_json(p->created),
		"updated", kith_time_json(p->updated));
}

json_t *kith_org_json(const kith_org *o)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)o->id,
		"name", kith__json_str(o->name),
		"domain", kith__json_str(o->domain),
		"city", kith__json_str(o->city),
		"country", kith__json_str(o->country),
		"notes", kith__json_str(o->notes),
		"created", kith_time_json(o->created),
		"updated", kith_time_json(o->updated));
}

json_t *kith_job_json(const kith_job *j)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:b}",
		"id", (json_int_t)j->id,
		"person", (json_int_t)j->person,
		"org", (json_int_t)j->org,
		"org_name", kith__json_str(j->org_name),
		"title", kith__json_str(j->title),
		"from", kith__json_str(j->from),
		"to", kith__json_str(j->to),
		"current", j->to == NULL);
}

json_t *kith_link_json(const kith_link *l)
{
	return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)l->id,
		"a", (json_int_t)l->a,
		"b", (json_int_t)l->b,
		"kind", kith__json_str(l->kind),
		"since", kith__json_str(l->since),
		"trust", l->has_trust ? json_real(l->trust) : json_null(),
		"notes", kith__json_str(l->notes),
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
		"kind", kith__json_str(it->kind),
		"people", people,
		"initiator", it->initiator ? json_integer(it->initiator) : json_null(),
		"giver", it->giver ? json_integer(it->giver) : json_null(),
		"value", it->giver ? json_real(it->value) : json_null(),
		"notes", kith__json_str(it->notes));
}
