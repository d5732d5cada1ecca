/*
 * Capture, batches: what an import does before it commits, its search rows
 * and the bulk path's deferred work, and, for a long server import, the
 * commit every batch_ms that lets other writers through, with what the
 * session read of the people others changed meanwhile read again.
 */
#include <stdlib.h>
#include <time.h>
#include <glib.h>

#include "session.h"
#include "kith/interaction.h"

double kith__seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The highest person id so far.  Ids are AUTOINCREMENT, so anyone above
 * it when the import started is new in this import. */
static int last_person(kith_db *db, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT max(id) FROM person", &st, err);

	if (rc)
		return rc;
	*id = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? KITH_OK : kith__sqlerr(db, rc, "prepare import", err);
}

/* PRAGMA data_version: moves when another connection commits. */
static int64_t data_version(kith_db *db)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(kith_db_sqlite(db), "PRAGMA data_version", -1, &st,
	                       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* Rebuilds the search row of one person (see S_FTS_TEXT).  Someone new
 * in this import has none yet: the import writes search rows only here. */
static int refresh_one(kith__isess *s, kith_id id, kith_error *err)
{
	sqlite3_stmt *txt, *ins;
	int rc;

	if (id <= s->last_old) {
		sqlite3_stmt *del = kith__ist(s, S_FTS_DEL);
		sqlite3_bind_int64(del, 1, id);
		rc = sqlite3_step(del);
		sqlite3_reset(del);
		if (rc != SQLITE_DONE)
			return kith__sqlerr(s->db, rc, "index person", err);
	}
	txt = kith__ist(s, S_FTS_TEXT);
	sqlite3_bind_int64(txt, 1, id);
	rc = sqlite3_step(txt);
	if (rc == SQLITE_DONE) {  /* gone: nothing to index */
		sqlite3_reset(txt);
		return KITH_OK;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(txt);
		return kith__sqlerr(s->db, rc, "index person", err);
	}
	ins = kith__ist(s, S_FTS_INS);
	sqlite3_bind_int64(ins, 1, id);
	/* The text columns stay valid until txt is reset, after the insert. */
	for (int i = 0; i < 3; i++)
		sqlite3_bind_value(ins, i + 2, sqlite3_column_value(txt, i));
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	sqlite3_reset(txt);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "index person", err);
}

/* Rebuilds the search rows of everyone the import wrote to directly, in
 * id order, which is the order FTS5 appends to its doclists fastest:
 * people stored before one by one, then the new ones (every one of them
 * touched) in one statement. */
static int refresh_search(kith__isess *s, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = KITH_OK;

	if (s->touched_ids.n > 1)
		qsort(s->touched_ids.v, s->touched_ids.n, sizeof(kith_id), kith__cmp_id);
	for (size_t i = 0; !rc && i < s->touched_ids.n; i++) {
		if (s->touched_ids.v[i] > s->last_old)
			break;
		rc = refresh_one(s, s->touched_ids.v[i], err);
	}
	if (rc || !s->rep->people_created)
		return rc;
	st = kith__ist(s, S_FTS_NEW);
	sqlite3_bind_int64(st, 1, s->last_old);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "index people", err);
}

/* What a batch does before it commits: search rows, the bulk path's
 * deferred work (its triggers back). */
int kith__batch_finish(kith__isess *s, kith_error *err)
{
	int rc = refresh_search(s, err);

	if (!rc)
		rc = kith__bulk_finish(s, err);
	if (!rc)
		rc = kith__related_finish(s, err);
	return rc;
}

int kith__batch_point(kith__isess *s, kith_error *err)
{
	const kith_import_opts *o = s->opts;
	double now = kith__seconds_now();
	int64_t v;
	int rc;

	if (!o || !o->batch_ms || o->dry_run || now - s->batch_start < o->batch_ms / 1000.0)
		return KITH_OK;
	if ((rc = kith__batch_finish(s, err)))
		return rc;
	kith__bulk_free(s);
	g_hash_table_remove_all(s->touched);
	s->touched_ids.n = 0;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_reset(s->st[i]);
	if ((rc = kith_db_commit(s->db, err)))
		return rc;
	s->rep->batches++;
	if ((rc = kith__change_seq(s, &s->seen_seq, err)))
		return rc;
	if (o->yield)
		o->yield(o->yield_ctx);
	if ((rc = kith_db_begin(s->db, err)))
		return rc;
	/* As at the start: people above last_old are this batch's. */
	if ((rc = last_person(s->db, &s->last_old, err)))
		return rc;
	/* Another connection wrote meanwhile: what the session read of
	 * the people it changed is read again. */
	if ((v = data_version(s->db)) != s->data_version) {
		s->data_version = v;
		if ((rc = kith__caches_refresh(s, err)))
			return rc;
		if ((rc = kith__change_seq(s, &s->seen_seq, err)))
			return rc;
	}
	s->want_bulk = s->bulk_wanted;
	s->batch_start = kith__seconds_now();
	return KITH_OK;
}

int kith__batch_start(kith__isess *s, kith_error *err)
{
	int rc = last_person(s->db, &s->last_old, err);

	s->data_version = data_version(s->db);
	s->batch_start = kith__seconds_now();
	return rc;
}
