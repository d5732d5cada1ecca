/* Capture: one import from start to commit (or, for a dry run, rollback). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <glib.h>

#include "session.h"
#include "kith/member.h"
#include "kith/interaction.h"




/* True when the first non-blank line of data starts with word. */
static int starts_with(const char *data, size_t len, const char *word)
{
	size_t i = 0, n = strlen(word);

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
	                   data[i] == '\n'))
		i++;
	return len - i >= n && strncasecmp(data + i, word, n) == 0;
}

/* True when a line within the first 64 KiB starts with word: a file may
 * open with a stray note before its first card. */
static int has_line(const char *data, size_t len, const char *word)
{
	size_t n = strlen(word), end = len < 65536 ? len : 65536;

	for (size_t i = 0; i + n <= end; i++)
		if ((i == 0 || data[i - 1] == '\n') && strncasecmp(data + i, word, n) == 0)
			return 1;
	return 0;
}

/* Whether data holds nothing but white space. */
static int blank(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)data[i]))
			return 0;
	return 1;
}

int kith_import_detect(const char *data, size_t len)
{
	if (starts_with(data, len, "{"))
		return KITH_IMPORT_JSON;
	if (starts_with(data, len, "BEGIN:VCARD"))
		return KITH_IMPORT_VCARD;
	if (starts_with(data, len, "BEGIN:VCALENDAR"))
		return KITH_IMPORT_ICS;
	if (kith__mbox_start(data, len) < len)
		return KITH_IMPORT_MBOX;
	if (has_line(data, len, "BEGIN:VCARD"))
		return KITH_IMPORT_VCARD;
	if (has_line(data, len, "BEGIN:VCALENDAR"))
		return KITH_IMPORT_ICS;
	if (starts_with(data, len, "<?xml") && g_strstr_len(data, len < 4096 ? (gssize)len : 4096,
	                                                    "<graphml"))
		return KITH_IMPORT_LINKS;
	return KITH_IMPORT_CSV;
}






static void sess_free(kith__isess *s)
{
	kith__bulk_free(s);
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	if (s->orgs)
		g_hash_table_destroy(s->orgs);
	if (s->emails)
		g_hash_table_destroy(s->emails);
	if (s->phones)
		g_hash_table_destroy(s->phones);
	if (s->nameorg)
		g_hash_table_destroy(s->nameorg);
	if (s->touched)
		g_hash_table_destroy(s->touched);
	if (s->placeholders)
		g_hash_table_destroy(s->placeholders);
	kith_idv_clear(&s->touched_ids);
	kith__related_free(s);
}


/* Below this much input, identity lookups ask the indexes; above it,
 * every stored email and phone is read into the session's tables once
 * (about 0.1 s per 100k people), so that the usual answer, "nobody",
 * costs no query.  Not before the first lookup: importing a file again
 * finds every record unchanged and looks nobody up. */
#define PRELOAD_BYTES (1u << 20)



/* The author of db's writes (kith_db_set_author), or 0 and 0. */
static int read_author(kith_db *db, kith_id *member, int *priv, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*member = 0;
	*priv = 0;
	/* No table: no author was ever set on this handle. */
	if (sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT member, private FROM temp.author",
	                       -1, &st, NULL) != SQLITE_OK)
		return KITH_OK;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*member = sqlite3_column_int64(st, 0);
		*priv = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                             : kith__sqlerr(db, rc, "import", err);
}

/* The viewer's own person, their "me"; 0 when none. */
static int member_person(kith_db *db, kith_id member, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT coalesce(person_id, 0) FROM member WHERE id = ?1",
	                       &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, member);
	*id = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                             : kith__sqlerr(db, rc, "import", err);
}


/* Whether an import of len bytes takes the bulk path (bulk.c). */
static int wants_bulk(const kith_import_opts *o, size_t len)
{
	return o && o->bulk ? o->bulk == KITH_IMPORT_BULK_ON : len >= PRELOAD_BYTES;
}

static int sess_init(kith__isess *s, kith_db *db, int format,
                     const kith_import_opts *o, size_t len,
                     kith_import_report *rep, kith_error *err)
{
	sqlite3 *h = kith_db_sqlite(db);
	int rc;

	memset(s, 0, sizeof(*s));
	s->db = db;
	s->kind = kith_import_format_name(format);
	s->rep = rep;
	s->opts = o;
	s->now = kith_db_now(db);
	if ((rc = read_author(db, &s->viewer, &s->priv, err)))
		return rc;
	if (s->viewer)
		rc = member_person(db, s->viewer, &s->me, err);
	else
		s->me = kith_me(db);
	if (rc)
		return rc;
	for (int i = 0; i < S_COUNT; i++) {
		rc = sqlite3_prepare_v3(h, kith__import_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                        &s->st[i], NULL);
		if (rc != SQLITE_OK)
			return kith__sqlerr(db, rc, "prepare import", err);
	}
	if ((rc = kith__batch_start(s, err)))
		return rc;
	s->orgs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->emails = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->touched = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->preload = s->preload_all = len >= PRELOAD_BYTES;
	s->want_bulk = s->bulk_wanted = wants_bulk(o, len);
	return o && o->batch_ms ? kith__change_seq(s, &s->seen_seq, err) : KITH_OK;
}







static void progress_relay(void *ctx, size_t done, size_t total)
{
	kith__isess *s = ctx;

	if (s->opts && s->opts->progress)
		s->opts->progress(s->opts->progress_ctx, done, total);
}

#define IMPORT_CACHE_KIB (-262144)  /* 256 MiB, as PRAGMA cache_size counts */

static int cache_size(kith_db *db)
{
	sqlite3_stmt *st;
	int v = -2000;  /* SQLite's default */

	if (sqlite3_prepare_v2(kith_db_sqlite(db), "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* A hint, not a write: failure only costs speed, so it is not an error. */
static void set_cache_size(kith_db *db, int v)
{
	char sql[48];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %d", v);
	sqlite3_exec(kith_db_sqlite(db), sql, NULL, NULL, NULL);
}

/*
 * A bulk import runs with foreign keys unenforced: the checks were a
 * fifth of the time of a large mbox import (two lookups for each person
 * of each message, more for each source key).  That is safe because of
 * what an import writes: only ids it has just read or created, in its
 * own transaction, under the write lock, and it deletes no person,
 * interaction or org, so no cascade is missed.  test_import_bulk runs
 * PRAGMA foreign_key_check after it.  SQLite ignores the pragma inside a
 * transaction, so it is set only when the import opens its own, and put
 * back when that ends.  Returns whether it was switched off.
 */
static int fk_off(kith_db *db, const kith_import_opts *o, size_t len)
{
	sqlite3 *h = kith_db_sqlite(db);
	sqlite3_stmt *st;
	int on = 0;

	if (!wants_bulk(o, len) || !sqlite3_get_autocommit(h))
		return 0;
	if (sqlite3_prepare_v2(h, "PRAGMA foreign_keys", -1, &st, NULL) == SQLITE_OK) {
		on = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return on && sqlite3_exec(h, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) == SQLITE_OK;
}

/* Enforcement back on, the import's transaction being over.  The pragma
 * cannot fail outside a transaction but for lack of memory, and a
 * connection left without it would break the promise of every later
 * write: that is reported. */
static int fk_on(kith_db *db, kith_error *err)
{
	return kith__exec(db, "PRAGMA foreign_keys = ON", "import", err);
}


static int import_text(kith_db *db, const char *data, size_t len,
                       const kith_import_opts *o, kith_import_report *rep,
                       kith_error *err)
{
	kith_import_report local = {0};
	kith__isess s;
	kith__sink sink;
	double t0 = kith__seconds_now();
	int format = o && o->format ? o->format : kith_import_detect(data, len);
	const char *why;
	int rc, cache, fk;

	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	rep->format = format;
	rep->bytes = (int64_t)len;
	rep->dry_run = o && o->dry_run;
	if (format < KITH_IMPORT_VCARD || format > KITH_IMPORT_LINKS)
		return kith_error_set(err, KITH_EINVAL, "unknown import format %d", format);
	if (format == KITH_IMPORT_JSON) {
		rc = kith__import_json(db, data, len, o, rep, err);
		rep->seconds = kith__seconds_now() - t0;
		kith_import_report_clear(&local);
		return rc;
	}
	/* Told from the content, an empty input would be called a CSV of no
	 * known kind, which sends the user looking for the wrong fault. */
	if (!(o && o->format) && blank(data, len))
		return kith_error_set(err, KITH_EINVAL, "nothing to import: it is empty");
	if (!(o && o->format) && format == KITH_IMPORT_CSV &&
	    (why = kith__not_csv(data, len)))
		return kith_error_set(err, KITH_EINVAL, "%s", why);
	/* One transaction of a big import touches far more pages than
	 * SQLite's default 2 MB cache holds, and every page that spills is
	 * written to the WAL and read back: let the cache grow (memory is only
	 * taken as used), then put it back. */
	cache = cache_size(db);
	set_cache_size(db, IMPORT_CACHE_KIB);
	fk = fk_off(db, o, len);
	rc = kith_db_begin(db, err);
	if (rc) {
		if (fk)
			fk_on(db, NULL);
		set_cache_size(db, cache);
		return rc;
	}
	if (format == KITH_IMPORT_LINKS) {
		/* Links alone (links.c): no session, one statement. */
		memset(&s, 0, sizeof(s));
		rc = kith__import_links(db, data, len, o, rep, err);
	} else {
		rc = sess_init(&s, db, format, o, len, rep, err);
	}
	if (!rc && format != KITH_IMPORT_LINKS) {
		sink = (kith__sink){.contact = kith__import_contact,
		                    .event = kith__import_event,
		                    .issue = kith__import_issue,
		                    .progress = progress_relay, .ctx = &s, .now = s.now};
		/* The bulk path reads on a thread of its own (pipe.c). */
		rc = (s.want_bulk ? kith__parse_piped : kith__parse)(format, data, len,
			o ? o->csv_map : NULL, &sink, err);
	}
	if (!rc && format != KITH_IMPORT_LINKS)
		rc = kith__batch_finish(&s, err);
	if (format != KITH_IMPORT_LINKS)
		sess_free(&s);
	if (rc || (o && o->dry_run))
		kith_db_rollback(db);
	else if (!(rc = kith_db_commit(db, err)))
		rep->batches++;
	if (fk) {
		int frc = fk_on(db, rc ? NULL : err);
		if (!rc)
			rc = frc;
	}
	set_cache_size(db, cache);
	rep->seconds = kith__seconds_now() - t0;
	kith_import_report_clear(&local);
	return rc;
}

/* A dry run imports into a copy of the database (kith__db_copy) with the
 * same author, so it takes no write lock on the real one: a large one
 * held every writer of a server for seconds. */
static int dry_cancelled(void *ctx)
{
	const kith_import_opts *o = ctx;

	return o->cancelled(o->cancel_ctx);
}

static int import_dry(kith_db *db, const char *data, size_t len,
                      const kith_import_opts *o, kith_import_report *rep,
                      kith_error *err)
{
	kith_db *copy = NULL;
	kith_id member;
	int priv, rc = read_author(db, &member, &priv, err);

	if (!rc)
		rc = kith__db_copy(db, &copy, err);
	if (!rc && o && o->cancelled)
		sqlite3_progress_handler(kith_db_sqlite(copy), 4096, dry_cancelled, (void *)o);
	if (!rc && member)
		rc = kith_db_set_author(copy, member, priv, err);
	if (!rc)
		rc = import_text(copy, data, len, o, rep, err);
	kith_db_close(copy);
	return rc;
}

int kith_import_buffer(kith_db *db, const char *data, size_t len,
                       const kith_import_opts *o, kith_import_report *rep,
                       kith_error *err)
{
	char *owned;
	int rc = kith__import_decode(&data, &len, &owned, err);

	if (rep)
		memset(rep, 0, sizeof(*rep));
	if (!rc && o && o->dry_run)
		rc = import_dry(db, data, len, o, rep, err);
	else if (!rc)
		rc = import_text(db, data, len, o, rep, err);
	g_free(owned);
	return rc;
}

/* Reads all of standard input into a heap buffer (*out, caller frees). */
static int slurp_stdin(char **out, size_t *len, kith_error *err)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap);

	if (!b)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (;;) {
		ssize_t r;
		if (n == cap) {
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return kith_error_set(err, KITH_ENOMEM, "out of memory");
			}
			b = nb;
			cap *= 2;
		}
		r = read(0, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return kith_error_set(err, KITH_EIO, "read standard input: %s",
			                      strerror(errno));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = b;
	*len = n;
	return KITH_OK;
}

int kith_import_file(kith_db *db, const char *path, const kith_import_opts *o,
                     kith_import_report *rep, kith_error *err)
{
	struct stat sb;
	char *data = NULL;
	size_t len = 0;
	int fd, rc, mapped = 0;

	if (strcmp(path, "-") == 0) {
		rc = slurp_stdin(&data, &len, err);
		if (rc)
			return rc;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return kith_error_set(err, KITH_EIO, "cannot open %s: %s", path,
			                      strerror(errno));
		if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			close(fd);
			return kith_error_set(err, KITH_EIO, "%s is not a regular file", path);
		}
		len = (size_t)sb.st_size;
		/* The parsers read the file in place: no copy of a large mbox. */
		if (len > 0) {
			data = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (data == MAP_FAILED) {
				close(fd);
				return kith_error_set(err, KITH_EIO, "cannot read %s: %s", path,
				                      strerror(errno));
			}
			mapped = 1;
		}
		close(fd);
	}
	rc = kith_import_buffer(db, data ? data : "", len, o, rep, err);
	if (mapped)
		munmap(data, len);
	else
		free(data);
	return rc;
}
