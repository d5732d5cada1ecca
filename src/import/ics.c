/*
 * iCalendar (libical): each VEVENT with attendees becomes a meeting among
 * its organizer and the attendees who did not decline (rooms and
 * resources left out), at DTSTART, with SUMMARY as notes.  A recurring
 * event gives one meeting per occurrence up to now (at most
 * MAX_OCCURRENCES, none older than EXPAND_YEARS), except cancelled or
 * excluded ones and those an override (RECURRENCE-ID) replaces; events
 * still to come are not interactions yet.  Each occurrence's key is UID|start in UTC, which is
 * the RECURRENCE-ID that names it, so an override and the occurrence it
 * replaces are one record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include <libical/ical.h>

#include "import_impl.h"
#include "ics_rule.h"
#include "kith/date.h"

#define MAX_OCCURRENCES 1000
#define EXPAND_YEARS 10
/* Dates outside these years are typos or attacks, not meetings. */
#define MIN_TIME (-2208988800LL)  /* 1900 */
#define MAX_TIME 7258118400LL     /* 2200 */
#define NO_TIME INT64_MIN

struct istate {
	const kith__sink *s;
	kith_error *err;
	int64_t *lines;      /* line of each BEGIN:VEVENT, in order */
	size_t nlines, next;
	GHashTable *overridden;  /* "UID|start" of instances an override replaces */
	int now_year;            /* of s->now, in UTC */
};

/* NO_TIME for a year kith does not read: libical would expand the zone's
 * rules up to it, however far. */
static int64_t to_unix(icalproperty *prop, struct icaltimetype t)
{
	icaltimezone *zone = NULL;

	if (icaltime_is_null_time(t))
		return 0;
	if (t.year < KITH_ICS_MIN_YEAR || t.year > KITH_ICS_MAX_YEAR)
		return NO_TIME;
	if (!t.zone && !icaltime_is_utc(t) && prop) {
		/* A TZID with no VTIMEZONE in the file: libical knows the
		 * Olson names itself.  A floating time is taken as UTC. */
		icalparameter *tz = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
		if (tz && icalparameter_get_tzid(tz))
			zone = icaltimezone_get_builtin_timezone(icalparameter_get_tzid(tz));
	}
	if (!zone)
		zone = (icaltimezone *)t.zone;
	return (int64_t)icaltime_as_timet_with_zone(t, zone ? zone : icaltimezone_get_utc_timezone());
}

static const char *mailto(const char *v)
{
	if (v && strncasecmp(v, "mailto:", 7) == 0)
		return v + 7;
	return v;
}

/* Organizer and the attendees who come. */
static int people(icalcomponent *ev, kith__event *e)
{
	icalproperty *p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	int rc = KITH_OK;

	if (p) {
		icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
		const char *addr = mailto(icalproperty_get_organizer(p));
		if (addr && strchr(addr, '@'))
			rc = kith__event_add(e, addr, cn ? icalparameter_get_cn(cn) : NULL);
	}
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p && !rc;
	     p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
		icalparameter *ps = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
		icalparameter *cu = icalproperty_get_first_parameter(p, ICAL_CUTYPE_PARAMETER);
		icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
		const char *addr = mailto(icalproperty_get_attendee(p));
		if (ps && icalparameter_get_partstat(ps) == ICAL_PARTSTAT_DECLINED)
			continue;
		if (cu && (icalparameter_get_cutype(cu) == ICAL_CUTYPE_ROOM ||
		           icalparameter_get_cutype(cu) == ICAL_CUTYPE_RESOURCE))
			continue;
		if (addr && strchr(addr, '@'))
			rc = kith__event_add(e, addr, cn ? icalparameter_get_cn(cn) : NULL);
	}
	return rc;
}

static int has_attendees(icalcomponent *ev)
{
	return icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY) != NULL;
}

/* Emits one occurrence at `at`, keyed UID|key_at (its RECURRENCE-ID). */
static int occurrence(struct istate *st, icalcomponent *ev, const char *uid,
                      int64_t key_at, int64_t at, int64_t line)
{
	kith__event e = {0};
	char key[512], iso[32];
	const char *summary = icalcomponent_get_summary(ev);
	int rc;

	kith_time_format_iso(key_at, iso, sizeof(iso));
	snprintf(key, sizeof(key), "%s|%s", uid, iso);
	e.line = line;
	e.kind = "meeting";
	e.at = at;
	rc = people(ev, &e);
	if (!rc && summary && *summary)
		rc = kith__set_field(&e.notes, summary, strlen(summary));
	if (!rc)
		rc = kith__set_field(&e.key, key, strlen(key));
	kith__digest(key, strlen(key), e.digest);
	if (rc)
		rc = kith_error_set(st->err, KITH_ENOMEM, "out of memory");
	else
		rc = st->s->event ? st->s->event(st->s->ctx, &e, st->err) : KITH_OK;
	kith__event_clear(&e);
	return rc;
}

static int excluded(icalcomponent *ev, int64_t at)
{
	for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY);
	     p; p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY))
		if (to_unix(p, icalproperty_get_exdate(p)) == at)
			return 1;
	return 0;
}

static int one_event(struct istate *st, icalcomponent *ev, int64_t line)
{
	icalproperty *dtp = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	icalproperty *rrp = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
	icalproperty *ridp = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
	const char *uid = icalcomponent_get_uid(ev);
	int64_t start, now = st->s->now;
	char digest[33];
	int rc = KITH_OK;

	if (!dtp)
		return kith__issue(st->s, line, KITH_ISSUE_REJECTED, st->err, "no DTSTART");
	start = to_unix(dtp, icalproperty_get_dtstart(dtp));
	if (icaltime_is_null_time(icalproperty_get_dtstart(dtp)) ||
	    start < MIN_TIME || start > MAX_TIME)
		return kith__issue(st->s, line, KITH_ISSUE_REJECTED, st->err,
		                   "DTSTART is not a date");
	if (!uid || !*uid) {  /* no UID: the event's own text identifies it */
		const char *txt = icalcomponent_as_ical_string(ev);
		kith__digest(txt, strlen(txt), digest);
		uid = digest;
	}
	if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
		return kith__issue(st->s, line, KITH_ISSUE_SKIPPED, st->err, "cancelled");
	if (!has_attendees(ev))
		return kith__issue(st->s, line, KITH_ISSUE_SKIPPED, st->err,
		                   "no attendees (a note to self, not a meeting)");
	if (ridp) {  /* an override: it stands for the occurrence it names */
		int64_t rid = to_unix(ridp, icalproperty_get_recurrenceid(ridp));
		if (start > now)
			return kith__issue(st->s, line, KITH_ISSUE_SKIPPED, st->err, "in the future");
		return occurrence(st, ev, uid, rid > 0 ? rid : start, start, line);
	}
	if (!rrp) {
		if (start > now)
			return kith__issue(st->s, line, KITH_ISSUE_SKIPPED, st->err, "in the future");
		return occurrence(st, ev, uid, start, start, line);
	}
	struct icalrecurrencetype rule = icalproperty_get_rrule(rrp);
	/* Meetings do not repeat hourly; such a rule would make libical step
	 * through every hour since DTSTART. */
	if (rule.freq < ICAL_DAILY_RECURRENCE || rule.freq > ICAL_YEARLY_RECURRENCE)
		return kith__issue(st->s, line, KITH_ISSUE_REJECTED, st->err,
		                   "RRULE repeats more often than daily (or not at all)");
	const char *why = kith__rrule_refusal(&rule, icalproperty_get_dtstart(dtp), st->now_year);
	if (why) {  /* DTSTART is the first occurrence of any rule */
		rc = kith__issue(st->s, line, KITH_ISSUE_WARNING, st->err,
		                 "%s: only DTSTART is read", why);
		if (!rc && start <= now)
			rc = occurrence(st, ev, uid, start, start, line);
		return rc;
	}
	icalrecur_iterator *it = icalrecur_iterator_new(rule, icalproperty_get_dtstart(dtp));
	int n = 0;
	if (!it)
		return kith__issue(st->s, line, KITH_ISSUE_REJECTED, st->err,
		                   "RRULE cannot be read");
	/* Occurrences more than EXPAND_YEARS before now are not expanded:
	 * the iterator starts there (libical allows it without COUNT). */
	if (rule.count == 0 && start < now - EXPAND_YEARS * 31556952LL) {
		struct icaltimetype from = icaltime_from_timet_with_zone(
			(time_t)(now - EXPAND_YEARS * 31556952LL), 0, icaltimezone_get_utc_timezone());
		icalrecur_iterator_set_start(it, from);
	}
	for (struct icaltimetype t = icalrecur_iterator_next(it);
	     !rc && !icaltime_is_null_time(t) && n < MAX_OCCURRENCES;
	     t = icalrecur_iterator_next(it), n++) {
		int64_t at = to_unix(dtp, t);
		char key[512], iso[32];
		if (at > now || at < MIN_TIME || icaltime_is_null_time(t))
			break;
		kith_time_format_iso(at, iso, sizeof(iso));
		snprintf(key, sizeof(key), "%s|%s", uid, iso);
		if (excluded(ev, at) || g_hash_table_contains(st->overridden, key))
			continue;
		rc = occurrence(st, ev, uid, at, at, line);
	}
	icalrecur_iterator_free(it);
	if (!rc && n >= MAX_OCCURRENCES)
		rc = kith__issue(st->s, line, KITH_ISSUE_WARNING, st->err,
		                 "only the first %d occurrences were read", MAX_OCCURRENCES);
	return rc;
}

/* The calendars of a parse: the root itself, or its children when
 * several VCALENDARs came as one XROOT. */
static int each_event(struct istate *st, icalcomponent *root, int pass)
{
	int rc = KITH_OK;
	icalcomponent *cal = root;
	int multi = icalcomponent_isa(root) == ICAL_XROOT_COMPONENT;

	if (multi)
		cal = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
	for (; cal && !rc; cal = multi ? icalcomponent_get_next_component(root,
	                                  ICAL_VCALENDAR_COMPONENT) : NULL) {
		for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
		     ev && !rc; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
			int64_t line = st->next < st->nlines ? st->lines[st->next] : 0;
			st->next++;
			if (pass == 0) {  /* remember which instances overrides replace */
				icalproperty *r = icalcomponent_get_first_property(ev,
				                      ICAL_RECURRENCEID_PROPERTY);
				const char *uid = icalcomponent_get_uid(ev);
				int64_t at = r ? to_unix(r, icalproperty_get_recurrenceid(r)) : NO_TIME;
				if (at != NO_TIME && uid) {
					char iso[32];
					kith_time_format_iso(at, iso, sizeof(iso));
					g_hash_table_add(st->overridden, g_strdup_printf("%s|%s", uid, iso));
				}
				continue;
			}
			rc = one_event(st, ev, line);
		}
	}
	return rc;
}

/* Lines of BEGIN:VEVENT, so that records can be named by line. */
static int scan_lines(struct istate *st, const char *buf, size_t len)
{
	int64_t line = 1;
	size_t cap = 0;

	for (size_t i = 0; i < len; i++) {
		if ((i == 0 || buf[i - 1] == '\n') && len - i >= 12 &&
		    strncasecmp(buf + i, "BEGIN:VEVENT", 12) == 0) {
			if (st->nlines == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				int64_t *v = realloc(st->lines, ncap * sizeof(*v));
				if (!v)
					return KITH_ENOMEM;
				st->lines = v;
				cap = ncap;
			}
			st->lines[st->nlines++] = line;
		}
		if (buf[i] == '\n')
			line++;
	}
	return KITH_OK;
}

int kith__ics_parse(const char *buf, size_t len, const kith__sink *s,
                    kith_error *err)
{
	struct istate st = {.s = s, .err = err};
	icalcomponent *root;
	char *text;
	int rc;

	icalerror_set_errors_are_fatal(0);
	/* libical wants a C string: a buffer may hold NULs or lack one. */
	text = strndup(buf, len);
	if (!text || scan_lines(&st, buf, len)) {
		free(text);
		free(st.lines);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	root = icalparser_parse_string(text);
	free(text);
	if (!root) {
		free(st.lines);
		return kith__issue(s, 1, KITH_ISSUE_REJECTED, err, "not an iCalendar file");
	}
	kith__ics_tame_zones(root);
	st.now_year = icaltime_from_timet_with_zone((time_t)s->now, 0,
	                                            icaltimezone_get_utc_timezone()).year;
	st.overridden = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	rc = each_event(&st, root, 0);
	st.next = 0;
	if (!rc)
		rc = each_event(&st, root, 1);
	g_hash_table_destroy(st.overridden);
	icalcomponent_free(root);
	free(st.lines);
	if (!rc && s->progress)
		s->progress(s->ctx, len, len);
	return rc;
}
