/* Export: the format switch and CSV (the walk over everyone is people.c,
 * JSON is json.c). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>

#include "export_impl.h"
#include "kith/json.h"
#include "kith/person.h"
#include "kith/org.h"

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
	case KITH_EXPORT_JSON: rc = kith__export_json(db, out, err); break;
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
