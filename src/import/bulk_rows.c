/*
 * Capture, the interactions of a bulk import (bulk.c): written by batches
 * rather than one statement per row.  An interaction, its source key and
 * its people were three statements per message, each with its own setup
 * and, for the AUTOINCREMENT table, a read and a write of its sequence.
 * Here the interactions and their keys wait in memory, a batch at a
 * time, and go in with one INSERT ... SELECT each (src/store/feed.c); their ids are
 * the ones AUTOINCREMENT would have given, assigned in the same order.
 * Their people wait until the end: each row of them is an insert at a
 * random place of the person index, so when the import is big next to
 * the table the index is dropped and built again, one sort.  Nothing an
 * import does reads these rows before they are written, except the
 * source keys, which kith__rows_pending answers from memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "store/feed.h"
#include "session.h"
#include "kith/interaction.h"

#define BATCH 4096  /* interactions per INSERT */

/* An interaction not written yet, and the source key that names it. */
typedef struct pend {
	kith_id id, owner, initiator;
	int64_t at, created;
	int priv;
	char *kind, *notes;    /* owned */
	char *key;             /* owned; NULL: none */
	int replace;           /* the key is stored already */
	char digest[33];
} pend;

struct kith__rows {
	kith_id next;          /* the id the next interaction gets */
	kith_id last_old;      /* highest interaction id before the import */
	int64_t written;       /* interactions written */
	pend v[BATCH];
	size_t n;
	GHashTable *keys;      /* key of v[i] -> &v[i] */
	int64_t *parts;        /* (interaction, person) rows, in key order */
	size_t nparts, capparts;  /* ... counted in rows */
};

void kith__rows_free(kith__rows *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].kind);
		free(r->v[i].notes);
		free(r->v[i].key);
	}
	if (r->keys)
		g_hash_table_destroy(r->keys);
	free(r->parts);
	free(r);
}

int kith__rows_new(kith__isess *s, kith_id last_old, kith__rows **out,
                   kith_error *err)
{
	kith__rows *r = calloc(1, sizeof(*r));
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (!r)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	/* AUTOINCREMENT's next id: past every id ever given. */
	rc = kith__prepare(s->db, "SELECT max(?1, coalesce((SELECT seq FROM"
	                   " sqlite_sequence WHERE name = 'interaction'), 0))", &st, err);
	if (rc) {
		free(r);
		return rc;
	}
	sqlite3_bind_int64(st, 1, last_old);
	rc = sqlite3_step(st);
	r->next = (rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0) + 1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		free(r);
		return kith__sqlerr(s->db, rc, "import", err);
	}
	r->last_old = last_old;
	r->keys = g_hash_table_new(g_str_hash, g_str_equal);
	*out = r;
	return KITH_OK;
}

/* Column col of (interaction, person) row i. */
static void part_column(const void *data, size_t i, int col, sqlite3_context *ctx)
{
	sqlite3_result_int64(ctx, ((const int64_t *)data)[2 * i + (size_t)col]);
}

static void id_or_null(sqlite3_context *ctx, kith_id id)
{
	if (id)
		sqlite3_result_int64(ctx, id);
	else
		sqlite3_result_null(ctx);
}

/* The columns of interaction, as S_IT_INS writes them. */
static void it_column(const void *data, size_t i, int col, sqlite3_context *ctx)
{
	const pend *p = &((const pend *)data)[i];

	switch (col) {
	case 0: sqlite3_result_int64(ctx, p->id); break;
	case 1: sqlite3_result_int64(ctx, p->at); break;
	case 2: sqlite3_result_text(ctx, p->kind, -1, SQLITE_STATIC); break;
	case 3:
		if (p->notes)
			sqlite3_result_text(ctx, p->notes, -1, SQLITE_STATIC);
		else
			sqlite3_result_null(ctx);
		break;
	case 4: sqlite3_result_int64(ctx, p->created); break;
	case 5: id_or_null(ctx, p->initiator); break;
	case 6: id_or_null(ctx, p->owner); break;
	default: sqlite3_result_int(ctx, p->priv); break;
	}
}

/* The columns of import_source for the pending rows that have a key;
 * data is an array of them (pend *). */
static void src_column(const void *data, size_t i, int col, sqlite3_context *ctx)
{
	const pend *p = ((const pend *const *)data)[i];

	if (col == 0)
		sqlite3_result_text(ctx, p->key, -1, SQLITE_STATIC);
	else if (col == 1)
		sqlite3_result_int64(ctx, p->id);
	else
		sqlite3_result_text(ctx, p->digest, -1, SQLITE_STATIC);
}

/* Writes the source keys of the waiting interactions that have one and
 * whose replace flag is replace: new ones with OR FAIL (REPLACE would look
 * for a row to delete first), known ones with OR REPLACE. */
static int write_keys(kith__isess *s, kith__rows *r, int replace, kith_error *err)
{
	pend **keyed = malloc(r->n * sizeof(*keyed));
	kith__rows_feed f;
	size_t nk = 0;
	char *sql;
	int rc;

	if (!keyed)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].key && r->v[i].replace == replace)
			keyed[nk++] = &r->v[i];
	if (!nk) {
		free(keyed);
		return KITH_OK;
	}
	/* A member's keys as S_SRC_PUT writes them (import.c): theirs, and
	 * replaced, since one may name what they no longer see. */
	sql = sqlite3_mprintf("INSERT OR %s INTO import_source(kind, key, person_id,"
	                      " interaction_id, digest, imported, scope) SELECT %Q, c0, NULL,"
	                      " c1, c2, %lld, %lld FROM kith_feed",
	                      replace || s->viewer ? "REPLACE" : "FAIL",
	                      s->kind, (long long)s->now, (long long)s->viewer);
	kith__rows_feed_init(&f, nk, 3, src_column, keyed);
	rc = sql ? kith__feed_exec(s->db, sql, &f.base, "import", err)
	         : kith_error_set(err, KITH_ENOMEM, "out of memory");
	sqlite3_free(sql);
	free(keyed);
	return rc;
}

/* Writes the waiting interactions and their source keys. */
static int flush(kith__isess *s, kith__rows *r, kith_error *err)
{
	/* OR FAIL, as the strength recompute does: no statement journal; a
	 * failure rolls the whole import back anyway. */
	kith__rows_feed f;
	int rc = KITH_OK;

	if (!r->n)
		return KITH_OK;
	kith__rows_feed_init(&f, r->n, 8, it_column, r->v);
	rc = kith__feed_exec(s->db, "INSERT OR FAIL INTO interaction(id, at, kind,"
	                     " notes, giver, value, created, initiator, owner, private)"
	                     " SELECT c0, c1, c2, c3, NULL, NULL, c4, c5, c6, c7"
	                     " FROM kith_feed", &f.base, "add interaction", err);
	if (!rc)
		rc = write_keys(s, r, 0, err);
	if (!rc)
		rc = write_keys(s, r, 1, err);
	g_hash_table_remove_all(r->keys);
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].kind);
		free(r->v[i].notes);
		free(r->v[i].key);
	}
	r->written += (int64_t)r->n;
	r->n = 0;
	return rc;
}

/* Keeps the interaction_person rows of interaction it (people borrowed). */
static int keep_parts(kith__rows *r, kith_id it, const kith_idv *people,
                      kith_error *err)
{
	size_t first = r->nparts;

	if (r->capparts - r->nparts < people->n) {
		size_t cap = r->capparts ? r->capparts * 2 : 4096;
		int64_t *v;
		while (cap - r->nparts < people->n)
			cap *= 2;
		if (!(v = realloc(r->parts, cap * 2 * sizeof(*v))))
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		r->parts = v;
		r->capparts = cap;
	}
	/* Interactions come in id order; their people are put in order
	 * here, so the rows reach the table in its key's order. */
	for (size_t i = 0; i < people->n; i++) {
		size_t j = r->nparts++;
		while (j > first && r->parts[2 * j - 1] > people->v[i]) {
			r->parts[2 * j] = r->parts[2 * j - 2];
			r->parts[2 * j + 1] = r->parts[2 * j - 1];
			j--;
		}
		r->parts[2 * j] = it;
		r->parts[2 * j + 1] = people->v[i];
	}
	return KITH_OK;
}

int kith__rows_interaction(kith__isess *s, kith__rows *r, kith_interaction *it,
                           kith_id owner, int priv, kith_error *err)
{
	pend *p;
	int rc;

	if (r->n == BATCH && (rc = flush(s, r, err)))
		return rc;
	p = &r->v[r->n];
	memset(p, 0, sizeof(*p));
	if (!(p->kind = strdup(it->kind)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (it->notes && !(p->notes = strdup(it->notes))) {
		free(p->kind);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	if ((rc = keep_parts(r, r->next, &it->people, err))) {
		free(p->kind);
		free(p->notes);
		return rc;
	}
	it->id = p->id = r->next++;
	p->at = it->at;
	p->created = it->created;
	p->initiator = it->initiator;
	p->owner = owner;
	p->priv = priv;
	r->n++;
	return KITH_OK;
}

int kith__rows_source(kith__rows *r, const char *key, kith_id interaction,
                      const char *digest, int replace, kith_error *err)
{
	pend *p = r->n ? &r->v[r->n - 1] : NULL;

	/* Only the interaction just kept can be named: events.c puts its key
	 * right after storing it. */
	if (!p || p->id != interaction || p->key)
		return kith_error_set(err, KITH_EINTERNAL, "source key of an unknown interaction");
	if (!(p->key = strdup(key)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	snprintf(p->digest, sizeof(p->digest), "%s", digest);
	p->replace = replace;
	g_hash_table_insert(r->keys, p->key, p);
	return KITH_OK;
}

int kith__rows_pending(const kith__rows *r, const char *key, kith_id *interaction,
                       char digest[33])
{
	const pend *p = g_hash_table_lookup(r->keys, key);

	if (!p)
		return 0;
	*interaction = p->id;
	snprintf(digest, 33, "%s", p->digest);
	return 1;
}

/* The SQL of index interaction_person_p as the schema holds it, or NULL
 * (no such index: nothing to rebuild); *sql is sqlite3_free'd. */
static int person_index_sql(kith__isess *s, char **sql, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(s->db, "SELECT sql FROM main.sqlite_schema WHERE"
	                       " type = 'index' AND name = 'interaction_person_p'"
	                       " AND tbl_name = 'interaction_person'", &st, err);

	*sql = NULL;
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    !(*sql = sqlite3_mprintf("%s", sqlite3_column_text(st, 0)))) {
		sqlite3_finalize(st);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	       : kith__sqlerr(s->db, rc, "import", err);
}

static int pragma_int(sqlite3 *h, const char *sql, int dflt)
{
	sqlite3_stmt *st;
	int v = dflt;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* Builds the index (sql) with a small cache and two threads.  SQLite's
 * sorter keeps up to the cache size in one run before it sorts: with the
 * import's 256 MiB cache, three million rows were one big sort that
 * missed the CPU caches (4.5 s); with 4 MiB runs, sorted on two threads
 * (the reader's core is idle by now) and merged, it took 1.9 s.  Both
 * settings are put back, whatever happens; they are hints, so failing
 * to set them costs only speed. */
static int build_index(kith__isess *s, const char *sql, kith_error *err)
{
	sqlite3 *h = kith_db_sqlite(s->db);
	int cache = pragma_int(h, "PRAGMA cache_size", -2000);
	int threads = pragma_int(h, "PRAGMA threads", 0);
	char set[64];
	int rc;

	sqlite3_exec(h, "PRAGMA cache_size = -4096", NULL, NULL, NULL);
	sqlite3_exec(h, "PRAGMA threads = 2", NULL, NULL, NULL);
	rc = kith__exec(s->db, sql, "import", err);
	snprintf(set, sizeof(set), "PRAGMA cache_size = %d", cache);
	sqlite3_exec(h, set, NULL, NULL, NULL);
	snprintf(set, sizeof(set), "PRAGMA threads = %d", threads);
	sqlite3_exec(h, set, NULL, NULL, NULL);
	return rc;
}

/* Writes the interaction_person rows.  When the import brings at least
 * half as many rows as the table held (estimated from the ids:
 * interactions before times people per interaction now), the person
 * index is dropped and built again, which sorts once, instead of taking
 * each row at a random place. */
static int write_parts(kith__isess *s, kith__rows *r, kith_error *err)
{
	double per = r->written ? (double)r->nparts / (double)r->written : 0;
	kith__rows_feed f;
	char *index = NULL;
	int rc = KITH_OK;

	if (!r->nparts)
		return KITH_OK;
	if ((double)r->last_old * per <= 2.0 * (double)r->nparts) {
		rc = person_index_sql(s, &index, err);
		if (!rc && index)
			rc = kith__exec(s->db, "DROP INDEX main.interaction_person_p", "import", err);
		if (rc) {
			sqlite3_free(index);
			return rc;
		}
	}
	kith__rows_feed_init(&f, r->nparts, 2, part_column, r->parts);
	rc = kith__feed_exec(s->db, "INSERT OR FAIL INTO interaction_person"
	                     "(interaction_id, person_id) SELECT c0, c1 FROM kith_feed",
	                     &f.base, "add interaction", err);
	if (!rc && index)
		rc = build_index(s, index, err);
	sqlite3_free(index);
	r->nparts = 0;
	return rc;
}

int kith__rows_finish(kith__isess *s, kith__rows *r, kith_error *err)
{
	int rc = flush(s, r, err);

	return rc ? rc : write_parts(s, r, err);
}
