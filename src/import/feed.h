#ifndef KITH_IMPORT_FEED_H
#define KITH_IMPORT_FEED_H

#include "internal.h"

/* Rows given to one statement as the table kith_import_feed, whose
 * columns are c0 .. c(ncol-1) (1 to 10). */
typedef struct kith__feed {
	size_t n;              /* rows */
	int ncol;
	/* Sets column col of row i with sqlite3_result_*. */
	void (*column)(const struct kith__feed *f, size_t i, int col,
	               sqlite3_context *ctx);
	const void *data;      /* what column reads; borrowed */
} kith__feed;

/* Runs sql once, with f's rows in kith_import_feed.  f is borrowed for
 * the call.  KITH_OK or an error (err filled; what names the work). */
int kith__feed_exec(kith_db *db, const char *sql, const kith__feed *f,
                    const char *what, kith_error *err);

#endif
