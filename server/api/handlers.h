#ifndef KITH_SERVER_HANDLERS_H
#define KITH_SERVER_HANDLERS_H

/* Route handlers (api_*.c), listed in routes.c.  Each answers through
 * reply_* and returns 0. */

#include "api.h"

/* The one route table of the API (server/routes.c). */
extern const struct route api_routes[];
extern const size_t api_nroutes;

int api_me(struct req *r);
int api_members(struct req *r);
int api_people_list(struct req *r);
int api_people_create(struct req *r);
int api_people_get(struct req *r);
int api_people_update(struct req *r);
int api_people_delete(struct req *r);
int api_people_timeline(struct req *r);
int api_notes_list(struct req *r);
int api_notes_create(struct req *r);
int api_notes_delete(struct req *r);
int api_orgs_list(struct req *r);
int api_orgs_create(struct req *r);
int api_orgs_get(struct req *r);
int api_orgs_update(struct req *r);
int api_orgs_delete(struct req *r);
int api_links_list(struct req *r);
int api_links_create(struct req *r);
int api_links_get(struct req *r);
int api_links_update(struct req *r);
int api_links_delete(struct req *r);
int api_interactions_list(struct req *r);
int api_interactions_create(struct req *r);
int api_interactions_get(struct req *r);
int api_interactions_update(struct req *r);
int api_interactions_delete(struct req *r);
int api_search(struct req *r);
int api_path(struct req *r);
int api_intro(struct req *r);
int api_intro_team(struct req *r);
int api_near(struct req *r);
int api_mutual(struct req *r);
int api_due(struct req *r);
int api_orbits(struct req *r);
int api_stats(struct req *r);
int api_import(struct req *r);
int api_export(struct req *r);
int api_health(struct req *r);
/* api_team.c */
int api_org_ways(struct req *r);
int api_intro_requests_list(struct req *r);
int api_intro_requests_create(struct req *r);
int api_intro_requests_get(struct req *r);
int api_intro_requests_update(struct req *r);
int api_goodwill(struct req *r);
int api_leaves(struct req *r);
int api_member_leaves(struct req *r);
int api_people_candidate(struct req *r);

int api_tags(struct req *r);
int api_people_tags(struct req *r);
int api_people_jobs(struct req *r);
int api_people_cadence(struct req *r);
int api_kinds_list(struct req *r);
int api_kinds_create(struct req *r);
int api_orgs_people(struct req *r);
int api_jobs_create(struct req *r);
int api_jobs_get(struct req *r);
int api_jobs_update(struct req *r);
int api_jobs_delete(struct req *r);
int api_vouches_list(struct req *r);
int api_vouches_create(struct req *r);
int api_vouches_delete(struct req *r);
int api_cadences(struct req *r);
int api_orbit_cadence(struct req *r);
int api_strength(struct req *r);
int api_balance(struct req *r);
int api_like(struct req *r);
int api_degree(struct req *r);
int api_reach(struct req *r);
int api_dupes(struct req *r);
int api_merge(struct req *r);
int api_members_create(struct req *r);
int api_members_delete(struct req *r);
int api_tokens_list(struct req *r);
int api_tokens_create(struct req *r);
int api_tokens_delete(struct req *r);

/* The caller is the team's owner (api_members.c); 0 after a 403. */
int is_owner(struct req *r);
/* An organisation query argument as the caller sees it (0 when absent);
 * -1 after a reply. */
int q_org(struct req *r, const char *name, kith_id *out);

/* DELETE of the record {id} of table on behalf of the caller
 * (kith_record_remove: what they cannot see is 404, another member's
 * record 403, one others' records depend on 409); 204 when done. */
int api_delete(struct req *r, const char *table);

/* The sequence every PATCH shares (api_write.c): in one transaction on the
 * read-write handle, update(r, rec) unless the body holds only "private"
 * (it replies itself and returns non-zero on failure), then the change of
 * who sees record (table, id) when priv >= 0; then the write epoch moves.
 * 0 when done, -1 after a reply. */
int api_update(struct req *r, const char *table, kith_id id, json_t *body, int priv,
               int (*update)(struct req *r, void *rec), void *rec);

/* Changes who sees a record on behalf of the caller, inside the caller's
 * transaction (kith_record_set_private); -1 after a reply. */
int api_set_visibility(struct req *r, const char *table, kith_id id, int priv);

/* Record versions (api_etag.c).  record_on: the JSON of record (table,
 * id) read on db, with owner and private (jobs: with current), NULL when
 * db does not see it; the caller owns it.  etag_of: its ETag, quoted. */
#define ETAG_LEN 20
json_t *record_on(struct req *r, kith_db *db, const char *table, kith_id id);
void etag_of(json_t *o, char out[ETAG_LEN]);
/* Replies o (stolen) with its "etag" member and ETag header, computed on o
 * before extra's members (stolen, may be NULL) are added to it. */
int reply_record(struct req *r, unsigned status, json_t *o, json_t *extra);
/* Inside the write's transaction on r->w->db: when the request has
 * If-Match, the record must still have that ETag (412) and exist (404).
 * 0 to go on, -1 after a reply. */
int if_match(struct req *r, const char *table, kith_id id);

#endif
