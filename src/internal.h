#ifndef KITH_INTERNAL_H
#define KITH_INTERNAL_H

/* Shared by libkith's own modules; never included by front-ends. */

#include <sqlite3.h>
#include "kith/kith.h"

/* Statements of hot, read-mostly paths stay prepared (kith__stmt). */
#define KITH_STMT_CACHE 32

struct kith_stmt_slot {
	const char *sql;       /* a string literal: its address is the key */
	sqlite3_stmt *st;
	int busy;
};

struct kith_db {
	sqlite3 *h;
	struct kith_stmt_slot cache[KITH_STMT_CACHE];
	int ncache;
	int tx_depth;     /* 0: no transaction; >1: inside savepoints */
	int readonly;
	int busy_ms;      /* the busy timeout set last */
	int64_t now;      /* fixed clock when now_fixed */
	int now_fixed;
};

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

/* Executes plain SQL without parameters. */
int kith__exec(kith_db *db, const char *sql, const char *what, kith_error *err);

/* Binds a C string or NULL as text. */
int kith__bind_text(sqlite3_stmt *st, int i, const char *s);

/* Copy of column i as a heap string (NULL for SQL NULL); sets *oom on
 * allocation failure so callers can report it. */
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

/* Case- and accent-folds UTF-8 text for comparison: ASCII lower-cased,
 * Latin-1 and Latin Extended-A letters mapped to their base letter.
 * Returns a heap string or NULL on OOM. */
char *kith__fold(const char *s);


/* Builds a safe FTS5 query from free text: each word quoted and made a
 * prefix.  Returns heap string, NULL on OOM, "" when no words. */
char *kith__fts_query(const char *text, const char *column);

/* Migrations (schema.c). */
int kith__migrate(kith_db *db, kith_error *err);

/* Refreshes the full-text row of a person (person.c). */
int kith__person_fts_refresh(kith_db *db, kith_id id, kith_error *err);
/* Raises KITH_ENOTFOUND unless person id exists. */
int kith__person_exists(kith_db *db, kith_id id, kith_error *err);
/* "Name (#12)" label for messages into buf. */
void kith__person_label(kith_db *db, kith_id id, char *buf, size_t sz);

/* Adds (sign 1) or takes away (sign -1) an interaction's share of the
 * cached pair strengths (score.c).  Runs inside the caller's transaction. */
int kith__score_interaction(kith_db *db, const kith_interaction *it, int sign,
                            kith_error *err);

#define KITH_APPLICATION_ID 0x6b697468 /* "kith" */

#endif
