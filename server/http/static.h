#ifndef KITH_SERVER_STATIC_H
#define KITH_SERVER_STATIC_H

#include "api.h"

/* Answers r (GET or HEAD, else 405) with a file of the web UI: from the
 * folder root, or the files compiled into kith when root is NULL.  "/"
 * and a path ending in "/" name its index.html; a path with a hidden
 * component or a backslash is 404.  200 with an ETag, or 304 when
 * If-None-Match names it.  Returns 0 (the reply is in r). */
int serve_static(struct req *r, const char *root);

#endif
