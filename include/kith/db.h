#ifndef KITH_DB_H
#define KITH_DB_H

#include "kith/error.h"
#include "kith/types.h"

/*
 * A kith database is one SQLite file in WAL mode with foreign keys on.
 * Its schema carries a version (PRAGMA user_version) and moves forward by
 * migrations when opened by a newer kith; a database from a newer kith is
 * refused rather than guessed at.
 *
 * A kith_db is not thread-safe: use one per thread.
 */

typedef struct kith_db kith_db;

enum kith_open_flags {
	KITH_OPEN_CREATE   = 1 << 0, /* create the file if it is missing */
	KITH_OPEN_READONLY = 1 << 1  /* never write, never migrate */
};

/* Version of the SQLite library in use. */
const char *kith_sqlite_version(void);

/* For programs that use one kith_db per thread (the CLI, the server):
 * frees SQLite of its global locks.  Call before any other libkith call;
 * calling it again does nothing. */
int kith_setup_threads(kith_error *err);

/* The schema version this build writes. */
int kith_schema_version(void);

/*
 * Opens (and with KITH_OPEN_CREATE, creates) the database at path and
 * migrates it to the current schema.  On success *out is a handle the
 * caller owns and must pass to kith_db_close().  On failure *out is NULL
 * and nothing on disk was changed.
 */
int kith_db_open(const char *path, int flags, kith_db **out, kith_error *err);

/* Closes db and frees it.  NULL is allowed. */
void kith_db_close(kith_db *db);

/* How long a write waits for another process's lock before KITH_EBUSY.
 * Default 5000 ms, or $KITH_BUSY_TIMEOUT_MS when set. */
void kith_db_set_busy_timeout(kith_db *db, int ms);

/*
 * Transactions.  Every libkith write already runs in its own transaction;
 * these let a caller group many writes (an import) into one all-or-nothing
 * unit.  They nest: inner levels are savepoints.
 */
int kith_db_begin(kith_db *db, kith_error *err);
int kith_db_commit(kith_db *db, kith_error *err);
/* Rolls back the innermost level.  Never fails from the caller's view. */
void kith_db_rollback(kith_db *db);
/*
 * A read transaction (a deferred BEGIN, which takes no write lock), for a
 * reader that runs many statements: they all see one snapshot, and the
 * database's read lock is taken once instead of once per statement.
 * Transactions begun inside it are savepoints; kith_db_commit ends it.
 */
int kith_db_begin_read(kith_db *db, kith_error *err);

/* The owner's own person ("me"), or 0 when none is set yet. */
kith_id kith_me(kith_db *db);
/* Sets "me" to an existing person. */
int kith_set_me(kith_db *db, kith_id person, kith_error *err);

/*
 * The clock libkith uses for created/updated stamps and for "today".
 * Defaults to the real time; $KITH_NOW (a date or timestamp) or this call
 * fixes it, which tests and reproducible demos rely on.
 */
void kith_db_set_now(kith_db *db, int64_t unix_seconds);
int64_t kith_db_now(kith_db *db);

/* The SQLite handle, for libkith modules and tools that read in bulk
 * (graph snapshots, exports).  Borrowed: do not close it. */
struct sqlite3 *kith_db_sqlite(kith_db *db);

#endif
