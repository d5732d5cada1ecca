/* Strengths computed from the interaction log for one person, exact at any
 * "now" (orbits, due lists and trends need the past as well as today). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "score/score.h"
#include "insight/insight_impl.h"

struct acc {
	kith_strength s;
	kith_pair_sums now, then;
	int seen_then;    /* an interaction counted at "then" */
};

struct accs {
	struct acc *v;
	size_t n, cap;
	size_t *slot;     /* open addressing: index + 1, 0 = empty */
	size_t nslot;
};

static size_t hash_id(kith_id id, size_t nslot)
{
	uint64_t z = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
	return (size_t)(z ^ (z >> 29)) & (nslot - 1);
}

static int grow(struct accs *m)
{
	size_t nslot = m->nslot ? m->nslot * 2 : 64;
	size_t *slot = calloc(nslot, sizeof(*slot));

	if (!slot)
		return KITH_ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		size_t h = hash_id(m->v[i].s.person, nslot);
		while (slot[h])
			h = (h + 1) & (nslot - 1);
		slot[h] = i + 1;
	}
	free(m->slot);
	m->slot = slot;
	m->nslot = nslot;
	return KITH_OK;
}

/* The accumulator of person id, created empty when new; NULL on OOM. */
static struct acc *get(struct accs *m, kith_id id, int64_t now, int64_t then)
{
	size_t h;

	if ((m->n + 1) * 2 > m->nslot && grow(m))
		return NULL;
	for (h = hash_id(id, m->nslot); m->slot[h]; h = (h + 1) & (m->nslot - 1))
		if (m->v[m->slot[h] - 1].s.person == id)
			return &m->v[m->slot[h] - 1];
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		struct acc *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		m->v = v;
		m->cap = cap;
	}
	memset(&m->v[m->n], 0, sizeof(m->v[m->n]));
	m->v[m->n].s.person = id;
	m->v[m->n].s.trust = -1;
	m->v[m->n].now.ref = now;
	m->v[m->n].then.ref = then;
	m->slot[h] = ++m->n;
	return &m->v[m->n - 1];
}

/* The accumulator of person id, NULL when there is none. */
static const struct acc *find(const struct accs *m, kith_id id)
{
	if (!m->nslot)
		return NULL;
	for (size_t h = hash_id(id, m->nslot); m->slot[h]; h = (h + 1) & (m->nslot - 1))
		if (m->v[m->slot[h] - 1].s.person == id)
			return &m->v[m->slot[h] - 1];
	return NULL;
}

static void accs_free(struct accs *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].s.last_kind);
	free(m->v);
	free(m->slot);
}

/* h: the half-life in days (kith_score_half_life, read once by the
 * caller). */
static int read_interactions(kith_db *db, kith_id a, kith_id b, int64_t now,
                             int64_t then, double h, struct accs *m, kith_error *err)
{
	sqlite3_stmt *st;
	/* The people rows are read from main: a member's view of
	 * interaction_person checks the interaction's visibility on every
	 * row, before the join has kept only the rows wanted (one pair: the
	 * second person's rows, of which few are shared with the first).
	 * Joining the interaction itself (unqualified, so through the view)
	 * keeps exactly what the view keeps: an interaction shows only when
	 * all of its people do, so its people rows and its head count are
	 * the same in main as in the view. */
#define READ_COLS \
		"SELECT ip2.person_id, i.at, k.weight, coalesce(i.initiator, 0), i.kind," \
		" (SELECT count(*) FROM main.interaction_person c WHERE c.interaction_id = i.id)"
#define READ_REST \
		" CROSS JOIN interaction i ON i.id = ip1.interaction_id" \
		" JOIN interaction_kind k ON k.name = i.kind" \
		" WHERE ip1.person_id = ?1 AND i.at <= ?2"
	/* One pair: start from the second person's interactions (the first
	 * is usually "me", who has the most) and look the first up in their
	 * own rows of interaction_person_p: those pages are the same for
	 * every second person, so they stay in the cache, where the primary
	 * key would read a page of the table for each interaction. */
	int rc = kith__stmt(db, b
		? READ_COLS " FROM main.interaction_person ip2 CROSS JOIN main.interaction_person ip1"
		  " INDEXED BY interaction_person_p"
		  " ON ip1.interaction_id = ip2.interaction_id AND ip1.person_id <> ip2.person_id"
		  READ_REST " AND ip2.person_id = ?3 ORDER BY i.at, i.id"
		: READ_COLS " FROM main.interaction_person ip1 CROSS JOIN main.interaction_person ip2"
		  " ON ip2.interaction_id = ip1.interaction_id AND ip2.person_id <> ip1.person_id"
		  READ_REST " ORDER BY i.at, i.id", &st, err);
#undef READ_COLS
#undef READ_REST

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, now);
	if (b)
		sqlite3_bind_int64(st, 3, b);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kith_id other = sqlite3_column_int64(st, 0), init = sqlite3_column_int64(st, 3);
		int64_t at = sqlite3_column_int64(st, 1), n = sqlite3_column_int64(st, 5);
		double w = sqlite3_column_double(st, 2) / (double)(n - 1);
		struct acc *x;
		if (!kith__score_pair_counts((size_t)n, init, a, other))
			continue;
		if (!(x = get(m, other, now, then)))
			goto oom;
		kith__score_term(&x->now, a, other, init, w * kith_score_decay(at, now, h));
		if (at <= then) {
			kith__score_term(&x->then, a, other, init, w * kith_score_decay(at, then, h));
			x->seen_then = 1;
		}
		x->s.count++;
		x->s.last_at = at;
		free(x->s.last_kind);
		if (!(x->s.last_kind = kith__col_dup(st, 4, NULL)))
			goto oom;
	}
	kith__stmt_release(db, st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read interactions", err);
oom:
	kith__stmt_release(db, st);
	return kith_error_set(err, KITH_ENOMEM, "out of memory");
}

/* --- whether a pair has anything at all ------------------------------------
 *
 * The person page asks for the strength between "me" and one person after
 * another, and most people share no interaction, link or vouch with me.
 * The join of read_interactions found that out by looking up each of b's
 * interactions among a's: a page of b's in interaction_person_p (not in
 * any cache at a million people) and one descent of the index per
 * interaction of b, a quarter of a person read's time; read_ties then
 * read a page of link_pair.  Instead the people a has anything with are
 * kept on the handle (db->memo) while the database is unchanged, and b is
 * looked up among them in memory.  They come from main's tables, whatever
 * the view hides: this only says when the reads can be skipped, and a
 * pair with anything is read through the view, as before. */

#define MEMO_PEOPLE 4         /* people whose peers a handle keeps */
#define MEMO_MAX_ROWS 65536   /* past this many rows, only "too many" is kept */

struct memo_set {
	kith_id person;       /* 0: empty slot */
	unsigned version;     /* kith__db_state when read */
	int64_t changes;
	int whole;            /* ids hold all the peers (else too many to keep) */
	kith_id *ids;         /* the peers, ascending, each once */
	size_t n;
	uint64_t used;
};

struct memo {
	struct memo_set set[MEMO_PEOPLE];
	uint64_t clock;
};

static void memo_free(void *p)
{
	struct memo *m = p;

	if (!m)
		return;
	for (int i = 0; i < MEMO_PEOPLE; i++)
		free(m->set[i].ids);
	free(m);
}

/* Reads into e the people e->person shares an interaction, a link or a
 * vouch with. */
static int memo_read(kith_db *db, struct memo_set *e, kith_error *err)
{
	static const char *const sql[] = {
		/* a's range of interaction_person_p, then each interaction's
		 * people by the primary key */
		"SELECT p.person_id FROM main.interaction_person a"
		" INDEXED BY interaction_person_p"
		" JOIN main.interaction_person p ON p.interaction_id = a.interaction_id"
		" WHERE a.person_id = ?1",
		"SELECT b FROM main.link WHERE a = ?1 UNION ALL SELECT a FROM main.link WHERE b = ?1"
		" UNION ALL SELECT subject FROM main.vouch WHERE voucher = ?1"
		" UNION ALL SELECT voucher FROM main.vouch WHERE subject = ?1"};
	size_t cap = 0, w = 0;
	int rc = SQLITE_DONE;

	for (int q = 0; q < 2 && e->whole && rc == SQLITE_DONE; q++) {
		sqlite3_stmt *st;
		if ((rc = kith__stmt(db, sql[q], &st, err)))
			return rc;
		sqlite3_bind_int64(st, 1, e->person);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (e->n == MEMO_MAX_ROWS) {
				e->whole = 0;
				rc = SQLITE_DONE;
				break;
			}
			if (e->n == cap && kith__grow(&e->ids, &cap, sizeof(*e->ids), 64)) {
				kith__stmt_release(db, st);
				return kith_error_set(err, KITH_ENOMEM, "out of memory");
			}
			e->ids[e->n++] = sqlite3_column_int64(st, 0);
		}
		kith__stmt_release(db, st);
	}
	if (rc != SQLITE_DONE)
		return kith__sqlerr(db, rc, "read ties", err);
	if (!e->whole) {
		e->n = 0;
		return KITH_OK;
	}
	if (e->n)
		qsort(e->ids, e->n, sizeof(*e->ids), kith__cmp_id);
	for (size_t i = 0; i < e->n; i++)
		if (!w || e->ids[w - 1] != e->ids[i])
			e->ids[w++] = e->ids[i];
	e->n = w;
	return KITH_OK;
}

/* a's peers as of the snapshot of the statement running on db (version,
 * changes), read now when not kept: *out NULL when a has too many to
 * keep or the handle keeps something else. */
static int memo_get(kith_db *db, kith_id a, unsigned version, int64_t changes,
                    const struct memo_set **out, kith_error *err)
{
	struct memo *m = db->memo;
	struct memo_set *e = NULL;
	int rc;

	*out = NULL;
	if (!m) {
		if (db->memo_free || !(m = calloc(1, sizeof(*m))))
			return KITH_OK;
		db->memo = m;
		db->memo_free = memo_free;
	} else if (db->memo_free != memo_free) {
		return KITH_OK;
	}
	m->clock++;
	for (int i = 0; i < MEMO_PEOPLE; i++) {
		struct memo_set *x = &m->set[i];
		if (x->person == a && x->version == version && x->changes == changes) {
			x->used = m->clock;
			*out = x->whole ? x : NULL;
			return KITH_OK;
		}
		if (!e || x->person == a || (e->person != a && x->used < e->used))
			e = x;
	}
	free(e->ids);
	*e = (struct memo_set){a, version, changes, 1, NULL, 0, m->clock};
	if ((rc = memo_read(db, e, err))) {
		free(e->ids);
		*e = (struct memo_set){0};
		return rc;
	}
	*out = e->whole ? e : NULL;
	return KITH_OK;
}

/* *any = 0 when a and b share no interaction, link or vouch (in main's
 * tables), 1 when they may. */
static int share_any(kith_db *db, kith_id a, kith_id b, int *any, kith_error *err)
{
	const struct memo_set *set = NULL;
	sqlite3_stmt *st;
	unsigned version;
	int64_t changes;
	int rc, mrc = KITH_OK;

	*any = 1;
	/* Any statement that reads the database holds a read transaction
	 * while it has a row: this one reads b's row of person, which the
	 * caller has just read too. */
	if ((rc = kith__stmt(db, "SELECT count(*) FROM main.person WHERE id = ?1", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !kith__db_state(db, &version, &changes) &&
	    !(mrc = memo_get(db, a, version, changes, &set, err)) && set)
		*any = set->n && bsearch(&b, set->ids, set->n, sizeof(*set->ids), kith__cmp_id);
	kith__stmt_release(db, st);
	if (mrc)
		return mrc;
	if (rc != SQLITE_ROW)
		return kith__sqlerr(db, rc, "read interactions", err);
	return KITH_OK;
}

/* Marks links (with their best trust) and vouches between a and others. */
static int read_ties(kith_db *db, kith_id a, kith_id b, int64_t now, int64_t then,
                     struct accs *m, kith_error *err)
{
	/* One statement per case, each on an index: a pair's link is found
	 * by link_pair's key and its vouches by theirs, not among all of the
	 * first person's ("?2 = 0 OR ..." would read every one of them). */
	static const char *const around[] = {
		"SELECT CASE WHEN a = ?1 THEN b ELSE a END AS o, max(trust) FROM link"
		" WHERE a = ?1 OR b = ?1 GROUP BY o",
		"SELECT CASE WHEN voucher = ?1 THEN subject ELSE voucher END AS o, 1 FROM vouch"
		" WHERE voucher = ?1 OR subject = ?1"};
	static const char *const pair[] = {
		"SELECT ?2, max(trust) FROM link WHERE min(a, b) = min(?1, ?2)"
		" AND max(a, b) = max(?1, ?2) HAVING count(*) > 0",
		"SELECT ?2, 1 FROM vouch WHERE (voucher = ?1 AND subject = ?2)"
		" OR (voucher = ?2 AND subject = ?1)"};
	const char *const *sql = b ? pair : around;
	int rc = KITH_OK;

	for (int q = 0; !rc && q < 2; q++) {
		sqlite3_stmt *st;
		if ((rc = kith__stmt(db, sql[q], &st, err)))
			break;
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct acc *x = get(m, sqlite3_column_int64(st, 0), now, then);
			if (!x) {
				kith__stmt_release(db, st);
				return kith_error_set(err, KITH_ENOMEM, "out of memory");
			}
			if (q == 1) {
				x->s.vouched = 1;
				continue;
			}
			x->s.linked = 1;
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				x->s.trust = sqlite3_column_double(st, 1);
		}
		kith__stmt_release(db, st);
		rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read links", err);
	}
	return rc;
}

static int by_strength(const void *pa, const void *pb)
{
	const kith_strength *a = pa, *b = pb;

	if (a->strength != b->strength)
		return a->strength < b->strength ? 1 : -1;
	return (a->person > b->person) - (a->person < b->person);
}

/* Strengths between a and everyone (b 0) or b, strongest first.  With was,
 * also (*was)[i] = 1 when v[i] would be in the list computed at "then"
 * (now - KITH_SCORE_TREND_DAYS), whose strengths are v[i].then: someone
 * with an interaction counted by then, a link or a vouch. */
static int compute(kith_db *db, kith_id a, kith_id b, int64_t now,
                   kith_strength **out, size_t *n, unsigned char **was,
                   kith_error *err)
{
	struct accs m = {0};
	int64_t then = now - KITH_SCORE_TREND_DAYS * 86400LL;
	double h = kith_score_half_life(db);
	kith_strength *v;
	int any = 1;
	int rc = b ? share_any(db, a, b, &any, err) : KITH_OK;

	if (!rc && any)
		rc = read_interactions(db, a, b, now, then, h, &m, err);
	if (!rc && any)
		rc = read_ties(db, a, b, now, then, &m, err);
	if (!rc && was && !(*was = calloc(m.n ? m.n : 1, 1)))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (rc || !(v = calloc(m.n ? m.n : 1, sizeof(*v)))) {
		accs_free(&m);
		if (was && !rc) {
			free(*was);
			*was = NULL;
		}
		return rc ? rc : kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < m.n; i++) {
		struct acc *x = &m.v[i];
		x->s.raw = kith_score_raw(&x->now, now, h);
		x->s.strength = kith_score_combine(x->s.raw, x->s.trust, x->s.linked, x->s.vouched);
		x->s.then = kith_score_combine(kith_score_raw(&x->then, then, h), x->s.trust,
		                               x->s.linked, x->s.vouched);
		v[i] = x->s;
		x->s.last_kind = NULL;  /* moved */
	}
	*n = m.n;
	qsort(v, *n, sizeof(*v), by_strength);
	for (size_t i = 0; was && i < *n; i++) {
		const struct acc *x = find(&m, v[i].person);
		(*was)[i] = x && (x->seen_then || x->s.linked || x->s.vouched);
	}
	accs_free(&m);
	*out = v;
	return KITH_OK;
}

int kith_strength_around(kith_db *db, kith_id a, int64_t now,
                         kith_strength **out, size_t *n, kith_error *err)
{
	int rc = kith__person_exists(db, a, err);

	*out = NULL;
	*n = 0;
	return rc ? rc : compute(db, a, 0, now, out, n, NULL, err);
}

int kith_strength_get(kith_db *db, kith_id a, kith_id b, int64_t now,
                      kith_strength *out, kith_error *err)
{
	kith_strength *v = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->person = b;
	out->trust = -1;
	if (a == b)
		return kith_error_set(err, KITH_EINVAL, "a person has no link strength with themselves");
	if ((rc = kith__person_exists(db, a, err)) || (rc = kith__person_exists(db, b, err)) ||
	    (rc = compute(db, a, b, now, &v, &n, NULL, err)))
		return rc;
	if (n == 1) {
		*out = v[0];
		v[0].last_kind = NULL;
	}
	kith_strength_list_free(v, n);
	return KITH_OK;
}

int kith__strength_around_then(kith_db *db, kith_id a, int64_t now, kith_strength **out,
                               size_t *n, unsigned char **was, kith_error *err)
{
	int rc = kith__person_exists(db, a, err);

	*out = NULL;
	*n = 0;
	*was = NULL;
	return rc ? rc : compute(db, a, 0, now, out, n, was, err);
}

void kith_strength_clear(kith_strength *s)
{
	if (s) {
		free(s->last_kind);
		s->last_kind = NULL;
	}
}

void kith_strength_list_free(kith_strength *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].last_kind);
	free(v);
}
