/* The API's changes on behalf of the caller that every record route
 * shares: removing a record and changing who sees it, both by the rule of
 * src/record/ownership.c. */
#include "handlers.h"

int api_delete(struct req *r, const char *table)
{
	kith_id id = p_id(r, 0);
	kith_error err;

	if (!id)
		return 0;
	/* The If-Match check and the removal in one transaction; what the
	 * caller cannot see is 404 before any version is compared. */
	if (kith_db_begin(r->w->db, &err))
		return reply_kith(r, &err);
	if (if_match(r, table, id)) {
		kith_db_rollback(r->w->db);
		return 0;
	}
	if (kith_record_remove(r->w->db, r->member, table, id, &err)) {
		kith_db_rollback(r->w->db);
		return reply_kith(r, &err);
	}
	if (kith_db_commit(r->w->db, &err))
		return reply_kith(r, &err);
	api_bump_epoch();
	return reply_raw(r, 204, "application/json", NULL, 0);
}

int api_set_visibility(struct req *r, const char *table, kith_id id, int priv)
{
	kith_error err;

	if (kith_record_set_private(r->w->db, r->member, table, id, priv, &err))
		return reply_kith(r, &err), -1;
	return 0;
}

int api_update(struct req *r, const char *table, kith_id id, json_t *body, int priv,
               int (*update)(struct req *r, void *rec), void *rec)
{
	kith_error err;

	if (kith_db_begin(r->w->db, &err))
		return reply_kith(r, &err), -1;
	if (if_match(r, table, id)) {
		kith_db_rollback(r->w->db);
		return -1;
	}
	/* A change of who sees it alone leaves the record as it was: no new
	 * "updated", which other members' cards and ETags would show. */
	if (((json_object_size(body) > 1 || priv < 0) && update(r, rec)) ||
	    (priv >= 0 && api_set_visibility(r, table, id, priv))) {
		kith_db_rollback(r->w->db);
		return -1;
	}
	if (kith_db_commit(r->w->db, &err))
		return reply_kith(r, &err), -1;
	api_bump_epoch();
	return 0;
}
