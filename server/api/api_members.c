/* /api/v1 members and their tokens: the team's owner manages them
 * (kith_member_owner); everyone else is answered 403. */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int is_owner(struct req *r)
{
	kith_id owner;
	kith_error err;

	if (kith_member_owner(r->w->db, &owner, &err))
		return reply_kith(r, &err), 0;
	if (owner != r->member)
		return reply_error(r, 403, "forbidden", "only the team's owner manages members"), 0;
	return 1;
}

/* The member {id}, which must exist; 0 after a 404. */
static kith_id member_arg(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_member m;

	if (!id)
		return 0;
	if (kith_member_get(r->w->db, id, &m, NULL))
		return reply_error(r, 404, "not_found", "no member #%lld", (long long)id), 0;
	kith_member_clear(&m);
	return id;
}

static json_t *token_json(const kith_token_info *t)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)t->id, "member",
	                 (json_int_t)t->member, "label", t->label ? json_string(t->label) : json_null(),
	                 "created", kith_time_json(t->created),
	                 "last_used", t->last_used ? kith_time_json(t->last_used) : json_null(),
	                 "revoked", t->revoked ? kith_time_json(t->revoked) : json_null());
}

int api_members_create(struct req *r)
{
	static const char *const fields[] = {"name", "person", "label", NULL};
	const char *name = NULL, *person = NULL, *label = NULL;
	char tok[KITH_TOKEN_LEN];
	kith_id pid = 0, mid = 0, tid = 0;
	kith_error err;
	json_t *o;

	if (!is_owner(r) || !(o = body_object(r, fields)))
		return 0;
	if (f_str(r, o, "name", &name) < 0 || f_str(r, o, "person", &person) < 0 ||
	    f_str(r, o, "label", &label) < 0)
		goto done;
	if (!name || !*name) {
		reply_error(r, 400, "invalid", "'name' is required: the member's sign-in name");
		goto done;
	}
	if (person && !(pid = ref_person(r, person, "person")))
		goto done;
	if (req_author(r, 0))
		goto done;
	if (kith_db_begin(r->w->db, &err)) {
		reply_kith(r, &err);
		goto done;
	}
	int rc = KITH_OK;
	if (!pid) {  /* a new team person of that name */
		kith_person p = {0};
		p.display_name = strdup(name);
		rc = kith_person_add(r->w->db, &p, &err);
		pid = p.id;
		kith_person_clear(&p);
	}
	if (rc || kith_member_add(r->w->db, name, pid, &mid, &err) ||
	    kith_token_new(r->w->db, mid, label ? label : "web", tok, &tid, &err) ||
	    kith_db_commit(r->w->db, &err)) {
		kith_db_rollback(r->w->db);
		reply_kith(r, &err);
		goto done;
	}
	api_bump_epoch();
	reply_json(r, 201, json_pack("{s:{s:I, s:s, s:I}, s:s, s:I}", "member", "id",
	                             (json_int_t)mid, "name", name, "person", (json_int_t)pid,
	                             "token", tok, "token_id", (json_int_t)tid));
	memset(tok, 0, sizeof(tok));
done:
	json_decref(o);
	return 0;
}

int api_members_delete(struct req *r)
{
	kith_id id;
	kith_error err;

	if (!is_owner(r) || !(id = member_arg(r)))
		return 0;
	if (id == r->member)
		return reply_error(r, 409, "conflict", "the team's owner cannot remove themselves");
	if (kith_member_remove(r->w->db, id, &err))
		return reply_kith(r, &err);
	api_bump_epoch();
	return reply_raw(r, 204, "application/json", NULL, 0);
}

int api_tokens_list(struct req *r)
{
	kith_token_info *v;
	size_t n;
	kith_id id;
	kith_error err;

	if (!is_owner(r) || !(id = member_arg(r)))
		return 0;
	if (kith_token_list(r->w->db, id, &v, &n, &err))
		return reply_kith(r, &err);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, token_json(&v[i]));
	kith_token_list_free(v, n);
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int api_tokens_create(struct req *r)
{
	static const char *const fields[] = {"label", NULL};
	const char *label = NULL;
	char tok[KITH_TOKEN_LEN];
	kith_id id, tid;
	kith_error err;
	json_t *o;

	if (!is_owner(r) || !(id = member_arg(r)) || !(o = body_object(r, fields)))
		return 0;
	if (f_str(r, o, "label", &label) >= 0) {
		if (kith_token_new(r->w->db, id, label ? label : "web", tok, &tid, &err))
			reply_kith(r, &err);
		else
			reply_json(r, 201, json_pack("{s:I, s:I, s:s}", "id", (json_int_t)tid, "member",
			                             (json_int_t)id, "token", tok));
		memset(tok, 0, sizeof(tok));
	}
	json_decref(o);
	return 0;
}

int api_tokens_delete(struct req *r)
{
	kith_id id = p_id(r, 0);
	kith_error err;

	if (!id || !is_owner(r))
		return 0;
	if (kith_token_revoke(r->w->db, id, 0, &err))
		return reply_kith(r, &err);
	return reply_raw(r, 204, "application/json", NULL, 0);
}
