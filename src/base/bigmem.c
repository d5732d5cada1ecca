/*
 * Large scratch memory: zeroed anonymous mappings, on transparent huge
 * pages from 2 MiB up.
 *
 * A page fault costs about 10 us on a virtual machine (against about 1 us
 * a page when the kernel fills a range in one call), and an array of
 * hundreds of megabytes touched page by page pays it for every 4 KiB.  So
 * a mapping of 2 MiB or more is aligned to 2 MiB and advised
 * MADV_HUGEPAGE: one fault then covers 2 MiB.  The advice is a hint;
 * where huge pages are off the memory is the same, only slower to touch.
 * The graph's scratch arrays and the bulk link import's rows live here.
 */
#include <stdint.h>
#include <sys/mman.h>

#include "internal.h"

#define HUGE_PAGE ((size_t)2 << 20)

static size_t round_up(size_t x, size_t to)
{
	return (x + to - 1) / to * to;
}

void *kith__map_zero(size_t len, size_t *mapped)
{
	const int prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned char *raw, *p;
	size_t want;

	*mapped = 0;
	if (len == 0)
		len = 1;
	if (len > SIZE_MAX - 2 * HUGE_PAGE)   /* no rounding past the top */
		return NULL;
	if (len < HUGE_PAGE) {
		want = round_up(len, 4096);
		p = mmap(NULL, want, prot, flags, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		*mapped = want;
		return p;
	}
	want = round_up(len, HUGE_PAGE);
	raw = mmap(NULL, want + HUGE_PAGE, prot, flags, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	p = (unsigned char *)round_up((uintptr_t)raw, HUGE_PAGE);
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	if (raw + want + HUGE_PAGE > p + want)
		munmap(p + want, (size_t)(raw + want + HUGE_PAGE - (p + want)));
#ifdef MADV_HUGEPAGE
	madvise(p, want, MADV_HUGEPAGE);
#endif
	*mapped = want;
	return p;
}

void kith__unmap(void *p, size_t mapped)
{
	if (p)
		munmap(p, mapped);
}
