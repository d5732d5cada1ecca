#ifndef KITH_FILES_H
#define KITH_FILES_H

#include <stdint.h>
#include "kith/db.h"

/*
 * A member's own WebDAV folder (/dav/NAME/files/ on the server): plain
 * collections and resources with dead properties, for WebDAV tools (and
 * WebDAV test suites), kept in the database, limited in size, and seen by
 * its member only.  kith reads nothing in it: address data lives in the
 * address book (kith/card.h).
 *
 * Paths are relative to the folder: '/'-separated segments, a
 * collection's with a '/' at the end ("notes/", "notes/a.txt"); "" is
 * the folder itself, which always exists.  A path given without its
 * final '/' finds a collection too.
 */

#define KITH_FILES_BYTES (8 * 1024 * 1024)  /* bodies and properties, per member */
#define KITH_FILES_COUNT 1000               /* resources and collections, per member */
#define KITH_FILES_PATH_MAX 1024
#define KITH_FILES_DEPTH 32                 /* segments in a path */

typedef struct kith_file {
	char path[KITH_FILES_PATH_MAX + 2];  /* as stored: a collection's ends in '/' */
	int collection;
	char type[128];       /* a resource's Content-Type, "" when none was given */
	int64_t etag;         /* changes with the body */
	int64_t modified;     /* Unix seconds */
	int64_t size;         /* of the body */
} kith_file;

/* What a write did, or why it did nothing (not errors: a client asked
 * for something the folder cannot do, and is told which). */
enum kith_file_outcome {
	KITH_FILE_DONE,       /* replaced or removed what was there */
	KITH_FILE_MADE,       /* made something new */
	KITH_FILE_MISSING,    /* nothing at that path */
	KITH_FILE_NO_PARENT,  /* the collection it would go in is not there */
	KITH_FILE_TAKEN,      /* something is there already (or a collection is) */
	KITH_FILE_FULL,       /* over the member's limits */
	KITH_FILE_SELF,       /* a copy or move onto or into itself */
	KITH_FILE_CHANGED     /* the write's condition (kith_file_cond) does not hold */
};

/* A client's condition on a write, as HTTP If-Match and If-None-Match
 * put it.  It is checked inside the write's transaction: of two writers
 * that hold the same ETag, one passes and the other is told CHANGED. */
#define KITH_FILE_ANY (-1)    /* If-Match: * or If-None-Match: * */
#define KITH_FILE_NEVER (-2)  /* an ETag that matches nothing */
typedef struct kith_file_cond {
	int64_t match;        /* 0: no condition; ANY: something is there;
	                         else what is there has this ETag */
	int64_t none_match;   /* 0: no condition; ANY: nothing is there;
	                         else what is there, if anything, has not this ETag */
} kith_file_cond;

/* Whether path is one the folder can hold (no empty, "." or ".."
 * segment, no control character, within the length and depth limits). */
int kith_file_path_ok(const char *path);

/* The resource or collection at path into *out; KITH_ENOTFOUND when
 * there is none. */
int kith_file_stat(kith_db *db, kith_id member, const char *path, kith_file *out,
                   kith_error *err);
/* A resource with its body: *body is a heap copy the caller frees (NULL
 * for a collection), *len its length. */
int kith_file_read(kith_db *db, kith_id member, const char *path, kith_file *out,
                   char **body, size_t *len, kith_error *err);
/* The members of collection path (one level), in path order; *out is
 * the caller's (free()). */
int kith_file_list(kith_db *db, kith_id member, const char *path, kith_file **out,
                   size_t *n, kith_error *err);

/* Writes a resource (body borrowed; type and cond may be NULL).
 * Outcomes: MADE, DONE, NO_PARENT, TAKEN (a collection is there), FULL,
 * CHANGED (cond does not hold). */
int kith_file_put(kith_db *db, kith_id member, const char *path, const char *body,
                  size_t len, const char *type, const kith_file_cond *cond, int *outcome,
                  kith_error *err);
/* Makes a collection: MADE, TAKEN, NO_PARENT, FULL. */
int kith_file_mkcol(kith_db *db, kith_id member, const char *path, int *outcome,
                    kith_error *err);
/* Removes a resource, or a collection with all it holds: DONE, MISSING,
 * CHANGED (cond, which may be NULL, does not hold). */
int kith_file_remove(kith_db *db, kith_id member, const char *path,
                     const kith_file_cond *cond, int *outcome, kith_error *err);
/* How kith_file_copy goes. */
enum kith_file_copy_flags {
	KITH_FILE_MOVE = 1 << 0,       /* move, not copy */
	KITH_FILE_OVERWRITE = 1 << 1,  /* replace what is at the destination */
	KITH_FILE_SHALLOW = 1 << 2     /* a collection without its members (a copy) */
};

/* Copies (or moves) from with all it holds and its properties to to.
 * Outcomes: MADE, DONE (replaced), MISSING, NO_PARENT, TAKEN (there and
 * no KITH_FILE_OVERWRITE), SELF, FULL. */
int kith_file_copy(kith_db *db, kith_id member, const char *from, const char *to,
                   int flags, int *outcome, kith_error *err);

/* A dead property: its element as it was set (namespaces declared on
 * it), so it is served back exactly.  ns "" is no namespace. */
typedef struct kith_file_prop {
	char *ns, *name, *xml;
} kith_file_prop;

/* The properties of path, by namespace and name; *out is the caller's
 * (kith_file_props_free). */
int kith_file_props(kith_db *db, kith_id member, const char *path, kith_file_prop **out,
                    size_t *n, kith_error *err);
void kith_file_props_free(kith_file_prop *v, size_t n);
/* Sets property {ns}name of path to xml (borrowed), or removes it when
 * xml is NULL.  DONE, MISSING (no such resource), FULL. */
int kith_file_prop_set(kith_db *db, kith_id member, const char *path, const char *ns,
                       const char *name, const char *xml, int *outcome, kith_error *err);

#endif
