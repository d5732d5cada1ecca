/* Full-text search across people, orgs and interaction notes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/search.h"

void kith_hit_list_free(kith_hit *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].snippet);
	}
	free(v);
}

/* One query over the three indexes, merged by bm25 rank.  Snippets come
 * from the column that matched best; [ ] mark the matched words. */
static const char search_sql[] =
	"SELECT * FROM ("
	" SELECT 0, f.rowid, p.display_name,"
	"  snippet(person_fts, -1, '[', ']', '…', 10), bm25(person_fts, 10.0, 2.0, 1.0)"
	"  FROM person_fts f JOIN person p ON p.id = f.rowid WHERE person_fts MATCH ?1"
	" UNION ALL"
	" SELECT 1, f.rowid, o.name,"
	"  snippet(org_fts, -1, '[', ']', '…', 10), bm25(org_fts, 10.0, 2.0, 1.0)"
	"  FROM org_fts f JOIN org o ON o.id = f.rowid WHERE org_fts MATCH ?1"
	" UNION ALL"
	" SELECT 2, f.rowid, i.kind || ' ' || strftime('%Y-%m-%d', i.at, 'unixepoch'),"
	"  snippet(interaction_fts, 0, '[', ']', '…', 10), bm25(interaction_fts)"
	"  FROM interaction_fts f JOIN interaction i ON i.id = f.rowid"
	"  WHERE interaction_fts MATCH ?1"
	") ORDER BY 5, 1, 2 LIMIT ?2";

int kith_search(kith_db *db, const char *query, size_t limit, kith_hit **out,
                size_t *n, kith_error *err)
{
	sqlite3_stmt *st = NULL;
	kith_hit *v = NULL;
	size_t cnt = 0, cap = 0;
	char *q = kith__fts_query(query ? query : "", NULL);
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if (!q)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!*q) {
		free(q);
		return kith_error_set(err, KITH_EINVAL, "nothing to search for");
	}
	rc = kith__prepare(db, search_sql, &st, err);
	if (rc)
		goto cleanup;
	kith__bind_text(st, 1, q);
	sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			oom = 1;
			break;
		}
		v[cnt].type = sqlite3_column_int(st, 0);
		v[cnt].id = sqlite3_column_int64(st, 1);
		v[cnt].title = kith__col_dup(st, 2, &oom);
		v[cnt].snippet = kith__col_dup(st, 3, &oom);
		v[cnt++].rank = sqlite3_column_double(st, 4);
	}
	if (oom)
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	else if (rc != SQLITE_DONE)
		rc = kith__sqlerr(db, rc, "search", err);
	else
		rc = KITH_OK;
cleanup:
	sqlite3_finalize(st);
	free(q);
	if (rc) {
		kith_hit_list_free(v, cnt);
		return rc;
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}
