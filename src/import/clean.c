/*
 * Capture, the text of a record before it is stored.  The store refuses
 * text that is not UTF-8, control characters in names and one-line
 * fields, and fields over their cap (validate.c).  A contact file is not
 * typed by the person importing it, so here, as with charsets, what can
 * be converted is: the parsers have already made every field UTF-8
 * (kith__utf8_dup); a line break or tab in a name becomes a space, and
 * any other control character goes.  Text ends in NFC, the form the store
 * keeps, so a card exported in NFD (as macOS writes them) finds the
 * person and the org it names.  A record whose field is still too long is
 * rejected, with the field in the report.
 */
#include <string.h>

#include "session.h"
#include "kith/interaction.h"

/* NFC of s in place, for a string inside another's block: NFC is
 * shorter than what it composes, and an input it would lengthen stays
 * as it is (valid, only not matched as its NFC twin would be). */
static void nfc_in_place(char *s)
{
	gchar *n = g_utf8_normalize(s, -1, G_NORMALIZE_NFC);

	if (n && strlen(n) <= strlen(s))
		memcpy(s, n, strlen(n) + 1);
	g_free(n);
}

/* Strips control characters from *s in place (kind as kith__text_check;
 * in a name or one-line field a tab or line break becomes a space) and
 * puts it in NFC, replacing *s when own, else in place.  KITH_OK,
 * KITH_ENOMEM, or KITH_EINVAL when *s is not UTF-8 (for the check to
 * name). */
static int clean(char **s, int kind, int own)
{
	char *o;

	if (!*s)
		return KITH_OK;
	if (!g_utf8_validate(*s, -1, NULL))
		return KITH_EINVAL;
	o = *s;
	for (const char *p = *s; *p;) {
		const char *next = kith__utf8_next(p);
		gunichar c = g_utf8_get_char(p);
		int space = c == '\t' || c == '\n' || c == '\r';
		if (kind == KITH_TEXT_NOTE && space) {
			*o++ = *p;
		} else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
			if (space)
				*o++ = ' ';
		} else {
			memmove(o, p, (size_t)(next - p));
			o += next - p;
		}
		p = next;
	}
	*o = '\0';
	if (!own) {
		nfc_in_place(*s);
		return KITH_OK;
	}
	return kith__text_nfc(s);
}

struct cfield {
	const char *what;
	char **s;
	int kind;
};

/* Cleans then checks fields; *why gets the first reason to reject. */
static int clean_fields(const struct cfield *f, size_t n, kith_error *why)
{
	for (size_t i = 0; i < n; i++) {
		int rc = clean(f[i].s, f[i].kind, 1);
		if (rc == KITH_ENOMEM)
			return rc;
		rc = kith__text_check(f[i].what, *f[i].s, f[i].kind, why);
		if (rc)
			return rc;
	}
	return KITH_OK;
}

static int clean_list(const char *what, kith_strv *sv, kith_error *why)
{
	if (sv->n > KITH_LIST_MAX)
		return kith_error_set(why, KITH_EINVAL, "too many %ss (%zu; at most %d)",
		                      what, sv->n, KITH_LIST_MAX);
	for (size_t i = 0; i < sv->n; i++) {
		struct cfield f = {what, &sv->v[i], KITH_TEXT_LINE};
		int rc = clean_fields(&f, 1, why);
		if (rc)
			return rc;
	}
	return KITH_OK;
}

static int contact_fields(kith__contact *c, kith_error *why)
{
	const struct cfield f[] = {
		{"name", &c->display, KITH_TEXT_NAME},
		{"given name", &c->given, KITH_TEXT_NAME},
		{"family name", &c->family, KITH_TEXT_NAME},
		{"city", &c->city, KITH_TEXT_LINE},
		{"country", &c->country, KITH_TEXT_LINE},
		{"notes", &c->notes, KITH_TEXT_NOTE},
		{"since", &c->since, KITH_TEXT_LINE},
	};
	int rc = clean_fields(f, sizeof(f) / sizeof(f[0]), why);

	if (!rc)
		rc = clean_list("email", &c->emails, why);
	if (!rc)
		rc = clean_list("phone", &c->phones, why);
	if (!rc)
		rc = clean_list("tag", &c->tags, why);
	for (size_t i = 0; !rc && i < c->njobs; i++) {
		const struct cfield j[] = {
			{"organisation", &c->jobs[i].org, KITH_TEXT_NAME},
			{"title", &c->jobs[i].title, KITH_TEXT_LINE},
			{"start date", &c->jobs[i].from, KITH_TEXT_LINE},
			{"end date", &c->jobs[i].to, KITH_TEXT_LINE},
		};
		rc = clean_fields(j, sizeof(j) / sizeof(j[0]), why);
	}
	return rc;
}

/* Reports a record rejected for why. */
static int reject(kith__isess *s, int64_t line, const kith_error *why,
                  kith_error *err)
{
	gchar *m = g_strdup_printf("%s; record not imported", why->msg);
	int rc = kith__import_issue(s, line, KITH_ISSUE_REJECTED, m, err);

	g_free(m);
	return rc;
}

int kith__contact_text(kith__isess *s, kith__contact *c, int *rejected,
                       kith_error *err)
{
	kith_error why;
	int rc = contact_fields(c, &why);

	*rejected = rc == KITH_EINVAL;
	if (rc == KITH_ENOMEM)
		return kith_error_set(err, rc, "out of memory");
	if (!*rejected)
		return rc;
	s->rep->records--;  /* the issue counts it */
	return reject(s, c->line, &why, err);
}

int kith__event_text(kith__isess *s, kith__event *e, int *rejected,
                     kith_error *err)
{
	struct cfield f = {"subject", &e->notes, KITH_TEXT_NOTE};
	kith_error why;
	int rc = clean_fields(&f, 1, &why);

	/* A name the store would refuse is left out: the person is then
	 * named by their address, as when a message gives no name. */
	for (size_t i = 0; rc != KITH_ENOMEM && i < e->nparties; i++) {
		kith__party *pt = &e->parties[i];
		int r = clean(&pt->name, KITH_TEXT_NAME, !pt->packed);
		if (r == KITH_ENOMEM)
			rc = r;
		else if (pt->name && kith__text_check("name", pt->name, KITH_TEXT_NAME, NULL)) {
			if (!pt->packed)
				free(pt->name);
			pt->name = NULL;
		}
	}
	*rejected = rc == KITH_EINVAL;
	if (rc == KITH_ENOMEM)
		return kith_error_set(err, rc, "out of memory");
	return *rejected ? reject(s, e->line, &why, err) : rc;
}
