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
 * chose when it made the card.  The change log (schema migrations 6, 7
 * and 9) records every change to a person, their emails, phones, tags,
 * jobs or links, for everyone; what a member's clients are told is made
 * from what the member sees: a card's ETag is a hash of its text as the
 * member's viewer handle renders it (kith_card_etag), and the sync token
 * a hash of the member's whole book (kith_card_book), so neither moves
 * when only records hidden from the member change.
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
	int64_t etag;        /* the card's ETag (kith_card_etag); 0 when not read */
	int64_t seq;         /* the person's last change log entry */
	int64_t updated;     /* the person's `updated` (Unix seconds) */
	int gone;            /* in a change list: the card went away */
} kith_card_ref;

/* Every card of member's book, by person id, with seq set and etag 0.
 * db is member's viewer handle.  *out is a heap array owned by the
 * caller (free()). */
int kith_card_list(kith_db *db, kith_id member, kith_card_ref **out, size_t *n,
                   kith_error *err);

/* The change log's last entry (0 when empty), the same for every member:
 * what moved since, not a token to give a member (kith_card_book). */
int kith_card_token(kith_db *db, int64_t *token, kith_error *err);

/* Cards of member's book whose people have log entries after `since`, one
 * entry per card, in log order: present ones with their seq, removed ones
 * (or ones the member may no longer see) with gone set.  A person the
 * member never saw is not reported.  *now gets the log's last entry.  The
 * log is everyone's, so this lists cards where only hidden records
 * changed too: clients get kith_card_book_changes.  db is the viewer
 * handle; *out is the caller's (free()). */
int kith_card_changes(kith_db *db, kith_id member, int64_t since,
                      kith_card_ref **out, size_t *n, int64_t *now,
                      kith_error *err);

/* The card named href in member's book (db: viewer handle), its etag
 * left 0.  KITH_ENOTFOUND when there is none or the member may not see
 * it, the same error for both. */
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

/* The ETag of person's card as db (a viewer handle) shows it: a hash of
 * the vCard 3.0 and 4.0 texts kith_card_render makes, so it moves exactly
 * when a client of that member could see a difference.  62 bits, > 0.
 * KITH_ENOTFOUND when db does not show the person. */
int kith_card_etag(kith_db *db, kith_id person, int64_t *etag, kith_error *err);

/*
 * A member's book as their clients sync it.  It keeps, in memory, each
 * card's href and ETag and the recent states of the book, each named by
 * its sync token: a hash of the book's hrefs and ETags and the number of
 * the state (which counts the changes the member saw), so a change that
 * the member cannot see leaves the token as it was.  kith_card_book_refresh brings it
 * up to date, re-rendering only the cards whose people have log entries
 * since the last refresh (none when the log has not moved: one query).
 * A book is not thread-safe: callers serialise its use (the server keeps
 * one per member behind a mutex, server/dav_book.c).
 */
#define KITH_CARD_TOKEN_MAX 56

typedef struct kith_card_book kith_card_book;

/* A new empty book of member (*out, for kith_card_book_free); KITH_ENOMEM. */
int kith_card_book_new(kith_id member, kith_card_book **out, kith_error *err);
void kith_card_book_free(kith_card_book *b);

/* Brings b up to date with view (the member's viewer handle), in one read
 * transaction of it.  On error b is as it was. */
int kith_card_book_refresh(kith_card_book *b, kith_db *view, kith_error *err);

/* The book's sync token as of the last refresh (owned by b, at most
 * KITH_CARD_TOKEN_MAX characters). */
const char *kith_card_book_token(const kith_card_book *b);

/* Every card with its ETag, by person id, into *out (the caller's,
 * free()).  KITH_ENOMEM. */
int kith_card_book_list(const kith_card_book *b, kith_card_ref **out, size_t *n,
                        kith_error *err);

/* The cards changed since the state named token, and the names that went
 * (gone set), into *out (the caller's, free()).  A token of a book with
 * the same digest as a state b remembers (given before a restart, when
 * nothing changed since) counts as that state.  KITH_ENOTFOUND when b
 * does not know the token (never given, or older than the 1,024 states
 * kept); KITH_ENOMEM. */
int kith_card_book_changes(const kith_card_book *b, const char *token,
                           kith_card_ref **out, size_t *n, kith_error *err);

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
