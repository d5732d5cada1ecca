/* Export: the walk over everyone, the format switch, CSV and JSON. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>

#include "export_impl.h"
#include "kith/json.h"

int kith_export_format_parse(const char *name)
{
	static const struct { const char *n; int f; } names[] = {
		{"vcard", KITH_EXPORT_VCARD}, {"vcf", KITH_EXPORT_VCARD},
		{"csv", KITH_EXPORT_CSV}, {"json", KITH_EXPORT_JSON},
		{"graphml", KITH_EXPORT_GRAPHML}, {"dot", KITH_EXPORT_DOT},
		{"gv", KITH_EXPORT_DOT}};

	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i].n) == 0)
			return names[i].f;
	return -1;
}

enum { X_PERSON, X_EMAIL, X_PHONE, X_TAG, X_JOB, X_UID, X_COUNT };

static const char *const walk_sql[X_COUNT] = {
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

/* --- CSV ------------------------------------------------------------- */

static const char *const csv_head[] = {KITH_CSV_HEAD};
#define NCOLS (sizeof(csv_head) / sizeof(csv_head[0]))

/* A cell a spreadsheet would take for a formula ("=HYPERLINK(...)",
 * "+1 555", "@SUM") gets a quote first, which spreadsheets read as "this
 * is text" and do not show; kith's import takes it away (csv.c). */
static void csv_cell(FILE *out, const char *s, int last)
{
	fputc('"', out);  /* as csv_fwrite quotes every cell */
	if (s && s[0] && strchr(KITH_CSV_QUOTED, s[0]))
		fputc('\'', out);
	for (const char *p = s; p && *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
	fputc(last ? '\n' : ',', out);
}

static char *joined(const kith_strv *sv)
{
	GString *g = g_string_new("");
	char *out;

	for (size_t i = 0; i < sv->n; i++)
		g_string_append_printf(g, "%s%s", i ? " ::: " : "", sv->v[i]);
	out = strdup(g->str);
	g_string_free(g, TRUE);
	return out;
}

static int csv_person(void *ctx, const kith__xperson *x, kith_error *err)
{
	FILE *out = ctx;
	const kith_person *p = x->p;
	char *emails = joined(&p->emails), *phones = joined(&p->phones);
	char *tags = joined(&p->tags), id[24];
	const kith_job *j = x->njobs && !x->jobs[0].to ? &x->jobs[0] : NULL;
	const char *cells[NCOLS] = {p->display_name, p->given_name, p->family_name,
		emails, phones, p->city, p->country, j ? j->org_name : NULL,
		j ? j->title : NULL, tags, p->notes, id};

	snprintf(id, sizeof(id), "%lld", (long long)p->id);
	if (emails && phones && tags)
		for (size_t i = 0; i < NCOLS; i++)
			csv_cell(out, cells[i], i + 1 == NCOLS);
	free(emails);
	free(phones);
	free(tags);
	if (!cells[3] || !cells[4] || !cells[9])
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return ferror(out) ? kith_error_set(err, KITH_EIO, "write error") : KITH_OK;
}

static int export_csv(kith_db *db, FILE *out, kith_error *err)
{
	for (size_t i = 0; i < NCOLS; i++)
		csv_cell(out, csv_head[i], i + 1 == NCOLS);
	return kith__export_people(db, csv_person, out, err);
}

/* --- JSON ------------------------------------------------------------ */

static int json_person(void *ctx, const kith__xperson *x, kith_error *err)
{
	json_t *people = ctx, *j = kith_person_json(x->p), *jobs = json_array();

	if (!j || !jobs) {
		json_decref(j);
		json_decref(jobs);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < x->njobs; i++)
		json_array_append_new(jobs, kith_job_json(&x->jobs[i]));
	json_object_set_new(j, "jobs", jobs);
	json_array_append_new(people, j);
	return KITH_OK;
}

static int export_json(kith_db *db, FILE *out, kith_error *err)
{
	json_t *root = json_object(), *people = json_array(), *orgs = json_array();
	json_t *links = json_array(), *its = json_array();
	kith_org **ov = NULL;
	kith_link *lv = NULL;
	kith_interaction *iv = NULL;
	size_t on = 0, ln = 0, in = 0;
	int rc = root && people && orgs && links && its ? KITH_OK
	         : kith_error_set(err, KITH_ENOMEM, "out of memory");

	if (!rc)
		rc = kith__export_people(db, json_person, people, err);
	if (!rc)
		rc = kith_org_list(db, 0, 0, &ov, &on, err);
	for (size_t i = 0; !rc && i < on; i++)
		json_array_append_new(orgs, kith_org_json(ov[i]));
	if (!rc)
		rc = kith_link_list(db, 0, &lv, &ln, err);
	for (size_t i = 0; !rc && i < ln; i++)
		json_array_append_new(links, kith_link_json(&lv[i]));
	if (!rc)
		rc = kith_interaction_list(db, NULL, &iv, &in, err);
	for (size_t i = 0; !rc && i < in; i++)
		json_array_append_new(its, kith_interaction_json(&iv[i]));
	if (!rc) {
		json_object_set_new(root, "format", json_string("kith"));
		json_object_set_new(root, "schema", json_integer(kith_schema_version()));
		json_object_set_new(root, "me", kith_me(db) ? json_integer(kith_me(db)) : json_null());
		json_object_set(root, "people", people);
		json_object_set(root, "orgs", orgs);
		json_object_set(root, "links", links);
		json_object_set(root, "interactions", its);
		if (json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
		               JSON_REAL_PRECISION(12)) != 0)
			rc = kith_error_set(err, KITH_EIO, "write error");
		fputc('\n', out);
	}
	kith_org_list_free(ov, on);
	kith_link_list_free(lv, ln);
	kith_interaction_list_free(iv, in);
	json_decref(people);
	json_decref(orgs);
	json_decref(links);
	json_decref(its);
	json_decref(root);
	return rc;
}

int kith_export(kith_db *db, int format, FILE *out, kith_error *err)
{
	sqlite3 *h = kith_db_sqlite(db);
	int own = sqlite3_get_autocommit(h), rc;

	/* A read transaction: one consistent moment, no write lock taken. */
	if (own && (rc = kith__exec(db, "BEGIN DEFERRED", "export", err)))
		return rc;
	switch (format) {
	case KITH_EXPORT_VCARD: rc = kith__export_vcard(db, out, err); break;
	case KITH_EXPORT_CSV: rc = export_csv(db, out, err); break;
	case KITH_EXPORT_JSON: rc = export_json(db, out, err); break;
	case KITH_EXPORT_GRAPHML: rc = kith__export_graphml(db, out, err); break;
	case KITH_EXPORT_DOT: rc = kith__export_dot(db, out, err); break;
	default: rc = kith_error_set(err, KITH_EINVAL, "unknown export format %d", format);
	}
	if (own)
		sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	if (!rc && (fflush(out) != 0 || ferror(out)))
		rc = kith_error_set(err, KITH_EIO, "write error");
	return rc;
}
