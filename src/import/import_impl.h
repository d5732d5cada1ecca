#ifndef KITH_IMPORT_IMPL_H
#define KITH_IMPORT_IMPL_H

/*
 * Inside capture.  Each format has a parser that reads a buffer in memory
 * and hands records to a sink; the parsers know nothing of the database,
 * so they can be fuzzed alone (fuzz/).  import.c is the sink that writes:
 * identity resolution, source keys, the report.
 */

#include "internal.h"
#include "kith/import.h"

/* A job as a contact file states it. */
typedef struct kith__cjob {
	char *org, *title, *from, *to;
} kith__cjob;

/* A person as one record of a contact file states them.  Every string is
 * owned by the struct (kith__contact_clear). */
typedef struct kith__contact {
	int64_t line;          /* where the record starts */
	char *key;             /* the source's own id (UID, profile URL) or NULL */
	char digest[33];       /* hex hash of the record's content */
	char *display, *given, *family, *city, *country, *notes;
	kith_strv emails;      /* as found; validated by the sink */
	kith_strv phones;
	kith_strv tags;        /* categories/labels as found */
	kith__cjob *jobs;
	size_t njobs;
	int link_me;           /* the source says "I know them" (LinkedIn) */
	char *since;           /* ... since then (partial ISO date) */
	/* A vCard's relationship lines as written (RELATED, X-ABRELATEDNAMES
	 * and the X-ABLabel lines beside them), unfolded, one per line
	 * ('\n' between); NULL when it states none.  The sink maps them
	 * through src/card_rel.c as CardDAV does (people.c). */
	char *related;
} kith__contact;

void kith__contact_clear(kith__contact *c);
/* Appends a job (strings copied; NULLs allowed).  KITH_OK or KITH_ENOMEM. */
int kith__contact_add_job(kith__contact *c, const char *org, const char *title,
                          const char *from, const char *to);
/* Replaces *field with a trimmed copy of s (NULL when blank). */
int kith__set_field(char **field, const char *s, size_t len);

/* Someone taking part in an event: an address and an optional name.
 * kith__event_add also works out what the writer looks the address up
 * by, on the parser's thread (pipe.c), which has time to spare. */
typedef struct kith__party {
	char *email;
	char *name;
	char *norm;            /* kith_email_normalize's form; NULL: invalid */
	char *low;             /* norm in lower case: the lookup key */
	int noreply;           /* kith__noreply(norm) */
	int packed;            /* all four strings in email's block */
} kith__party;

/* Something that happened among people (a message, a meeting).  Owned
 * strings (kith__event_clear). */
typedef struct kith__event {
	int64_t line;
	char *key;             /* Message-ID, UID|RECURRENCE-ID; NULL: digest */
	char digest[33];
	const char *kind;      /* "email" or "meeting"; static */
	int64_t at;            /* Unix seconds UTC */
	char *notes;           /* subject, summary */
	kith__party *parties;  /* the first is the sender or organizer */
	size_t nparties, cap;
	int first_initiates;   /* parties[0] started it (an email's sender) */
} kith__event;

void kith__event_clear(kith__event *e);
/* Appends a party (copied) unless the address is already there. */
int kith__event_add(kith__event *e, const char *email, const char *name);

/* Where parsers send what they read.  Each callback returns KITH_OK to go
 * on, or an error code (with err filled) to stop the whole import.  The
 * record is borrowed for the call; the sink may steal strings from it by
 * setting them to NULL. */
typedef struct kith__sink {
	int (*contact)(void *ctx, kith__contact *c, kith_error *err);
	int (*event)(void *ctx, kith__event *e, kith_error *err);
	/* A record not imported: level is KITH_ISSUE_REJECTED or _SKIPPED;
	 * a part of a record dropped: KITH_ISSUE_WARNING. */
	int (*issue)(void *ctx, int64_t line, int level, const char *why,
	             kith_error *err);
	void (*progress)(void *ctx, size_t done, size_t total);
	void *ctx;
	int64_t now;           /* the clock: events after it are not interactions yet */
} kith__sink;

/* Reports an issue with a printf message; returns what the sink says. */
int kith__issue(const kith__sink *s, int64_t line, int level, kith_error *err,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The parsers.  buf is borrowed and need not be NUL-terminated.  They
 * return KITH_OK at the end of the input, or the first error a callback
 * returned, or KITH_ENOMEM / KITH_EINVAL (csv: unusable header or map). */
int kith__vcard_parse(const char *buf, size_t len, const kith__sink *s,
                      kith_error *err);
/* Links alone (links.c), inside the caller's transaction: fills rep. */
int kith__import_links(kith_db *db, const char *data, size_t len, const kith_import_opts *o,
                       kith_import_report *rep, kith_error *err);
int kith__csv_parse(const char *buf, size_t len, const char *map,
                    const kith__sink *s, kith_error *err);
int kith__mbox_parse(const char *buf, size_t len, const kith__sink *s,
                     kith_error *err);
/* Where an mbox's first "From " line starts, past a UTF-8 byte-order
 * mark and blank lines; len when data does not start so (mbox.c). */
size_t kith__mbox_start(const char *data, size_t len);
int kith__ics_parse(const char *buf, size_t len, const kith__sink *s,
                    kith_error *err);

/* kith's own JSON export read back (json.c): its own transaction of
 * savepoints, one a record, rather than the session's sink. */
int kith__import_json(kith_db *db, const char *data, size_t len,
                      const kith_import_opts *o, kith_import_report *rep,
                      kith_error *err);

/* Text as the parsers read it: a UTF-16 input (byte-order mark first, or
 * none and a NUL in every other byte) is converted to UTF-8 in *owned
 * (caller g_frees; NULL when nothing was converted) and *data, *len point
 * at it; any other input is left as it is.  KITH_EINVAL when the UTF-16 is
 * not valid. */
int kith__import_decode(const char **data, size_t *len, char **owned,
                        kith_error *err);
/* For an input whose format was guessed as CSV: NULL when it may be one,
 * else why not (a static string).  data is borrowed. */
const char *kith__not_csv(const char *data, size_t len);

/* The parser of format (enum kith_import_format, not AUTO) over buf, as
 * the functions above.  kith__parse_piped runs it on a thread of its own
 * and calls s's callbacks on the caller's thread, in the same order and
 * with the same result (pipe.c); csv_map is borrowed by both. */
int kith__parse(int format, const char *buf, size_t len, const char *csv_map,
                const kith__sink *s, kith_error *err);
int kith__parse_piped(int format, const char *buf, size_t len,
                      const char *csv_map, const kith__sink *s, kith_error *err);

/* Hex MD5 of data into out[33]: a change detector, not a security
 * measure. */
void kith__digest(const void *data, size_t len, char out[33]);

/* Helpers shared by the parsers (text.c). */
/* 1-based line number of offset off in buf, counting on from a previous
 * answer (*pos, *line) so that a forward scan costs O(n) in all. */
int64_t kith__line_at(const char *buf, size_t off, size_t *pos, int64_t *line);
/* A valid UTF-8 copy of s: itself when valid, else read as Windows-1252.
 * Heap string or NULL on OOM. */
char *kith__utf8_dup(const char *s, size_t len);
/* A category or label made into a kith tag ("Business Partners" ->
 * "business-partners"); heap string, NULL when nothing is left. */
char *kith__tagify(const char *s);
/* "19850412", "1985-04-12", "--0412" -> "1985-04-12", "--04-12" in out. */
int kith__bday_canon(const char *s, char *out, size_t outsz);
/* Unix time of a Date value in the usual RFC 5322 form ("Tue, 4 Nov 2025
 * 18:01:02 +0100", weekday and seconds optional): 1 and *t, or 0 for any
 * other form (maildate.c). */
int kith__mail_date(const char *s, int64_t *t);

#endif
