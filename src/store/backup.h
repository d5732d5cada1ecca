#ifndef KITH_STORE_BACKUP_H
#define KITH_STORE_BACKUP_H

/*
 * What store/backup.c gives the floors above it: the restore (src/restore.c),
 * which must migrate a copy with the front door's rebuild, and the check
 * (src/check.c).  Functions that take a kith_db run on the caller's
 * connection.
 */
#include "internal.h"
#include "kith/backup.h"

/* The config key a backup keeps its content digest under. */
#define KITH__BACKUP_DIGEST_KEY "backup_digest"
/* The config rows that are this database's own, not settings: a copy or
 * an export never carries them (graph_db_id tells its graph index file
 * from another database's, src/graph/graph_file.c). */
#define KITH__CONFIG_INTERNAL "('" KITH__BACKUP_DIGEST_KEY "', 'graph_db_id')"

/* A raw connection to path (SQLite flags), no pragma set, no schema
 * touched: for files that are not (yet) known to be kith's. */
int kith__backup_open(const char *path, int readonly, kith_db **out, kith_error *err);

/* Copies the main database of src into dst's (whole, in one read
 * transaction of src), retrying while src is busy for up to src's busy
 * timeout. */
int kith__backup_copy(kith_db *src, kith_db *dst, const char *what, kith_error *err);

/* Verifies an open database as kith_backup_verify does (but for the
 * file's size); *out (optional) gets its schema and counts. */
int kith__backup_verify_db(kith_db *db, kith_backup_info *out, kith_error *err);

/* "PATH.tmp-XXXXXX" made (empty) beside path: *out is a heap string the
 * caller frees after removing the file. */
int kith__backup_tmp(const char *path, char **out, kith_error *err);

/* fsync()s file, renames it onto path (or with !force, links it there,
 * failing with KITH_EEXISTS when path exists), fsyncs the folder, and
 * removes file's name.  On failure file is left for the caller. */
int kith__backup_place(const char *file, const char *path, int force, kith_error *err);

/* Removes path and the -wal, -shm, -journal files beside it. */
void kith__backup_unlink(const char *path);

#endif
