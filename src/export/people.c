/* Export, the bottom: every person the handle sees, with their lists and
 * jobs, walked in id order for the writers (export.c's CSV and JSON,
 * vcard_out.c, graph_out.c). */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "export_impl.h"
#include "kith/person.h"
#include "kith/org.h"

enum { X_PERSON, X_EMAIL, X_PHONE, X_TAG, X_JOB, X_UID, X_COUNT };


static const char *const walk_sql[X_COUNT] = {
	/* plan: scan -- whole-network export */
	[X_PERSON] = "SELECT id, display_name, given_name, family_name, city, country,"
	             " notes, created, updated FROM person ORDER BY id",
	[X_EMAIL] = "SELECT email FROM person_email WHERE person_id = ?1 ORDER BY pos",
	[X_PHONE] = "SELECT phone FROM person_phone WHERE person_id = ?1 ORDER BY pos",
	[X_TAG] = "SELECT tag FROM person_tag WHERE person_id = ?1 ORDER BY tag",
	[X_JOB] = "SELECT j.id, j.org_id, o.name, j.title, j.date_from, j.date_to"
	          " FROM job j JOIN org o ON o.id = j.org_id WHERE j.person_id = ?1"
	          " ORDER BY j.date_to IS NOT NULL, j.date_from DESC, j.id",
	[X_UID] = "SELECT key FROM import_source WHERE kind = 'vcard' AND person_id = ?1"
	          " ORDER BY imported LIMIT 1",
};

static int load_list(sqlite3_stmt *st, kith_id id, kith_strv *sv)
{
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int oom = 0;
		char *s = kith__col_dup(st, 0, &oom);  /* UTF-8 even if stored not */
		if (oom || (s && kith_strv_push(sv, s))) {
			free(s);
			return KITH_ENOMEM;
		}
		free(s);
	}
	return rc == SQLITE_DONE ? KITH_OK : rc;
}

static int load_jobs(sqlite3_stmt *st, kith_id id, kith_job **jobs, size_t *n)
{
	size_t cap = 0;
	int rc, oom = 0;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !oom) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			kith_job *v = realloc(*jobs, ncap * sizeof(*v));
			if (!v)
				return KITH_ENOMEM;
			*jobs = v;
			cap = ncap;
		}
		kith_job *j = &(*jobs)[(*n)++];
		memset(j, 0, sizeof(*j));
		j->id = sqlite3_column_int64(st, 0);
		j->person = id;
		j->org = sqlite3_column_int64(st, 1);
		j->org_name = kith__col_dup(st, 2, &oom);
		j->title = kith__col_dup(st, 3, &oom);
		j->from = kith__col_dup(st, 4, &oom);
		j->to = kith__col_dup(st, 5, &oom);
	}
	if (oom)
		return KITH_ENOMEM;
	return rc == SQLITE_DONE ? KITH_OK : rc;
}

int kith__export_people(kith_db *db, kith__person_fn fn, void *ctx, kith_error *err)
{
	sqlite3_stmt *st[X_COUNT] = {0};
	int rc = KITH_OK, step;

	for (int i = 0; !rc && i < X_COUNT; i++)
		rc = kith__prepare(db, walk_sql[i], &st[i], err);
	while (!rc && (step = sqlite3_step(st[X_PERSON])) == SQLITE_ROW) {
		kith_person p = {0};
		kith_job *jobs = NULL;
		size_t njobs = 0;
		char uid[64];
		int oom = 0;
		sqlite3_stmt *ps = st[X_PERSON];
		p.id = sqlite3_column_int64(ps, 0);
		p.display_name = kith__col_dup(ps, 1, &oom);
		p.given_name = kith__col_dup(ps, 2, &oom);
		p.family_name = kith__col_dup(ps, 3, &oom);
		p.city = kith__col_dup(ps, 4, &oom);
		p.country = kith__col_dup(ps, 5, &oom);
		p.notes = kith__col_dup(ps, 6, &oom);
		p.created = sqlite3_column_int64(ps, 7);
		p.updated = sqlite3_column_int64(ps, 8);
		rc = oom ? KITH_ENOMEM : KITH_OK;
		if (!rc)
			rc = load_list(st[X_EMAIL], p.id, &p.emails);
		if (!rc)
			rc = load_list(st[X_PHONE], p.id, &p.phones);
		if (!rc)
			rc = load_list(st[X_TAG], p.id, &p.tags);
		if (!rc)
			rc = load_jobs(st[X_JOB], p.id, &jobs, &njobs);
		if (!rc) {
			/* A card that came with a UID goes back out with it; others get
			 * one made from what identifies them in this database. */
			sqlite3_reset(st[X_UID]);
			sqlite3_bind_int64(st[X_UID], 1, p.id);
			if (sqlite3_step(st[X_UID]) == SQLITE_ROW)
				snprintf(uid, sizeof(uid), "%s", sqlite3_column_text(st[X_UID], 0));
			else {
				char seed[96], hex[33];
				snprintf(seed, sizeof(seed), "kith:%lld:%lld", (long long)p.id,
				         (long long)p.created);
				gchar *h = g_compute_checksum_for_string(G_CHECKSUM_MD5, seed, -1);
				snprintf(hex, sizeof(hex), "%s", h ? h : "");
				g_free(h);
				snprintf(uid, sizeof(uid), "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s",
				         hex, hex + 8, hex + 12, hex + 16, hex + 20);
			}
			kith__xperson x = {.p = &p, .jobs = jobs, .njobs = njobs, .uid = uid};
			rc = fn(ctx, &x, err);
		} else if (rc == KITH_ENOMEM) {
			rc = kith_error_set(err, rc, "out of memory");
		} else {
			rc = kith__sqlerr(db, rc, "export", err);
		}
		kith_person_clear(&p);
		kith_job_list_free(jobs, njobs);
	}
	if (!rc && step != SQLITE_DONE)
		rc = kith__sqlerr(db, step, "export", err);
	for (int i = 0; i < X_COUNT; i++)
		sqlite3_finalize(st[i]);
	return rc;
}
