/*
 * kith restore: a verified backup made the live database.  It sits with the
 * front door because an older backup is brought up to date by
 * kith_db_open (migrations and the pair cache's rebuild) on a copy of its
 * own, before anything touches the live file.
 *
 * The live file is replaced through SQLite, not under it: a rename would
 * leave a running server writing into the old file it still holds open,
 * and every write it acknowledged from then on would be lost.  The backup
 * API writes the copy into the live database as one transaction, which a
 * server's connections see whole at their next read.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/backup.h"

/* The copy at tmp made ready to go live: migrated, its digest (which
 * describes the backup, not this database) dropped, and graph snapshots
 * told the network changed even if its generation number went back. */
static int prepare(const char *tmp, kith_backup_info *out, kith_error *err)
{
	kith_db *db;
	int rc = kith_db_open(tmp, 0, &db, err);

	if (rc)
		return rc;
	rc = kith__exec(db, "DELETE FROM config WHERE key = '" KITH__BACKUP_DIGEST_KEY "';"
	                "UPDATE graph_state SET generation = generation + 1, token = random()"
	                " WHERE id = 1", "restore", err);
	if (!rc)
		rc = kith__backup_verify_db(db, out, err);
	kith_db_close(db);
	return rc;
}

/* Writes the database at tmp into the live one at path, in one write
 * transaction of path (waiting out a writer for up to the busy timeout). */
static int replace_live(const char *tmp, const char *path, kith_error *err)
{
	kith_db *src = NULL, *live = NULL;
	int rc = kith__backup_open(tmp, 1, &src, err);

	if (!rc)
		rc = kith__backup_open(path, 0, &live, err);
	if (!rc)
		rc = kith__backup_copy(src, live, "restore", err);
	kith_db_close(live);
	kith_db_close(src);
	return rc;
}

int kith_restore(const char *from, const char *path, kith_backup_info *out,
                 kith_error *err)
{
	kith_backup_info info;
	kith_db *src = NULL, *dst = NULL;
	char *tmp = NULL;
	int64_t bytes;
	int digest, rc = kith_backup_verify(from, &info, err);

	if (rc)
		return rc;
	bytes = info.bytes;
	digest = info.digest;
	if ((rc = kith__backup_tmp(path, &tmp, err)))
		return rc;
	rc = kith__backup_open(from, 1, &src, err);
	if (!rc)
		rc = kith__backup_open(tmp, 0, &dst, err);
	if (!rc)
		rc = kith__backup_copy(src, dst, "restore", err);
	kith_db_close(dst);
	kith_db_close(src);
	if (!rc)
		rc = prepare(tmp, &info, err);
	if (!rc && access(path, F_OK) == 0) {
		rc = replace_live(tmp, path, err);
		kith__backup_unlink(tmp);
	} else if (!rc) {
		/* A -wal left by a database once at path would be replayed into
		 * the new one: nothing may open it with the file gone. */
		kith__backup_unlink(path);
		rc = kith__backup_place(tmp, path, 0, err);
	}
	if (rc)
		kith__backup_unlink(tmp);
	free(tmp);
	info.bytes = bytes;
	info.digest = digest;
	if (!rc && out)
		*out = info;
	return rc;
}
