/* Large scratch memory (src/base/bigmem.c): zeroed, at least what was
 * asked, 2 MiB-aligned from 2 MiB up, and writable to its last byte. */
#include <stdint.h>
#include <string.h>

#include "support.h"
#include "internal.h"

static void check_size(size_t len)
{
	size_t mapped = 0;
	unsigned char *p = kith__map_zero(len, &mapped);

	assert_non_null(p);
	assert_true(mapped >= (len ? len : 1));
	assert_int_equal(mapped % 4096, 0);
	if (len >= ((size_t)2 << 20)) {
		assert_int_equal((uintptr_t)p % ((size_t)2 << 20), 0);
		assert_int_equal(mapped % ((size_t)2 << 20), 0);
	}
	for (size_t i = 0; i < mapped; i += 4096)
		assert_int_equal(p[i], 0);
	assert_int_equal(p[mapped - 1], 0);
	memset(p, 0xa5, mapped);
	assert_int_equal(p[mapped - 1], 0xa5);
	kith__unmap(p, mapped);
}

static void sizes(void **state)
{
	(void)state;
	check_size(0);
	check_size(1);
	check_size(4097);
	check_size(((size_t)2 << 20) - 1);
	check_size((size_t)2 << 20);
	check_size(((size_t)5 << 20) + 3);
	kith__unmap(NULL, 0);   /* nothing to give back */
}

static void impossible_size(void **state)
{
	size_t mapped = 1;

	(void)state;
	assert_null(kith__map_zero(SIZE_MAX - 4096, &mapped));
	assert_int_equal(mapped, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes),
		cmocka_unit_test(impossible_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
