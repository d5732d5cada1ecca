/* /api/v1/orgs, /links and /interactions. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"


static char *sdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int paging(struct req *r, long *limit, long *offset)
{
	return q_int(r, "limit", 1, 1000, 50, limit) || q_int(r, "offset", 0, 1L << 40, 0, offset);
}

static int reply_list(struct req *r, json_t *items, long limit, long offset)
{
	return reply_json(r, 200, json_pack("{s:o, s:i, s:i}", "items", items, "limit",
	                                    (int)limit, "offset", (int)offset));
}


/* ---- orgs ---------------------------------------------------------- */

static const char *const org_fields[] = {"name", "domain", "city", "country", "notes",
                                         "private", NULL};

static json_t *org_json(struct req *r, kith_id id)
{
	kith_org *o;

	if (kith_org_get(r->view->db, id, &o, NULL))
		return NULL;
	json_t *j = kith_org_json(o);
	kith_org_free(o);
	return with_visibility(r, "org", id, j);
}

int api_orgs_list(struct req *r)
{
	kith_org **v;
	size_t n;
	long limit, offset;
	kith_error err;

	if (paging(r, &limit, &offset))
		return 0;
	if (kith_org_list(r->view->db, (size_t)limit, (size_t)offset, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, with_visibility(r, "org", v[i]->id, kith_org_json(v[i])));
	kith_org_list_free(v, n);
	return reply_list(r, items, limit, offset);
}

static int org_from_json(struct req *r, json_t *j, kith_org *o)
{
	struct { const char *name; char **dst; } s[] = {
		{"name", &o->name}, {"domain", &o->domain}, {"city", &o->city},
		{"country", &o->country}, {"notes", &o->notes}};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		const char *val = NULL;
		int rc = f_str(r, j, s[i].name, &val);
		if (rc < 0)
			return -1;
		if (rc) {
			free(*s[i].dst);
			*s[i].dst = val ? strdup(val) : NULL;
		}
	}
	return 0;
}

/* A name clash may be with an org the caller cannot see. */
static int reply_org_err(struct req *r, const kith_error *err)
{
	if (err->code == KITH_EEXISTS)
		return reply_error(r, 409, "exists", "an organisation of that name already exists");
	return reply_kith(r, err);
}

int api_orgs_create(struct req *r)
{
	json_t *j = body_object(r, org_fields);
	kith_org o = {0};
	kith_error err;
	int priv = 0;

	if (!j)
		return 0;
	if (!org_from_json(r, j, &o) && f_bool(r, j, "private", &priv) >= 0 && !req_author(r, priv)) {
		if (kith_org_add(r->w->db, &o, &err))
			reply_org_err(r, &err);
		else
			reply_record(r, 201, org_json(r, o.id), NULL);
	}
	kith_org_clear(&o);
	json_decref(j);
	return 0;
}

int api_orgs_get(struct req *r)
{
	kith_id id = p_id(r, 0);
	json_t *o;

	if (!id)
		return 0;
	if (!(o = org_json(r, id)))
		return reply_error(r, 404, "not_found", "no organisation #%lld", (long long)id);
	return reply_record(r, 200, o, NULL);
}

static int update_org(struct req *r, void *rec)
{
	kith_error err;

	if (kith_org_update(r->w->db, rec, &err))
		return reply_org_err(r, &err), -1;
	return 0;
}

int api_orgs_update(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_org *o = NULL;
	kith_error err;
	json_t *j;
	int priv = -1;

	if (!id || !(j = body_object(r, org_fields)))
		return 0;
	if (kith_org_get(r->view->db, id, &o, &err)) {
		reply_kith(r, &err);
	} else if (!org_from_json(r, j, o) && f_bool(r, j, "private", &priv) >= 0 &&
	           !api_update(r, "org", id, j, priv, update_org, o)) {
		reply_record(r, 200, org_json(r, id), NULL);
	}
	kith_org_free(o);
	json_decref(j);
	return 0;
}

int api_orgs_delete(struct req *r)
{
	return api_delete(r, "org");
}

/* ---- links --------------------------------------------------------- */

static json_t *link_json(struct req *r, const kith_link *l)
{
	return with_visibility(r, "link", l->id, kith_link_json(l));
}

int api_links_list(struct req *r)
{
	const char *ref = q_arg(r, "person");
	kith_id person = 0;
	kith_link *v;
	size_t n;
	long limit, offset;
	kith_error err;

	if (paging(r, &limit, &offset) || (ref && !(person = ref_person(r, ref, "person"))))
		return 0;
	if (kith_link_list(r->view->db, person, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = (size_t)offset; i < n && i < (size_t)(offset + limit); i++)
		json_array_append_new(items, link_json(r, &v[i]));
	kith_link_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
	                                    (json_int_t)n, "limit", (int)limit, "offset",
	                                    (int)offset));
}

static const char *const link_fields[] = {"a", "b", "kind", "since", "trust", "notes",
                                          "private", NULL};

int api_links_create(struct req *r)
{
	json_t *j = body_object(r, link_fields);
	const char *a = NULL, *b = NULL, *kind = "knows", *since = NULL, *notes = NULL;
	kith_link l = {0};
	kith_error err;
	int priv = 0;

	if (!j)
		return 0;
	if (f_str(r, j, "a", &a) < 0 || f_str(r, j, "b", &b) < 0 || f_str(r, j, "kind", &kind) < 0 ||
	    f_str(r, j, "since", &since) < 0 || f_str(r, j, "notes", &notes) < 0 ||
	    (l.has_trust = f_num(r, j, "trust", &l.trust)) < 0 || f_bool(r, j, "private", &priv) < 0)
		goto done;
	if (!(l.a = ref_person(r, a, "a")) || !(l.b = ref_person(r, b, "b")) || req_author(r, priv))
		goto done;
	l.kind = sdup(kind ? kind : "knows");
	l.since = sdup(since);
	l.notes = sdup(notes);
	l.asserted_by = r->me;
	if (kith_link_add(r->w->db, &l, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	kith_id nid = l.id;
	kith_link_clear(&l);
	if (kith_link_get(r->view->db, nid, &l, &err) == KITH_OK)
		reply_record(r, 201, link_json(r, &l), NULL);
	else
		reply_kith(r, &err);
done:
	kith_link_clear(&l);
	json_decref(j);
	return 0;
}

int api_links_get(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_link l;
	kith_error err;

	if (!id)
		return 0;
	if (kith_link_get(r->view->db, id, &l, &err))
		return reply_kith(r, &err);
	reply_record(r, 200, link_json(r, &l), NULL);
	kith_link_clear(&l);
	return 0;
}

static int update_link(struct req *r, void *rec)
{
	kith_error err;

	if (kith_link_update(r->w->db, rec, &err))
		return reply_kith(r, &err), -1;
	return 0;
}

int api_links_update(struct req *r)
{
	static const char *const fields[] = {"since", "trust", "notes", "private", NULL};
	kith_id id = p_id(r, 0);
	const char *since, *notes;
	kith_link l = {0};
	kith_error err;
	json_t *j;
	int priv = -1, rc;

	if (!id || !(j = body_object(r, fields)))
		return 0;
	if (kith_link_get(r->view->db, id, &l, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	since = l.since;
	notes = l.notes;
	if (f_str(r, j, "since", &since) < 0 || f_str(r, j, "notes", &notes) < 0 ||
	    f_bool(r, j, "private", &priv) < 0)
		goto done;
	if (json_is_null(json_object_get(j, "trust")))
		l.has_trust = 0;
	else if ((rc = f_num(r, j, "trust", &l.trust)) < 0)
		goto done;
	else if (rc)
		l.has_trust = 1;
	kith_link u = l;
	u.since = (char *)since;
	u.notes = (char *)notes;
	if (api_update(r, "link", id, j, priv, update_link, &u))
		goto done;
	kith_link_clear(&l);
	if (kith_link_get(r->view->db, id, &l, &err))
		reply_kith(r, &err);
	else
		reply_record(r, 200, link_json(r, &l), NULL);
done:
	kith_link_clear(&l);
	json_decref(j);
	return 0;
}

int api_links_delete(struct req *r)
{
	return api_delete(r, "link");
}

/* ---- interactions -------------------------------------------------- */

static json_t *interaction_json(struct req *r, const kith_interaction *it)
{
	return with_visibility(r, "interaction", it->id, kith_interaction_json(it));
}

int api_interactions_list(struct req *r)
{
	kith_interaction_filter f = {0};
	const char *p = q_arg(r, "person"), *w = q_arg(r, "with");
	kith_interaction *v;
	size_t n;
	long limit, offset;
	kith_error err;

	if (paging(r, &limit, &offset))
		return 0;
	if ((p && !(f.person = ref_person(r, p, "person"))) || (w && !(f.with = ref_person(r, w, "with"))))
		return 0;
	f.kind = q_arg(r, "kind");
	f.limit = (size_t)limit;
	f.offset = (size_t)offset;
	if (kith_interaction_list(r->view->db, &f, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, interaction_json(r, &v[i]));
	kith_interaction_list_free(v, n);
	return reply_list(r, items, limit, offset);
}

static const char *const interaction_fields[] = {"kind", "at", "people", "notes", "initiator",
                                                 "giver", "value", "private", NULL};

/* Resolves the people named in field name (an array) into out. */
static int people_field(struct req *r, json_t *j, kith_idv *out)
{
	kith_strv refs = {0};
	int rc = f_strv(r, j, "people", &refs);

	if (rc == 0)
		reply_error(r, 400, "invalid", "'people' is required: two or more people");
	for (size_t i = 0; rc > 0 && i < refs.n; i++) {
		kith_id id = ref_person(r, refs.v[i], "people");
		if (!id || kith_idv_push(out, id))
			rc = -1;
	}
	kith_strv_clear(&refs);
	return rc > 0 ? 0 : -1;
}

int api_interactions_create(struct req *r)
{
	json_t *j = body_object(r, interaction_fields);
	const char *kind = NULL, *at = NULL, *notes = NULL, *ini = NULL, *giver = NULL;
	kith_interaction it = {0};
	kith_error err;
	int priv = 0;

	if (!j)
		return 0;
	if (f_str(r, j, "kind", &kind) < 0 || f_str(r, j, "at", &at) < 0 ||
	    f_str(r, j, "notes", &notes) < 0 || f_str(r, j, "initiator", &ini) < 0 ||
	    f_str(r, j, "giver", &giver) < 0 || f_num(r, j, "value", &it.value) < 0 ||
	    f_bool(r, j, "private", &priv) < 0 || people_field(r, j, &it.people))
		goto done;
	if ((ini && !(it.initiator = ref_person(r, ini, "initiator"))) ||
	    (giver && !(it.giver = ref_person(r, giver, "giver"))))
		goto done;
	if (!at) {
		it.at = kith_db_now(r->w->db);
	} else if (kith_time_parse(at, kith_db_now(r->w->db), &it.at, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	it.kind = sdup(kind ? kind : "meeting");
	it.notes = sdup(notes);
	if (req_author(r, priv))
		goto done;
	if (kith_interaction_add(r->w->db, &it, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	kith_id nid = it.id;
	kith_interaction_clear(&it);
	if (kith_interaction_get(r->view->db, nid, &it, &err))
		reply_kith(r, &err);
	else
		reply_record(r, 201, interaction_json(r, &it), NULL);
done:
	kith_interaction_clear(&it);
	json_decref(j);
	return 0;
}

int api_interactions_get(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_interaction it = {0};
	kith_error err;

	if (!id)
		return 0;
	if (kith_interaction_get(r->view->db, id, &it, &err))
		return reply_kith(r, &err);
	reply_record(r, 200, interaction_json(r, &it), NULL);
	kith_interaction_clear(&it);
	return 0;
}

/* A PATCH body, resolved before the write: what to change and to what. */
struct interaction_patch {
	json_t *body;
	const char *kind, *at, *notes;
	int has_kind, has_at, has_notes, has_initiator, has_giver, has_value, has_people;
	kith_id initiator, giver;
	double value;
	kith_idv people;
};

/* Reads p from j; -1 after a 400 or 404 reply. */
static int interaction_patch_read(struct req *r, json_t *j, struct interaction_patch *p)
{
	const char *ini = NULL, *giver = NULL;

	p->body = j;
	if ((p->has_kind = f_str(r, j, "kind", &p->kind)) < 0 ||
	    (p->has_at = f_str(r, j, "at", &p->at)) < 0 ||
	    (p->has_notes = f_str(r, j, "notes", &p->notes)) < 0 ||
	    (p->has_initiator = f_str(r, j, "initiator", &ini)) < 0 ||
	    (p->has_giver = f_str(r, j, "giver", &giver)) < 0 ||
	    (p->has_value = f_num(r, j, "value", &p->value)) < 0)
		return -1;
	if ((p->has_kind && !p->kind) || (p->has_at && !p->at))
		return reply_error(r, 400, "invalid", "'%s' cannot be null",
		                   p->has_kind && !p->kind ? "kind" : "at"), -1;
	if ((p->has_people = json_object_get(j, "people") != NULL) &&
	    people_field(r, j, &p->people))
		return -1;
	if ((ini && !(p->initiator = ref_person(r, ini, "initiator"))) ||
	    (giver && !(p->giver = ref_person(r, giver, "giver"))))
		return -1;
	return 0;
}

/* Applies p to it, the interaction as it is inside the write. */
static int interaction_patch_apply(struct req *r, const struct interaction_patch *p,
                                   kith_interaction *it)
{
	kith_error err;

	if (p->has_kind) {
		free(it->kind);
		it->kind = sdup(p->kind);
		/* No longer a favour: its direction goes with it, unless given. */
		if (strcmp(p->kind, "favour") != 0 && !p->has_giver) {
			it->giver = 0;
			it->value = 0;
		}
	}
	if (p->has_at && kith_time_parse(p->at, kith_db_now(r->w->db), &it->at, &err))
		return reply_kith(r, &err), -1;
	if (p->has_notes) {
		free(it->notes);
		it->notes = sdup(p->notes);
	}
	if (p->has_people) {
		kith_idv_clear(&it->people);
		for (size_t i = 0; i < p->people.n; i++)
			if (kith_idv_push(&it->people, p->people.v[i]))
				return reply_error(r, 503, "no_memory", "out of memory"), -1;
	}
	if (p->has_initiator)
		it->initiator = p->initiator;
	if (p->has_giver) {
		/* A new giver starts the favour, as on a new one. */
		if (!p->has_initiator && it->initiator == it->giver)
			it->initiator = 0;
		it->giver = p->giver;
	}
	if (p->has_value)
		it->value = p->value;
	return 0;
}

/* Inside api_update's transaction: the interaction as it is now, changed
 * by the patch, so that a field the body leaves out keeps its latest
 * value. */
static int update_interaction(struct req *r, void *rec)
{
	const struct interaction_patch *p = rec;
	kith_interaction it;
	kith_error err;
	int rc = -1;

	if (kith_interaction_get(r->w->db, p_id(r, 0), &it, &err))
		return reply_kith(r, &err), -1;
	if (!interaction_patch_apply(r, p, &it)) {
		if (kith_interaction_update(r->w->db, &it, &err))
			reply_kith(r, &err);
		else
			rc = 0;
	}
	kith_interaction_clear(&it);
	return rc;
}

int api_interactions_update(struct req *r)
{
	kith_id id = p_id(r, 0);
	struct interaction_patch p = {0};
	kith_interaction it = {0};
	kith_error err;
	json_t *j;
	int priv = -1;

	if (!id || !may_touch(r, "interaction", id) || !(j = body_object(r, interaction_fields)))
		return 0;
	if (f_bool(r, j, "private", &priv) < 0 || interaction_patch_read(r, j, &p) ||
	    api_update(r, "interaction", id, j, priv, update_interaction, &p))
		goto done;
	if (kith_interaction_get(r->view->db, id, &it, &err))
		reply_kith(r, &err);
	else
		reply_record(r, 200, interaction_json(r, &it), NULL);
done:
	kith_interaction_clear(&it);
	kith_idv_clear(&p.people);
	json_decref(j);
	return 0;
}

int api_interactions_delete(struct req *r)
{
	return api_delete(r, "interaction");
}
