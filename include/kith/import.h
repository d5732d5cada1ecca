#ifndef KITH_IMPORT_H
#define KITH_IMPORT_H

#include <stdint.h>
#include "kith/db.h"

/*
 * Capture: the contact files people really have, read into the network.
 *
 *   vCard 2.1, 3.0, 4.0 (.vcf)   people: names, emails, phones, city,
 *                                jobs, tags, notes (docs/capture.md)
 *   CSV (LinkedIn, Google,       people; a LinkedIn connection is also a
 *   Outlook, or any CSV with     "knows" link to me since "Connected On"
 *   a column map)
 *   mbox                         one email interaction per message among
 *                                its sender and To/Cc recipients
 *   iCalendar (.ics)             one meeting per event (and occurrence)
 *                                among its organizer and attendees
 *   kith JSON (export json)      everything, as exported: records are
 *                                written as they are, not merged
 *                                (src/import/json.c, docs/export-json.md)
 *
 * Every record goes through identity resolution: a person who shares an
 * email (any case), a phone (same digits, a leading 00 read as +) or the
 * same name at the same organisation is the same person, and the record
 * is merged into them instead of creating a duplicate.
 *
 * An import is one transaction: all of it is saved, or none (but see
 * batch_ms below).  Records remember their source key (vCard UID,
 * Message-ID, iCalendar UID with RECURRENCE-ID, a CSV row's profile URL
 * or content hash), so importing the same file again changes nothing.
 * Malformed records are rejected with their line and the reason, never
 * fatal; only a database error (or running out of memory) stops an
 * import, and then nothing (of the batch) is saved.
 *
 * On a handle with an author (kith_db_set_author: a member's import on
 * the server) identities resolve against what that member sees: team
 * records and their own private ones.  A record another member keeps
 * private is neither found, nor merged into, nor blocks anything: the
 * import and its report are what they would be if it did not exist.  A
 * private import (the author's private flag) writes nothing onto a team
 * person: a record that matches one is skipped ("matches team person
 * #N").  Without an author (the CLI) everything is seen.
 *
 * A dry run imports into an in-memory copy of the database taken at the
 * start (memory: the database's size) and throws the copy away: it takes
 * no write lock, and its report is the one the import would give.
 */

enum kith_import_format {
	KITH_IMPORT_AUTO = 0, /* detected from the content */
	KITH_IMPORT_VCARD,
	KITH_IMPORT_CSV,      /* flavour detected from the header, or map */
	KITH_IMPORT_MBOX,
	KITH_IMPORT_ICS,
	KITH_IMPORT_JSON,     /* kith's own export (docs/export-json.md) */
	KITH_IMPORT_LINKS     /* links only: CSV a,b,kind,since,trust, or GraphML */
};

/* "vcard", "csv", "mbox", "ics", "json", "links" (also "vcf", "ical",
 * "icalendar", "graphml", "auto").  Returns the format or -1. */
int kith_import_format_parse(const char *name);
/* Static name of a format ("vcard", ...). */
const char *kith_import_format_name(int format);
/* The format of a buffer from its first bytes; KITH_IMPORT_CSV when it is
 * none of the others. */
int kith_import_detect(const char *data, size_t len);

/* Called now and then with how many bytes of the input were read.  A
 * front-end draws a progress bar with it; it must not touch the db. */
typedef void (*kith_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct kith_import_opts {
	int format;             /* enum kith_import_format */
	int dry_run;            /* do everything, then roll back */
	/* CSV: "field=Column,field=Column" for files of no known flavour;
	 * fields are name, given, family, email, phone, org, title, city,
	 * country, notes, tags, since, key (repeat email/phone/tags for more
	 * columns).  NULL: detect LinkedIn, Google or Outlook. */
	const char *csv_map;
	kith_progress_fn progress;
	void *progress_ctx;     /* passed to progress, borrowed */
	int bulk;               /* enum kith_import_bulk */
	/* 0: one transaction.  Else the import commits a batch after about
	 * this many milliseconds of work and calls yield (if set), outside
	 * any transaction, before the next: a server lets other writers in
	 * there.  A failure then keeps the batches committed before it;
	 * importing the file again completes it, nothing twice (source
	 * keys).  Ignored by a dry run. */
	unsigned batch_ms;
	void (*yield)(void *ctx);
	void *yield_ctx;        /* passed to yield, borrowed */
	/* A dry run works on a copy of the database of its own, which the
	 * caller's way of stopping its connection's statements (a progress
	 * handler) does not reach: cancelled, when set, is asked every few
	 * thousand SQLite steps there, and non-zero stops the run. */
	int (*cancelled)(void *ctx);
	void *cancel_ctx;       /* passed to cancelled, borrowed */
} kith_import_opts;

/* How an import writes.  The bulk path does for the whole import, once,
 * what the schema's triggers do per row (search rows of interactions,
 * the CardDAV change log, the graph generation, the author's stamp and
 * the spreading of privacy), and keeps pair strengths in memory until
 * the end; the database it leaves is the one the row-by-row path leaves,
 * but for one change-log row per person changed instead of one per row
 * written (docs/capture.md).  AUTO takes it for inputs of 1 MiB and more;
 * ON and OFF are for tests and benchmarks. */
enum kith_import_bulk {
	KITH_IMPORT_BULK_AUTO = 0,
	KITH_IMPORT_BULK_ON,
	KITH_IMPORT_BULK_OFF
};

enum kith_issue_level {
	KITH_ISSUE_REJECTED,    /* malformed: the record was not imported */
	KITH_ISSUE_SKIPPED,     /* ignored by rule (list mail, no-reply...) */
	KITH_ISSUE_WARNING      /* imported, but part of it was dropped */
};

typedef struct kith_import_issue {
	int64_t line;           /* 1-based line in the input where the record starts */
	int level;              /* enum kith_issue_level */
	char *reason;           /* owned by the report */
} kith_import_issue;

/* At most this many issues are kept; the counts stay exact. */
#define KITH_IMPORT_MAX_ISSUES 1000

/* What an import did.  Counts are of records read from the input (a
 * vCard, a CSV row, a message, an event occurrence).  The issues array
 * and its strings are owned by the report: kith_import_report_clear(). */
typedef struct kith_import_report {
	int format;             /* the format actually read */
	int64_t records;        /* records read */
	int64_t created;        /* new person (contacts) or interaction (events) */
	int64_t merged;         /* merged into a person already there */
	int64_t unchanged;      /* imported before and the same: nothing done */
	int64_t skipped;        /* ignored by rule */
	int64_t rejected;       /* malformed */
	int64_t people_created; /* everyone created, events' people included */
	int64_t links_created;
	int64_t jobs_created;
	int64_t orgs_created;
	int64_t bytes;          /* size of the input */
	double seconds;         /* wall time of the import */
	int dry_run;            /* nothing was saved */
	int bulk;               /* written by the bulk path */
	int64_t batches;        /* transactions committed (0 for a dry run) */
	kith_import_issue *issues;
	size_t nissues;
	int64_t issues_dropped; /* issues beyond KITH_IMPORT_MAX_ISSUES */
} kith_import_report;

void kith_import_report_clear(kith_import_report *r);

/*
 * Imports len bytes at data (borrowed; need not be NUL-terminated) into
 * db.  o may be NULL (auto-detect, no dry run).  rep (optional) is filled
 * even when the import fails, and the caller clears it.  Returns KITH_OK
 * when the input was read to the end (malformed records are in the
 * report, not errors) and committed (or, with dry_run, rolled back).
 * Errors: KITH_EINVAL for a bad csv_map or a CSV whose columns are not
 * recognised, database errors, KITH_ENOMEM.
 */
int kith_import_buffer(kith_db *db, const char *data, size_t len,
                       const kith_import_opts *o, kith_import_report *rep,
                       kith_error *err);
/* Same for a file ("-" is standard input); KITH_EIO when unreadable. */
int kith_import_file(kith_db *db, const char *path, const kith_import_opts *o,
                     kith_import_report *rep, kith_error *err);


/* A phone's matching key: its digits, with a leading + kept and a leading
 * 00 turned into +, into out (at least 32 bytes).  National and
 * international forms of one number ("06 12..." and "+33 6 12...") do not
 * match: that needs a country, which kith does not guess. */
void kith_phone_key(const char *in, char *out, size_t outsz);

#endif
