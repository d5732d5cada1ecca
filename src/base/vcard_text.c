/*
 * The text of a vCard line (RFC 6350 3.2 and 3.4), shared by the card
 * writer (src/card/) and the export (src/export/vcard_out.c): a value
 * escaped, a line folded at 75 octets without splitting a UTF-8
 * character.  Written by hand: no Debian library writes vCard 4.0.
 */
#include <glib.h>

#include "base/vcard_text.h"

void kith__vcard_esc(GString *g, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == ',' || *s == ';')
			g_string_append_c(g, '\\');
		if (*s == '\n')
			g_string_append(g, "\\n");
		else if (*s != '\r')
			g_string_append_c(g, *s);
	}
}

/* Folds at 75 octets, never inside a UTF-8 character. */
void kith__vcard_fold(GString *out, const char *s, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n;) {
		size_t clen = 1;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0xf0)
			clen = 4;
		else if (c >= 0xe0)
			clen = 3;
		else if (c >= 0xc0)
			clen = 2;
		if (i + clen > n)
			clen = n - i;
		if (col + clen > 75) {
			g_string_append(out, "\r\n ");
			col = 1;
		}
		g_string_append_len(out, s + i, (gssize)clen);
		col += clen;
		i += clen;
	}
	g_string_append(out, "\r\n");
}
