/* JSON forms of what insight/ computes (see kith/json.h): due and orbits. */
#include "internal.h"
#include "kith/json.h"

json_t *kith_due_json(const kith_due *d)
{
	return json_pack("{s:I, s:s, s:f, s:f, s:i, s:o, s:o, s:o, s:b, s:b}",
		"person", (json_int_t)d->m.s.person, "orbit", kith_orbit_name[d->m.orbit],
		"strength", d->m.s.strength, "strength_90d_ago", d->m.s.then,
		"cadence_days", d->cadence,
		"days_since", d->days_since >= 0 ? json_real(d->days_since) : json_null(),
		"last_at", d->m.s.last_at ? kith_time_json(d->m.s.last_at) : json_null(),
		"last_kind", kith__json_str(d->m.s.last_kind),
		"overdue", !!(d->why & KITH_DUE_OVERDUE), "going_dry", !!(d->why & KITH_DUE_DRY));
}

json_t *kith_orbit_member_json(const kith_orbit_member *m, int since)
{
	json_t *j = json_pack("{s:I, s:i, s:s, s:f, s:f}", "person", (json_int_t)m->s.person,
	                      "orbit", m->orbit, "orbit_name", kith_orbit_name[m->orbit],
	                      "strength", m->s.strength, "strength_90d_ago", m->s.then);
	if (j && since)
		json_object_set_new(j, "before", m->before ? json_integer(m->before) : json_null());
	return j;
}
