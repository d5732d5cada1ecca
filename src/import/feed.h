#ifndef KITH_IMPORT_FEED_H
#define KITH_IMPORT_FEED_H

#include "internal.h"

/* Runs sql once; in it the table kith_import_feed has columns c0 .. c(ncol-1)
 * (1 to 4) and yields the n rows of v, ncol integers each, row-major.  v is
 * borrowed for the call.  KITH_OK or an error (err filled; what names the
 * work in its message). */
int kith__feed_exec(kith_db *db, const char *sql, const int64_t *v, size_t n,
                    int ncol, const char *what, kith_error *err);

#endif
