/* CardDAV: not there yet; the tree answers 501 so clients say so. */
#include <string.h>

#include "dav.h"

int dav_owns(const char *url)
{
	return strncmp(url, "/dav/", 5) == 0 || strcmp(url, "/dav") == 0 ||
	       strncmp(url, "/.well-known/carddav", 20) == 0;
}

int dav_handle(struct req *r)
{
	return reply_error(r, 501, "not_implemented", "CardDAV is not available yet");
}
