/*
 * CardDAV (RFC 6352 over WebDAV, RFC 4918; sync per RFC 6578): each
 * member's people as an address book that phones and mail clients keep
 * in sync.  This file signs the caller in, maps the URL to a target and
 * calls the method; see dav_impl.h for the tree and the other files.
 *
 * Clients send HTTP Basic credentials, not bearer tokens, and most cannot
 * be told otherwise: the password is a member token (the user name is not
 * checked; the member's name is the natural one to type).  Every read goes
 * through the member's viewer handle, so the address book holds exactly
 * the people the API shows them; writes go through the thread's
 * read-write handle, stamped with the member as author.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include <libxml/parser.h>

#include "dav_impl.h"
#include "worker.h"

int dav_owns(const char *url)
{
	return strncmp(url, "/dav/", 5) == 0 || strcmp(url, "/dav") == 0 ||
	       strncmp(url, "/.well-known/carddav", 20) == 0;
}

static const char allow[] =
	"OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT, MKCOL, COPY, MOVE";

static void dav_headers(struct req *r)
{
	if (!r->resp)
		return;
	MHD_add_response_header(r->resp, "DAV", "1, 3, addressbook");
	MHD_add_response_header(r->resp, "Allow", allow);
}

/* The member's URL segment: their name when it needs no escaping (what a
 * user would type), else their id. */
static int member_seg(struct dav *d, kith_error *err)
{
	kith_member m = {0};
	int safe;

	if (kith_member_get(d->r->w->db, d->r->member, &m, err))
		return -1;
	safe = strspn(m.name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	              "0123456789-_.") == strlen(m.name);
	if (safe && strlen(m.name) < sizeof(d->seg) && strspn(m.name, "0123456789") != strlen(m.name))
		snprintf(d->seg, sizeof(d->seg), "%s", m.name);
	else
		snprintf(d->seg, sizeof(d->seg), "%lld", (long long)m.id);
	kith_member_clear(&m);
	return 0;
}

/* The one sign-in of the server (req_sign_in), with HTTP Basic; then the
 * member's tree.  -1 after a reply. */
static int sign_in(struct dav *d)
{
	kith_error err;

	if (req_sign_in(d->r, 1))
		return -1;
	d->view = d->r->view->db;
	if (member_seg(d, &err))
		return reply_kith(d->r, &err), -1;
	return 0;
}



static int well_known(struct req *r)
{
	char *body = strdup("see /dav/\n");

	if (!body)
		return reply_error(r, 500, "internal", "out of memory");
	reply_raw(r, 301, "text/plain", body, strlen(body));
	if (r->resp)
		MHD_add_response_header(r->resp, "Location", "/dav/");
	return 0;
}

static int options(struct req *r)
{
	char *body = strdup("");

	if (!body)
		return reply_error(r, 500, "internal", "out of memory");
	reply_raw(r, 200, "text/plain", body, 0);
	dav_headers(r);
	return 0;
}

static int run(struct dav *d)
{
	const char *m = d->r->method;

	/* Only these carry XML; a PUT carries a vCard. */
	if ((strcmp(m, "PROPFIND") == 0 || strcmp(m, "REPORT") == 0 ||
	     strcmp(m, "PROPPATCH") == 0) && dav_parse_body(d))
		return 0;
	if (d->kind == DAV_FILE)
		return dav_files(d);
	if (strcmp(m, "PROPFIND") == 0)
		return dav_propfind(d);
	if (strcmp(m, "REPORT") == 0)
		return dav_report(d);
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return dav_get(d);
	if (strcmp(m, "PUT") == 0)
		return dav_put(d);
	if (strcmp(m, "DELETE") == 0)
		return dav_delete(d);
	if (strcmp(m, "PROPPATCH") == 0)
		return dav_proppatch(d);
	if (strcmp(m, "MKCOL") == 0 || strcmp(m, "MKCALENDAR") == 0 ||
	    strcmp(m, "COPY") == 0 || strcmp(m, "MOVE") == 0)
		return reply_error(d->r, 403, "forbidden", "each member has one address book,"
		                   " kept by kith (collections go in /dav/%s/files/)", d->seg);
	return reply_error(d->r, 405, "method_not_allowed", "%s is not allowed on %s",
	                   m, d->r->url);
}

int dav_handle(struct req *r)
{
	struct dav d = {.r = r};
	char *path;

	d.started = dav_elapsed(&d);  /* from 0: the clock now */
	if (strncmp(r->url, "/.well-known/carddav", 20) == 0)
		return well_known(r);
	if (strcmp(r->method, "OPTIONS") == 0)
		return options(r);
	if (sign_in(&d))
		return 0;
	if (!(path = strdup(r->url)))
		return reply_error(r, 500, "internal", "out of memory");
	if (dav_locate(&d, path))
		reply_error(r, 404, "not_found", "nothing at %s", r->url);
	else
		run(&d);
	free(path);
	xmlFreeDoc(d.doc);
	dav_book_done(&d);
	dav_headers(r);
	return 0;
}
