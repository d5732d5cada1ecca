/*
 * Capture, the bulk path.  Per row written, the schema's triggers log a
 * CardDAV change (one per person, email, phone, tag and job), move the
 * graph generation, index an org's or an interaction's text, give an
 * interaction the privacy of its people, and the server's temporary
 * triggers stamp the author; every one of them also makes SQLite open a
 * statement journal, and FTS5 flushes its pending terms at each, so a
 * message cost a segment of the search index.  Together that was over
 * half the time of a first import.
 *
 * For a big input the import takes those triggers over: inside its own
 * transaction it drops them, writes rows as they would have left them
 * (owner and privacy set at insert), and before commit does their work
 * once for the whole import (search rows of the new orgs and
 * interactions, one change-log row per person changed, one generation
 * move), then creates them again from the very SQL it dropped.  The transaction makes this
 * invisible: other connections see the schema as it was, a rollback or a
 * crash brings the triggers back, and nothing else writes meanwhile (the
 * import holds the write lock).  The first write starts it, so that an
 * import that writes nothing (the same file again) leaves even the
 * schema alone.  tests/unit/test_import_bulk.c holds the two paths to the
 * same database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "score/score.h"
#include "kith/interaction.h"

/* The triggers taken over, each with the MD5 of its SQL as sqlite_schema
 * holds it: the bulk path does their work as they do it here (in
 * kith__bulk_finish, kith__bulk_visibility and the values bound at
 * insert), so a trigger that a later migration changes, or any of these
 * missing, sends the import row by row until this file learns the new
 * one (test_import_bulk fails meanwhile).  The temporary ones are
 * kith_db_set_author's stamps (visibility.c): all or none. */
static const struct taken {
	const char *name, *md5;
	int temp;
} taken[] = {
	{"graph_bump", "4cd08dcbec6238b64429ac91335a99b2", 0},
	{"card_person_ins", "9d267553426857290d7e4cedfab7cd0c", 0},
	{"card_person_upd", "2fde94ba04cb9d466c438d03e1fbee4c", 0},
	{"card_email_ins", "d272ff50caa02494fc81b43761c49a64", 0},
	{"card_phone_ins", "95d8955367d1d4711b2027c5bb79504a", 0},
	{"card_tag_ins", "a67ac4d697ecfe94055b2a38081a63b3", 0},
	{"card_job_ins", "1a1c675b4e9448cb4d3d450b51d40372", 0},
	{"org_fts_ins", "3fe222fbaf860bc38e268cfa7d924c54", 0},
	{"interaction_fts_ins", "9dcefb66cec1a329b9bbc0a336991f50", 0},
	{"private_interaction_ins", "9c004d494abbadee742266b25ff43159", 0},
	{"author_person", "fc9fd154a75970fba18011f3972b1326", 1},
	{"author_org", "5d423f1981a68fbb841ce70d75c84bea", 1},
	{"author_interaction", "091ea2a5bac8892945255d81eadf5c1a", 1},
};
#define NTRIG (sizeof(taken) / sizeof(taken[0]))
#define NTEMP 3

typedef struct trig {
	char *name, *sql;      /* as stored in sqlite_schema */
	int temp;
} trig;


struct kith__bulk {
	trig trig[NTRIG];      /* in the order they were created */
	size_t ntrig;
	GHashTable *private_owner; /* private person stored before -> owner or 0 */
	kith_id last_interaction;  /* highest interaction id before the import */
	kith_id last_org;          /* ... and org id */
	int64_t interactions;      /* written by the import */
	kith__strength *strength;
	sqlite3_stmt *org_ins;
	kith__rows *rows;          /* interactions not written yet */
};

void kith__bulk_free(kith__isess *s)
{
	kith__bulk *b = s->bulk;

	if (!b)
		return;
	for (size_t i = 0; i < b->ntrig; i++) {
		free(b->trig[i].name);
		free(b->trig[i].sql);
	}
	if (b->private_owner)
		g_hash_table_destroy(b->private_owner);
	kith__strength_free(b->strength);
	sqlite3_finalize(b->org_ins);
	kith__rows_free(b->rows);
	free(b);
	s->bulk = NULL;
}

/* The entry of taken[] for a trigger of that name and schema, or NULL. */
static const struct taken *taken_entry(const char *name, int temp)
{
	for (size_t i = 0; i < NTRIG; i++)
		if (taken[i].temp == temp && strcmp(name, taken[i].name) == 0)
			return &taken[i];
	return NULL;
}

/* Reads the SQL of the triggers taken over from one schema, in creation
 * order.  *found counts them; *same is cleared when one is not the
 * trigger this file knows. */
static int read_triggers(kith__isess *s, kith__bulk *b, int temp, size_t *found,
                         int *same, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(s->db, temp ?
		"SELECT name, sql FROM temp.sqlite_schema WHERE type = 'trigger' ORDER BY rowid" :
		"SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' ORDER BY rowid",
		&st, err);

	int step = SQLITE_DONE, oom = 0;

	*found = 0;
	if (rc)
		return rc;
	while (!oom && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const struct taken *k = name ? taken_entry(name, temp) : NULL;
		char md5[33];
		if (!k)
			continue;
		trig *t = &b->trig[b->ntrig++];
		t->temp = temp;
		t->name = kith__col_dup(st, 0, &oom);
		t->sql = kith__col_dup(st, 1, &oom);
		(*found)++;
		if (!t->sql) {
			oom = 1;
			break;
		}
		kith__digest(t->sql, strlen(t->sql), md5);
		if (strcmp(md5, k->md5) != 0)
			*same = 0;
	}
	sqlite3_finalize(st);
	if (oom)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	return step == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, step, "import", err);
}

/* One row of one integer query into *a (and *b when two columns). */
static int read_ints(kith__isess *s, const char *sql, int64_t *a, int64_t *b,
                     kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(s->db, sql, &st, err);

	if (rc)
		return rc;
	*a = 0;
	if (b)
		*b = 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		if (b)
			*b = sqlite3_column_int64(st, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "import", err);
}

/* Everyone private already, for the privacy an interaction takes from its
 * people (the private_interaction_ins trigger). */
static int load_private(kith__isess *s, kith__bulk *b, kith_error *err)
{
	sqlite3_stmt *st;
	/* plan: scan -- a bulk import reads the private people once */
	int rc = kith__prepare(s->db, "SELECT id, coalesce(owner, 0) FROM person"
	                       " WHERE private", &st, err);

	if (rc)
		return rc;
	b->private_owner = g_hash_table_new(g_direct_hash, g_direct_equal);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_insert(b->private_owner,
		                    GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 0)),
		                    GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 1)));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(s->db, rc, "import", err);
}

/* Reads what the bulk path needs; *usable is 0 when the schema is not the
 * one it knows (a trigger missing, or one author stamp without the
 * other), and the import then goes row by row. */
static int prepare_bulk(kith__isess *s, kith__bulk *b, int *usable,
                        kith_error *err)
{
	size_t nmain, ntemp;
	int64_t owner, priv;
	int rc, same = 1;

	rc = read_triggers(s, b, 0, &nmain, &same, err);
	if (!rc)
		rc = read_triggers(s, b, 1, &ntemp, &same, err);
	if (rc)
		return rc;
	*usable = same && nmain == NTRIG - NTEMP && (ntemp == 0 || ntemp == NTEMP);
	for (size_t i = 0; *usable && i < b->ntrig; i++)
		if (b->trig[i].temp && strncmp(b->trig[i].sql, "CREATE TRIGGER ", 15) != 0)
			*usable = 0;  /* cannot be made temporary again */
	if (!*usable)
		return KITH_OK;
	if (ntemp) {
		/* What the stamps put on every new person and interaction:
		 * owner = the author, private = the author's choice. */
		rc = read_ints(s, "SELECT member, private FROM temp.author", &owner, &priv, err);
		if (rc)
			return rc;
		s->new_owner = owner;
		s->new_private = priv != 0;
	}
	rc = read_ints(s, "SELECT coalesce(max(id), 0) FROM interaction",
	               &b->last_interaction, NULL, err);
	if (!rc)
		rc = read_ints(s, "SELECT coalesce(max(id), 0) FROM org", &b->last_org,
		               NULL, err);
	if (!rc)
		rc = kith__prepare(s->db, "INSERT INTO org(name, created, updated, owner,"
		                   " private) VALUES (?1, ?2, ?2, ?3, ?4)", &b->org_ins, err);
	if (!rc)
		rc = load_private(s, b, err);
	if (!rc)
		rc = kith__strength_new(s->db, s->last_old, &b->strength, err);
	if (!rc)
		rc = kith__rows_new(s, b->last_interaction, &b->rows, err);
	return rc;
}

static int drop_triggers(kith__isess *s, kith__bulk *b, kith_error *err)
{
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < b->ntrig; i++) {
		char *sql = sqlite3_mprintf("DROP TRIGGER %s.\"%w\"",
		                            b->trig[i].temp ? "temp" : "main", b->trig[i].name);
		if (!sql)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		rc = kith__exec(s->db, sql, "import", err);
		sqlite3_free(sql);
	}
	return rc;
}

int kith__bulk_start(kith__isess *s, kith_error *err)
{
	kith__bulk *b;
	int rc, usable = 0;

	if (!s->want_bulk || s->bulk)
		return KITH_OK;
	s->want_bulk = 0;
	if (!(b = calloc(1, sizeof(*b))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	s->bulk = b;
	rc = prepare_bulk(s, b, &usable, err);
	if (!rc && usable)
		rc = drop_triggers(s, b, err);
	if (rc || !usable) {
		s->new_owner = 0;
		s->new_private = 0;
		kith__bulk_free(s);
		return rc;
	}
	s->rep->bulk = 1;
	return KITH_OK;
}

void kith__bulk_visibility(const kith__isess *s, const kith_idv *people,
                           kith_id *owner, int *priv)
{
	gpointer v;

	/* The author's stamp first, then the first private person (in the
	 * order they are linked) makes it theirs, as the triggers do. */
	*owner = s->new_owner;
	*priv = s->new_private;
	for (size_t i = 0; !*priv && i < people->n; i++) {
		kith_id id = people->v[i];
		if (id > s->last_old)  /* new: stamped as the import's author */
			continue;
		if (g_hash_table_lookup_extended(s->bulk->private_owner,
		                                 GSIZE_TO_POINTER((gsize)id), NULL, &v)) {
			*owner = (kith_id)GPOINTER_TO_SIZE(v);
			*priv = 1;
		}
	}
}

int kith__bulk_org(kith__isess *s, const char *name, kith_id *id, kith_error *err)
{
	sqlite3_stmt *st = s->bulk->org_ins;
	int oom = 0, rc;
	char *n = kith__trim_dup(name, &oom);

	/* As kith_org_add names it; the caller found no org of that name. */
	if (!n)
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith_error_set(err, KITH_EINVAL, "an organisation needs a name");
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, n, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, s->now);
	if (s->new_owner)
		sqlite3_bind_int64(st, 3, s->new_owner);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int(st, 4, s->new_private);
	rc = kith__step_done(s->db, st, "save organisation", err);
	sqlite3_reset(st);
	free(n);
	*id = rc ? 0 : sqlite3_last_insert_rowid(kith_db_sqlite(s->db));
	return rc;
}

int kith__bulk_interaction(kith__isess *s, kith_interaction *it, kith_error *err)
{
	kith__bulk *b = s->bulk;
	kith_id owner;
	int priv, rc;

	kith__bulk_visibility(s, &it->people, &owner, &priv);
	if ((rc = kith__rows_interaction(s, b->rows, it, owner, priv, err)))
		return rc;
	b->interactions++;
	/* The pair cache counts what every member sees (kith__score_interaction). */
	return priv ? KITH_OK : kith__strength_add(b->strength, it, err);
}

int kith__bulk_source(kith__isess *s, const char *key, kith_id interaction,
                      const char *digest, int replace, kith_error *err)
{
	return kith__rows_source(s->bulk->rows, key, interaction, digest, replace, err);
}

int kith__bulk_pending(const kith__isess *s, const char *key, kith_id *interaction,
                       char digest[33])
{
	return s->bulk && kith__rows_pending(s->bulk->rows, key, interaction, digest);
}

/* Runs sql with ?1 bound to after (an id: the rows above it). */
static int exec_after(kith__isess *s, const char *sql, kith_id after,
                      kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(s->db, sql, &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, after);
	rc = kith__step_done(s->db, st, "import", err);
	sqlite3_finalize(st);
	return rc;
}

/* The search rows of the new orgs and interactions, as org_fts_ins and
 * interaction_fts_ins write them, each table in one statement: FTS5 gets
 * all the rows before it flushes. */
static int index_new(kith__isess *s, kith_error *err)
{
	int rc = KITH_OK;

	if (s->rep->orgs_created)
		rc = exec_after(s, "INSERT INTO org_fts(rowid, name, info, notes)"
		                " SELECT id, name, coalesce(domain, '') || ' ' ||"
		                " coalesce(city, '') || ' ' || coalesce(country, ''), notes"
		                " FROM org WHERE id > ?1 ORDER BY id", s->bulk->last_org, err);
	if (!rc && s->bulk->interactions)
		rc = exec_after(s, "INSERT INTO interaction_fts(rowid, notes)"
		                " SELECT id, notes FROM interaction WHERE id > ?1"
		                " AND notes IS NOT NULL ORDER BY id",
		                s->bulk->last_interaction, err);
	return rc;
}

/* One change-log row per person written to, with the owner and privacy
 * they have now: what a sync client reads of the rows the triggers
 * write (the last state, and that something changed).  People stored
 * before one by one, then the new ones (all touched) in one statement. */
static int log_changes(kith__isess *s, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(s->db, "INSERT INTO card_change(person_id, owner, private)"
	                       " SELECT id, owner, private FROM person WHERE id = ?1",
	                       &st, err);

	for (size_t i = 0; !rc && i < s->touched_ids.n; i++) {
		if (s->touched_ids.v[i] > s->last_old)
			break;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, s->touched_ids.v[i]);
		rc = kith__step_done(s->db, st, "log changes", err);
	}
	sqlite3_finalize(st);
	if (rc || !s->rep->people_created)
		return rc;
	return exec_after(s, "INSERT INTO card_change(person_id, owner, private)"
	                  " SELECT id, owner, private FROM person WHERE id > ?1"
	                  " ORDER BY id", s->last_old, err);
}

static int recreate_triggers(kith__isess *s, kith_error *err)
{
	kith__bulk *b = s->bulk;
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < b->ntrig; i++) {
		char *sql = b->trig[i].temp ?
			sqlite3_mprintf("CREATE TEMP TRIGGER %s", b->trig[i].sql + 15) :
			sqlite3_mprintf("%s", b->trig[i].sql);
		if (!sql)
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		rc = kith__exec(s->db, sql, "import", err);
		sqlite3_free(sql);
	}
	return rc;
}

int kith__bulk_finish(kith__isess *s, kith_error *err)
{
	kith__bulk *b = s->bulk;
	int rc;

	if (!b)
		return KITH_OK;
	rc = kith__rows_finish(s, b->rows, err);
	if (!rc)
		rc = kith__strength_flush(s->bulk->strength, err);
	if (!rc)
		rc = index_new(s, err);
	if (!rc)
		rc = log_changes(s, err);
	if (!rc && (s->rep->people_created || s->bulk->interactions))
		rc = kith__bump_generation(s->db, err);
	if (!rc)
		rc = recreate_triggers(s, err);
	return rc;
}
