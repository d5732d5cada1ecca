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


/* A card's logical (unfolded) lines: the text owns them ('\n' between
 * lines); line/len/name index them, name upper-cased without its group. */
typedef struct kith__lines {
	char *text;
	const char **line;
	size_t *len;
	char (*name)[24];
	size_t n;
} kith__lines;
/* The lines of person's card kith keeps for the client (card_extra) into
 * *x, empty when none; free with kith__lines_free. */
int kith__card_extra_load(kith_db *db, kith_id person, kith__lines *x, kith_error *err);

/* Indexes text (taken over: freed by kith__lines_free, even on error).
 * KITH_OK or KITH_ENOMEM. */
int kith__lines_index(char *text, kith__lines *out);
void kith__lines_free(kith__lines *l);
/* The group of a line ("item1" of "item1.X-ABLabel:..."), "" when none. */
void kith__line_group(const char *line, size_t len, char *out, size_t sz);

/*
 * Relationships on cards.  A card states one with a RELATED line (vCard
 * 4.0) or with Apple's X-ABRELATEDNAMES and the X-ABLabel of its group
 * (vCard 3.0); the label says what the related person is to the card's
 * person.  One table (card_rel.c) maps labels to link kinds and back.
 *
 * For a directed kind ("a mentor b": a mentors b) the end says which end
 * the related person is: KITH__REL_A when they have the role ("mentor":
 * they mentor the card's person), KITH__REL_B when the card's person has
 * it ("mentor of").
 */
enum { KITH__REL_ANY = 0, KITH__REL_A = 1, KITH__REL_B = 2 };

/* The kind a label stands for (a RELATED TYPE value or an X-ABLabel, any
 * case).  1 when the table knows it; 0 when not, and then kind holds the
 * word a kith kind of that name would have ("x-boss-of" gives "boss",
 * end KITH__REL_B), for the caller to check against the kinds there are. */
int kith__rel_from_label(const char *label, char *kind, size_t sz, int *end);

/* The label kith writes for a link of kind seen from the card whose
 * related person is at end: a RELATED TYPE value (version 4) or an
 * X-ABLabel (3). */
void kith__rel_to_label(const char *kind, int end, int version, char *out, size_t sz);

/* A label of one form in the other version's form when the table has it
 * ("_$!<Spouse>!$_" <-> "spouse").  1 when out was set. */
int kith__rel_convert(const char *label, int version, char *out, size_t sz);

/* One relationship as a card states it (owning its strings and array). */
typedef struct kith__rel_item {
	size_t *lines;        /* indexes of its lines in the card's lines */
	size_t nlines;
	char *value;          /* unescaped: a URI or a name */
	int uri;              /* value is a URI, not a name */
	int apple;            /* the X-ABRELATEDNAMES form */
	kith_strv labels;     /* TYPE values, or the X-ABLabel; may be empty */
} kith__rel_item;

/* The relationships in l, in the order of their lines, into a heap array
 * (*out, kith__rel_items_free).  KITH_OK or KITH_ENOMEM. */
int kith__rel_items(const kith__lines *l, kith__rel_item **out, size_t *n);
void kith__rel_items_free(kith__rel_item *v, size_t n);

/* Appends the lines stating that the person named value (a URI when uri)
 * is label to the card's person: RELATED for version 4, X-ABRELATEDNAMES
 * and X-ABLabel in group (e.g. "item3") for 3.  All borrowed. */
void kith__rel_write(GString *out, int version, const char *label, const char *value,
                     int uri, const char *group);

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
