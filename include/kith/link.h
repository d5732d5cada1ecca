#ifndef KITH_LINK_H
#define KITH_LINK_H

#include "kith/db.h"

/*
 * A link says two people know each other, and how.  A pair may have
 * several links of different kinds (colleague and friend); never two of
 * the same kind.  Kinds come from a table seeded with knows, friend,
 * family, colleague, client, partner, mentor, investor, classmate,
 * neighbour, and extended with kith_kind_add().  For directed kinds
 * (mentor, client, investor) a is the mentor/client/investor of b.
 */
typedef struct kith_link {
	kith_id id;
	kith_id a, b;
	char *kind;
	char *since;       /* partial ISO date or NULL */
	double trust;      /* in [0,1]; meaningful only when has_trust */
	int has_trust;
	char *notes;
	kith_id asserted_by; /* who said so; 0 = unknown (defaults to me) */
	int64_t created, updated;
} kith_link;

void kith_link_clear(kith_link *l);

/* Stores a link (l borrowed; l->id set).  Errors: KITH_EINVAL for a link
 * to oneself, an unknown kind, trust outside [0,1], a bad date;
 * KITH_EEXISTS for a duplicate; KITH_ENOTFOUND for a missing person. */
int kith_link_add(kith_db *db, kith_link *l, kith_error *err);
/* Updates since/trust/notes of link l->id. */
int kith_link_update(kith_db *db, const kith_link *l, kith_error *err);
/* Removes the link(s) between a and b: one kind, or all when kind NULL.
 * *removed (optional) gets how many went; none is KITH_ENOTFOUND. */
int kith_link_remove(kith_db *db, kith_id a, kith_id b, const char *kind,
                     int *removed, kith_error *err);
/* Links of a person (either end), or all links when person == 0; free
 * with kith_link_list_free. */
int kith_link_list(kith_db *db, kith_id person, kith_link **out, size_t *n,
                   kith_error *err);
void kith_link_list_free(kith_link *v, size_t n);
/* One link by id into out (clear with kith_link_clear). */
int kith_link_get(kith_db *db, kith_id id, kith_link *out, kith_error *err);
/* Removes one link by id. */
int kith_link_remove_id(kith_db *db, kith_id id, kith_error *err);

/* Kinds of links and of interactions. */
enum kith_kind_domain { KITH_KIND_LINK, KITH_KIND_INTERACTION };

typedef struct kith_kind {
	char *name;
	char *description;
	int directed;   /* links only */
	double weight;  /* interactions only: how much it counts */
} kith_kind;

int kith_kind_list(kith_db *db, int domain, kith_kind **out, size_t *n,
                   kith_error *err);
void kith_kind_list_free(kith_kind *v, size_t n);
/* Adds a kind: name is a lower-case word; KITH_EEXISTS if present. */
int kith_kind_add(kith_db *db, int domain, const kith_kind *k, kith_error *err);
/* KITH_OK when name is a known kind of that domain, else KITH_EINVAL with
 * a message listing the known kinds. */
int kith_kind_check(kith_db *db, int domain, const char *name, kith_error *err);

#endif
