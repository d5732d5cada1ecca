#ifndef KITH_SERVER_DAV_H
#define KITH_SERVER_DAV_H

/* CardDAV (RFC 6352 over WebDAV, RFC 4918): address books for phones and
 * mail clients, under /dav/ with discovery at /.well-known/carddav. */

#include "api.h"

/* Whether url belongs to the DAV tree. */
int dav_owns(const char *url);
/* Answers one DAV request (its own sign-in: HTTP Basic, the member's
 * token as the password).  Returns 0 after a reply. */
int dav_handle(struct req *r);

#endif
