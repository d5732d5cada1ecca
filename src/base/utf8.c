/*
 * UTF-8 validity, by hand: GLib's g_utf8_validate answers the same
 * (tests/unit/test_validate.c compares them on every string of up to
 * three bytes and millions more), but every text column kith reads and
 * every error message it makes is checked, and a command that needs GLib
 * for nothing else should not load it (the Makefile binds GLib lazily:
 * loading it is about half a millisecond of a `kith path`).  This file
 * calls nothing, so anything in libkith may call it.
 */
#include <stddef.h>

#include "internal.h"

size_t kith_utf8_prefix(const char *s, size_t len)
{
	static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned char c = *p;
		size_t n, k;
		unsigned long u;
		if (c - 1u < 0x7fu) {
			p++;
			continue;
		}
		n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
		    c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (!n || (size_t)(end - p) < n)
			break;
		u = c & (0x7fu >> n);
		for (k = 1; k < n && (p[k] & 0xc0) == 0x80; k++)
			u = u << 6 | (p[k] & 0x3fu);
		if (k < n || u < least[n] || (u >= 0xd800 && u <= 0xdfff) || u > 0x10ffff)
			break;
		p += n;
	}
	return (size_t)(p - (const unsigned char *)s);
}
