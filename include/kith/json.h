#ifndef KITH_JSON_H
#define KITH_JSON_H

/* JSON forms of kith records, shared by the CLI's --json and the API.
 * Each returns a new reference the caller owns (json_decref), or NULL on
 * out-of-memory.  The record is borrowed. */

#include <jansson.h>
#include "kith/person.h"
#include "kith/org.h"
#include "kith/link.h"
#include "kith/interaction.h"
#include "kith/score.h"
#include "kith/import.h"

json_t *kith_person_json(const kith_person *p);
json_t *kith_org_json(const kith_org *o);
json_t *kith_job_json(const kith_job *j);
json_t *kith_link_json(const kith_link *l);
json_t *kith_interaction_json(const kith_interaction *it);
/* A Unix time as "2026-11-02T14:30:00Z". */
json_t *kith_time_json(int64_t t);
/* One entry of the due list, and one member of an orbit (with its orbit
 * at the comparison date when since is set). */
json_t *kith_due_json(const kith_due *d);
json_t *kith_orbit_member_json(const kith_orbit_member *m, int since);
/* What an import did: counts and every issue kept, with its line. */
json_t *kith_import_report_json(const kith_import_report *r);

#endif
