/*
 * Rows fed to one statement (feed.h): an eponymous virtual table that
 * reads the caller's rows in one pass.  It exists only while a statement
 * runs (registered, run, unregistered), so nothing else on the connection
 * can reach rows the caller is about to free.
 */
#include <stdio.h>
#include <string.h>

#include "feed.h"

#define FEED_MODULE "kith_feed"
#define FEED_MAX_COLS 10

struct feed_vtab {
	sqlite3_vtab base;
	kith__feed *f;           /* borrowed */
};

struct feed_cursor {
	sqlite3_vtab_cursor base;
	kith__feed *f;           /* borrowed */
	int eof;
	sqlite3_int64 rowid;
};

static int feed_connect(sqlite3 *h, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **msg)
{
	kith__feed *f = aux;
	struct feed_vtab *t;
	char decl[24 + 5 * FEED_MAX_COLS] = "CREATE TABLE x(c0";
	int rc;

	if (f->ncol < 1 || f->ncol > FEED_MAX_COLS)
		return SQLITE_MISUSE;
	for (int i = 1; i < f->ncol; i++)
		snprintf(decl + strlen(decl), sizeof(decl) - strlen(decl), ", c%d", i);
	strcat(decl, ")");
	if ((rc = sqlite3_declare_vtab(h, decl)) != SQLITE_OK)
		return rc;
	if (!(t = sqlite3_malloc(sizeof(*t))))
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->f = f;
	*out = &t->base;
	return SQLITE_OK;
}

static int feed_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

static int feed_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	info->estimatedCost = 1e9;
	return SQLITE_OK;
}

static int feed_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	struct feed_cursor *c = sqlite3_malloc(sizeof(*c));

	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->f = ((struct feed_vtab *)t)->f;
	*out = &c->base;
	return SQLITE_OK;
}

static int feed_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int feed_next(sqlite3_vtab_cursor *cur)
{
	struct feed_cursor *c = (struct feed_cursor *)cur;
	int rc = c->f->next(c->f);

	c->rowid++;
	c->eof = rc != SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int feed_filter(sqlite3_vtab_cursor *cur, int idx, const char *s, int argc,
                       sqlite3_value **argv)
{
	((struct feed_cursor *)cur)->rowid = -1;
	return feed_next(cur);
}

static int feed_eof(sqlite3_vtab_cursor *cur)
{
	return ((struct feed_cursor *)cur)->eof;
}

static int feed_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct feed_cursor *c = (struct feed_cursor *)cur;

	c->f->column(c->f, col, ctx);
	return SQLITE_OK;
}

static int feed_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = ((struct feed_cursor *)cur)->rowid;
	return SQLITE_OK;
}

/* Eponymous-only (no xCreate): it exists while registered and needs no
 * schema entry. */
static const sqlite3_module feed_module = {
	.iVersion = 0,
	.xConnect = feed_connect,
	.xBestIndex = feed_best_index,
	.xDisconnect = feed_disconnect,
	.xOpen = feed_open,
	.xClose = feed_close,
	.xFilter = feed_filter,
	.xNext = feed_next,
	.xEof = feed_eof,
	.xColumn = feed_column,
	.xRowid = feed_rowid,
};

int kith__feed_exec(kith_db *db, const char *sql, kith__feed *f,
                    const char *what, kith_error *err)
{
	sqlite3 *h = kith_db_sqlite(db);
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_create_module_v2(h, FEED_MODULE, &feed_module, f, NULL) != SQLITE_OK)
		return kith__sqlerr(db, sqlite3_errcode(h), what, err);
	rc = kith__prepare(db, sql, &st, err);
	if (!rc)
		rc = kith__step_done(db, st, what, err);
	sqlite3_finalize(st);
	sqlite3_create_module(h, FEED_MODULE, NULL, NULL);
	return rc;
}

static int rows_next(kith__feed *f)
{
	kith__rows_feed *r = (kith__rows_feed *)f;

	return ++r->i < r->n ? SQLITE_ROW : SQLITE_DONE;
}

static void rows_column(kith__feed *f, int col, sqlite3_context *ctx)
{
	kith__rows_feed *r = (kith__rows_feed *)f;

	r->column(r->data, r->i, col, ctx);
}

void kith__rows_feed_init(kith__rows_feed *f, size_t n, int ncol,
                          void (*column)(const void *, size_t, int, sqlite3_context *),
                          const void *data)
{
	f->base = (kith__feed){.ncol = ncol, .next = rows_next, .column = rows_column};
	f->n = n;
	f->i = (size_t)-1;  /* the first next makes it 0 */
	f->column = column;
	f->data = data;
}
