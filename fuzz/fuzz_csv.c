/* libFuzzer harness: the CSV reader on arbitrary bytes, once detecting
 * the flavour and once with a column map. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kith_error err;

	kith__csv_parse((const char *)data, size, NULL, &fuzz_sink, &err);
	kith__csv_parse((const char *)data, size, "name=Name,email=Email,tags=Tags,since=Since",
	                &fuzz_sink, &err);
	return 0;
}
