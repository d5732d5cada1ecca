#ifndef KITH_SCORE_IMPL_H
#define KITH_SCORE_IMPL_H

/* Shared by the score*.c modules. */
#include "kith/score.h"

/* Above this many people, only the initiator's pairs are strengthened. */
#define KITH_SCORE_MAX_GROUP 20

/* 2^-(to - from)/half-life, times in Unix seconds, half-life in days. */
double kith_score_decay(int64_t from, int64_t to, double half_life);
/* Adds weight w to the sums of pair (a, b) on the side of initiator. */
void kith__score_term(kith_pair_sums *s, kith_id a, kith_id b, kith_id initiator,
                      double w);
/* Whether the pair (a, b) of an interaction of n people counts. */
int kith__score_pair_counts(size_t n, kith_id initiator, kith_id a, kith_id b);
/* The weight of an interaction kind (1 when unknown). */
int kith__kind_weight(kith_db *db, const char *kind, double *w, kith_error *err);
/* Tells graph snapshots that edge weights moved. */
int kith__bump_generation(kith_db *db, kith_error *err);

#endif
