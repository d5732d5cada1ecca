/*
 * The ordering half of the full recompute: the scan's contributions are
 * grouped by pair into rows in key order, the order in which the pair
 * cache's B-tree only appends.
 *
 * A comparison sort of tens of millions of records would cost as much as
 * the reading, so: the scan already files each contribution under a part
 * by the high bits of a (kith__layout), and each part gets a stable LSD
 * radix sort on one key: the bits of a below the part, then those of b
 * (33 bits at a million people: three passes of 11-bit digits).
 * Stability keeps each pair's contributions in interaction-id order, so
 * their sums add up in the same order, to the same bits, as an in-place
 * accumulation over the log would.
 *
 * Parts are sorted by two threads of their own while the caller writes
 * the ones before: once the pair cache was packed, one sorter took longer
 * than SQLite's inserts.  A few parts ahead at most, to bound the memory.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score_impl.h"

size_t kith__score_part_target = 1u << 19;  /* contributions per part, 12 MB */
#define AHEAD 6                 /* parts sorted ahead of the writer */
#define DIGIT_MAX 11            /* radix digit width in bits */
#define SORTERS 2

struct kith__pair_feed;

/* One sorting thread and its radix buffers (its own, grown as needed). */
struct sorter {
	struct kith__pair_feed *f;  /* borrowed */
	kith__contrib *buf[2];
	size_t cap;                 /* of each buffer */
	pthread_t tid;
	int started;
};

struct kith__pair_feed {
	kith__contribs *c;        /* the scan's, one per reader, in id order */
	size_t nc;
	size_t nparts;
	unsigned bits, shift;     /* significant id bits; part = a >> shift */
	kith__pair_row **rows;    /* sorted and summed, per part */
	size_t *nrows;
	unsigned char *done;      /* per part: sorted */
	size_t next, read;        /* next part to claim by a sorter; by the reader */
	int rc, stop;
	int threaded;             /* sorters started */
	struct sorter s[SORTERS];
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* How many bits v needs. */
static unsigned bit_length(uint64_t v)
{
	unsigned n = 0;

	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

/* The sort key of contribution x: the bits of a below the part, then the
 * bits bits of b. */
static inline uint64_t sort_key(const kith__contrib *x, uint64_t amask, unsigned bits)
{
	return ((x->a & amask) << bits) | (x->b & KITH__ID_MASK);
}

/* One stable counting pass on the key's digit at bit lo, width bits wide,
 * from src into dst (both the caller's, n long). */
static void radix_pass(const kith__contrib *src, kith__contrib *dst, size_t n,
                       uint64_t amask, unsigned bits, unsigned lo, unsigned width)
{
	size_t count[1u << DIGIT_MAX];
	uint64_t mask = ((uint64_t)1 << width) - 1;
	size_t sum = 0;

	memset(count, 0, sizeof(count[0]) << width);
	for (size_t i = 0; i < n; i++)
		count[(sort_key(&src[i], amask, bits) >> lo) & mask]++;
	for (size_t i = 0; i <= mask; i++) {
		size_t c = count[i];
		count[i] = sum;
		sum += c;
	}
	for (size_t i = 0; i < n; i++)
		dst[count[(sort_key(&src[i], amask, bits) >> lo) & mask]++] = src[i];
}

/* Gathers part p's blocks from every reader, in reader order, into
 * s->buf[0] (grown as needed), freeing the blocks; *n is how many. */
static int gather(kith__pair_feed *f, struct sorter *s, size_t p, size_t *n)
{
	size_t total = 0;

	for (size_t i = 0; i < f->nc; i++)
		for (kith__contrib_block *b = f->c[i].head[p]; b; b = b->next)
			total += b->n;
	if (total > s->cap) {
		for (int k = 0; k < 2; k++) {
			kith__contrib *v = realloc(s->buf[k], total * sizeof(*v));
			if (!v)
				return KITH_ENOMEM;
			s->buf[k] = v;
		}
		s->cap = total;
	}
	*n = 0;
	for (size_t i = 0; i < f->nc; i++) {
		kith__contrib_block *b = f->c[i].head[p], *next;
		for (; b; b = next) {
			next = b->next;
			memcpy(s->buf[0] + *n, b->v, b->n * sizeof(b->v[0]));
			*n += b->n;
			free(b);
		}
		f->c[i].head[p] = f->c[i].tail[p] = NULL;
	}
	return KITH_OK;
}

/* Sorts part p by (a, b) and sums it into f->rows[p] (f's, freed once
 * handed out and done with).  KITH_ENOMEM on allocation failure. */
static int sort_part(kith__pair_feed *f, struct sorter *s, size_t p)
{
	kith__contrib *v, *t;
	size_t n, m = 0;
	kith__pair_row *r;
	uint64_t amask = ((uint64_t)1 << f->shift) - 1;
	unsigned bits = f->bits + f->shift, passes = (bits + DIGIT_MAX - 1) / DIGIT_MAX;
	int rc = gather(f, s, p, &n);

	if (rc)
		return rc;
	v = s->buf[0];
	t = s->buf[1];
	/* Least significant digit first, the widths spread evenly. */
	for (unsigned i = 0, lo = 0; i < passes; i++) {
		unsigned width = (bits - lo + (passes - i) - 1) / (passes - i);
		kith__contrib *x = v;
		radix_pass(v, t, n, amask, f->bits, lo, width);
		v = t;
		t = x;
		lo += width;
	}
	if (!(r = malloc((n ? n : 1) * sizeof(*r))))
		return KITH_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int64_t a = (int64_t)(v[i].a & KITH__ID_MASK), b = (int64_t)(v[i].b & KITH__ID_MASK);
		unsigned bin = (unsigned)(v[i].a >> 63) | (unsigned)(v[i].b >> 63) << 1;
		if (!m || r[m - 1].a != a || r[m - 1].b != b) {
			r[m].a = a;
			r[m].b = b;
			r[m].u = r[m].ab = r[m].ba = 0;
			m++;
		}
		if (bin == 1)
			r[m - 1].ab += v[i].w;
		else if (bin == 2)
			r[m - 1].ba += v[i].w;
		else
			r[m - 1].u += v[i].w;
	}
	/* Rows are 40 bytes, contributions 24: most pairs have one or two. */
	if (m < n) {
		kith__pair_row *shrunk = realloc(r, (m ? m : 1) * sizeof(*r));
		if (shrunk)
			r = shrunk;
	}
	f->rows[p] = r;
	f->nrows[p] = m;
	return KITH_OK;
}

/* Thread body: arg is a sorter, which claims the next part, at most AHEAD
 * parts ahead of the reader, until all are done, one failed or the feed
 * is stopped. */
static void *sorter_main(void *arg)
{
	struct sorter *s = arg;
	kith__pair_feed *f = s->f;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		size_t p;
		int rc;
		while (!f->stop && !f->rc && f->next < f->nparts && f->next >= f->read + AHEAD)
			pthread_cond_wait(&f->cv, &f->mu);
		if (f->stop || f->rc || f->next >= f->nparts)
			break;
		p = f->next++;
		pthread_mutex_unlock(&f->mu);
		rc = sort_part(f, s, p);
		pthread_mutex_lock(&f->mu);
		if (rc)
			f->rc = rc;
		else
			f->done[p] = 1;
		pthread_cond_broadcast(&f->cv);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

void kith__layout_init(kith__layout *l, uint64_t maxid, size_t n)
{
	unsigned pbits = 0;

	l->bits = bit_length(maxid);
	while (pbits < l->bits && (kith__score_part_target << pbits) < n)
		pbits++;
	l->shift = l->bits - pbits;
	l->nparts = (size_t)1 << pbits;
}

int kith__pair_feed_new(kith__contribs *c, size_t nc, const kith__layout *l,
                        kith__pair_feed **out, kith_error *err)
{
	kith__pair_feed *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (!f || !(f->rows = calloc(l->nparts, sizeof(*f->rows))) ||
	    !(f->nrows = calloc(l->nparts, sizeof(*f->nrows))) ||
	    !(f->done = calloc(l->nparts, 1)))
		goto oom;
	if (pthread_mutex_init(&f->mu, NULL))
		goto oom;
	if (pthread_cond_init(&f->cv, NULL)) {
		pthread_mutex_destroy(&f->mu);
		goto oom;
	}
	f->c = c;
	f->nc = nc;
	f->nparts = l->nparts;
	f->bits = l->bits;
	f->shift = l->shift;
	/* Without a thread, the reader sorts each part as it comes. */
	for (int i = 0; i < SORTERS; i++) {
		f->s[i].f = f;
		f->s[i].started = pthread_create(&f->s[i].tid, NULL, sorter_main, &f->s[i]) == 0;
		f->threaded |= f->s[i].started;
	}
	*out = f;
	return KITH_OK;
oom:
	kith__contribs_free(c, nc);
	if (f) {
		free(f->rows);
		free(f->nrows);
		free(f->done);
		free(f);
	}
	return kith_error_set(err, KITH_ENOMEM, "out of memory");
}

int kith__pair_feed_next(kith__pair_feed *f, const kith__pair_row **rows, size_t *n)
{
	int rc = KITH_OK;

	*rows = NULL;
	*n = 0;
	pthread_mutex_lock(&f->mu);
	/* The rows handed out last are no longer needed. */
	if (f->read > 0 && f->rows[f->read - 1]) {
		free(f->rows[f->read - 1]);
		f->rows[f->read - 1] = NULL;
	}
	for (; f->read < f->nparts; f->read++) {
		if (!f->threaded) {
			pthread_mutex_unlock(&f->mu);
			rc = sort_part(f, &f->s[0], f->read);
			pthread_mutex_lock(&f->mu);
		} else {
			/* The sorters may be waiting for the reader to move on. */
			pthread_cond_broadcast(&f->cv);
			while (!f->rc && !f->done[f->read])
				pthread_cond_wait(&f->cv, &f->mu);
			rc = f->rc;
		}
		if (rc)
			break;
		if (f->nrows[f->read]) {
			*rows = f->rows[f->read];
			*n = f->nrows[f->read++];
			break;
		}
		free(f->rows[f->read]);
		f->rows[f->read] = NULL;
	}
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	return rc;
}

void kith__pair_feed_free(kith__pair_feed *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	for (int i = 0; i < SORTERS; i++)
		if (f->s[i].started)
			pthread_join(f->s[i].tid, NULL);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	for (size_t p = 0; p < f->nparts; p++)
		free(f->rows[p]);
	kith__contribs_free(f->c, f->nc);
	free(f->rows);
	free(f->nrows);
	free(f->done);
	for (int i = 0; i < SORTERS; i++) {
		free(f->s[i].buf[0]);
		free(f->s[i].buf[1]);
	}
	free(f);
}
