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

static const char *const format_names[] = {"auto", "vcard", "csv", "mbox", "ics"};

int kith_import_format_parse(const char *name)
{
	static const struct { const char *alias; int f; } aliases[] = {
		{"vcf", KITH_IMPORT_VCARD}, {"ical", KITH_IMPORT_ICS},
		{"icalendar", KITH_IMPORT_ICS}, {"ics", KITH_IMPORT_ICS}};

	if (!name)
		return -1;
	for (int i = 0; i < 5; i++)
		if (strcasecmp(name, format_names[i]) == 0)
			return i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return aliases[i].f;
	return -1;
}

const char *kith_import_format_name(int format)
{
	return format >= 0 && format < 5 ? format_names[format] : "?";
}

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
	return KITH_IMPORT_CSV;
}

void kith_import_report_clear(kith_import_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nissues; i++)
		free(r->issues[i].reason);
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

int kith__import_issue(void *ctx, int64_t line, int level, const char *why,
                       kith_error *err)
{
	kith__isess *s = ctx;
	kith_import_report *r = s->rep;
	kith_import_issue *v;

	if (level == KITH_ISSUE_REJECTED)
		r->rejected++;
	else if (level == KITH_ISSUE_SKIPPED)
		r->skipped++;
	if (level != KITH_ISSUE_WARNING)
		r->records++;
	if (r->nissues >= KITH_IMPORT_MAX_ISSUES) {
		r->issues_dropped++;
		return KITH_OK;
	}
	v = realloc(r->issues, (r->nissues + 1) * sizeof(*v));
	if (!v)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	r->issues = v;
	v[r->nissues].line = line;
	v[r->nissues].level = level;
	v[r->nissues].reason = strdup(why);
	if (!v[r->nissues].reason)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	r->nissues++;
	return KITH_OK;
}

/* A person's search row (name, info, notes) from person p. */
#define FTS_COLUMNS KITH__PERSON_FTS_COLUMNS

/* Whether person p, org o, ... is in the view of member ?9 (0: all). */
#define VIS(t) "(?9 = 0 OR " t ".private = 0 OR " t ".owner = ?9)"

static const char *const stmt_sql[S_COUNT] = {
	/* A key whose record the viewer sees, their own row first (keys are
	 * kept per member who imported them: migration 11). */
	[S_SRC_GET] = "SELECT i.person_id, i.interaction_id, i.digest FROM import_source i"
	              " WHERE i.kind = ?1 AND i.key = ?2 AND (?9 = 0"
	              " OR EXISTS (SELECT 1 FROM person p WHERE p.id = i.person_id AND "
	              VIS("p") ")"
	              " OR EXISTS (SELECT 1 FROM interaction t WHERE t.id = i.interaction_id"
	              " AND " VIS("t") "))"
	              " ORDER BY i.scope = ?9 DESC LIMIT 1",
	[S_SRC_PUT] = "INSERT OR REPLACE INTO import_source(kind, key, person_id,"
	              " interaction_id, digest, imported, scope)"
	              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9)",
	/* A new key: REPLACE would look for a row to delete first. */
	[S_SRC_INS] = "INSERT INTO import_source(kind, key, person_id,"
	              " interaction_id, digest, imported, scope)"
	              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9)",
	[S_BY_EMAIL] = "SELECT e.person_id FROM person_email e JOIN person p"
	               " ON p.id = e.person_id WHERE e.email = ?1 AND " VIS("p")
	               " ORDER BY e.person_id LIMIT 1",
	/* min() over an equality reads the first entry of the digits index;
	 * "IN (?1, ?2) ORDER BY person_id" built a temporary B-tree per call. */
	[S_BY_PHONE] = "SELECT min(x.person_id) FROM person_phone x JOIN person p"
	               " ON p.id = x.person_id WHERE x.digits = ?1 AND " VIS("p"),
	/* owner and private as the defaults (NULL, 0), or on the bulk path
	 * as the author's stamp would leave them (bulk.c). */
	[S_PERSON_INS] = "INSERT INTO person(display_name, given_name, family_name,"
	                 " city, country, notes, created, updated, owner, private)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)",
	[S_EMAIL_INS] = "INSERT INTO person_email(person_id, pos, email) VALUES (?1, ?2, ?3)",
	[S_PHONE_INS] = "INSERT INTO person_phone(person_id, pos, phone, digits)"
	                " VALUES (?1, ?2, ?3, ?4)",
	[S_TAG_INS] = "INSERT OR IGNORE INTO person_tag(person_id, tag) VALUES (?1, ?2)",
	[S_ORG_BY_NAME] = "SELECT id FROM org o WHERE name = trim(?1) AND " VIS("o"),
	/* "+org_id": a person has a few jobs, an org may have thousands, and
	 * without statistics the planner would take either index. */
	[S_JOB_FIND] = "SELECT id, title, date_from, date_to FROM job"
	               " WHERE person_id = ?1 AND +org_id = ?2",
	[S_JOB_INS] = "INSERT INTO job(person_id, org_id, title, date_from, date_to,"
	              " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_LINK_FIND] = "SELECT id, since, private FROM link l WHERE min(a, b) = min(?1, ?2)"
	                " AND max(a, b) = max(?1, ?2) AND kind = ?3 AND " VIS("l"),
	[S_LINK_INS] = "INSERT INTO link(a, b, kind, since, asserted_by, created,"
	               " updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
	[S_LINK_SINCE] = "UPDATE link SET since = ?2, updated = ?3 WHERE id = ?1",
	/* Only a name that is an address gives way to a real one. */
	[S_RENAME] = "UPDATE person SET display_name = ?2, updated = ?3"
	             " WHERE id = ?1 AND display_name LIKE '%@%'",
	/* The search row, as kith__person_fts_refresh writes it, in two
	 * steps: an INSERT ... SELECT into an FTS5 table is a multi-row write
	 * that opens a statement savepoint, and FTS5 flushes its pending
	 * terms to a new segment at every savepoint, one segment per person.
	 * A single-row INSERT lets FTS5 batch the whole import. */
	[S_FTS_TEXT] = "SELECT " FTS_COLUMNS " FROM person p WHERE p.id = ?1",
	/* ... but the import's new people, all at once, are one savepoint. */
	[S_FTS_NEW] = "INSERT INTO person_fts(rowid, name, info, notes)"
	              " SELECT p.id, " FTS_COLUMNS " FROM person p WHERE p.id > ?1"
	              " ORDER BY p.id",
	[S_FTS_DEL] = "DELETE FROM person_fts WHERE rowid = ?1",
	[S_FTS_INS] = "INSERT INTO person_fts(rowid, name, info, notes)"
	              " VALUES (?1, ?2, ?3, ?4)",
	/* A person as kith_person_get reads them, for merging (people.c). */
	[S_P_ROW] = "SELECT display_name, given_name, family_name, city, country,"
	            " notes FROM person WHERE id = ?1",
	[S_P_EMAILS] = "SELECT email, pos FROM person_email WHERE person_id = ?1"
	               " ORDER BY pos",
	[S_P_PHONES] = "SELECT phone, pos FROM person_phone WHERE person_id = ?1"
	               " ORDER BY pos",
	[S_P_TAGS] = "SELECT tag, 0 FROM person_tag WHERE person_id = ?1 ORDER BY tag",
	[S_P_UPDATE] = "UPDATE person SET display_name = ?2, given_name = ?3,"
	               " family_name = ?4, city = ?5, country = ?6, notes = ?7,"
	               " updated = ?8 WHERE id = ?1",
	/* An interaction as kith_interaction_add writes it (events.c), row by
	 * row; the bulk path writes its own (bulk_rows.c). */
	[S_IT_INS] = "INSERT INTO interaction(at, kind, notes, giver, value, created,"
	             " initiator)"
	             " VALUES (?1, ?2, ?3, NULL, NULL, ?4, ?5)",
	[S_IT_PERSON] = "INSERT INTO interaction_person(interaction_id, person_id)"
	                " VALUES (?1, ?2)",
	[S_P_VIS] = "SELECT private, coalesce(owner, 0) FROM person WHERE id = ?1",
};

sqlite3_stmt *kith__ist(kith__isess *s, int which)
{
	sqlite3_stmt *st = s->st[which];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (sqlite3_bind_parameter_count(st) >= 9)
		sqlite3_bind_int64(st, 9, s->viewer);
	return st;
}

int kith__writable(kith__isess *s, kith_id id, int *ok, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*ok = 1;
	if (!s->priv)
		return KITH_OK;
	st = kith__ist(s, S_P_VIS);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	*ok = rc == SQLITE_ROW && sqlite3_column_int(st, 0) &&
	      sqlite3_column_int64(st, 1) == s->viewer;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                             : kith__sqlerr(s->db, rc, "import", err);
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

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Below this much input, identity lookups ask the indexes; above it,
 * every stored email and phone is read into the session's tables once
 * (about 0.1 s per 100k people), so that the usual answer, "nobody",
 * costs no query.  Not before the first lookup: importing a file again
 * finds every record unchanged and looks nobody up. */
#define PRELOAD_BYTES (1u << 20)

int kith__preload(kith__isess *s, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!s->preload)
		return KITH_OK;
	s->preload = 0;
	/* The lowest id first, as S_BY_EMAIL answers when two people the
	 * viewer sees share an address (one team, one their own). */
	rc = kith__prepare(s->db, "SELECT e.email, e.person_id FROM person_email e"
	                   " JOIN person p ON p.id = e.person_id WHERE " VIS("p")
	                   " ORDER BY e.person_id", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 9, s->viewer);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(st, 0);
		gchar *low = g_ascii_strdown(e, -1);
		if (!g_hash_table_contains(s->emails, low))
			g_hash_table_insert(s->emails, low,
			                    GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 1)));
		else
			g_free(low);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(s->db, rc, "read emails", err);
	s->emails_all = 1;
	rc = kith__prepare(s->db, "SELECT x.digits, min(x.person_id) FROM person_phone x"
	                   " JOIN person p ON p.id = x.person_id WHERE " VIS("p")
	                   " GROUP BY x.digits", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 9, s->viewer);
	s->phones = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		kith__remember_phone(s, (const char *)sqlite3_column_text(st, 0),
		                     sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "read phones", err);
}

/* The highest person id so far.  Ids are AUTOINCREMENT, so anyone above
 * it when the import started is new in this import. */
static int last_person(kith_db *db, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT max(id) FROM person", &st, err);

	if (rc)
		return rc;
	*id = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KITH_OK : kith__sqlerr(db, rc, "prepare import", err);
}

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

/* PRAGMA data_version: moves when another connection commits. */
static int64_t data_version(kith_db *db)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(kith_db_sqlite(db), "PRAGMA data_version", -1, &st,
	                       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return v;
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
		rc = sqlite3_prepare_v3(h, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                        &s->st[i], NULL);
		if (rc != SQLITE_OK)
			return kith__sqlerr(db, rc, "prepare import", err);
	}
	rc = last_person(db, &s->last_old, err);
	if (rc)
		return rc;
	s->orgs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->emails = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->touched = g_hash_table_new(g_direct_hash, g_direct_equal);
	s->preload = s->preload_all = len >= PRELOAD_BYTES;
	s->want_bulk = s->bulk_wanted = wants_bulk(o, len);
	s->data_version = data_version(db);
	s->batch_start = seconds_now();
	return o && o->batch_ms ? kith__change_seq(s, &s->seen_seq, err) : KITH_OK;
}

int kith__touch(kith__isess *s, kith_id id)
{
	gpointer k = GSIZE_TO_POINTER((gsize)id);

	if (g_hash_table_contains(s->touched, k))
		return KITH_OK;
	g_hash_table_add(s->touched, k);
	return kith_idv_push(&s->touched_ids, id);
}

static int cmp_id(const void *a, const void *b)
{
	kith_id x = *(const kith_id *)a, y = *(const kith_id *)b;

	return (x > y) - (x < y);
}

/* Rebuilds the search row of one person (see S_FTS_TEXT).  Someone new
 * in this import has none yet: the import writes search rows only here. */
static int refresh_one(kith__isess *s, kith_id id, kith_error *err)
{
	sqlite3_stmt *txt, *ins;
	int rc;

	if (id <= s->last_old) {
		sqlite3_stmt *del = kith__ist(s, S_FTS_DEL);
		sqlite3_bind_int64(del, 1, id);
		rc = sqlite3_step(del);
		sqlite3_reset(del);
		if (rc != SQLITE_DONE)
			return kith__sqlerr(s->db, rc, "index person", err);
	}
	txt = kith__ist(s, S_FTS_TEXT);
	sqlite3_bind_int64(txt, 1, id);
	rc = sqlite3_step(txt);
	if (rc == SQLITE_DONE) {  /* gone: nothing to index */
		sqlite3_reset(txt);
		return KITH_OK;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(txt);
		return kith__sqlerr(s->db, rc, "index person", err);
	}
	ins = kith__ist(s, S_FTS_INS);
	sqlite3_bind_int64(ins, 1, id);
	/* The text columns stay valid until txt is reset, after the insert. */
	for (int i = 0; i < 3; i++)
		sqlite3_bind_value(ins, i + 2, sqlite3_column_value(txt, i));
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	sqlite3_reset(txt);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "index person", err);
}

/* Rebuilds the search rows of everyone the import wrote to directly, in
 * id order, which is the order FTS5 appends to its doclists fastest:
 * people stored before one by one, then the new ones (every one of them
 * touched) in one statement. */
static int refresh_search(kith__isess *s, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = KITH_OK;

	if (s->touched_ids.n > 1)
		qsort(s->touched_ids.v, s->touched_ids.n, sizeof(kith_id), cmp_id);
	for (size_t i = 0; !rc && i < s->touched_ids.n; i++) {
		if (s->touched_ids.v[i] > s->last_old)
			break;
		rc = refresh_one(s, s->touched_ids.v[i], err);
	}
	if (rc || !s->rep->people_created)
		return rc;
	st = kith__ist(s, S_FTS_NEW);
	sqlite3_bind_int64(st, 1, s->last_old);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "index people", err);
}

/* What a batch does before it commits: search rows, the bulk path's
 * deferred work (its triggers back). */
static int batch_finish(kith__isess *s, kith_error *err)
{
	int rc = refresh_search(s, err);

	if (!rc)
		rc = kith__bulk_finish(s, err);
	if (!rc)
		rc = kith__related_finish(s, err);
	return rc;
}

int kith__batch_point(kith__isess *s, kith_error *err)
{
	const kith_import_opts *o = s->opts;
	double now = seconds_now();
	int64_t v;
	int rc;

	if (!o || !o->batch_ms || o->dry_run || now - s->batch_start < o->batch_ms / 1000.0)
		return KITH_OK;
	if ((rc = batch_finish(s, err)))
		return rc;
	kith__bulk_free(s);
	g_hash_table_remove_all(s->touched);
	s->touched_ids.n = 0;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_reset(s->st[i]);
	if ((rc = kith_db_commit(s->db, err)))
		return rc;
	s->rep->batches++;
	if ((rc = kith__change_seq(s, &s->seen_seq, err)))
		return rc;
	if (o->yield)
		o->yield(o->yield_ctx);
	if ((rc = kith_db_begin(s->db, err)))
		return rc;
	/* As at the start: people above last_old are this batch's. */
	if ((rc = last_person(s->db, &s->last_old, err)))
		return rc;
	/* Another connection wrote meanwhile: what the session read of
	 * the people it changed is read again. */
	if ((v = data_version(s->db)) != s->data_version) {
		s->data_version = v;
		if ((rc = kith__caches_refresh(s, err)))
			return rc;
		if ((rc = kith__change_seq(s, &s->seen_seq, err)))
			return rc;
	}
	s->want_bulk = s->bulk_wanted;
	s->batch_start = seconds_now();
	return KITH_OK;
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

int kith__parse(int format, const char *data, size_t len, const char *csv_map,
                const kith__sink *sink, kith_error *err)
{
	switch (format) {
	case KITH_IMPORT_VCARD: return kith__vcard_parse(data, len, sink, err);
	case KITH_IMPORT_CSV: return kith__csv_parse(data, len, csv_map, sink, err);
	case KITH_IMPORT_MBOX: return kith__mbox_parse(data, len, sink, err);
	case KITH_IMPORT_ICS: return kith__ics_parse(data, len, sink, err);
	}
	return kith_error_set(err, KITH_EINVAL, "unknown import format %d", format);
}

static int import_text(kith_db *db, const char *data, size_t len,
                       const kith_import_opts *o, kith_import_report *rep,
                       kith_error *err)
{
	kith_import_report local = {0};
	kith__isess s;
	kith__sink sink;
	double t0 = seconds_now();
	int format = o && o->format ? o->format : kith_import_detect(data, len);
	const char *why;
	int rc, cache, fk;

	if (!rep)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	rep->format = format;
	rep->bytes = (int64_t)len;
	rep->dry_run = o && o->dry_run;
	if (format < KITH_IMPORT_VCARD || format > KITH_IMPORT_ICS)
		return kith_error_set(err, KITH_EINVAL, "unknown import format %d", format);
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
	rc = sess_init(&s, db, format, o, len, rep, err);
	if (!rc) {
		sink = (kith__sink){.contact = kith__import_contact,
		                    .event = kith__import_event,
		                    .issue = kith__import_issue,
		                    .progress = progress_relay, .ctx = &s, .now = s.now};
		/* The bulk path reads on a thread of its own (pipe.c). */
		rc = (s.want_bulk ? kith__parse_piped : kith__parse)(format, data, len,
			o ? o->csv_map : NULL, &sink, err);
	}
	if (!rc)
		rc = batch_finish(&s, err);
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
	rep->seconds = seconds_now() - t0;
	kith_import_report_clear(&local);
	return rc;
}

/* A dry run imports into a copy of the database (kith__db_copy) with the
 * same author, so it takes no write lock on the real one: a large one
 * held every writer of a server for seconds. */
static int import_dry(kith_db *db, const char *data, size_t len,
                      const kith_import_opts *o, kith_import_report *rep,
                      kith_error *err)
{
	kith_db *copy = NULL;
	kith_id member;
	int priv, rc = read_author(db, &member, &priv, err);

	if (!rc)
		rc = kith__db_copy(db, &copy, err);
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
