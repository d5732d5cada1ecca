/*
 * The front door: kith_db_open.  A connection from the store, the pair
 * cache's virtual table from score/, and the schema brought up to date,
 * with the full recompute of score/ rebuilding the cache when a migration
 * asks for it.  It sits above every floor it wires together, so none of
 * them has to call up to another.
 */
#include "internal.h"
#include "score/score.h"

static int rebuild_pairs(kith_db *db, kith_error *err)
{
	return kith_score_recompute(db, kith_db_now(db), NULL, err);
}

int kith_db_open(const char *path, int flags, kith_db **out, kith_error *err)
{
	kith_db *db;
	int rc = kith__db_connect(path, flags, &db, err);

	*out = NULL;
	if (rc)
		return rc;
	if (kith__pair_register(kith_db_sqlite(db)) != SQLITE_OK)
		rc = kith__sqlerr(db, sqlite3_errcode(kith_db_sqlite(db)), "open database", err);
	if (!rc)
		rc = kith__migrate(db, rebuild_pairs, err);
	if (rc) {
		kith_db_close(db);
		return rc;
	}
	*out = db;
	return KITH_OK;
}
