#ifndef KITH_PERSON_H
#define KITH_PERSON_H

#include "kith/db.h"

/*
 * A person.  Emails are unique across the database (case-insensitively);
 * phones are kept as typed and matched on their digits.  Tags are
 * lower-case words.  Strings are owned by the struct: kith_person_free()
 * or kith_person_clear() releases them.
 */
typedef struct kith_person {
	kith_id id;
	char *display_name;  /* required */
	char *given_name;    /* optional (NULL) */
	char *family_name;
	char *city;
	char *country;
	char *notes;
	kith_strv emails;    /* first is the primary */
	kith_strv phones;
	kith_strv tags;
	int64_t created, updated; /* Unix seconds, set by the store */
} kith_person;

/* Frees the strings in p and zeroes it; p itself is the caller's. */
void kith_person_clear(kith_person *p);
/* Clears and frees a heap person.  NULL is allowed. */
void kith_person_free(kith_person *p);

/*
 * Stores a new person.  p is borrowed; its fields are validated and
 * normalised (emails lower-cased in the domain, tags lower-cased), and on
 * success p->id, p->created and p->updated are set.  The display name
 * falls back to "given family" when absent.  Fails with KITH_EINVAL
 * (bad email, empty name) or KITH_EEXISTS (email taken) and writes nothing.
 */
int kith_person_add(kith_db *db, kith_person *p, kith_error *err);

/* Loads person id into a new heap person owned by the caller (*out). */
int kith_person_get(kith_db *db, kith_id id, kith_person **out, kith_error *err);
/* The same without the emails, phones and tags (left empty): for naming
 * people in a list, where those sets would cost three reads a person. */
int kith_person_get_brief(kith_db *db, kith_id id, kith_person **out, kith_error *err);

/*
 * Replaces every field of the stored person p->id with p's (emails,
 * phones and tags as whole sets).  Same validation as add.  p is borrowed.
 */
int kith_person_update(kith_db *db, kith_person *p, kith_error *err);

/* Deletes a person with their emails, tags, jobs and links.  Interactions
 * they were part of lose them; one left with fewer than two people goes. */
int kith_person_remove(kith_db *db, kith_id id, kith_error *err);

/*
 * Finds the one person a user means by ref: "me", an id ("12" or "#12"),
 * an email, or a name (exact, case- and accent-insensitive, then by word
 * prefixes).  KITH_ENOTFOUND when nobody matches; KITH_EAMBIGUOUS when
 * several do, and then, if candidates is non-NULL, it receives their ids
 * (caller clears it with kith_idv_clear).
 */
int kith_person_resolve(kith_db *db, const char *ref, kith_id *id,
                        kith_idv *candidates, kith_error *err);

/* Adds or removes tags on a person (no error when already there/absent). */
int kith_person_tag(kith_db *db, kith_id id, const kith_strv *add,
                    const kith_strv *remove, kith_error *err);

/* Filter for listing people: NULL/0 fields are ignored. */
typedef struct kith_person_filter {
	const char *tag;
	const char *city;     /* case-insensitive */
	const char *country;
	kith_id org;          /* currently works at */
	size_t limit;         /* 0 = no limit */
	size_t offset;
} kith_person_filter;

/* Lists people ordered by display name.  *out is a heap array of heap
 * persons owned by the caller: free with kith_person_list_free(). */
int kith_person_list(kith_db *db, const kith_person_filter *f,
                     kith_person ***out, size_t *n, kith_error *err);
void kith_person_list_free(kith_person **v, size_t n);

/* Counts people matching f (limit/offset ignored). */
int kith_person_count(kith_db *db, const kith_person_filter *f, int64_t *n,
                      kith_error *err);

/* Tags in use with how many people carry each, most used first. */
typedef struct kith_tag_count {
	char *tag;
	int64_t count;
} kith_tag_count;
int kith_tag_list(kith_db *db, kith_tag_count **out, size_t *n, kith_error *err);
void kith_tag_list_free(kith_tag_count *v, size_t n);

/* Validation used by the store, exposed for importers and front-ends. */
/* Checks and normalises an email (domain lower-cased) into a new string
 * (*out, caller frees). */
int kith_email_normalize(const char *in, char **out, kith_error *err);
/* Checks a phone number: digits with optional +, spaces, dots, dashes,
 * parentheses; 4 to 20 digits. */
int kith_phone_check(const char *in, kith_error *err);
/* Writes the digits of a phone (with a leading + kept) into out. */
void kith_phone_digits(const char *in, char *out, size_t outsz);
/* Checks and lower-cases a tag into a new string (*out, caller frees). */
int kith_tag_normalize(const char *in, char **out, kith_error *err);

/*
 * A page of people for a list screen.  Filters as kith_person_filter, and:
 * words (each must start a word of the name), former_org (a job there that
 * ended), visibility (private ones or team ones only), and a set of ids
 * with a value each (set, values, nset: e.g. strengths to me, computed by
 * the caller; values below 0 count as 0).  With set_only only people in
 * the set qualify; with ranged only those whose value (0 outside the set)
 * is within [min_value, max_value].
 * sort is a KITH_PERSON_SORT_*; KITH_PERSON_SORT_VALUE sorts on the value
 * (0 for people not in the set).  Ties go by name (case folded as COLLATE
 * NOCASE), then id, in the same direction.
 *
 * A page starts at offset, or right after the row a cursor names (a
 * previous page's *next; offset must then be 0).  The cost is bounded by
 * the filter's index or by offset + limit, not by the network.
 *
 * *ids gets the page's ids (heap, the caller frees; NULL when empty), *n
 * their count and *total how many match in all.  *next (when next is not
 * NULL) gets the cursor of the following page (heap, the caller frees), or
 * NULL when this page is the last.  KITH_EINVAL for an unknown sort, a
 * range whose min is above its max, a cursor of another sort or order or
 * malformed, or both a cursor and an offset; nothing is written.
 */
enum { KITH_PERSON_SORT_NAME, KITH_PERSON_SORT_CREATED, KITH_PERSON_SORT_UPDATED,
       KITH_PERSON_SORT_VALUE };
enum { KITH_PERSON_ANY, KITH_PERSON_PRIVATE, KITH_PERSON_TEAM };
#define KITH_PERSON_CURSOR_MAX 1200
typedef struct kith_person_query {
	const char *words, *tag, *city, *country;
	kith_id org, former_org;
	int visibility;
	const kith_id *set;
	const double *values;  /* parallel to set; NULL: all 0 */
	size_t nset;
	int set_only, ranged;
	double min_value, max_value;
	int sort, desc;
	size_t limit, offset;
	const char *cursor;    /* NULL: start at offset */
} kith_person_query;
int kith_person_page(kith_db *db, const kith_person_query *q, kith_id **ids, size_t *n,
                     int64_t *total, char **next, kith_error *err);

#endif
