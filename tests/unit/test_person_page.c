/* The people list's pages (person_page.c) against an oracle that filters
 * and sorts every visible person in C: each filter, each sort and order,
 * ranges and sets, offsets and cursors, on the CLI's handle and on two
 * members' views. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>

#include "support.h"

#define NPEOPLE 260
#define NORG 6

static const char *const first[] = {"Ana", "ana", "Bo", "Cy", "Dee", "Éva", "Finn", "Gil"};
static const char *const last[] = {"Moss", "moss", "Lund", "Ng", "Ortiz", "Park"};
static const char *const cities[] = {"Oslo", "oslo", "Lyon", "Kyiv", NULL};
static const char *const tags[] = {"rust", "sailing", "chess"};

struct row {
	kith_id id;
	char *name, *city, *country;
	int64_t created, updated;
	int priv, tag[3];
	kith_id org, former;   /* current, ended */
};

static struct row rows[NPEOPLE + 8];
static size_t nrows;
static kith_id orgs[NORG], ma, mb;

static void build(kith_db *db)
{
	unsigned seed = 7;
	kith_error err;
	kith_id pa = t_person(db, "Member A", NULL), pb = t_person(db, "Member B", NULL);

	assert_int_equal(kith_member_add(db, "ma", pa, &ma, &err), KITH_OK);
	assert_int_equal(kith_member_add(db, "mb", pb, &mb, &err), KITH_OK);
	for (int i = 0; i < NORG; i++) {
		kith_org o = {.name = NULL};
		char name[16];
		snprintf(name, sizeof(name), "Org%d", i);
		o.name = strdup(name);
		assert_int_equal(kith_org_add(db, &o, &err), KITH_OK);
		orgs[i] = o.id;
		kith_org_clear(&o);
	}
	for (int i = 0; i < NPEOPLE; i++) {
		kith_person p = {0};
		char name[64];
		int who = rand_r(&seed) % 10;   /* 0: private to ma, 1: to mb */
		snprintf(name, sizeof(name), "%s %s", first[rand_r(&seed) % 8], last[rand_r(&seed) % 6]);
		p.display_name = strdup(name);
		const char *c = cities[rand_r(&seed) % 5];
		p.city = c ? strdup(c) : NULL;
		p.country = rand_r(&seed) % 2 ? strdup("NO") : strdup("FR");
		for (int t = 0; t < 3; t++)
			if (rand_r(&seed) % 3 == 0)
				kith_strv_push(&p.tags, tags[t]);
		assert_int_equal(kith_db_set_author(db, who < 2 ? (who ? mb : ma) : 0, who < 2, &err),
		                 KITH_OK);
		assert_int_equal(kith_person_add(db, &p, &err), KITH_OK);
		kith_person_clear(&p);
	}
	assert_int_equal(kith_db_set_author(db, 0, 0, &err), KITH_OK);
	/* Times with ties; jobs now and past. */
	char *sql = NULL;
	sqlite3 *h = kith_db_sqlite(db);
	assert_int_equal(sqlite3_exec(h, "UPDATE person SET created = 1000 + (id * 7) % 13,"
	                              " updated = 5000 + (id * 11) % 17", NULL, NULL, NULL), SQLITE_OK);
	for (int i = 0; i < NPEOPLE; i += 2) {
		kith_id person = i + 3;
		if (asprintf(&sql, "INSERT INTO job(person_id, org_id, title, date_from, date_to, created)"
		             " VALUES (%lld, %lld, 'x', '2019', %s, 0)", (long long)person,
		             (long long)orgs[i % NORG], i % 3 ? "NULL" : "'2021'") < 0)
			fail();
		assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
		free(sql);
	}
}

/* Every person as v sees them, with what the filters read. */
static void load(kith_db *v)
{
	sqlite3_stmt *st;
	sqlite3 *h = kith_db_sqlite(v);

	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].name);
		free(rows[i].city);
		free(rows[i].country);
	}
	nrows = 0;
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT id, display_name, city, country, created,"
		" updated, private,"
		" EXISTS (SELECT 1 FROM person_tag t WHERE t.person_id = p.id AND tag = 'rust'),"
		" EXISTS (SELECT 1 FROM person_tag t WHERE t.person_id = p.id AND tag = 'sailing'),"
		" EXISTS (SELECT 1 FROM person_tag t WHERE t.person_id = p.id AND tag = 'chess'),"
		" (SELECT org_id FROM job WHERE person_id = p.id AND date_to IS NULL),"
		" (SELECT org_id FROM job WHERE person_id = p.id AND date_to IS NOT NULL)"
		" FROM person p", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct row *r = &rows[nrows++];
		const char *c = (const char *)sqlite3_column_text(st, 2),
		           *k = (const char *)sqlite3_column_text(st, 3);
		*r = (struct row){sqlite3_column_int64(st, 0),
		                  strdup((const char *)sqlite3_column_text(st, 1)),
		                  c ? strdup(c) : NULL, k ? strdup(k) : NULL,
		                  sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
		                  sqlite3_column_int(st, 6),
		                  {sqlite3_column_int(st, 7), sqlite3_column_int(st, 8),
		                   sqlite3_column_int(st, 9)},
		                  sqlite3_column_int64(st, 10), sqlite3_column_int64(st, 11)};
	}
	sqlite3_finalize(st);
}

static double value_of(const kith_person_query *q, kith_id id, int *in)
{
	*in = 0;
	for (size_t i = 0; i < q->nset; i++)
		if (q->set[i] == id) {
			*in = 1;
			return q->values[i];
		}
	return 0;
}

static int word_prefix(const char *name, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = name; p; p = strchr(p, ' ')) {
		while (*p == ' ')
			p++;
		if (strncasecmp(p, w, n) == 0)
			return 1;
	}
	return 0;
}

static int passes(const kith_person_query *q, const struct row *r)
{
	int in;
	double v = value_of(q, r->id, &in);

	if (q->words && !word_prefix(r->name, q->words))
		return 0;
	if (q->tag && !r->tag[q->tag[0] == 'r' ? 0 : q->tag[0] == 's' ? 1 : 2])
		return 0;
	if (q->city && (!r->city || sqlite3_stricmp(r->city, q->city)))
		return 0;
	if (q->country && (!r->country || sqlite3_stricmp(r->country, q->country)))
		return 0;
	if ((q->org && r->org != q->org) || (q->former_org && r->former != q->former_org))
		return 0;
	if ((q->visibility == KITH_PERSON_PRIVATE && !r->priv) ||
	    (q->visibility == KITH_PERSON_TEAM && r->priv))
		return 0;
	if (q->set_only && !in)
		return 0;
	return !q->ranged || (v >= q->min_value && v <= q->max_value);
}

static const kith_person_query *oq;

static int oracle_cmp(const void *a, const void *b)
{
	const struct row *x = *(struct row *const *)a, *y = *(struct row *const *)b;
	int in, c = 0;
	double vx = 0, vy = 0;
	int64_t tx = 0, ty = 0;

	if (oq->sort == KITH_PERSON_SORT_VALUE) {
		vx = value_of(oq, x->id, &in);
		vy = value_of(oq, y->id, &in);
		c = (vx > vy) - (vx < vy);
	} else if (oq->sort != KITH_PERSON_SORT_NAME) {
		tx = oq->sort == KITH_PERSON_SORT_CREATED ? x->created : x->updated;
		ty = oq->sort == KITH_PERSON_SORT_CREATED ? y->created : y->updated;
		c = (tx > ty) - (tx < ty);
	}
	if (!c)
		c = sqlite3_stricmp(x->name, y->name);
	if (!c)
		c = (x->id > y->id) - (x->id < y->id);
	return oq->desc ? -c : c;
}

/* The whole answer of q, in order; *n rows. */
static kith_id *oracle(const kith_person_query *q, size_t *n)
{
	struct row *v[NPEOPLE + 8];
	kith_id *out = calloc(nrows + 1, sizeof(*out));

	*n = 0;
	for (size_t i = 0; i < nrows; i++)
		if (passes(q, &rows[i]))
			v[(*n)++] = &rows[i];
	oq = q;
	qsort(v, *n, sizeof(*v), oracle_cmp);
	for (size_t i = 0; i < *n; i++)
		out[i] = v[i]->id;
	return out;
}

static void check_query(kith_db *db, kith_person_query q, const char *what)
{
	size_t want_n, got = 0, n;
	kith_id *want = oracle(&q, &want_n), *ids;
	int64_t total;
	char *next = NULL, *cur = NULL;
	kith_error err;

	/* By offsets. */
	for (size_t off = 0; off <= want_n; off += q.limit) {
		q.offset = off;
		if (kith_person_page(db, &q, &ids, &n, &total, NULL, &err))
			fail_msg("%s: %s", what, err.msg);
		if (total != (int64_t)want_n)
			fail_msg("%s: total %lld, want %zu", what, (long long)total, want_n);
		for (size_t i = 0; i < n; i++)
			if (off + i >= want_n || ids[i] != want[off + i])
				fail_msg("%s: offset %zu row %zu is #%lld, want #%lld", what, off, i,
				         (long long)ids[i], (long long)(off + i < want_n ? want[off + i] : 0));
		assert_int_equal(n, off + q.limit <= want_n ? q.limit : want_n - off);
		free(ids);
	}
	/* By cursors. */
	q.offset = 0;
	do {
		q.cursor = cur;
		if (kith_person_page(db, &q, &ids, &n, &total, &next, &err))
			fail_msg("%s: cursor %s: %s", what, cur, err.msg);
		for (size_t i = 0; i < n; i++, got++)
			if (got >= want_n || ids[i] != want[got])
				fail_msg("%s: cursor row %zu is #%lld, want #%lld", what, got,
				         (long long)ids[i], (long long)(got < want_n ? want[got] : 0));
		free(ids);
		free(cur);
		cur = next;
	} while (cur);
	if (got != want_n)
		fail_msg("%s: cursors gave %zu rows, want %zu", what, got, want_n);
	free(want);
}

static void pages_match_the_oracle(void **state)
{
	kith_db *db = t_open();
	kith_db *views[3];
	kith_id set[60];
	double vals[60];
	unsigned seed = 11;
	int checked = 0;

	(void)state;
	build(db);
	views[0] = db;
	views[1] = t_viewer(ma);
	views[2] = t_viewer(mb);
	/* A set with values, some 0, some repeated values. */
	for (int i = 0; i < 60; i++) {
		set[i] = 3 + (i * 37) % NPEOPLE;
		vals[i] = i % 7 == 0 ? 0 : (double)((i * 13) % 9) / 10;
	}
	for (int v = 0; v < 3; v++) {
		load(views[v]);
		for (int k = 0; k < 160; k++) {
			kith_person_query q = {0};
			char what[256];
			unsigned f = (unsigned)rand_r(&seed);
			q.sort = rand_r(&seed) % 4;
			q.desc = rand_r(&seed) % 2;
			q.limit = 1 + rand_r(&seed) % 40;
			q.tag = f & 1 ? tags[rand_r(&seed) % 3] : NULL;
			q.city = f & 2 ? "OSLO" : NULL;
			q.country = f & 4 ? "no" : NULL;
			q.org = f & 8 ? orgs[rand_r(&seed) % NORG] : 0;
			q.former_org = f & 16 ? orgs[rand_r(&seed) % NORG] : 0;
			q.words = f & 32 ? (rand_r(&seed) % 2 ? "an" : "mo") : NULL;
			q.visibility = f & 64 ? 1 + rand_r(&seed) % 2 : 0;
			if (f & (128 | 256) || q.sort == KITH_PERSON_SORT_VALUE) {
				q.set = set;
				q.values = vals;
				q.nset = 60;
				q.set_only = (f & 128) != 0;
			}
			if (q.nset && f & 512) {
				q.ranged = 1;
				q.min_value = rand_r(&seed) % 2 ? 0 : 0.3;
				q.max_value = 0.5 + (rand_r(&seed) % 2) * 0.5;
			}
			snprintf(what, sizeof(what), "view %d query %d (sort %d%s, filters %x, range"
			         " %g..%g, limit %zu)", v, k, q.sort, q.desc ? " desc" : "", f & 1023,
			         q.min_value, q.max_value, q.limit);
			check_query(views[v], q, what);
			checked++;
		}
	}
	assert_int_equal(checked, 480);
	kith_db_close(views[1]);
	kith_db_close(views[2]);
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].name);
		free(rows[i].city);
		free(rows[i].country);
	}
	t_close(db);
}

static void refusals(void **state)
{
	kith_db *db = t_open();
	kith_person_query q = {.limit = 5};
	kith_id *ids;
	size_t n;
	int64_t total;
	char *next;
	kith_error err;

	(void)state;
	t_person(db, "Ana", NULL);
	q.cursor = "0a_1_0_616e61";
	q.offset = 3;
	assert_int_equal(kith_person_page(db, &q, &ids, &n, &total, &next, &err), KITH_EINVAL);
	q.offset = 0;
	q.desc = 1;   /* a cursor of the ascending order */
	assert_int_equal(kith_person_page(db, &q, &ids, &n, &total, &next, &err), KITH_EINVAL);
	q.desc = 0;
	q.sort = KITH_PERSON_SORT_CREATED;
	assert_int_equal(kith_person_page(db, &q, &ids, &n, &total, &next, &err), KITH_EINVAL);
	q.sort = KITH_PERSON_SORT_NAME;
	for (const char *bad = "0a_1_0_6"; bad; bad = strcmp(bad, "0a_1_0_6") == 0 ? "0a_x_0_61" :
	     strcmp(bad, "0a_x_0_61") == 0 ? "0a_1_0_zz" : strcmp(bad, "0a_1_0_zz") == 0 ? "0a_1_0_0061" : NULL) {
		q.cursor = bad;
		assert_int_equal(kith_person_page(db, &q, &ids, &n, &total, &next, &err), KITH_EINVAL);
	}
	q.cursor = "0a_1_0_616e61";   /* after "ana" #1: nobody */
	assert_int_equal(kith_person_page(db, &q, &ids, &n, &total, &next, &err), KITH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 1);
	assert_null(next);
	t_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_match_the_oracle),
		cmocka_unit_test(refusals),
	};
	return cmocka_run_group_tests_name("person_page", tests, NULL, NULL);
}
