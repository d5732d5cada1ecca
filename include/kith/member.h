#ifndef KITH_MEMBER_H
#define KITH_MEMBER_H

#include "kith/db.h"

/*
 * The team: members who share one network through `kith serve`.  Each
 * member is a person in the graph (their "me") and signs in with tokens.
 * A token is shown once, when made; only its BLAKE2b hash is stored, so a
 * copy of the database does not give anyone a way in.
 *
 * Records (people, orgs, links, interactions, notes) have an owner member
 * and a private flag.  A member sees team records and their own private
 * ones; kith_db_set_viewer() makes a database handle see exactly that.
 */

typedef struct kith_member {
	kith_id id;
	char *name;
	kith_id person;     /* 0 when their person was removed */
	int64_t created;
	int64_t tokens;     /* live (unrevoked) tokens */
} kith_member;

/* "kith_" + 43 base64url characters + NUL. */
#define KITH_TOKEN_LEN 49

/* Adds a member named name (unique, any case) who is person (which must
 * exist and be no other member's).  *id gets the new member's id. */
int kith_member_add(kith_db *db, const char *name, kith_id person, kith_id *id,
                    kith_error *err);
/* Removes a member and their tokens.  Their private records stay private
 * and owned by nobody, so no one else sees them. */
int kith_member_remove(kith_db *db, kith_id id, kith_error *err);
/* A member by id ("3", "#3") or name; KITH_ENOTFOUND otherwise. */
int kith_member_resolve(kith_db *db, const char *ref, kith_id *id,
                        kith_error *err);
/* One member (out filled; clear with kith_member_clear). */
int kith_member_get(kith_db *db, kith_id id, kith_member *out, kith_error *err);
void kith_member_clear(kith_member *m);
/* Every member by name; *out is a heap array the caller frees with
 * kith_member_list_free. */
int kith_member_list(kith_db *db, kith_member **out, size_t *n, kith_error *err);
void kith_member_list_free(kith_member *v, size_t n);

/* Makes a new random token for member and writes it into out (shown to
 * the user once, never stored).  *token_id (optional) gets its id. */
int kith_token_new(kith_db *db, kith_id member, const char *label,
                   char out[KITH_TOKEN_LEN], kith_id *token_id, kith_error *err);
/* The member a token belongs to.  KITH_EINVAL for anything that is not a
 * live token (unknown, malformed, revoked) with one message for all, so
 * the answer tells a guesser nothing. */
int kith_token_check(kith_db *db, const char *token, kith_id *member,
                     kith_error *err);
/* Revokes token id; with member != 0 it must be that member's. */
int kith_token_revoke(kith_db *db, kith_id id, kith_id member, kith_error *err);

typedef struct kith_token_info {
	kith_id id, member;
	char *label;
	int64_t created, last_used, revoked;  /* 0 = never */
} kith_token_info;
/* Tokens of member (0 = all), newest first; free with kith_token_list_free. */
int kith_token_list(kith_db *db, kith_id member, kith_token_info **out,
                    size_t *n, kith_error *err);
void kith_token_list_free(kith_token_info *v, size_t n);

/*
 * Visibility, per database handle.
 *
 * kith_db_set_viewer: from now on this handle sees what member sees: team
 * records and member's own private ones, and "me" is member's person.  It
 * shadows the tables with temporary views, so every libkith read (lists,
 * search, the graph, scores, exports) honours it without knowing.  Only
 * for handles opened KITH_OPEN_READONLY; it cannot be undone, but it can
 * be called again, between statements (no transaction open, no statement
 * stepped and not reset: else KITH_EINTERNAL), to see as another member:
 * that costs nothing, so one handle can serve a member per request.
 *
 * kith_db_set_author: records this handle creates from now on belong to
 * member and are private when priv is set (member 0: nobody's, team).
 * Can be called again to change author between writes.
 */
int kith_db_set_viewer(kith_db *db, kith_id member, kith_error *err);
int kith_db_set_author(kith_db *db, kith_id member, int priv, kith_error *err);

/* Visibility of one record, for checks before a change.  table is one of
 * "person", "org", "link", "interaction", "note".  *owner gets its owner
 * (0 = none) and *priv its flag; KITH_ENOTFOUND when there is no such row. */
int kith_record_visibility(kith_db *db, const char *table, kith_id id,
                           kith_id *owner, int *priv, kith_error *err);
/* Sets the owner and private flag of a record as the database's own user
 * would (no rule of members applies), keeping the pair strengths and the
 * search rows it moves in step.  No other row changes: what touches a
 * private person is hidden by the views, not rewritten (docs/server.md).
 * KITH_ENOTFOUND when there is no such row; nothing changes on failure. */
int kith_record_set_visibility(kith_db *db, const char *table, kith_id id,
                               kith_id owner, int priv, kith_error *err);

/*
 * Changes by a member (0: the database's own user, who may do anything),
 * on a read-write handle, each in its own transaction (nested in the
 * caller's when there is one); nothing changes on failure.  The record is
 * looked up as member sees it: one they cannot see is KITH_ENOTFOUND with
 * the message a missing one gets.  KITH_EPERM: another member owns it.
 * KITH_ECONFLICT: a member's own person (which only that member may make
 * private, and nobody removes), or records that are not member's
 * (another member's, or hidden from
 * member: notes, links, interactions, jobs at a hidden org, vouches)
 * depend on it; the message gives how many and nothing about them.
 *
 * kith_record_set_private: makes a record private to member (a record
 * nobody owns becomes theirs) or team.  Setting what it already is
 * changes nothing, owner included.  Rows that touch a person made private
 * are hidden from other members' views, not rewritten, so making them
 * team again restores exactly what was.
 *
 * kith_record_remove: removes a record (table as above) with what goes
 * with it (kith_person_remove, kith_org_remove, ...).
 */
int kith_record_set_private(kith_db *db, kith_id member, const char *table, kith_id id,
                            int priv, kith_error *err);
int kith_record_remove(kith_db *db, kith_id member, const char *table, kith_id id,
                       kith_error *err);

/* A note about a person, by a member, maybe private. */
typedef struct kith_note {
	kith_id id, person, owner;
	int priv;
	char *body;
	int64_t created;
} kith_note;
/* Adds a note (n borrowed; n->id and n->created set).  Owner and privacy
 * come from the author (kith_db_set_author), else n->owner / n->priv. */
int kith_note_add(kith_db *db, kith_note *n, kith_error *err);
int kith_note_remove(kith_db *db, kith_id id, kith_error *err);
/* Notes on person, newest first; free with kith_note_list_free. */
int kith_note_list(kith_db *db, kith_id person, kith_note **out, size_t *n,
                   kith_error *err);
void kith_note_list_free(kith_note *v, size_t n);

/* The team's owner: the member whose person is the database's own "me"
 * (who ran kith init), else the first member added; 0 when there is no
 * member.  Only the owner manages members and tokens through the server. */
int kith_member_owner(kith_db *db, kith_id *owner, kith_error *err);

/* kith_person_merge on behalf of member (0: the database's own user):
 * keep and gone must both be visible to member (else KITH_ENOTFOUND, as
 * for missing ids), and gone must be one member may remove
 * (kith_record_remove's rule: KITH_EPERM, KITH_ECONFLICT); keep may not be
 * another member's.  One transaction; nothing changes on failure. */
int kith_record_merge(kith_db *db, kith_id member, kith_id keep, kith_id gone,
                      kith_error *err);

#endif
