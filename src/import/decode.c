/*
 * What an input is written in, before a parser sees it.  Windows programs
 * save text as UTF-16 with a byte-order mark (Excel's and Outlook's
 * "Unicode" CSV, vCards from some Windows address books), most with a
 * byte-order mark, some without (told by where the NULs are); the parsers
 * read UTF-8, so GLib converts.  And an input whose format is guessed
 * should not be called "a CSV of no known kind" when it is no CSV at all.
 */
#include <string.h>
#include <glib.h>

#include "import_impl.h"

/* UTF-16 saved without a byte-order mark: "B\0E\0G\0..." (LE) or
 * "\0B\0E\0G..." (BE).  Text in any 8-bit encoding has no NUL at all, and
 * a file with a few stray NULs (libical's regression inputs) does not
 * have one in every other byte: at least 3 in 4 of the first 256 units
 * must have their NUL on the same side, and none on the other.  "UTF-16LE",
 * "UTF-16BE" or NULL. */
static const char *utf16_unmarked(const unsigned char *d, size_t len)
{
	size_t units = (len < 512 ? len : 512) / 2, lo = 0, hi = 0;

	if (units < 4)
		return NULL;
	for (size_t i = 0; i < units; i++) {
		lo += d[2 * i] == 0;
		hi += d[2 * i + 1] == 0;
	}
	if (lo == 0 && hi * 4 >= units * 3)
		return "UTF-16LE";
	if (hi == 0 && lo * 4 >= units * 3)
		return "UTF-16BE";
	return NULL;
}

int kith__import_decode(const char **data, size_t *len, char **owned,
                        kith_error *err)
{
	const unsigned char *d = (const unsigned char *)*data;
	const char *from = NULL, *said = "as its byte-order mark says";
	size_t skip = 2, n_in;
	GError *ge = NULL;
	gsize n = 0;

	*owned = NULL;
	if (*len >= 2 && d[0] == 0xff && d[1] == 0xfe)
		from = "UTF-16LE";
	else if (*len >= 2 && d[0] == 0xfe && d[1] == 0xff)
		from = "UTF-16BE";
	else if ((from = utf16_unmarked(d, *len)))
		skip = 0, said = "as its NUL bytes suggest";
	if (!from)
		return KITH_OK;
	n_in = *len - skip;
	if (!skip)  /* unmarked: a stray last byte (an editor's newline) is left */
		n_in &= ~(size_t)1;
	*owned = g_convert(*data + skip, (gssize)n_in, "UTF-8", from, NULL, &n, &ge);
	if (!*owned) {
		int rc = kith_error_set(err, KITH_EINVAL,
		                        "not %s text, %s: %s", from, said,
		                        ge ? ge->message : "cannot convert");
		g_clear_error(&ge);
		return rc;
	}
	*data = *owned;
	*len = n;
	return KITH_OK;
}

/* Whether the first line is an email column's header alone. */
static int one_column_of_emails(const char *data, size_t len)
{
	static const char *const heads[] = {"email", "e-mail", "email address",
		"e-mail address", "primary email"};
	size_t i = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0, n;
	const char *nl = memchr(data + i, '\n', len - i);

	n = (nl ? (size_t)(nl - data) : len) - i;
	while (n && (data[i + n - 1] == '\r' || data[i + n - 1] == ' ' || data[i + n - 1] == '"'))
		n--;
	while (n && (data[i] == ' ' || data[i] == '"'))
		i++, n--;
	for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
		if (strlen(heads[k]) == n && g_ascii_strncasecmp(data + i, heads[k], n) == 0)
			return 1;
	return 0;
}

const char *kith__not_csv(const char *data, size_t len)
{
	size_t end = len < 65536 ? len : 65536;

	if (memchr(data, '\0', end))
		return "not text: kith reads vCard, iCalendar, mbox and CSV files";
	/* LinkedIn opens with lines of notes, so any line will do. */
	for (size_t i = 0; i < end; i++)
		if (data[i] == ',' || data[i] == ';' || data[i] == '\t')
			return NULL;
	/* One column of addresses under its header ("Primary Email"). */
	if (one_column_of_emails(data, end))
		return NULL;
	return "not a vCard, iCalendar, mbox or CSV file (no comma, semicolon or tab "
	       "in its first 64 KiB)";
}
