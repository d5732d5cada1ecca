/* /api/v1/people and their notes. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

static const char *const person_fields[] = {
	"display_name", "given_name", "family_name", "city", "country", "notes",
	"emails", "phones", "tags", "private", NULL};

/* Copies the fields present in o onto p; -1 after a 400 reply. */
static int person_from_json(struct req *r, json_t *o, kith_person *p)
{
	struct { const char *name; char **dst; } s[] = {
		{"display_name", &p->display_name}, {"given_name", &p->given_name},
		{"family_name", &p->family_name}, {"city", &p->city},
		{"country", &p->country}, {"notes", &p->notes},
	};
	struct { const char *name; kith_strv *dst; } v[] = {
		{"emails", &p->emails}, {"phones", &p->phones}, {"tags", &p->tags}};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		const char *val = NULL;
		int rc = f_str(r, o, s[i].name, &val);
		if (rc < 0)
			return -1;
		if (rc) {
			free(*s[i].dst);
			*s[i].dst = val ? strdup(val) : NULL;
		}
	}
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		kith_strv tmp = {0};
		int rc = f_strv(r, o, v[i].name, &tmp);
		if (rc < 0) {
			kith_strv_clear(&tmp);
			return -1;
		}
		if (rc) {
			kith_strv_clear(v[i].dst);
			*v[i].dst = tmp;
		}
	}
	return 0;
}

/* An email clash may be with a person the caller cannot see: then say
 * only that the address is taken. */
static int reply_person_err(struct req *r, const kith_error *err, const kith_person *p)
{
	kith_id other;

	if (err->code != KITH_EEXISTS)
		return reply_kith(r, err);
	for (size_t i = 0; i < p->emails.n; i++)
		if (kith_person_resolve(r->view->db, p->emails.v[i], &other, NULL, NULL) == KITH_OK &&
		    other != p->id)
			return reply_error(r, 409, "exists", "email %s already belongs to %s (#%lld)",
			                   p->emails.v[i], person_name(r, other), (long long)other);
	return reply_error(r, 409, "exists", "an email address given is already in use");
}

int api_people_create(struct req *r)
{
	json_t *o = body_object(r, person_fields);
	kith_person p = {0};
	kith_error err;
	int priv = 0;

	if (!o)
		return 0;
	if (person_from_json(r, o, &p) || f_bool(r, o, "private", &priv) < 0 || req_author(r, priv))
		goto done;
	if (kith_person_add(r->w->db, &p, &err)) {
		reply_person_err(r, &err, &p);
		goto done;
	}
	api_bump_epoch();
	reply_record(r, 201, person_json(r, p.id), NULL);
done:
	kith_person_clear(&p);
	json_decref(o);
	return 0;
}

int api_people_get(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_job *jobs;
	size_t n;
	kith_error err;
	json_t *o;

	if (!id)
		return 0;
	if (!(o = person_json(r, id)))
		return reply_error(r, 404, "not_found", "no person #%lld", (long long)id);
	json_t *extra = json_object(), *ja = json_array();
	if (kith_job_list(r->view->db, id, &jobs, &n, &err) == KITH_OK) {
		for (size_t i = 0; i < n; i++)
			json_array_append_new(ja, kith_job_json(&jobs[i]));
		kith_job_list_free(jobs, n);
	}
	json_object_set_new(extra, "jobs", ja);
	if (r->me && r->me != id) {
		kith_strength s;
		if (kith_strength_get(r->view->db, r->me, id, kith_db_now(r->view->db), &s,
		                      NULL) == KITH_OK) {
			json_object_set_new(extra, "strength", json_pack("{s:f, s:f, s:I, s:o}",
				"now", s.strength, "then", s.then, "interactions", (json_int_t)s.count,
				"last", s.last_at ? kith_time_json(s.last_at) : json_null()));
			kith_strength_clear(&s);
		}
	}
	return reply_record(r, 200, o, extra);
}

static int update_person(struct req *r, void *rec)
{
	kith_person *p = rec;
	kith_error err;

	if (kith_person_update(r->w->db, p, &err))
		return reply_person_err(r, &err, p), -1;
	return 0;
}

int api_people_update(struct req *r)
{
	kith_id id = p_id(r, 0);
	json_t *o;
	kith_person *p = NULL;
	kith_error err;
	int priv = -1, rc;

	if (!id || !(o = body_object(r, person_fields)))
		return 0;
	if (kith_person_get(r->view->db, id, &p, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	if (person_from_json(r, o, p) || (rc = f_bool(r, o, "private", &priv)) < 0)
		goto done;
	if (api_update(r, "person", id, o, priv, update_person, p))
		goto done;
	reply_record(r, 200, person_json(r, id), NULL);
done:
	kith_person_free(p);
	json_decref(o);
	return 0;
}

int api_people_delete(struct req *r)
{
	return api_delete(r, "person");
}

int api_people_timeline(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_interaction_filter f = {0};
	kith_interaction *v;
	size_t n;
	long limit, offset;
	kith_error err;

	if (!id || !may_touch(r, "person", id))
		return 0;
	if (q_int(r, "limit", 1, 1000, 50, &limit) || q_int(r, "offset", 0, 1L << 40, 0, &offset))
		return 0;
	f.person = id;
	f.kind = q_arg(r, "kind");
	f.limit = (size_t)limit;
	f.offset = (size_t)offset;
	if (kith_interaction_list(r->view->db, &f, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, with_visibility(r, "interaction", v[i].id,
		                                             kith_interaction_json(&v[i])));
	kith_interaction_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o, s:i, s:i}", "items", items,
	                                    "limit", (int)limit, "offset", (int)offset));
}

static json_t *note_json(const kith_note *n)
{
	return json_pack("{s:I, s:I, s:o, s:b, s:s, s:o}", "id", (json_int_t)n->id,
	                 "person", (json_int_t)n->person,
	                 "owner", n->owner ? json_integer(n->owner) : json_null(),
	                 "private", n->priv, "body", n->body, "created", kith_time_json(n->created));
}

int api_notes_list(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_note *v;
	size_t n;
	kith_error err;

	if (!id || !may_touch(r, "person", id))
		return 0;
	if (kith_note_list(r->view->db, id, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, note_json(&v[i]));
	kith_note_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int api_notes_create(struct req *r)
{
	static const char *const fields[] = {"body", "private", NULL};
	kith_id id = p_id(r, 0);
	kith_note n = {0};
	const char *body = NULL;
	kith_error err;
	json_t *o;
	int priv = 0;

	if (!id || !may_touch(r, "person", id) || !(o = body_object(r, fields)))
		return 0;
	if (f_str(r, o, "body", &body) < 0 || f_bool(r, o, "private", &priv) < 0 ||
	    req_author(r, priv))
		goto done;
	n.person = id;
	n.body = (char *)body;
	n.priv = priv;
	if (kith_note_add(r->w->db, &n, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	n.owner = r->member;
	reply_json(r, 201, note_json(&n));
done:
	json_decref(o);
	return 0;
}

int api_notes_delete(struct req *r)
{
	return api_delete(r, "note");
}
