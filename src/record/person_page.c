/* A page of people for a front-end's list: the filters of the list plus
 * name words, former employers, privacy and a set of ids with a value to
 * filter and sort on (strengths, computed above this layer), with the
 * total.  One SELECT per page and one count, both on indexes or on the
 * given set; the caller reads each row with kith_person_get. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/person.h"

/* The set (ids, values) as a JSON array of [id, value] for json_each. */
static char *pairs_json(const kith_person_query *q)
{
	size_t cap = 16 + q->nset * 40, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[len++] = '[';
	for (size_t i = 0; i < q->nset; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s[%lld,%.17g]", i ? "," : "",
		                        (long long)q->set[i], q->values ? q->values[i] : 0.0);
	snprintf(s + len, cap - len, "]");
	return s;
}

static const char *const sort_sql[] = {
	[KITH_PERSON_SORT_NAME] = "p.display_name COLLATE NOCASE",
	[KITH_PERSON_SORT_CREATED] = "p.created",
	[KITH_PERSON_SORT_UPDATED] = "p.updated",
	[KITH_PERSON_SORT_VALUE] = "coalesce(v.value, 0)",
};

/* FROM and WHERE of q; binds go in the order of the '?'s, listed in
 * bind_plan. */
static int where_sql(const kith_person_query *q, char *buf, size_t sz)
{
	int join = q->set_only || q->ranged || q->sort == KITH_PERSON_SORT_VALUE;

	return snprintf(buf, sz,
		" FROM person p%s%s"
		" WHERE 1%s%s%s%s%s%s%s%s",
		join ? (q->set_only ? " JOIN" : " LEFT JOIN") : "",
		join ? " (SELECT json_extract(value, '$[0]') AS id,"
		       " json_extract(value, '$[1]') AS value FROM json_each(?1)) v ON v.id = p.id" : "",
		q->words ? " AND p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?2)" : "",
		q->tag ? " AND EXISTS (SELECT 1 FROM person_tag t WHERE t.person_id = p.id"
		         " AND t.tag = lower(?3))" : "",
		q->city ? " AND p.city = ?4 COLLATE NOCASE" : "",
		q->country ? " AND p.country = ?5 COLLATE NOCASE" : "",
		q->org ? " AND EXISTS (SELECT 1 FROM job j WHERE j.person_id = p.id"
		         " AND j.org_id = ?6 AND j.date_to IS NULL)" : "",
		q->former_org ? " AND EXISTS (SELECT 1 FROM job j WHERE j.person_id = p.id"
		                " AND j.org_id = ?7 AND j.date_to IS NOT NULL)" : "",
		q->visibility == KITH_PERSON_PRIVATE ? " AND p.private" :
		q->visibility == KITH_PERSON_TEAM ? " AND NOT p.private" : "",
		q->ranged ? " AND coalesce(v.value, 0) BETWEEN ?8 AND ?9" : "") >= (int)sz;
}

static void bind_all(sqlite3_stmt *st, const kith_person_query *q, const char *pairs,
                     const char *words)
{
	if (pairs)
		kith__bind_text(st, 1, pairs);
	if (words)
		kith__bind_text(st, 2, words);
	if (q->tag)
		kith__bind_text(st, 3, q->tag);
	if (q->city)
		kith__bind_text(st, 4, q->city);
	if (q->country)
		kith__bind_text(st, 5, q->country);
	if (q->org)
		sqlite3_bind_int64(st, 6, q->org);
	if (q->former_org)
		sqlite3_bind_int64(st, 7, q->former_org);
	sqlite3_bind_double(st, 8, q->min_value);
	sqlite3_bind_double(st, 9, q->max_value);
}

int kith_person_page(kith_db *db, const kith_person_query *q, kith_id **ids, size_t *n,
                     int64_t *total, kith_error *err)
{
	char where[1400], sql[1800];
	char *pairs = NULL, *words = NULL;
	sqlite3_stmt *st = NULL;
	kith_idv out = {0};
	int rc = KITH_OK;

	*ids = NULL;
	*n = 0;
	*total = 0;
	if (q->sort < 0 || q->sort > KITH_PERSON_SORT_VALUE)
		return kith_error_set(err, KITH_EINVAL, "unknown sort order");
	if (q->ranged && q->min_value > q->max_value)
		return kith_error_set(err, KITH_EINVAL, "the lower bound is above the upper one");
	if ((q->set_only || q->ranged || q->sort == KITH_PERSON_SORT_VALUE) && !(pairs = pairs_json(q)))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (q->words) {
		if (!(words = kith__fts_query(q->words, "name"))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto done;
		}
		if (!*words)  /* nothing to match on: punctuation only */
			goto done;
	}
	kith_person_query qq = *q;
	qq.words = words;
	if (where_sql(&qq, where, sizeof(where))) {
		rc = kith_error_set(err, KITH_EINTERNAL, "person query too long");
		goto done;
	}
	snprintf(sql, sizeof(sql), "SELECT count(*)%s", where);
	if ((rc = kith__prepare(db, sql, &st, err)))
		goto done;
	bind_all(st, &qq, pairs, words);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW ? KITH_OK : kith__sqlerr(db, rc, "count people", err);
	sqlite3_finalize(st);
	st = NULL;
	if (rc || !q->limit || (int64_t)q->offset >= *total)
		goto done;
	snprintf(sql, sizeof(sql), "SELECT p.id%s ORDER BY %s %s, p.display_name COLLATE NOCASE,"
	         " p.id LIMIT %zu OFFSET %zu", where, sort_sql[q->sort], q->desc ? "DESC" : "ASC",
	         q->limit, q->offset);
	if ((rc = kith__prepare(db, sql, &st, err)))
		goto done;
	bind_all(st, &qq, pairs, words);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (kith_idv_push(&out, sqlite3_column_int64(st, 0))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto done;
		}
	rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "list people", err);
done:
	sqlite3_finalize(st);
	free(pairs);
	free(words);
	if (rc) {
		kith_idv_clear(&out);
		*total = 0;
		return rc;
	}
	*ids = out.v;
	*n = out.n;
	return KITH_OK;
}
