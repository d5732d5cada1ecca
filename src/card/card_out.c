/*
 * A person as the vCard an address book serves: 3.0 (RFC 2426), which
 * every client reads, or 4.0 (RFC 6350) when asked.  Not the export's
 * writer (src/export/vcard_out.c): that one writes 4.0 only, to a FILE,
 * for a whole network, and knows nothing of the lines a client sent.
 *
 * What kith keeps as fields is written from the store, so an edit in kith
 * shows; what a client sent that kith has no field for (card_extra) is
 * written back as it came.  An EMAIL, TEL or ADR line the client sent is
 * written back as it was (with its TYPE, PREF and group label) when kith
 * still has its value, so a phone keeps "work" and "mobile".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <glib.h>

#include "card_impl.h"
#include "kith/import.h"
#include "kith/person.h"
#include "kith/org.h"





static void prop(GString *out, GString *l, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	g_string_assign(l, name);
	g_string_append_c(l, ':');
	kith__vcard_esc(l, value);
	kith__vcard_fold(out, l->str, l->len);
}


/* Index of the extra line of property name whose value is the same
 * email (or phone, by key) as v; -1 when none. */
static long extra_match(const kith__lines *x, const char *name, const char *v)
{
	int phone = strcmp(name, "TEL") == 0;
	char key[64], k2[64];

	if (phone)
		kith_phone_key(v, key, sizeof(key));
	for (size_t i = 0; i < x->n; i++) {
		if (strcmp(x->name[i], name) != 0)
			continue;
		const char *val = kith_card_value(x->line[i], x->len[i]);
		size_t vn = x->len[i] - (size_t)(val - x->line[i]);
		char buf[320];
		if (vn >= sizeof(buf))
			continue;
		memcpy(buf, val, vn);
		buf[vn] = '\0';
		const char *b = buf;
		if (!phone) {
			if (strncasecmp(b, "mailto:", 7) == 0)
				b += 7;
			if (strcasecmp(b, v) == 0)
				return (long)i;
		} else {
			if (strncasecmp(b, "tel:", 4) == 0)
				b += 4;
			kith_phone_key(b, k2, sizeof(k2));
			if (k2[0] && strcmp(k2, key) == 0)
				return (long)i;
		}
	}
	return -1;
}

/* A stored ADR with kith's city (component 3) and country (6) put in,
 * so an edit in kith shows while the street stays. */
static void adr_line(GString *out, GString *l, const char *line, size_t n,
                     const kith_person *p)
{
	const char *v = kith_card_value(line, n);
	size_t head = (size_t)(v - line), comp = 0;

	g_string_truncate(l, 0);
	g_string_append_len(l, line, (gssize)head);
	for (size_t i = head; i <= n; i++) {
		int end = i == n || (line[i] == ';' && line[i - 1] != '\\');
		if (!end)
			continue;
		if (comp == 3)
			kith__vcard_esc(l, p->city);
		else if (comp == 6)
			kith__vcard_esc(l, p->country);
		else
			g_string_append_len(l, line + head, (gssize)(i - head));
		if (i < n)
			g_string_append_c(l, ';');
		head = i + 1;
		comp++;
	}
	kith__vcard_fold(out, l->str, l->len);
}




static int has_extra(const kith__lines *x, const char *name)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->name[i], name) == 0)
			return 1;
	return 0;
}

/* The note, less the "Birthday: ..." lines capture added from a BDAY the
 * card still carries (it would come back doubled otherwise). */
static void note_prop(GString *out, GString *l, const char *notes, int bday)
{
	GString *n;

	if (!notes || !*notes)
		return;
	if (!bday) {
		prop(out, l, "NOTE", notes);
		return;
	}
	n = g_string_new("");
	for (const char *s = notes; *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (strncmp(s, "Birthday: ", 10) != 0) {
			if (n->len)
				g_string_append_c(n, '\n');
			g_string_append_len(n, s, (gssize)len);
		}
		s += len + (e != NULL);
	}
	prop(out, l, "NOTE", n->str);
	g_string_free(n, TRUE);
}

/* Writes the body of the card into out, with rel, the relationship
 * lines, before the kept ones.  KITH_ENOMEM or KITH_OK. */
static int write_card(GString *out, const kith_person *p, const kith_job *jobs,
                      size_t njobs, const kith__lines *x, const GString *rel, int v4,
                      const char *uid)
{
	GString *l = g_string_new("");
	char *used = x->n ? calloc(x->n, 1) : NULL;
	char rev[32];
	struct tm tm;
	time_t t = (time_t)p->updated;

	if (x->n && !used) {
		g_string_free(l, TRUE);
		return KITH_ENOMEM;
	}
	g_string_append(out, v4 ? "BEGIN:VCARD\r\nVERSION:4.0\r\n"
	                        : "BEGIN:VCARD\r\nVERSION:3.0\r\n");
	g_string_append(out, "PRODID:-//kith//kith//EN\r\n");
	if (!has_extra(x, "UID"))
		prop(out, l, "UID", uid);
	prop(out, l, "FN", p->display_name);
	g_string_assign(l, "N:");
	kith__vcard_esc(l, p->family_name);
	g_string_append_c(l, ';');
	kith__vcard_esc(l, p->given_name);
	g_string_append(l, ";;;");
	kith__vcard_fold(out, l->str, l->len);
	for (size_t i = 0; i < p->emails.n; i++) {
		long k = extra_match(x, "EMAIL", p->emails.v[i]);
		if (k >= 0 && used && !used[k]) {
			used[k] = 1;
			kith__vcard_fold(out, x->line[k], x->len[k]);
		} else if (v4) {
			prop(out, l, i == 0 && p->emails.n > 1 ? "EMAIL;PREF=1" : "EMAIL",
			     p->emails.v[i]);
		} else {
			prop(out, l, i == 0 && p->emails.n > 1 ? "EMAIL;TYPE=INTERNET,PREF"
			                                       : "EMAIL;TYPE=INTERNET",
			     p->emails.v[i]);
		}
	}
	for (size_t i = 0; i < p->phones.n; i++) {
		long k = extra_match(x, "TEL", p->phones.v[i]);
		if (k >= 0 && used && !used[k]) {
			used[k] = 1;
			kith__vcard_fold(out, x->line[k], x->len[k]);
		} else {
			prop(out, l, v4 ? "TEL;VALUE=text" : "TEL", p->phones.v[i]);
		}
	}
	int adr = 0;
	for (size_t i = 0; i < x->n; i++) {
		if (strcmp(x->name[i], "ADR") != 0)
			continue;
		used[i] = 1;
		if (adr++ == 0)
			adr_line(out, l, x->line[i], x->len[i], p);
		else
			kith__vcard_fold(out, x->line[i], x->len[i]);
	}
	if (!adr && (p->city || p->country)) {
		g_string_assign(l, "ADR:;;;");
		kith__vcard_esc(l, p->city);
		g_string_append(l, ";;;");
		kith__vcard_esc(l, p->country);
		kith__vcard_fold(out, l->str, l->len);
	}
	if (njobs && !jobs[0].to) {
		g_string_assign(l, "ORG:");
		kith__vcard_esc(l, jobs[0].org_name);
		kith__vcard_fold(out, l->str, l->len);
		prop(out, l, "TITLE", jobs[0].title);
	}
	if (p->tags.n) {
		g_string_assign(l, "CATEGORIES:");
		for (size_t i = 0; i < p->tags.n; i++) {
			if (i)
				g_string_append_c(l, ',');
			kith__vcard_esc(l, p->tags.v[i]);
		}
		kith__vcard_fold(out, l->str, l->len);
	}
	note_prop(out, l, p->notes, has_extra(x, "BDAY"));
	g_string_append_len(out, rel->str, (gssize)rel->len);
	for (size_t i = 0; i < x->n; i++) {
		/* Lines for kith's fields whose value kith no longer has go. */
		if (used[i] || strcmp(x->name[i], "EMAIL") == 0 || strcmp(x->name[i], "TEL") == 0)
			continue;
		kith__vcard_fold(out, x->line[i], x->len[i]);
	}
	gmtime_r(&t, &tm);
	strftime(rev, sizeof(rev), "REV:%Y%m%dT%H%M%SZ\r\n", &tm);
	g_string_append(out, rev);
	g_string_append(out, "END:VCARD\r\n");
	free(used);
	g_string_free(l, TRUE);
	return KITH_OK;
}

int kith_card_render(kith_db *db, kith_id person, int version, char **out,
                     size_t *len, kith_error *err)
{
	kith_person *p = NULL;
	kith_job *jobs = NULL;
	size_t njobs = 0;
	kith__lines x = {0};
	GString *rel = g_string_new("");
	char uid[128];
	int rc;

	*out = NULL;
	*len = 0;
	rc = kith_person_get(db, person, &p, err);
	if (!rc)
		rc = kith_job_list(db, person, &jobs, &njobs, err);
	if (!rc)
		rc = kith__card_extra_load(db, person, &x, err);
	if (!rc)
		rc = kith__card_links_write(db, person, version, &x, rel, err);
	if (!rc) {
		GString *g = g_string_sized_new(512);
		kith__card_uid(db, p->id, p->created, uid, sizeof(uid));
		/* The caller frees with free(): copy out of GLib's allocator. */
		if (!write_card(g, p, jobs, njobs, &x, rel, version == 4, uid) &&
		    (*out = malloc(g->len + 1))) {
			memcpy(*out, g->str, g->len + 1);
			*len = g->len;
		} else {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		g_string_free(g, TRUE);
	}
	kith__lines_free(&x);
	g_string_free(rel, TRUE);
	kith_job_list_free(jobs, njobs);
	kith_person_free(p);
	return rc;
}
