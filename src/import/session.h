#ifndef KITH_IMPORT_SESSION_H
#define KITH_IMPORT_SESSION_H

/* The writing side of one import (import.c, people.c, events.c). */

#include <glib.h>
#include "import_impl.h"

enum {
	S_SRC_GET, S_SRC_PUT, S_BY_EMAIL, S_BY_PHONE, S_PERSON_INS, S_EMAIL_INS,
	S_PHONE_INS, S_TAG_INS, S_ORG_BY_NAME, S_JOB_FIND, S_JOB_INS, S_LINK_FIND,
	S_LINK_INS, S_LINK_SINCE, S_RENAME, S_FTS_TEXT, S_FTS_DEL, S_FTS_INS,
	S_P_ROW, S_P_EMAILS, S_P_PHONES, S_P_TAGS, S_P_UPDATE, S_IT_INS,
	S_IT_PERSON, S_COUNT
};

typedef struct kith__isess {
	kith_db *db;
	const char *kind;          /* source kind: "vcard", "csv", ... */
	kith_import_report *rep;
	const kith_import_opts *opts;
	kith_id me;
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
	char kind_ok[2][24];       /* interaction kinds checked already */
	kith_idv touched_ids;
} kith__isess;

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
int kith__import_issue(void *ctx, int64_t line, int level, const char *why,
                       kith_error *err);

/* Source keys (people.c). */
int kith__src_get(kith__isess *s, const char *key, kith_id *person,
                  kith_id *interaction, char digest[33], int *found,
                  kith_error *err);
int kith__src_put(kith__isess *s, const char *key, kith_id person,
                  kith_id interaction, const char *digest, kith_error *err);

/* Marks a person's search row for rebuilding before commit. */
int kith__touch(kith__isess *s, kith_id id);
/* Person by email through the session cache; 0 when nobody. */
int kith__find_email(kith__isess *s, const char *email, kith_id *id,
                     kith_error *err);
/* For a big input, reads every stored email and phone into the session's
 * tables, once, before the first identity lookup; else nothing. */
int kith__preload(kith__isess *s, kith_error *err);
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

/* Folded name with white space runs made one space (identity.c). */
char *kith__name_key(const char *name);

#endif
