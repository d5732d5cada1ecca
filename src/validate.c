/* Checks on what people type: emails, phones, tags. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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
