#ifndef KITH_STATS_H
#define KITH_STATS_H

#include "kith/db.h"

/* Counts that summarise a network.  Plain numbers: no ownership. */
typedef struct kith_counts {
	int64_t people, orgs, jobs, links, interactions, tags;
	int64_t my_links;          /* links touching me */
	int64_t interactions_30d;  /* in the 30 days up to now */
	int64_t interactions_365d;
	int64_t isolated;          /* people with no link at all */
} kith_counts;

int kith_counts_get(kith_db *db, kith_counts *out, kith_error *err);

/* A name with a number: top lists (most linked people, orgs, cities). */
typedef struct kith_ranked {
	kith_id id;    /* 0 for cities/kinds */
	char *name;
	int64_t count;
} kith_ranked;

enum kith_rank_what {
	KITH_RANK_LINKED_PEOPLE,   /* people by number of links */
	KITH_RANK_ORGS,            /* orgs by current staff */
	KITH_RANK_CITIES,          /* cities by people */
	KITH_RANK_LINK_KINDS,      /* link kinds by use */
	KITH_RANK_INTERACTION_KINDS,
	KITH_RANK_MY_CONTACTS      /* people by interactions with me, 365d */
};

int kith_rank(kith_db *db, int what, size_t limit, kith_ranked **out,
              size_t *n, kith_error *err);
void kith_ranked_free(kith_ranked *v, size_t n);

#endif
