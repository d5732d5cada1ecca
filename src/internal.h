#ifndef KITH_INTERNAL_H
#define KITH_INTERNAL_H

/* Shared by libkith's own modules; never included by front-ends. */

#include <sqlite3.h>
#include "kith/error.h"
#include "kith/types.h"
#include "kith/db.h"

/* Statements of hot, read-mostly paths stay prepared (kith__stmt); when
 * all slots are taken, the one used least recently gives way. */
#define KITH_STMT_CACHE 48

struct kith_stmt_slot {
	const char *sql;       /* a string literal: its address is the key */
	sqlite3_stmt *st;
	int busy;
	unsigned long used;    /* kith_db.stmt_clock at its last use */
};

struct kith_db {
	sqlite3 *h;
	struct kith_stmt_slot cache[KITH_STMT_CACHE];
	int ncache;
	unsigned long stmt_clock;
	int tx_depth;     /* 0: no transaction; >1: inside savepoints */
	int readonly;
	int busy_ms;      /* the busy timeout set last */
	int64_t now;      /* fixed clock when now_fixed */
	int now_fixed;
	kith_id author;   /* the member this handle writes as (kith_db_set_author), 0: none */
	kith_id viewer;   /* the member this handle sees as (kith_db_set_viewer), 0: none */
	/* What a floor above keeps on the handle between calls (score_live.c:
	 * the people a person has an interaction, link or vouch with), valid
	 * while kith__db_state is unchanged; kith_db_close frees it through
	 * memo_free, set with it. */
	void *memo;
	void (*memo_free)(void *memo);
};

/* Two numbers that change whenever db's main database may have: its
 * pager's data version (a commit by any connection, as the read
 * transaction db has open sees it, or by db itself) and db's own row
 * changes (also those not committed yet).  Ask while a statement of db
 * is stepped and not reset, so that they belong to that statement's
 * snapshot: outside a transaction the data version moves only when the
 * next one begins.  0, or -1 when SQLite cannot tell (nothing may then
 * be kept). */
int kith__db_state(kith_db *db, unsigned *version, int64_t *changes);

/* An in-memory copy of db's main database as of now (one read
 * transaction on db, no lock that stops a writer), with db's clock: *out
 * is the caller's (kith_db_close).  For dry runs. */
int kith__db_copy(kith_db *db, kith_db **out, kith_error *err);

/* Maps an SQLite result code to a kith code and sets err with context
 * (what = the operation, e.g. "add person").  Returns the kith code. */
int kith__sqlerr(kith_db *db, int rc, const char *what, kith_error *err);

/* Prepares sql on db; on failure sets err and returns its code. */
int kith__prepare(kith_db *db, const char *sql, sqlite3_stmt **st,
                  kith_error *err);

/* Like kith__prepare for a statement run often (a person read, a token
 * check), which stays prepared for the next call: compiling SQL costs
 * more than running it.  sql must be a string literal.  Give it back
 * with kith__stmt_release, never sqlite3_finalize. */
int kith__stmt(kith_db *db, const char *sql, sqlite3_stmt **st, kith_error *err);
void kith__stmt_release(kith_db *db, sqlite3_stmt *st);

/* Runs a statement with no result rows (binds done by caller); finalizes
 * nothing.  Returns KITH_OK or the mapped error. */
int kith__step_done(kith_db *db, sqlite3_stmt *st, const char *what,
                    kith_error *err);

/* Zeroed scratch memory of at least len bytes, on transparent huge pages
 * from 2 MiB up (base/bigmem.c); *mapped is what to give kith__unmap.
 * NULL when the system has none. */
void *kith__map_zero(size_t len, size_t *mapped);
void kith__unmap(void *p, size_t mapped);

/* Executes plain SQL without parameters. */
int kith__exec(kith_db *db, const char *sql, const char *what, kith_error *err);

/* Binds a C string or NULL as text. */
int kith__bind_text(sqlite3_stmt *st, int i, const char *s);

/* Orders kith_ids ascending, for qsort and bsearch. */
int kith__cmp_id(const void *a, const void *b);

/* Doubles the array *vp (a pointer to the caller's array pointer, of
 * *cap elements of size bytes; first when empty), the one way kith grows
 * a list: KITH_OK, or KITH_ENOMEM with the array and *cap as they were. */
int kith__grow(void *vp, size_t *cap, size_t size, size_t first);

/* The integer a one-row SELECT (or PRAGMA) answers, its ?1 (if it has
 * one) bound to arg; what names the operation in an error. */
int kith__query_int64(kith_db *db, const char *sql, kith_id arg, int64_t *out,
                      const char *what, kith_error *err);

/* Appends to out the first column of every row of sql, whose ?1 (if it
 * has one) is arg.  On failure out may hold some ids; the caller clears it. */
int kith__ids(kith_db *db, const char *sql, kith_id arg, kith_idv *out, kith_error *err);

/* Copy of column i as a heap string (NULL for SQL NULL); sets *oom on
 * allocation failure so callers can report it.  Always UTF-8: bytes that
 * are not (stored by an older kith) come back as U+FFFD. */
char *kith__col_dup(sqlite3_stmt *st, int i, int *oom);

/* Days in month m (1..12) of year y, Gregorian. */
int kith__month_days(int y, int m);

/* strdup that accepts NULL. */
char *kith__strdup(const char *s);

/* Duplicates s with surrounding white space removed; NULL for NULL, and
 * NULL too (with *empty set) when nothing is left. */
char *kith__trim_dup(const char *s, int *oom);

/* Validates a trimmed email address in place and lower-cases its domain,
 * as kith_email_normalize does: 1 when valid, else 0 (s unchanged). */
int kith__email_fix(char *s);

/* Case- and accent-folds text for comparison: Unicode case folding, then
 * the compatibility decomposition (NFKD) without its combining marks, so
 * "ZOË", "Zoë" (NFC) and "Zoe\u0308" (NFD) all fold to "zoe".  Bytes that
 * are not UTF-8 become U+FFFD first.  Returns a heap string or NULL on OOM. */
char *kith__fold(const char *s);

/* The character after the one at p, in UTF-8: GLib's g_utf8_next_char,
 * which reads a table that is a variable of GLib's, and kith takes only
 * functions from the libraries it binds lazily (scripts/lazy_stubs.sh). */
static inline const char *kith__utf8_next(const char *p)
{
	unsigned char c = (unsigned char)*p;

	return p + (c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4
	            : c < 0xfc ? 5 : c < 0xfe ? 6 : 1);
}

/* --- the text of records (validate.c) --- */

/* What a field may hold.  A name (of a person, an org, a kind, a member)
 * and a one-line field (city, title, email...) hold no control character;
 * text (notes) may hold tabs and line breaks.  Every kind is UTF-8. */
enum { KITH_TEXT_NAME, KITH_TEXT_LINE, KITH_TEXT_NOTE };

/* Caps in bytes, and on the entries of a person's lists (emails, phones,
 * tags).  docs/server.md, "Limits", lists them. */
#define KITH_NAME_MAX 500
#define KITH_LINE_MAX 1000
#define KITH_NOTE_MAX 100000

/* Changes applied over the graph index file past which a handle that may
 * write it builds and writes it again (graph/graph.c); a bulk link import
 * that adds more links than this tells readers to rebuild at once instead
 * of logging each pair (import/links.c). */
#define KITH__GRAPH_REWRITE_AFTER 4096
#define KITH_LIST_MAX 1000

/* KITH_OK when s (NULL allowed) may be stored as a field of that kind,
 * else KITH_EINVAL with a reason naming the field ("city is not valid
 * UTF-8", "name has a control character (U+001B)"). */
int kith__text_check(const char *what, const char *s, int kind, kith_error *err);

/* Whether the len bytes at s are UTF-8 (kith_utf8_prefix, kith/types.h). */
static inline int kith__utf8_valid(const char *s, size_t len)
{
	return kith_utf8_prefix(s, len) == len;
}

/* Replaces *s (heap, NULL allowed) with its NFC form when that differs.
 * KITH_OK, KITH_ENOMEM, or KITH_EINVAL when *s is not UTF-8. */
int kith__text_nfc(char **s);

/* The check every write of a record runs first: each text field through
 * kith__text_check, then put in NFC (in place: the record is the caller's
 * and stays so).  KITH_EINVAL names the first bad field; nothing is
 * written by the caller then. */
struct kith_person;
struct kith_org;
struct kith_job;
struct kith_link;
struct kith_interaction;
struct kith_note;
struct kith_kind;
int kith__person_check(struct kith_person *p, kith_error *err);
int kith__org_check(struct kith_org *o, kith_error *err);
int kith__job_check(struct kith_job *j, kith_error *err);
int kith__link_check(const struct kith_link *l, kith_error *err);   /* checks only */
int kith__interaction_check(struct kith_interaction *it, kith_error *err);
int kith__note_check(struct kith_note *n, kith_error *err);
int kith__kind_check(const struct kith_kind *k, kith_error *err); /* checks only */


/* Builds a safe FTS5 query from free text: each word quoted and made a
 * prefix, the first KITH__FTS_MAX_WORDS words only (each prefix term is
 * a walk of the index: a bound on a request's cost).  Returns a heap
 * string, NULL on OOM, "" when no words. */
#define KITH__FTS_MAX_WORDS 32
char *kith__fts_query(const char *text, const char *column);

/* kith's CSV export: its header row, which the CSV import knows it by,
 * and the first characters of a cell a spreadsheet would run as a formula
 * (OWASP's list) or that start with the quote kith puts before those.
 * kith writes such a cell with a quote first; reading a file with this
 * exact header takes that quote away again. */
#define KITH_CSV_HEAD "Name", "Given Name", "Family Name", "E-mail", "Phone", \
	"City", "Country", "Organization", "Title", "Tags", "Notes", "kith id"
#define KITH_CSV_QUOTED "=+-@\t\r'"

/* Migrations (store/schema.c): brings db's schema up to this kith's, in
 * one transaction.  Derived data a migration dropped or changed the
 * meaning of (the pair cache) is rebuilt by rebuild, called inside that
 * transaction so no reader sees it missing: the front door (open.c)
 * passes the full recompute, which lives floors above the store. */
typedef int (*kith__rebuild_fn)(kith_db *db, kith_error *err);
int kith__migrate(kith_db *db, kith__rebuild_fn rebuild, kith_error *err);
/* Opens path as kith_db_open does, without the schema or anything above
 * the store: a connection configured (WAL, foreign keys, busy timeout,
 * clock).  For open.c. */
int kith__db_connect(const char *path, int flags, kith_db **out, kith_error *err);

/* Refreshes the full-text row of a person (person.c). */
int kith__person_fts_refresh(kith_db *db, kith_id id, kith_error *err);
/* What a person's search row holds, as columns (name, info, notes) of a
 * SELECT over person p: jobs name team orgs only, so no member's search
 * matches or shows a private org's name. */
#define KITH__PERSON_FTS_COLUMNS \
	"p.display_name || ' ' || coalesce(p.given_name, '')" \
	" || ' ' || coalesce(p.family_name, '')," \
	" coalesce(p.city, '') || ' ' || coalesce(p.country, '') || ' ' ||" \
	"   coalesce((SELECT group_concat(email, ' ') FROM person_email" \
	"             WHERE person_id = p.id), '') || ' ' ||" \
	"   coalesce((SELECT group_concat(tag, ' ') FROM person_tag" \
	"             WHERE person_id = p.id), '') || ' ' ||" \
	"   coalesce((SELECT group_concat(o.name || ' ' || coalesce(j.title, ''), ' ')" \
	"             FROM job j JOIN org o ON o.id = j.org_id" \
	"             WHERE j.person_id = p.id AND NOT o.private), '')," \
	" p.notes"
/* Writes again the search rows of everyone with a job at org (their rows
 * name their orgs).  Runs inside the caller's transaction. */
int kith__org_staff_refresh(kith_db *db, kith_id org, kith_error *err);
/* Folded name with white space runs made one space (identity.c). */
char *kith__name_key(const char *name);
/* True when the local part of an address says no one reads it
 * (record/identity.c). */
int kith__noreply(const char *email);
/* A JSON string of s (record/record_json.c): null for NULL, U+FFFD for
 * bytes that are not UTF-8, so one bad value never fails an answer. */
struct json_t *kith__json_str(const char *s);
/* Re-adds (sign 1) or takes away (-1) the pair cache shares of the
 * interactions ids that exist (kith__score_interaction), around a change
 * of who takes part in them or who sees them. */
int kith__interactions_rescore(kith_db *db, const kith_idv *ids, int sign,
                               kith_error *err);
/* Raises KITH_ENOTFOUND unless person id exists. */
int kith__person_exists(kith_db *db, kith_id id, kith_error *err);
/* "Name (#12)" label for messages into buf. */
void kith__person_label(kith_db *db, kith_id id, char *buf, size_t sz);

#define KITH_APPLICATION_ID 0x6b697468 /* "kith" */

#endif
