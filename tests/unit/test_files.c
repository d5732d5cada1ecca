/* Members' WebDAV folders (src/record/files.c): resources and collections,
 * moves and copies with their properties, limits, and one member's
 * folder out of another's reach. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "kith/files.h"

static kith_id member(kith_db *db, const char *name)
{
	kith_id m;
	kith_error err;

	assert_int_equal(kith_member_add(db, name, t_person(db, name, NULL), &m, &err), KITH_OK);
	return m;
}

static int put(kith_db *db, kith_id m, const char *path, const char *body)
{
	int o;
	kith_error e;

	assert_int_equal(kith_file_put(db, m, path, body, strlen(body), "text/plain", NULL, &o,
	                               &e), KITH_OK);
	return o;
}

static int mkcol(kith_db *db, kith_id m, const char *path)
{
	int o;
	kith_error e;

	assert_int_equal(kith_file_mkcol(db, m, path, &o, &e), KITH_OK);
	return o;
}

static int copy(kith_db *db, kith_id m, const char *from, const char *to, int flags)
{
	int o;
	kith_error e;

	assert_int_equal(kith_file_copy(db, m, from, to, flags, &o, &e), KITH_OK);
	return o;
}

static int exists(kith_db *db, kith_id m, const char *path)
{
	kith_file f;

	return kith_file_stat(db, m, path, &f, NULL) == KITH_OK;
}

static void paths(void **state)
{
	(void)state;
	assert_true(kith_file_path_ok(""));
	assert_true(kith_file_path_ok("a/b.txt"));
	assert_true(kith_file_path_ok("coll/"));
	assert_true(kith_file_path_ok("res-\xe2\x82\xac"));
	assert_false(kith_file_path_ok("/a"));
	assert_false(kith_file_path_ok("a//b"));
	assert_false(kith_file_path_ok("a/../b"));
	assert_false(kith_file_path_ok("./a"));
	assert_false(kith_file_path_ok("a\nb"));
	char deep[200] = "";
	for (int i = 0; i <= KITH_FILES_DEPTH; i++)
		strcat(deep, "d/");
	assert_false(kith_file_path_ok(deep));
}

static void resources(void **state)
{
	kith_db *db = t_open();
	kith_id m = member(db, "alex");
	kith_file f, *v;
	char *body;
	size_t len, n;
	int o;
	kith_error err;

	(void)state;
	assert_int_equal(put(db, m, "a.txt", "hello\n"), KITH_FILE_MADE);
	assert_int_equal(kith_file_read(db, m, "a.txt", &f, &body, &len, &err), KITH_OK);
	assert_int_equal(len, 6);
	assert_memory_equal(body, "hello\n", 6);
	assert_string_equal(f.type, "text/plain");
	free(body);
	int64_t e1 = f.etag;
	assert_int_equal(put(db, m, "a.txt", ""), KITH_FILE_DONE);
	assert_int_equal(kith_file_stat(db, m, "a.txt", &f, &err), KITH_OK);
	assert_false(f.collection);  /* empty, still a resource */
	assert_int_equal(f.size, 0);
	assert_true(f.etag > e1);
	assert_int_equal(put(db, m, "no/parent.txt", "x"), KITH_FILE_NO_PARENT);
	assert_int_equal(mkcol(db, m, "no/parent/"), KITH_FILE_NO_PARENT);
	assert_int_equal(mkcol(db, m, "a.txt"), KITH_FILE_TAKEN);
	assert_int_equal(mkcol(db, m, "c/"), KITH_FILE_MADE);
	assert_int_equal(mkcol(db, m, "c"), KITH_FILE_TAKEN);
	assert_int_equal(put(db, m, "c", "x"), KITH_FILE_TAKEN);  /* a collection is there */
	assert_int_equal(put(db, m, "c/d.txt", "x"), KITH_FILE_MADE);
	assert_int_equal(mkcol(db, m, "c/e/"), KITH_FILE_MADE);
	assert_int_equal(kith_file_list(db, m, "c", &v, &n, &err), KITH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].path, "c/d.txt");
	assert_string_equal(v[1].path, "c/e/");
	assert_true(v[1].collection);
	free(v);
	assert_int_equal(kith_file_list(db, m, "", &v, &n, &err), KITH_OK);
	assert_int_equal(n, 2);  /* a.txt and c/, not what c holds */
	free(v);
	assert_int_equal(kith_file_remove(db, m, "c/", NULL, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_DONE);
	assert_false(exists(db, m, "c/d.txt") || exists(db, m, "c/e/"));
	assert_int_equal(kith_file_remove(db, m, "c/", NULL, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_MISSING);
	t_close(db);
}

static void copies_and_moves(void **state)
{
	kith_db *db = t_open();
	kith_id m = member(db, "alex");
	kith_file_prop *p;
	size_t n;
	int o;
	kith_error err;

	(void)state;
	mkcol(db, m, "src/");
	put(db, m, "src/one", "1");
	mkcol(db, m, "src/sub/");
	assert_int_equal(kith_file_prop_set(db, m, "src/one", "urn:x", "colour",
	                                    "<colour xmlns=\"urn:x\">red</colour>", &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_DONE);
	assert_int_equal(copy(db, m, "src/", "dst/", KITH_FILE_OVERWRITE), KITH_FILE_MADE);
	assert_true(exists(db, m, "dst/one") && exists(db, m, "dst/sub/") && exists(db, m, "src/one"));
	assert_int_equal(kith_file_props(db, m, "dst/one", &p, &n, &err), KITH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].xml, "<colour xmlns=\"urn:x\">red</colour>");
	kith_file_props_free(p, n);
	assert_int_equal(copy(db, m, "src/", "dst/", 0), KITH_FILE_TAKEN);
	assert_int_equal(copy(db, m, "src/", "src/sub/in/", KITH_FILE_OVERWRITE), KITH_FILE_SELF);
	assert_int_equal(copy(db, m, "src/", "src", KITH_FILE_OVERWRITE), KITH_FILE_SELF);
	assert_int_equal(copy(db, m, "nothing", "x", 0), KITH_FILE_MISSING);
	assert_int_equal(copy(db, m, "src/one", "none/x", 0), KITH_FILE_NO_PARENT);
	assert_int_equal(copy(db, m, "src/", "flat/", KITH_FILE_SHALLOW), KITH_FILE_MADE);
	assert_true(exists(db, m, "flat/") && !exists(db, m, "flat/one"));
	/* A move takes the properties along, and replaces what is there. */
	assert_int_equal(copy(db, m, "src/one", "dst/one", KITH_FILE_MOVE | KITH_FILE_OVERWRITE),
	                 KITH_FILE_DONE);
	assert_false(exists(db, m, "src/one"));
	assert_int_equal(kith_file_props(db, m, "dst/one", &p, &n, &err), KITH_OK);
	assert_int_equal(n, 1);
	kith_file_props_free(p, n);
	assert_int_equal(copy(db, m, "dst/", "moved/", KITH_FILE_MOVE), KITH_FILE_MADE);
	assert_true(exists(db, m, "moved/one") && !exists(db, m, "dst/"));
	assert_int_equal(t_int(db, "SELECT count(*) FROM dav_prop WHERE path = 'moved/one'"), 1);
	assert_int_equal(kith_file_prop_set(db, m, "moved/one", "urn:x", "colour", NULL, &o, &err),
	                 KITH_OK);
	assert_int_equal(t_int(db, "SELECT count(*) FROM dav_prop"), 0);
	t_close(db);
}

/* Limits, and one member never reaching another's folder. */
static void limits_and_members(void **state)
{
	kith_db *db = t_open();
	kith_id a = member(db, "alex"), b = member(db, "sam");
	char *big = calloc(1, KITH_FILES_BYTES / 2 + 2);
	kith_file *v;
	size_t n;
	int o;
	kith_error err;

	(void)state;
	/* The count, on a member of its own, before any big body is in: the
	 * byte limit's sum reads every body stored beside the member's rows
	 * (dav_file keeps them inline), which made these thousand writes
	 * take minutes under ASan. */
	kith_id c = member(db, "kim");
	for (int i = 0; i < KITH_FILES_COUNT; i++) {
		char p[32];
		snprintf(p, sizeof(p), "c%d/", i);
		assert_int_equal(mkcol(db, c, p), KITH_FILE_MADE);
	}
	assert_int_equal(mkcol(db, c, "one-more/"), KITH_FILE_FULL);
	assert_int_equal(put(db, c, "one-more", "x"), KITH_FILE_FULL);
	memset(big, 'x', KITH_FILES_BYTES / 2 + 1);
	assert_int_equal(put(db, a, "half1", big), KITH_FILE_MADE);
	assert_int_equal(put(db, a, "half2", big), KITH_FILE_FULL);  /* with the first, over */
	assert_int_equal(put(db, a, "half1", big), KITH_FILE_DONE);  /* replacing: fits */
	assert_int_equal(copy(db, a, "half1", "again", 0), KITH_FILE_FULL);
	assert_int_equal(put(db, b, "half2", big), KITH_FILE_MADE);  /* sam's own room */
	free(big);

	assert_false(exists(db, b, "half1"));
	assert_int_equal(kith_file_list(db, b, "", &v, &n, &err), KITH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].path, "half2");
	free(v);
	assert_int_equal(kith_file_remove(db, b, "half1", NULL, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_MISSING);
	assert_true(exists(db, a, "half1"));
	assert_int_equal(kith_file_prop_set(db, b, "half1", "urn:x", "p", "<p xmlns=\"urn:x\"/>",
	                                    &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_MISSING);
	/* A member who goes takes their folder along. */
	assert_int_equal(kith_member_remove(db, a, &err), KITH_OK);
	char q[120];
	snprintf(q, sizeof(q), "SELECT count(*) FROM dav_file WHERE member_id <> %lld",
	         (long long)c);
	assert_int_equal(t_int(db, q), 1);
	t_close(db);
}

/* If-Match and If-None-Match, checked in the write's transaction: a
 * writer with the ETag another write replaced is told CHANGED and writes
 * nothing. */
static void conditions(void **state)
{
	kith_db *db = t_open();
	kith_id m = member(db, "alex");
	kith_file f;
	char *body;
	size_t len;
	int o;
	kith_error err;
	int64_t e1;

	(void)state;
	kith_file_cond none_there = {.none_match = KITH_FILE_ANY};
	assert_int_equal(kith_file_put(db, m, "a.txt", "one", 3, NULL, &none_there, &o, &err),
	                 KITH_OK);
	assert_int_equal(o, KITH_FILE_MADE);
	assert_int_equal(kith_file_put(db, m, "a.txt", "two", 3, NULL, &none_there, &o, &err),
	                 KITH_OK);
	assert_int_equal(o, KITH_FILE_CHANGED);
	assert_int_equal(kith_file_stat(db, m, "a.txt", &f, &err), KITH_OK);
	e1 = f.etag;
	kith_file_cond same = {.match = e1};
	assert_int_equal(kith_file_put(db, m, "a.txt", "two", 3, NULL, &same, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_DONE);
	/* The second writer with the same ETag loses. */
	assert_int_equal(kith_file_put(db, m, "a.txt", "three", 5, NULL, &same, &o, &err),
	                 KITH_OK);
	assert_int_equal(o, KITH_FILE_CHANGED);
	assert_int_equal(kith_file_read(db, m, "a.txt", &f, &body, &len, &err), KITH_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(body, "two", 3);
	free(body);
	assert_int_equal(kith_file_remove(db, m, "a.txt", &same, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_CHANGED);
	assert_true(exists(db, m, "a.txt"));
	kith_file_cond never = {.match = KITH_FILE_NEVER}, any = {.match = KITH_FILE_ANY};
	assert_int_equal(kith_file_put(db, m, "a.txt", "x", 1, NULL, &never, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_CHANGED);
	assert_int_equal(kith_file_put(db, m, "b.txt", "x", 1, NULL, &any, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_CHANGED);  /* If-Match: * and nothing there */
	assert_false(exists(db, m, "b.txt"));
	kith_file_cond now = {.match = f.etag};
	assert_int_equal(kith_file_remove(db, m, "a.txt", &now, &o, &err), KITH_OK);
	assert_int_equal(o, KITH_FILE_DONE);
	assert_false(exists(db, m, "a.txt"));
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths),
		cmocka_unit_test(resources),
		cmocka_unit_test(copies_and_moves),
		cmocka_unit_test(limits_and_members),
		cmocka_unit_test(conditions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
