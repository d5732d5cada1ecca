/*
 * A member's WebDAV folder (include/kith/files.h), in two tables of
 * schema migration 7: dav_file (a row per resource or collection, keyed
 * by member and path, a collection's path ending in '/') and dav_prop
 * (dead properties, which follow their resource through a move by the
 * foreign key's ON UPDATE CASCADE and go with it on removal).  Every
 * query names the member, so one member's folder never shows in
 * another's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/files.h"

int kith_file_path_ok(const char *path)
{
	size_t n = path ? strlen(path) : 0, depth = 0;

	if (!path || n > KITH_FILES_PATH_MAX || path[0] == '/')
		return 0;
	for (const char *s = path; *s;) {
		size_t seg = strcspn(s, "/");
		if (seg == 0 || (seg == 1 && s[0] == '.') || (seg == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		for (size_t i = 0; i < seg; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				return 0;
		if (++depth > KITH_FILES_DEPTH)
			return 0;
		s += seg;
		s += *s == '/';
	}
	return 1;
}

/* The two stored forms of path: as a resource ("a/b") and as a
 * collection ("a/b/"); both "" for the folder. */
static void forms(const char *path, char *res, char *coll)
{
	size_t n = strlen(path);

	while (n && path[n - 1] == '/')
		n--;
	memcpy(res, path, n);
	res[n] = '\0';
	memcpy(coll, path, n);
	if (n)
		coll[n++] = '/';
	coll[n] = '\0';
}

/* The collection path that holds path ("" for the folder's members). */
static void parent_of(const char *path, char *out)
{
	char res[KITH_FILES_PATH_MAX + 2], coll[KITH_FILES_PATH_MAX + 2];
	char *slash;

	forms(path, res, coll);
	slash = strrchr(res, '/');
	if (!slash) {
		out[0] = '\0';
		return;
	}
	memcpy(out, res, (size_t)(slash - res) + 1);
	out[slash - res + 1] = '\0';
}

#define FILE_COLS "SELECT path, body IS NULL, coalesce(type, ''), etag, modified," \
	" coalesce(length(body), 0) FROM dav_file "

static void read_row(sqlite3_stmt *st, kith_file *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", sqlite3_column_text(st, 0));
	f->collection = sqlite3_column_int(st, 1);
	snprintf(f->type, sizeof(f->type), "%s", sqlite3_column_text(st, 2));
	f->etag = sqlite3_column_int64(st, 3);
	f->modified = sqlite3_column_int64(st, 4);
	f->size = sqlite3_column_int64(st, 5);
}

int kith_file_stat(kith_db *db, kith_id member, const char *path, kith_file *out,
                   kith_error *err)
{
	char res[KITH_FILES_PATH_MAX + 2], coll[KITH_FILES_PATH_MAX + 2];
	sqlite3_stmt *st;
	int rc;

	if (!kith_file_path_ok(path))
		return kith_error_set(err, KITH_ENOTFOUND, "no such file");
	forms(path, res, coll);
	if (!res[0]) {
		memset(out, 0, sizeof(*out));
		out->collection = 1;
		return KITH_OK;
	}
	if ((rc = kith__stmt(db, FILE_COLS "WHERE member_id = ?1 AND path IN (?2, ?3)", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	kith__bind_text(st, 2, res);
	kith__bind_text(st, 3, coll);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		rc = KITH_OK;
	} else {
		rc = rc == SQLITE_DONE ? kith_error_set(err, KITH_ENOTFOUND, "no such file")
		                       : kith__sqlerr(db, rc, "read file", err);
	}
	kith__stmt_release(db, st);
	return rc;
}

int kith_file_read(kith_db *db, kith_id member, const char *path, kith_file *out,
                   char **body, size_t *len, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith_file_stat(db, member, path, out, err);

	*body = NULL;
	*len = 0;
	if (rc || out->collection)
		return rc;
	if ((rc = kith__stmt(db, "SELECT body FROM dav_file WHERE member_id = ?1 AND path = ?2",
	                     &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	kith__bind_text(st, 2, out->path);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		const void *b = sqlite3_column_blob(st, 0);
		if ((*body = malloc(n + 1))) {
			if (n)
				memcpy(*body, b, n);
			(*body)[n] = '\0';
			*len = n;
			rc = KITH_OK;
		} else {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
	} else {
		rc = kith__sqlerr(db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "read file", err);
	}
	kith__stmt_release(db, st);
	return rc;
}

int kith_file_list(kith_db *db, kith_id member, const char *path, kith_file **out,
                   size_t *n, kith_error *err)
{
	/* Members: under the collection, with no '/' but a last one. */
	static const char sql[] = FILE_COLS
		"WHERE member_id = ?1 AND substr(path, 1, length(?2)) = ?2 AND path <> ?2"
		" AND instr(rtrim(substr(path, length(?2) + 1), '/'), '/') = 0 ORDER BY path";
	char res[KITH_FILES_PATH_MAX + 2], coll[KITH_FILES_PATH_MAX + 2];
	kith_file *v = NULL;
	size_t cnt = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	forms(path, res, coll);
	if ((rc = kith__prepare(db, sql, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	kith__bind_text(st, 2, coll);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			rc = SQLITE_NOMEM;
			break;
		}
		read_row(st, &v[cnt++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return kith__sqlerr(db, rc, "list files", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

/* Runs sql binding ?1 = member and texts ?2, ?3 (NULL leaves unbound). */
static int run(kith_db *db, const char *sql, kith_id member, const char *a, const char *b,
               kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, member);
	if (a)
		kith__bind_text(st, 2, a);
	if (b)
		kith__bind_text(st, 3, b);
	rc = kith__step_done(db, st, "write file", err);
	sqlite3_finalize(st);
	return rc;
}

/* One integer a query with ?1 = member and text ?2 gives. */
static int query_int(kith_db *db, const char *sql, kith_id member, const char *a,
                     int64_t *v, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	*v = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, member);
	if (a)
		kith__bind_text(st, 2, a);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                           : kith__sqlerr(db, rc, "read files", err);
	sqlite3_finalize(st);
	return rc;
}

/* Whether adding bytes and entries keeps the member within limits. */
static int fits(kith_db *db, kith_id member, int64_t bytes, int64_t entries, int *ok,
                kith_error *err)
{
	int64_t have_bytes, have_props, have_entries;
	int rc = query_int(db, "SELECT coalesce(sum(length(body)), 0) FROM dav_file"
	                   " WHERE member_id = ?1", member, NULL, &have_bytes, err);

	if (!rc)
		rc = query_int(db, "SELECT coalesce(sum(length(xml)), 0) FROM dav_prop"
		               " WHERE member_id = ?1", member, NULL, &have_props, err);
	if (!rc)
		rc = query_int(db, "SELECT count(*) FROM dav_file WHERE member_id = ?1", member,
		               NULL, &have_entries, err);
	*ok = !rc && have_bytes + have_props + bytes <= KITH_FILES_BYTES &&
	      have_entries + entries <= KITH_FILES_COUNT;
	return rc;
}

/* Whether the collection that would hold path is there. */
static int has_parent(kith_db *db, kith_id member, const char *path, int *ok,
                      kith_error *err)
{
	char parent[KITH_FILES_PATH_MAX + 2];
	int64_t n;
	int rc;

	parent_of(path, parent);
	if (!parent[0]) {
		*ok = 1;
		return KITH_OK;
	}
	rc = query_int(db, "SELECT count(*) FROM dav_file WHERE member_id = ?1 AND path = ?2",
	               member, parent, &n, err);
	*ok = n > 0;
	return rc;
}

/* The member's next ETag: ETags only grow, so none comes back. */
static int next_etag(kith_db *db, kith_id member, int64_t *etag, kith_error *err)
{
	int rc = query_int(db, "SELECT coalesce(max(etag), 0) + 1 FROM dav_file"
	                   " WHERE member_id = ?1", member, NULL, etag, err);
	return rc;
}

/* Writes the row of path: a resource with body, or a collection. */
static int write_row(kith_db *db, kith_id member, const char *path, const char *body,
                     size_t len, const char *type, int collection, kith_error *err)
{
	sqlite3_stmt *st;
	int64_t etag;
	int rc = next_etag(db, member, &etag, err);

	if (!rc)
		rc = kith__prepare(db, "INSERT INTO dav_file(member_id, path, body, type, etag,"
		                   " modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
		                   " ON CONFLICT(member_id, path) DO UPDATE SET body = excluded.body,"
		                   " type = excluded.type, etag = excluded.etag,"
		                   " modified = excluded.modified", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, member);
	kith__bind_text(st, 2, path);
	if (collection)
		sqlite3_bind_null(st, 3);
	else if (len)
		sqlite3_bind_blob(st, 3, body, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(st, 3, 0);  /* empty, not NULL: NULL is a collection */
	kith__bind_text(st, 4, type && *type ? type : NULL);
	sqlite3_bind_int64(st, 5, etag);
	sqlite3_bind_int64(st, 6, kith_db_now(db));
	rc = kith__step_done(db, st, "write file", err);
	sqlite3_finalize(st);
	return rc;
}

/* Whether cond holds for what is at path now: inside the write's
 * transaction, so nobody changes it in between. */
static int cond_holds(kith_db *db, kith_id member, const char *path,
                      const kith_file_cond *cond, int *ok, kith_error *err)
{
	kith_file f;
	int have, rc;

	*ok = 1;
	if (!cond || (!cond->match && !cond->none_match))
		return KITH_OK;
	rc = kith_file_stat(db, member, path, &f, err);
	if (rc && rc != KITH_ENOTFOUND)
		return rc;
	have = rc == KITH_OK;
	if (cond->match && (!have || (cond->match != KITH_FILE_ANY && cond->match != f.etag)))
		*ok = 0;
	if (cond->none_match && have &&
	    (cond->none_match == KITH_FILE_ANY || cond->none_match == f.etag))
		*ok = 0;
	return KITH_OK;
}

/* A PUT's checks and write, inside the caller's transaction. */
static int put_in(kith_db *db, kith_id member, const char *path, const char *body,
                  size_t len, const char *type, const kith_file_cond *cond, int *outcome,
                  kith_error *err)
{
	kith_file f;
	int have = 0, ok = 0, rc = cond_holds(db, member, path, cond, &ok, err);

	if (rc || !ok)
		return *outcome = KITH_FILE_CHANGED, rc;
	rc = kith_file_stat(db, member, path, &f, err);
	if (rc == KITH_OK)
		have = 1;
	else if (rc != KITH_ENOTFOUND)
		return rc;
	if (have && f.collection)
		return *outcome = KITH_FILE_TAKEN, KITH_OK;
	if ((rc = has_parent(db, member, path, &ok, err)) || !ok)
		return *outcome = KITH_FILE_NO_PARENT, rc;
	if ((rc = fits(db, member, (int64_t)len - (have ? f.size : 0), !have, &ok, err)) || !ok)
		return *outcome = KITH_FILE_FULL, rc;
	*outcome = have ? KITH_FILE_DONE : KITH_FILE_MADE;
	return write_row(db, member, path, body, len, type, 0, err);
}

/* Runs call inside a transaction of its own: committed when it succeeds
 * and did something, rolled back otherwise. */
#define IN_TX(db, err, outcome, call) do { \
	int rc_ = kith_db_begin(db, err); \
	if (rc_) \
		return rc_; \
	rc_ = (call); \
	if (rc_ || (*(outcome) != KITH_FILE_DONE && *(outcome) != KITH_FILE_MADE)) { \
		kith_db_rollback(db); \
		return rc_; \
	} \
	return kith_db_commit(db, err); \
} while (0)

int kith_file_put(kith_db *db, kith_id member, const char *path, const char *body,
                  size_t len, const char *type, const kith_file_cond *cond, int *outcome,
                  kith_error *err)
{
	char res[KITH_FILES_PATH_MAX + 2], coll[KITH_FILES_PATH_MAX + 2];

	*outcome = KITH_FILE_MISSING;
	if (!kith_file_path_ok(path))
		return kith_error_set(err, KITH_EINVAL, "not a path the folder can hold");
	forms(path, res, coll);
	if (!res[0] || path[strlen(path) - 1] == '/')
		return *outcome = KITH_FILE_TAKEN, KITH_OK;  /* a resource has no '/' at the end */
	IN_TX(db, err, outcome, put_in(db, member, res, body, len, type, cond, outcome, err));
}

static int mkcol_in(kith_db *db, kith_id member, const char *coll, int *outcome,
                    kith_error *err)
{
	kith_file f;
	int ok, rc = kith_file_stat(db, member, coll, &f, err);

	if (rc == KITH_OK)
		return *outcome = KITH_FILE_TAKEN, KITH_OK;
	if (rc != KITH_ENOTFOUND)
		return rc;
	if ((rc = has_parent(db, member, coll, &ok, err)) || !ok)
		return *outcome = KITH_FILE_NO_PARENT, rc;
	if ((rc = fits(db, member, 0, 1, &ok, err)) || !ok)
		return *outcome = KITH_FILE_FULL, rc;
	*outcome = KITH_FILE_MADE;
	return write_row(db, member, coll, NULL, 0, NULL, 1, err);
}

int kith_file_mkcol(kith_db *db, kith_id member, const char *path, int *outcome,
                    kith_error *err)
{
	char res[KITH_FILES_PATH_MAX + 2], coll[KITH_FILES_PATH_MAX + 2];

	*outcome = KITH_FILE_MISSING;
	if (!kith_file_path_ok(path))
		return kith_error_set(err, KITH_EINVAL, "not a path the folder can hold");
	forms(path, res, coll);
	if (!res[0])
		return *outcome = KITH_FILE_TAKEN, KITH_OK;
	IN_TX(db, err, outcome, mkcol_in(db, member, coll, outcome, err));
}

/* Removes f and, for a collection, all beneath it. */
static int remove_tree(kith_db *db, kith_id member, const kith_file *f, kith_error *err)
{
	if (!f->collection)
		return run(db, "DELETE FROM dav_file WHERE member_id = ?1 AND path = ?2",
		           member, f->path, NULL, err);
	return run(db, "DELETE FROM dav_file WHERE member_id = ?1"
	           " AND substr(path, 1, length(?2)) = ?2", member, f->path, NULL, err);
}

static int remove_in(kith_db *db, kith_id member, const char *path,
                     const kith_file_cond *cond, int *outcome, kith_error *err)
{
	kith_file f;
	int ok, rc = cond_holds(db, member, path, cond, &ok, err);

	if (rc || !ok)
		return *outcome = KITH_FILE_CHANGED, rc;
	rc = kith_file_stat(db, member, path, &f, err);
	if (rc == KITH_ENOTFOUND)
		return *outcome = KITH_FILE_MISSING, KITH_OK;
	if (rc)
		return rc;
	*outcome = KITH_FILE_DONE;
	return remove_tree(db, member, &f, err);
}

int kith_file_remove(kith_db *db, kith_id member, const char *path,
                     const kith_file_cond *cond, int *outcome, kith_error *err)
{
	*outcome = KITH_FILE_MISSING;
	if (!kith_file_path_ok(path) || !path[0])
		return KITH_OK;
	IN_TX(db, err, outcome, remove_in(db, member, path, cond, outcome, err));
}

/* Where a tree is: the rows of a collection and all beneath, or of a
 * resource or (shallow) of the collection alone (?2 its stored path). */
static const char *in_tree(const kith_file *f, int shallow)
{
	return f->collection && !shallow ? " AND substr(path, 1, length(?2)) = ?2"
	                                 : " AND path = ?2";
}

/* The new path of p when the tree at from goes to to. */
#define MOVED "?3 || substr(path, length(?2) + 1)"

/* Copies (or moves) the tree at from (a stored path) to to. */
static int copy_tree(kith_db *db, kith_id member, const kith_file *from, const char *to,
                     int flags, kith_error *err)
{
	const char *where = in_tree(from, flags & KITH_FILE_SHALLOW);
	char sql[512];
	int rc;

	if (flags & KITH_FILE_MOVE) {
		/* dav_prop follows by ON UPDATE CASCADE. */
		snprintf(sql, sizeof(sql), "UPDATE dav_file SET path = " MOVED
		         " WHERE member_id = ?1%s", where);
		return run(db, sql, member, from->path, to, err);
	}
	snprintf(sql, sizeof(sql), "INSERT INTO dav_file(member_id, path, body, type, etag,"
	         " modified) SELECT member_id, " MOVED ", body, type, etag, modified"
	         " FROM dav_file WHERE member_id = ?1%s", where);
	rc = run(db, sql, member, from->path, to, err);
	snprintf(sql, sizeof(sql), "INSERT INTO dav_prop(member_id, path, ns, name, xml)"
	         " SELECT member_id, " MOVED ", ns, name, xml FROM dav_prop"
	         " WHERE member_id = ?1%s", where);
	if (!rc)
		rc = run(db, sql, member, from->path, to, err);
	return rc;
}

/* What a copy of from's tree adds: bytes and entries. */
static int tree_size(kith_db *db, kith_id member, const kith_file *from, int shallow,
                     int64_t *bytes, int64_t *entries, kith_error *err)
{
	static const char *const sql[] = {
		"SELECT coalesce(sum(length(body)), 0) FROM dav_file WHERE member_id = ?1",
		"SELECT coalesce(sum(length(xml)), 0) FROM dav_prop WHERE member_id = ?1",
		"SELECT count(*) FROM dav_file WHERE member_id = ?1"};
	int64_t v[3] = {0, 0, 0};
	int rc = KITH_OK;

	for (int i = 0; !rc && i < 3; i++) {
		char q[256];
		snprintf(q, sizeof(q), "%s%s", sql[i], in_tree(from, shallow));
		rc = query_int(db, q, member, from->path, &v[i], err);
	}
	*bytes = v[0] + v[1];
	*entries = v[2];
	return rc;
}

static int copy_in(kith_db *db, kith_id member, const char *from, const char *to, int flags,
                   int *outcome, kith_error *err)
{
	char res[KITH_FILES_PATH_MAX + 2], coll[KITH_FILES_PATH_MAX + 2];
	kith_file src, dst;
	int64_t bytes = 0, entries = 0;
	int ok, replaced = 0, rc = kith_file_stat(db, member, from, &src, err);

	if (rc == KITH_ENOTFOUND || (!rc && !src.path[0]))
		return *outcome = rc ? KITH_FILE_MISSING : KITH_FILE_SELF, KITH_OK;
	if (rc)
		return rc;
	forms(to, res, coll);
	const char *target = src.collection ? coll : res;
	if (!res[0] || strcmp(target, src.path) == 0 ||
	    (src.collection && strncmp(target, src.path, strlen(src.path)) == 0))
		return *outcome = KITH_FILE_SELF, KITH_OK;  /* onto or into itself */
	if ((rc = has_parent(db, member, target, &ok, err)) || !ok)
		return *outcome = KITH_FILE_NO_PARENT, rc;
	rc = kith_file_stat(db, member, target, &dst, err);
	if (rc == KITH_OK && !(flags & KITH_FILE_OVERWRITE))
		return *outcome = KITH_FILE_TAKEN, KITH_OK;
	if (rc == KITH_OK && !(rc = remove_tree(db, member, &dst, err)))
		replaced = 1;
	else if (rc == KITH_ENOTFOUND)
		rc = KITH_OK;
	if (!rc && !(flags & KITH_FILE_MOVE)) {
		rc = tree_size(db, member, &src, flags & KITH_FILE_SHALLOW, &bytes, &entries, err);
		if (!rc && !(rc = fits(db, member, bytes, entries, &ok, err)) && !ok)
			return *outcome = KITH_FILE_FULL, KITH_OK;
	}
	*outcome = replaced ? KITH_FILE_DONE : KITH_FILE_MADE;
	return rc ? rc : copy_tree(db, member, &src, target, flags, err);
}

int kith_file_copy(kith_db *db, kith_id member, const char *from, const char *to,
                   int flags, int *outcome, kith_error *err)
{
	*outcome = KITH_FILE_MISSING;
	if (!kith_file_path_ok(from) || !kith_file_path_ok(to))
		return kith_error_set(err, KITH_EINVAL, "not a path the folder can hold");
	if (flags & KITH_FILE_MOVE)
		flags &= ~KITH_FILE_SHALLOW;  /* a collection moves whole */
	IN_TX(db, err, outcome, copy_in(db, member, from, to, flags, outcome, err));
}

void kith_file_props_free(kith_file_prop *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].ns);
		free(v[i].name);
		free(v[i].xml);
	}
	free(v);
}

int kith_file_props(kith_db *db, kith_id member, const char *path, kith_file_prop **out,
                    size_t *n, kith_error *err)
{
	kith_file f;
	kith_file_prop *v = NULL;
	size_t cnt = 0, cap = 0;
	sqlite3_stmt *st;
	int oom = 0, rc = kith_file_stat(db, member, path, &f, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	if ((rc = kith__prepare(db, "SELECT ns, name, xml FROM dav_prop WHERE member_id = ?1"
	                        " AND path = ?2 ORDER BY ns, name", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	kith__bind_text(st, 2, f.path);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 8)) {
			oom = 1;
			break;
		}
		v[cnt].ns = kith__col_dup(st, 0, &oom);
		v[cnt].name = kith__col_dup(st, 1, &oom);
		v[cnt++].xml = kith__col_dup(st, 2, &oom);
	}
	sqlite3_finalize(st);
	if (oom || rc != SQLITE_DONE) {
		kith_file_props_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "read properties", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

int kith_file_prop_set(kith_db *db, kith_id member, const char *path, const char *ns,
                       const char *name, const char *xml, int *outcome, kith_error *err)
{
	kith_file f;
	sqlite3_stmt *st;
	int ok = 1, rc = kith_file_stat(db, member, path, &f, err);

	*outcome = KITH_FILE_MISSING;
	if (rc == KITH_ENOTFOUND || (!rc && !f.path[0]))
		return KITH_OK;  /* the folder itself keeps no properties */
	if (rc)
		return rc;
	if (xml && (rc = fits(db, member, (int64_t)strlen(xml), 0, &ok, err)))
		return rc;
	if (!ok)
		return *outcome = KITH_FILE_FULL, KITH_OK;
	rc = kith__prepare(db, xml ? "INSERT INTO dav_prop(member_id, path, ns, name, xml)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(member_id, path, ns, name)"
	                   " DO UPDATE SET xml = excluded.xml"
	                   : "DELETE FROM dav_prop WHERE member_id = ?1 AND path = ?2"
	                   " AND ns = ?3 AND name = ?4", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, member);
	kith__bind_text(st, 2, f.path);
	kith__bind_text(st, 3, ns ? ns : "");
	kith__bind_text(st, 4, name);
	if (xml)
		kith__bind_text(st, 5, xml);
	rc = kith__step_done(db, st, "set property", err);
	sqlite3_finalize(st);
	*outcome = KITH_FILE_DONE;
	return rc;
}
