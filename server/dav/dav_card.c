/*
 * One card: GET (vCard 3.0, or 4.0 when Accept names it), PUT and DELETE
 * with If-Match / If-None-Match.  A PUT answers without an ETag: kith
 * stores the card's fields, not its bytes, so what a GET returns may
 * differ (RFC 6352 6.3.2.3); clients fetch it again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dav_impl.h"

/* An empty reply with a status. */
static int reply_empty(struct req *r, unsigned status)
{
	char *e = malloc(1);

	if (!e)
		return reply_error(r, 500, "internal", "out of memory");
	*e = '\0';
	return reply_raw(r, status, "text/plain; charset=utf-8", e, 0);
}

/* The ETag condition of the request (kith_card_put.etag_want). */
static int64_t etag_want(struct req *r)
{
	const char *im = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	long long v;

	if (inm && strcmp(inm + strspn(inm, " "), "*") == 0)
		return -1;
	if (!im)
		return 0;
	im += strspn(im, " ");
	if (*im == '*')
		return -2;
	if (strncmp(im, "W/", 2) == 0)
		im += 2;
	if (sscanf(im, "\"%lld\"", &v) == 1 && v > 0)
		return v;
	return INT64_MAX;  /* not one of ours: matches nothing */
}

int dav_get(struct dav *d)
{
	kith_card_ref ref;
	kith_error err;
	char *card, etag[32], lm[64];
	size_t len;
	int version = dav_version(d, NULL);

	if (d->kind != DAV_CARD) {
		char *t = strdup("kith address book: use a CardDAV client (docs/carddav.md)\n");
		if (!t)
			return reply_error(d->r, 500, "internal", "out of memory");
		return reply_raw(d->r, 200, "text/plain; charset=utf-8", t, strlen(t));
	}
	/* The ETag from the text itself, as the book makes it: a GET then a
	 * PUT If-Match is checked against the same hash (card_in.c). */
	if (kith_card_find(d->view, d->r->member, d->card, &ref, &err) ||
	    kith_card_etag(d->view, ref.person, &ref.etag, &err) ||
	    kith_card_render(d->view, ref.person, version, &card, &len, &err))
		return err.code == KITH_ENOTFOUND
		       ? reply_error(d->r, 404, "not_found", "no such card")
		       : reply_kith(d->r, &err);
	reply_raw(d->r, 200, version == 4 ? "text/vcard; charset=utf-8; version=4.0"
	                                  : "text/vcard; charset=utf-8", card, len);
	if (d->r->resp) {
		time_t u = (time_t)ref.updated;
		struct tm tm;
		gmtime_r(&u, &tm);
		strftime(lm, sizeof(lm), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		dav_etag(etag, sizeof(etag), ref.etag);
		MHD_add_response_header(d->r->resp, "ETag", etag);
		MHD_add_response_header(d->r->resp, "Last-Modified", lm);
	}
	return 0;
}

int dav_put(struct dav *d)
{
	struct req *r = d->r;
	const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	kith_card_put put = {.member = r->member, .href = d->card, .etag_want = etag_want(r)};
	kith_error err;
	int result;

	if (d->kind != DAV_CARD)
		return reply_error(r, 405, "method_not_allowed", "only cards can be written");
	if (type && strncasecmp(type, "text/vcard", 10) != 0 &&
	    strncasecmp(type, "text/x-vcard", 12) != 0 &&
	    strncasecmp(type, "text/directory", 14) != 0)
		return dav_error(d, 415, NS_CARD, "supported-address-data");
	/* New people are the team's, as from the API's default. */
	if (req_author(r, 0))
		return 0;
	if (kith_card_store(r->w->db, d->view, &put, r->body, r->len, &result, NULL, &err)) {
		if (err.code == KITH_EEXISTS || (err.code == KITH_ENOTFOUND && put.etag_want))
			return reply_error(r, 412, "precondition_failed", "%s", err.msg);
		if (err.code == KITH_EINVAL)
			return reply_error(r, 400, "invalid", "not a vCard kith can keep: %s", err.msg);
		return reply_kith(r, &err);
	}
	api_bump_epoch();  /* people and links changed: graphs refresh, as after the API */
	dav_book_touch(d);
	return reply_empty(r, result == KITH_CARD_UPDATED ? 204 : 201);
}

int dav_delete(struct dav *d)
{
	struct req *r = d->r;
	kith_card_put put = {.member = r->member, .href = d->card, .etag_want = etag_want(r)};
	kith_error err;

	if (d->kind != DAV_CARD)
		return reply_error(r, 403, "forbidden", "the address book itself stays");
	if (put.etag_want < 0)
		put.etag_want = put.etag_want == -2 ? -2 : 0;
	if (kith_card_remove(r->w->db, d->view, &put, &err)) {
		if (err.code == KITH_EEXISTS)
			return reply_error(r, 412, "precondition_failed", "%s", err.msg);
		return reply_kith(r, &err);
	}
	api_bump_epoch();
	dav_book_touch(d);
	return reply_empty(r, 204);
}
