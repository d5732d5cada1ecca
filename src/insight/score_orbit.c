/* Orbits around me (Dunbar-style layers by strength rank), keep-in-touch
 * cadences, and the list of who is due a call or going dry. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score/score.h"
#include "insight/insight_impl.h"

const int kith_orbit_size[KITH_ORBITS + 1] = {0, 5, 15, 50, 150, INT_MAX};
const char *const kith_orbit_name[KITH_ORBITS + 1] = {
	"", "inner", "close", "active", "known", "wider"};
/* A layer's members are expected to be at least this strong.  Someone who
 * was in a layer three months ago and is now weaker than it expects, and
 * weaker than then, is going dry. */
const double kith_orbit_threshold[KITH_ORBITS + 1] = {0, 0.6, 0.4, 0.2, 0.08, 0};

static int orbit_of_rank(size_t rank)
{
	int o = 1;

	while (o < KITH_ORBITS && rank >= (size_t)kith_orbit_size[o])
		o++;
	return o;
}

void kith_orbit_list_free(kith_orbit_member *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_strength_clear(&v[i].s);
	free(v);
}

/* Orbit of person in a strongest-first list, 0 when absent. */
static int orbit_in(const kith_strength *v, size_t n, kith_id person)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].person == person)
			return orbit_of_rank(i);
	return 0;
}

static int list_gone(const kith_strength *then, size_t nthen, const kith_strength *now,
                     size_t nnow, kith_orbit_member **gone, size_t *ngone)
{
	*gone = calloc(nthen ? nthen : 1, sizeof(**gone));
	*ngone = 0;
	if (!*gone)
		return KITH_ENOMEM;
	for (size_t i = 0; i < nthen; i++) {
		size_t j;
		for (j = 0; j < nnow && now[j].person != then[i].person; j++)
			;
		if (j < nnow)
			continue;
		(*gone)[*ngone].s = then[i];
		(*gone)[*ngone].s.last_kind = kith__strdup(then[i].last_kind);
		(*gone)[(*ngone)++].before = orbit_of_rank(i);
	}
	return KITH_OK;
}

struct then_rank {
	double then;
	kith_id person;
	size_t at;        /* index in the list at now */
};

static int by_then(const void *pa, const void *pb)
{
	const struct then_rank *a = pa, *b = pb;

	/* As by_strength orders a list computed at that time. */
	if (a->then != b->then)
		return a->then < b->then ? 1 : -1;
	return (a->person > b->person) - (a->person < b->person);
}

/* My orbits at now with each one's orbit at now - KITH_SCORE_TREND_DAYS,
 * from one read of my log (the due list asks for exactly that): the
 * strengths at that time come with those at now, so the second reading
 * kith_orbits would make gives nothing new. */
static int orbits_trend(kith_db *db, kith_id me, int64_t now, kith_orbit_member **out,
                        size_t *n, kith_error *err)
{
	kith_strength *v;
	unsigned char *was;
	struct then_rank *r;
	size_t nv, nr = 0;
	int rc = kith__strength_around_then(db, me, now, &v, &nv, &was, err);

	if (rc)
		return rc;
	r = calloc(nv ? nv : 1, sizeof(*r));
	*out = calloc(nv ? nv : 1, sizeof(**out));
	if (!r || !*out) {
		free(r);
		free(*out);
		*out = NULL;
		free(was);
		kith_strength_list_free(v, nv);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nv; i++) {
		if (was[i])
			r[nr++] = (struct then_rank){v[i].then, v[i].person, i};
		(*out)[i].s = v[i];
		(*out)[i].orbit = orbit_of_rank(i);
	}
	qsort(r, nr, sizeof(*r), by_then);
	for (size_t k = 0; k < nr; k++)
		(*out)[r[k].at].before = orbit_of_rank(k);
	*n = nv;
	free(r);
	free(was);
	free(v);  /* the strings moved into *out */
	return KITH_OK;
}

int kith_orbits(kith_db *db, kith_id me, int64_t now, int64_t since,
                kith_orbit_member **out, size_t *n,
                kith_orbit_member **gone, size_t *ngone, kith_error *err)
{
	kith_strength *v = NULL, *then = NULL;
	size_t nv = 0, nthen = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (gone) {
		*gone = NULL;
		*ngone = 0;
	}
	if (since && !gone && since == now - KITH_SCORE_TREND_DAYS * 86400LL)
		return orbits_trend(db, me, now, out, n, err);
	rc = kith_strength_around(db, me, now, &v, &nv, err);
	if (!rc && since)
		rc = kith_strength_around(db, me, since, &then, &nthen, err);
	if (!rc && !(*out = calloc(nv ? nv : 1, sizeof(**out))))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!rc && since && gone && list_gone(then, nthen, v, nv, gone, ngone))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (rc) {
		kith_strength_list_free(v, nv);
		kith_strength_list_free(then, nthen);
		free(*out);
		*out = NULL;
		return rc;
	}
	for (size_t i = 0; i < nv; i++) {
		(*out)[i].s = v[i];
		(*out)[i].orbit = orbit_of_rank(i);
		(*out)[i].before = since ? orbit_in(then, nthen, v[i].person) : 0;
	}
	*n = nv;
	free(v);  /* the strings moved into *out */
	kith_strength_list_free(then, nthen);
	return KITH_OK;
}

/* --- cadences ----------------------------------------------------------- */

/* sql is a literal (kith__stmt): the due list asks once per person. */
static int get_int(kith_db *db, const char *sql, int64_t key)
{
	sqlite3_stmt *st;
	int v = 0;

	if (kith__stmt(db, sql, &st, NULL))
		return 0;
	sqlite3_bind_int64(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	kith__stmt_release(db, st);
	return v;
}

int kith_cadence_person(kith_db *db, kith_id person)
{
	return get_int(db, "SELECT days FROM person_cadence WHERE person_id = ?1", person);
}

int kith_cadence_orbit(kith_db *db, int orbit)
{
	return get_int(db, "SELECT days FROM orbit_cadence WHERE orbit = ?1", orbit);
}

static int set_cadence(kith_db *db, const char *set, const char *del, int64_t key,
                       int days, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (days < 0 || days > 3650)
		return kith_error_set(err, KITH_EINVAL, "a cadence is 1 to 3650 days (0 clears it)");
	rc = kith__prepare(db, days ? set : del, &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, key);
	if (days)
		sqlite3_bind_int(st, 2, days);
	rc = kith__step_done(db, st, "set cadence", err);
	sqlite3_finalize(st);
	return rc;
}

int kith_cadence_set_person(kith_db *db, kith_id person, int days, kith_error *err)
{
	int rc = kith__person_exists(db, person, err);

	return rc ? rc : set_cadence(db,
		"INSERT OR REPLACE INTO person_cadence(person_id, days) VALUES (?1, ?2)",
		"DELETE FROM person_cadence WHERE person_id = ?1", person, days, err);
}

int kith_cadence_set_orbit(kith_db *db, int orbit, int days, kith_error *err)
{
	if (orbit < 1 || orbit > KITH_ORBITS)
		return kith_error_set(err, KITH_EINVAL, "orbits are 1 (inner) to 5 (wider)");
	return set_cadence(db, "INSERT OR REPLACE INTO orbit_cadence(orbit, days) VALUES (?1, ?2)",
	                   "DELETE FROM orbit_cadence WHERE orbit = ?1", orbit, days, err);
}

/* --- the due list ------------------------------------------------------- */

void kith_due_list_free(kith_due *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kith_strength_clear(&v[i].m.s);
	free(v);
}

static double urgency(const kith_due *d)
{
	if (d->days_since < 0)
		return 1e9;
	return d->cadence ? d->days_since / d->cadence : d->m.s.then - d->m.s.strength;
}

static int by_value(const void *pa, const void *pb)
{
	const kith_due *a = pa, *b = pb;
	double ua = urgency(a), ub = urgency(b);

	if (a->m.orbit != b->m.orbit)
		return a->m.orbit - b->m.orbit;
	if (ua != ub)
		return ua < ub ? 1 : -1;
	return (a->m.s.person > b->m.s.person) - (a->m.s.person < b->m.s.person);
}

/* Decides whether member m is due, filling d; 0 when not. */
static int judge(kith_db *db, const kith_orbit_member *m, int64_t now, kith_due *d)
{
	int orbit_cadence = kith_cadence_orbit(db, m->orbit);
	int own = kith_cadence_person(db, m->s.person);

	memset(d, 0, sizeof(*d));
	d->cadence = own ? own : orbit_cadence;
	d->days_since = m->s.last_at ? (double)(now - m->s.last_at) / 86400.0 : -1;
	if (d->cadence && (d->days_since < 0 || d->days_since > d->cadence))
		d->why |= KITH_DUE_OVERDUE;
	/* Judged against the layer they were in: a fading friend also
	 * slips down the ranks, where less is expected of them. */
	if (m->before && m->before < KITH_ORBITS &&
	    m->s.strength < kith_orbit_threshold[m->before] && m->s.strength < m->s.then)
		d->why |= KITH_DUE_DRY;
	return d->why != 0;
}

int kith_due_list(kith_db *db, kith_id me, int64_t now, kith_due **out,
                  size_t *n, kith_error *err)
{
	kith_orbit_member *m;
	size_t nm, cnt = 0;
	kith_due *v;
	int rc = kith_orbits(db, me, now, now - KITH_SCORE_TREND_DAYS * 86400LL, &m, &nm,
	                     NULL, NULL, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	v = calloc(nm ? nm : 1, sizeof(*v));
	if (!v) {
		kith_orbit_list_free(m, nm);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nm; i++) {
		if (!judge(db, &m[i], now, &v[cnt]))
			continue;
		v[cnt].m = m[i];
		m[i].s.last_kind = NULL;  /* moved */
		cnt++;
	}
	kith_orbit_list_free(m, nm);
	qsort(v, cnt, sizeof(*v), by_value);
	*out = v;
	*n = cnt;
	return KITH_OK;
}
