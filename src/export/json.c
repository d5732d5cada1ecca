/*
 * Export as JSON: everything the handle sees, in the form kith import
 * reads back (src/import/json.c; docs/export-json.md has the format).
 *
 * Each section is a query and a list of typed columns, so a field is
 * written by one table row here and nowhere else.  Every name is
 * unqualified: on a member's handle the visibility views answer
 * (src/store/visibility.c), and another member's private records are not
 * there to be written, counted or referred to.  Tables no view filters
 * (kinds, settings, members) hold nothing private; a member's person is
 * named only when the viewer sees that person.
 */
#include <stdlib.h>
#include <string.h>

#include "export_impl.h"
#include "kith/json.h"
#include "store/backup.h"

/* The format's version: raise it when a reader of the old one would
 * misread the new (a field changing meaning), not when one is added. */
#define EXPORT_JSON_VERSION 1

enum { C_INT, C_REAL, C_TEXT, C_BOOL, C_TIME, C_LIST, C_ROWS };

typedef struct xsec xsec;
typedef struct xcol {
	const char *key;
	int type;
	const xsec *child;  /* C_LIST (first column of each row), C_ROWS */
} xcol;

struct xsec {
	const char *key;
	const char *sql;    /* children: ?1 is the parent row's first column */
	const xcol *cols;
	size_t ncols;
};

#define N(a) (sizeof(a) / sizeof(a[0]))
#define T(c) "strftime('%Y-%m-%dT%H:%M:%SZ', " c ", 'unixepoch')"
/* A person named in passing (who asserted a link, recorded a vouch, gave a
 * favour): null unless the reader sees them, as a missing person would be. */
#define VISIBLE(c) "(SELECT v.id FROM person v WHERE v.id = " c ")"

static const xcol one_col[] = {{"", C_TEXT, NULL}};
static const xcol one_id[] = {{"", C_INT, NULL}};

static const xsec emails = {"emails", "SELECT email FROM person_email WHERE person_id = ?1"
	" ORDER BY pos", one_col, 1};
static const xsec phones = {"phones", "SELECT phone FROM person_phone WHERE person_id = ?1"
	" ORDER BY pos", one_col, 1};
static const xsec tags = {"tags", "SELECT tag FROM person_tag WHERE person_id = ?1"
	" ORDER BY tag", one_col, 1};
static const xsec participants = {"people", "SELECT person_id FROM interaction_person"
	" WHERE interaction_id = ?1 ORDER BY person_id", one_id, 1};

static const xcol job_cols[] = {
	{"id", C_INT, NULL}, {"person", C_INT, NULL}, {"org", C_INT, NULL},
	{"org_name", C_TEXT, NULL}, {"title", C_TEXT, NULL}, {"from", C_TEXT, NULL},
	{"to", C_TEXT, NULL}, {"current", C_BOOL, NULL}, {"created", C_TIME, NULL}};
static const xsec jobs = {"jobs",
	"SELECT j.id, j.person_id, j.org_id, o.name, j.title, j.date_from, j.date_to,"
	" j.date_to IS NULL, " T("j.created") " FROM job j JOIN org o ON o.id = j.org_id"
	" WHERE j.person_id = ?1 ORDER BY j.date_to IS NOT NULL, j.date_from DESC, j.id",
	job_cols, N(job_cols)};

static const xcol person_cols[] = {
	{"id", C_INT, NULL}, {"name", C_TEXT, NULL}, {"given_name", C_TEXT, NULL},
	{"family_name", C_TEXT, NULL}, {"emails", C_LIST, &emails},
	{"phones", C_LIST, &phones}, {"city", C_TEXT, NULL}, {"country", C_TEXT, NULL},
	{"tags", C_LIST, &tags}, {"notes", C_TEXT, NULL}, {"created", C_TIME, NULL},
	{"updated", C_TIME, NULL}, {"owner", C_INT, NULL}, {"private", C_BOOL, NULL},
	{"cadence_days", C_INT, NULL}, {"card_extra", C_TEXT, NULL},
	{"jobs", C_ROWS, &jobs}};
static const xcol org_cols[] = {
	{"id", C_INT, NULL}, {"name", C_TEXT, NULL}, {"domain", C_TEXT, NULL},
	{"city", C_TEXT, NULL}, {"country", C_TEXT, NULL}, {"notes", C_TEXT, NULL},
	{"created", C_TIME, NULL}, {"updated", C_TIME, NULL}, {"owner", C_INT, NULL},
	{"private", C_BOOL, NULL}};
static const xcol link_cols[] = {
	{"id", C_INT, NULL}, {"a", C_INT, NULL}, {"b", C_INT, NULL}, {"kind", C_TEXT, NULL},
	{"since", C_TEXT, NULL}, {"trust", C_REAL, NULL}, {"notes", C_TEXT, NULL},
	{"asserted_by", C_INT, NULL}, {"created", C_TIME, NULL}, {"updated", C_TIME, NULL},
	{"owner", C_INT, NULL}, {"private", C_BOOL, NULL}};
static const xcol interaction_cols[] = {
	{"id", C_INT, NULL}, {"at", C_TIME, NULL}, {"kind", C_TEXT, NULL},
	{"notes", C_TEXT, NULL}, {"people", C_LIST, &participants},
	{"initiator", C_INT, NULL}, {"giver", C_INT, NULL}, {"value", C_REAL, NULL},
	{"created", C_TIME, NULL}, {"owner", C_INT, NULL}, {"private", C_BOOL, NULL}};
static const xcol note_cols[] = {
	{"id", C_INT, NULL}, {"person", C_INT, NULL}, {"body", C_TEXT, NULL},
	{"created", C_TIME, NULL}, {"owner", C_INT, NULL}, {"private", C_BOOL, NULL}};
static const xcol vouch_cols[] = {
	{"id", C_INT, NULL}, {"voucher", C_INT, NULL}, {"subject", C_INT, NULL},
	{"notes", C_TEXT, NULL}, {"recorded_by", C_INT, NULL}, {"created", C_TIME, NULL}};
/* A request's chain is stored as "1,2,3": as JSON, a list of people. */
static const xsec chain = {"chain", "SELECT value FROM json_each((SELECT '[' || chain || ']'"
	" FROM intro_request WHERE id = ?1)) ORDER BY key", one_id, 1};
static const xcol intro_request_cols[] = {
	{"id", C_INT, NULL}, {"asker", C_INT, NULL}, {"asked", C_INT, NULL},
	{"target", C_INT, NULL}, {"chain", C_LIST, &chain}, {"strength", C_REAL, NULL},
	{"note", C_TEXT, NULL}, {"status", C_TEXT, NULL}, {"outcome", C_TEXT, NULL},
	{"asked_at", C_TIME, NULL}, {"answered_at", C_TIME, NULL}, {"made_at", C_TIME, NULL},
	{"outcome_at", C_TIME, NULL}, {"interaction", C_INT, NULL}, {"favour", C_INT, NULL}};
static const xcol member_cols[] = {
	{"id", C_INT, NULL}, {"name", C_TEXT, NULL}, {"person", C_INT, NULL},
	{"created", C_TIME, NULL}};
static const xcol link_kind_cols[] = {
	{"name", C_TEXT, NULL}, {"description", C_TEXT, NULL}, {"directed", C_BOOL, NULL}};
static const xcol interaction_kind_cols[] = {
	{"name", C_TEXT, NULL}, {"description", C_TEXT, NULL}, {"weight", C_REAL, NULL}};
static const xcol orbit_cols[] = {{"orbit", C_INT, NULL}, {"days", C_INT, NULL}};
static const xcol config_cols[] = {{"key", C_TEXT, NULL}, {"value", C_TEXT, NULL}};

/* In the order a reader needs them: what records refer to comes first. */
static const xsec sections[] = {
	{"config", "SELECT key, value FROM config WHERE key NOT IN " KITH__CONFIG_INTERNAL " ORDER BY key",
	 config_cols, N(config_cols)},
	{"orbit_cadences", "SELECT orbit, days FROM orbit_cadence ORDER BY orbit",
	 orbit_cols, N(orbit_cols)},
	{"link_kinds", "SELECT name, description, directed FROM link_kind ORDER BY name",
	 link_kind_cols, N(link_kind_cols)},
	{"interaction_kinds", "SELECT name, description, weight FROM interaction_kind"
	 " ORDER BY name", interaction_kind_cols, N(interaction_kind_cols)},
	{"members", "SELECT m.id, m.name, (SELECT p.id FROM person p WHERE p.id = m.person_id), "
	 T("m.created") " FROM member m ORDER BY m.id", member_cols, N(member_cols)},
	{"people", "SELECT p.id, p.display_name, p.given_name, p.family_name, p.city,"
	 " p.country, p.notes, " T("p.created") ", " T("p.updated") ", p.owner, p.private,"
	 " (SELECT days FROM person_cadence c WHERE c.person_id = p.id),"
	 " (SELECT lines FROM card_extra x WHERE x.person_id = p.id)"
	 " FROM person p ORDER BY p.id", person_cols, N(person_cols)},
	{"orgs", "SELECT id, name, domain, city, country, notes, " T("created") ", "
	 T("updated") ", owner, private FROM org ORDER BY id", org_cols, N(org_cols)},
	{"links", "SELECT id, a, b, kind, since, trust, notes, " VISIBLE("asserted_by") ", "
	 T("created") ", "
	 T("updated") ", owner, private FROM link ORDER BY id", link_cols, N(link_cols)},
	{"interactions", "SELECT id, " T("at") ", kind, notes, " VISIBLE("initiator") ", "
	 VISIBLE("giver") ", value, "
	 T("created") ", owner, private FROM interaction ORDER BY id",
	 interaction_cols, N(interaction_cols)},
	{"notes", "SELECT id, person_id, body, " T("created") ", owner, private FROM note"
	 " ORDER BY id", note_cols, N(note_cols)},
	{"vouches", "SELECT id, voucher, subject, notes, " VISIBLE("recorded_by") ", " T("created")
	 " FROM vouch ORDER BY id", vouch_cols, N(vouch_cols)},
	/* On a member's handle, only the requests they are party to (the
	 * view); the interactions it logged are named while visible. */
	{"intro_requests", "SELECT id, asker, asked, target, strength, note, status, outcome, "
	 T("asked_at") ", " T("answered_at") ", " T("made_at") ", " T("outcome_at") ", "
	 "(SELECT i.id FROM interaction i WHERE i.id = r.interaction_id), "
	 "(SELECT i.id FROM interaction i WHERE i.id = r.favour_id)"
	 " FROM intro_request r ORDER BY id", intro_request_cols, N(intro_request_cols)},
};

static json_t *value(sqlite3_stmt *st, int i, int type)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return type == C_BOOL ? json_false() : json_null();
	switch (type) {
	case C_INT: return json_integer(sqlite3_column_int64(st, i));
	case C_REAL: return json_real(sqlite3_column_double(st, i));
	case C_BOOL: return json_boolean(sqlite3_column_int(st, i));
	default: return kith__json_str((const char *)sqlite3_column_text(st, i));
	}
}

/* Where the rows of a section go: a child's into its parent's array, a
 * section's straight to the file, so memory holds one row at a time. */
typedef int (*row_sink)(void *ctx, json_t *v, kith_error *err);

static int dump(kith_db *db, const xsec *sec, kith_id parent, row_sink sink, void *ctx,
                kith_error *err);

static int to_array(void *ctx, json_t *v, kith_error *err)
{
	return json_array_append_new(ctx, v) ? kith_error_set(err, KITH_ENOMEM,
	                                                      "export: out of memory") : KITH_OK;
}

/* The row st of sec as a JSON value (a child list's: its one column). */
static int row(kith_db *db, const xsec *sec, sqlite3_stmt *st, json_t **out, kith_error *err)
{
	json_t *o;
	int col = 0, rc = KITH_OK;

	if (sec->ncols == 1 && !sec->cols[0].key[0])
		o = value(st, 0, sec->cols[0].type);
	else if ((o = json_object()))
		for (size_t i = 0; !rc && i < sec->ncols; i++) {
			const xcol *c = &sec->cols[i];
			json_t *v;
			if (c->child && (v = json_array()))
				rc = dump(db, c->child, sqlite3_column_int64(st, 0), to_array, v, err);
			else
				v = c->child ? NULL : value(st, col++, c->type);
			if (json_object_set_new(o, c->key, v) && !rc)
				rc = kith_error_set(err, KITH_ENOMEM, "export: out of memory");
		}
	if (!o && !rc)
		rc = kith_error_set(err, KITH_ENOMEM, "export: out of memory");
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return KITH_OK;
}

/* Hands the rows of sec (children: of parent) to sink, which takes them. */
static int dump(kith_db *db, const xsec *sec, kith_id parent, row_sink sink, void *ctx,
                kith_error *err)
{
	sqlite3_stmt *st;
	json_t *v;
	int rc = kith__stmt(db, sec->sql, &st, err), step;

	if (rc)
		return rc;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, parent);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
		if (!(rc = row(db, sec, st, &v, err)))
			rc = sink(ctx, v, err);
	if (!rc && step != SQLITE_DONE)
		rc = kith__sqlerr(db, step, "export", err);
	kith__stmt_release(db, st);
	return rc;
}

/* --- the file ------------------------------------------------------------ */

#define DUMP_FLAGS (JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

typedef struct writer {
	FILE *out;
	size_t rows;      /* of the section being written */
} writer;

/* One row of a section, at the depth jansson would give it in the whole
 * document (two spaces: root, array), so the file reads as if dumped at
 * once.  A string's line breaks are escaped: splitting on '\n' is safe. */
static int to_file(void *ctx, json_t *v, kith_error *err)
{
	writer *w = ctx;
	char *s = json_dumps(v, DUMP_FLAGS);
	int rc = KITH_OK;

	json_decref(v);
	if (!s)
		return kith_error_set(err, KITH_ENOMEM, "export: out of memory");
	fputs(w->rows++ ? ",\n  " : "\n  ", w->out);
	for (const char *p = s; *p; p++) {
		fputc(*p, w->out);
		if (*p == '\n')
			fputs("  ", w->out);
	}
	free(s);
	if (ferror(w->out))
		rc = kith_error_set(err, KITH_EIO, "write error");
	return rc;
}

int kith__export_json(kith_db *db, FILE *out, kith_error *err)
{
	kith_id me = kith_me(db);
	writer w = {out, 0};
	int rc = KITH_OK;

	fprintf(out, "{\n \"format\": \"kith\",\n \"version\": %d,\n \"schema\": %d,\n"
	        " \"me\": ", EXPORT_JSON_VERSION, kith_schema_version());
	if (me)
		fprintf(out, "%lld", (long long)me);
	else
		fputs("null", out);
	for (size_t i = 0; !rc && i < N(sections); i++) {
		fprintf(out, ",\n \"%s\": [", sections[i].key);
		w.rows = 0;
		rc = dump(db, &sections[i], 0, to_file, &w, err);
		fputs(w.rows ? "\n ]" : "]", out);
	}
	if (!rc && (fputs("\n}\n", out) == EOF || ferror(out)))
		rc = kith_error_set(err, KITH_EIO, "write error");
	return rc;
}
