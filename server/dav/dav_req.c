/* The bottom of server/dav/: what a request is about, for every method
 * file: the target its URL names (dav_locate), the vCard version it asks
 * for (dav_version), and which properties it wants (dav_wanted). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>

#include "dav_impl.h"

int dav_locate(struct dav *d, const char *path)
{
	const char *p, *slash;
	size_t n;

	if (strcmp(path, "/dav") == 0 || strcmp(path, "/dav/") == 0) {
		d->kind = DAV_ROOT;
		return 0;
	}
	if (strncmp(path, "/dav/", 5) != 0)
		return -1;
	p = path + 5;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (n != strlen(d->seg) || strncasecmp(p, d->seg, n) != 0)
		return -1;  /* another member's tree: as if there were none */
	p += n;
	if (!*p || strcmp(p, "/") == 0) {
		d->kind = DAV_HOME;
		return 0;
	}
	if (strncmp(p, "/files", 6) == 0 && (!p[6] || p[6] == '/')) {
		p += p[6] ? 7 : 6;
		if (strlen(p) >= sizeof(d->file) || !kith_file_path_ok(p))
			return -1;
		snprintf(d->file, sizeof(d->file), "%s", p);
		d->kind = DAV_FILE;
		return 0;
	}
	if (strncmp(p, "/contacts", 9) != 0 || (p[9] && p[9] != '/'))
		return -1;
	p += 9;
	if (!*p || strcmp(p, "/") == 0) {
		d->kind = DAV_BOOK;
		return 0;
	}
	p++;
	if (strchr(p, '/') || strlen(p) > KITH_CARD_HREF_MAX || !kith_card_href_ok(p))
		return -1;
	snprintf(d->card, sizeof(d->card), "%s", p);
	d->kind = DAV_CARD;
	return 0;
}

int dav_version(struct dav *d, const xmlNode *ad)
{
	const char *accept = MHD_lookup_connection_value(d->r->conn, MHD_HEADER_KIND, "Accept");
	int v = 3;

	if (ad) {
		xmlChar *ver = xmlGetProp(ad, (const xmlChar *)"version");
		if (ver && strcmp((const char *)ver, "4.0") == 0)
			v = 4;
		x_free(ver);
		return v;
	}
	/* "text/vcard; version=4.0" first, or alone, asks for 4.0. */
	if (accept) {
		const char *v4 = strstr(accept, "version=4.0"), *v3 = strstr(accept, "version=3.0");
		if (v4 && (!v3 || v4 < v3))
			v = 4;
	}
	return v;
}

int dav_wanted(struct dav *d, const xmlNode *root, struct dprops *w)
{
	memset(w, 0, sizeof(*w));
	if (!root || x_child(root, NS_DAV, "allprop")) {
		w->all = 1;
		return 0;
	}
	if (x_child(root, NS_DAV, "propname")) {
		w->names = 1;
		return 0;
	}
	if (dprops_from(w, x_child(root, NS_DAV, "prop")))
		return reply_error(d->r, 500, "internal", "out of memory"), -1;
	/* Each is looked up for every card answered: a bound on the work. */
	if (w->n > DAV_MAX_PROPS) {
		reply_error(d->r, 400, "bad_request", "at most %d properties in one request"
		            " (this one: %zu)", DAV_MAX_PROPS, w->n);
		dprops_free(w);
		return -1;
	}
	return 0;
}
