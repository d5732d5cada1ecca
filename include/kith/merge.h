#ifndef KITH_MERGE_H
#define KITH_MERGE_H

/* Two records of one person made one (src/record/merge.c), and the pairs
 * that look like one person (src/record/identity.c).  Records: they are
 * here, not with the import, which only uses them. */

#include <stddef.h>
#include "kith/error.h"
#include "kith/types.h"
#include "kith/db.h"

/*
 * Identity by hand.  kith_person_merge moves everything of `gone` onto
 * `keep` in one transaction: emails, phones, tags, empty fields, notes,
 * jobs, links (a link both had to the same person with the same kind
 * keeps the higher trust, the earlier since and both notes), interactions,
 * vouches, cadences and source keys; then deletes `gone`.  If gone was
 * "me", keep becomes me.  Errors: KITH_ENOTFOUND, KITH_EINVAL (keep ==
 * gone).
 */
int kith_person_merge(kith_db *db, kith_id keep, kith_id gone, kith_error *err);

enum kith_dupe_reason {      /* strongest first */
	KITH_DUPE_PHONE,        /* a phone with the same digits */
	KITH_DUPE_NAME_ORG,     /* a similar name at the same organisation */
	KITH_DUPE_EMAIL_LOCAL,  /* the same email user name at two domains */
	KITH_DUPE_NAME          /* the same name once case and accents are folded */
};

typedef struct kith_dupe {
	kith_id a, b;           /* a < b */
	int reason;             /* enum kith_dupe_reason: the strongest one */
	char *detail;           /* "+33612345678", "Acme", ...; owned */
} kith_dupe;

/* Pairs of people that are likely the same, strongest reason first, at
 * most limit (0 = all).  *out is a heap array owned by the caller
 * (kith_dupe_list_free). */
int kith_dupes_find(kith_db *db, size_t limit, kith_dupe **out, size_t *n,
                    kith_error *err);
void kith_dupe_list_free(kith_dupe *v, size_t n);
/* Static text for a reason ("shared phone", ...). */
const char *kith_dupe_reason_name(int reason);

#endif
