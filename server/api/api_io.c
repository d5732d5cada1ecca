/* /api/v1/import and /api/v1/export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "worker.h"

/* A file of IMPORT_BATCH_BYTES or more commits a batch after each
 * IMPORT_BATCH_MS of work, and the writers waiting go in between
 * (kith_import_opts.batch_ms).  A smaller one stays one transaction, all
 * of it or nothing, and holds the others for at most about half a second
 * (docs/capture.md). */
#define IMPORT_BATCH_MS 50
#define IMPORT_BATCH_BYTES (2u << 20)

static int expired(void *ctx)
{
	return req_expired(ctx) != 0;
}

/* The body is the file itself, as uploaded (up to the route's limit).
 * The route takes the write lock itself (server.c): a dry run reads a
 * copy and takes none; a real import holds it by batches. */
int api_import(struct req *r)
{
	kith_import_opts o = {0};
	kith_import_report rep = {0};
	const char *fmt = q_arg(r, "format");
	long dry, priv;
	kith_error err;
	int rc;

	if (q_int(r, "dry_run", 0, 1, 0, &dry) || q_int(r, "private", 0, 1, 0, &priv))
		return 0;
	if (!r->body || !r->len)
		return reply_error(r, 400, "invalid", "send the file to import as the request body");
	if (fmt && (o.format = kith_import_format_parse(fmt)) < 0)
		return reply_error(r, 400, "invalid",
		                   "unknown format '%.40s' (vcard, csv, mbox, ics or auto)", fmt);
	o.dry_run = (int)dry;
	o.csv_map = q_arg(r, "map");
	if (r->len >= IMPORT_BATCH_BYTES) {
		o.batch_ms = IMPORT_BATCH_MS;
		o.yield = api_write_yield;
	}
	o.cancelled = expired;  /* a dry run's copy: past budget, stop, client gone */
	o.cancel_ctx = r;
	/* The author is of this thread's own handle: no lock needed to set it. */
	if (req_author(r, (int)priv))
		return 0;
	if (!dry && api_write_lock(r))  /* on_request answers 503 with the reason */
		return reply_error(r, 503, "busy", "waiting to write");
	rc = kith_import_buffer(r->w->db, r->body, r->len, &o, &rep, &err);
	if (!dry)
		api_write_unlock();
	if (rc)
		reply_kith(r, &err);
	else
		reply_json(r, dry ? 200 : 201, kith_import_report_json(&rep));
	if (!rc && !dry)
		api_bump_epoch();
	kith_import_report_clear(&rep);
	return 0;
}

int api_export(struct req *r)
{
	static const char *const types[] = {
		[KITH_EXPORT_VCARD] = "text/vcard; charset=utf-8",
		[KITH_EXPORT_CSV] = "text/csv; charset=utf-8",
		[KITH_EXPORT_JSON] = "application/json",
		[KITH_EXPORT_GRAPHML] = "application/graphml+xml",
		[KITH_EXPORT_DOT] = "text/vnd.graphviz",
	};
	const char *name = q_arg(r, "format");
	int fmt = kith_export_format_parse(name ? name : "json");
	char *buf = NULL;
	size_t len = 0;
	kith_error err;
	FILE *f;

	if (fmt < 0)
		return reply_error(r, 400, "invalid",
		                   "unknown format '%.40s' (vcard, csv, json, graphml or dot)", name);
	if (!(f = open_memstream(&buf, &len)))
		return reply_error(r, 503, "no_memory", "out of memory");
	/* The caller's view: another member's private records are not there. */
	int rc = kith_export(r->view->db, fmt, f, &err);
	if (fclose(f) && !rc)
		rc = kith_error_set(&err, KITH_ENOMEM, "out of memory");
	if (rc) {
		free(buf);
		return reply_kith(r, &err);
	}
	return reply_raw(r, 200, types[fmt], buf, len);
}
