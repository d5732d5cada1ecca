#ifndef KITH_ICS_RULE_H
#define KITH_ICS_RULE_H

/*
 * What an iCalendar file may ask of libical before libical is asked.
 * libical 3.0 searches for a rule's next occurrence, and converts a time
 * through a zone, with no bound of its own: a rule that never matches (the
 * 31st of February, a sixth Monday) steps through every month to the year
 * 2582, and a time in the year 56655718 expands its zone's rules that far.
 * Either holds an import for seconds per event, minutes per file.
 */

#include <libical/ical.h>

/* Years kith reads: anything outside is a typo or an attack, and is never
 * given to libical's zone code. */
#define KITH_ICS_MIN_YEAR 1900
#define KITH_ICS_MAX_YEAR 2199

/* NULL when kith expands `r` from `start` up to a little past the year
 * `now`: a daily to yearly rule that certainly matches at least every few
 * years in that span.  Otherwise why not, as a static string.  A rare rule
 * that would match is refused too; the caller keeps DTSTART, the rule's
 * first occurrence.  Borrows `r`. */
const char *kith__rrule_refusal(const struct icalrecurrencetype *r,
                                struct icaltimetype start, int now);

/* Takes from each VTIMEZONE under `root` the RRULEs libical could not
 * expand quickly: not yearly, or refused above.  Such a zone keeps its
 * fixed offsets.  Modifies the tree `root` (borrowed). */
void kith__ics_tame_zones(icalcomponent *root);

#endif
