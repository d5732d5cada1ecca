#ifndef KITH_BACKUP_H
#define KITH_BACKUP_H

#include <stdint.h>
#include <stdio.h>
#include "kith/db.h"

/*
 * Backup, restore and check: what an administrator runs (docs/reliability.md).
 *
 * A backup is one SQLite file in rollback-journal mode (no -wal beside
 * it), copied from one read transaction of the live database, so it is
 * one consistent moment even while a server writes (WAL readers do not
 * stop writers).  It carries a digest of its own content (every row of
 * every table) in config key 'backup_digest', so a flipped byte that
 * SQLite's own integrity_check cannot see (one inside a row) is found
 * when the file is verified.
 *
 * Verifying a file: it must be SQLite, carry kith's application id, have
 * a schema no newer than this kith's, pass integrity_check and
 * foreign_key_check, and match its digest when it has one.
 */

/* What a verified file holds. */
typedef struct kith_backup_info {
	int64_t bytes;          /* size of the file */
	int schema;             /* its schema version */
	int digest;             /* 1: it had a content digest, and it matched */
	int64_t people, orgs, links, interactions, notes, members;
} kith_backup_info;

/*
 * Copies db (any handle, read-only is enough) to path: written to a
 * temporary file beside path, verified as kith_backup_verify does,
 * fsynced, then renamed onto path.  An existing path is KITH_EEXISTS
 * unless force.  On success *out (optional) describes the copy; on
 * failure nothing is left at path (an existing file is untouched).
 * Errors: KITH_EEXISTS, KITH_EINVAL (path is the database itself),
 * KITH_EIO, KITH_EBUSY (the database stayed locked past the busy
 * timeout), KITH_ECORRUPT (the copy failed verification).
 */
int kith_backup(kith_db *db, const char *path, int force, kith_backup_info *out,
                kith_error *err);

/* The same for the database file at from, opened read-only as it is:
 * never migrated, so a database an upgrade of kith has not opened yet can
 * be backed up first.  KITH_ENOTFOUND when there is no file at from. */
int kith_backup_path(const char *from, const char *path, int force,
                     kith_backup_info *out, kith_error *err);

/*
 * Verifies the file at path without changing it (opened read-only).
 * KITH_ECORRUPT for a damaged file or one that is not a kith database,
 * KITH_ESCHEMA for one newer than this kith, KITH_ENOTFOUND when there is
 * no file.  *out (optional) is filled on success.
 */
int kith_backup_verify(const char *path, kith_backup_info *out, kith_error *err);

/*
 * Makes the database at path (created when missing) a copy of the
 * backup at from.  from is verified first (kith_backup_verify: a refused
 * file leaves path untouched), copied to a temporary file beside path and
 * migrated there when it is older, then put in place in one step: when
 * path exists, by SQLite's backup API into it, one write transaction
 * that connections of other processes (a running server) see whole at
 * their next read, never half; else by rename.  Graph snapshots are told
 * (the generation moves).  *out (optional) describes what was restored.
 * Errors: those of kith_backup_verify, KITH_EBUSY, KITH_EIO.
 */
int kith_restore(const char *from, const char *path, kith_backup_info *out,
                 kith_error *err);

/*
 * kith check: the live database against what it should be.  Each check
 * has a name; a report line per check says "ok" or what differs.
 */
typedef struct kith_check_item {
	const char *name;       /* static: "integrity", "pair-cache", ... */
	int ok;
	char detail[256];       /* what differs, "" when ok */
} kith_check_item;

enum { KITH_CHECK_MAX = 16 };

typedef struct kith_check_report {
	kith_check_item items[KITH_CHECK_MAX];
	int n;
	int failed;             /* items not ok */
	int repaired;           /* with repair: caches rebuilt */
} kith_check_report;

/*
 * Runs every check on db: SQLite's integrity and foreign keys, the full
 * text indexes (FTS5's own check and their rows against the records),
 * email scopes against their people's privacy, the graph state, and the
 * pair strength cache against a full recompute from the interaction log
 * (done on an in-memory copy of db: the database is only read).  With
 * repair, caches that differ are rebuilt (one write transaction each)
 * and checked again.  Returns KITH_OK when the checks ran, whatever they
 * found (rep->failed says); an error when one could not run.
 */
int kith_check(kith_db *db, int repair, kith_check_report *rep, kith_error *err);

#endif
