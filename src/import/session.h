#ifndef KITH_IMPORT_SESSION_H
#define KITH_IMPORT_SESSION_H

/* The writing side of one import (import.c, people.c, events.c). */

#include <glib.h>
#include "import_impl.h"
#include "kith/interaction.h"

enum {
	S_SRC_GET, S_SRC_PUT, S_SRC_INS, S_BY_EMAIL, S_BY_PHONE, S_PERSON_INS, S_EMAIL_INS,
	S_PHONE_INS, S_TAG_INS, S_ORG_BY_NAME, S_JOB_FIND, S_JOB_INS, S_LINK_FIND,
	S_LINK_INS, S_LINK_SINCE, S_RENAME, S_FTS_TEXT, S_FTS_NEW, S_FTS_DEL, S_FTS_INS,
	S_P_ROW, S_P_EMAILS, S_P_PHONES, S_P_TAGS, S_P_UPDATE, S_IT_INS,
	S_IT_PERSON, S_P_VIS, S_COUNT
};

typedef struct kith__bulk kith__bulk;          /* bulk.c */
typedef struct kith__strength kith__strength;  /* strength.c */

typedef struct kith__isess {
	kith_db *db;
	const char *kind;          /* source kind: "vcard", "csv", ... */
	kith_import_report *rep;
	const kith_import_opts *opts;
	kith_id me;
	/* Whose view identities resolve against (kith_db_set_author's
	 * member; 0: everything), bound as ?9 of the statements that look
	 * records up; priv: a private import, which writes only onto the
	 * viewer's own private people. */
	kith_id viewer;
	int priv;
	int64_t now;
	kith_id last_old;          /* highest person id before the import */
	sqlite3_stmt *st[S_COUNT]; /* prepared once per import */
	GHashTable *orgs;          /* lower-case org name -> id */
	GHashTable *emails;        /* lower-case email -> person id */
	int emails_all;            /* ... holding every stored email */
	int preload;               /* big input: read them all at first need */
	GHashTable *phones;        /* stored digits -> lowest person id, or NULL:
	                              ask the index */
	GHashTable *nameorg;       /* "folded name\x1forg id" -> person id */
	GHashTable *touched;       /* person ids whose search row is stale */
	GHashTable *placeholders;  /* ids named by an address, or NULL: unread */
	char kind_ok[2][24];       /* interaction kinds checked already */
	kith_idv touched_ids;
	int want_bulk;             /* take the bulk path at the first write */
	kith__bulk *bulk;          /* the bulk path once taken, or NULL */
	kith_id new_owner;         /* what new people and interactions get as */
	int new_private;           /* owner (0: none) and privacy at insert */
	double batch_start;        /* when the open batch began (batch_ms) */
	int64_t data_version;      /* PRAGMA data_version when it began */
	int64_t seen_seq;          /* the change log's last seq after our commit */
	int preload_all;           /* read every email and phone when big */
	int bulk_wanted;           /* each batch takes the bulk path */
	GPtrArray *related;        /* cards' relationship lines (related.c) */
} kith__isess;

/* Relationships stated on cards (related.c).  kith__related_note keeps
 * c's lines (taken from it) for person; kith__related_finish, before a
 * batch commits, makes the links they state or keeps their lines with
 * the person; kith__related_free drops what is left. */
int kith__related_note(kith__isess *s, kith_id person, kith__contact *c,
                       kith_error *err);
int kith__related_finish(kith__isess *s, kith_error *err);
void kith__related_free(kith__isess *s);

/* Whether person id (found by a lookup, so visible) may be written to by
 * this import: anyone but by a private import, which writes only onto
 * the viewer's own private people.  *ok. */
int kith__writable(kith__isess *s, kith_id id, int *ok, kith_error *err);
/* Between two records of a batched import (kith_import_opts.batch_ms):
 * commits the batch when its time is up, lets others write, and opens the
 * next; else nothing. */
int kith__batch_point(kith__isess *s, kith_error *err);

/* A statement of the session, reset and with bindings cleared. */
sqlite3_stmt *kith__ist(kith__isess *s, int which);

/* Binds s (or NULL) without a copy: s must outlive the statement's next
 * step, as every string of a record does. */
static inline int kith__ibind(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
	         : sqlite3_bind_null(st, i);
}

/* Sink callbacks (people.c, events.c). */
int kith__import_contact(void *ctx, kith__contact *c, kith_error *err);
int kith__import_event(void *ctx, kith__event *e, kith_error *err);

/* The text of a record made fit for the store (clean.c): control
 * characters out, NFC, then the store's checks.  *rejected is set when
 * the record may not be stored, and the reason is in the report.
 * KITH_OK, or an error that stops the import. */
int kith__contact_text(kith__isess *s, kith__contact *c, int *rejected,
                       kith_error *err);
int kith__event_text(kith__isess *s, kith__event *e, int *rejected,
                     kith_error *err);
int kith__import_issue(void *ctx, int64_t line, int level, const char *why,
                       kith_error *err);

/* Source keys (people.c). */
int kith__src_get(kith__isess *s, const char *key, kith_id *person,
                  kith_id *interaction, char digest[33], int *found,
                  kith_error *err);
/* replace: the key was found (kith__src_get), so its row is replaced. */
int kith__src_put(kith__isess *s, const char *key, kith_id person,
                  kith_id interaction, const char *digest, int replace,
                  kith_error *err);
/* Whether person id's display name is an address (S_RENAME may give them
 * a name): *is.  Reads them all at the first call; kith__placeholder_note
 * keeps that current when the import writes a display name (borrowed). */
int kith__placeholder(kith__isess *s, kith_id id, int *is, kith_error *err);
void kith__placeholder_note(kith__isess *s, kith_id id, const char *display);

/* Person by phone (any stored form of its key); 0 when nobody. */
int kith__find_phone(kith__isess *s, const char *phone, kith_id *id,
                     kith_error *err);
/* Org by name (any case), created when create is set: *id, 0 when none. */
int kith__org_lookup(kith__isess *s, const char *name, int create, kith_id *id,
                     kith_error *err);
/* Reads "folded name\x1forg id" -> person into s->nameorg, once; then
 * kith__nameorg_note adds one (name borrowed). */
int kith__nameorg_load(kith__isess *s, kith_error *err);
void kith__nameorg_note(kith__isess *s, const char *name, kith_id org, kith_id id);

/* Marks a person's search row for rebuilding before commit. */
int kith__touch(kith__isess *s, kith_id id);
/* Person by email through the session cache; 0 when nobody. */
int kith__find_email(kith__isess *s, const char *email, kith_id *id,
                     kith_error *err);
/* The same with the address in lower case given (low, borrowed). */
int kith__find_email_low(kith__isess *s, const char *email, const char *low,
                         kith_id *id, kith_error *err);
/* For a big input, reads every stored email and phone into the session's
 * tables, once, before the first identity lookup; else nothing. */
int kith__preload(kith__isess *s, kith_error *err);
/* Between batches, after another connection wrote: brings the tables
 * above up to date with the people the change log (card_change) names
 * since s->seen_seq, and forgets the orgs read.  Costs a pass over the
 * tables, not a new read of every email. */
int kith__caches_refresh(kith__isess *s, kith_error *err);
/* The change log's last seq into *seq. */
int kith__change_seq(kith__isess *s, int64_t *seq, kith_error *err);
/* Remembers email -> id in the cache. */
void kith__remember_email(kith__isess *s, const char *email, kith_id id);
/* Remembers that id has a phone with these stored digits. */
void kith__remember_phone(kith__isess *s, const char *digits, kith_id id);
/* Inserts a new person with already normalised lists (fast path). */
int kith__insert_person(kith__isess *s, const char *display, const char *given,
                        const char *family, const char *city,
                        const char *country, const char *notes,
                        const kith_strv *emails, const kith_strv *phones,
                        const kith_strv *tags, kith_id *id, kith_error *err);

/* The bulk path (bulk.c).  kith__bulk_start takes it, once, if the
 * import asked for it: call it before a record's first write.  When the
 * schema is not the one it knows, it leaves s->bulk NULL and the import
 * goes row by row. */
int kith__bulk_start(kith__isess *s, kith_error *err);
/* The owner (0: none) and privacy of a new interaction among people
 * (borrowed), as the author's stamp and the privacy triggers leave it. */
void kith__bulk_visibility(const kith__isess *s, const kith_idv *people,
                           kith_id *owner, int *priv);
/* Stores a new org named name (borrowed) as kith_org_add would: *id. */
int kith__bulk_org(kith__isess *s, const char *name, kith_id *id, kith_error *err);
/* Stores a new interaction (it; its people all stored and distinct) as
 * kith_interaction_add would, its share of the pair strengths included:
 * sets it->id.  The rows are written later, by batches. */
int kith__bulk_interaction(kith__isess *s, kith_interaction *it, kith_error *err);
/* The source key (borrowed) of the interaction just stored; replace: the
 * key is stored already (kith__src_get found it) and now names this. */
int kith__bulk_source(kith__isess *s, const char *key, kith_id interaction,
                      const char *digest, int replace, kith_error *err);
/* Whether key names an interaction of this import not written yet:
 * then *interaction and digest are set. */
int kith__bulk_pending(const kith__isess *s, const char *key, kith_id *interaction,
                       char digest[33]);
/* Before commit, after the search rows (touched_ids sorted): does the
 * triggers' work for the import and creates them again. */
int kith__bulk_finish(kith__isess *s, kith_error *err);
/* Frees s->bulk (a no-op when NULL); the triggers are the transaction's
 * business. */
void kith__bulk_free(kith__isess *s);

/* The rows of the interactions of a bulk import (bulk_rows.c), held for
 * batch writes: _new takes the highest interaction id before the import;
 * _interaction, _source and _pending do the work of kith__bulk_interaction,
 * _source and _pending; _finish writes all that waits; _free accepts NULL. */
typedef struct kith__rows kith__rows;
int kith__rows_new(kith__isess *s, kith_id last_old, kith__rows **out,
                   kith_error *err);
int kith__rows_interaction(kith__isess *s, kith__rows *r, kith_interaction *it,
                           kith_id owner, int priv, kith_error *err);
int kith__rows_source(kith__rows *r, const char *key, kith_id interaction,
                      const char *digest, int replace, kith_error *err);
int kith__rows_pending(const kith__rows *r, const char *key, kith_id *interaction,
                       char digest[33]);
int kith__rows_finish(kith__isess *s, kith__rows *r, kith_error *err);
void kith__rows_free(kith__rows *r);

/* Pair strengths of a bulk import, in memory until flushed (strength.c).
 * kith__strength_new reads the half-life; last_old is the highest person
 * id stored before the import (newer people have no stored pairs); *out is the caller's
 * (kith__strength_free, which accepts NULL).  _add takes it (borrowed)
 * as kith__score_interaction(db, it, 1) would; _flush writes every pair
 * touched. */
int kith__strength_new(kith_db *db, kith_id last_old, kith__strength **out,
                       kith_error *err);
int kith__strength_add(kith__strength *t, const kith_interaction *it,
                       kith_error *err);
int kith__strength_flush(kith__strength *t, kith_error *err);
void kith__strength_free(kith__strength *t);

/* The statements of a session, by S_ (session.c); prepared once an import. */
extern const char *const kith__import_sql[S_COUNT];

/* Whether person p, org o, ... is in the view of member ?9 (0: all). */
#define VIS(t) "(?9 = 0 OR " t ".private = 0 OR " t ".owner = ?9)"

/* Batches (batch.c): the clock, a batch's start (the newest person id
 * before it, the data version, the time) and finish (search rows, the
 * bulk path's deferred work). */
double kith__seconds_now(void);
int kith__batch_start(kith__isess *s, kith_error *err);
int kith__batch_finish(kith__isess *s, kith_error *err);

#endif
