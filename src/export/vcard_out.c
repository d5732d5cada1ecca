/*
 * vCard 4.0 writer (RFC 6350).  Written by hand for the same reason the
 * reader is (src/import/vcard.c): no C library in Debian writes 4.0.
 * What it must get right is small: escaping, folding at 75 octets without
 * splitting a UTF-8 character, CRLF line ends.
 *
 * Mapping: FN, N (family;given), EMAIL (first PREF=1), TEL as text, ADR
 * with city and country, ORG/TITLE for the current job, X-KITH-JOB for
 * every job with its dates (kith import reads these back), CATEGORIES
 * for tags, NOTE, UID.
 */
#include <string.h>
#include <glib.h>

#include "export_impl.h"
#include "base/vcard_text.h"
#include "kith/person.h"
#include "kith/org.h"

/* A line is built in a GString, then folded as it is written. */
struct vline {
	GString *g;
};

static void add_raw(struct vline *l, const char *s)
{
	g_string_append(l->g, s);
}

static void add_esc(struct vline *l, const char *s)
{
	kith__vcard_esc(l->g, s);
}

/* Folds the line into the card, which is written out whole. */
static void emit(GString *out, struct vline *l)
{
	kith__vcard_fold(out, l->g->str, l->g->len);
	g_string_truncate(l->g, 0);
}

static void prop(GString *out, const char *name, const char *value)
{
	struct vline l;

	if (!value || !*value)
		return;
	l.g = g_string_new(name);
	add_raw(&l, ":");
	add_esc(&l, value);
	emit(out, &l);
	g_string_free(l.g, TRUE);
}

int kith__vcard_write(FILE *out, const kith__xperson *x)
{
	const kith_person *p = x->p;
	struct vline l = {g_string_new("")};
	GString *c = g_string_new("BEGIN:VCARD\r\nVERSION:4.0\r\n");
	prop(c, "UID", x->uid);
	prop(c, "FN", p->display_name);
	if (p->given_name || p->family_name) {
		add_raw(&l, "N:");
		add_esc(&l, p->family_name);
		add_raw(&l, ";");
		add_esc(&l, p->given_name);
		add_raw(&l, ";;;");
		emit(c, &l);
	}
	for (size_t i = 0; i < p->emails.n; i++)
		prop(c, i == 0 && p->emails.n > 1 ? "EMAIL;PREF=1" : "EMAIL", p->emails.v[i]);
	for (size_t i = 0; i < p->phones.n; i++)
		prop(c, "TEL;VALUE=text", p->phones.v[i]);
	if (p->city || p->country) {
		add_raw(&l, "ADR:;;;");
		add_esc(&l, p->city);
		add_raw(&l, ";;;");
		add_esc(&l, p->country);
		emit(c, &l);
	}
	if (x->njobs && !x->jobs[0].to) {
		prop(c, "ORG", x->jobs[0].org_name);
		prop(c, "TITLE", x->jobs[0].title);
	}
	for (size_t i = 0; i < x->njobs; i++) {
		const kith_job *j = &x->jobs[i];
		add_raw(&l, "X-KITH-JOB:");
		add_esc(&l, j->org_name);
		add_raw(&l, ";");
		add_esc(&l, j->title);
		add_raw(&l, ";");
		add_esc(&l, j->from);
		add_raw(&l, ";");
		add_esc(&l, j->to);
		emit(c, &l);
	}
	if (p->tags.n) {
		add_raw(&l, "CATEGORIES:");
		for (size_t i = 0; i < p->tags.n; i++) {
			if (i)
				add_raw(&l, ",");
			add_esc(&l, p->tags.v[i]);
		}
		emit(c, &l);
	}
	prop(c, "NOTE", p->notes);
	g_string_append(c, "END:VCARD\r\n");
	fwrite(c->str, 1, c->len, out);
	g_string_free(c, TRUE);
	g_string_free(l.g, TRUE);
	return ferror(out) ? KITH_EIO : KITH_OK;
}

static int card(void *ctx, const kith__xperson *x, kith_error *err)
{
	if (kith__vcard_write(ctx, x))
		return kith_error_set(err, KITH_EIO, "write error");
	return KITH_OK;
}

int kith__export_vcard(kith_db *db, FILE *out, kith_error *err)
{
	return kith__export_people(db, card, out, err);
}
