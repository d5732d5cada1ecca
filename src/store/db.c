/* Opening, closing, transactions, "me" and the clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "kith/date.h"

#define DEFAULT_BUSY_MS 5000

struct sqlite3 *kith_db_sqlite(kith_db *db)
{
	return db->h;
}

void kith_db_set_busy_timeout(kith_db *db, int ms)
{
	db->busy_ms = ms;
	sqlite3_busy_timeout(db->h, ms);
}

static void init_clock(kith_db *db)
{
	const char *env = getenv("KITH_NOW");
	int64_t t;

	if (env && *env && kith_time_parse(env, (int64_t)time(NULL), &t, NULL) == KITH_OK) {
		db->now = t;
		db->now_fixed = 1;
	}
}

static int configure(kith_db *db, kith_error *err)
{
	const char *busy = getenv("KITH_BUSY_TIMEOUT_MS");
	int rc;

	sqlite3_extended_result_codes(db->h, 1);
	kith_db_set_busy_timeout(db, busy ? atoi(busy) : DEFAULT_BUSY_MS);
	rc = kith__exec(db, "PRAGMA foreign_keys = ON", "open database", err);
	if (rc || db->readonly)
		return rc;
	/* WAL lets readers work while one writer commits; FULL sync makes a
	 * commit survive power loss, not only a crash of this process. */
	rc = kith__exec(db, "PRAGMA journal_mode = WAL", "open database", err);
	if (!rc)
		rc = kith__exec(db, "PRAGMA synchronous = FULL", "open database", err);
	return rc;
}

int kith__db_connect(const char *path, int flags, kith_db **out, kith_error *err)
{
	kith_db *db;
	int oflags, rc;

	*out = NULL;
	if (!(flags & KITH_OPEN_CREATE) && access(path, F_OK) != 0)
		return kith_error_set(err, KITH_ENOTFOUND,
			"no kith database at %s (create one with 'kith init')", path);
	db = calloc(1, sizeof(*db));
	if (!db)
		return kith_error_set(err, KITH_ENOMEM, "open database: out of memory");
	db->readonly = !!(flags & KITH_OPEN_READONLY);
	if (db->readonly)
		oflags = SQLITE_OPEN_READONLY;
	else
		oflags = SQLITE_OPEN_READWRITE |
		         ((flags & KITH_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = kith_error_set(err, KITH_EIO, "cannot open %s: %s", path,
		                    db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		goto fail;
	}
	init_clock(db);
	if ((rc = configure(db, err)))
		goto fail;
	*out = db;
	return KITH_OK;
fail:
	kith_db_close(db);
	return rc;
}

int kith__db_copy(kith_db *src, kith_db **out, kith_error *err)
{
	sqlite3_backup *b;
	kith_db *db;
	int rc;

	*out = NULL;
	if (!(db = calloc(1, sizeof(*db))))
		return kith_error_set(err, KITH_ENOMEM, "copy database: out of memory");
	rc = sqlite3_open_v2(":memory:", &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		rc = kith_error_set(err, KITH_ENOMEM, "copy database: %s", sqlite3_errstr(rc));
		goto fail;
	}
	db->now = src->now;
	db->now_fixed = src->now_fixed;
	sqlite3_extended_result_codes(db->h, 1);
	kith_db_set_busy_timeout(db, src->busy_ms);
	/* One step: the whole copy is read in one snapshot of src. */
	if (!(b = sqlite3_backup_init(db->h, "main", src->h, "main"))) {
		rc = kith__sqlerr(db, sqlite3_errcode(db->h), "copy database", err);
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		rc = kith__sqlerr(db, rc, "copy database", err);
		goto fail;
	}
	if ((rc = kith__exec(db, "PRAGMA foreign_keys = ON", "copy database", err)))
		goto fail;
	*out = db;
	return KITH_OK;
fail:
	kith_db_close(db);
	return rc;
}

void kith_db_close(kith_db *db)
{
	if (!db)
		return;
	while (db->tx_depth > 0)
		kith_db_rollback(db);
	for (int i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	if (db->memo_free)
		db->memo_free(db->memo);
	sqlite3_close_v2(db->h);
	free(db);
}

int kith__db_state(kith_db *db, unsigned *version, int64_t *changes)
{
	*changes = sqlite3_total_changes64(db->h);
	return sqlite3_file_control(db->h, "main", SQLITE_FCNTL_DATA_VERSION, version) ==
	       SQLITE_OK ? 0 : -1;
}

/* Runs one of the transaction statements below, kept prepared: a server
 * request begins and ends a transaction, and parsing "BEGIN" and "COMMIT"
 * again each time was a measurable part of a small read.  sql must be
 * one of the static strings (the cache knows a statement by its text's
 * address). */
static int exec_kept(kith_db *db, const char *sql, const char *what, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, sql, &st, err);

	if (rc)
		return rc;
	rc = kith__step_done(db, st, what, err);
	kith__stmt_release(db, st);
	return rc;
}

static const char begin_sql[] = "BEGIN", begin_write_sql[] = "BEGIN IMMEDIATE",
	commit_sql[] = "COMMIT";

int kith_db_begin(kith_db *db, kith_error *err)
{
	char sql[48];
	int rc;

	if (db->tx_depth == 0)
		rc = exec_kept(db, begin_write_sql, "start transaction", err);
	else {
		snprintf(sql, sizeof(sql), "SAVEPOINT kith_%d", db->tx_depth);
		rc = kith__exec(db, sql, "start transaction", err);
	}
	if (!rc)
		db->tx_depth++;
	return rc;
}

int kith_db_begin_read(kith_db *db, kith_error *err)
{
	int rc;

	if (db->tx_depth != 0)
		return kith_error_set(err, KITH_EINTERNAL, "a read transaction inside another");
	if (!(rc = exec_kept(db, begin_sql, "start transaction", err)))
		db->tx_depth++;
	return rc;
}

int kith_db_commit(kith_db *db, kith_error *err)
{
	char sql[48];
	int rc;

	if (db->tx_depth <= 0)
		return kith_error_set(err, KITH_EINTERNAL, "commit without a transaction");
	if (db->tx_depth == 1)
		rc = exec_kept(db, commit_sql, "commit", err);
	else {
		snprintf(sql, sizeof(sql), "RELEASE kith_%d", db->tx_depth - 1);
		rc = kith__exec(db, sql, "commit", err);
	}
	if (rc) {
		/* A failed COMMIT (disk full, lock) leaves the transaction open;
		 * undo it so the caller sees all-or-nothing. */
		kith_db_rollback(db);
		return rc;
	}
	db->tx_depth--;
	return KITH_OK;
}

void kith_db_rollback(kith_db *db)
{
	char sql[96];

	if (db->tx_depth <= 0)
		return;
	if (db->tx_depth == 1 || sqlite3_get_autocommit(db->h)) {
		if (!sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		db->tx_depth = 0;
		return;
	}
	snprintf(sql, sizeof(sql), "ROLLBACK TO kith_%d; RELEASE kith_%d",
	         db->tx_depth - 1, db->tx_depth - 1);
	sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	db->tx_depth--;
}

kith_id kith_me(kith_db *db)
{
	sqlite3_stmt *st;
	kith_id id = 0;

	if (kith__stmt(db, "SELECT person_id FROM owner WHERE id = 1", &st, NULL))
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	kith__stmt_release(db, st);
	return id;
}

void kith_db_set_now(kith_db *db, int64_t unix_seconds)
{
	db->now = unix_seconds;
	db->now_fixed = 1;
}

int64_t kith_db_now(kith_db *db)
{
	return db->now_fixed ? db->now : (int64_t)time(NULL);
}

const char *kith_sqlite_version(void)
{
	return sqlite3_libversion();
}

int kith_setup_threads(kith_error *err)
{
	static int done;

	/* Each thread has its own connections, so SQLite's own per-connection
	 * mutexes are not needed; and its memory statistics take one global
	 * mutex on every allocation (8% of the instructions of an import),
	 * which also serialises all threads. */
	if (done)
		return KITH_OK;
	if (sqlite3_config(SQLITE_CONFIG_MULTITHREAD) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		return kith_error_set(err, KITH_EINTERNAL,
		                      "SQLite was already in use before threads were set up");
	done = 1;
	return KITH_OK;
}

int kith__stmt(kith_db *db, const char *sql, sqlite3_stmt **st, kith_error *err)
{
	struct kith_stmt_slot *old = NULL;
	int rc;

	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql && !db->cache[i].busy) {
			db->cache[i].busy = 1;
			db->cache[i].used = ++db->stmt_clock;
			*st = db->cache[i].st;
			return KITH_OK;
		}
	if ((rc = kith__prepare(db, sql, st, err)))
		return rc;
	/* The same statement in use further up the stack: this one is
	 * finalized on release. */
	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql)
			return KITH_OK;
	if (db->ncache < KITH_STMT_CACHE) {
		old = &db->cache[db->ncache++];
	} else {
		/* Full: the least recently used idle statement gives way, so
		 * that what a handle reads now stays prepared (a server's
		 * handle serves every kind of request, and the statements of
		 * the first requests it saw must not take the slots forever). */
		for (int i = 0; i < db->ncache; i++)
			if (!db->cache[i].busy && (!old || db->cache[i].used < old->used))
				old = &db->cache[i];
		if (!old)
			return KITH_OK;
		sqlite3_finalize(old->st);
	}
	*old = (struct kith_stmt_slot){sql, *st, 1, ++db->stmt_clock};
	return KITH_OK;
}

void kith__stmt_release(kith_db *db, sqlite3_stmt *st)
{
	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].st == st) {
			/* Reset at once: a stepped statement holds a read snapshot. */
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			db->cache[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}
