/*
 * The team's goodwill (kith/goodwill.h), from the log as of a given now.
 * The stock at each point of the series is kith_orbits for every member's
 * person at that point: O(points x members) orbit computations, which is
 * why the series is capped at KITH_GOODWILL_MAX_MONTHS points.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "kith/goodwill.h"
#include "kith/intro_request.h"
#include "kith/json.h"
#include "kith/member.h"
#include "kith/score.h"

#define DAY 86400

void kith_goodwill_clear(kith_goodwill *g)
{
	if (!g)
		return;
	free(g->series);
	free(g->members);
	free(g->months);
	free(g->down);
	memset(g, 0, sizeof(*g));
}

/* The members whose person db sees, by member id. */
static int load_members(kith_db *db, kith_goodwill *g, kith_error *err)
{
	kith_member *m;
	size_t n;
	int rc = kith_member_list(db, &m, &n, err);

	if (rc)
		return rc;
	if (n && !(g->members = calloc(n, sizeof(*g->members))))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n; i++) {
		if (!m[i].person || kith__person_exists(db, m[i].person, NULL))
			continue;
		g->members[g->nmembers].member = m[i].id;
		g->members[g->nmembers++].person = m[i].person;
	}
	kith_member_list_free(m, n);
	for (size_t i = 1; i < g->nmembers; i++)
		for (size_t k = i; k > 0 && g->members[k - 1].member > g->members[k].member; k--) {
			kith_goodwill_member x = g->members[k];
			g->members[k] = g->members[k - 1];
			g->members[k - 1] = x;
		}
	return rc;
}

static int is_member_person(const kith_goodwill *g, kith_id p)
{
	for (size_t i = 0; i < g->nmembers; i++)
		if (g->members[i].person == p)
			return 1;
	return 0;
}

static kith_goodwill_member *member_of(kith_goodwill *g, kith_id member)
{
	for (size_t i = 0; i < g->nmembers; i++)
		if (g->members[i].member == member)
			return &g->members[i];
	return NULL;
}

static kith_goodwill_member *member_of_person(kith_goodwill *g, kith_id person)
{
	for (size_t i = 0; i < g->nmembers; i++)
		if (g->members[i].person == person)
			return &g->members[i];
	return NULL;
}

/* --- the stock ------------------------------------------------------------ */

struct tie {
	kith_id person;
	double strength;
};

static int cmp_tie(const void *a, const void *b)
{
	const struct tie *x = a, *y = b;

	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	return x->strength > y->strength ? -1 : x->strength < y->strength;
}

/* The stock at t; with per_member, each member's own part too. */
static int stock_at(kith_db *db, kith_goodwill *g, int64_t t, int per_member,
                    kith_goodwill_point *out, kith_error *err)
{
	struct tie *v = NULL;
	size_t nv = 0, cap = 0;
	int rc = KITH_OK;

	out->at = t;
	out->people = 0;
	out->strength = 0;
	for (size_t i = 0; i < g->nmembers && !rc; i++) {
		kith_orbit_member *o;
		size_t n;
		if ((rc = kith_orbits(db, g->members[i].person, t, 0, &o, &n, NULL, NULL, err)))
			break;
		for (size_t k = 0; k < n; k++) {
			if (o[k].orbit > 3 || o[k].s.strength <= 0 || is_member_person(g, o[k].s.person))
				continue;
			if (nv == cap && kith__grow(&v, &cap, sizeof(*v), 64)) {
				rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
				break;
			}
			v[nv].person = o[k].s.person;
			v[nv++].strength = o[k].s.strength;
			if (per_member) {
				g->members[i].people++;
				g->members[i].strength += o[k].s.strength;
			}
		}
		kith_orbit_list_free(o, n);
	}
	if (!rc && nv) {
		qsort(v, nv, sizeof(*v), cmp_tie);
		for (size_t i = 0; i < nv; i++)
			if (i == 0 || v[i].person != v[i - 1].person) {
				out->people++;
				out->strength += v[i].strength;
			}
	}
	free(v);
	return rc;
}

/* --- going dry ---------------------------------------------------------- */

static int cmp_down(const void *a, const void *b)
{
	const kith_goodwill_down *x = a, *y = b;
	double fx = x->then - x->strength, fy = y->then - y->strength;

	if (fx != fy)
		return fx > fy ? -1 : 1;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	return x->person < y->person ? -1 : x->person > y->person;
}

static int push_down(kith_goodwill *g, size_t *cap, kith_id member, const kith_orbit_member *m,
                     int orbit, kith_error *err)
{
	if (g->ndown == *cap && kith__grow(&g->down, cap, sizeof(*g->down), 16))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	kith_goodwill_down *d = &g->down[g->ndown++];
	d->member = member;
	d->person = m->s.person;
	d->orbit = orbit;
	d->before = m->before;
	d->strength = m->s.strength;
	d->then = m->s.then;
	return KITH_OK;
}

/* People who were in a member's first three orbits KITH_SCORE_TREND_DAYS
 * ago and are now in a wider one, or none, and weaker than then. */
static int going_down(kith_db *db, kith_goodwill *g, kith_error *err)
{
	size_t cap = 0;
	int rc = KITH_OK;

	for (size_t i = 0; i < g->nmembers && !rc; i++) {
		kith_orbit_member *o, *gone;
		size_t n, ngone;
		if ((rc = kith_orbits(db, g->members[i].person, g->now,
		                      g->now - KITH_SCORE_TREND_DAYS * DAY, &o, &n, &gone, &ngone, err)))
			break;
		for (size_t k = 0; k < n && !rc; k++)
			if (o[k].before && o[k].before <= 3 && o[k].orbit > o[k].before &&
			    o[k].s.strength < o[k].s.then && !is_member_person(g, o[k].s.person))
				rc = push_down(g, &cap, g->members[i].member, &o[k], o[k].orbit, err);
		for (size_t k = 0; k < ngone && !rc; k++)
			if (gone[k].before && gone[k].before <= 3 && !is_member_person(g, gone[k].s.person))
				rc = push_down(g, &cap, g->members[i].member, &gone[k], 0, err);
		kith_orbit_list_free(o, n);
		kith_orbit_list_free(gone, ngone);
	}
	if (!rc && g->ndown) {
		qsort(g->down, g->ndown, sizeof(*g->down), cmp_down);
		if (g->ndown > KITH_GOODWILL_MAX_DOWN)
			g->ndown = KITH_GOODWILL_MAX_DOWN;
	}
	return rc;
}

/* --- months: introductions and favours ------------------------------------ */

static kith_goodwill_month *month_of(kith_goodwill *g, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > g->now || !gmtime_r(&tt, &tm))
		return NULL;
	for (size_t i = 0; i < g->nmonths; i++)
		if (g->months[i].year == tm.tm_year + 1900 && g->months[i].month == tm.tm_mon + 1)
			return &g->months[i];
	return NULL;
}

static int make_months(kith_goodwill *g, int months, kith_error *err)
{
	time_t tt = (time_t)g->now;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return kith_error_set(err, KITH_EINVAL, "now is out of range");
	if (!(g->months = calloc((size_t)months, sizeof(*g->months))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	int k = (tm.tm_year + 1900) * 12 + tm.tm_mon - (months - 1);
	for (int i = 0; i < months; i++, k++) {
		g->months[i].year = k / 12;
		g->months[i].month = k % 12 + 1;
	}
	g->nmonths = (size_t)months;
	return KITH_OK;
}

static int count_requests(kith_db *db, kith_id viewer, kith_goodwill *g, kith_error *err)
{
	kith_intro_request *v;
	size_t n;
	int rc = kith_intro_request_list(db, viewer, KITH_INTRO_BOTH, NULL, &v, &n, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		kith_goodwill_member *asker = member_of(g, v[i].asker), *asked = member_of(g, v[i].asked);
		kith_goodwill_month *m;
		if (v[i].asked_at > g->now)
			continue;
		g->asked++;
		if (asker)
			asker->asked++;
		if (asked)
			asked->asked_of++;
		if ((m = month_of(g, v[i].asked_at)))
			m->asked++;
		if (v[i].made_at && v[i].made_at <= g->now) {
			g->made++;
			if (asked)
				asked->made++;
			if ((m = month_of(g, v[i].made_at)))
				m->made++;
		}
		if (v[i].outcome_at && v[i].outcome_at <= g->now) {
			g->outcomes++;
			if (asker)
				asker->outcomes++;
			if ((m = month_of(g, v[i].outcome_at)))
				m->outcomes++;
		}
	}
	kith_intro_request_list_free(v, n);
	return KITH_OK;
}

/* One favour: giver and the others in it. */
static void count_favour(kith_goodwill *g, int64_t at, kith_id giver, double value,
                         const kith_id *people, size_t n)
{
	kith_goodwill_member *from = member_of_person(g, giver);
	kith_goodwill_month *m = month_of(g, at);
	int outside = 0, inside = 0;

	for (size_t i = 0; i < n; i++) {
		if (people[i] == giver)
			continue;
		if (is_member_person(g, people[i]))
			inside = 1;
		else
			outside = 1;
	}
	if (from && outside) {
		from->given += value;
		g->given += value;
		if (m)
			m->given += value;
	} else if (from && inside) {
		g->within += value;
	} else if (!from && inside) {
		for (size_t i = 0; i < n; i++) {
			kith_goodwill_member *to = member_of_person(g, people[i]);
			if (to)
				to->received += value;
		}
		g->received += value;
		if (m)
			m->received += value;
	}
}

static int count_favours(kith_db *db, kith_goodwill *g, kith_error *err)
{
	sqlite3_stmt *st;
	kith_idv people = {0};
	kith_id cur = 0, giver = 0;
	int64_t at = 0;
	double value = 0;
	/* plan: scan -- goodwill totals the team's favours over the whole log */
	int rc = kith__prepare(db, "SELECT i.id, i.at, i.giver, coalesce(i.value, 1), ip.person_id"
	                       " FROM interaction i JOIN interaction_person ip"
	                       " ON ip.interaction_id = i.id WHERE i.kind = 'favour'"
	                       " AND i.giver IS NOT NULL AND i.at <= ?1 ORDER BY i.id", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, g->now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kith_id id = sqlite3_column_int64(st, 0);
		if (id != cur) {
			if (cur)
				count_favour(g, at, giver, value, people.v, people.n);
			people.n = 0;
			cur = id;
			at = sqlite3_column_int64(st, 1);
			giver = sqlite3_column_int64(st, 2);
			value = sqlite3_column_double(st, 3);
		}
		if (kith_idv_push(&people, sqlite3_column_int64(st, 4))) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	if (rc == SQLITE_DONE && cur)
		count_favour(g, at, giver, value, people.v, people.n);
	sqlite3_finalize(st);
	kith_idv_clear(&people);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read favours", err);
}

int kith_goodwill_get(kith_db *db, kith_id viewer, int64_t now, int months, kith_goodwill *out,
                      kith_error *err)
{
	kith_goodwill_point last;
	int rc;

	memset(out, 0, sizeof(*out));
	if (months < 1 || months > KITH_GOODWILL_MAX_MONTHS)
		return kith_error_set(err, KITH_EINVAL, "months must be 1 to %d",
		                      KITH_GOODWILL_MAX_MONTHS);
	out->now = now;
	if ((rc = load_members(db, out, err)) || (rc = make_months(out, months, err)))
		goto fail;
	if (!(out->series = calloc((size_t)months + 1, sizeof(*out->series)))) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto fail;
	}
	for (int k = months; k > 0 && !rc; k--)
		rc = stock_at(db, out, now - (int64_t)k * 30 * DAY, 0, &out->series[out->nseries++], err);
	if (!rc && !(rc = stock_at(db, out, now, 1, &last, err))) {
		out->series[out->nseries++] = last;
		out->people = last.people;
		out->strength = last.strength;
	}
	if (!rc)
		rc = count_requests(db, viewer, out, err);
	if (!rc)
		rc = count_favours(db, out, err);
	if (!rc)
		rc = going_down(db, out, err);
	if (!rc)
		return KITH_OK;
fail:
	kith_goodwill_clear(out);
	return rc;
}

/* --- JSON ----------------------------------------------------------------- */

static json_t *named(kith_db *db, const char *sql, kith_id id)
{
	sqlite3_stmt *st;
	json_t *j = NULL;

	if (!kith__prepare(db, sql, &st, NULL)) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			j = json_pack("{s:I, s:o}", "id", (json_int_t)id, "name",
			              kith__json_str((const char *)sqlite3_column_text(st, 0)));
		sqlite3_finalize(st);
	}
	return j ? j : json_pack("{s:I, s:n}", "id", (json_int_t)id, "name");
}

json_t *kith_goodwill_json(kith_db *db, const kith_goodwill *g)
{
	static const char person_sql[] = "SELECT display_name FROM person WHERE id = ?1";
	static const char member_sql[] = "SELECT name FROM main.member WHERE id = ?1";
	json_t *series = json_array(), *members = json_array(), *months = json_array(),
	       *down = json_array();
	char ym[16];

	for (size_t i = 0; i < g->nseries; i++)
		json_array_append_new(series, json_pack("{s:o, s:I, s:f}", "at",
		                      kith_time_json(g->series[i].at), "people",
		                      (json_int_t)g->series[i].people, "strength",
		                      g->series[i].strength));
	for (size_t i = 0; i < g->nmembers; i++) {
		const kith_goodwill_member *m = &g->members[i];
		json_array_append_new(members, json_pack("{s:o, s:I, s:I, s:f, s:I, s:I, s:I, s:I,"
		    " s:f, s:f}", "member", named(db, member_sql, m->member), "person",
		    (json_int_t)m->person, "people", (json_int_t)m->people, "strength", m->strength,
		    "asked", (json_int_t)m->asked, "asked_of", (json_int_t)m->asked_of,
		    "made", (json_int_t)m->made, "outcomes", (json_int_t)m->outcomes,
		    "favours_given", m->given, "favours_received", m->received));
	}
	for (size_t i = 0; i < g->nmonths; i++) {
		const kith_goodwill_month *m = &g->months[i];
		snprintf(ym, sizeof(ym), "%04d-%02d", m->year, m->month);
		json_array_append_new(months, json_pack("{s:s, s:I, s:I, s:I, s:f, s:f}", "month", ym,
		    "asked", (json_int_t)m->asked, "made", (json_int_t)m->made,
		    "outcomes", (json_int_t)m->outcomes, "favours_given", m->given,
		    "favours_received", m->received));
	}
	for (size_t i = 0; i < g->ndown; i++) {
		const kith_goodwill_down *d = &g->down[i];
		json_t *p = named(db, person_sql, d->person);
		json_object_set_new(p, "member", named(db, member_sql, d->member));
		json_object_set_new(p, "orbit", d->orbit ? json_integer(d->orbit) : json_null());
		json_object_set_new(p, "before", json_integer(d->before));
		json_object_set_new(p, "strength", json_real(d->strength));
		json_object_set_new(p, "strength_90d_ago", json_real(d->then));
		json_array_append_new(down, p);
	}
	return json_pack("{s:o, s:{s:I, s:f}, s:o, s:o, s:o, s:{s:I, s:I, s:I},"
	                 " s:{s:f, s:f, s:f}, s:o}",
	                 "now", kith_time_json(g->now),
	                 "stock", "people", (json_int_t)g->people, "strength", g->strength,
	                 "series", series, "members", members, "months", months,
	                 "introductions", "asked", (json_int_t)g->asked, "made", (json_int_t)g->made,
	                 "outcomes", (json_int_t)g->outcomes,
	                 "favours", "given", g->given, "received", g->received, "within", g->within,
	                 "trending_down", down);
}
