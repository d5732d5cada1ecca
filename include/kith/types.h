#ifndef KITH_TYPES_H
#define KITH_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* Row ids of people, orgs, links and interactions.  0 means "none". */
typedef int64_t kith_id;

/* A growable vector of owned NUL-terminated strings. */
typedef struct kith_strv {
	char **v;
	size_t n, cap;
} kith_strv;

/* A growable vector of ids. */
typedef struct kith_idv {
	kith_id *v;
	size_t n, cap;
} kith_idv;

/* Appends a copy of s.  Returns KITH_OK or KITH_ENOMEM. */
int kith_strv_push(kith_strv *sv, const char *s);
/* Index of s (exact, case-sensitive) or -1. */
long kith_strv_find(const kith_strv *sv, const char *s);
/* Removes the element at i, keeping order; frees it. */
void kith_strv_remove(kith_strv *sv, size_t i);
/* Frees every string and the array; leaves sv empty and reusable. */
void kith_strv_clear(kith_strv *sv);
/* Deep copy into dst (which must be empty).  KITH_OK or KITH_ENOMEM. */
int kith_strv_copy(kith_strv *dst, const kith_strv *src);

/* Parses "12" or "#12" as a positive id; 0 when s is not one. */
kith_id kith_parse_id(const char *s);

/* How many of the len bytes at s are UTF-8 before the first that is not,
 * as GLib's g_utf8_validate(s, len, &end) judges it (no NUL, no overlong
 * form, no surrogate, nothing past U+10FFFF): len when all are.  kith's
 * own rather than GLib's: every text column read, every error message
 * and everything the CLI prints goes through it, and a command that needs
 * GLib for nothing else then never loads it (the Makefile binds GLib
 * lazily).  tests/unit/test_validate.c holds it to GLib's answer. */
size_t kith_utf8_prefix(const char *s, size_t len);

int kith_idv_push(kith_idv *iv, kith_id id);
void kith_idv_clear(kith_idv *iv);

#endif
