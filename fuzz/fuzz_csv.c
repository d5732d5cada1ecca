/* libFuzzer harness: the CSV reader on arbitrary bytes, once detecting
 * the flavour and once with a column map, after the UTF-16 decoding and
 * the "is it a CSV at all" check every import makes first. */
#include <glib.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *owned;
	kith_error err;

	if (kith__import_decode(&text, &size, &owned, &err) == KITH_OK) {
		(void)kith__not_csv(text, size);
		kith__csv_parse(text, size, NULL, &fuzz_sink, &err);
		kith__csv_parse(text, size, "name=Name,email=Email,tags=Tags,since=Since",
		                &fuzz_sink, &err);
	}
	g_free(owned);
	return 0;
}
