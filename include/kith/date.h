#ifndef KITH_DATE_H
#define KITH_DATE_H

#include <stdint.h>
#include <stddef.h>
#include "kith/error.h"

/*
 * Dates people type come in two shapes:
 *  - calendar dates, possibly partial: "2019", "2019-05", "2019-05-03"
 *    (a link's since, a job's from/to), kept as ISO text;
 *  - instants: "2026-11-02", "2026-11-02 14:30", "2026-11-02T14:30:00Z",
 *    "2026-11-02T14:30+01:00", "today", "yesterday", "now", "3d" (3 days
 *    ago), kept as Unix seconds UTC.
 * Both reject impossible dates (2023-02-29, month 13) with KITH_EINVAL.
 */

/* Validates a partial calendar date and writes its canonical form
 * ("2019-05-03", "2019-05" or "2019") into out (at least 11 bytes). */
int kith_date_parse(const char *s, char *out, size_t outsz, kith_error *err);

/* Parses an instant relative to now (for "today", "3d").  Date-only
 * input means midday UTC that day, so it stays the same day anywhere. */
int kith_time_parse(const char *s, int64_t now, int64_t *out, kith_error *err);

/* Formats t as "2026-11-02" (date) or "2026-11-02T14:30:00Z" (full).
 * out must hold at least 21 bytes. */
void kith_time_format_date(int64_t t, char *out, size_t outsz);
void kith_time_format_iso(int64_t t, char *out, size_t outsz);

/* True when the year-month-day is a real calendar day. */
int kith_date_valid(int y, int m, int d);

#endif
