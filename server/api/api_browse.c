/* /api/v1 lists a front-end browses by: the people list with its filters
 * and sorts, tags, kinds, an organisation's people, and search hits that
 * tell namesakes apart. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

/* A number argument within [lo, hi], def when absent; -1 after a 400. */
static int q_num(struct req *r, const char *name, double lo, double hi, double def, double *out)
{
	const char *v = q_arg(r, name);
	char *end;

	*out = def;
	if (!v)
		return 0;
	double d = strtod(v, &end);
	if (!*v || *end || !(d >= lo && d <= hi))
		return reply_error(r, 400, "invalid", "'%s' must be a number from %g to %g", name, lo,
		                   hi), -1;
	*out = d;
	return 0;
}

/* One of words (index into *out), or def when absent; -1 after a 400. */
static int q_enum(struct req *r, const char *name, const char *const *words, int def, int *out)
{
	const char *v = q_arg(r, name);

	*out = def;
	if (!v)
		return 0;
	for (int i = 0; words[i]; i++)
		if (strcmp(v, words[i]) == 0)
			return *out = i, 0;
	return reply_error(r, 400, "invalid", "unknown %s '%.40s'", name, v), -1;
}

int q_org(struct req *r, const char *name, kith_id *out)
{
	const char *v = q_arg(r, name);
	kith_error err;

	*out = 0;
	if (v && kith_org_resolve(r->view->db, v, out, NULL, &err))
		return reply_kith(r, &err), -1;
	return 0;
}

static int may_see(struct req *r, kith_id person)
{
	kith_id owner;
	int priv;

	return kith_record_visibility(r->view->db, "person", person, &owner, &priv, NULL) == KITH_OK;
}

/* What the caller's person has with someone, for list rows. */
struct rel {
	kith_id id;
	double strength;
	int64_t last;
	int orbit;
};

static int by_id(const void *a, const void *b)
{
	const struct rel *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static const struct rel *rel_find(const struct rel *v, size_t n, kith_id id)
{
	struct rel key = {.id = id};
	return n ? bsearch(&key, v, n, sizeof(*v), by_id) : NULL;
}

/* The current job's org name and title of person id, into o; the title
 * under title_key (a search hit's "title" is already the hit's name). */
static void add_work(struct req *r, json_t *o, kith_id id, const char *title_key)
{
	kith_job *jobs;
	size_t n;

	if (kith_job_list(r->view->db, id, &jobs, &n, NULL))
		return;
	int cur = n && !jobs[0].to;
	json_object_set_new(o, "org", cur ? json_string(jobs[0].org_name) : json_null());
	json_object_set_new(o, "org_id", cur ? json_integer(jobs[0].org) : json_null());
	json_object_set_new(o, title_key, cur && jobs[0].title ? json_string(jobs[0].title)
	                                                       : json_null());
	kith_job_list_free(jobs, n);
}

int api_people_list(struct req *r)
{
	static const char *const sorts[] = {"name", "created", "updated", "strength", "last", NULL};
	static const char *const orders[] = {"asc", "desc", NULL};
	static const char *const vis[] = {"any", "private", "team", NULL};
	kith_person_query q = {0};
	struct rel *rels = NULL;
	size_t nrel = 0;
	kith_id *ids = NULL, *set = NULL;
	char *next = NULL;
	double *vals = NULL;
	size_t n = 0;
	int64_t total;
	long limit, offset, orbit, due;
	double smin, smax;
	int sort, order, visibility;
	kith_error err;
	int64_t now = kith_db_now(r->view->db);

	if (q_int(r, "limit", 1, 1000, 50, &limit) || q_int(r, "offset", 0, 1L << 40, 0, &offset) ||
	    q_int(r, "orbit", 0, KITH_ORBITS, 0, &orbit) || q_int(r, "due", 0, 1, 0, &due) ||
	    q_num(r, "strength_min", 0, 1, 0, &smin) || q_num(r, "strength_max", 0, 1, 1, &smax) ||
	    q_enum(r, "sort", sorts, 0, &sort) || q_enum(r, "order", orders, sort >= 3, &order) ||
	    q_enum(r, "visibility", vis, 0, &visibility) || q_org(r, "org", &q.org) ||
	    q_org(r, "former_org", &q.former_org))
		return 0;
	if (smin > smax)
		return reply_error(r, 400, "invalid", "strength_min is above strength_max");
	q.cursor = q_arg(r, "cursor");
	if (q.cursor && offset)
		return reply_error(r, 400, "invalid", "give a cursor or an offset, not both");
	q.words = q_arg(r, "q");
	q.tag = q_arg(r, "tag");
	q.city = q_arg(r, "city");
	q.country = q_arg(r, "country");
	q.visibility = visibility;
	q.limit = (size_t)limit;
	q.offset = (size_t)offset;
	q.desc = order;
	q.sort = sort < 3 ? sort : KITH_PERSON_SORT_VALUE;
	q.ranged = smin > 0 || smax < 1;
	q.min_value = smin;
	q.max_value = smax;
	int want_rel = q.sort == KITH_PERSON_SORT_VALUE || q.ranged || orbit || due;
	if ((orbit || due) && !r->me)
		return reply_error(r, 409, "no_person", "your member has no person in the network");
	/* Everyone the caller's person has a relationship with: the strength
	 * and last contact of each row, and the set the filters pick from. */
	if (r->me) {
		kith_strength *sv;
		size_t ns;
		if (kith_strength_around(r->view->db, r->me, now, &sv, &ns, &err))
			return reply_kith(r, &err);
		rels = calloc(ns ? ns : 1, sizeof(*rels));
		for (size_t i = 0; rels && i < ns; i++)
			rels[nrel++] = (struct rel){sv[i].person, sv[i].strength, sv[i].last_at, 0};
		kith_strength_list_free(sv, ns);
		if (!rels)
			return reply_error(r, 503, "no_memory", "out of memory");
		qsort(rels, nrel, sizeof(*rels), by_id);
	}
	if (orbit) {
		kith_orbit_member *ov;
		size_t no;
		if (kith_orbits(r->view->db, r->me, now, 0, &ov, &no, NULL, NULL, &err)) {
			free(rels);
			return reply_kith(r, &err);
		}
		for (size_t i = 0; i < no; i++) {
			struct rel *x = (struct rel *)rel_find(rels, nrel, ov[i].s.person);
			if (x)
				x->orbit = ov[i].orbit;
		}
		kith_orbit_list_free(ov, no);
	}
	if (want_rel) {
		kith_due *dv = NULL;
		size_t nd = 0;
		if (due && kith_due_list(r->view->db, r->me, now, &dv, &nd, &err)) {
			free(rels);
			return reply_kith(r, &err);
		}
		set = calloc(nrel ? nrel : 1, sizeof(*set));
		vals = calloc(nrel ? nrel : 1, sizeof(*vals));
		for (size_t i = 0; set && vals && i < nrel; i++) {
			int in = !orbit || rels[i].orbit == orbit;
			if (due) {
				int d = 0;
				for (size_t k = 0; k < nd && !d; k++)
					d = dv[k].m.s.person == rels[i].id;
				in = in && d;
			}
			if (!in)
				continue;
			set[q.nset] = rels[i].id;
			vals[q.nset++] = sort == 4 ? (double)rels[i].last : rels[i].strength;
		}
		kith_due_list_free(dv, nd);
		q.set = set;
		q.values = vals;
		q.set_only = orbit || due;
		if (q.ranged && sort == 4) {  /* the range is on strength, the sort on time */
			reply_error(r, 400, "invalid", "sort=last cannot be combined with a strength range");
			goto done;
		}
	}
	if (kith_person_page(r->view->db, &q, &ids, &n, &total, &next, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *p = person_json(r, ids[i]);
		if (!p)
			continue;
		const struct rel *x = rel_find(rels, nrel, ids[i]);
		add_work(r, p, ids[i], "title");
		json_object_set_new(p, "strength", json_real(x ? x->strength : 0));
		json_object_set_new(p, "last", x && x->last ? kith_time_json(x->last) : json_null());
		if (orbit)
			json_object_set_new(p, "orbit", x && x->orbit ? json_integer(x->orbit)
			                                               : json_null());
		json_array_append_new(items, p);
	}
	reply_json(r, 200, json_pack("{s:o, s:I, s:i, s:i, s:s, s:s, s:o}", "items", items, "total",
	                             (json_int_t)total, "limit", (int)limit, "offset", (int)offset,
	                             "sort", sorts[sort], "order", orders[order],
	                             "next", next ? json_string(next) : json_null()));
done:
	free(next);
	free(ids);
	free(set);
	free(vals);
	free(rels);
	return 0;
}

int api_tags(struct req *r)
{
	kith_tag_count *v;
	size_t n;
	long limit, offset;
	kith_error err;

	if (q_int(r, "limit", 1, 1000, 100, &limit) || q_int(r, "offset", 0, 1L << 40, 0, &offset))
		return 0;
	if (kith_tag_list(r->view->db, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = (size_t)offset; i < n && i < (size_t)(offset + limit); i++)
		json_array_append_new(items, json_pack("{s:s, s:I}", "tag", v[i].tag, "count",
		                                       (json_int_t)v[i].count));
	kith_tag_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
	                                    (json_int_t)n, "limit", (int)limit, "offset",
	                                    (int)offset));
}

int api_people_tags(struct req *r)
{
	static const char *const fields[] = {"add", "remove", NULL};
	kith_id id = p_id(r, 0);
	kith_strv add = {0}, rm = {0};
	kith_error err;
	json_t *o;

	if (!id || !may_touch(r, "person", id) || !(o = body_object(r, fields)))
		return 0;
	if (f_strv(r, o, "add", &add) < 0 || f_strv(r, o, "remove", &rm) < 0)
		goto done;
	if (!add.n && !rm.n) {
		reply_error(r, 400, "invalid", "give tags to 'add' or to 'remove'");
		goto done;
	}
	if (kith_person_tag(r->w->db, id, &add, &rm, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	reply_record(r, 200, person_json(r, id), NULL);
done:
	kith_strv_clear(&add);
	kith_strv_clear(&rm);
	json_decref(o);
	return 0;
}

int api_kinds_list(struct req *r)
{
	static const char *const domains[] = {"link", "interaction", NULL};
	json_t *out = json_object();
	const char *d = q_arg(r, "domain");
	int only = -1;
	kith_error err;

	if (d && q_enum(r, "domain", domains, 0, &only)) {
		json_decref(out);
		return 0;
	}
	for (int dom = 0; dom < 2; dom++) {
		kith_kind *v;
		size_t n;
		if (only >= 0 && dom != only)
			continue;
		if (kith_kind_list(r->view->db, dom, &v, &n, &err)) {
			json_decref(out);
			return reply_kith(r, &err);
		}
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, dom == KITH_KIND_LINK
				? json_pack("{s:s, s:s, s:b}", "name", v[i].name, "description",
				            v[i].description ? v[i].description : "", "directed", v[i].directed)
				: json_pack("{s:s, s:s, s:f}", "name", v[i].name, "description",
				            v[i].description ? v[i].description : "", "weight", v[i].weight));
		kith_kind_list_free(v, n);
		json_object_set_new(out, domains[dom], a);
	}
	return reply_json(r, 200, out);
}

int api_kinds_create(struct req *r)
{
	static const char *const fields[] = {"domain", "name", "description", "directed", "weight",
	                                     NULL};
	const char *domain = NULL, *name = NULL, *desc = NULL;
	kith_kind k = {0};
	int dom, directed = 0, hw;
	kith_error err;
	json_t *o = body_object(r, fields);

	if (!o)
		return 0;
	k.weight = 1;
	if (f_str(r, o, "domain", &domain) < 0 || f_str(r, o, "name", &name) < 0 ||
	    f_str(r, o, "description", &desc) < 0 || f_bool(r, o, "directed", &directed) < 0 ||
	    (hw = f_num(r, o, "weight", &k.weight)) < 0)
		goto done;
	if (!domain || (strcmp(domain, "link") && strcmp(domain, "interaction"))) {
		reply_error(r, 400, "invalid", "'domain' must be 'link' or 'interaction'");
		goto done;
	}
	if (!name) {
		reply_error(r, 400, "invalid", "'name' is required");
		goto done;
	}
	dom = strcmp(domain, "link") ? KITH_KIND_INTERACTION : KITH_KIND_LINK;
	if (dom == KITH_KIND_LINK && hw) {
		reply_error(r, 400, "invalid", "a link kind has no weight");
		goto done;
	}
	if (dom == KITH_KIND_INTERACTION && directed) {
		reply_error(r, 400, "invalid", "an interaction kind is not directed");
		goto done;
	}
	if (!(k.weight >= 0.001 && k.weight <= 10)) {
		reply_error(r, 400, "invalid", "'weight' must be from 0.001 to 10");
		goto done;
	}
	k.name = (char *)name;
	k.description = (char *)desc;
	k.directed = directed;
	if (kith_kind_add(r->w->db, dom, &k, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	reply_json(r, 201, dom == KITH_KIND_LINK
		? json_pack("{s:s, s:s, s:s, s:b}", "domain", domain, "name", name, "description",
		            desc ? desc : "", "directed", directed)
		: json_pack("{s:s, s:s, s:s, s:f}", "domain", domain, "name", name, "description",
		            desc ? desc : "", "weight", k.weight));
done:
	json_decref(o);
	return 0;
}

/* Current and former people of an org, and the members whose person has
 * a relationship with any of them, as the caller sees it all. */
int api_orgs_people(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_job *jobs;
	size_t n;
	kith_member *m;
	size_t nm;
	kith_error err;

	if (!id || !may_touch(r, "org", id))
		return 0;
	if (kith_job_list_at(r->view->db, id, &jobs, &n, &err))
		return reply_kith(r, &err);
	json_t *cur = json_array(), *former = json_array(), *known = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *p = person_json(r, jobs[i].person);
		if (!p)
			continue;
		json_t *j = kith_job_json(&jobs[i]);
		json_object_set_new(j, "current", json_boolean(!jobs[i].to));
		json_array_append_new(jobs[i].to ? former : cur,
		                      json_pack("{s:o, s:o}", "person", p, "job", j));
	}
	if (kith_member_list(r->w->db, &m, &nm, &err) == KITH_OK) {
		int64_t now = kith_db_now(r->view->db);
		for (size_t k = 0; k < nm; k++) {
			kith_strength *sv;
			size_t ns;
			int64_t contacts = 0;
			double best = 0;
			if (!m[k].person || !may_see(r, m[k].person) ||
			    kith_strength_around(r->view->db, m[k].person, now, &sv, &ns, NULL))
				continue;
			for (size_t i = 0; i < ns; i++)
				for (size_t j = 0; j < n; j++)
					if (jobs[j].person == sv[i].person) {
						contacts++;
						if (sv[i].strength > best)
							best = sv[i].strength;
						break;
					}
			kith_strength_list_free(sv, ns);
			if (contacts)
				json_array_append_new(known, json_pack("{s:I, s:s, s:I, s:I, s:f}", "member",
				                      (json_int_t)m[k].id, "name", m[k].name, "person",
				                      (json_int_t)m[k].person, "contacts",
				                      (json_int_t)contacts, "strength", best));
		}
		kith_member_list_free(m, nm);
	}
	kith_job_list_free(jobs, n);
	return reply_json(r, 200, json_pack("{s:I, s:o, s:o, s:o}", "org", (json_int_t)id,
	                                    "current", cur, "former", former, "known_by", known));
}

int api_search(struct req *r)
{
	static const char *const types[] = {"person", "org", "interaction", NULL};
	const char *q = q_arg(r, "q");
	kith_hit *v;
	size_t n;
	long limit, offset;
	int type = -1;
	kith_error err;

	if (!q)
		return reply_error(r, 400, "invalid", "'q' is required: the text to find");
	if (q_int(r, "limit", 1, 200, 20, &limit) || q_int(r, "offset", 0, 800, 0, &offset) ||
	    (q_arg(r, "type") && q_enum(r, "type", types, 0, &type)))
		return 0;
	/* The filter by type runs on hits already ranked: read enough. */
	size_t want = type < 0 ? (size_t)(limit + offset) : 1000;
	if (kith_search(r->view->db, q, want + 1, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	size_t seen = 0, more = 0;
	for (size_t i = 0; i < n; i++) {
		if (type >= 0 && v[i].type != type)
			continue;
		if (seen++ < (size_t)offset)
			continue;
		if (json_array_size(items) == (size_t)limit) {
			more = 1;
			break;
		}
		json_t *h = json_pack("{s:s, s:I, s:s, s:s}", "type", types[v[i].type], "id",
		                      (json_int_t)v[i].id, "title", v[i].title ? v[i].title : "",
		                      "snippet", v[i].snippet ? v[i].snippet : "");
		kith_person *p;
		if (v[i].type == KITH_HIT_PERSON &&
		    kith_person_get(r->view->db, v[i].id, &p, NULL) == KITH_OK) {
			/* What tells two namesakes apart. */
			json_object_set_new(h, "city", p->city ? json_string(p->city) : json_null());
			json_object_set_new(h, "email", p->emails.n ? json_string(p->emails.v[0])
			                                            : json_null());
			kith_person_free(p);
			add_work(r, h, v[i].id, "job_title");
		}
		json_array_append_new(items, h);
	}
	kith_hit_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o, s:i, s:i, s:b}", "items", items, "limit",
	                                    (int)limit, "offset", (int)offset, "more", (int)more));
}
