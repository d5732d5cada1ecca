#ifndef KITH_VCARD_TEXT_H
#define KITH_VCARD_TEXT_H

/* The text of vCard lines (base/vcard_text.c), for the card writer and
 * the export.  Both append to a GString the caller owns; NULL s is an
 * empty value. */
#include <stddef.h>
#include <glib.h>
#include "kith/card.h"

/* Appends one logical line to out, folded at 75 octets (never inside a
 * UTF-8 character), with CRLF. */
void kith__vcard_fold(GString *out, const char *s, size_t n);
/* Appends s escaped for a vCard text value: \\ \, \; and \n; CR dropped. */
void kith__vcard_esc(GString *g, const char *s);

/* --- the line grammar (base/card_line.c) and relationships (base/card_rel.c):
 * text only, no table, for the card writer and reader (src/card/) and the
 * file import (src/import/related.c) alike. */

/* A card's logical (unfolded) lines: the text owns them ('\n' between
 * lines); line/len/name index them, name upper-cased without its group. */
typedef struct kith__lines {
	char *text;
	const char **line;
	size_t *len;
	char (*name)[24];
	size_t n;
} kith__lines;

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

#endif
