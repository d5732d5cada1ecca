/* Versions of records for the API's writes: a record's ETag is a hash of
 * its JSON as the caller sees it (record fields, owner, private), the same
 * from the caller's view and from the write handle, so a PATCH or DELETE
 * with If-Match checks it inside the write's transaction and answers 412
 * when someone else changed the record first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

json_t *record_on(struct req *r, kith_db *db, const char *table, kith_id id)
{
	json_t *o = NULL;
	kith_id owner = 0;
	int priv = 0, has_owner = 1;

	if (strcmp(table, "person") == 0) {
		kith_person *p;
		if (kith_person_get(db, id, &p, NULL) == KITH_OK) {
			o = kith_person_json(p);
			kith_person_free(p);
		}
	} else if (strcmp(table, "org") == 0) {
		kith_org *g;
		if (kith_org_get(db, id, &g, NULL) == KITH_OK) {
			o = kith_org_json(g);
			kith_org_free(g);
		}
	} else if (strcmp(table, "link") == 0) {
		kith_link l;
		if (kith_link_get(db, id, &l, NULL) == KITH_OK) {
			o = kith_link_json(&l);
			hide_unseen_person(r, o, "asserted_by");
			kith_link_clear(&l);
		}
	} else if (strcmp(table, "interaction") == 0) {
		kith_interaction it;
		if (kith_interaction_get(db, id, &it, NULL) == KITH_OK) {
			o = kith_interaction_json(&it);
			kith_interaction_clear(&it);
		}
	} else if (strcmp(table, "job") == 0) {
		kith_job j;
		has_owner = 0;
		if (kith_job_get(db, id, &j, NULL) == KITH_OK) {
			o = kith_job_json(&j);
			json_object_set_new(o, "current", json_boolean(!j.to));
			kith_job_clear(&j);
		}
	}
	if (o && has_owner) {
		kith_record_visibility(db, table, id, &owner, &priv, NULL);
		json_object_set_new(o, "owner", owner ? json_integer(owner) : json_null());
		json_object_set_new(o, "private", json_boolean(priv));
	}
	return o;
}

/* FNV-1a, 64 bits, over the JSON as it is written: no copy of it. */
static int fnv_feed(const char *buf, size_t size, void *data)
{
	uint64_t *h = data;

	for (size_t i = 0; i < size; i++) {
		*h ^= (unsigned char)buf[i];
		*h *= 1099511628211ULL;
	}
	return 0;
}

void etag_of(json_t *o, char out[ETAG_LEN])
{
	uint64_t h = 1469598103934665603ULL;

	json_dump_callback(o, fnv_feed, &h, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	snprintf(out, ETAG_LEN, "\"%016llx\"", (unsigned long long)h);
}

int reply_record(struct req *r, unsigned status, json_t *o, json_t *extra)
{
	char tag[ETAG_LEN];

	if (!o) {
		json_decref(extra);
		return reply_error(r, 500, "internal", "out of memory");
	}
	etag_of(o, tag);
	json_object_set_new(o, "etag", json_string(tag));
	if (extra)
		json_object_update(o, extra);
	json_decref(extra);
	reply_json(r, status, o);
	if (r->resp && r->status == status)
		MHD_add_response_header(r->resp, "ETag", tag);
	return 0;
}

int if_match(struct req *r, const char *table, kith_id id)
{
	const char *want = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
	char tag[ETAG_LEN];
	json_t *o;

	if (!want || strcmp(want, "*") == 0)
		return 0;
	/* Seen by the caller first: a hidden record is not found, whatever
	 * its version. */
	if (!(o = record_on(r, r->view->db, table, id)))
		return reply_error(r, 404, "not_found", "no %s #%lld", table, (long long)id), -1;
	json_decref(o);
	if (!(o = record_on(r, r->w->db, table, id)))
		return reply_error(r, 404, "not_found", "no %s #%lld", table, (long long)id), -1;
	etag_of(o, tag);
	json_decref(o);
	if (strcmp(want, tag) != 0)
		return reply_error(r, 412, "precondition_failed",
		                   "this %s was changed by someone else: reload it and try again",
		                   table), -1;
	return 0;
}
