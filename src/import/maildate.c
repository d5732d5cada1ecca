/*
 * The Date of a message in the form nearly every mail program writes,
 * "Tue, 4 Nov 2025 18:01:02 +0100", read without GMime.  GMime's date
 * parser takes every historic form (two-digit years, zone names,
 * comments) and was a tenth of the time of reading a large mbox; this
 * reads the one form and refuses the rest, which then go to GMime.  Its
 * answers are checked against GMime's on thousands of dates
 * (test_import_mbox).
 */
#include <string.h>
#include <time.h>

#include "import_impl.h"
#include "kith/date.h"

/* Reads 1 to max digits at *p (at least min) into *v, advancing *p. */
static int num(const char **p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
		*v = *v * 10 + ((*p)[n] - '0');
		n++;
	}
	*p += n;
	return n >= min;
}

/* The index of the three letters at p in list (of n, each 3 letters), or -1. */
static int name3(const char *p, const char *list, int n)
{
	for (int i = 0; i < n; i++)
		if (strncmp(p, list + 3 * i, 3) == 0)
			return i;
	return -1;
}

int kith__mail_date(const char *s, int64_t *t)
{
	const char *p = s;
	int d, mon, y, h, mi, sec = 0, zh, zm, sign;
	struct tm tm;

	if (name3(p, "MonTueWedThuFriSatSun", 7) >= 0 && p[3] == ',' && p[4] == ' ')
		p += 5;
	if (!num(&p, 1, 2, &d) || *p++ != ' ')
		return 0;
	if ((mon = name3(p, "JanFebMarAprMayJunJulAugSepOctNovDec", 12)) < 0 || p[3] != ' ')
		return 0;
	p += 4;
	if (!num(&p, 4, 4, &y) || *p++ != ' ' || !num(&p, 2, 2, &h) || *p++ != ':' ||
	    !num(&p, 2, 2, &mi))
		return 0;
	if (*p == ':') {
		p++;
		if (!num(&p, 2, 2, &sec))
			return 0;
	}
	if (*p++ != ' ' || (*p != '+' && *p != '-'))
		return 0;
	sign = *p++ == '-' ? -1 : 1;
	if (!num(&p, 2, 2, &zh) || !num(&p, 2, 2, &zm) || *p)
		return 0;
	if (y < 1970 || !kith_date_valid(y, mon + 1, d) || h > 23 || mi > 59 ||
	    sec > 59 || zh > 14 || zm > 59)
		return 0;
	/* UTC by timegm, as kith_time_parse (date.c) does. */
	tm = (struct tm){.tm_year = y - 1900, .tm_mon = mon, .tm_mday = d,
	                 .tm_hour = h, .tm_min = mi, .tm_sec = sec};
	*t = (int64_t)timegm(&tm) - sign * (zh * 3600 + zm * 60);
	return 1;
}
