#ifndef KITH_VCARD_TEXT_H
#define KITH_VCARD_TEXT_H

/* The text of vCard lines (base/vcard_text.c), for the card writer and
 * the export.  Both append to a GString the caller owns; NULL s is an
 * empty value. */
#include <stddef.h>
#include <glib.h>

/* Appends one logical line to out, folded at 75 octets (never inside a
 * UTF-8 character), with CRLF. */
void kith__vcard_fold(GString *out, const char *s, size_t n);
/* Appends s escaped for a vCard text value: \\ \, \; and \n; CR dropped. */
void kith__vcard_esc(GString *g, const char *s);

#endif
