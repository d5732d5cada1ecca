#ifndef KITH_EXPORT_IMPL_H
#define KITH_EXPORT_IMPL_H

/* Inside export: one walk over everyone, and a writer per format. */

#include <stdio.h>
#include "internal.h"
#include "kith/export.h"
#include "kith/person.h"
#include "kith/org.h"

/* One person as the walk hands it over: all borrowed for the call. */
typedef struct kith__xperson {
	const kith_person *p;
	const kith_job *jobs;   /* current first, then newest */
	size_t njobs;
	const char *uid;        /* the vCard UID it came with, or a made-up one */
} kith__xperson;

typedef int (*kith__person_fn)(void *ctx, const kith__xperson *x, kith_error *err);

/* Calls fn for every person by id. */
int kith__export_people(kith_db *db, kith__person_fn fn, void *ctx, kith_error *err);

int kith__export_vcard(kith_db *db, FILE *out, kith_error *err);
int kith__export_graphml(kith_db *db, FILE *out, kith_error *err);
int kith__export_dot(kith_db *db, FILE *out, kith_error *err);
/* Everything the handle sees, as kith import reads it back (json.c). */
int kith__export_json(kith_db *db, FILE *out, kith_error *err);

/* Writes a vCard 4.0 for one person. */
int kith__vcard_write(FILE *out, const kith__xperson *x);

#endif
