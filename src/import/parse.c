/* Capture, parsing: the formats by name, and one file's records handed
 * to a sink by the parser of its format (vcard.c, csv.c, mbox.c, ics.c). */
#include <string.h>
#include <strings.h>

#include "import_impl.h"

static const char *const format_names[] = {"auto", "vcard", "csv", "mbox", "ics", "json", "links"};
#define NFORMATS ((int)(sizeof(format_names) / sizeof(format_names[0])))

int kith_import_format_parse(const char *name)
{
	static const struct { const char *alias; int f; } aliases[] = {
		{"vcf", KITH_IMPORT_VCARD}, {"ical", KITH_IMPORT_ICS},
		{"icalendar", KITH_IMPORT_ICS}, {"ics", KITH_IMPORT_ICS},
		{"graphml", KITH_IMPORT_LINKS}};

	if (!name)
		return -1;
	for (int i = 0; i < NFORMATS; i++)
		if (strcasecmp(name, format_names[i]) == 0)
			return i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return aliases[i].f;
	return -1;
}

const char *kith_import_format_name(int format)
{
	return format >= 0 && format < NFORMATS ? format_names[format] : "?";
}

int kith__parse(int format, const char *data, size_t len, const char *csv_map,
                const kith__sink *sink, kith_error *err)
{
	switch (format) {
	case KITH_IMPORT_VCARD: return kith__vcard_parse(data, len, sink, err);
	case KITH_IMPORT_CSV: return kith__csv_parse(data, len, csv_map, sink, err);
	case KITH_IMPORT_MBOX: return kith__mbox_parse(data, len, sink, err);
	case KITH_IMPORT_ICS: return kith__ics_parse(data, len, sink, err);
	}
	return kith_error_set(err, KITH_EINVAL, "unknown import format %d", format);
}
