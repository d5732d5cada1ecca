#ifndef KITH_INTRO_REQUEST_H
#define KITH_INTRO_REQUEST_H

#include <jansson.h>

#include "kith/db.h"

/*
 * Introduction requests: a member (the asker) asks a teammate (the asked
 * member, the first hop of the chain) to introduce them to someone.  The
 * request carries the chain from the teammate's person to the target, a
 * note, and a status with its dates:
 *
 *   asked -> accepted | declined      (the asked member answers)
 *   asked | accepted -> made          (the asked member made it)
 *   asked | accepted -> withdrawn     (the asker takes it back)
 *   made -> outcome: met, hired, deal, partnership, nothing (either)
 *
 * When it is made, an "introduction" interaction among the three people
 * (started by the introducer) and a "favour" given by the introducer to
 * the asker are logged, in the same transaction, as the handle's author
 * writes them (kith_db_set_author).
 *
 * Only the asker and the asked member see a request: to anyone else, and
 * to them once its target or a person of its chain is hidden from them,
 * it is answered exactly as a request that does not exist (KITH_ENOTFOUND,
 * "no introduction request #N").  Writes take a read-write handle and
 * the acting member; each runs in its own transaction (nested in the
 * caller's) and changes nothing on failure.
 */

enum { KITH_INTRO_REQUEST_MAX_CHAIN = 13 };   /* people: KITH_INTRO_MAX_HOPS + 1 */

typedef struct kith_intro_request {
	kith_id id;
	kith_id asker, asked;    /* members */
	kith_id target;          /* person */
	kith_id *chain;          /* the asked member's person ... target */
	size_t nchain;
	double strength;         /* the chain's strength when asked */
	char *note;              /* NULL: none */
	char *status;            /* asked, accepted, declined, made, withdrawn */
	char *outcome;           /* NULL, or met, hired, deal, partnership, nothing */
	int64_t asked_at, answered_at, made_at, outcome_at;   /* 0: not yet */
	kith_id interaction, favour;   /* logged when made; 0: none */
} kith_intro_request;

void kith_intro_request_clear(kith_intro_request *r);
void kith_intro_request_list_free(kith_intro_request *v, size_t n);

/*
 * asker asks asked for an introduction to chain[nchain - 1], along chain
 * (chain[0] is asked's person; at least 2 people).  Every person on the
 * chain and every link between them must be visible to both members, and
 * the asker must have a person of their own.  r (borrowed) gives the
 * chain, strength and note; r->id and the dates are set on success.
 * KITH_EINVAL with the reason otherwise; KITH_ENOTFOUND for a person or
 * member that does not exist or that the asker cannot see.
 */
int kith_intro_request_add(kith_db *db, kith_id asker, kith_id asked, kith_intro_request *r,
                           kith_error *err);

/*
 * Moves request id on behalf of member: to is "accepted", "declined",
 * "made" (asked member only), "withdrawn" (asker only), or an outcome
 * ("met", "hired", "deal", "partnership", "nothing": either, once made).
 * at is when it happened (0: now).  KITH_EPERM when the move is the other
 * member's; KITH_ECONFLICT when the request's status does not allow it;
 * KITH_EINVAL for an unknown word.
 */
int kith_intro_request_move(kith_db *db, kith_id member, kith_id id, const char *to, int64_t at,
                            kith_error *err);

/* One request member may see (out filled; kith_intro_request_clear). */
int kith_intro_request_get(kith_db *db, kith_id member, kith_id id, kith_intro_request *out,
                           kith_error *err);

enum kith_intro_side { KITH_INTRO_BOTH = 0, KITH_INTRO_TO_ME = 1, KITH_INTRO_FROM_ME = 2 };

/* The requests to member, from member or both, newest first; status NULL
 * for all.  member 0 lists every request (the database's own user).
 * *out is a heap array: kith_intro_request_list_free. */
int kith_intro_request_list(kith_db *db, kith_id member, int side, const char *status,
                            kith_intro_request **out, size_t *n, kith_error *err);

/* The request as JSON, people and members named as db sees them. */
json_t *kith_intro_request_json(kith_db *db, const kith_intro_request *r);

#endif
