#ifndef KITH_CARD_IMPL_H
#define KITH_CARD_IMPL_H

/* Inside the address-book cards (card.c, card_out.c, card_in.c, and the
 * relationships: card_rel.c, card_link.c). */

#include <glib.h>

#include "internal.h"
#include "base/vcard_text.h"
#include "kith/card.h"

/* "kith-ID.vcf" into out. */
void kith__card_default_href(kith_id person, char *out, size_t sz);
/* The person kith's own name "kith-ID.vcf" stands for, or 0. */
kith_id kith__card_href_person(const char *href);
/* The person's last change log entry (0 when none), whoever could see
 * it: what tells a book to look at the card again, never an ETag. */
int kith__card_etag(kith_db *db, kith_id person, int64_t *etag, kith_error *err);

/* The card of person in member's book as db shows it (name, updated,
 * seq; etag 0); KITH_ENOTFOUND when db does not show them. */
int kith__card_ref_of(kith_db *db, kith_id member, kith_id person,
                      kith_card_ref *out, kith_error *err);

/* The UID a card goes out with: the one it came with (a client's card,
 * or an imported one), else one made from the person's id and creation
 * time.  Into uid (sz bytes). */
void kith__card_uid(kith_db *db, kith_id person, int64_t created, char *uid,
                    size_t sz);
/* The UID kith makes for a person without one of their own. */
void kith__card_made_uid(kith_id person, int64_t created, char *uid, size_t sz);


/* The lines of person's card kith keeps for the client (card_extra) into
 * *x, empty when none; free with kith__lines_free. */
int kith__card_extra_load(kith_db *db, kith_id person, kith__lines *x, kith_error *err);

/* The card's links, on a PUT (card_in.c), inside the caller's
 * transaction on db, resolving on the member's view.  l is the card as
 * sent (version its vCard version); each line that states a relationship
 * kith now keeps as a link gets consumed[i] = 1 (the others stay with the
 * card as sent).  With replace (a card the member already had), links of
 * person the member sees and the card no longer states are removed.  in
 * and l are borrowed; consumed is the caller's, l->n bytes, zeroed. */
typedef struct kith__card_links_in {
	kith_db *db, *view;
	kith_id member, person;
	int replace;
	int version;
} kith__card_links_in;

int kith__card_links_store(const kith__card_links_in *in, const kith__lines *l,
                           char *consumed, kith_error *err);

/* Appends to out (the caller's) the person's links that view shows, as
 * lines of a version 3 or 4 card; extras (borrowed) are the card's kept
 * lines, whose groups stay theirs. */
int kith__card_links_write(kith_db *view, kith_id person, int version,
                           const kith__lines *extras, GString *out, kith_error *err);

#endif
