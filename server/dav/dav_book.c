/*
 * Each member's address book as their clients sync it (kith_card_book,
 * src/card/card_book.c): kept in memory for the life of the server, one per
 * member, behind a mutex of its own, and shared by the pool's threads so
 * every thread gives the same ETags and tokens.  A request reads it once
 * (refreshed first, on the thread's viewer handle) and answers from that
 * copy.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>

#include "dav_impl.h"

struct member_book {
	kith_id member;
	pthread_mutex_t lock;
	kith_card_book *book;
};

static pthread_mutex_t books_lock = PTHREAD_MUTEX_INITIALIZER;
static struct member_book **books;
static size_t nbooks, capbooks;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t dav_elapsed(const struct dav *d)
{
	return now_ms() - d->started;
}

static int64_t budget;
static pthread_once_t budget_once = PTHREAD_ONCE_INIT;

static void budget_read(void)
{
	const char *e = getenv("KITH_DAV_BUDGET_MS");
	long long v = e ? atoll(e) : 0;

	budget = v > 0 && v <= 3600000 ? v : DAV_BUDGET_MS;
}

static int64_t budget_ms(void)
{
	pthread_once(&budget_once, budget_read);
	return budget;
}

int dav_over_budget(const struct dav *d)
{
	return dav_elapsed(d) > budget_ms();
}

int dav_busy(struct dav *d)
{
	reply_error(d->r, 503, "busy", "the answer took over %lld ms to make and was stopped:"
	            " ask for fewer cards, or a smaller filter", (long long)budget_ms());
	if (d->r->resp)
		MHD_add_response_header(d->r->resp, "Retry-After", "10");
	return 0;
}

/* The member's book, made on first use when make is set; NULL on OOM or when
 * there is none.  Books are never freed: there is one per member who
 * ever synced, for the life of the process. */
static struct member_book *book_of(kith_id member, int make)
{
	struct member_book *mb = NULL;

	pthread_mutex_lock(&books_lock);
	for (size_t i = 0; i < nbooks && !mb; i++)
		if (books[i]->member == member)
			mb = books[i];
	if (!make) {
		pthread_mutex_unlock(&books_lock);
		return mb;
	}
	if (!mb && nbooks == capbooks) {
		size_t cap = capbooks ? capbooks * 2 : 8;
		struct member_book **v = realloc(books, cap * sizeof(*v));
		if (v) {
			books = v;
			capbooks = cap;
		}
	}
	if (!mb && nbooks < capbooks && (mb = calloc(1, sizeof(*mb)))) {
		mb->member = member;
		pthread_mutex_init(&mb->lock, NULL);
		if (kith_card_book_new(member, &mb->book, NULL)) {
			free(mb);
			mb = NULL;
		} else {
			books[nbooks++] = mb;
		}
	}
	pthread_mutex_unlock(&books_lock);
	return mb;
}

/* Locks the member's book and refreshes it; NULL after a reply.  The
 * time it takes is not the request's: the first refresh of a book renders
 * every card once for the life of the server, and waiting for another
 * request of the same member is not work done for this one. */
static struct member_book *open_book(struct dav *d)
{
	struct member_book *mb = book_of(d->r->member, 1);
	int64_t t0 = now_ms();
	kith_error err;

	if (!mb) {
		reply_error(d->r, 500, "internal", "out of memory");
		return NULL;
	}
	pthread_mutex_lock(&mb->lock);
	if (kith_card_book_refresh(mb->book, d->view, &err)) {
		pthread_mutex_unlock(&mb->lock);
		reply_kith(d->r, &err);
		return NULL;
	}
	d->started += now_ms() - t0;
	return mb;
}

int dav_book_read(struct dav *d)
{
	struct member_book *mb;
	kith_error err;
	int rc;

	if (d->book_read)
		return 0;
	if (!(mb = open_book(d)))
		return -1;
	rc = kith_card_book_list(mb->book, &d->refs, &d->nrefs, &err);
	memcpy(d->token, kith_card_book_token(mb->book), sizeof(d->token));
	pthread_mutex_unlock(&mb->lock);
	if (rc)
		return reply_kith(d->r, &err), -1;
	d->book_read = 1;
	return 0;
}

const kith_card_ref *dav_book_find(struct dav *d, const char *href)
{
	GHashTable *h = d->by_href;
	gpointer i;

	if (!d->book_read)
		return NULL;
	if (!h) {
		h = g_hash_table_new(g_str_hash, g_str_equal);
		for (size_t k = 0; k < d->nrefs; k++)
			g_hash_table_insert(h, d->refs[k].href, GSIZE_TO_POINTER(k + 1));
		d->by_href = h;
	}
	i = g_hash_table_lookup(h, href);
	return i ? &d->refs[GPOINTER_TO_SIZE(i) - 1] : NULL;
}

int dav_book_changes(struct dav *d, const char *token, kith_card_ref **out, size_t *n)
{
	struct member_book *mb;
	kith_error err;
	int rc;

	if (!(mb = open_book(d)))
		return -1;
	rc = kith_card_book_changes(mb->book, token, out, n, &err);
	memcpy(d->token, kith_card_book_token(mb->book), sizeof(d->token));
	pthread_mutex_unlock(&mb->lock);
	if (rc == KITH_ENOTFOUND)
		return 1;
	if (rc)
		return reply_kith(d->r, &err), -1;
	return 0;
}

void dav_book_touch(struct dav *d)
{
	struct member_book *mb = book_of(d->r->member, 0);
	kith_error err;

	if (!mb)
		return;  /* no client synced yet: the first read builds it */
	pthread_mutex_lock(&mb->lock);
	kith_card_book_refresh(mb->book, d->view, &err);  /* else the next read does */
	pthread_mutex_unlock(&mb->lock);
}

void dav_book_done(struct dav *d)
{
	if (d->by_href)
		g_hash_table_destroy(d->by_href);
	free(d->refs);
	d->by_href = NULL;
	d->refs = NULL;
	d->nrefs = 0;
	d->book_read = 0;
}
