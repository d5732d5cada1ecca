/* /api/v1 jobs, vouches, cadences, and the relationship questions the CLI
 * answers: strength and why, balance, like minds, degree, reach, dupes
 * and merge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

static int need_me(struct req *r)
{
	if (!r->me)
		reply_error(r, 409, "no_person", "your member has no person in the network");
	return r->me != 0;
}

static json_t *job_json(const kith_job *j)
{
	json_t *o = kith_job_json(j);
	json_object_set_new(o, "current", json_boolean(!j->to));
	return o;
}

/* ---- jobs ------------------------------------------------------------ */

int api_people_jobs(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_job *v;
	size_t n;
	kith_error err;

	if (!id || !may_touch(r, "person", id))
		return 0;
	if (kith_job_list(r->view->db, id, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, job_json(&v[i]));
	kith_job_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n));
}

static int reply_job(struct req *r, unsigned status, kith_id id)
{
	json_t *o = record_on(r, r->view->db, "job", id);

	if (!o)
		return reply_error(r, 404, "not_found", "no job #%lld", (long long)id);
	return reply_record(r, status, o, NULL);
}

int api_jobs_get(struct req *r)
{
	kith_id id = p_id(r, 0);

	return id ? reply_job(r, 200, id) : 0;
}

/* Copies a string field (null allowed) into *dst (owned); -1 after a 400. */
static int str_field(struct req *r, json_t *o, const char *name, char **dst)
{
	const char *v = NULL;
	int rc = f_str(r, o, name, &v);

	if (rc > 0) {
		free(*dst);
		*dst = v ? strdup(v) : NULL;
	}
	return rc < 0 ? -1 : 0;
}

int api_jobs_create(struct req *r)
{
	static const char *const fields[] = {"person", "org", "title", "from", "to", NULL};
	json_t *o = body_object(r, fields);
	const char *person = NULL, *org = NULL;
	kith_job j = {0};
	kith_error err;

	if (!o)
		return 0;
	if (f_str(r, o, "person", &person) < 0 || f_str(r, o, "org", &org) < 0 ||
	    str_field(r, o, "title", &j.title) || str_field(r, o, "from", &j.from) ||
	    str_field(r, o, "to", &j.to))
		goto done;
	if (!org || !*org) {
		reply_error(r, 400, "invalid", "'org' is required: an organisation's id or name");
		goto done;
	}
	if (!(j.person = ref_person(r, person, "person")) || req_author(r, 0))
		goto done;
	/* An org the caller cannot see is as missing: a new one of that name
	 * is then refused as taken, as POST /orgs does. */
	int rc = kith_org_resolve(r->view->db, org, &j.org, NULL, &err);
	if (rc && rc != KITH_ENOTFOUND) {
		reply_kith(r, &err);
		goto done;
	}
	if (kith_db_begin(r->w->db, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	if (rc == KITH_ENOTFOUND) {
		kith_org g = {0};
		g.name = strdup(org);
		rc = kith_org_add(r->w->db, &g, &err);
		j.org = g.id;
		kith_org_clear(&g);
		if (rc == KITH_EEXISTS)
			kith_error_set(&err, KITH_EEXISTS, "an organisation of that name already exists");
	}
	if (rc || kith_job_add(r->w->db, &j, &err) || kith_db_commit(r->w->db, &err)) {
		kith_db_rollback(r->w->db);
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	reply_job(r, 201, j.id);
done:
	kith_job_clear(&j);
	json_decref(o);
	return 0;
}

static int update_job(struct req *r, void *rec)
{
	kith_error err;

	if (kith_job_update(r->w->db, rec, &err))
		return reply_kith(r, &err), -1;
	return 0;
}

int api_jobs_update(struct req *r)
{
	static const char *const fields[] = {"title", "from", "to", NULL};
	kith_id id = p_id(r, 0);
	kith_job j;
	kith_error err;
	json_t *o;

	if (!id)
		return 0;
	if (kith_job_get(r->view->db, id, &j, &err))
		return reply_kith(r, &err);
	if (!(o = body_object(r, fields))) {
		kith_job_clear(&j);
		return 0;
	}
	if (!str_field(r, o, "title", &j.title) && !str_field(r, o, "from", &j.from) &&
	    !str_field(r, o, "to", &j.to)) {
		if (!json_object_size(o))
			reply_error(r, 400, "invalid", "nothing to change: give title, from or to");
		else if (!api_update(r, "job", id, o, -1, update_job, &j))
			reply_job(r, 200, id);
	}
	kith_job_clear(&j);
	json_decref(o);
	return 0;
}

int api_jobs_delete(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_job j;
	kith_error err;

	if (!id)
		return 0;
	if (kith_job_get(r->view->db, id, &j, &err))
		return reply_kith(r, &err);
	kith_job_clear(&j);
	if (kith_db_begin(r->w->db, &err))
		return reply_kith(r, &err);
	if (if_match(r, "job", id)) {
		kith_db_rollback(r->w->db);
		return 0;
	}
	if (kith_job_remove(r->w->db, id, &err) || kith_db_commit(r->w->db, &err)) {
		kith_db_rollback(r->w->db);
		return reply_kith(r, &err);
	}
	api_bump_epoch();
	return reply_raw(r, 204, "application/json", NULL, 0);
}

/* ---- vouches ----------------------------------------------------------- */

static json_t *vouch_json(struct req *r, const kith_vouch *v)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I}", "id", (json_int_t)v->id, "voucher",
	                      (json_int_t)v->voucher, "voucher_name", person_name(r, v->voucher),
	                      "subject", (json_int_t)v->subject);
	json_object_set_new(o, "subject_name", json_string(person_name(r, v->subject)));
	json_object_set_new(o, "notes", v->notes ? json_string(v->notes) : json_null());
	json_object_set_new(o, "created", kith_time_json(v->created));
	return o;
}

int api_vouches_list(struct req *r)
{
	const char *ref = q_arg(r, "person");
	kith_id person = 0;
	kith_vouch *v;
	size_t n;
	long limit, offset;
	kith_error err;

	if (q_int(r, "limit", 1, 1000, 50, &limit) || q_int(r, "offset", 0, 1L << 40, 0, &offset) ||
	    (ref && !(person = ref_person(r, ref, "person"))))
		return 0;
	if (kith_vouch_list(r->view->db, person, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = (size_t)offset; i < n && i < (size_t)(offset + limit); i++)
		json_array_append_new(items, vouch_json(r, &v[i]));
	kith_vouch_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
	                                    (json_int_t)n, "limit", (int)limit, "offset",
	                                    (int)offset));
}

/* The vouch id as the caller sees it (both people visible); 0 after 404. */
static int find_vouch(struct req *r, kith_id id, kith_vouch *out)
{
	kith_vouch *v;
	size_t n;
	kith_error err;
	int found = 0;

	if (kith_vouch_list(r->view->db, 0, &v, &n, &err))
		return reply_kith(r, &err), 0;
	for (size_t i = 0; i < n && !found; i++)
		if (v[i].id == id) {
			*out = v[i];
			out->notes = NULL;
			found = 1;
		}
	kith_vouch_list_free(v, n);
	if (!found)
		reply_error(r, 404, "not_found", "no vouch #%lld", (long long)id);
	return found;
}

int api_vouches_create(struct req *r)
{
	static const char *const fields[] = {"voucher", "subject", "notes", NULL};
	json_t *o = body_object(r, fields);
	const char *voucher = NULL, *subject = NULL, *notes = NULL;
	kith_vouch v = {0};
	kith_error err;

	if (!o)
		return 0;
	if (f_str(r, o, "voucher", &voucher) < 0 || f_str(r, o, "subject", &subject) < 0 ||
	    f_str(r, o, "notes", &notes) < 0)
		goto done;
	if (notes && strlen(notes) > 4000) {
		reply_error(r, 400, "invalid", "'notes' is too long (at most 4000 bytes)");
		goto done;
	}
	if (!(v.voucher = ref_person(r, voucher ? voucher : "me", "voucher")) ||
	    !(v.subject = ref_person(r, subject, "subject")))
		goto done;
	v.notes = (char *)notes;
	if (kith_vouch_add(r->w->db, &v, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	v.notes = NULL;
	kith_vouch got;
	if (find_vouch(r, v.id, &got)) {
		got.notes = notes ? (char *)notes : NULL;
		reply_json(r, 201, vouch_json(r, &got));
	}
done:
	json_decref(o);
	return 0;
}

int api_vouches_delete(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_vouch v;
	kith_error err;

	if (!id || !find_vouch(r, id, &v))
		return 0;
	if (kith_vouch_remove(r->w->db, v.voucher, v.subject, &err))
		return reply_kith(r, &err);
	api_bump_epoch();
	return reply_raw(r, 204, "application/json", NULL, 0);
}

/* ---- cadences ------------------------------------------------------------ */

int api_cadences(struct req *r)
{
	kith_person **v;
	size_t n;
	kith_person_filter f = {0};
	kith_error err;
	json_t *orbits = json_array(), *people = json_array();

	for (int o = 1; o <= KITH_ORBITS; o++)
		json_array_append_new(orbits, json_pack("{s:i, s:s, s:i}", "orbit", o, "name",
		                      kith_orbit_name[o], "days", kith_cadence_orbit(r->view->db, o)));
	/* People with a cadence of their own: few, read through the caller's
	 * view of the list. */
	if (kith_person_list(r->view->db, &f, &v, &n, &err) == KITH_OK) {
		for (size_t i = 0; i < n; i++) {
			int d = kith_cadence_person(r->view->db, v[i]->id);
			if (d > 0)
				json_array_append_new(people, json_pack("{s:I, s:s, s:i}", "person",
				                      (json_int_t)v[i]->id, "name", v[i]->display_name,
				                      "days", d));
		}
		kith_person_list_free(v, n);
	}
	return reply_json(r, 200, json_pack("{s:o, s:o}", "orbits", orbits, "people", people));
}

static int days_body(struct req *r, long *days)
{
	static const char *const fields[] = {"days", NULL};
	json_t *o = body_object(r, fields);
	double d = -1;

	if (!o)
		return -1;
	int rc = f_num(r, o, "days", &d);
	json_decref(o);
	if (rc < 0)
		return -1;
	if (rc == 0 || !(d >= 0 && d <= 3650) || d != (long)d)
		return reply_error(r, 400, "invalid", "'days' must be a whole number from 0 to 3650"),
		       -1;
	*days = (long)d;
	return 0;
}

int api_people_cadence(struct req *r)
{
	kith_id id = p_id(r, 0);
	long days;
	kith_error err;

	if (!id || !may_touch(r, "person", id) || days_body(r, &days))
		return 0;
	if (kith_cadence_set_person(r->w->db, id, (int)days, &err))
		return reply_kith(r, &err);
	return reply_json(r, 200, json_pack("{s:I, s:i}", "person", (json_int_t)id, "days",
	                                    (int)days));
}

int api_orbit_cadence(struct req *r)
{
	kith_id orbit = p_id(r, 0);
	long days;
	kith_error err;

	if (!orbit || !is_owner(r))
		return 0;
	if (orbit > KITH_ORBITS)
		return reply_error(r, 404, "not_found", "no orbit %lld (1 to %d)", (long long)orbit,
		                   KITH_ORBITS);
	if (days_body(r, &days))
		return 0;
	if (kith_cadence_set_orbit(r->w->db, (int)orbit, (int)days, &err))
		return reply_kith(r, &err);
	return reply_json(r, 200, json_pack("{s:i, s:i}", "orbit", (int)orbit, "days", (int)days));
}

/* ---- strength, balance, like ---------------------------------------------- */

int api_strength(struct req *r)
{
	const char *ra = q_arg(r, "a");
	kith_id a, b;
	kith_strength s;
	kith_error err;
	char day[32], line[160];

	if (!(a = ref_person(r, ra ? ra : "me", "a")) || !(b = ref_person(r, q_arg(r, "b"), "b")))
		return 0;
	if (a == b)
		return reply_error(r, 400, "invalid", "give two different people");
	if (kith_strength_get(r->view->db, a, b, kith_db_now(r->view->db), &s, &err))
		return reply_kith(r, &err);
	json_t *why = json_array();
	if (s.count) {
		kith_time_format_date(s.last_at, day, sizeof(day));
		snprintf(line, sizeof(line), "%lld interaction%s together, the last on %s (%s)",
		         (long long)s.count, s.count == 1 ? "" : "s", day,
		         s.last_kind ? s.last_kind : "?");
		json_array_append_new(why, json_string(line));
	} else {
		json_array_append_new(why, json_string("no interaction together"));
	}
	if (s.trust >= 0) {
		snprintf(line, sizeof(line), "trust %.2f on a link", s.trust);
		json_array_append_new(why, json_string(line));
	} else if (s.linked) {
		json_array_append_new(why, json_string("linked, with no trust given"));
	}
	if (s.vouched)
		json_array_append_new(why, json_string("one vouched for the other"));
	snprintf(line, sizeof(line), "%s over %d days (%.2f then)",
	         s.strength > s.then + 0.01 ? "rising" : s.strength < s.then - 0.01 ? "falling"
	                                                                            : "steady",
	         KITH_SCORE_TREND_DAYS, s.then);
	json_array_append_new(why, json_string(line));
	json_t *o = json_pack("{s:I, s:I, s:f, s:f, s:f, s:b, s:b, s:I, s:o, s:o, s:o}",
		"a", (json_int_t)a, "b", (json_int_t)b, "strength", s.strength, "then", s.then,
		"raw", s.raw, "linked", s.linked, "vouched", s.vouched,
		"interactions", (json_int_t)s.count,
		"last", s.last_at ? kith_time_json(s.last_at) : json_null(),
		"last_kind", s.last_kind ? json_string(s.last_kind) : json_null(), "reasons", why);
	json_object_set_new(o, "trust", s.trust >= 0 ? json_real(s.trust) : json_null());
	json_object_set_new(o, "trend", json_real(s.strength - s.then));
	kith_strength_clear(&s);
	return reply_json(r, 200, o);
}

int api_balance(struct req *r)
{
	const char *ref = q_arg(r, "person");
	kith_id person = 0;
	kith_balance *v;
	size_t n;
	kith_error err;

	if (!need_me(r) || (ref && !(person = ref_person(r, ref, "person"))))
		return 0;
	if (kith_balance_list(r->view->db, r->me, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		if (person && v[i].person != person)
			continue;
		json_t *b = json_pack("{s:I, s:f, s:f, s:f, s:I}", "person", (json_int_t)v[i].person,
		                      "given", v[i].given, "received", v[i].received, "net",
		                      v[i].given - v[i].received, "favours", (json_int_t)v[i].favours);
		json_object_set_new(b, "name", json_string(person_name(r, v[i].person)));
		json_array_append_new(items, b);
	}
	free(v);
	json_t *out = json_pack("{s:o}", "items", items);
	if (person) {
		kith_interaction_filter f = {.person = r->me, .with = person, .kind = "favour",
		                             .limit = 200};
		kith_interaction *iv;
		size_t ni;
		json_t *fav = json_array();
		if (kith_interaction_list(r->view->db, &f, &iv, &ni, &err) == KITH_OK) {
			for (size_t i = 0; i < ni; i++)
				json_array_append_new(fav, with_visibility(r, "interaction", iv[i].id,
				                      kith_interaction_json(&iv[i])));
			kith_interaction_list_free(iv, ni);
		}
		json_object_set_new(out, "favours", fav);
	}
	return reply_json(r, 200, out);
}

int api_like(struct req *r)
{
	kith_id who;
	long within, limit;
	kith_id *reach = NULL;
	size_t nreach = 0;
	kith_like *v;
	size_t n;
	kith_error err;

	if (q_int(r, "within", 0, 6, 0, &within) || q_int(r, "limit", 1, 200, 10, &limit))
		return 0;
	const char *ref = q_arg(r, "person");
	if (!(who = ref_person(r, ref ? ref : "me", "person")))
		return 0;
	if (within) {
		kith_graph *g = req_graph(r);
		if (!g)
			return 0;
		if (kith_graph_reach(g, who, (int)within, &reach, NULL, &nreach, &err))
			return reply_kith(r, &err);
	}
	int rc = kith_like_list(r->view->db, who, within ? reach : NULL, nreach, (size_t)limit, &v,
	                        &n, &err);
	free(reach);
	if (rc)
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *tags = json_array();
		for (size_t k = 0; k < v[i].shared.n; k++)
			json_array_append_new(tags, json_string(v[i].shared.v[k]));
		json_t *o = json_pack("{s:I, s:f, s:o}", "person", (json_int_t)v[i].person,
		                      "similarity", v[i].similarity, "shared", tags);
		json_object_set_new(o, "name", json_string(person_name(r, v[i].person)));
		json_array_append_new(items, o);
	}
	kith_like_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:I, s:o}", "person", (json_int_t)who, "items",
	                                    items));
}

/* ---- degree, reach ------------------------------------------------------------ */

int api_degree(struct req *r)
{
	const char *ref = q_arg(r, "from");
	int64_t *counts, unreach;
	size_t nd;
	kith_graph *g;
	kith_id a;
	kith_error err;

	if (!(a = ref_person(r, ref ? ref : "me", "from")) || !(g = req_graph(r)))
		return 0;
	if (kith_graph_degree(g, a, &counts, &nd, &unreach, &err))
		return reply_kith(r, &err);
	json_t *c = json_array();
	for (size_t d = 1; d < nd; d++)
		json_array_append_new(c, json_integer(counts[d]));
	free(counts);
	return reply_json(r, 200, json_pack("{s:I, s:o, s:I}", "from", (json_int_t)a, "counts", c,
	                                    "unreachable", (json_int_t)unreach));
}

int api_reach(struct req *r)
{
	const char *ref = q_arg(r, "from");
	long within, limit, offset;
	kith_id *ids, a;
	int *dist;
	size_t n;
	kith_graph *g;
	kith_error err;

	if (q_int(r, "within", 1, 6, 2, &within) || q_int(r, "limit", 1, 1000, 50, &limit) ||
	    q_int(r, "offset", 0, 1L << 40, 0, &offset))
		return 0;
	if (!(a = ref_person(r, ref ? ref : "me", "from")) || !(g = req_graph(r)))
		return 0;
	if (kith_graph_reach(g, a, (int)within, &ids, &dist, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = (size_t)offset; i < n && i < (size_t)(offset + limit); i++)
		json_array_append_new(items, json_pack("{s:I, s:s, s:i}", "id", (json_int_t)ids[i],
		                      "name", person_name(r, ids[i]), "distance", dist[i]));
	free(ids);
	free(dist);
	return reply_json(r, 200, json_pack("{s:I, s:i, s:o, s:I, s:i, s:i}", "from",
	                                    (json_int_t)a, "within", (int)within, "items", items,
	                                    "total", (json_int_t)n, "limit", (int)limit, "offset",
	                                    (int)offset));
}

/* ---- dupes and merge ------------------------------------------------------------ */

int api_dupes(struct req *r)
{
	long limit;
	kith_dupe *v;
	size_t n;
	kith_error err;

	if (q_int(r, "limit", 1, 500, 50, &limit))
		return 0;
	if (kith_dupes_find(r->view->db, (size_t)limit, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *a = person_json(r, v[i].a), *b = person_json(r, v[i].b);
		if (!a || !b) {
			json_decref(a);
			json_decref(b);
			continue;
		}
		json_array_append_new(items, json_pack("{s:o, s:o, s:s, s:s}", "a", a, "b", b,
		                      "reason", kith_dupe_reason_name(v[i].reason), "detail",
		                      v[i].detail ? v[i].detail : ""));
	}
	kith_dupe_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int api_merge(struct req *r)
{
	static const char *const fields[] = {"keep", "gone", "keep_etag", "gone_etag", NULL};
	json_t *o = body_object(r, fields);
	const char *keep = NULL, *gone = NULL, *ke = NULL, *ge = NULL;
	kith_id k, g;
	kith_error err;

	if (!o)
		return 0;
	if (f_str(r, o, "keep", &keep) < 0 || f_str(r, o, "gone", &gone) < 0 ||
	    f_str(r, o, "keep_etag", &ke) < 0 || f_str(r, o, "gone_etag", &ge) < 0 ||
	    !(k = ref_person(r, keep, "keep")) || !(g = ref_person(r, gone, "gone")))
		goto done;
	if (k == g) {
		reply_error(r, 400, "invalid", "'keep' and 'gone' are the same person");
		goto done;
	}
	if (kith_db_begin(r->w->db, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	/* Either side changed since the caller compared them: say so. */
	const char *want[2] = {ke, ge};
	kith_id ids[2] = {k, g};
	for (int i = 0; i < 2; i++) {
		char tag[ETAG_LEN];
		json_t *cur;
		if (!want[i])
			continue;
		cur = record_on(r, r->w->db, "person", ids[i]);
		if (cur)
			etag_of(cur, tag);
		json_decref(cur);
		if (!cur || strcmp(tag, want[i])) {
			kith_db_rollback(r->w->db);
			reply_error(r, 412, "precondition_failed",
			            "a person to merge was changed by someone else: compare them again");
			goto done;
		}
	}
	if (kith_record_merge(r->w->db, r->member, k, g, &err) || kith_db_commit(r->w->db, &err)) {
		kith_db_rollback(r->w->db);
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	reply_record(r, 200, person_json(r, k), NULL);
done:
	json_decref(o);
	return 0;
}
