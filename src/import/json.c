/*
 * Import of kith's own JSON export (src/export/json.c; the format is in
 * docs/export-json.md).  Records are written as they are, timestamps,
 * owners and privacy included, not merged by identity as contacts from
 * elsewhere are: the file is a copy of a kith network.
 *
 * Ids in the file are the exporting database's.  Into an empty database
 * (and with no author) they are kept, so export, import, export gives the
 * same file.  Otherwise every record gets a new id and every reference in
 * the file is mapped to it; a reference to a record that is not in the
 * file, or was rejected, rejects the record that makes it.
 *
 * With an author (a member's import on the server) the file's owners,
 * members, settings and "me" are not applied: what is written is the
 * author's (kith_db_set_author's triggers stamp it), private when the
 * file or the author says so, and an org is matched by name only among
 * what the author sees.
 *
 * Each record is a savepoint of the import's transaction: a bad one is
 * rejected with its reason and the rest goes on.  A server's big import
 * commits by batches (batch_point).
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>

#include "session.h"
#include "kith/date.h"
#include "kith/intro_request.h"
#include "kith/person.h"
#include "score/score.h"
#include "store/backup.h"

/* The newest format version this reader knows (src/export/json.c). */
#define JSON_FORMAT_VERSION 1

enum { M_MEMBER, M_PERSON, M_ORG, M_INTERACTION, M_COUNT };
static const char *const map_what[M_COUNT] = {"member", "person", "org", "interaction"};

typedef struct jctx {
	kith_db *db;
	kith__isess *s;            /* its report and issue list only */
	kith_id author;            /* 0: none (the CLI) */
	int keep;                  /* keep the file's ids */
	GHashTable *map[M_COUNT];  /* file id -> database id */
	kith_idv member_person;    /* (member, file person) pairs to link */
	size_t done, total;        /* records, for progress */
	size_t len;
	int rescore;               /* a setting changed the pair cache's meaning */
	double batch_start;        /* when the open batch began (batch_ms) */
} jctx;

typedef struct bval {
	int t;                     /* SQLITE_NULL, _INTEGER, _FLOAT, _TEXT */
	int64_t i;
	double d;
	const char *s;
} bval;

#define VNULL ((bval){SQLITE_NULL, 0, 0, NULL})
#define VINT(x) ((bval){SQLITE_INTEGER, (x), 0, NULL})
#define VREAL(x) ((bval){SQLITE_FLOAT, 0, (x), NULL})
#define VTEXT(x) ((x) ? (bval){SQLITE_TEXT, 0, 0, (x)} : VNULL)

/* --- reading the file's values ----------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The strings a record's fields were checked into; freed after it. */
typedef struct pool {
	char *v[24];
	int n;
} pool;

static void pool_free(pool *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->v[i]);
	p->n = 0;
}

/* Field key of o as text of kind (KITH_TEXT_*), checked and in NFC, into
 * *out (NULL for null or absent; owned by p).  required: absent is bad. */
static int text(pool *p, json_t *o, const char *key, int kind, int required,
                const char **out, kith_error *err)
{
	json_t *v = json_object_get(o, key);
	char *s;
	int rc;

	*out = NULL;
	if (!v || json_is_null(v))
		return required ? kith_error_set(err, KITH_EINVAL, "%s is missing", key) : KITH_OK;
	if (!json_is_string(v))
		return kith_error_set(err, KITH_EINVAL, "%s is not a string", key);
	if ((rc = kith__text_check(key, json_string_value(v), kind, err)))
		return rc;
	if (p->n == (int)(sizeof(p->v) / sizeof(p->v[0])))
		return kith_error_set(err, KITH_EINTERNAL, "import: too many fields");
	if (!(s = strdup(json_string_value(v))) || kith__text_nfc(&s)) {
		free(s);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	p->v[p->n++] = s;
	*out = s;
	return KITH_OK;
}

/* A partial ISO date field ("2019", "2019-05", "2019-05-03"), checked. */
static int date(pool *p, json_t *o, const char *key, const char **out, kith_error *err)
{
	char buf[16];
	int rc = text(p, o, key, KITH_TEXT_LINE, 0, out, err);

	if (!rc && *out && kith_date_parse(*out, buf, sizeof(buf), NULL))
		rc = kith_error_set(err, KITH_EINVAL, "%s is not a date: %.40s", key, *out);
	return rc;
}

/* A time field: the export's "2026-11-23T12:00:00Z", or Unix seconds. */
static int jtime(jctx *c, json_t *o, const char *key, int required, int64_t *out,
                 kith_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = kith_db_now(c->db);
	if (!v || json_is_null(v))
		return required ? kith_error_set(err, KITH_EINVAL, "%s is missing", key) : KITH_OK;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return KITH_OK;
	}
	if (!json_is_string(v) || kith_time_parse(json_string_value(v), *out, out, NULL))
		return kith_error_set(err, KITH_EINVAL, "%s is not a time", key);
	return KITH_OK;
}

/* An optional time field: null when the file has none. */
static int jtime_or_null(jctx *c, json_t *o, const char *key, bval *out, kith_error *err)
{
	int64_t t;
	int rc;

	*out = VNULL;
	if (json_is_null(json_object_get(o, key)) || !json_object_get(o, key))
		return KITH_OK;
	if (!(rc = jtime(c, o, key, 1, &t, err)))
		*out = VINT(t);
	return rc;
}

static bval jreal(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? VREAL(json_number_value(v)) : VNULL;
}

/* --- ids --------------------------------------------------------------- */

static void map_put(jctx *c, int m, kith_id from, kith_id to)
{
	gint64 *k = g_new(gint64, 1), *v = g_new(gint64, 1);

	*k = from;
	*v = to;
	g_hash_table_replace(c->map[m], k, v);
}

/* The database id of the record the file calls id in map m, or 0. */
static kith_id map_get(jctx *c, int m, kith_id id)
{
	gint64 k = id, *v = g_hash_table_lookup(c->map[m], &k);

	return v ? *v : 0;
}

/* Reference field key of o to map m into *out (0 for null or absent). */
static int ref(jctx *c, int m, json_t *o, const char *key, int required, kith_id *out,
               kith_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = 0;
	if (!v || json_is_null(v))
		return required ? kith_error_set(err, KITH_EINVAL, "%s is missing", key) : KITH_OK;
	if (!json_is_integer(v))
		return kith_error_set(err, KITH_EINVAL, "%s is not an id", key);
	/* Who said or gave something is told when known: a person the file
	 * does not carry leaves it unknown, as a removed one does. */
	if (!(*out = map_get(c, m, json_integer_value(v))) && required)
		return kith_error_set(err, KITH_ENOTFOUND, "%s refers to %s #%lld, which is not "
		                      "in the file or was rejected", key, map_what[m],
		                      (long long)json_integer_value(v));
	return KITH_OK;
}

/* The id to insert a record under: the file's when ids are kept.  Not
 * beyond what the pair cache's keys hold: a file naming id 2^63 - 1 would
 * leave AUTOINCREMENT nothing to give the next record (SQLITE_FULL). */
static bval own_id(jctx *c, json_t *o)
{
	json_t *v = json_object_get(o, "id");

	return c->keep && json_is_integer(v) && json_integer_value(v) > 0 &&
	       json_integer_value(v) <= KITH__PAIR_MAX_ID ? VINT(json_integer_value(v)) : VNULL;
}

/* Owner and privacy as the file has them, or with an author, the
 * author's (the author's triggers stamp the owner; privacy only grows). */
static int owner_of(jctx *c, json_t *o, bval *owner, bval *priv, kith_error *err)
{
	kith_id m = 0;
	int rc = KITH_OK;

	*priv = VINT(json_is_true(json_object_get(o, "private")));
	*owner = VNULL;
	if (c->author)
		return KITH_OK;
	/* An owner who is not in the file (a member's export names members
	 * it does not carry) leaves the record without one. */
	if (json_is_integer(json_object_get(o, "owner")))
		m = map_get(c, M_MEMBER, jint(o, "owner"));
	if (m)
		*owner = VINT(m);
	return rc;
}

/* What people, orgs and links all carry: created, updated, owner and
 * privacy. */
static int stamps(jctx *c, json_t *o, int64_t *created, int64_t *updated, bval *owner,
                  bval *priv, kith_error *err)
{
	int rc = jtime(c, o, "created", 0, created, err);

	if (!rc)
		rc = jtime(c, o, "updated", 0, updated, err);
	if (!rc)
		rc = owner_of(c, o, owner, priv, err);
	return rc;
}

/* --- writing ------------------------------------------------------------- */

static int run(jctx *c, const char *sql, const bval *v, int n, kith_id *rowid,
               kith_error *err);

/* The schema makes a new link or interaction that touches a private
 * person private to that person's owner (migration 5).  A file is a copy:
 * a team one made before the person became private stays team (the views
 * hide it), so the file's owner and privacy are put back.  With an author
 * privacy only grows, and the schema's rule stands. */
static int keep_privacy(jctx *c, const char *table, kith_id id, bval owner, bval priv,
                        kith_error *err)
{
	if (c->author)
		return KITH_OK;
	return run(c, table[0] == 'l'
	           ? "UPDATE link SET owner = ?2, private = ?3 WHERE id = ?1"
	           : "UPDATE interaction SET owner = ?2, private = ?3 WHERE id = ?1",
	           (bval[]){VINT(id), owner, priv}, 3, NULL, err);
}

static int run(jctx *c, const char *sql, const bval *v, int n, kith_id *rowid,
               kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(c->db, sql, &st, err);

	if (rc)
		return rc;
	for (int i = 0; i < n; i++) {
		if (v[i].t == SQLITE_INTEGER)
			sqlite3_bind_int64(st, i + 1, v[i].i);
		else if (v[i].t == SQLITE_FLOAT)
			sqlite3_bind_double(st, i + 1, v[i].d);
		else if (v[i].t == SQLITE_TEXT)
			sqlite3_bind_text(st, i + 1, v[i].s, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, i + 1);
	}
	rc = kith__step_done(c->db, st, "import", err);
	kith__stmt_release(c->db, st);
	if (!rc && rowid)
		*rowid = sqlite3_last_insert_rowid(kith_db_sqlite(c->db));
	return rc;
}

static int one_id_query(jctx *c, const char *sql, const bval *v, int n, kith_id *out,
                        kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(c->db, sql, &st, err);

	*out = 0;
	if (rc)
		return rc;
	for (int i = 0; i < n; i++)
		if (v[i].t == SQLITE_TEXT)
			sqlite3_bind_text(st, i + 1, v[i].s, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, i + 1, v[i].i);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(c->db, rc, "import", err);
	kith__stmt_release(c->db, st);
	return rc;
}

/* --- the sections, one function a record ------------------------------- */

static int do_config(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *key, *val;
	double d;
	int rc = text(p, o, "key", KITH_TEXT_NAME, 1, &key, err);

	if (!rc)
		rc = text(p, o, "value", KITH_TEXT_LINE, 1, &val, err);
	kith_id known = 0;
	char why[160];

	if (rc || c->author)
		return rc;
	/* Only a setting this kith has (a row of its config) is taken: one
	 * from another version is told, not stored for a kith that may read
	 * it otherwise. */
	if ((rc = one_id_query(c, "SELECT count(*) FROM config WHERE key = ?1"
	                       " AND key NOT IN " KITH__CONFIG_INTERNAL,
	                       (bval[]){VTEXT(key)}, 1, &known, err)))
		return rc;
	if (!known) {
		snprintf(why, sizeof(why), "setting '%.40s' is not one this kith has: left out", key);
		return kith__import_issue(c->s, 0, KITH_ISSUE_WARNING, why, err);
	}
	if (strcmp(key, "half_life_days") == 0) {
		d = strtod(val, NULL);
		if (!(d >= 1 && d <= 3650))
			return kith_error_set(err, KITH_EINVAL, "half-life must be 1 to 3650 days");
		c->rescore = 1;
	}
	return run(c, "UPDATE config SET value = ?2 WHERE key = ?1",
	           (bval[]){VTEXT(key), VTEXT(val)}, 2, NULL, err);
}

static int do_orbit(jctx *c, json_t *o, pool *p, kith_error *err)
{
	if (c->author)
		return KITH_OK;
	return run(c, "INSERT OR REPLACE INTO orbit_cadence(orbit, days) VALUES (?1, ?2)",
	           (bval[]){VINT(jint(o, "orbit")), VINT(jint(o, "days"))}, 2, NULL, err);
}

static int do_link_kind(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *name, *desc;
	int rc = text(p, o, "name", KITH_TEXT_NAME, 1, &name, err);

	if (!rc)
		rc = text(p, o, "description", KITH_TEXT_LINE, 0, &desc, err);
	if (rc)
		return rc;
	/* A kind already there is the database's: only an empty one takes
	 * the file's descriptions. */
	return run(c, c->keep ? "INSERT INTO link_kind VALUES (?1, coalesce(?2, ''), ?3) ON CONFLICT(name)"
	                        " DO UPDATE SET description = excluded.description,"
	                        " directed = excluded.directed"
	                      : "INSERT OR IGNORE INTO link_kind VALUES (?1, coalesce(?2, ''), ?3)",
	           (bval[]){VTEXT(name), VTEXT(desc),
	                    VINT(json_is_true(json_object_get(o, "directed")))}, 3, NULL, err);
}

static int do_interaction_kind(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *name, *desc;
	bval w = jreal(o, "weight");
	int rc = text(p, o, "name", KITH_TEXT_NAME, 1, &name, err);

	if (!rc)
		rc = text(p, o, "description", KITH_TEXT_LINE, 0, &desc, err);
	if (rc)
		return rc;
	if (w.t == SQLITE_NULL)
		w = VREAL(1);
	c->rescore |= c->keep;
	/* An update, then an insert of what is new: an upsert's insert looks
	 * for orphaned interactions of the kind, a scan of the log. */
	if (c->keep && (rc = run(c, "UPDATE interaction_kind SET description = coalesce(?2, ''),"
	                         " weight = ?3 WHERE name = ?1",
	                         (bval[]){VTEXT(name), VTEXT(desc), w}, 3, NULL, err)))
		return rc;
	return run(c, "INSERT OR IGNORE INTO interaction_kind VALUES (?1, coalesce(?2, ''), ?3)",
	           (bval[]){VTEXT(name), VTEXT(desc), w}, 3, NULL, err);
}

static int do_member(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *name;
	kith_id id = 0;
	int64_t created;
	int rc = text(p, o, "name", KITH_TEXT_NAME, 1, &name, err);

	if (!rc)
		rc = jtime(c, o, "created", 0, &created, err);
	if (rc || c->author)
		return rc;
	/* A member of the same name is the same member: tokens stay theirs. */
	if (!c->keep && (rc = one_id_query(c, "SELECT id FROM member WHERE name = ?1",
	                                   (bval[]){VTEXT(name)}, 1, &id, err)))
		return rc;
	if (id)
		c->s->rep->merged++;
	else if ((rc = run(c, "INSERT INTO member(id, name, created) VALUES (?1, ?2, ?3)",
	                   (bval[]){own_id(c, o), VTEXT(name), VINT(created)}, 3, &id, err)))
		return rc;
	else
		c->s->rep->created++;
	map_put(c, M_MEMBER, jint(o, "id"), id);
	if (json_is_integer(json_object_get(o, "person")) &&
	    (kith_idv_push(&c->member_person, id) || kith_idv_push(&c->member_person,
	                                                            jint(o, "person"))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return KITH_OK;
}

static int do_org(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *f[5];
	static const char *const keys[5] = {"name", "domain", "city", "country", "notes"};
	bval owner, priv;
	int64_t created, updated;
	kith_id id = 0;
	int rc = KITH_OK;

	for (int i = 0; !rc && i < 5; i++)
		rc = text(p, o, keys[i], i == 0 ? KITH_TEXT_NAME : i == 4 ? KITH_TEXT_NOTE
		          : KITH_TEXT_LINE, i == 0, &f[i], err);
	if (!rc)
		rc = stamps(c, o, &created, &updated, &owner, &priv, err);
	/* Into a network that has records, an org of the same name (one the
	 * author sees) is the same org. */
	if (!rc && !c->keep)
		rc = one_id_query(c, "SELECT id FROM org WHERE name = ?1 AND"
		                  " (?2 = 0 OR private = 0 OR owner = ?2) ORDER BY private LIMIT 1",
		                  (bval[]){VTEXT(f[0]), VINT(c->author)}, 2, &id, err);
	if (rc)
		return rc;
	if (id) {
		c->s->rep->merged++;
	} else {
		rc = run(c, "INSERT INTO org(id, name, domain, city, country, notes, created,"
		         " updated, owner, private) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
		         (bval[]){own_id(c, o), VTEXT(f[0]), VTEXT(f[1]), VTEXT(f[2]), VTEXT(f[3]),
		                  VTEXT(f[4]), VINT(created), VINT(updated), owner, priv},
		         10, &id, err);
		if (rc)
			return rc;
		c->s->rep->created++;
		c->s->rep->orgs_created++;
	}
	map_put(c, M_ORG, jint(o, "id"), id);
	return KITH_OK;
}

/* One of a person's lists (emails, phones, tags), checked and written. */
static int person_list(jctx *c, kith_id id, json_t *o, const char *key, kith_error *err)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;
	int rc = KITH_OK;

	if (a && !json_is_array(a) && !json_is_null(a))
		return kith_error_set(err, KITH_EINVAL, "%s is not a list", key);
	if (json_array_size(a) > KITH_LIST_MAX)
		return kith_error_set(err, KITH_EINVAL, "more than %d %s", KITH_LIST_MAX, key);
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		char *norm = NULL, digits[32];
		if (!s)
			return kith_error_set(err, KITH_EINVAL, "%s holds a value that is not text", key);
		if ((rc = kith__text_check(key, s, KITH_TEXT_LINE, err)))
			return rc;
		if (key[0] == 'e' && !(rc = kith_email_normalize(s, &norm, err)) &&
		    run(c, "INSERT INTO person_email(person_id, pos, email) VALUES (?1, ?2, ?3)",
		        (bval[]){VINT(id), VINT((int64_t)i), VTEXT(norm)}, 3, NULL, err))
			rc = err && err->code == KITH_EINVAL
			     ? kith_error_set(err, KITH_EEXISTS, "%s is already another person's "
			                      "email (merge them after the import)", norm)
			     : err ? err->code : KITH_EINTERNAL;
		else if (key[0] == 'p' && !(rc = kith_phone_check(s, err))) {
			kith_phone_digits(s, digits, sizeof(digits));
			rc = run(c, "INSERT INTO person_phone(person_id, pos, phone, digits)"
			         " VALUES (?1, ?2, ?3, ?4)",
			         (bval[]){VINT(id), VINT((int64_t)i), VTEXT(s), (bval){SQLITE_TEXT, 0, 0, digits}}, 4,
			         NULL, err);
		} else if (key[0] == 't' && !(rc = kith_tag_normalize(s, &norm, err)))
			rc = run(c, "INSERT OR IGNORE INTO person_tag(person_id, tag) VALUES (?1, ?2)",
			         (bval[]){VINT(id), VTEXT(norm)}, 2, NULL, err);
		free(norm);
		if (rc)
			return rc;
	}
	return KITH_OK;
}

static int person_job(jctx *c, kith_id person, json_t *j, kith_error *err)
{
	pool p = {0};
	const char *title, *from, *to;
	int64_t created;
	kith_id org;
	int rc = ref(c, M_ORG, j, "org", 1, &org, err);

	if (!rc)
		rc = text(&p, j, "title", KITH_TEXT_LINE, 0, &title, err);
	if (!rc)
		rc = date(&p, j, "from", &from, err);
	if (!rc)
		rc = date(&p, j, "to", &to, err);
	if (!rc)
		rc = jtime(c, j, "created", 0, &created, err);
	if (!rc)
		rc = run(c, "INSERT INTO job(id, person_id, org_id, title, date_from, date_to,"
		         " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		         (bval[]){own_id(c, j), VINT(person), VINT(org), VTEXT(title), VTEXT(from),
		                  VTEXT(to), VINT(created)}, 7, NULL, err);
	if (!rc)
		c->s->rep->jobs_created++;
	pool_free(&p);
	return rc;
}

static int do_person(jctx *c, json_t *o, pool *p, kith_error *err)
{
	static const char *const keys[6] = {"name", "given_name", "family_name", "city",
	                                    "country", "notes"};
	const char *f[6], *extra;
	bval owner, priv;
	int64_t created, updated, days = jint(o, "cadence_days");
	kith_id id;
	json_t *j;
	size_t i;
	int rc = KITH_OK;

	for (int k = 0; !rc && k < 6; k++)
		rc = text(p, o, keys[k], k < 3 ? KITH_TEXT_NAME : k == 5 ? KITH_TEXT_NOTE
		          : KITH_TEXT_LINE, k == 0, &f[k], err);
	if (!rc)
		rc = text(p, o, "card_extra", KITH_TEXT_NOTE, 0, &extra, err);
	if (!rc)
		rc = stamps(c, o, &created, &updated, &owner, &priv, err);
	if (!rc)
		rc = run(c, "INSERT INTO person(id, display_name, given_name, family_name, city,"
		         " country, notes, created, updated, owner, private)"
		         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
		         (bval[]){own_id(c, o), VTEXT(f[0]), VTEXT(f[1]), VTEXT(f[2]), VTEXT(f[3]),
		                  VTEXT(f[4]), VTEXT(f[5]), VINT(created), VINT(updated), owner, priv},
		         11, &id, err);
	for (int k = 0; !rc && k < 3; k++)
		rc = person_list(c, id, o, (const char *[]){"emails", "phones", "tags"}[k], err);
	if (!rc && days > 0)
		rc = run(c, "INSERT INTO person_cadence(person_id, days) VALUES (?1, ?2)",
		         (bval[]){VINT(id), VINT(days)}, 2, NULL, err);
	if (!rc && extra)
		rc = run(c, "INSERT INTO card_extra(person_id, lines) VALUES (?1, ?2)",
		         (bval[]){VINT(id), VTEXT(extra)}, 2, NULL, err);
	json_array_foreach(json_object_get(o, "jobs"), i, j) {
		if (rc)
			break;
		rc = person_job(c, id, j, err);
	}
	if (!rc)
		rc = kith__person_fts_refresh(c->db, id, err);
	if (rc)
		return rc;
	c->s->rep->created++;
	c->s->rep->people_created++;
	map_put(c, M_PERSON, jint(o, "id"), id);
	return KITH_OK;
}

static int do_link(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *kind, *since, *notes;
	bval owner, priv, trust = jreal(o, "trust");
	int64_t created, updated;
	kith_id a, b, by, id;
	int rc = ref(c, M_PERSON, o, "a", 1, &a, err);

	if (!rc)
		rc = ref(c, M_PERSON, o, "b", 1, &b, err);
	if (!rc)
		rc = ref(c, M_PERSON, o, "asserted_by", 0, &by, err);
	if (!rc)
		rc = text(p, o, "kind", KITH_TEXT_NAME, 1, &kind, err);
	if (!rc)
		rc = date(p, o, "since", &since, err);
	if (!rc)
		rc = text(p, o, "notes", KITH_TEXT_NOTE, 0, &notes, err);
	if (!rc)
		rc = stamps(c, o, &created, &updated, &owner, &priv, err);
	if (!rc)
		rc = run(c, "INSERT INTO link(id, a, b, kind, since, trust, notes, asserted_by,"
		         " created, updated, owner, private)"
		         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
		         (bval[]){own_id(c, o), VINT(a), VINT(b), VTEXT(kind), VTEXT(since), trust,
		                  VTEXT(notes), by ? VINT(by) : VNULL, VINT(created), VINT(updated),
		                  owner, priv}, 12, &id, err);
	if (!rc)
		rc = keep_privacy(c, "link", id, owner, priv, err);
	if (!rc) {
		c->s->rep->created++;
		c->s->rep->links_created++;
	}
	return rc;
}

static int do_interaction(jctx *c, json_t *o, pool *p, kith_error *err)
{
	kith_interaction it = {0};
	const char *kind, *notes;
	bval owner, priv, value = jreal(o, "value");
	int64_t created;
	json_t *v;
	size_t i;
	int rc = text(p, o, "kind", KITH_TEXT_NAME, 1, &kind, err);

	if (!rc)
		rc = text(p, o, "notes", KITH_TEXT_NOTE, 0, &notes, err);
	if (!rc)
		rc = jtime(c, o, "at", 1, &it.at, err);
	if (!rc)
		rc = jtime(c, o, "created", 0, &created, err);
	if (!rc)
		rc = ref(c, M_PERSON, o, "initiator", 0, &it.initiator, err);
	if (!rc)
		rc = ref(c, M_PERSON, o, "giver", 0, &it.giver, err);
	if (!rc)
		rc = owner_of(c, o, &owner, &priv, err);
	json_array_foreach(json_object_get(o, "people"), i, v) {
		kith_id id = 0;
		if (rc)
			break;
		if (!json_is_integer(v) || !(id = map_get(c, M_PERSON, json_integer_value(v))))
			rc = kith_error_set(err, KITH_ENOTFOUND, "people refers to person #%lld, which "
			                    "is not in the file or was rejected",
			                    (long long)json_integer_value(v));
		else if (kith_idv_push(&it.people, id))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	if (!rc && it.people.n < 2)
		rc = kith_error_set(err, KITH_EINVAL, "an interaction needs two people or more");
	if (!rc)
		rc = run(c, "INSERT INTO interaction(id, at, kind, notes, giver, value, created,"
		         " initiator, owner, private) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
		         (bval[]){own_id(c, o), VINT(it.at), VTEXT(kind), VTEXT(notes),
		                  it.giver ? VINT(it.giver) : VNULL, value, VINT(created),
		                  it.initiator ? VINT(it.initiator) : VNULL, owner, priv},
		         10, &it.id, err);
	for (i = 0; !rc && i < it.people.n; i++)
		rc = run(c, "INSERT INTO interaction_person(interaction_id, person_id) VALUES (?1, ?2)",
		         (bval[]){VINT(it.id), VINT(it.people.v[i])}, 2, NULL, err);
	if (!rc)
		rc = keep_privacy(c, "interaction", it.id, owner, priv, err);
	/* The pair cache, as a new interaction keeps it (score/). */
	if (!rc && !c->rescore) {
		it.kind = (char *)kind;
		it.value = value.d;
		rc = kith__score_interaction(c->db, &it, 1, err);
	}
	if (!rc) {
		c->s->rep->created++;
		map_put(c, M_INTERACTION, jint(o, "id"), it.id);
	}
	kith_idv_clear(&it.people);
	return rc;
}

static int do_note(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *body;
	bval owner, priv;
	int64_t created;
	kith_id person;
	int rc = ref(c, M_PERSON, o, "person", 1, &person, err);

	if (!rc)
		rc = text(p, o, "body", KITH_TEXT_NOTE, 1, &body, err);
	if (!rc)
		rc = jtime(c, o, "created", 0, &created, err);
	if (!rc)
		rc = owner_of(c, o, &owner, &priv, err);
	if (!rc)
		rc = run(c, "INSERT INTO note(id, person_id, body, owner, private, created)"
		         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		         (bval[]){own_id(c, o), VINT(person), VTEXT(body), owner, priv,
		                  VINT(created)}, 6, NULL, err);
	if (!rc)
		c->s->rep->created++;
	return rc;
}

static int do_vouch(jctx *c, json_t *o, pool *p, kith_error *err)
{
	const char *notes;
	int64_t created;
	kith_id voucher, subject, by;
	int rc = ref(c, M_PERSON, o, "voucher", 1, &voucher, err);

	if (!rc)
		rc = ref(c, M_PERSON, o, "subject", 1, &subject, err);
	if (!rc)
		rc = ref(c, M_PERSON, o, "recorded_by", 0, &by, err);
	if (!rc)
		rc = text(p, o, "notes", KITH_TEXT_NOTE, 0, &notes, err);
	if (!rc)
		rc = jtime(c, o, "created", 0, &created, err);
	if (!rc)
		rc = run(c, "INSERT INTO vouch(id, voucher, subject, notes, recorded_by, created)"
		         " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		         (bval[]){own_id(c, o), VINT(voucher), VINT(subject), VTEXT(notes),
		                  by ? VINT(by) : VNULL, VINT(created)}, 6, NULL, err);
	if (!rc)
		c->s->rep->created++;
	return rc;
}

static int one_of(const char *s, const char *const *words)
{
	for (int i = 0; s && words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	return 0;
}

/* The chain (file ids) as the table keeps it, "1,2,3" in this database's
 * ids, into buf; it must end at the target. */
static int request_chain(jctx *c, json_t *o, char *buf, size_t size, kith_error *err)
{
	json_t *a = json_object_get(o, "chain"), *v;
	size_t i, len = 0, n = json_array_size(a);

	if (!json_is_array(a) || n < 2 || n > KITH_INTRO_REQUEST_MAX_CHAIN)
		return kith_error_set(err, KITH_EINVAL, "chain must list 2 to %d people",
		                      KITH_INTRO_REQUEST_MAX_CHAIN);
	if (!json_is_integer(json_object_get(o, "target")) ||
	    json_integer_value(json_array_get(a, n - 1)) != jint(o, "target"))
		return kith_error_set(err, KITH_EINVAL, "chain must end at the target");
	json_array_foreach(a, i, v) {
		kith_id id = json_is_integer(v) ? map_get(c, M_PERSON, json_integer_value(v)) : 0;
		if (!id)
			return kith_error_set(err, KITH_ENOTFOUND, "chain refers to person #%lld, which "
			                      "is not in the file or was rejected",
			                      (long long)json_integer_value(v));
		len += (size_t)snprintf(buf + len, size - len, "%s%lld", i ? "," : "", (long long)id);
	}
	return len < size ? KITH_OK : kith_error_set(err, KITH_EINVAL, "chain is too long");
}

/* An introduction request (kith/intro_request.h), its status and dates as
 * the file has them; the interactions it logged are mapped when the file
 * carries them, and left unknown otherwise. */
static int do_intro_request(jctx *c, json_t *o, pool *p, kith_error *err)
{
	static const char *const statuses[] = {"asked", "accepted", "declined", "made",
	                                       "withdrawn", NULL};
	static const char *const outcomes[] = {"met", "hired", "deal", "partnership", "nothing",
	                                       NULL};
	char chain[KITH_INTRO_REQUEST_MAX_CHAIN * 21 + 1];
	const char *note, *status, *outcome;
	bval answered, made, outcome_at;
	int64_t asked_at;
	kith_id asker, asked, target, it, fav;
	int rc = ref(c, M_MEMBER, o, "asker", 1, &asker, err);

	if (!rc)
		rc = ref(c, M_MEMBER, o, "asked", 1, &asked, err);
	if (!rc)
		rc = ref(c, M_PERSON, o, "target", 1, &target, err);
	if (!rc)
		rc = request_chain(c, o, chain, sizeof(chain), err);
	if (!rc)
		rc = text(p, o, "note", KITH_TEXT_NOTE, 0, &note, err);
	if (!rc)
		rc = text(p, o, "status", KITH_TEXT_NAME, 1, &status, err);
	if (!rc)
		rc = text(p, o, "outcome", KITH_TEXT_NAME, 0, &outcome, err);
	if (!rc)
		rc = jtime(c, o, "asked_at", 1, &asked_at, err);
	if (!rc)
		rc = jtime_or_null(c, o, "answered_at", &answered, err);
	if (!rc)
		rc = jtime_or_null(c, o, "made_at", &made, err);
	if (!rc)
		rc = jtime_or_null(c, o, "outcome_at", &outcome_at, err);
	if (!rc)
		rc = ref(c, M_INTERACTION, o, "interaction", 0, &it, err);
	if (!rc)
		rc = ref(c, M_INTERACTION, o, "favour", 0, &fav, err);
	if (rc)
		return rc;
	if (asker == asked)
		return kith_error_set(err, KITH_EINVAL, "asker and asked are the same member");
	if (!one_of(status, statuses))
		return kith_error_set(err, KITH_EINVAL, "status '%.40s' is not asked, accepted, "
		                      "declined, made or withdrawn", status);
	if (outcome && (!one_of(outcome, outcomes) || strcmp(status, "made") != 0))
		return kith_error_set(err, KITH_EINVAL, "outcome '%.40s' is not met, hired, deal, "
		                      "partnership or nothing of a request made", outcome);
	rc = run(c, "INSERT INTO intro_request(id, asker, asked, target, chain, strength, note,"
	         " status, outcome, asked_at, answered_at, made_at, outcome_at, interaction_id,"
	         " favour_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	         " ?15)",
	         (bval[]){own_id(c, o), VINT(asker), VINT(asked), VINT(target),
	                  (bval){SQLITE_TEXT, 0, 0, chain},
	                  jreal(o, "strength").t == SQLITE_NULL ? VREAL(0) : jreal(o, "strength"),
	                  VTEXT(note), VTEXT(status), VTEXT(outcome), VINT(asked_at), answered, made,
	                  outcome_at, it ? VINT(it) : VNULL, fav ? VINT(fav) : VNULL},
	         15, NULL, err);
	if (!rc)
		c->s->rep->created++;
	return rc;
}

/* --- the walk ------------------------------------------------------------- */

typedef int (*record_fn)(jctx *c, json_t *o, pool *p, kith_error *err);

/* Sections in the order they must be read: what is referred to first.
 * counted: its entries are records in the report (settings and kinds
 * are not).  shared: records between members, which a member's import
 * leaves out (it would write a teammate's side of them). */
static const struct {
	const char *key;
	record_fn fn;
	int counted, shared;
} walk[] = {
	{"config", do_config, 0, 0}, {"orbit_cadences", do_orbit, 0, 0},
	{"link_kinds", do_link_kind, 0, 0}, {"interaction_kinds", do_interaction_kind, 0, 0},
	{"members", do_member, 1, 0}, {"orgs", do_org, 1, 0}, {"people", do_person, 1, 0},
	{"links", do_link, 1, 0}, {"interactions", do_interaction, 1, 0}, {"notes", do_note, 1, 0},
	{"vouches", do_vouch, 1, 0}, {"intro_requests", do_intro_request, 1, 1},
};
#define NWALK (sizeof(walk) / sizeof(walk[0]))

/* A record's failure that rejects it; any other stops the import. */
static int rejects(int code)
{
	return code == KITH_EINVAL || code == KITH_EEXISTS || code == KITH_ENOTFOUND ||
	       code == KITH_ECONFLICT || code == KITH_EPERM;
}

/* A server's big import commits every batch_ms and lets the writers
 * waiting go first, as the other formats do (batch.c).  The ids mapped so
 * far stay valid: a record is never changed once written.  A failure keeps
 * the batches committed before it; unlike the other formats a JSON file
 * has no source keys, so importing it again adds those records twice. */
static int batch_point(jctx *c, const kith_import_opts *o, kith_error *err)
{
	int rc;

	if (!o || !o->batch_ms || o->dry_run ||
	    kith__seconds_now() - c->batch_start < o->batch_ms / 1000.0)
		return KITH_OK;
	if ((rc = kith_db_commit(c->db, err)))
		return rc;
	c->s->rep->batches++;
	if (o->yield)
		o->yield(o->yield_ctx);
	if ((rc = kith_db_begin(c->db, err)))
		return rc;
	c->batch_start = kith__seconds_now();
	return KITH_OK;
}

static int one(jctx *c, size_t w, size_t i, json_t *o, const kith_import_opts *opts,
               kith_error *err)
{
	kith_error why = {0};
	char msg[KITH_ERROR_MSG_MAX + 96];
	pool p = {0};
	int rc = kith_db_begin(c->db, err);

	if (rc)
		return rc;
	rc = json_is_object(o) ? walk[w].fn(c, o, &p, &why)
	                       : kith_error_set(&why, KITH_EINVAL, "not an object");
	pool_free(&p);
	if (!rc) {
		c->s->rep->records += walk[w].counted;
		rc = kith_db_commit(c->db, err);
	} else {
		kith_db_rollback(c->db);
		if (!rejects(rc)) {
			if (err)
				*err = why;
			return rc;
		}
		snprintf(msg, sizeof(msg), "%s[%zu]%s%.0lld: %s", walk[w].key, i,
		         json_is_integer(json_object_get(o, "id")) ? " #" : "",
		         (long long)jint(o, "id"), why.msg);
		/* Counted there as a record read (a rejected setting too). */
		rc = kith__import_issue(c->s, 0, KITH_ISSUE_REJECTED, msg, err);
	}
	c->done++;
	if (opts && opts->progress && c->total)
		opts->progress(opts->progress_ctx, (uint64_t)c->len * c->done / c->total, c->len);
	return rc ? rc : batch_point(c, opts, err);
}

/* A section a member's import does not write: its n records are told
 * in one line, counted as skipped. */
static int leave_out(jctx *c, const char *key, size_t n, kith_error *err)
{
	char why[160];

	if (!n)
		return KITH_OK;
	c->s->rep->skipped += n;
	c->s->rep->records += n;
	c->done += n;
	snprintf(why, sizeof(why), "%s: %zu left out: a member's import does not write "
	         "records between members", key, n);
	return kith__import_issue(c->s, 0, KITH_ISSUE_WARNING, why, err);
}

/* Members' people and "me", which wait for the people. */
static int finish(jctx *c, json_t *root, kith_error *err)
{
	kith_id me;
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i + 1 < c->member_person.n; i += 2) {
		kith_id person = map_get(c, M_PERSON, c->member_person.v[i + 1]);
		if (person)
			rc = run(c, "UPDATE member SET person_id = ?2 WHERE id = ?1 AND person_id IS NULL"
			         " AND NOT EXISTS (SELECT 1 FROM member WHERE person_id = ?2)",
			         (bval[]){VINT(c->member_person.v[i]), VINT(person)}, 2, NULL, err);
	}
	me = json_is_integer(json_object_get(root, "me"))
	     ? map_get(c, M_PERSON, jint(root, "me")) : 0;
	if (!rc && me && !c->author)
		rc = run(c, "UPDATE owner SET person_id = ?1 WHERE id = 1 AND (person_id IS NULL"
		         " OR ?2)", (bval[]){VINT(me), VINT(c->keep)}, 2, NULL, err);
	if (!rc && c->rescore)
		rc = kith_score_recompute(c->db, kith_db_now(c->db), NULL, err);
	return rc;
}

/* Whether the database holds no records at all: then the file's ids are
 * free to keep. */
static int empty(jctx *c, int *yes, kith_error *err)
{
	int64_t n = 0;
	/* plan: scan -- each EXISTS stops at its table's first row */
	int rc = kith__query_int64(c->db, "SELECT EXISTS(SELECT 1 FROM main.person) OR"
	                           " EXISTS(SELECT 1 FROM main.org) OR EXISTS(SELECT 1 FROM main.link) OR"
	                           " EXISTS(SELECT 1 FROM main.interaction) OR EXISTS(SELECT 1 FROM main.note) OR"
	                           " EXISTS(SELECT 1 FROM main.vouch) OR EXISTS(SELECT 1 FROM main.job) OR"
	                           " EXISTS(SELECT 1 FROM main.member)", 0, &n, "import", err);

	*yes = !rc && n == 0;
	return rc;
}

static int check_root(json_t *root, kith_error *err)
{
	json_t *v;

	if (!json_is_object(root) || !json_is_string(json_object_get(root, "format")) ||
	    strcmp(jstr(root, "format"), "kith") != 0)
		return kith_error_set(err, KITH_EINVAL, "not a kith JSON export (no \"format\": \"kith\")");
	v = json_object_get(root, "version");
	if (v && (!json_is_integer(v) || json_integer_value(v) > JSON_FORMAT_VERSION))
		return kith_error_set(err, KITH_EINVAL, "written by a newer kith (format version "
		                      "%lld; this kith reads up to %d): upgrade kith",
		                      (long long)json_integer_value(v), JSON_FORMAT_VERSION);
	for (size_t w = 0; w < NWALK; w++) {
		v = json_object_get(root, walk[w].key);
		if (v && !json_is_array(v))
			return kith_error_set(err, KITH_EINVAL, "\"%s\" is not a list", walk[w].key);
	}
	return KITH_OK;
}

int kith__import_json(kith_db *db, const char *data, size_t len, const kith_import_opts *o,
                      kith_import_report *rep, kith_error *err)
{
	kith__isess s = {0};
	jctx c = {0};
	json_error_t je;
	json_t *root = json_loadb(data, len, 0, &je);
	int rc = KITH_OK;

	if (!root)
		return kith_error_set(err, KITH_EINVAL, "not JSON: line %d: %.200s", je.line, je.text);
	if ((rc = check_root(root, err))) {
		json_decref(root);
		return rc;
	}
	s.rep = rep;
	c.s = &s;
	c.db = db;
	c.len = len;
	c.author = db->author;
	for (int m = 0; m < M_COUNT; m++)
		c.map[m] = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	for (size_t w = 0; w < NWALK; w++)
		c.total += json_array_size(json_object_get(root, walk[w].key));
	if ((rc = kith_db_begin(db, err)))
		goto done;
	c.batch_start = kith__seconds_now();
	if (!c.author)
		rc = empty(&c, &c.keep, err);
	for (size_t w = 0; !rc && w < NWALK; w++) {
		json_t *a = json_object_get(root, walk[w].key), *x;
		size_t i;
		if (c.author && walk[w].shared) {
			rc = leave_out(&c, walk[w].key, json_array_size(a), err);
			continue;
		}
		json_array_foreach(a, i, x) {
			if ((rc = one(&c, w, i, x, o, err)))
				break;
		}
	}
	if (!rc)
		rc = finish(&c, root, err);
	if (rc || (o && o->dry_run))
		kith_db_rollback(db);
	else if (!(rc = kith_db_commit(db, err)))
		rep->batches++;
done:
	for (int m = 0; m < M_COUNT; m++)
		g_hash_table_destroy(c.map[m]);
	kith_idv_clear(&c.member_person);
	json_decref(root);
	return rc;
}
