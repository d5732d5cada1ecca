#ifndef KITH_CARD_H
#define KITH_CARD_H

#include <stdint.h>
#include "kith/db.h"

/*
 * Address-book cards: people as vCards that a client keeps in sync
 * (CardDAV, server/dav*.c; docs/carddav.md).
 *
 * Each member has one address book: the people their viewer handle sees
 * (kith_db_set_viewer).  A card is named by an href, the last segment of
 * its URL: "kith-ID.vcf" for people made in kith, or the name a client
 * chose when it made the card.  Its ETag is the person's last entry in
 * the change log (schema migration 6), so any change to the person, their
 * emails, phones, tags, jobs or links gives a new ETag; the log's last
 * entry is the address book's sync token.
 *
 * Reads take a viewer handle (what the member sees); writes take the
 * read-write handle, already stamped with the author
 * (kith_db_set_author), plus the viewer handle for identity lookups so a
 * card never merges into a person the member cannot see.
 */

/* Longest card name kept; longer ones are refused. */
#define KITH_CARD_HREF_MAX 200

typedef struct kith_card_ref {
	kith_id person;
	char href[KITH_CARD_HREF_MAX + 1];
	int64_t etag;        /* the person's last change; 0 for a removed card */
	int64_t updated;     /* the person's `updated` (Unix seconds) */
	int gone;            /* in a change list: the card went away */
} kith_card_ref;

/* Every card of member's book, by person id.  db is member's viewer
 * handle.  *out is a heap array owned by the caller (free()). */
int kith_card_list(kith_db *db, kith_id member, kith_card_ref **out, size_t *n,
                   kith_error *err);

/* The book's sync token now: the last change log entry (0 when empty). */
int kith_card_token(kith_db *db, int64_t *token, kith_error *err);

/* Cards of member's book that changed after token `since`, one entry per
 * card, in log order: present ones with their ETag, removed ones (or ones
 * the member may no longer see) with gone set.  A person the member never
 * saw is not reported.  *now gets the token to send back.  db is the
 * viewer handle; *out is the caller's (free()). */
int kith_card_changes(kith_db *db, kith_id member, int64_t since,
                      kith_card_ref **out, size_t *n, int64_t *now,
                      kith_error *err);

/* The card named href in member's book (db: viewer handle).
 * KITH_ENOTFOUND when there is none or the member may not see it. */
int kith_card_find(kith_db *db, kith_id member, const char *href,
                   kith_card_ref *out, kith_error *err);

/* Whether href is a well-formed card name (no '/', ends in nothing
 * special, at most KITH_CARD_HREF_MAX bytes, not kith's own pattern for
 * another person). */
int kith_card_href_ok(const char *href);

/* The vCard of person as db sees it, version 3 or 4, into *out (a heap
 * string owned by the caller, *len its length).  Lines a client sent that
 * kith has no field for come back as they were sent. */
int kith_card_render(kith_db *db, kith_id person, int version, char **out,
                     size_t *len, kith_error *err);

/* What a card write needs to know.  etag_want: 0 = no condition,
 * -1 = the card must not exist (If-None-Match: *), -2 = it must exist
 * (If-Match: *), else the ETag it must have (If-Match). */
typedef struct kith_card_put {
	kith_id member;
	const char *href;    /* borrowed */
	int64_t etag_want;
} kith_card_put;

/* What a write did. */
enum kith_card_result {
	KITH_CARD_UPDATED,   /* the card existed and was replaced */
	KITH_CARD_CREATED,   /* a new person */
	KITH_CARD_MERGED     /* a new card that is someone already there */
};

/*
 * Stores the vCard data/len (borrowed) as card p->href of p->member's
 * book.  An existing card is replaced field by field by what the client
 * sent (the card is the truth for names, emails, phones, tags, note, city
 * and country; jobs are added).  A new card is first matched by UID,
 * email or phone against the people the member sees (view); a match is
 * merged into (gaps filled, lists joined) and takes the new name, the old
 * one going from the book; otherwise a person is created on db.
 * Errors: KITH_EINVAL (not one vCard of a person; the message says why),
 * KITH_EEXISTS (the ETag condition failed), KITH_ENOTFOUND (no card to
 * match If-Match).  *result and *person (optional) tell what happened.
 */
int kith_card_store(kith_db *db, kith_db *view, const kith_card_put *p,
                    const char *data, size_t len, int *result, kith_id *person,
                    kith_error *err);

/* Removes the card (and so the person) named href in member's book,
 * under the same ETag condition (etag_want 0 or an ETag).  KITH_EEXISTS
 * on a stale ETag, KITH_ENOTFOUND when there is no such card. */
int kith_card_remove(kith_db *db, kith_db *view, const kith_card_put *p,
                     kith_error *err);

/* Reading a card's logical (unfolded) lines.  kith_card_prop_name puts
 * the line's property name, upper-cased and without its group ("item1."),
 * into out ("" when there is none); kith_card_value points after the
 * first ':' outside quotes (at the end when there is none). */
void kith_card_prop_name(const char *line, size_t len, char *out, size_t outsz);
const char *kith_card_value(const char *line, size_t len);

#endif
