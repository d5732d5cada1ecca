/*
 * Introduction requests (kith/intro_request.h): who asked whom for an
 * introduction to whom, along which chain, and what came of it.
 *
 * The table has no owner/private columns and no viewer view: a request
 * belongs to its two members, so every read here names the member it
 * reads for and checks the people it shows against that member's
 * visibility (main.person / main.link, as the viewer views in
 * src/store/visibility.c define it), whatever handle it is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kith/interaction.h"
#include "kith/intro_request.h"
#include "kith/json.h"
#include "kith/member.h"

static const char *const outcomes[] = {"met", "hired", "deal", "partnership", "nothing", NULL};

static int is_outcome(const char *s)
{
	for (int i = 0; outcomes[i]; i++)
		if (strcmp(s, outcomes[i]) == 0)
			return 1;
	return 0;
}

void kith_intro_request_clear(kith_intro_request *r)
{
	if (!r)
		return;
	free(r->chain);
	free(r->note);
	free(r->status);
	free(r->outcome);
	memset(r, 0, sizeof(*r));
}

void kith_intro_request_list_free(kith_intro_request *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		kith_intro_request_clear(&v[i]);
	free(v);
}

/* --- who sees what ---------------------------------------------------- */

/* Whether member sees person id (member 0: the database's own user). */
static int sees_person(kith_db *db, kith_id member, kith_id id)
{
	int64_t x = 0;
	char sql[160];

	if (!member)
		return kith__query_int64(db, "SELECT count(*) FROM main.person WHERE id = ?1", id, &x,
		                         "read person", NULL) == KITH_OK && x > 0;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM main.person WHERE id = ?1 AND"
	         " (private = 0 OR owner = %lld)", (long long)member);
	return kith__query_int64(db, sql, id, &x, "read person", NULL) == KITH_OK && x > 0;
}

/* Whether member sees a link between a and b. */
static int sees_link(kith_db *db, kith_id member, kith_id a, kith_id b)
{
	sqlite3_stmt *st;
	int rc, yes;

	if (kith__prepare(db, "SELECT 1 FROM main.link WHERE ((a = ?1 AND b = ?2) OR"
	                  " (a = ?2 AND b = ?1)) AND (private = 0 OR owner = ?3) LIMIT 1",
	                  &st, NULL))
		return 0;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_int64(st, 3, member);
	rc = sqlite3_step(st);
	yes = rc == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/* Whether member may see request r: a party, and every person on it
 * visible to them. */
static int may_see(kith_db *db, kith_id member, const kith_intro_request *r)
{
	if (member && r->asker != member && r->asked != member)
		return 0;
	if (!sees_person(db, member, r->target))
		return 0;
	for (size_t i = 0; i < r->nchain; i++)
		if (!sees_person(db, member, r->chain[i]))
			return 0;
	return 1;
}

static int not_found(kith_error *err, kith_id id)
{
	return kith_error_set(err, KITH_ENOTFOUND, "no introduction request #%lld", (long long)id);
}

/* --- rows ----------------------------------------------------------------- */

#define REQUEST_COLS "id, asker, asked, target, chain, strength, note, status, outcome," \
	" asked_at, coalesce(answered_at, 0), coalesce(made_at, 0), coalesce(outcome_at, 0)," \
	" coalesce(interaction_id, 0), coalesce(favour_id, 0)"

static int parse_chain(const char *s, kith_intro_request *r)
{
	size_t cap = 0;

	while (s && *s) {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (end == s)
			break;
		if (r->nchain == cap && kith__grow(&r->chain, &cap, sizeof(*r->chain), 4))
			return -1;
		r->chain[r->nchain++] = v;
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static int read_row(sqlite3_stmt *st, kith_intro_request *r)
{
	int oom = 0;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->asker = sqlite3_column_int64(st, 1);
	r->asked = sqlite3_column_int64(st, 2);
	r->target = sqlite3_column_int64(st, 3);
	oom |= parse_chain((const char *)sqlite3_column_text(st, 4), r);
	r->strength = sqlite3_column_double(st, 5);
	r->note = kith__col_dup(st, 6, &oom);
	r->status = kith__col_dup(st, 7, &oom);
	r->outcome = kith__col_dup(st, 8, &oom);
	r->asked_at = sqlite3_column_int64(st, 9);
	r->answered_at = sqlite3_column_int64(st, 10);
	r->made_at = sqlite3_column_int64(st, 11);
	r->outcome_at = sqlite3_column_int64(st, 12);
	r->interaction = sqlite3_column_int64(st, 13);
	r->favour = sqlite3_column_int64(st, 14);
	return oom ? -1 : 0;
}

int kith_intro_request_get(kith_db *db, kith_id member, kith_id id, kith_intro_request *out,
                           kith_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = kith__prepare(db, "SELECT " REQUEST_COLS " FROM main.intro_request WHERE id = ?1",
	                        &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = read_row(st, out) ? kith_error_set(err, KITH_ENOMEM, "out of memory") : KITH_OK;
	else if (rc == SQLITE_DONE)
		rc = not_found(err, id);
	else
		rc = kith__sqlerr(db, rc, "read introduction request", err);
	sqlite3_finalize(st);
	if (!rc && !may_see(db, member, out))
		rc = not_found(err, id);
	if (rc)
		kith_intro_request_clear(out);
	return rc;
}

int kith_intro_request_list(kith_db *db, kith_id member, int side, const char *status,
                            kith_intro_request **out, size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	kith_intro_request *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = kith__prepare(db, "SELECT " REQUEST_COLS " FROM main.intro_request"
	                        " WHERE (?1 = 0 OR (?2 <> 2 AND asked = ?1) OR (?2 <> 1 AND asker = ?1))"
	                        " AND (?3 IS NULL OR status = ?3) ORDER BY asked_at DESC, id DESC",
	                        &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member);
	sqlite3_bind_int(st, 2, side);
	kith__bind_text(st, 3, status);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap && kith__grow(&v, &cap, sizeof(*v), 8)) {
			oom = 1;
			break;
		}
		if (read_row(st, &v[cnt])) {
			kith_intro_request_clear(&v[cnt]);
			oom = 1;
			break;
		}
		if (may_see(db, member, &v[cnt]))
			cnt++;
		else
			kith_intro_request_clear(&v[cnt]);
	}
	sqlite3_finalize(st);
	if (oom || rc != SQLITE_DONE) {
		kith_intro_request_list_free(v, cnt);
		return oom ? kith_error_set(err, KITH_ENOMEM, "out of memory")
		           : kith__sqlerr(db, rc, "list introduction requests", err);
	}
	*out = v;
	*n = cnt;
	return KITH_OK;
}

/* --- asking ----------------------------------------------------------------- */

static int member_person(kith_db *db, kith_id member, kith_id *person, kith_error *err)
{
	kith_member m;
	int rc = kith_member_get(db, member, &m, err);

	if (rc)
		return rc;
	*person = m.person;
	kith_member_clear(&m);
	return KITH_OK;
}

/* The checks of a new request, inside its transaction. */
static int check_ask(kith_db *db, kith_id asker, kith_id asked, const kith_intro_request *r,
                     kith_error *err)
{
	kith_id asker_person, asked_person;
	char label[160];
	int rc;

	if (r->nchain < 2 || r->nchain > KITH_INTRO_REQUEST_MAX_CHAIN)
		return kith_error_set(err, KITH_EINVAL, "a chain has 2 to %d people",
		                      KITH_INTRO_REQUEST_MAX_CHAIN);
	if (asker == asked)
		return kith_error_set(err, KITH_EINVAL, "ask a teammate, not yourself");
	if ((rc = member_person(db, asker, &asker_person, err)) ||
	    (rc = member_person(db, asked, &asked_person, err)))
		return rc;
	if (!asker_person || !sees_person(db, asker, asker_person))
		return kith_error_set(err, KITH_EINVAL, "your member has no person in the network");
	for (size_t i = 0; i < r->nchain; i++)
		if (!sees_person(db, asker, r->chain[i]))
			return kith_error_set(err, KITH_ENOTFOUND, "no person #%lld",
			                      (long long)r->chain[i]);
	if (!asked_person || r->chain[0] != asked_person || !sees_person(db, asker, asked_person))
		return kith_error_set(err, KITH_EINVAL, "the chain must start at the person of the "
		                      "member asked");
	if (r->chain[r->nchain - 1] == asker_person)
		return kith_error_set(err, KITH_EINVAL, "that chain leads to yourself");
	/* What the teammate would see: people and links they may not see
	 * are the asker's own; asking does not share them. */
	for (size_t i = 0; i < r->nchain; i++) {
		if (sees_person(db, asked, r->chain[i]))
			continue;
		kith__person_label(db, r->chain[i], label, sizeof(label));
		return kith_error_set(err, KITH_EINVAL, "%s is private to you: make them team "
		                      "before asking a teammate", label);
	}
	for (size_t i = 0; i + 1 < r->nchain; i++)
		if (!sees_link(db, asker, r->chain[i], r->chain[i + 1]) ||
		    !sees_link(db, asked, r->chain[i], r->chain[i + 1]))
			return kith_error_set(err, KITH_EINVAL, "the chain uses a link your teammate "
			                      "cannot see: ask along a team chain");
	return kith__text_check("note", r->note, KITH_TEXT_NOTE, err);
}

static char *chain_text(const kith_intro_request *r)
{
	size_t cap = r->nchain * 21 + 1, len = 0;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	s[0] = 0;
	for (size_t i = 0; i < r->nchain; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s%lld", i ? "," : "",
		                        (long long)r->chain[i]);
	return s;
}

int kith_intro_request_add(kith_db *db, kith_id asker, kith_id asked, kith_intro_request *r,
                           kith_error *err)
{
	sqlite3_stmt *st = NULL;
	char *chain = NULL;
	int64_t now = kith_db_now(db);
	int rc;

	if ((rc = kith_db_begin(db, err)))
		return rc;
	if (!(rc = check_ask(db, asker, asked, r, err)) && !(chain = chain_text(r)))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!rc)
		rc = kith__prepare(db, "INSERT INTO main.intro_request(asker, asked, target, chain,"
		                   " strength, note, status, asked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		                   " 'asked', ?7)", &st, err);
	if (!rc) {
		sqlite3_bind_int64(st, 1, asker);
		sqlite3_bind_int64(st, 2, asked);
		sqlite3_bind_int64(st, 3, r->chain[r->nchain - 1]);
		sqlite3_bind_text(st, 4, chain, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 5, r->strength);
		kith__bind_text(st, 6, r->note && *r->note ? r->note : NULL);
		sqlite3_bind_int64(st, 7, now);
		rc = kith__step_done(db, st, "ask for an introduction", err);
	}
	sqlite3_finalize(st);
	free(chain);
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	r->id = sqlite3_last_insert_rowid(db->h);
	r->asker = asker;
	r->asked = asked;
	r->target = r->chain[r->nchain - 1];
	r->asked_at = now;
	return kith_db_commit(db, err);
}

/* --- moving on ------------------------------------------------------------- */

/* Logs the introduction and the introducer's favour; their ids into *it
 * and *fav. */
static int log_made(kith_db *db, const kith_intro_request *r, int64_t at, kith_id *it,
                    kith_id *fav, kith_error *err)
{
	kith_interaction a = {0}, f = {0};
	kith_id introducer, asker_person;
	char note[200];
	int rc;

	if ((rc = member_person(db, r->asked, &introducer, err)) ||
	    (rc = member_person(db, r->asker, &asker_person, err)))
		return rc;
	if (!introducer || !asker_person)
		return kith_error_set(err, KITH_ECONFLICT, "a member of this request has no person "
		                      "in the network");
	snprintf(note, sizeof(note), "introduction request #%lld", (long long)r->id);
	a.at = f.at = at;
	/* kith_interaction_add puts its strings in NFC and trims them in
	 * place: they must be the heap's. */
	a.kind = kith__strdup("introduction");
	f.kind = kith__strdup("favour");
	a.notes = kith__strdup(note);
	f.notes = kith__strdup(note);
	a.initiator = f.giver = introducer;
	f.value = 1;
	if (!a.kind || !f.kind || !a.notes || !f.notes || kith_idv_push(&a.people, introducer) || kith_idv_push(&a.people, asker_person) ||
	    kith_idv_push(&a.people, r->target) || kith_idv_push(&f.people, introducer) ||
	    kith_idv_push(&f.people, asker_person))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!rc && !(rc = kith_interaction_add(db, &a, err)))
		rc = kith_interaction_add(db, &f, err);
	*it = a.id;
	*fav = f.id;
	kith_interaction_clear(&a);
	kith_interaction_clear(&f);
	return rc;
}

/* The rule of one move: who may make it and from which status. */
static int check_move(const kith_intro_request *r, kith_id member, const char *to,
                      kith_error *err)
{
	int asked = member == 0 || member == r->asked, asker = member == 0 || member == r->asker;
	int open = strcmp(r->status, "asked") == 0 || strcmp(r->status, "accepted") == 0;

	if (is_outcome(to)) {
		if (strcmp(r->status, "made") != 0)
			return kith_error_set(err, KITH_ECONFLICT, "introduction request #%lld is %s: "
			                      "an outcome follows an introduction made",
			                      (long long)r->id, r->status);
		return KITH_OK;
	}
	if (strcmp(to, "withdrawn") == 0) {
		if (!asker)
			return kith_error_set(err, KITH_EPERM, "only the member who asked may withdraw it");
	} else if (!asked) {
		return kith_error_set(err, KITH_EPERM, "only the member asked may say it is %s", to);
	}
	if (!open || (strcmp(to, "made") != 0 && strcmp(to, "withdrawn") != 0 &&
	              strcmp(r->status, "asked") != 0))
		return kith_error_set(err, KITH_ECONFLICT, "introduction request #%lld is %s: it "
		                      "cannot be %s", (long long)r->id, r->status, to);
	return KITH_OK;
}

static int write_move(kith_db *db, const kith_intro_request *r, const char *to, int64_t at,
                      kith_error *err)
{
	kith_id it = 0, fav = 0;
	sqlite3_stmt *st;
	int rc = KITH_OK;

	if (strcmp(to, "made") == 0)
		rc = log_made(db, r, at, &it, &fav, err);
	if (rc)
		return rc;
	if (is_outcome(to))
		rc = kith__prepare(db, "UPDATE main.intro_request SET outcome = ?2, outcome_at = ?3"
		                   " WHERE id = ?1", &st, err);
	else if (strcmp(to, "made") == 0)
		rc = kith__prepare(db, "UPDATE main.intro_request SET status = ?2, made_at = ?3,"
		                   " answered_at = coalesce(answered_at, ?3), interaction_id = ?4,"
		                   " favour_id = ?5 WHERE id = ?1", &st, err);
	else
		rc = kith__prepare(db, "UPDATE main.intro_request SET status = ?2, answered_at = ?3"
		                   " WHERE id = ?1", &st, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	if (strcmp(to, "made") == 0) {
		sqlite3_bind_int64(st, 4, it);
		sqlite3_bind_int64(st, 5, fav);
	}
	rc = kith__step_done(db, st, "update introduction request", err);
	sqlite3_finalize(st);
	return rc;
}

int kith_intro_request_move(kith_db *db, kith_id member, kith_id id, const char *to, int64_t at,
                            kith_error *err)
{
	static const char *const moves[] = {"accepted", "declined", "made", "withdrawn", NULL};
	kith_intro_request r;
	int rc, known = to && is_outcome(to);

	for (int i = 0; to && !known && moves[i]; i++)
		known = strcmp(to, moves[i]) == 0;
	if (!known)
		return kith_error_set(err, KITH_EINVAL, "'%s' is not a move: accepted, declined, made, "
		                      "withdrawn, or an outcome (met, hired, deal, partnership, nothing)",
		                      to ? to : "");
	if (!at)
		at = kith_db_now(db);
	if ((rc = kith_db_begin(db, err)))
		return rc;
	/* Read and checked inside the transaction that writes. */
	if (!(rc = kith_intro_request_get(db, member, id, &r, err))) {
		if (!(rc = check_move(&r, member, to, err)))
			rc = write_move(db, &r, to, at, err);
		kith_intro_request_clear(&r);
	}
	if (rc) {
		kith_db_rollback(db);
		return rc;
	}
	return kith_db_commit(db, err);
}

/* --- JSON ----------------------------------------------------------------- */

static json_t *name_of(kith_db *db, const char *sql, kith_id id)
{
	sqlite3_stmt *st;
	json_t *j = NULL;

	if (kith__prepare(db, sql, &st, NULL))
		return json_pack("{s:I, s:n}", "id", (json_int_t)id, "name");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		j = json_pack("{s:I, s:o}", "id", (json_int_t)id, "name",
		              kith__json_str((const char *)sqlite3_column_text(st, 0)));
	sqlite3_finalize(st);
	return j ? j : json_pack("{s:I, s:n}", "id", (json_int_t)id, "name");
}

static json_t *when(int64_t t)
{
	return t ? kith_time_json(t) : json_null();
}

json_t *kith_intro_request_json(kith_db *db, const kith_intro_request *r)
{
	static const char person_sql[] = "SELECT display_name FROM person WHERE id = ?1";
	static const char member_sql[] = "SELECT name FROM main.member WHERE id = ?1";
	json_t *chain = json_array();

	for (size_t i = 0; i < r->nchain; i++)
		json_array_append_new(chain, name_of(db, person_sql, r->chain[i]));
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:f, s:o, s:s, s:o, s:o, s:o, s:o, s:o,"
	                 " s:o, s:o}",
	                 "id", (json_int_t)r->id, "asker", name_of(db, member_sql, r->asker),
	                 "asked", name_of(db, member_sql, r->asked),
	                 "to", name_of(db, person_sql, r->target), "chain", chain,
	                 "strength", r->strength, "note", kith__json_str(r->note),
	                 "status", r->status, "outcome", kith__json_str(r->outcome),
	                 "asked_at", when(r->asked_at), "answered_at", when(r->answered_at),
	                 "made_at", when(r->made_at), "outcome_at", when(r->outcome_at),
	                 "interaction", r->interaction ? json_integer(r->interaction) : json_null(),
	                 "favour", r->favour ? json_integer(r->favour) : json_null());
}
