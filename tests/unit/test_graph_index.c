/* The persistent graph index (graph_file.c, graph_patch.c): a handle on the
 * file answers exactly as a snapshot built from the tables, after any
 * sequence of writes (rolled back, from another connection, from another
 * process); a damaged, truncated, foreign or other-version file is
 * rebuilt, never trusted; a writer killed half way leaves the old file
 * usable. */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sqlite3.h>

#include "support_graph.h"
#include "graph/graph_impl.h"

static char ipath[400];

static const char *index_path(void)
{
	snprintf(ipath, sizeof(ipath), "%s.graph", t_path());
	return ipath;
}

static void drop_index(void)
{
	char f[420];

	unlink(index_path());
	snprintf(f, sizeof(f), "%s.ok", index_path());
	unlink(f);
}

/* A handle as the CLI makes one: scored strengths, on the index file. */
struct h {
	kith_graph *g;
	kith_score_graph_ctx *c;
};

static void h_open(struct h *h, kith_db *db, int on_index)
{
	kith_graph_opts o = {0};

	h->c = kith_score_graph_ctx_new(db, kith_db_now(db));
	assert_non_null(h->c);
	kith_score_graph_index_opts(h->c, &o);
	if (on_index) {
		o.index_path = index_path();
		o.index_write = on_index == 1;
	} else {
		o.strength_shared = NULL;
		o.private_pairs = NULL;
	}
	assert_int_equal(kith_graph_open(db, &o, &h->g, NULL), KITH_OK);
}

static void h_close(struct h *h)
{
	kith_graph_close(h->g);
	kith_score_graph_ctx_free(h->c);
}

static kith_idv live_ids(kith_db *db)
{
	kith_idv v = {0};
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(kith_db_sqlite(db), "SELECT id FROM person ORDER BY id",
	                                    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		kith_idv_push(&v, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* Every query of x and y agrees on every pair of people. */
static void same_answers(kith_db *db, kith_graph *x, kith_graph *y)
{
	kith_idv v = live_ids(db);
	kith_graph_info ix, iy;

	assert_int_equal(kith_graph_info_get(x, &ix, NULL), KITH_OK);
	assert_int_equal(kith_graph_info_get(y, &iy, NULL), KITH_OK);
	assert_int_equal(ix.people, iy.people);
	assert_int_equal(ix.edges, iy.edges);
	for (size_t i = 0; i < v.n; i++) {
		int64_t *cx, *cy, ux, uy;
		size_t nx, ny;
		assert_int_equal(kith_graph_degree(x, v.v[i], &cx, &nx, &ux, NULL), KITH_OK);
		assert_int_equal(kith_graph_degree(y, v.v[i], &cy, &ny, &uy, NULL), KITH_OK);
		assert_int_equal(nx, ny);
		assert_int_equal(ux, uy);
		assert_memory_equal(cx, cy, nx * sizeof(*cx));
		free(cx);
		free(cy);
		for (size_t j = 0; j < v.n; j++) {
			kith_path px, py, *ax, *ay;
			kith_mutual *mx, *my;
			size_t kx, ky;
			assert_int_equal(kith_graph_path(x, v.v[i], v.v[j], &px, NULL), KITH_OK);
			assert_int_equal(kith_graph_path(y, v.v[i], v.v[j], &py, NULL), KITH_OK);
			assert_int_equal(px.len, py.len);
			if (px.len)
				assert_memory_equal(px.ids, py.ids, px.len * sizeof(*px.ids));
			assert_true(fabs(px.strength - py.strength) <= 1e-6 * (1 + py.strength));
			kith_path_clear(&px);
			kith_path_clear(&py);
			assert_int_equal(kith_graph_intro(x, v.v[i], v.v[j], 4, 2, &ax, &kx, NULL), KITH_OK);
			assert_int_equal(kith_graph_intro(y, v.v[i], v.v[j], 4, 2, &ay, &ky, NULL), KITH_OK);
			assert_int_equal(kx, ky);
			for (size_t k = 0; k < kx; k++)
				assert_true(fabs(ax[k].strength - ay[k].strength) <=
				            1e-5 * (1 + ay[k].strength));
			kith_path_list_free(ax, kx);
			kith_path_list_free(ay, ky);
			assert_int_equal(kith_graph_mutual(x, v.v[i], v.v[j], &mx, &kx, NULL), KITH_OK);
			assert_int_equal(kith_graph_mutual(y, v.v[i], v.v[j], &my, &ky, NULL), KITH_OK);
			assert_int_equal(kx, ky);
			for (size_t k = 0; k < kx; k++) {
				assert_int_equal(mx[k].id, my[k].id);
				assert_true(fabs(mx[k].strength_a - my[k].strength_a) < 1e-6);
			}
			free(mx);
			free(my);
		}
	}
	free(v.v);
}

static kith_id pick(kith_db *db, tg_rng *r)
{
	kith_idv v = live_ids(db);
	kith_id id = v.n ? v.v[tg_below(r, (uint32_t)v.n)] : 0;

	free(v.v);
	return id;
}

/* One random write through the store API on db. */
static void random_write(kith_db *db, tg_rng *r)
{
	kith_id a = pick(db, r), b = pick(db, r);
	static const char *const kinds[] = {"friend", "colleague", "family"};
	int what = (int)tg_below(r, 8), removed;

	if (!a || !b || a == b || what == 0) {
		char name[32];
		snprintf(name, sizeof(name), "P%llu", (unsigned long long)tg_next(r) % 100000);
		kith_id p = t_person(db, name, NULL);
		if (a)
			t_link(db, p, a, "friend", tg_below(r, 3) ? -1 : 0.8);
		return;
	}
	switch (what) {
	case 1: case 2:
		t_link(db, a, b, kinds[tg_below(r, 3)], tg_below(r, 2) ? -1 : tg_below(r, 11) / 10.0);
		break;
	case 3:
		kith_link_remove(db, a, b, NULL, &removed, NULL);
		break;
	case 4: {
		kith_interaction it = {0};
		it.at = T_NOW - (int64_t)tg_below(r, 200) * 86400;
		it.kind = strdup("meeting");
		kith_idv_push(&it.people, a);
		kith_idv_push(&it.people, b);
		assert_int_equal(kith_interaction_add(db, &it, NULL), KITH_OK);
		kith_interaction_clear(&it);
		break;
	}
	case 5: {
		kith_vouch vo = {0};
		vo.voucher = a;
		vo.subject = b;
		kith_vouch_add(db, &vo, NULL);
		free(vo.notes);
		break;
	}
	case 6:
		if (tg_below(r, 3) == 0)
			kith_person_remove(db, a, NULL);
		break;
	default: {
		kith_link *v;
		size_t n;
		assert_int_equal(kith_link_list(db, a, &v, &n, NULL), KITH_OK);
		if (n) {
			v[0].trust = tg_below(r, 11) / 10.0;
			v[0].has_trust = 1;
			kith_link_update(db, &v[0], NULL);
		}
		kith_link_list_free(v, n);
	}
	}
}

/* Writes from a child process, as another `kith` would make them. */
static void child_writes(uint64_t seed, int count)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		kith_db *db;
		tg_rng r = {seed};
		if (kith_db_open(t_path(), 0, &db, NULL))
			_exit(2);
		kith_db_set_now(db, T_NOW);
		for (int i = 0; i < count; i++)
			random_write(db, &r);
		kith_db_close(db);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void oracle_after_random_writes(void **state)
{
	kith_db *db = t_open();
	tg_rng r = {2026};
	tg_graph tg;
	int mapped = 0, overlaid = 0;

	(void)state;
	for (int round = 0; round < 24; round++) {
		struct h fresh, idx;
		int n = 2 + (int)tg_below(&r, 11);
		if (round % 6 == 0)
			tg_random(db, &r, n, 0.1 + tg_below(&r, 50) / 100.0, &tg);
		for (int step = 0; step < 6; step++) {
			int k = 1 + (int)tg_below(&r, 4), mode = (int)tg_below(&r, 4);
			kith_graph_info info;
			if (mode == 0) {
				/* Written and queried inside a transaction, then undone. */
				struct h in;
				assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
				for (int i = 0; i < k; i++)
					random_write(db, &r);
				h_open(&in, db, 1);
				h_open(&fresh, db, 0);
				same_answers(db, in.g, fresh.g);
				h_close(&fresh);
				h_close(&in);
				kith_db_rollback(db);
			} else if (mode == 1) {
				child_writes(tg_next(&r), k);
			} else {
				for (int i = 0; i < k; i++)
					random_write(db, &r);
			}
			h_open(&idx, db, 1);
			h_open(&fresh, db, 0);
			same_answers(db, idx.g, fresh.g);
			assert_int_equal(kith_graph_info_get(idx.g, &info, NULL), KITH_OK);
			mapped += info.from_index;
			overlaid += info.from_index && info.overlay > 0;
			h_close(&fresh);
			h_close(&idx);
		}
	}
	/* The file was really used, and patched. */
	assert_true(mapped > 20);
	assert_true(overlaid > 20);
	drop_index();
	t_close(db);
}

/* A long-lived handle follows writes by patching its mapped file. */
static void handle_follows_writes(void **state)
{
	kith_db *db = t_open();
	tg_rng r = {77};
	tg_graph tg;
	struct h idx, fresh;

	(void)state;
	tg_random(db, &r, 12, 0.3, &tg);
	h_open(&idx, db, 1);
	for (int i = 0; i < 40; i++) {
		random_write(db, &r);
		h_open(&fresh, db, 0);
		same_answers(db, idx.g, fresh.g);
		h_close(&fresh);
	}
	h_close(&idx);
	drop_index();
	t_close(db);
}

/* --- damaged files ---------------------------------------------------------- */

static void info_of(kith_db *db, kith_graph_info *info)
{
	struct h h;
	kith_path p;

	h_open(&h, db, 1);
	assert_int_equal(kith_graph_path(h.g, 1, 2, &p, NULL), KITH_OK);
	kith_path_clear(&p);
	assert_int_equal(kith_graph_info_get(h.g, info, NULL), KITH_OK);
	h_close(&h);
}

static void poke(const char *path, long at, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, bytes, n, at), (ssize_t)n);
	close(fd);
}

static long file_size(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return (long)sb.st_size;
}

/* The file is rebuilt (not used) after damage, then used again. */
static void rebuilt(kith_db *db)
{
	kith_graph_info info;

	info_of(db, &info);
	assert_int_equal(info.from_index, 0);
	assert_int_equal(info.index_written, 1);
	info_of(db, &info);
	assert_int_equal(info.from_index, 1);
}

static void damaged_files_are_rebuilt(void **state)
{
	kith_db *db = t_open(), *other;
	kith_graph_info info;
	char saved[400], cmd[1000];
	uint32_t v;
	unsigned char byte;
	tg_rng r = {5};
	tg_graph tg;

	(void)state;
	tg_random(db, &r, 20, 0.4, &tg);
	info_of(db, &info);
	assert_int_equal(info.index_written, 1);
	info_of(db, &info);
	assert_int_equal(info.from_index, 1);

	/* A flipped byte in the neighbours (the header still checks out). */
	{
		uint64_t adj;
		int fd = open(index_path(), O_RDONLY);
		assert_int_equal(pread(fd, &adj, 8, 168), 8);   /* sect[2].off */
		assert_int_equal(pread(fd, &byte, 1, (off_t)adj + 5), 1);
		close(fd);
		byte ^= 0x10;
		poke(index_path(), (long)adj + 5, &byte, 1);
	}
	rebuilt(db);

	/* Truncated. */
	assert_int_equal(truncate(index_path(), file_size(index_path()) - 64), 0);
	rebuilt(db);

	/* Another version of the format (its header checksum made right). */
	v = 99;
	poke(index_path(), 8, &v, sizeof(v));
	{
		unsigned char h[248];
		int fd = open(index_path(), O_RDWR);
		uint64_t sum;
		assert_int_equal(pread(fd, h, sizeof(h), 0), (ssize_t)sizeof(h));
		sum = kith__graph_sum(h, 240, 0x6b697468);
		assert_int_equal(pwrite(fd, &sum, 8, 240), 8);
		close(fd);
	}
	rebuilt(db);

	/* A damaged header. */
	byte = 0xff;
	poke(index_path(), 30, &byte, 1);
	rebuilt(db);

	/* Another database's index, copied over this one's. */
	snprintf(saved, sizeof(saved), "%s", t_path());
	snprintf(cmd, sizeof(cmd), "%s.other", saved);
	assert_int_equal(kith_db_open(cmd, KITH_OPEN_CREATE, &other, NULL), KITH_OK);
	kith_db_set_now(other, T_NOW);
	t_person(other, "Zed", NULL);
	t_person(other, "Yan", NULL);
	{
		kith_graph *g;
		kith_graph_opts o = {0};
		char op[1100];
		kith_score_graph_ctx *c = kith_score_graph_ctx_new(other, T_NOW);
		kith_score_graph_index_opts(c, &o);
		snprintf(op, sizeof(op), "%s.graph", cmd);
		o.index_path = op;
		o.index_write = 1;
		assert_int_equal(kith_graph_open(other, &o, &g, NULL), KITH_OK);
		assert_int_equal(kith_graph_refresh(g, NULL), KITH_OK);
		kith_graph_close(g);
		kith_score_graph_ctx_free(c);
		kith_db_close(other);
		assert_int_equal(rename(op, index_path()), 0);
		unlink(cmd);
		snprintf(op, sizeof(op), "%s.graph.ok", cmd);
		unlink(op);
	}
	rebuilt(db);

	/* Garbage of the right size. */
	{
		long n = file_size(index_path());
		char *junk = calloc(1, (size_t)n);
		poke(index_path(), 0, junk, (size_t)n);
		free(junk);
	}
	rebuilt(db);
	drop_index();
	t_close(db);
}

/* A writer killed half way through leaves the previous file, which the
 * next handle maps and patches. */
static void killed_writer_leaves_a_usable_index(void **state)
{
	kith_db *db = t_open();
	kith_graph_info info;
	tg_rng r = {9};
	tg_graph tg;
	struct stat before, after;
	pid_t pid;
	int status;

	(void)state;
	tg_random(db, &r, 16, 0.3, &tg);
	info_of(db, &info);
	assert_int_equal(info.index_written, 1);
	assert_int_equal(stat(index_path(), &before), 0);
	/* Enough changes that the next handle writes the file again. */
	assert_int_equal(kith_db_begin(db, NULL), KITH_OK);
	for (int i = 0; i < 4200; i++)
		t_person(db, "Filler", NULL);
	assert_int_equal(kith_db_commit(db, NULL), KITH_OK);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		kith_db *cdb;
		kith_graph_info ci;
		setenv("KITH_GRAPH_INDEX_PAUSE", "5000", 1);
		if (kith_db_open(t_path(), 0, &cdb, NULL))
			_exit(2);
		kith_db_set_now(cdb, T_NOW);
		info_of(cdb, &ci);
		_exit(3);
	}
	usleep(1500 * 1000);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	/* The old file is untouched, and what the next handle answers from. */
	assert_int_equal(stat(index_path(), &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_size, after.st_size);
	{
		struct h idx, fresh;
		h_open(&idx, db, 2);   /* may not write: maps and patches */
		h_open(&fresh, db, 0);
		assert_int_equal(kith_graph_info_get(idx.g, &info, NULL), KITH_OK);
		assert_int_equal(info.from_index, 1);
		assert_true(info.overlay >= 4200);
		kith_path p;
		assert_int_equal(kith_graph_path(idx.g, tg.ids[0], tg.ids[1], &p, NULL), KITH_OK);
		kith_path_clear(&p);
		h_close(&idx);
		/* Too many changes to keep patching: one that may write rebuilds. */
		h_open(&idx, db, 1);
		assert_int_equal(kith_graph_info_get(idx.g, &info, NULL), KITH_OK);
		assert_int_equal(info.index_written, 1);
		/* The writer removed the log rows before the file's own. */
		assert_int_equal(t_int(db, "SELECT count(*) FROM graph_change"), 1);
		h_close(&fresh);
		h_close(&idx);
	}
	/* The dead writer's temporary file is left: remove it. */
	{
		char tmp[460];
		snprintf(tmp, sizeof(tmp), "%s.tmp%ld", index_path(), (long)pid);
		assert_int_equal(unlink(tmp), 0);
	}
	drop_index();
	t_close(db);
}

/* Interactions move strengths without moving the generation: the file's
 * strengths follow them through the log. */
static void interactions_move_strengths(void **state)
{
	kith_db *db = t_open();
	kith_id a = t_person(db, "Ana", NULL), b = t_person(db, "Bo", NULL);
	kith_interaction it = {0};
	struct h idx, fresh;
	kith_path p0, p1;

	(void)state;
	assert_int_equal(t_link(db, a, b, NULL, -1), KITH_OK);
	h_open(&idx, db, 1);
	assert_int_equal(kith_graph_path(idx.g, a, b, &p0, NULL), KITH_OK);
	h_close(&idx);
	it.at = T_NOW - 86400;
	it.kind = strdup("meeting");
	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	assert_int_equal(kith_interaction_add(db, &it, NULL), KITH_OK);
	kith_interaction_clear(&it);
	h_open(&idx, db, 1);
	h_open(&fresh, db, 0);
	assert_int_equal(kith_graph_path(idx.g, a, b, &p1, NULL), KITH_OK);
	assert_true(p1.strength > p0.strength);
	same_answers(db, idx.g, fresh.g);
	kith_path_clear(&p0);
	kith_path_clear(&p1);
	h_close(&fresh);
	h_close(&idx);
	drop_index();
	t_close(db);
}

static void exec(kith_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(kith_db_sqlite(db), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* Private people, links and interactions of three members, shuffled. */
static void random_privacy(kith_db *db, tg_rng *r)
{
	char sql[256];
	kith_id a = pick(db, r), b = pick(db, r);
	int m = 1 + (int)tg_below(r, 3);

	switch (tg_below(r, 4)) {
	case 0:
		snprintf(sql, sizeof(sql), "UPDATE person SET private = %d, owner = %d WHERE id = %lld",
		         (int)tg_below(r, 2), m, (long long)a);
		exec(db, sql);
		break;
	case 1:
		snprintf(sql, sizeof(sql), "UPDATE link SET private = %d, owner = %d WHERE id IN"
		         " (SELECT id FROM link WHERE a = %lld OR b = %lld LIMIT 1)",
		         (int)tg_below(r, 2), m, (long long)a, (long long)a);
		exec(db, sql);
		break;
	case 2:
		if (a != b) {
			kith_interaction it = {0};
			assert_int_equal(kith_db_set_author(db, m, 1, NULL), KITH_OK);
			it.at = T_NOW - 86400 * (int64_t)tg_below(r, 30);
			it.kind = strdup("call");
			kith_idv_push(&it.people, a);
			kith_idv_push(&it.people, b);
			kith_interaction_add(db, &it, NULL);
			kith_interaction_clear(&it);
			assert_int_equal(kith_db_set_author(db, 0, 0, NULL), KITH_OK);
		}
		break;
	default:
		random_write(db, r);
	}
}

/* Each member's handle on the shared file (masked) answers as a snapshot
 * built from that member's own view of the tables. */
static void members_see_masked_file(void **state)
{
	kith_db *db = t_open();
	tg_rng r = {314};
	tg_graph tg;

	(void)state;
	exec(db, "INSERT INTO member(name, created) VALUES ('m1', 0), ('m2', 0), ('m3', 0)");
	for (int round = 0; round < 12; round++) {
		struct h w;
		if (round % 4 == 0) {
			tg_random(db, &r, 6 + (int)tg_below(&r, 8), 0.35, &tg);
			for (int i = 0; i < 8; i++)
				random_privacy(db, &r);
			/* The database's own user writes the file. */
			h_open(&w, db, 1);
			assert_int_equal(kith_graph_refresh(w.g, NULL), KITH_OK);
			h_close(&w);
		}
		for (int i = 0; i < 3; i++)
			random_privacy(db, &r);
		for (kith_id m = 1; m <= 3; m++) {
			kith_db *v = t_viewer(m);
			struct h idx, fresh;
			kith_graph_info info;
			h_open(&idx, v, 2);
			h_open(&fresh, v, 0);
			same_answers(v, idx.g, fresh.g);
			assert_int_equal(kith_graph_info_get(idx.g, &info, NULL), KITH_OK);
			assert_int_equal(info.from_index, 1);
			h_close(&fresh);
			h_close(&idx);
			kith_db_close(v);
		}
	}
	drop_index();
	t_close(db);
}

/* Mappings of the index file in this process (/proc/self/maps). */
static int mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, index_path()) && !strstr(line, ".ok"))
			n++;
	fclose(f);
	return n;
}

/* Fifty members' graphs (as a server thread keeps them) share one
 * mapping of the file; each holds only its masks and patched rows. */
static void members_share_one_mapping(void **state)
{
	kith_db *db = t_open(), *v[50];
	struct h w, g[50];
	tg_rng r = {11};
	tg_graph tg;
	char sql[128];

	(void)state;
	tg_random(db, &r, 20, 0.3, &tg);
	for (int m = 1; m <= 50; m++) {
		snprintf(sql, sizeof(sql), "INSERT INTO member(name, created) VALUES ('m%d', 0)", m);
		exec(db, sql);
	}
	for (int i = 0; i < 6; i++)
		random_privacy(db, &r);
	h_open(&w, db, 1);
	assert_int_equal(kith_graph_refresh(w.g, NULL), KITH_OK);
	h_close(&w);
	for (int m = 0; m < 50; m++) {
		kith_graph_info info;
		v[m] = t_viewer(m + 1);
		h_open(&g[m], v[m], 2);
		assert_int_equal(kith_graph_info_get(g[m].g, &info, NULL), KITH_OK);
		assert_int_equal(info.from_index, 1);
	}
	assert_int_equal(mappings(), 1);
	for (int m = 0; m < 50; m++) {
		h_close(&g[m]);
		kith_db_close(v[m]);
	}
	assert_int_equal(mappings(), 0);
	drop_index();
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oracle_after_random_writes),
		cmocka_unit_test(handle_follows_writes),
		cmocka_unit_test(interactions_move_strengths),
		cmocka_unit_test(members_see_masked_file),
		cmocka_unit_test(members_share_one_mapping),
		cmocka_unit_test(damaged_files_are_rebuilt),
		cmocka_unit_test(killed_writer_leaves_a_usable_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
