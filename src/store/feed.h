#ifndef KITH_FEED_H
#define KITH_FEED_H

/*
 * Rows handed to one statement (feed.c): the table kith_feed, with columns
 * c0 .. c(ncol-1), yields what the caller's callbacks give, so that a bulk
 * write is one INSERT ... SELECT instead of a statement run per row
 * (binding, stepping and resetting, and for an AUTOINCREMENT table
 * reading and writing its sequence, cost as much as the row itself).
 */

#include "internal.h"

typedef struct kith__feed kith__feed;
struct kith__feed {
	int ncol;              /* 1 to 10 */
	/* Makes the next row current (the first one at the first call):
	 * SQLITE_ROW, SQLITE_DONE at the end, or an SQLite error code. */
	int (*next)(kith__feed *f);
	/* Sets column col of the current row with sqlite3_result_*. */
	void (*column)(kith__feed *f, int col, sqlite3_context *ctx);
};

/* Runs sql once with f as kith_feed; f (usually the first member of the
 * caller's own struct) is borrowed for the call and read in one pass.
 * KITH_OK or an error (err filled; what names the work). */
int kith__feed_exec(kith_db *db, const char *sql, kith__feed *f,
                    const char *what, kith_error *err);

/* A feed over n rows read by index: column(data, i, col, ctx) gives
 * column col of row i.  Fill with kith__rows_feed_init, then pass &base. */
typedef struct kith__rows_feed {
	kith__feed base;
	size_t n, i;
	void (*column)(const void *data, size_t i, int col, sqlite3_context *ctx);
	const void *data;      /* borrowed */
} kith__rows_feed;

void kith__rows_feed_init(kith__rows_feed *f, size_t n, int ncol,
                          void (*column)(const void *, size_t, int, sqlite3_context *),
                          const void *data);

#endif
