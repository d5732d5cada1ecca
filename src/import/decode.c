/*
 * What an input is written in, before a parser sees it.  Windows programs
 * save text as UTF-16 with a byte-order mark (Excel's and Outlook's
 * "Unicode" CSV, vCards from some Windows address books); the parsers
 * read UTF-8, so GLib converts.  And an input whose format is guessed
 * should not be called "a CSV of no known kind" when it is no CSV at all.
 */
#include <string.h>
#include <glib.h>

#include "import_impl.h"

int kith__import_decode(const char **data, size_t *len, char **owned,
                        kith_error *err)
{
	const unsigned char *d = (const unsigned char *)*data;
	const char *from = NULL;
	GError *ge = NULL;
	gsize n = 0;

	*owned = NULL;
	if (*len >= 2 && d[0] == 0xff && d[1] == 0xfe)
		from = "UTF-16LE";
	else if (*len >= 2 && d[0] == 0xfe && d[1] == 0xff)
		from = "UTF-16BE";
	if (!from)
		return KITH_OK;
	*owned = g_convert(*data + 2, (gssize)(*len - 2), "UTF-8", from, NULL, &n, &ge);
	if (!*owned) {
		int rc = kith_error_set(err, KITH_EINVAL,
		                        "not %s text, as its byte-order mark says: %s", from,
		                        ge ? ge->message : "cannot convert");
		g_clear_error(&ge);
		return rc;
	}
	*data = *owned;
	*len = n;
	return KITH_OK;
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
	return "not a vCard, iCalendar, mbox or CSV file (no comma, semicolon or tab "
	       "in its first 64 KiB)";
}
