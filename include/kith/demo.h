#ifndef KITH_DEMO_H
#define KITH_DEMO_H

#include "kith/db.h"

/*
 * Fills a database with a believable network around "me": people with
 * international names, orgs, cities, tags, jobs, links of every kind and
 * about a year of interactions, more with closer people.  The same seed,
 * size and now give the same database, byte for byte in content.
 */
typedef struct kith_demo_opts {
	uint64_t seed;
	int people;        /* default 300 */
	int64_t now;       /* interactions end here; default kith_db_now() */
} kith_demo_opts;

typedef struct kith_demo_report {
	int64_t people, orgs, links, interactions;
} kith_demo_report;

/* Needs "me" to be set.  One transaction: all or nothing. */
int kith_demo_generate(kith_db *db, const kith_demo_opts *o,
                       kith_demo_report *rep, kith_error *err);

#endif
