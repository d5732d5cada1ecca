/*
 * Capture, the session: the statements one import runs (prepared once per
 * import, bound with the viewer as ?9 so every lookup sees what the
 * importing member sees), and what the session keeps of the people it
 * wrote to.  The bottom of src/import/'s own files: parsers aside, every
 * other file of the folder calls it.
 */
#include <glib.h>

#include "session.h"
#include "kith/interaction.h"

/* A person's search row (name, info, notes) from person p. */
#define FTS_COLUMNS KITH__PERSON_FTS_COLUMNS


const char *const kith__import_sql[S_COUNT] = {
	/* A key whose record the viewer sees, their own row first (keys are
	 * kept per member who imported them: migration 11). */
	[S_SRC_GET] = "SELECT i.person_id, i.interaction_id, i.digest FROM import_source i"
	              " WHERE i.kind = ?1 AND i.key = ?2 AND (?9 = 0"
	              " OR EXISTS (SELECT 1 FROM person p WHERE p.id = i.person_id AND "
	              VIS("p") ")"
	              " OR EXISTS (SELECT 1 FROM interaction t WHERE t.id = i.interaction_id"
	              " AND " VIS("t") "))"
	              " ORDER BY i.scope = ?9 DESC LIMIT 1",
	[S_SRC_PUT] = "INSERT OR REPLACE INTO import_source(kind, key, person_id,"
	              " interaction_id, digest, imported, scope)"
	              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9)",
	/* A new key: REPLACE would look for a row to delete first. */
	[S_SRC_INS] = "INSERT INTO import_source(kind, key, person_id,"
	              " interaction_id, digest, imported, scope)"
	              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?9)",
	[S_BY_EMAIL] = "SELECT e.person_id FROM person_email e JOIN person p"
	               " ON p.id = e.person_id WHERE e.email = ?1 AND " VIS("p")
	               " ORDER BY e.person_id LIMIT 1",
	/* min() over an equality reads the first entry of the digits index;
	 * "IN (?1, ?2) ORDER BY person_id" built a temporary B-tree per call. */
	[S_BY_PHONE] = "SELECT min(x.person_id) FROM person_phone x JOIN person p"
	               " ON p.id = x.person_id WHERE x.digits = ?1 AND " VIS("p"),
	/* owner and private as the defaults (NULL, 0), or on the bulk path
	 * as the author's stamp would leave them (bulk.c). */
	[S_PERSON_INS] = "INSERT INTO person(display_name, given_name, family_name,"
	                 " city, country, notes, created, updated, owner, private)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)",
	[S_EMAIL_INS] = "INSERT INTO person_email(person_id, pos, email) VALUES (?1, ?2, ?3)",
	[S_PHONE_INS] = "INSERT INTO person_phone(person_id, pos, phone, digits)"
	                " VALUES (?1, ?2, ?3, ?4)",
	[S_TAG_INS] = "INSERT OR IGNORE INTO person_tag(person_id, tag) VALUES (?1, ?2)",
	[S_ORG_BY_NAME] = "SELECT id FROM org o WHERE name = trim(?1) AND " VIS("o"),
	/* "+org_id": a person has a few jobs, an org may have thousands, and
	 * without statistics the planner would take either index. */
	[S_JOB_FIND] = "SELECT id, title, date_from, date_to FROM job"
	               " WHERE person_id = ?1 AND +org_id = ?2",
	[S_JOB_INS] = "INSERT INTO job(person_id, org_id, title, date_from, date_to,"
	              " created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_LINK_FIND] = "SELECT id, since, private FROM link l WHERE min(a, b) = min(?1, ?2)"
	                " AND max(a, b) = max(?1, ?2) AND kind = ?3 AND " VIS("l"),
	[S_LINK_INS] = "INSERT INTO link(a, b, kind, since, asserted_by, created,"
	               " updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
	[S_LINK_SINCE] = "UPDATE link SET since = ?2, updated = ?3 WHERE id = ?1",
	/* Only a name that is an address gives way to a real one. */
	[S_RENAME] = "UPDATE person SET display_name = ?2, updated = ?3"
	             " WHERE id = ?1 AND display_name LIKE '%@%'",
	/* The search row, as kith__person_fts_refresh writes it, in two
	 * steps: an INSERT ... SELECT into an FTS5 table is a multi-row write
	 * that opens a statement savepoint, and FTS5 flushes its pending
	 * terms to a new segment at every savepoint, one segment per person.
	 * A single-row INSERT lets FTS5 batch the whole import. */
	[S_FTS_TEXT] = "SELECT " FTS_COLUMNS " FROM person p WHERE p.id = ?1",
	/* ... but the import's new people, all at once, are one savepoint. */
	[S_FTS_NEW] = "INSERT INTO person_fts(rowid, name, info, notes)"
	              " SELECT p.id, " FTS_COLUMNS " FROM person p WHERE p.id > ?1"
	              " ORDER BY p.id",
	[S_FTS_DEL] = "DELETE FROM person_fts WHERE rowid = ?1",
	[S_FTS_INS] = "INSERT INTO person_fts(rowid, name, info, notes)"
	              " VALUES (?1, ?2, ?3, ?4)",
	/* A person as kith_person_get reads them, for merging (people.c). */
	[S_P_ROW] = "SELECT display_name, given_name, family_name, city, country,"
	            " notes FROM person WHERE id = ?1",
	[S_P_EMAILS] = "SELECT email, pos FROM person_email WHERE person_id = ?1"
	               " ORDER BY pos",
	[S_P_PHONES] = "SELECT phone, pos FROM person_phone WHERE person_id = ?1"
	               " ORDER BY pos",
	[S_P_TAGS] = "SELECT tag, 0 FROM person_tag WHERE person_id = ?1 ORDER BY tag",
	[S_P_UPDATE] = "UPDATE person SET display_name = ?2, given_name = ?3,"
	               " family_name = ?4, city = ?5, country = ?6, notes = ?7,"
	               " updated = ?8 WHERE id = ?1",
	/* An interaction as kith_interaction_add writes it (events.c), row by
	 * row; the bulk path writes its own (bulk_rows.c). */
	[S_IT_INS] = "INSERT INTO interaction(at, kind, notes, giver, value, created,"
	             " initiator)"
	             " VALUES (?1, ?2, ?3, NULL, NULL, ?4, ?5)",
	[S_IT_PERSON] = "INSERT INTO interaction_person(interaction_id, person_id)"
	                " VALUES (?1, ?2)",
	[S_P_VIS] = "SELECT private, coalesce(owner, 0) FROM person WHERE id = ?1",
};

sqlite3_stmt *kith__ist(kith__isess *s, int which)
{
	sqlite3_stmt *st = s->st[which];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (sqlite3_bind_parameter_count(st) >= 9)
		sqlite3_bind_int64(st, 9, s->viewer);
	return st;
}

int kith__writable(kith__isess *s, kith_id id, int *ok, kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*ok = 1;
	if (!s->priv)
		return KITH_OK;
	st = kith__ist(s, S_P_VIS);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	*ok = rc == SQLITE_ROW && sqlite3_column_int(st, 0) &&
	      sqlite3_column_int64(st, 1) == s->viewer;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	                                             : kith__sqlerr(s->db, rc, "import", err);
}

int kith__touch(kith__isess *s, kith_id id)
{
	gpointer k = GSIZE_TO_POINTER((gsize)id);

	if (g_hash_table_contains(s->touched, k))
		return KITH_OK;
	g_hash_table_add(s->touched, k);
	return kith_idv_push(&s->touched_ids, id);
}
