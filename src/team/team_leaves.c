/*
 * What leaves with a member: the relationships only they hold, the
 * organisations the team would lose its way into, and for each the
 * teammate best placed to be introduced before they go.
 *
 * "Holds" is a link of strength >= min from the member's person.  Another
 * member reaches a person when a chain of at most 2 links, not through
 * the leaving member's person, has strength >= min: the direct link, or
 * the best common contact (kith_graph_mutual).  O(held x members x degree).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "team_impl.h"
#include "kith/member.h"

/* At most this many people of one organisation are checked for another
 * way in; an organisation larger than that counts as not lost. */
#define LEAVES_MAX_STAFF 2000

/* The best chain of at most 2 links from a to x avoiding person avoid. */
static double best2(kith_graph *g, kith_id a, kith_id x, kith_id avoid)
{
	kith_mutual *m;
	size_t n;
	double best = team__edge(g, a, x);

	if (kith_graph_mutual(g, a, x, &m, &n, NULL))
		return best;
	for (size_t i = 0; i < n; i++)
		if (m[i].id != avoid && m[i].strength_a * m[i].strength_b > best)
			best = m[i].strength_a * m[i].strength_b;
	free(m);
	return best;
}

/* The strongest chain to x of a member other than t->v[self]. */
static double others_best2(kith_graph *g, const struct team *t, size_t self, kith_id x)
{
	double best = 0;

	for (size_t i = 0; i < t->n; i++) {
		if (i == self)
			continue;
		if (t->v[i].person == x)
			return 1;
		double s = best2(g, t->v[i].person, x, t->v[self].person);
		if (s > best)
			best = s;
	}
	return best;
}

/* The best chain to x of another member that does not go through the
 * leaving member's person. */
static int suggest(kith_graph *g, const struct team *t, size_t self, kith_id x,
                   kith_chain *out, kith_error *err)
{
	kith_path best = {0};
	kith_id who = 0;
	int rc = KITH_OK;

	for (size_t i = 0; i < t->n && !rc; i++) {
		kith_path *v;
		size_t n;
		if (i == self || t->v[i].person == x)
			continue;
		if ((rc = kith_graph_intro(g, t->v[i].person, x, KITH_INTRO_DEFAULT_HOPS, 3, &v, &n,
		                           err)))
			break;
		for (size_t k = 0; k < n; k++)
			if (!team__path_has(&v[k], t->v[self].person)) {
				if (v[k].strength > best.strength) {
					kith_path_clear(&best);
					best = v[k];
					memset(&v[k], 0, sizeof(v[k]));
					who = t->v[i].member;
				}
				break;
			}
		kith_path_list_free(v, n);
	}
	if (!rc)
		rc = team__chain_from(g, who, &best, out, err);
	kith_path_clear(&best);
	return rc;
}

static int cmp_held(const void *a, const void *b)
{
	const kith_held *x = a, *y = b;

	if (x->strength != y->strength)
		return x->strength > y->strength ? -1 : 1;
	return x->person < y->person ? -1 : x->person > y->person;
}

/* Current orgs of person x, by id. */
static int current_orgs(kith_db *db, kith_id x, kith_id **out, size_t *n, kith_error *err)
{
	kith_job *j;
	size_t nj;
	int rc = kith_job_list(db, x, &j, &nj, err);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	if (nj && !(*out = calloc(nj, sizeof(**out))))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < nj; i++) {
		int dup = 0;
		for (size_t k = 0; k < *n; k++)
			dup |= (*out)[k] == j[i].org;
		if (!j[i].to && !dup)
			(*out)[(*n)++] = j[i].org;
	}
	kith_job_list_free(j, nj);
	if (!rc && *n)
		qsort(*out, *n, sizeof(**out), kith__cmp_id);
	return rc;
}

/* Whether the team keeps a way into org without member self: someone
 * working there now whom another member reaches, or another member's
 * own person working there. */
static int org_kept(kith_db *db, kith_graph *g, const struct team *t, size_t self, kith_id org,
                    double min, int *kept, kith_error *err)
{
	kith_job *j;
	size_t nj;
	int rc = kith_job_list_at(db, org, &j, &nj, err);

	*kept = nj > LEAVES_MAX_STAFF;
	for (size_t i = 0; !rc && !*kept && i < nj; i++) {
		if (j[i].to || j[i].person == t->v[self].person)
			continue;
		*kept = others_best2(g, t, self, j[i].person) >= min;
	}
	kith_job_list_free(j, nj);
	return rc;
}

static int one_member(kith_db *db, kith_graph *g, const struct team *t, size_t self, double min,
                      kith_leaves *out, kith_error *err)
{
	kith_near_filter f = {.within = 1};
	kith_near_hit *h;
	size_t nh, cap = 0;
	int rc;

	out->member = t->v[self].member;
	out->person = t->v[self].person;
	if ((rc = kith_graph_near(g, t->v[self].person, &f, &h, &nh, err)))
		return rc;
	for (size_t i = 0; i < nh && !rc; i++) {
		if (h[i].strength < min || team__is_member_person(t, h[i].id))
			continue;
		double others = others_best2(g, t, self, h[i].id);
		if (others >= min)
			continue;
		if (out->nheld == cap && kith__grow(&out->held, &cap, sizeof(*out->held), 8)) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			break;
		}
		kith_held *x = &out->held[out->nheld++];
		memset(x, 0, sizeof(*x));
		x->person = h[i].id;
		x->strength = h[i].strength;
		x->others = others;
		if (!(rc = suggest(g, t, self, x->person, &x->suggest, err)))
			rc = current_orgs(db, x->person, &x->orgs, &x->norgs, err);
	}
	free(h);
	if (rc)
		return rc;
	if (out->nheld)
		qsort(out->held, out->nheld, sizeof(*out->held), cmp_held);
	/* Orgs: each current org of a held person, once, kept or lost. */
	size_t lcap = 0;
	kith_idv seen = {0};
	for (size_t i = 0; i < out->nheld && !rc; i++)
		for (size_t k = 0; k < out->held[i].norgs && !rc; k++) {
			kith_id org = out->held[i].orgs[k];
			int dup = 0, kept;
			for (size_t s = 0; s < seen.n; s++)
				dup |= seen.v[s] == org;
			if (dup)
				continue;
			if (kith_idv_push(&seen, org) ||
			    (out->nlost == lcap && kith__grow(&out->lost_orgs, &lcap,
			                                      sizeof(*out->lost_orgs), 4))) {
				rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
				break;
			}
			if (!(rc = org_kept(db, g, t, self, org, min, &kept, err)) && !kept)
				out->lost_orgs[out->nlost++] = org;
		}
	kith_idv_clear(&seen);
	if (!rc && out->nlost)
		qsort(out->lost_orgs, out->nlost, sizeof(*out->lost_orgs), kith__cmp_id);
	return rc;
}

void kith_leaves_list_free(kith_leaves *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		for (size_t k = 0; k < v[i].nheld; k++) {
			kith_chain_clear(&v[i].held[k].suggest);
			free(v[i].held[k].orgs);
		}
		free(v[i].held);
		free(v[i].lost_orgs);
	}
	free(v);
}

int kith_team_leaves(kith_db *db, kith_graph *g, kith_id member, double min,
                     kith_leaves **out, size_t *n, kith_error *err)
{
	struct team t;
	size_t want = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (min == 0)
		min = KITH_LEAVES_DEFAULT_MIN;
	if (!(min > 0 && min <= 1))
		return kith_error_set(err, KITH_EINVAL, "the threshold must be in (0, 1]");
	if ((rc = team__load(db, &t, err)))
		return rc;
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].member == member)
			want = i + 1;
	if (member && !want) {
		team__clear(&t);
		return kith_error_set(err, KITH_ENOTFOUND, "no member #%lld", (long long)member);
	}
	if (t.n && !(*out = calloc(member ? 1 : t.n, sizeof(**out))))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < t.n; i++) {
		if (member && i + 1 != want)
			continue;
		rc = one_member(db, g, &t, i, min, &(*out)[(*n)++], err);
	}
	team__clear(&t);
	if (rc) {
		kith_leaves_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
