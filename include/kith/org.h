#ifndef KITH_ORG_H
#define KITH_ORG_H

#include "kith/db.h"

/* An organisation: a company, a university, a club.  Names are unique
 * case-insensitively.  Strings are owned by the struct. */
typedef struct kith_org {
	kith_id id;
	char *name;     /* required */
	char *domain;   /* e.g. "acme.example", lower-case, optional */
	char *city;
	char *country;
	char *notes;
	int64_t created, updated;
} kith_org;

void kith_org_clear(kith_org *o);
void kith_org_free(kith_org *o);

/* Stores a new org (o borrowed; o->id etc. set on success). */
int kith_org_add(kith_db *db, kith_org *o, kith_error *err);
int kith_org_get(kith_db *db, kith_id id, kith_org **out, kith_error *err);
int kith_org_update(kith_db *db, kith_org *o, kith_error *err);
/* Deletes an org and the jobs at it. */
int kith_org_remove(kith_db *db, kith_id id, kith_error *err);
/* By id ("12", "#12"), exact name, domain, or unique name prefix. */
int kith_org_resolve(kith_db *db, const char *ref, kith_id *id,
                     kith_idv *candidates, kith_error *err);
/* Like resolve, but creates the org when no name matches. */
int kith_org_ensure(kith_db *db, const char *name, kith_id *id, kith_error *err);
/* All orgs by name; free with kith_org_list_free(). */
int kith_org_list(kith_db *db, size_t limit, size_t offset, kith_org ***out,
                  size_t *n, kith_error *err);
void kith_org_list_free(kith_org **v, size_t n);

/*
 * Employment: a person at an org with a title over a period.  from/to are
 * partial ISO dates ("2019", "2019-05"); to == NULL means "still there".
 */
typedef struct kith_job {
	kith_id id;
	kith_id person;
	kith_id org;
	char *org_name;  /* filled on read, ignored on write */
	char *title;
	char *from;
	char *to;
} kith_job;

void kith_job_clear(kith_job *j);
/* Stores a job (j borrowed; dates validated; j->id set). */
int kith_job_add(kith_db *db, kith_job *j, kith_error *err);
/* Sets the end date of a job (to = NULL reopens it). */
int kith_job_end(kith_db *db, kith_id job, const char *to, kith_error *err);
int kith_job_remove(kith_db *db, kith_id job, kith_error *err);
/* Jobs of a person, current first then newest; free with kith_job_list_free. */
int kith_job_list(kith_db *db, kith_id person, kith_job **out, size_t *n,
                  kith_error *err);
/* Jobs at an org (all people), for `show org`. */
int kith_job_list_at(kith_db *db, kith_id org, kith_job **out, size_t *n,
                     kith_error *err);
void kith_job_list_free(kith_job *v, size_t n);
/* One job by id into out (org_name filled; clear with kith_job_clear).
 * KITH_ENOTFOUND when there is none (or the handle does not see it). */
int kith_job_get(kith_db *db, kith_id id, kith_job *out, kith_error *err);
/* Replaces title, from and to of job j->id (person and org stay; to NULL:
 * current).  Same checks as kith_job_add; j borrowed; nothing changes on
 * failure. */
int kith_job_update(kith_db *db, const kith_job *j, kith_error *err);

#endif
