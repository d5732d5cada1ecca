/* JSON forms of the team answers (kith/team.h), shared by `kith ... --json`
 * and the API, so both say the same thing the same way. */
#include <stdlib.h>

#include "team_impl.h"
#include "kith/json.h"
#include "kith/member.h"
#include "kith/person.h"

/* {"id": id, "name": name}, the name null when the record was not found. */
static json_t *named_ref(kith_id id, const char *name)
{
	return json_pack("{s:I, s:o}", "id", (json_int_t)id, "name", kith__json_str(name));
}

static json_t *person_ref(kith_db *db, kith_id id)
{
	kith_person *p;
	json_t *j;

	if (kith_person_get_brief(db, id, &p, NULL))
		return named_ref(id, NULL);
	j = named_ref(id, p->display_name);
	kith_person_free(p);
	return j;
}

static json_t *member_ref(kith_db *db, kith_id id)
{
	kith_member m;
	json_t *j;

	if (!id)
		return json_null();
	if (kith_member_get(db, id, &m, NULL))
		return named_ref(id, NULL);
	j = named_ref(id, m.name);
	kith_member_clear(&m);
	return j;
}

json_t *kith_chain_json(kith_db *db, const kith_chain *c)
{
	json_t *people = json_array(), *edges = json_array();

	for (size_t i = 0; i < c->path.len; i++)
		json_array_append_new(people, person_ref(db, c->path.ids[i]));
	for (size_t i = 0; c->edges && i + 1 < c->path.len; i++)
		json_array_append_new(edges, json_real(c->edges[i]));
	return json_pack("{s:o, s:o, s:i, s:f, s:o}", "member", member_ref(db, c->member),
	                 "people", people, "hops", (int)(c->path.len ? c->path.len - 1 : 0),
	                 "strength", c->path.strength, "edges", edges);
}

static json_t *way_json(kith_db *db, const kith_way *w)
{
	json_t *jobs = json_array(), *alts = json_array(), *o = person_ref(db, w->person);

	for (size_t i = 0; i < w->njobs; i++)
		json_array_append_new(jobs, kith_job_json(&w->jobs[i]));
	for (size_t i = 0; i < w->nalts; i++)
		json_array_append_new(alts, kith_chain_json(db, &w->alts[i]));
	json_object_set_new(o, "current", json_boolean(w->current));
	json_object_set_new(o, "jobs", jobs);
	json_object_set_new(o, "best", w->best.path.len ? kith_chain_json(db, &w->best) : json_null());
	json_object_set_new(o, "alternatives", alts);
	return o;
}

json_t *kith_ways_json(kith_db *db, kith_id org, const kith_ways_result *r)
{
	json_t *items = json_array();

	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(items, way_json(db, &r->v[i]));
	return json_pack("{s:I, s:I, s:b, s:o}", "org", (json_int_t)org, "people",
	                 (json_int_t)r->people, "truncated", r->truncated, "items", items);
}

static json_t *org_ref(kith_db *db, kith_id id)
{
	kith_org *o;
	json_t *j;

	if (kith_org_get(db, id, &o, NULL))
		return named_ref(id, NULL);
	j = named_ref(id, o->name);
	kith_org_free(o);
	return j;
}

static json_t *held_json(kith_db *db, const kith_held *h)
{
	json_t *o = person_ref(db, h->person), *orgs = json_array();

	for (size_t i = 0; i < h->norgs; i++)
		json_array_append_new(orgs, org_ref(db, h->orgs[i]));
	json_object_set_new(o, "strength", json_real(h->strength));
	json_object_set_new(o, "others_best", json_real(h->others));
	json_object_set_new(o, "orgs", orgs);
	json_object_set_new(o, "suggest", h->suggest.path.len ? kith_chain_json(db, &h->suggest)
	                                                      : json_null());
	return o;
}

json_t *kith_leaves_json(kith_db *db, const kith_leaves *v, size_t n)
{
	json_t *items = json_array(), *all = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *held = json_array(), *lost = json_array();
		for (size_t k = 0; k < v[i].nheld; k++) {
			json_array_append_new(held, held_json(db, &v[i].held[k]));
			json_t *x = held_json(db, &v[i].held[k]);
			json_object_set_new(x, "held_by", member_ref(db, v[i].member));
			json_array_append_new(all, x);
		}
		for (size_t k = 0; k < v[i].nlost; k++)
			json_array_append_new(lost, org_ref(db, v[i].lost_orgs[k]));
		json_array_append_new(items, json_pack("{s:o, s:o, s:o, s:o}", "member",
		                      member_ref(db, v[i].member), "person",
		                      person_ref(db, v[i].person), "held", held, "lost_orgs", lost));
	}
	return json_pack("{s:o, s:o}", "members", items, "held_by_one", all);
}

json_t *kith_candidate_json(kith_db *db, const kith_candidate *c)
{
	json_t *ties = json_array(), *vouches = json_array(), *o = person_ref(db, c->person);

	for (size_t i = 0; i < c->nties; i++) {
		const kith_candidate_tie *t = &c->ties[i];
		json_t *mutual = json_array(), *shortest = json_array();
		for (size_t k = 0; k < t->nmutual; k++)
			json_array_append_new(mutual, person_ref(db, t->mutual[k]));
		for (size_t k = 0; k < t->shortest.len; k++)
			json_array_append_new(shortest, person_ref(db, t->shortest.ids[k]));
		json_array_append_new(ties, json_pack("{s:o, s:o, s:o, s:o, s:o}",
		    "member", member_ref(db, t->member),
		    "degree", t->degree >= 0 ? json_integer(t->degree) : json_null(),
		    "shortest", shortest,
		    "strongest", t->strongest.path.len ? kith_chain_json(db, &t->strongest) : json_null(),
		    "mutual", mutual));
	}
	for (size_t i = 0; i < c->nvouches; i++) {
		const kith_candidate_vouch *v = &c->vouches[i];
		json_array_append_new(vouches, json_pack("{s:o, s:o, s:f, s:o, s:f, s:o}",
		    "voucher", person_ref(db, v->voucher),
		    "trust", v->trust >= 0 ? json_real(v->trust) : json_null(),
		    "strength", v->strength, "closest_member", member_ref(db, v->member),
		    "member_chain", v->member_chain, "created", kith_time_json(v->created)));
	}
	json_object_set_new(o, "degree", c->degree >= 0 ? json_integer(c->degree) : json_null());
	json_object_set_new(o, "members", ties);
	json_object_set_new(o, "vouches", vouches);
	return o;
}
