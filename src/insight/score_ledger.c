/* Reciprocity (the favour ledger) and vouching. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score/score.h"

static int by_net(const void *pa, const void *pb)
{
	const kith_balance *a = pa, *b = pb;
	double na = fabs(a->given - a->received), nb = fabs(b->given - b->received);

	if (na != nb)
		return na < nb ? 1 : -1;
	return (a->person > b->person) - (a->person < b->person);
}

int kith_balance_list(kith_db *db, kith_id me, kith_balance **out, size_t *n,
                      kith_error *err)
{
	/* A favour to a group is shared among those who received it. */
	static const char sql[] =
		"SELECT o.person_id,"
		" sum(CASE WHEN i.giver = ?1 THEN i.value / (n.c - 1) ELSE 0 END),"
		" sum(CASE WHEN i.giver = o.person_id THEN i.value / (n.c - 1) ELSE 0 END),"
		" count(*)"
		" FROM interaction_person m"
		" JOIN interaction i ON i.id = m.interaction_id AND i.giver IS NOT NULL"
		" JOIN interaction_person o ON o.interaction_id = i.id AND o.person_id <> ?1"
		" JOIN (SELECT x.interaction_id, count(*) AS c FROM interaction_person x"
		"       JOIN interaction_person y ON y.interaction_id = x.interaction_id"
		"       WHERE y.person_id = ?1 GROUP BY x.interaction_id) n"
		"   ON n.interaction_id = i.id"
		" WHERE m.person_id = ?1 AND i.giver IN (?1, o.person_id)"
		" GROUP BY o.person_id";
	sqlite3_stmt *st;
	kith_balance *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = kith__person_exists(db, me, err)) || (rc = kith__prepare(db, sql, &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, me);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 32)) {
			sqlite3_finalize(st);
			free(v);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
		v[cnt].person = sqlite3_column_int64(st, 0);
		v[cnt].given = sqlite3_column_double(st, 1);
		v[cnt].received = sqlite3_column_double(st, 2);
		v[cnt++].favours = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return kith__sqlerr(db, rc, "balance", err);
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), by_net);
	*out = v;
	*n = cnt;
	return KITH_OK;
}

int kith_vouch_add(kith_db *db, kith_vouch *v, kith_error *err)
{
	sqlite3_stmt *st;
	char a[160], b[160];
	int rc;

	if (v->voucher == v->subject)
		return kith_error_set(err, KITH_EINVAL, "nobody can vouch for themselves");
	if ((rc = kith__person_exists(db, v->voucher, err)) ||
	    (rc = kith__person_exists(db, v->subject, err)))
		return rc;
	v->recorded_by = kith_me(db);
	v->created = kith_db_now(db);
	rc = kith__prepare(db, "INSERT INTO vouch(voucher, subject, notes, recorded_by, created)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5)", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, v->voucher);
	sqlite3_bind_int64(st, 2, v->subject);
	kith__bind_text(st, 3, v->notes);
	if (v->recorded_by)
		sqlite3_bind_int64(st, 4, v->recorded_by);
	sqlite3_bind_int64(st, 5, v->created);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		kith__person_label(db, v->voucher, a, sizeof(a));
		kith__person_label(db, v->subject, b, sizeof(b));
		return kith_error_set(err, KITH_EEXISTS, "%s already vouched for %s", a, b);
	}
	if (rc != SQLITE_DONE)
		return kith__sqlerr(db, rc, "vouch", err);
	v->id = sqlite3_last_insert_rowid(db->h);
	return KITH_OK;
}

int kith_vouch_remove(kith_db *db, kith_id voucher, kith_id subject, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "DELETE FROM vouch WHERE voucher = ?1 AND subject = ?2",
	                       &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, voucher);
	sqlite3_bind_int64(st, 2, subject);
	rc = kith__step_done(db, st, "remove vouch", err);
	sqlite3_finalize(st);
	if (!rc && sqlite3_changes(db->h) == 0) {
		char a[160], b[160];
		kith__person_label(db, voucher, a, sizeof(a));
		kith__person_label(db, subject, b, sizeof(b));
		return kith_error_set(err, KITH_ENOTFOUND, "%s has not vouched for %s", a, b);
	}
	return rc;
}

void kith_vouch_list_free(kith_vouch *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].notes);
	free(v);
}

int kith_vouch_list(kith_db *db, kith_id person, kith_vouch **out, size_t *n,
                    kith_error *err)
{
	sqlite3_stmt *st;
	kith_vouch *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	/* A person's vouches from their two indexes; all of them otherwise. */
	rc = kith__prepare(db, person ?
	                   "SELECT id, voucher, subject, coalesce(recorded_by, 0), notes,"
	                   " created FROM vouch WHERE voucher = ?1 OR subject = ?1"
	                   " ORDER BY created DESC, id DESC" :
	                   /* plan: scan -- every vouch of the network (kith vouch) */
	                   "SELECT id, voucher, subject, coalesce(recorded_by, 0), notes,"
	                   " created FROM vouch ORDER BY created DESC, id DESC", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person);
	while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 16)) {
			oom = 1;
			break;
		}
		v[cnt].id = sqlite3_column_int64(st, 0);
		v[cnt].voucher = sqlite3_column_int64(st, 1);
		v[cnt].subject = sqlite3_column_int64(st, 2);
		v[cnt].recorded_by = sqlite3_column_int64(st, 3);
		v[cnt].notes = kith__col_dup(st, 4, &oom);
		v[cnt++].created = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	if (oom || rc != SQLITE_DONE) {
		kith_vouch_list_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "list vouches", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}
