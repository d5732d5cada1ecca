#ifndef KITH_TEST_SUPPORT_H
#define KITH_TEST_SUPPORT_H

/* Shared by the unit tests: temporary databases and quick records.
 * cmocka's headers need these includes first. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kith/kith.h"

/* A fresh database in a new temporary directory, with a fixed clock
 * (2026-11-23T12:00:00Z).  t_close removes it all. */
kith_db *t_open(void);
void t_close(kith_db *db);
/* Path of the database file t_open made last (valid until t_close). */
const char *t_path(void);

/* A read-only handle on t_path() with the fixed clock, seeing what member
 * sees (member 0: everything, as the CLI); the caller closes it. */
kith_db *t_viewer(kith_id member);

/* Adds a person named name with optional email; returns the id. */
kith_id t_person(kith_db *db, const char *name, const char *email);
/* Adds n people named prefix and two digits (P00, P01, ...) into p[0 .. n). */
void t_people(kith_db *db, kith_id *p, int n, const char *prefix);
/* Links a and b with kind (trust < 0 means none); returns the kith code. */
int t_link(kith_db *db, kith_id a, kith_id b, const char *kind, double trust);
/* Runs SQL returning one integer. */
int64_t t_int(kith_db *db, const char *sql);

#define T_NOW 1795435200 /* 2026-11-23T12:00:00Z */

#endif
