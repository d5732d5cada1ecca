/*
 * The web UI's files.  By default they are the ones compiled into kith
 * (web_files.h: generated from web/ at build time, so `kith serve` works
 * from any folder); with --web DIR they are read from DIR at each request,
 * for working on the UI without a rebuild.
 *
 * Either way an answer carries an ETag and "Cache-Control: no-cache": the
 * browser keeps the file and asks each time, and a request whose
 * If-None-Match names the ETag is answered 304 without the file.  An
 * embedded file's ETag is a hash of its bytes; a folder's file's is a hash
 * of its inode, size and modification time (as nginx and Apache do), so
 * answering one never reads it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "server.h"
#include "static.h"
#include "web_files.h"

static const char *mime_type(const char *p)
{
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
		{".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
		{".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
		{".webmanifest", "application/manifest+json"},
	};
	const char *dot = strrchr(p, '.');

	for (size_t i = 0; dot && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(dot, map[i][0]) == 0)
			return map[i][1];
	return "application/octet-stream";
}

/* Whether an If-None-Match header names etag ("*", or one of a list;
 * W/ is ignored, the comparison for GET being the weak one). */
static int etag_matches(const char *h, const char *etag)
{
	size_t n = strlen(etag);

	while (h && *h) {
		h += strspn(h, " \t,");
		if (*h == '*')
			return 1;
		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		if (strncmp(h, etag, n) == 0 && (h[n] == '\0' || h[n] == ',' || h[n] == ' ' ||
		                                 h[n] == '\t'))
			return 1;
		h = strchr(h, ',');
	}
	return 0;
}

/* The headers of every answer with a file, 200 or 304. */
static void file_headers(struct MHD_Response *resp, const char *name, const char *etag)
{
	MHD_add_response_header(resp, "Content-Type", mime_type(name));
	MHD_add_response_header(resp, "ETag", etag);
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'self'; img-src 'self' data:; style-src 'self';"
	                        " frame-ancestors 'none'");
}

/* 304 when the client has this version, else NULL. */
static struct MHD_Response *not_modified(struct req *r, const char *name, const char *etag)
{
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	struct MHD_Response *resp;

	if (!inm || !etag_matches(inm, etag))
		return NULL;
	if (!(resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)))
		return NULL;
	file_headers(resp, name, etag);
	r->status = 304;
	r->bytes = 0;
	return resp;
}

static const struct web_file *embedded(const char *path)
{
	size_t lo = 0, hi = http_web_nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, http_web_files[mid].path);
		if (c == 0)
			return &http_web_files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int serve_embedded(struct req *r, const char *path)
{
	const struct web_file *f = embedded(path);

	if (!f)
		return reply_error(r, 404, "not_found", "no such page");
	if ((r->resp = not_modified(r, f->path, f->etag)))
		return 0;
	r->resp = MHD_create_response_from_buffer(f->size, (void *)f->data,
	                                          MHD_RESPMEM_PERSISTENT);
	if (!r->resp)
		return reply_error(r, 500, "internal", "out of memory");
	r->status = 200;
	r->bytes = f->size;
	file_headers(r->resp, f->path, f->etag);
	return 0;
}

static int serve_folder(struct req *r, const char *root, const char *path)
{
	char file[1024], etag[24];
	struct stat sb;
	uint64_t h = 1469598103934665603ull;
	int64_t key[4];
	int fd;

	snprintf(file, sizeof(file), "%s%s", root, path);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return reply_error(r, 404, "not_found", "no such page");
	}
	key[0] = (int64_t)sb.st_ino;
	key[1] = (int64_t)sb.st_size;
	key[2] = (int64_t)sb.st_mtim.tv_sec;
	key[3] = (int64_t)sb.st_mtim.tv_nsec;
	for (size_t i = 0; i < sizeof(key); i++)
		h = (h ^ ((const unsigned char *)key)[i]) * 1099511628211ull;
	snprintf(etag, sizeof(etag), "\"%016llx\"", (unsigned long long)h);
	if ((r->resp = not_modified(r, file, etag))) {
		close(fd);
		return 0;
	}
	r->resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
	if (!r->resp) {
		close(fd);
		return reply_error(r, 500, "internal", "out of memory");
	}
	r->status = 200;
	r->bytes = (size_t)sb.st_size;
	file_headers(r->resp, file, etag);
	return 0;
}

int serve_static(struct req *r, const char *root)
{
	char path[256];
	const char *u = r->url;

	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return reply_error(r, 405, "method_not_allowed", "%s is not allowed on %s",
		                   r->method, u);
	/* Only plain names: no way out of root, no hidden files. */
	if (u[0] != '/' || strstr(u, "/.") || strchr(u, '\\') || strlen(u) > 200)
		return reply_error(r, 404, "not_found", "no such page");
	snprintf(path, sizeof(path), "%s%s", u, u[strlen(u) - 1] == '/' ? "index.html" : "");
	return root ? serve_folder(r, root, path) : serve_embedded(r, path);
}

size_t kith_serve_embedded(size_t *bytes)
{
	size_t total = 0;

	for (size_t i = 0; i < http_web_nfiles; i++)
		total += http_web_files[i].size;
	if (bytes)
		*bytes = total;
	return http_web_nfiles;
}
