/* Parsing and formatting of the dates people type (see kith/date.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "kith/date.h"

int kith__month_days(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mdays[m - 1] + (m == 2 && leap);
}

int kith_date_valid(int y, int m, int d)
{
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= kith__month_days(y, m);
}

/* Reads exactly n digits at *p into *v, advancing *p. */
static int digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return 0;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 1;
}

/* Parses YYYY[-MM[-DD]] at *p; *parts gets how many fields were present. */
static int parse_ymd(const char **p, int *y, int *m, int *d, int *parts)
{
	*m = *d = 1;
	if (!digits(p, 4, y))
		return 0;
	*parts = 1;
	if (**p != '-')
		return 1;
	(*p)++;
	if (!digits(p, 2, m))
		return 0;
	*parts = 2;
	if (**p != '-')
		return 1;
	(*p)++;
	if (!digits(p, 2, d))
		return 0;
	*parts = 3;
	return 1;
}

int kith_date_parse(const char *s, char *out, size_t outsz, kith_error *err)
{
	const char *p = s;
	int y, m, d, parts;

	if (!parse_ymd(&p, &y, &m, &d, &parts) || *p || !kith_date_valid(y, m, d))
		return kith_error_set(err, KITH_EINVAL,
			"'%s' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", s);
	if (parts == 1)
		snprintf(out, outsz, "%04d", y);
	else if (parts == 2)
		snprintf(out, outsz, "%04d-%02d", y, m);
	else
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
	return KITH_OK;
}

/* "3d", "2w", "5h": a span back from now. */
static int parse_ago(const char *s, int64_t now, int64_t *out)
{
	char *end;
	long n = strtol(s, &end, 10);
	int64_t unit;

	if (end == s || n < 0 || n > 100000)
		return 0;
	if (strcmp(end, "d") == 0 || strcmp(end, "d ago") == 0)
		unit = 86400;
	else if (strcmp(end, "w") == 0 || strcmp(end, "w ago") == 0)
		unit = 7 * 86400;
	else if (strcmp(end, "h") == 0 || strcmp(end, "h ago") == 0)
		unit = 3600;
	else
		return 0;
	*out = now - (int64_t)n * unit;
	return 1;
}

/* Parses "[T ]HH:MM[:SS][Z|+HH:MM|+HHMM]" after a date. */
static int parse_clock(const char *p, struct tm *tm, int *has_zone, long *offset)
{
	int h, mi, sec = 0, oh, om = 0;

	if (*p != 'T' && *p != 't' && *p != ' ')
		return 0;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
		return 0;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &sec))
			return 0;
		if (*p == '.') /* fractions of a second are dropped */
			for (p++; isdigit((unsigned char)*p); p++)
				;
	}
	if (h > 23 || mi > 59 || sec > 60)
		return 0;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	*has_zone = 0;
	*offset = 0;
	if (*p == 'Z' || *p == 'z') {
		*has_zone = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh))
			return 0;
		if (*p == ':')
			p++;
		if (*p && !digits(&p, 2, &om))
			return 0;
		if (oh > 14 || om > 59)
			return 0;
		*has_zone = 1;
		*offset = sign * (oh * 3600L + om * 60L);
	}
	return *p == '\0';
}

int kith_time_parse(const char *s, int64_t now, int64_t *out, kith_error *err)
{
	const char *p = s;
	struct tm tm;
	int y, m, d, parts, has_zone;
	long offset;

	if (strcmp(s, "now") == 0 || strcmp(s, "today") == 0) {
		*out = now;
		return KITH_OK;
	}
	if (strcmp(s, "yesterday") == 0) {
		*out = now - 86400;
		return KITH_OK;
	}
	if (parse_ago(s, now, out))
		return KITH_OK;
	if (!parse_ymd(&p, &y, &m, &d, &parts) || parts != 3 ||
	    !kith_date_valid(y, m, d))
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	if (*p == '\0') {
		/* Midday UTC keeps a date-only instant on the same calendar day
		 * in every time zone a person is likely to be in. */
		tm.tm_hour = 12;
		*out = (int64_t)timegm(&tm);
		return KITH_OK;
	}
	if (!parse_clock(p, &tm, &has_zone, &offset))
		goto bad;
	if (has_zone) {
		*out = (int64_t)timegm(&tm) - offset;
	} else {
		tm.tm_isdst = -1;
		*out = (int64_t)mktime(&tm);
	}
	return KITH_OK;
bad:
	return kith_error_set(err, KITH_EINVAL,
		"'%s' is not a date or time (use YYYY-MM-DD[ HH:MM], today, "
		"yesterday or 3d)", s);
}

void kith_time_format_date(int64_t t, char *out, size_t outsz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, outsz, "%Y-%m-%d", &tm);
}

void kith_time_format_iso(int64_t t, char *out, size_t outsz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
