/* /api/v1 network questions: search, path, intro, near, mutual, orbits,
 * due, stats; and who the caller is. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int api_me(struct req *r)
{
	kith_member m;
	kith_error err;

	if (kith_member_get(r->w->db, r->member, &m, &err))
		return reply_kith(r, &err);
	/* Their person may be hidden from them (made private by the database's
	 * own user): then it is null, as for a member with none. */
	json_t *o = json_pack("{s:I, s:s, s:o?}", "id", (json_int_t)m.id, "name", m.name,
	                      "person", r->me ? person_json(r, r->me) : NULL);
	kith_member_clear(&m);
	return reply_json(r, 200, o);
}

/* Whether the caller sees person id. */
static int sees(struct req *r, kith_id id)
{
	kith_id owner;
	int priv;

	return kith_record_visibility(r->view->db, "person", id, &owner, &priv, NULL) == KITH_OK;
}

int api_members(struct req *r)
{
	kith_member *v;
	size_t n;
	kith_error err;

	kith_id owner = 0;

	if (kith_member_owner(r->w->db, &owner, &err) || kith_member_list(r->w->db, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:o, s:b}", "id", (json_int_t)v[i].id,
		                      "name", v[i].name, "person",
		                      v[i].person && sees(r, v[i].person) ? json_integer(v[i].person)
		                                                          : json_null(),
		                      "owner", v[i].id == owner));
	kith_member_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static json_t *path_json(struct req *r, const kith_path *p)
{
	json_t *people = json_array();

	for (size_t i = 0; i < p->len; i++)
		json_array_append_new(people, json_pack("{s:I, s:s}", "id", (json_int_t)p->ids[i],
		                                        "name", person_name(r, p->ids[i])));
	return json_pack("{s:o, s:i, s:f}", "people", people, "hops", (int)(p->len ? p->len - 1 : 0),
	                 "strength", p->strength);
}

/* from (default: the caller) and to, as the caller sees them. */
static int two_people(struct req *r, const char *fa, const char *fb, kith_id *a, kith_id *b)
{
	const char *ra = q_arg(r, fa);

	if (!(*a = ref_person(r, ra ? ra : "me", fa)))
		return -1;
	if (!(*b = ref_person(r, q_arg(r, fb), fb)))
		return -1;
	return 0;
}

int api_path(struct req *r)
{
	kith_id a, b;
	kith_path p = {0};
	kith_graph *g;
	kith_error err;

	if (two_people(r, "from", "to", &a, &b) || !(g = req_graph(r)))
		return 0;
	if (kith_graph_path(g, a, b, &p, &err))
		return reply_kith(r, &err);
	json_t *o = json_pack("{s:b, s:o}", "connected", p.len > 0, "path", path_json(r, &p));
	kith_path_clear(&p);
	return reply_json(r, 200, o);
}

int api_intro(struct req *r)
{
	kith_id a, b;
	kith_path *v;
	size_t n;
	long hops, alts;
	kith_graph *g;
	kith_error err;

	if (q_int(r, "hops", 1, KITH_INTRO_MAX_HOPS, KITH_INTRO_DEFAULT_HOPS, &hops) ||
	    q_int(r, "alts", 0, 20, 3, &alts) || two_people(r, "from", "to", &a, &b) ||
	    !(g = req_graph(r)))
		return 0;
	if (kith_graph_intro(g, a, b, (int)hops, (size_t)alts, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *paths = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(paths, path_json(r, &v[i]));
	kith_path_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o}", "paths", paths));
}

/* Which member is best placed to introduce the caller to `to`: each
 * member's strongest chain from their own person, on the caller's view. */
int api_intro_team(struct req *r)
{
	kith_id to = ref_person(r, q_arg(r, "to"), "to");
	kith_member *m;
	size_t nm;
	kith_graph *g;
	kith_error err;

	if (!to || !(g = req_graph(r)))
		return 0;
	if (kith_member_list(r->w->db, &m, &nm, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < nm; i++) {
		kith_path *v;
		size_t n;
		if (!m[i].person || m[i].person == to ||
		    kith_graph_intro(g, m[i].person, to, KITH_INTRO_DEFAULT_HOPS, 0, &v, &n, NULL))
			continue;
		if (n)
			json_array_append_new(items, json_pack("{s:I, s:s, s:o}", "member",
			                      (json_int_t)m[i].id, "name", m[i].name, "path",
			                      path_json(r, &v[0])));
		kith_path_list_free(v, n);
	}
	kith_member_list_free(m, nm);
	/* Strongest first. */
	size_t n = json_array_size(items);
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0; k--) {
			json_t *x = json_array_get(items, k - 1), *y = json_array_get(items, k);
			double sx = json_real_value(json_object_get(json_object_get(x, "path"), "strength"));
			double sy = json_real_value(json_object_get(json_object_get(y, "path"), "strength"));
			if (sx >= sy)
				break;
			json_incref(x);
			json_array_set(items, k - 1, y);
			json_array_set_new(items, k, x);
		}
	return reply_json(r, 200, json_pack("{s:I, s:o}", "to", (json_int_t)to, "members", items));
}

static int org_arg(struct req *r, const char *name, kith_id *out)
{
	const char *v = q_arg(r, name);
	kith_error err;

	*out = 0;
	if (v && kith_org_resolve(r->view->db, v, out, NULL, &err))
		return reply_kith(r, &err), -1;
	return 0;
}

int api_near(struct req *r)
{
	kith_near_filter f = {0};
	const char *from = q_arg(r, "from");
	kith_near_hit *v;
	size_t n;
	long within, limit, since;
	kith_id a;
	kith_graph *g;
	kith_error err;

	if (q_int(r, "within", 1, 6, 2, &within) || q_int(r, "limit", 0, 1000, 50, &limit) ||
	    q_int(r, "since", 0, 9999, 0, &since) || org_arg(r, "worked_at", &f.worked_at) ||
	    org_arg(r, "works_at", &f.works_at))
		return 0;
	if (!(a = ref_person(r, from ? from : "me", "from")) || !(g = req_graph(r)))
		return 0;
	f.within = (int)within;
	f.limit = (size_t)limit;
	f.since_year = (int)since;
	f.tag = q_arg(r, "tag");
	f.city = q_arg(r, "city");
	f.country = q_arg(r, "country");
	f.org_country = q_arg(r, "org_country");
	if (kith_graph_near(g, a, &f, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *p = person_json(r, v[i].id);
		if (!p)
			continue;
		json_object_set_new(p, "distance", json_integer(v[i].distance));
		json_object_set_new(p, "chain_strength", json_real(v[i].strength));
		json_array_append_new(items, p);
	}
	free(v);
	return reply_json(r, 200, json_pack("{s:I, s:i, s:o}", "from", (json_int_t)a, "within",
	                                    (int)within, "items", items));
}

int api_mutual(struct req *r)
{
	kith_id a, b;
	kith_mutual *v;
	size_t n;
	kith_graph *g;
	kith_error err;

	if (two_people(r, "a", "b", &a, &b) || !(g = req_graph(r)))
		return 0;
	if (kith_graph_mutual(g, a, b, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:f, s:f}", "id",
		                      (json_int_t)v[i].id, "name", person_name(r, v[i].id),
		                      "strength_a", v[i].strength_a, "strength_b", v[i].strength_b));
	free(v);
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static int need_me(struct req *r)
{
	if (!r->me)
		reply_error(r, 409, "no_person", "your member has no person in the network");
	return r->me != 0;
}

int api_due(struct req *r)
{
	kith_due *v;
	size_t n;
	long limit;
	kith_error err;

	if (q_int(r, "limit", 1, 1000, 20, &limit) || !need_me(r))
		return 0;
	if (kith_due_list(r->view->db, r->me, kith_db_now(r->view->db), &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n && i < (size_t)limit; i++) {
		json_t *d = kith_due_json(&v[i]);
		json_object_set_new(d, "name", json_string(person_name(r, v[i].m.s.person)));
		json_array_append_new(items, d);
	}
	kith_due_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int api_orbits(struct req *r)
{
	kith_orbit_member *v, *gone = NULL;
	size_t n, ngone = 0;
	int64_t since = 0;
	const char *s = q_arg(r, "since");
	kith_error err;

	if (!need_me(r))
		return 0;
	if (s && kith_time_parse(s, kith_db_now(r->view->db), &since, &err))
		return reply_kith(r, &err);
	if (kith_orbits(r->view->db, r->me, kith_db_now(r->view->db), since, &v, &n,
	                since ? &gone : NULL, since ? &ngone : NULL, &err))
		return reply_kith(r, &err);
	json_t *items = json_array(), *left = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *m = kith_orbit_member_json(&v[i], since != 0);
		json_object_set_new(m, "name", json_string(person_name(r, v[i].s.person)));
		json_array_append_new(items, m);
	}
	for (size_t i = 0; i < ngone; i++)
		json_array_append_new(left, kith_orbit_member_json(&gone[i], 1));
	kith_orbit_list_free(v, n);
	kith_orbit_list_free(gone, ngone);
	return reply_json(r, 200, json_pack("{s:o, s:o}", "items", items, "gone", left));
}

int api_stats(struct req *r)
{
	kith_counts c;
	kith_error err;

	if (kith_counts_get(r->view->db, &c, &err))
		return reply_kith(r, &err);
	return reply_json(r, 200, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"people", (json_int_t)c.people, "orgs", (json_int_t)c.orgs,
		"links", (json_int_t)c.links, "interactions", (json_int_t)c.interactions,
		"tags", (json_int_t)c.tags, "interactions_30d", (json_int_t)c.interactions_30d,
		"interactions_365d", (json_int_t)c.interactions_365d,
		"isolated", (json_int_t)c.isolated));
}
