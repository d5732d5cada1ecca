#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* A message quotes what it was given, and vsnprintf may cut a character
 * in two: bytes that are not UTF-8 become '?', so a JSON answer can
 * always carry the message. */
static void keep_utf8(char *s)
{
	size_t len = strlen(s), ok;

	while ((ok = kith_utf8_prefix(s, len)) < len) {
		s[ok] = '?';
		s += ok + 1;
		len -= ok + 1;
	}
}

int kith_error_set(kith_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
		keep_utf8(err->msg);
	}
	return code;
}

void kith_error_clear(kith_error *err)
{
	if (err) {
		err->code = KITH_OK;
		err->msg[0] = '\0';
	}
}

const char *kith_strerror(int code)
{
	switch (code) {
	case KITH_OK:         return "ok";
	case KITH_EINVAL:     return "invalid input";
	case KITH_ENOTFOUND:  return "not found";
	case KITH_EAMBIGUOUS: return "ambiguous";
	case KITH_EEXISTS:    return "already exists";
	case KITH_EBUSY:      return "database is locked";
	case KITH_ECORRUPT:   return "database is damaged or not a kith database";
	case KITH_ESCHEMA:    return "database is from a newer kith";
	case KITH_ENOMEM:     return "out of memory";
	case KITH_EIO:        return "input/output error";
	case KITH_EPERM:      return "not yours to change";
	case KITH_ECONFLICT:  return "conflicts with other records";
	default:              return "internal error";
	}
}

int kith__sqlerr(kith_db *db, int rc, const char *what, kith_error *err)
{
	const char *detail = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return kith_error_set(err, KITH_EBUSY,
			"%s: database is locked by another process (try again)", what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return kith_error_set(err, KITH_ECORRUPT,
			"%s: database file is damaged or not a kith database", what);
	case SQLITE_NOMEM:
		return kith_error_set(err, KITH_ENOMEM, "%s: out of memory", what);
	case SQLITE_FULL:
		return kith_error_set(err, KITH_EIO, "%s: disk is full", what);
	case SQLITE_READONLY:
		return kith_error_set(err, KITH_EIO,
			"%s: database is read-only", what);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return kith_error_set(err, KITH_EIO, "%s: %s", what, detail);
	case SQLITE_CONSTRAINT:
		return kith_error_set(err, KITH_EINVAL, "%s: %s", what, detail);
	default:
		return kith_error_set(err, KITH_EINTERNAL, "%s: %s", what, detail);
	}
}
