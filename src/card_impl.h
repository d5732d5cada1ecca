#ifndef KITH_CARD_IMPL_H
#define KITH_CARD_IMPL_H

/* Inside the address-book cards (card.c, card_out.c, card_in.c). */

#include "internal.h"
#include "kith/card.h"

/* "kith-ID.vcf" into out. */
void kith__card_default_href(kith_id person, char *out, size_t sz);
/* The person kith's own name "kith-ID.vcf" stands for, or 0. */
kith_id kith__card_href_person(const char *href);
/* The person's last change log entry (0 when none). */
int kith__card_etag(kith_db *db, kith_id person, int64_t *etag, kith_error *err);

/* The card of person in member's book as db shows it (name, updated,
 * ETag); KITH_ENOTFOUND when db does not show them. */
int kith__card_ref_of(kith_db *db, kith_id member, kith_id person,
                      kith_card_ref *out, kith_error *err);

#endif
