/*
 * Link strength (docs/score.md): decayed, kind-weighted interaction sums
 * per pair, two-way exchanges counting more than one-way, combined with
 * explicit trust, the link itself and vouches.  Three ways to get it:
 * live from the log for one person (exact at any "now"), the cached pair
 * sums for the whole network (graph weights), and a full recompute.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "score_impl.h"

double kith_score_half_life(kith_db *db)
{
	sqlite3_stmt *st;
	double h = 90;

	if (kith__stmt(db, "SELECT value FROM config WHERE key = 'half_life_days'", &st, NULL))
		return h;
	if (sqlite3_step(st) == SQLITE_ROW)
		h = sqlite3_column_double(st, 0);
	kith__stmt_release(db, st);
	return h >= 1 ? h : 90;
}

double kith_score_decay(int64_t from, int64_t to, double half_life)
{
	return exp2(-((double)(to - from) / 86400.0) / half_life);
}

double kith_score_raw(const kith_pair_sums *s, int64_t t, double half_life)
{
	double f = kith_score_decay(s->ref, t, half_life);
	double u = s->u * f, ab = s->ab * f, ba = s->ba * f;

	/* One-way streams count half; what is matched in both directions
	 * counts in full.  Adding any interaction can only raise this. */
	return u + 0.5 * (ab + ba) + (ab < ba ? ab : ba);
}

double kith_score_combine(double raw, double trust, int linked, int vouched)
{
	double miss = exp(-raw / KITH_SCORE_SATURATION);  /* 1 - interaction share */

	if (trust >= 0)
		miss *= 1 - KITH_SCORE_TRUST_WEIGHT * (trust > 1 ? 1 : trust);
	if (linked)
		miss *= 1 - KITH_SCORE_LINK_BASE;
	if (vouched)
		miss *= 1 - KITH_SCORE_VOUCH_BONUS;
	return 1 - miss;
}

void kith__score_term(kith_pair_sums *s, kith_id a, kith_id b, kith_id initiator,
                      double w)
{
	if (initiator == a)
		s->ab += w;
	else if (initiator == b)
		s->ba += w;
	else
		s->u += w;
}

/* --- the cache, kept in step with every interaction ------------------- */

void kith__pair_rebase(kith_pair_sums *s, int64_t ref, double h)
{
	if (ref > s->ref) {
		double f = kith_score_decay(s->ref, ref, h);
		s->u *= f;
		s->ab *= f;
		s->ba *= f;
		s->ref = ref;
	}
}

void kith__score_add(kith_pair_sums *s, kith_id a, kith_id b, kith_id initiator,
                     double w, int64_t at, int sign, double h)
{
	kith_pair_sums t = {0, 0, 0, at};

	kith__pair_rebase(s, at, h);
	kith__score_term(&t, a, b, initiator, sign * w * kith_score_decay(at, s->ref, h));
	/* Rounding can leave a hair below zero after a removal. */
	s->u = fmax(0, s->u + t.u);
	s->ab = fmax(0, s->ab + t.ab);
	s->ba = fmax(0, s->ba + t.ba);
}

/* Adds (sign > 0) or takes back one interaction's weight w at time at to
 * the cached sums of pair a < b. */
static int update_pair(kith_db *db, kith_id a, kith_id b, kith_id initiator, double w,
                       int64_t at, int sign, double h, kith_error *err)
{
	kith_pair_sums s = {0, 0, 0, at};
	int found, rc = kith__pair_read(db, a, b, &s, &found, err);

	if (rc || (!found && sign < 0))
		return rc;
	kith__score_add(&s, a, b, initiator, w, at, sign, h);
	return kith__pair_write(db, a, b, &s, err);
}

int kith__kind_weight(kith_db *db, const char *kind, double *w, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, "SELECT weight FROM interaction_kind WHERE name = ?1",
	                       &st, err);

	if (rc)
		return rc;
	kith__bind_text(st, 1, kind);
	rc = sqlite3_step(st);
	*w = rc == SQLITE_ROW ? sqlite3_column_double(st, 0) : 1.0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	       : kith__sqlerr(db, rc, "read kind", err);
}

int kith__bump_generation(kith_db *db, kith_error *err)
{
	return kith__exec(db, "UPDATE graph_state SET generation = generation + 1,"
	                  " token = random() WHERE id = 1", "update graph", err);
}

/* Whether interaction id counts in the pair cache: a team interaction
 * among team people, which every member sees.  The rest is added to each
 * view's weights by the view itself (score_overlay.c), so no member's
 * weights move when another member writes privately. */
static int shared(kith_db *db, kith_id id, int *yes, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__stmt(db, "SELECT NOT private AND NOT EXISTS (SELECT 1 FROM"
	                    " main.interaction_person ip JOIN main.person p ON"
	                    " p.id = ip.person_id WHERE ip.interaction_id = ?1 AND p.private)"
	                    " FROM main.interaction WHERE id = ?1", &st, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	kith__stmt_release(db, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KITH_OK
	       : kith__sqlerr(db, rc, "read interaction", err);
}

int kith__score_interaction(kith_db *db, const kith_interaction *it, int sign,
                            kith_error *err)
{
	size_t n = it->people.n;
	double h = kith_score_half_life(db), w;
	int yes, rc = shared(db, it->id, &yes, err);

	if (rc)
		return rc;
	if (!yes)
		return kith__bump_generation(db, err);
	rc = kith__kind_weight(db, it->kind, &w, err);

	w /= (double)(n - 1);  /* a group meeting is shared among its pairs */
	for (size_t i = 0; !rc && i < n; i++)
		for (size_t j = i + 1; !rc && j < n; j++) {
			kith_id a = it->people.v[i], b = it->people.v[j];
			if (!kith__score_pair_counts(n, it->initiator, a, b))
				continue;
			if (a > b) {
				kith_id t = a;
				a = b;
				b = t;
			}
			rc = update_pair(db, a, b, it->initiator, w, it->at, sign, h, err);
		}
	if (!rc)
		rc = kith__bump_generation(db, err);
	return rc;
}

int kith__score_pair_counts(size_t n, kith_id initiator, kith_id a, kith_id b)
{
	/* In a crowd (a conference call of 40), only the organiser's ties are
	 * strengthened: everyone else merely shared a room. */
	return n <= KITH_SCORE_MAX_GROUP || a == initiator || b == initiator;
}
