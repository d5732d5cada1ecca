/*
 * Which recurrence rules kith hands to libical (see ics_rule.h for why).
 * Written here because libical 3.0, the version Debian 12 ships, has no
 * limit to set on its search; later versions added one.
 *
 * A monthly rule, or a yearly one naming months or days of the month, is
 * walked period by period from DTSTART to 40 years past now, as libical
 * would, but with sets of bits: it must match at least every 40 years.  For daily and weekly
 * rules it is enough that some month they reach has the day BYMONTHDAY
 * names, and that whole weeks of INTERVAL do not step past every BYDAY.
 * Rule parts meetings do not use (BYWEEKNO, BYYEARDAY, BYHOUR...) are
 * refused whole.  tests/unit/test_ics_rule.c checks the verdicts against
 * libical itself on random rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "ics_rule.h"

#define END ICAL_RECURRENCE_ARRAY_MAX

/* The longest a month-level rule may go without a match: libical looks at
 * each day of each period it reaches, and 40 years of days is some 15,000
 * looks (a few milliseconds). */
#define MAX_GAP_YEARS 40

struct shape {
	unsigned months;            /* BYMONTH as bits 0..11; 0: none */
	uint64_t mday;              /* BYMONTHDAY: bit d for d, 32 + d for -d */
	unsigned plain;             /* BYDAY without a number: bit per weekday */
	unsigned ord[7];            /* numbered BYDAY: bit 5 + n, n in -5..5 */
	int nmd, nday, nplain, nord, npos;
	const short *md, *day, *pos;
};

static int count(const short *v, int max)
{
	int n = 0;

	while (n < max && v[n] != END)
		n++;
	return n;
}

/* 0 = Sunday; m is 1..12 (Sakamoto's method). */
static int weekday(int y, int m, int d)
{
	static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

	if (m < 3)
		y--;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

/* Days of month m (0..11) of year y the rule picks, before BYSETPOS; with
 * neither BYMONTHDAY nor BYDAY, DTSTART's day. */
static int picked(const struct shape *s, int y, int m, int dstart)
{
	int len = kith__month_days(y, m + 1), n = 0, wd = weekday(y, m + 1, 1);

	for (int pos = 1; pos <= len; pos++, wd = (wd + 1) % 7) {
		if (s->nmd ? !(s->mday >> pos & 1) && !(s->mday >> (32 + len + 1 - pos) & 1)
		           : !s->nday && pos != dstart)
			continue;
		if (s->nday && !(s->plain >> wd & 1) &&
		    !(s->ord[wd] >> (5 + (pos - 1) / 7 + 1) & 1) &&
		    !(s->ord[wd] >> (5 - (len - pos) / 7 - 1) & 1))
			continue;
		n++;
	}
	return n;
}

static int set_hits(const struct shape *s, int set)
{
	if (!set || !s->npos)
		return set > 0;
	for (int i = 0; i < s->npos; i++)
		if (s->pos[i] != 0 && abs(s->pos[i]) <= set)
			return 1;
	return 0;
}

/* A monthly rule, or a yearly one that names months or days of the month:
 * walks the periods it reaches from DTSTART to MAX_GAP_YEARS past `now`
 * (or past DTSTART, if later), day by day, and wants a match at least
 * every MAX_GAP_YEARS.  Exact but for libical's bugs. */
static int months_match(const struct icalrecurrencetype *r, const struct shape *s,
                        struct icaltimetype start, int now)
{
	int until = (start.year > now ? start.year : now) + MAX_GAP_YEARS;
	int monthly = r->freq == ICAL_MONTHLY_RECURRENCE, last = start.year;
	/* libical keeps DTSTART's month when a yearly rule names days of the
	 * month and no month. */
	unsigned in_year = s->months ? s->months : 1u << (start.month - 1);
	long step = monthly ? r->interval : 12L * r->interval;

	for (long k = 0;; k++) {
		long idx = start.month - 1 + k * step;
		int y = start.year + (int)(idx / 12), set = 0;
		if (y > until)
			break;
		for (int m = 0; m < 12; m++)
			if (monthly ? m == idx % 12 && (!s->months || s->months >> m & 1)
			            : in_year >> m & 1)
				set += picked(s, y, m, start.day);
		if (!set_hits(s, set))
			continue;
		if (y - last > MAX_GAP_YEARS)
			return 0;
		last = y;
	}
	return until - last < MAX_GAP_YEARS;  /* until is MAX_GAP past DTSTART at least */
}

/* Days every period of a daily, weekly or plain yearly rule certainly
 * holds, for BYSETPOS; 0: unknown. */
static int min_set(const struct icalrecurrencetype *r, const struct shape *s)
{
	if (s->nmd || s->nord)
		return 0;
	switch (r->freq) {
	case ICAL_DAILY_RECURRENCE:
		return 1;
	case ICAL_WEEKLY_RECURRENCE:
		return s->nplain ? s->nplain : 1;
	default:
		return s->nplain ? 52 * s->nplain : 1;
	}
}

/* A daily or weekly rule: some month it can reach has a day BYMONTHDAY
 * names (in a leap year such as 2000, where each month is longest).  libical 3.0 never matches a day counted from the month's end in
 * such a rule; it searches to 2582 instead. */
static int days_fit(const struct shape *s)
{
	for (int m = 0; m < 12; m++)
		if (!s->months || s->months >> m & 1)
			for (int i = 0; i < s->nmd; i++)
				if (s->md[i] > 0 && s->md[i] <= kith__month_days(2000, m + 1))
					return 1;
	return 0;
}

static const char *read_parts(const struct icalrecurrencetype *r, struct shape *s)
{
	if (r->rscale && strcasecmp(r->rscale, "GREGORIAN") != 0)
		return "RRULE uses a calendar other than the Gregorian";
	if (r->interval < 1)
		return "RRULE has no positive INTERVAL";
	if (count(r->by_second, ICAL_BY_SECOND_SIZE) || count(r->by_minute, ICAL_BY_MINUTE_SIZE) ||
	    count(r->by_hour, ICAL_BY_HOUR_SIZE))
		return "RRULE repeats within a day (BYHOUR, BYMINUTE or BYSECOND)";
	if (count(r->by_year_day, ICAL_BY_YEARDAY_SIZE) || count(r->by_week_no, ICAL_BY_WEEKNO_SIZE))
		return "RRULE uses BYYEARDAY or BYWEEKNO, which meetings do not";
	for (int i = 0, n = count(r->by_month, ICAL_BY_MONTH_SIZE); i < n; i++) {
		int m = icalrecurrencetype_month_month(r->by_month[i]);
		if (m < 1 || m > 12 || icalrecurrencetype_month_is_leap(r->by_month[i]))
			return "RRULE names a month that does not exist";
		s->months |= 1u << (m - 1);
	}
	s->md = r->by_month_day;
	s->nmd = count(r->by_month_day, ICAL_BY_MONTHDAY_SIZE);
	for (int i = 0; i < s->nmd; i++) {
		if (s->md[i] == 0 || abs(s->md[i]) > 31)
			return "RRULE names a day of the month that does not exist";
		s->mday |= 1ull << (s->md[i] > 0 ? s->md[i] : 32 - s->md[i]);
	}
	s->day = r->by_day;
	s->nday = count(r->by_day, ICAL_BY_DAY_SIZE);
	for (int i = 0; i < s->nday; i++) {
		int wd = icalrecurrencetype_day_day_of_week(r->by_day[i]);
		int n = icalrecurrencetype_day_position(r->by_day[i]);
		if (wd < ICAL_SUNDAY_WEEKDAY || wd > ICAL_SATURDAY_WEEKDAY)
			return "RRULE names a weekday that does not exist";
		if (!n) {
			s->nplain++;
			s->plain |= 1u << (wd - 1);
		} else {
			s->nord++;
			if (abs(n) <= 5)  /* more is refused by check_ordinals */
				s->ord[wd - 1] |= 1u << (5 + n);
		}
	}
	s->pos = r->by_set_pos;
	s->npos = count(r->by_set_pos, ICAL_BY_SETPOS_SIZE);
	return NULL;
}

/* A numbered BYDAY: its range depends on the frequency. */
static const char *check_ordinals(const struct icalrecurrencetype *r, const struct shape *s)
{
	int in_month = r->freq == ICAL_MONTHLY_RECURRENCE || s->months;

	if (!s->nord)
		return NULL;
	if (r->freq == ICAL_DAILY_RECURRENCE || r->freq == ICAL_WEEKLY_RECURRENCE)
		return "RRULE numbers a BYDAY in a daily or weekly rule";
	if (!in_month && s->nmd)
		return "RRULE numbers a BYDAY of the year beside BYMONTHDAY";
	for (int i = 0; i < s->nday; i++) {
		int n = abs(icalrecurrencetype_day_position(s->day[i]));
		if (n > (in_month ? 5 : 53))
			return "RRULE names a weekday past the last of its month or year";
	}
	return NULL;
}

const char *kith__rrule_refusal(const struct icalrecurrencetype *r,
                                struct icaltimetype start, int now)
{
	struct shape s = {0};
	const char *why;
	int min;

	if (r->freq < ICAL_DAILY_RECURRENCE || r->freq > ICAL_YEARLY_RECURRENCE)
		return "RRULE repeats more often than daily (or not at all)";
	if (start.month < 1 || start.month > 12 || start.day < 1 || start.day > 31)
		return "DTSTART is not a date";
	if ((why = read_parts(r, &s)) || (why = check_ordinals(r, &s)))
		return why;
	if (r->freq == ICAL_MONTHLY_RECURRENCE ||
	    (r->freq == ICAL_YEARLY_RECURRENCE && (s.months || s.nmd)))
		return months_match(r, &s, start, now) ? NULL
		       : "RRULE matches no day in 40 years (the 31st of February, a sixth Monday)";
	if (s.nmd && !days_fit(&s))
		return "RRULE names a day its months do not have";
	if (r->freq == ICAL_DAILY_RECURRENCE && s.nplain && r->interval % 7 == 0 &&
	    !(s.plain >> (icaltime_day_of_week(start) - 1) & 1))
		return "RRULE steps by whole weeks past the weekdays it names";
	if (!s.npos)
		return NULL;
	min = min_set(r, &s);
	for (int i = 0; i < s.npos; i++)
		if (s.pos[i] != 0 && abs(s.pos[i]) <= min)
			return NULL;
	return "RRULE has a BYSETPOS beyond the days it picks";
}

/* A zone's rule: yearly, and one kith would expand from the zone's start
 * (`start`; NULL when it has none). */
static int zone_rule_ok(icalproperty *rr, const struct icaltimetype *start)
{
	struct icalrecurrencetype r = icalproperty_get_rrule(rr);

	if (!start || r.freq != ICAL_YEARLY_RECURRENCE)
		return 0;
	/* libical expands a zone from its start: Outlook writes 1601. */
	if (start->year < 1583 || start->year > KITH_ICS_MAX_YEAR)
		return 0;
	/* Zones are expanded up to the last year kith reads. */
	return kith__rrule_refusal(&r, *start, KITH_ICS_MAX_YEAR - MAX_GAP_YEARS) == NULL;
}

static void tame_zone(icalcomponent *zone)
{
	for (icalcomponent *sub = icalcomponent_get_first_component(zone, ICAL_ANY_COMPONENT);
	     sub; sub = icalcomponent_get_next_component(zone, ICAL_ANY_COMPONENT)) {
		/* Read before the loop: a get_first resets the component's
		 * one property cursor, which the loop runs on. */
		icalproperty *dt = icalcomponent_get_first_property(sub, ICAL_DTSTART_PROPERTY);
		struct icaltimetype start = dt ? icalproperty_get_dtstart(dt) : icaltime_null_time();
		icalproperty *rr = icalcomponent_get_first_property(sub, ICAL_RRULE_PROPERTY);

		while (rr) {
			icalproperty *next = icalcomponent_get_next_property(sub, ICAL_RRULE_PROPERTY);
			if (!zone_rule_ok(rr, dt ? &start : NULL)) {
				icalcomponent_remove_property(sub, rr);
				icalproperty_free(rr);
			}
			rr = next;
		}
	}
}

void kith__ics_tame_zones(icalcomponent *root)
{
	int multi = icalcomponent_isa(root) == ICAL_XROOT_COMPONENT;
	icalcomponent *cal = multi ? icalcomponent_get_first_component(root,
	                                 ICAL_VCALENDAR_COMPONENT) : root;

	for (; cal; cal = multi ? icalcomponent_get_next_component(root,
	                              ICAL_VCALENDAR_COMPONENT) : NULL)
		for (icalcomponent *z = icalcomponent_get_first_component(cal,
		                            ICAL_VTIMEZONE_COMPONENT);
		     z; z = icalcomponent_get_next_component(cal, ICAL_VTIMEZONE_COMPONENT))
			tame_zone(z);
}
