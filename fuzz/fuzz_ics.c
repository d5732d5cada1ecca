/* libFuzzer harness: the ics reader on arbitrary bytes. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kith_error err;

	kith__ics_parse((const char *)data, size, &fuzz_sink, &err);
	return 0;
}
