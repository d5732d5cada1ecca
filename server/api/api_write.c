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
	if (kith_record_remove(r->w->db, r->member, table, id, &err))
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
