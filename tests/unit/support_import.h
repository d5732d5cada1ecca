#ifndef KITH_TEST_SUPPORT_IMPORT_H
#define KITH_TEST_SUPPORT_IMPORT_H

/* Helpers for the capture tests (import, export, identity). */
#include "support.h"
#include "kith/import.h"
#include "kith/export.h"

/* Path of a fixture in tests/data ($KITH_TEST_DATA overrides); static. */
const char *ti_data(const char *name);
/* Imports a fixture (format 0 = detect) and fails the test on error. */
void ti_import(kith_db *db, const char *name, int format, kith_import_report *rep);
/* Imports a string. */
int ti_import_str(kith_db *db, const char *text, int format, kith_import_report *rep);
/* The person with that email (fails the test when none); caller frees. */
kith_person *ti_by_email(kith_db *db, const char *email);
/* True when the report has an issue at line with that level whose
 * reason contains text. */
int ti_has_issue(const kith_import_report *r, int64_t line, int level, const char *text);
/* Runs SQL returning one text value (heap copy, caller frees; NULL if none). */
char *ti_text(kith_db *db, const char *sql);
/* A fresh database with "me" = Alex Morgan <alex@kith.example>. */
kith_db *ti_open_me(void);

#endif
