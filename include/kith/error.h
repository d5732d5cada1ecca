#ifndef KITH_ERROR_H
#define KITH_ERROR_H

/*
 * One error convention for all of libkith: every fallible function returns
 * an int code (KITH_OK on success) and, when the caller passes a non-NULL
 * kith_error, fills it with the same code and a one-line message fit to
 * show a person.  The error object holds no heap memory, so callers may
 * put it on the stack and never free it.
 */

enum kith_code {
	KITH_OK = 0,
	KITH_EINVAL,     /* bad input: malformed email, not a date, ... */
	KITH_ENOTFOUND,  /* no such person, org, link, ... */
	KITH_EAMBIGUOUS, /* a name matched several records */
	KITH_EEXISTS,    /* duplicate: link, email, org name */
	KITH_EBUSY,      /* database locked by another process */
	KITH_ECORRUPT,   /* not a kith database, or a damaged one */
	KITH_ESCHEMA,    /* database written by a newer kith */
	KITH_ENOMEM,
	KITH_EIO,        /* disk full, read-only file, I/O error */
	KITH_EINTERNAL,  /* a bug in kith: please report */
	KITH_EPERM,      /* the record is another member's to change */
	KITH_ECONFLICT   /* refused: the change would touch others' records */
};

#define KITH_ERROR_MSG_MAX 512

typedef struct kith_error {
	int code;
	char msg[KITH_ERROR_MSG_MAX];
} kith_error;

/* Sets err (if non-NULL) and returns code, so callers can write
 * `return kith_error_set(err, KITH_EINVAL, "bad %s", x);`. */
int kith_error_set(kith_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Resets err to KITH_OK with an empty message.  NULL is allowed. */
void kith_error_clear(kith_error *err);

/* Static text naming a code ("not found", ...).  Never NULL. */
const char *kith_strerror(int code);

#endif
