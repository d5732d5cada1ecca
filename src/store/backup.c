/*
 * Backups: a copy of the live database that is one moment of it, checked
 * before it is called a backup, and the checks a file must pass before a
 * restore trusts it.
 *
 * The copy is SQLite's backup API in one step (-1): the whole file is read
 * in a single read transaction of the source.  Stepping a few pages at a
 * time would let a writer in between, and SQLite restarts a stepped backup
 * from the first page whenever another process writes the source: under a
 * busy server it might never end.  In WAL mode one long read stops no
 * writer; the WAL only grows until it ends.
 *
 * integrity_check sees a damaged page, not a changed byte inside a row, so
 * a backup carries a digest of its content: a 64-bit hash of every row of
 * every table (order-free: a sum of row hashes), kept in its config table.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/backup.h"

#define BUSY_NAP_MS 20

int kith__backup_open(const char *path, int readonly, kith_db **out, kith_error *err)
{
	kith_db *db = calloc(1, sizeof(*db));
	int rc;

	*out = NULL;
	if (!db)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	db->readonly = readonly;
	rc = sqlite3_open_v2(path, &db->h, (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE)
	                     | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = kith_error_set(err, KITH_EIO, "cannot open %s: %s", path,
		                    db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		kith_db_close(db);
		return rc;
	}
	sqlite3_extended_result_codes(db->h, 1);
	kith_db_set_busy_timeout(db, 5000);
	*out = db;
	return KITH_OK;
}

static void nap(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

int kith__backup_copy(kith_db *src, kith_db *dst, const char *what, kith_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst->h, "main", src->h, "main");
	int rc, waited = 0, limit = src->busy_ms > 0 ? src->busy_ms : 5000;

	if (!b)
		return kith__sqlerr(dst, sqlite3_errcode(dst->h), what, err);
	/* BUSY: another process holds a lock the read needs (a WAL recovery, a
	 * checkpoint that truncates).  Wait, a bounded time, and try again. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (waited >= limit)
			break;
		nap(BUSY_NAP_MS);
		waited += BUSY_NAP_MS;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? src : dst, rc,
		                    what, err);
	return KITH_OK;
}

/* --- the content digest ------------------------------------------------ */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

/* splitmix64's finaliser: spreads a row's hash before it is summed. */
static uint64_t mix(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t row_hash(sqlite3_stmt *st, int ncol)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < ncol; i++) {
		int t = sqlite3_column_type(st, i);
		unsigned char tb = (unsigned char)t;
		h = fnv(h, &tb, 1);
		if (t == SQLITE_INTEGER) {
			int64_t v = sqlite3_column_int64(st, i);
			h = fnv(h, &v, sizeof(v));
		} else if (t == SQLITE_FLOAT) {
			double d = sqlite3_column_double(st, i);
			h = fnv(h, &d, sizeof(d));
		} else if (t != SQLITE_NULL) {
			const void *p = t == SQLITE_BLOB ? sqlite3_column_blob(st, i)
			                                 : (const void *)sqlite3_column_text(st, i);
			uint64_t n = (uint64_t)sqlite3_column_bytes(st, i);
			h = fnv(h, &n, sizeof(n));
			h = fnv(h, p, (size_t)n);
		}
	}
	return mix(h);
}

static int table_digest(kith_db *db, const char *table, uint64_t *out, kith_error *err)
{
	sqlite3_stmt *st;
	char *sql = sqlite3_mprintf("SELECT * FROM main.\"%w\"", table);
	uint64_t sum = 0, n = 0;
	int skip_key = strcmp(table, "config") == 0, rc;

	if (!sql)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	rc = kith__prepare(db, sql, &st, err);
	sqlite3_free(sql);
	if (rc)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		if (skip_key && k && strcmp(k, KITH__BACKUP_DIGEST_KEY) == 0)
			continue;
		sum += row_hash(st, sqlite3_column_count(st));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(db, rc, "read backup", err);
	*out = mix(fnv(0xcbf29ce484222325ULL, table, strlen(table)) ^ mix(sum + n));
	return KITH_OK;
}

/* The digest of db's content as "v1:" and 16 hex digits into buf. */
static int digest(kith_db *db, char *buf, size_t sz, kith_error *err)
{
	sqlite3_stmt *st;
	uint64_t total = 0, t = 0;
	int step, rc = kith__prepare(db, "SELECT name FROM main.sqlite_schema WHERE type = 'table'"
	                             " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	                             " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name", &st, err);

	if (rc)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = table_digest(db, (const char *)sqlite3_column_text(st, 0), &t, err)))
			break;
		total += t;
	}
	if (!rc && step != SQLITE_DONE)
		rc = kith__sqlerr(db, step, "read backup", err);
	sqlite3_finalize(st);
	if (!rc)
		snprintf(buf, sz, "v1:%016llx", (unsigned long long)total);
	return rc;
}

/* --- verifying --------------------------------------------------------- */

static int count_of(kith_db *db, const char *table, int64_t *n)
{
	char sql[96];

	*n = 0;
	/* A table an older schema did not have yet counts 0. */
	if (sqlite3_table_column_metadata(db->h, "main", table, NULL, NULL, NULL, NULL,
	                                  NULL, NULL) != SQLITE_OK)
		return KITH_OK;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM main.%s", table);
	return kith__query_int64(db, sql, 0, n, "count", NULL);
}

static int counts(kith_db *db, kith_backup_info *out, kith_error *err)
{
	struct { const char *t; int64_t *n; } c[] = {
		{"person", &out->people}, {"org", &out->orgs}, {"link", &out->links},
		{"interaction", &out->interactions}, {"note", &out->notes},
		{"member", &out->members}};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (count_of(db, c[i].t, c[i].n))
			return kith_error_set(err, KITH_ECORRUPT, "damaged: cannot count %s", c[i].t);
	return KITH_OK;
}

/* The first row of a check pragma: "ok", or what it found. */
static int check_pragma(kith_db *db, const char *sql, const char *what, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && strcmp(what, "integrity") == 0 &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0)
		rc = KITH_OK;
	else if (rc == SQLITE_ROW && strcmp(what, "integrity") == 0)
		rc = kith_error_set(err, KITH_ECORRUPT, "damaged: %s",
		                    (const char *)sqlite3_column_text(st, 0));
	else if (rc == SQLITE_ROW)
		rc = kith_error_set(err, KITH_ECORRUPT, "damaged: a row of %s points at a "
		                    "missing row of %s", sqlite3_column_text(st, 0),
		                    sqlite3_column_text(st, 2));
	else if (rc == SQLITE_DONE && strcmp(what, "integrity") != 0)
		rc = KITH_OK;
	else
		rc = kith__sqlerr(db, rc, "verify", err);
	sqlite3_finalize(st);
	return rc;
}

static int stored_digest(kith_db *db, char *buf, size_t sz, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	buf[0] = 0;
	if (sqlite3_prepare_v2(db->h, "SELECT value FROM main.config WHERE key = '"
	                       KITH__BACKUP_DIGEST_KEY "'", -1, &st, NULL) != SQLITE_OK)
		return KITH_OK;  /* an old schema without config: no digest */
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(buf, sz, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "verify", err);
}

int kith__backup_verify_db(kith_db *db, kith_backup_info *out, kith_error *err)
{
	kith_backup_info local = {0};
	int64_t app = 0, version = 0;
	char want[64], got[64];
	int rc;

	if (!out)
		out = &local;
	/* Not SQLite at all (a text file) fails its first read. */
	rc = kith__query_int64(db, "PRAGMA application_id", 0, &app, "verify", NULL);
	if (rc && (sqlite3_errcode(db->h) & 0xff) == SQLITE_NOTADB)
		return kith_error_set(err, KITH_ECORRUPT, "not a kith database (not an SQLite "
		                      "file, or its header is damaged)");
	if (rc)
		return kith_error_set(err, KITH_ECORRUPT, "damaged: %s", sqlite3_errmsg(db->h));
	if (app != KITH_APPLICATION_ID)
		return kith_error_set(err, KITH_ECORRUPT, "not a kith database (application "
		                      "id %08llx)", (unsigned long long)app);
	if ((rc = kith__query_int64(db, "PRAGMA user_version", 0, &version, "verify", err)))
		return rc;
	if (version > kith_schema_version())
		return kith_error_set(err, KITH_ESCHEMA, "its schema version %lld is newer than "
		                      "this kith supports (%d): upgrade kith", (long long)version,
		                      kith_schema_version());
	if (version < 1)
		return kith_error_set(err, KITH_ECORRUPT, "not a kith database (no schema)");
	if ((rc = check_pragma(db, "PRAGMA integrity_check(1)", "integrity", err)) ||
	    (rc = check_pragma(db, "PRAGMA foreign_key_check", "foreign keys", err)) ||
	    (rc = stored_digest(db, want, sizeof(want), err)))
		return rc;
	out->digest = 0;
	if (want[0]) {
		if ((rc = digest(db, got, sizeof(got), err)))
			return rc;
		if (strcmp(want, got) != 0)
			return kith_error_set(err, KITH_ECORRUPT, "damaged: its content does not "
			                      "match its digest (changed after the backup was made, or "
			                      "damaged: %s, stored %.40s)", got, want);
		out->digest = 1;
	}
	out->schema = (int)version;
	return counts(db, out, err);
}

int kith_backup_verify(const char *path, kith_backup_info *out, kith_error *err)
{
	kith_backup_info info = {0};
	struct stat sb;
	kith_db *db;
	int rc;

	if (stat(path, &sb) != 0)
		return kith_error_set(err, KITH_ENOTFOUND, "no file at %s", path);
	if (!S_ISREG(sb.st_mode))
		return kith_error_set(err, KITH_EINVAL, "%s is not a regular file", path);
	if (sb.st_size == 0)
		return kith_error_set(err, KITH_ECORRUPT, "not a kith database (an empty file)");
	if ((rc = kith__backup_open(path, 1, &db, err)))
		return rc;
	rc = kith__backup_verify_db(db, &info, err);
	kith_db_close(db);
	info.bytes = (int64_t)sb.st_size;
	if (!rc && out)
		*out = info;
	return rc;
}

/* --- files --------------------------------------------------------------- */

int kith__backup_tmp(const char *path, char **out, kith_error *err)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	int fd;

	*out = NULL;
	if (!tmp)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		int rc = kith_error_set(err, KITH_EIO, "cannot write beside %s: %s", path,
		                        strerror(errno));
		free(tmp);
		return rc;
	}
	close(fd);
	*out = tmp;
	return KITH_OK;
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int kith__backup_place(const char *file, const char *path, int force, kith_error *err)
{
	char *copy = strdup(path);
	int rc = KITH_OK;

	if (!copy)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (fsync_path(file, 0) != 0)
		rc = kith_error_set(err, KITH_EIO, "cannot write %s: %s", file, strerror(errno));
	else if (force && rename(file, path) != 0)
		rc = kith_error_set(err, KITH_EIO, "cannot write %s: %s", path, strerror(errno));
	/* link() fails on an existing name: no window in which a file another
	 * process just made at path is replaced. */
	else if (!force && link(file, path) != 0)
		rc = kith_error_set(err, errno == EEXIST ? KITH_EEXISTS : KITH_EIO,
		                    errno == EEXIST ? "%s exists (--force replaces it)"
		                                    : "cannot write %s: %s", path, strerror(errno));
	else if (!force)
		unlink(file);
	/* The rename is durable once the folder is. */
	if (!rc)
		fsync_path(dirname(copy), 1);
	free(copy);
	return rc;
}

void kith__backup_unlink(const char *path)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	char buf[4096];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if ((size_t)snprintf(buf, sizeof(buf), "%s%s", path, ext[i]) < sizeof(buf))
			unlink(buf);
}

/* --- kith backup --------------------------------------------------------- */

/* The copy made a backup: one file (no WAL beside it), with its digest. */
static int seal(kith_db *dst, kith_error *err)
{
	char d[64];
	sqlite3_stmt *st;
	int rc = kith__exec(dst, "PRAGMA journal_mode = DELETE", "backup", err);

	if (!rc)
		rc = digest(dst, d, sizeof(d), err);
	if (!rc)
		rc = kith__prepare(dst, "INSERT OR REPLACE INTO config(key, value) VALUES ('"
		                   KITH__BACKUP_DIGEST_KEY "', ?1)", &st, err);
	if (!rc) {
		sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
		rc = kith__step_done(dst, st, "backup", err);
		sqlite3_finalize(st);
	}
	return rc;
}

int kith_backup(kith_db *db, const char *path, int force, kith_backup_info *out,
                kith_error *err)
{
	kith_db *dst = NULL;
	char *tmp = NULL;
	int rc;

	const char *live = sqlite3_db_filename(db->h, "main");
	struct stat a, b;

	if (!force && access(path, F_OK) == 0)
		return kith_error_set(err, KITH_EEXISTS, "%s exists (--force replaces it)", path);
	/* --force onto the database itself would rename a copy over the file
	 * a server holds open: its later writes would go nowhere. */
	if (live && stat(live, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return kith_error_set(err, KITH_EINVAL, "%s is the database itself: back it up "
		                      "to another file", path);
	if ((rc = kith__backup_tmp(path, &tmp, err)))
		return rc;
	rc = kith__backup_open(tmp, 0, &dst, err);
	if (!rc)
		rc = kith__backup_copy(db, dst, "backup", err);
	if (!rc)
		rc = seal(dst, err);
	kith_db_close(dst);
	/* Verified as a restore will: read back from the file as written. */
	if (!rc && (rc = kith_backup_verify(tmp, out, err)) != KITH_OK && err) {
		char why[KITH_ERROR_MSG_MAX];
		snprintf(why, sizeof(why), "%s", err->msg);
		kith_error_set(err, rc, "the copy failed its check: %s", why);
	}
	if (!rc)
		rc = kith__backup_place(tmp, path, force, err);
	if (rc)
		kith__backup_unlink(tmp);
	free(tmp);
	return rc;
}

int kith_backup_path(const char *from, const char *path, int force, kith_backup_info *out,
                     kith_error *err)
{
	const char *busy = getenv("KITH_BUSY_TIMEOUT_MS");
	kith_db *src;
	int rc;

	if (access(from, F_OK) != 0)
		return kith_error_set(err, KITH_ENOTFOUND, "no kith database at %s", from);
	if ((rc = kith__backup_open(from, 1, &src, err)))
		return rc;
	if (busy)
		kith_db_set_busy_timeout(src, atoi(busy));
	rc = kith_backup(src, path, force, out, err);
	kith_db_close(src);
	return rc;
}
