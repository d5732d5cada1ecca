/*
 * Checks on what people type: emails, phones, tags, and the text of every
 * record.  Every write of the store calls one record check first
 * (kith__person_check, ...), so the CLI, the API, CardDAV and imports all
 * meet the same rules: text is UTF-8 in NFC, a name or a one-line field
 * holds no control character, and every field has a length cap.  What is
 * stored is then always fit for JSON, XML and a terminal.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "internal.h"
#include "kith/person.h"
#include "kith/org.h"
#include "kith/member.h"
#include "kith/link.h"
#include "kith/interaction.h"

static int local_char_ok(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || strchr("!#$%&'*+/=?^_`{|}~.-", c);
}

static int domain_ok(const char *d)
{
	int labels = 0, all_digits_tld = 1;
	const char *label = d;

	for (const char *p = d;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t len = (size_t)(p - label);
			if (len == 0 || len > 63 || label[0] == '-' || p[-1] == '-')
				return 0;
			labels++;
			all_digits_tld = 1;
			for (const char *q = label; q < p; q++)
				if (!isdigit((unsigned char)*q))
					all_digits_tld = 0;
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' && (unsigned char)*p < 0x80)
			return 0;
	}
	return labels >= 2 && !all_digits_tld;
}

int kith__email_fix(char *s)
{
	size_t len = strlen(s);
	char *at = strchr(s, '@');

	if (len > 254 || !at || at == s || strchr(at + 1, '@') || at - s > 64 ||
	    s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return 0;
	for (char *p = s; p < at; p++)
		if (!local_char_ok((unsigned char)*p))
			return 0;
	if (!domain_ok(at + 1))
		return 0;
	for (char *p = at + 1; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return 1;
}

int kith_email_normalize(const char *in, char **out, kith_error *err)
{
	char *s;

	*out = NULL;
	s = kith__trim_dup(in, NULL);
	if (!s)
		return kith_error_set(err, KITH_EINVAL, "empty email address");
	if (!kith__email_fix(s)) {
		kith_error_set(err, KITH_EINVAL, "'%s' is not a valid email address", in);
		free(s);
		return KITH_EINVAL;
	}
	*out = s;
	return KITH_OK;
}

void kith_phone_digits(const char *in, char *out, size_t outsz)
{
	size_t n = 0;
	const char *p = in;

	if (outsz == 0)
		return;
	while (*p && isspace((unsigned char)*p))
		p++;
	if (*p == '+' && n + 1 < outsz)
		out[n++] = '+';
	for (; *p && n + 1 < outsz; p++)
		if (isdigit((unsigned char)*p))
			out[n++] = *p;
	out[n] = '\0';
}

int kith_phone_check(const char *in, kith_error *err)
{
	int ndigits = 0;
	const char *p = in;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (*p == '+')
		p++;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			ndigits++;
		else if (!strchr(" .-()/", *p))
			return kith_error_set(err, KITH_EINVAL,
				"'%s' is not a phone number (digits, spaces, + . - ( ) only)", in);
	}
	if (ndigits < 4 || ndigits > 20)
		return kith_error_set(err, KITH_EINVAL,
			"'%s' is not a phone number (4 to 20 digits)", in);
	return KITH_OK;
}

int kith_tag_normalize(const char *in, char **out, kith_error *err)
{
	char *s = kith__trim_dup(in, NULL);

	*out = NULL;
	if (!s || strlen(s) > 64)
		goto bad;
	for (char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) || c >= 0x80 || strchr("-_.+#/:&", c))
			*p = (char)tolower(c);
		else
			goto bad;
	}
	*out = s;
	return KITH_OK;
bad:
	kith_error_set(err, KITH_EINVAL,
		"'%s' is not a tag (one word of up to 64 letters, digits or -_.+#/:&)",
		in ? in : "");
	free(s);
	return KITH_EINVAL;
}

/* --- the text of records --- */

static const char *const text_kind_word[] = {"name", "one-line field", "text"};

static size_t text_max(int kind)
{
	return kind == KITH_TEXT_NAME ? KITH_NAME_MAX :
	       kind == KITH_TEXT_LINE ? KITH_LINE_MAX : KITH_NOTE_MAX;
}

/* C0 (less tab and line breaks in text), DEL and C1: what a terminal
 * obeys instead of printing. */
static int control_char(gunichar c, int kind)
{
	if (kind == KITH_TEXT_NOTE && (c == '\t' || c == '\n' || c == '\r'))
		return 0;
	return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

int kith__text_check(const char *what, const char *s, int kind, kith_error *err)
{
	size_t len;

	if (!s)
		return KITH_OK;
	len = strlen(s);
	if (len > text_max(kind))
		return kith_error_set(err, KITH_EINVAL, "%s is too long (%zu bytes; a %s "
		                      "holds at most %zu)", what, len, text_kind_word[kind],
		                      text_max(kind));
	if (!kith__utf8_valid(s, len))
		return kith_error_set(err, KITH_EINVAL, "%s is not valid UTF-8", what);
	for (const char *p = s; *p; p = kith__utf8_next(p)) {
		/* A control character is one byte, or two from 0xC2 (C1). */
		unsigned char b = (unsigned char)p[0];
		unsigned c = b < 0x80 ? b : b == 0xc2 ? 0x80u | ((unsigned char)p[1] & 0x3fu) : 0xa0u;
		if (control_char(c, kind))
			return kith_error_set(err, KITH_EINVAL,
			                      "%s has a control character (U+%04X)", what, c);
	}
	return KITH_OK;
}

int kith__text_nfc(char **s)
{
	gchar *n;

	if (!*s)
		return KITH_OK;
	for (const unsigned char *p = (const unsigned char *)*s; *p < 0x80; p++)
		if (!*p)
			return KITH_OK;  /* ASCII is its own NFC */
	n = g_utf8_normalize(*s, -1, G_NORMALIZE_NFC);
	if (!n)
		return KITH_EINVAL;  /* not UTF-8: the check says so */
	if (strcmp(n, *s) != 0) {
		char *copy = strdup(n);
		if (!copy) {
			g_free(n);
			return KITH_ENOMEM;
		}
		free(*s);
		*s = copy;
	}
	g_free(n);
	return KITH_OK;
}

/* One field of a record: its name in messages, where it is, its kind. */
struct field {
	const char *what;
	char **s;
	int kind;
};

/* Checks fields, then puts them in NFC, so "Zoë" typed on two systems is
 * stored as one string. */
static int check_fields(const struct field *f, size_t n, kith_error *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc = kith__text_check(f[i].what, *f[i].s, f[i].kind, err);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < n; i++)
		if (kith__text_nfc(f[i].s))
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return KITH_OK;
}

static int check_list(const char *what, kith_strv *sv, kith_error *err)
{
	if (sv->n > KITH_LIST_MAX)
		return kith_error_set(err, KITH_EINVAL, "too many %ss (%zu; at most %d)",
		                      what, sv->n, KITH_LIST_MAX);
	for (size_t i = 0; i < sv->n; i++) {
		int rc = kith__text_check(what, sv->v[i], KITH_TEXT_LINE, err);
		if (rc)
			return rc;
		if (kith__text_nfc(&sv->v[i]))
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	return KITH_OK;
}

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))

int kith__person_check(kith_person *p, kith_error *err)
{
	const struct field f[] = {
		{"name", &p->display_name, KITH_TEXT_NAME},
		{"given name", &p->given_name, KITH_TEXT_NAME},
		{"family name", &p->family_name, KITH_TEXT_NAME},
		{"city", &p->city, KITH_TEXT_LINE},
		{"country", &p->country, KITH_TEXT_LINE},
		{"notes", &p->notes, KITH_TEXT_NOTE},
	};
	int rc = check_fields(f, NFIELDS(f), err);

	if (!rc)
		rc = check_list("email", &p->emails, err);
	if (!rc)
		rc = check_list("phone", &p->phones, err);
	if (!rc)
		rc = check_list("tag", &p->tags, err);
	return rc;
}

int kith__org_check(kith_org *o, kith_error *err)
{
	const struct field f[] = {
		{"name", &o->name, KITH_TEXT_NAME},
		{"domain", &o->domain, KITH_TEXT_LINE},
		{"city", &o->city, KITH_TEXT_LINE},
		{"country", &o->country, KITH_TEXT_LINE},
		{"notes", &o->notes, KITH_TEXT_NOTE},
	};

	return check_fields(f, NFIELDS(f), err);
}

int kith__job_check(kith_job *j, kith_error *err)
{
	const struct field f[] = {
		{"title", &j->title, KITH_TEXT_LINE},
		{"start date", &j->from, KITH_TEXT_LINE},
		{"end date", &j->to, KITH_TEXT_LINE},
	};

	return check_fields(f, NFIELDS(f), err);
}

int kith__link_check(const kith_link *l, kith_error *err)
{
	int rc = kith__text_check("kind", l->kind, KITH_TEXT_NAME, err);

	if (!rc)
		rc = kith__text_check("since", l->since, KITH_TEXT_LINE, err);
	if (!rc)
		rc = kith__text_check("notes", l->notes, KITH_TEXT_NOTE, err);
	return rc;
}

int kith__interaction_check(kith_interaction *it, kith_error *err)
{
	const struct field f[] = {
		{"kind", &it->kind, KITH_TEXT_NAME},
		{"notes", &it->notes, KITH_TEXT_NOTE},
	};

	return check_fields(f, NFIELDS(f), err);
}

int kith__note_check(kith_note *n, kith_error *err)
{
	const struct field f[] = {{"note", &n->body, KITH_TEXT_NOTE}};

	return check_fields(f, NFIELDS(f), err);
}

int kith__kind_check(const kith_kind *k, kith_error *err)
{
	int rc = kith__text_check("kind", k->name, KITH_TEXT_NAME, err);

	return rc ? rc : kith__text_check("description", k->description,
	                                  KITH_TEXT_LINE, err);
}
