/* Who owns the team: the one member who may add and remove members and
 * issue or revoke their tokens through the server. */
#include "internal.h"
#include "kith/member.h"

int kith_member_owner(kith_db *db, kith_id *owner, kith_error *err)
{
	int64_t id = 0;
	int rc = kith__query_int64(db, "SELECT coalesce((SELECT id FROM main.member"
	                           " ORDER BY person_id IS NOT (SELECT person_id FROM main.owner WHERE id = 1),"
	                           " id LIMIT 1), 0)", 0, &id, "find the team's owner", err);

	*owner = rc ? 0 : id;
	return rc;
}
