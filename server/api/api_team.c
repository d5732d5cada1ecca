/* /api/v1 team intelligence (docs/team.md): ways into an organisation,
 * introduction requests, goodwill, what leaves with a member, a
 * candidate.  Each answers on the caller's view (r->view), so what another
 * member keeps private never shows, nor counts. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "kith/goodwill.h"
#include "kith/intro_request.h"
#include "kith/team.h"

static int q_bool(struct req *r, const char *name, int *out)
{
	const char *v = q_arg(r, name);

	*out = 0;
	if (!v)
		return 0;
	if (!strcmp(v, "1") || !strcmp(v, "true"))
		return *out = 1, 0;
	if (!strcmp(v, "0") || !strcmp(v, "false"))
		return 0;
	reply_error(r, 400, "invalid", "'%s' must be true or false", name);
	return -1;
}

int api_org_ways(struct req *r)
{
	kith_id org = p_id(r, 0);
	kith_ways_filter f = {0};
	kith_ways_result res;
	long hops, alts, limit;
	kith_graph *g;
	kith_error err;

	if (!org || q_int(r, "hops", 1, KITH_INTRO_MAX_HOPS, KITH_INTRO_DEFAULT_HOPS, &hops) ||
	    q_int(r, "alts", 0, 20, 2, &alts) || q_int(r, "limit", 0, 1000, 100, &limit) ||
	    q_bool(r, "current", &f.current_only))
		return 0;
	f.role = q_arg(r, "role");
	f.hops = (int)hops;
	f.alts = (size_t)alts;
	f.limit = (size_t)limit;
	if (f.role && strlen(f.role) > 200)
		return reply_error(r, 400, "invalid", "'role' is at most 200 bytes");
	if (!(g = req_graph(r)))
		return 0;
	if (kith_team_ways(r->view->db, g, org, &f, &res, &err))
		return reply_kith(r, &err);
	json_t *o = kith_ways_json(r->view->db, org, &res);
	kith_ways_result_clear(&res);
	return reply_json(r, 200, o);
}

/* --- introduction requests ------------------------------------------------ */

int api_intro_requests_list(struct req *r)
{
	static const char *const statuses[] = {"asked", "accepted", "declined", "made", "withdrawn",
	                                       NULL};
	const char *side = q_arg(r, "side"), *status = q_arg(r, "status");
	kith_intro_request *v;
	size_t n;
	int s = KITH_INTRO_BOTH, ok = !status;
	kith_error err;

	if (side && !strcmp(side, "to_me"))
		s = KITH_INTRO_TO_ME;
	else if (side && !strcmp(side, "from_me"))
		s = KITH_INTRO_FROM_ME;
	else if (side && strcmp(side, "both"))
		return reply_error(r, 400, "invalid", "'side' is to_me, from_me or both");
	for (int i = 0; status && statuses[i]; i++)
		ok |= !strcmp(status, statuses[i]);
	if (!ok)
		return reply_error(r, 400, "invalid", "'status' is asked, accepted, declined, made or "
		                   "withdrawn");
	if (kith_intro_request_list(r->view->db, r->member, s, status, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, kith_intro_request_json(r->view->db, &v[i]));
	kith_intro_request_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static int reply_request(struct req *r, unsigned status, kith_id id)
{
	kith_intro_request q;
	kith_error err;

	if (kith_intro_request_get(r->view->db, r->member, id, &q, &err))
		return reply_kith(r, &err);
	reply_json(r, status, kith_intro_request_json(r->view->db, &q));
	kith_intro_request_clear(&q);
	return 0;
}

int api_intro_requests_get(struct req *r)
{
	kith_id id = p_id(r, 0);

	return id ? reply_request(r, 200, id) : 0;
}

/* The member asked, as a reference (id, "#id" or name), and their person
 * as the caller sees it. */
static kith_id asked_member(struct req *r, const char *ref, kith_id *person)
{
	kith_member m;
	kith_id id;
	kith_error err;

	if (!ref)
		return reply_error(r, 400, "invalid", "'member' is required: the teammate to ask"), 0;
	if (kith_member_resolve(r->w->db, ref, &id, &err) || kith_member_get(r->w->db, id, &m, &err))
		return reply_kith(r, &err), 0;
	*person = m.person;
	kith_member_clear(&m);
	if (!*person || kith_record_visibility(r->view->db, "person", *person, &(kith_id){0},
	                                       &(int){0}, NULL))
		return reply_error(r, 409, "no_person", "that member has no person in the network "
		                   "you can see"), 0;
	return id;
}

int api_intro_requests_create(struct req *r)
{
	static const char *const fields[] = {"to", "member", "note", "hops", NULL};
	json_t *j = body_object(r, fields);
	const char *to = NULL, *member = NULL, *note = NULL;
	kith_intro_request q = {0};
	kith_path *v = NULL;
	kith_id asked, person = 0, target;
	size_t n = 0;
	double hops = KITH_INTRO_DEFAULT_HOPS;
	kith_graph *g;
	kith_error err;

	if (!j)
		return 0;
	if (f_str(r, j, "to", &to) < 0 || f_str(r, j, "member", &member) < 0 ||
	    f_str(r, j, "note", &note) < 0 || f_num(r, j, "hops", &hops) < 0)
		goto done;
	if (!(hops >= 1 && hops <= KITH_INTRO_MAX_HOPS)) {
		reply_error(r, 400, "invalid", "'hops' must be 1 to %d", KITH_INTRO_MAX_HOPS);
		goto done;
	}
	if (!(target = ref_person(r, to, "to")) || !(asked = asked_member(r, member, &person)) ||
	    !(g = req_graph(r)))
		goto done;
	/* The chain is the strongest the caller sees from the teammate. */
	if (kith_graph_intro(g, person, target, (int)hops, 0, &v, &n, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	if (!n || v[0].len < 2) {
		reply_error(r, 409, "no_chain", "no chain of at most %d links from that member to "
		            "the person", (int)hops);
		goto done;
	}
	q.chain = v[0].ids;
	q.nchain = v[0].len;
	q.strength = v[0].strength;
	q.note = (char *)note;
	if (req_author(r, 0))
		goto done;
	if (kith_intro_request_add(r->w->db, r->member, asked, &q, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	reply_request(r, 201, q.id);
done:
	kith_path_list_free(v, n);
	json_decref(j);
	return 0;
}

int api_intro_requests_update(struct req *r)
{
	static const char *const fields[] = {"status", "outcome", NULL};
	kith_id id = p_id(r, 0);
	json_t *j;
	const char *status = NULL, *outcome = NULL;
	kith_error err;
	int rc = 0;

	if (!id || !(j = body_object(r, fields)))
		return 0;
	if (f_str(r, j, "status", &status) < 0 || f_str(r, j, "outcome", &outcome) < 0)
		goto done;
	if (!status == !outcome) {
		reply_error(r, 400, "invalid", "give one of 'status' (accepted, declined, made, "
		            "withdrawn) or 'outcome'");
		goto done;
	}
	if (outcome && !strcmp(outcome, "made")) {
		reply_error(r, 400, "invalid", "'outcome' is met, hired, deal, partnership or nothing");
		goto done;
	}
	if (req_author(r, 0))
		goto done;
	rc = kith_intro_request_move(r->w->db, r->member, id, status ? status : outcome, 0, &err);
	if (rc) {
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	reply_request(r, 200, id);
done:
	json_decref(j);
	return 0;
}

/* --- goodwill, leaves, candidate -------------------------------------------- */

int api_goodwill(struct req *r)
{
	const char *s = q_arg(r, "now");
	int64_t now = kith_db_now(r->view->db);
	long months;
	kith_goodwill gw;
	kith_error err;

	if (q_int(r, "months", 1, KITH_GOODWILL_MAX_MONTHS, 12, &months))
		return 0;
	if (s && kith_time_parse(s, now, &now, &err))
		return reply_kith(r, &err);
	if (kith_goodwill_get(r->view->db, r->member, now, (int)months, &gw, &err))
		return reply_kith(r, &err);
	json_t *o = kith_goodwill_json(r->view->db, &gw);
	kith_goodwill_clear(&gw);
	return reply_json(r, 200, o);
}

static int leaves(struct req *r, kith_id member)
{
	const char *m = q_arg(r, "min");
	double min = KITH_LEAVES_DEFAULT_MIN;
	char *end;
	kith_leaves *v;
	size_t n;
	kith_graph *g;
	kith_error err;

	if (m) {
		min = strtod(m, &end);
		if (end == m || *end || !(min > 0 && min <= 1))
			return reply_error(r, 400, "invalid", "'min' must be a number in (0, 1]");
	}
	if (!(g = req_graph(r)))
		return 0;
	if (kith_team_leaves(r->view->db, g, member, min, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *o = kith_leaves_json(r->view->db, v, n);
	kith_leaves_list_free(v, n);
	json_object_set_new(o, "min", json_real(min));
	return reply_json(r, 200, o);
}

int api_leaves(struct req *r)
{
	return leaves(r, 0);
}

int api_member_leaves(struct req *r)
{
	kith_id id = p_id(r, 0);

	return id ? leaves(r, id) : 0;
}

int api_people_candidate(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_candidate c;
	kith_graph *g;
	kith_error err;

	if (!id || !(g = req_graph(r)))
		return 0;
	if (kith_team_candidate(r->view->db, g, id, kith_db_now(r->view->db), &c, &err))
		return reply_kith(r, &err);
	json_t *o = kith_candidate_json(r->view->db, &c);
	kith_candidate_clear(&c);
	return reply_json(r, 200, o);
}
