#ifndef KITH_INTERACTION_H
#define KITH_INTERACTION_H

#include "kith/db.h"

/*
 * An interaction: a meeting, call, email, message, introduction or favour
 * at a moment, among two or more people.  A favour has a giver (one of the
 * people) and a value (default 1): value given by the giver to the others,
 * which is what reciprocity is measured on.
 */
typedef struct kith_interaction {
	kith_id id;
	int64_t at;          /* Unix seconds UTC */
	char *kind;
	char *notes;
	kith_idv people;     /* >= 2 distinct people */
	kith_id initiator;   /* who started it (an email's sender); 0 = unknown;
	                        a favour's giver when not set */
	kith_id giver;       /* favours: who gave; 0 otherwise */
	double value;        /* favours: > 0 */
	int64_t created;
} kith_interaction;

void kith_interaction_clear(kith_interaction *it);

/* Stores an interaction (it borrowed; it->id set).  Errors: fewer than two
 * distinct people, unknown person or kind, a favour without a giver among
 * the people, a non-favour with a giver. */
int kith_interaction_add(kith_db *db, kith_interaction *it, kith_error *err);
/* Replaces interaction it->id with it (it borrowed and normalised as by
 * kith_interaction_add: people deduplicated, a favour's value defaulted;
 * at 0 keeps the stored time, created is filled in).  The pair cache
 * follows in the same transaction.  Errors: those of kith_interaction_add,
 * KITH_ENOTFOUND when there is no such interaction, KITH_EPERM when a
 * person added is private to a member other than the interaction's owner
 * (it would become theirs); on any error nothing is written. */
int kith_interaction_update(kith_db *db, kith_interaction *it, kith_error *err);
int kith_interaction_get(kith_db *db, kith_id id, kith_interaction *out,
                         kith_error *err);
int kith_interaction_remove(kith_db *db, kith_id id, kith_error *err);

/* Interactions involving person (0 = all), newest first, within
 * [since, until) when those are non-zero, at most limit (0 = all).
 * Free with kith_interaction_list_free. */
typedef struct kith_interaction_filter {
	kith_id person;
	kith_id with;      /* and also this person */
	const char *kind;
	int64_t since, until;
	size_t limit, offset;
} kith_interaction_filter;

int kith_interaction_list(kith_db *db, const kith_interaction_filter *f,
                          kith_interaction **out, size_t *n, kith_error *err);
void kith_interaction_list_free(kith_interaction *v, size_t n);

#endif
