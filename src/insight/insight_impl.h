#ifndef KITH_INSIGHT_IMPL_H
#define KITH_INSIGHT_IMPL_H

/* Shared by the files of src/insight/ only. */
#include <stddef.h>
#include <stdint.h>

#include "kith/score.h"

/* kith_strength_around at now, and in the same pass which of the people
 * listed were there at now - KITH_SCORE_TREND_DAYS (someone with an
 * interaction counted by then, a link or a vouch), whose strengths at
 * that time are (*out)[i].then: (*was)[i] is 1 for them, 0 for the rest.
 * The same list and strengths as a second kith_strength_around at that
 * time, for half the reading.  Free *out with kith_strength_list_free,
 * *was with free. */
int kith__strength_around_then(kith_db *db, kith_id a, int64_t now, kith_strength **out,
                               size_t *n, unsigned char **was, kith_error *err);

#endif
