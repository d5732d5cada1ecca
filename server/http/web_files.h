#ifndef KITH_SERVER_WEB_FILES_H
#define KITH_SERVER_WEB_FILES_H

/* The web UI compiled into kith: BUILD/gen/web_files.c, which the
 * Makefile generates from the files under web/ (scripts/web_embed.c). */

#include <stddef.h>

struct web_file {
	const char *path;            /* URL path: "/index.html", "/js/app.js" */
	const unsigned char *data;   /* size bytes, static */
	size_t size;
	const char *etag;            /* "\"<16 hex>\"": a hash of the bytes */
};

/* Sorted by path; http_web_nfiles entries, then one of NULLs. */
extern const struct web_file http_web_files[];
extern const size_t http_web_nfiles;

#endif
