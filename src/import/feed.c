/*
 * Capture, rows fed to one statement: an eponymous virtual table over the
 * caller's rows, so that a bulk import writes thousands of rows with one
 * INSERT ... SELECT instead of a statement run per row (binding, stepping
 * and resetting, and for an AUTOINCREMENT table reading and writing its
 * sequence, cost more than the row itself).
 */
#include <stdio.h>
#include <string.h>

#include "feed.h"

#define FEED_MODULE "kith_import_feed"

#define FEED_MAX_COLS 10

struct feed_vtab {
	sqlite3_vtab base;
	const kith__feed *src;   /* borrowed */
};

struct feed_cursor {
	sqlite3_vtab_cursor base;
	const kith__feed *src;   /* borrowed */
	size_t i;
};

static int feed_connect(sqlite3 *h, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **msg)
{
	const kith__feed *src = aux;
	struct feed_vtab *t;
	char decl[24 + 5 * FEED_MAX_COLS] = "CREATE TABLE x(c0";
	int rc;

	if (src->ncol < 1 || src->ncol > FEED_MAX_COLS)
		return SQLITE_MISUSE;
	for (int i = 1; i < src->ncol; i++)
		snprintf(decl + strlen(decl), sizeof(decl) - strlen(decl), ", c%d", i);
	strcat(decl, ")");
	if ((rc = sqlite3_declare_vtab(h, decl)) != SQLITE_OK)
		return rc;
	if (!(t = sqlite3_malloc(sizeof(*t))))
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->src = src;
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
	c->src = ((struct feed_vtab *)t)->src;
	*out = &c->base;
	return SQLITE_OK;
}

static int feed_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int feed_filter(sqlite3_vtab_cursor *cur, int idx, const char *s, int argc,
                       sqlite3_value **argv)
{
	((struct feed_cursor *)cur)->i = 0;
	return SQLITE_OK;
}

static int feed_next(sqlite3_vtab_cursor *cur)
{
	((struct feed_cursor *)cur)->i++;
	return SQLITE_OK;
}

static int feed_eof(sqlite3_vtab_cursor *cur)
{
	struct feed_cursor *c = (struct feed_cursor *)cur;

	return c->i >= c->src->n;
}

static int feed_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct feed_cursor *c = (struct feed_cursor *)cur;

	c->src->column(c->src, c->i, col, ctx);
	return SQLITE_OK;
}

static int feed_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct feed_cursor *)cur)->i;
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

int kith__feed_exec(kith_db *db, const char *sql, const kith__feed *f,
                    const char *what, kith_error *err)
{
	sqlite3 *h = kith_db_sqlite(db);
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_create_module_v2(h, FEED_MODULE, &feed_module, (void *)f, NULL) != SQLITE_OK)
		return kith__sqlerr(db, sqlite3_errcode(h), what, err);
	rc = kith__prepare(db, sql, &st, err);
	if (!rc)
		rc = kith__step_done(db, st, what, err);
	sqlite3_finalize(st);
	/* Unregistered, so that nothing on this connection can reach the
	 * array once the caller frees it. */
	sqlite3_create_module(h, FEED_MODULE, NULL, NULL);
	return rc;
}
