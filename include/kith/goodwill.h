#ifndef KITH_GOODWILL_H
#define KITH_GOODWILL_H

#include <jansson.h>

#include "kith/db.h"

/*
 * The team's goodwill: its stock of relationships over time, the
 * introductions its members asked for and made, the favours it gave and
 * received, and the relationships going dry.  Everything is computed from
 * the log (interactions up to now, the dates of introduction requests),
 * so the answer at a past now is the answer the log had then: links and
 * people count as they are, interactions and requests as they were.
 *
 * The stock is the people (members' own people excepted) in some member's
 * inner, close or active orbit (kith_orbits), and the sum of each one's
 * strongest tie to a member.  Favours count with people outside the team:
 * given by a member's person, or received by one; between members they
 * count as "within".
 *
 * db is read as given: a viewer handle answers with what that member sees.
 * Introduction requests are seen only by their two members: viewer names
 * the member whose requests count (0: all of them, the database's own
 * user).
 */

enum { KITH_GOODWILL_MAX_MONTHS = 36, KITH_GOODWILL_MAX_DOWN = 50 };

typedef struct kith_goodwill_point {
	int64_t at;
	int64_t people;
	double strength;
} kith_goodwill_point;

typedef struct kith_goodwill_member {
	kith_id member, person;
	int64_t people;             /* in their inner, close and active orbits */
	double strength;            /* the sum of those strengths */
	int64_t asked;              /* introductions they asked for */
	int64_t asked_of;           /* introductions teammates asked them for */
	int64_t made;               /* introductions they made */
	int64_t outcomes;           /* of those they asked for, with an outcome */
	double given, received;     /* favours with people outside the team */
} kith_goodwill_member;

typedef struct kith_goodwill_month {
	int year, month;            /* 1..12 */
	int64_t asked, made, outcomes;
	double given, received;
} kith_goodwill_month;

typedef struct kith_goodwill_down {
	kith_id member, person;
	int orbit, before;          /* now and KITH_SCORE_TREND_DAYS ago; 0: none */
	double strength, then;
} kith_goodwill_down;

typedef struct kith_goodwill {
	int64_t now;
	int64_t people;             /* the stock at now */
	double strength;
	kith_goodwill_point *series;   /* one a month, oldest first, the last at now */
	size_t nseries;
	kith_goodwill_member *members; /* by member id */
	size_t nmembers;
	kith_goodwill_month *months;   /* oldest first, the last now's month */
	size_t nmonths;
	kith_goodwill_down *down;      /* the largest falls first */
	size_t ndown;
	int64_t asked, made, outcomes;
	double given, received, within;
} kith_goodwill;

/* The goodwill at now over the months before it (1 to
 * KITH_GOODWILL_MAX_MONTHS; the series steps back 30 days at a time).
 * out is filled; release it with kith_goodwill_clear.  KITH_EINVAL for
 * months out of range. */
int kith_goodwill_get(kith_db *db, kith_id viewer, int64_t now, int months, kith_goodwill *out,
                      kith_error *err);
void kith_goodwill_clear(kith_goodwill *g);
/* As JSON, people and members named as db sees them (a new reference). */
json_t *kith_goodwill_json(kith_db *db, const kith_goodwill *g);

#endif
