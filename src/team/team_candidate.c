/*
 * Hiring within two degrees: how close a person is to each member (degree,
 * the shortest and the strongest chains, the contacts they share), and who
 * vouches for them, with what trust and how close that voucher is to us.
 */
#include <stdlib.h>
#include <string.h>

#include "team_impl.h"
#include "kith/score.h"

void kith_candidate_clear(kith_candidate *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nties; i++) {
		kith_path_clear(&c->ties[i].shortest);
		kith_chain_clear(&c->ties[i].strongest);
		free(c->ties[i].mutual);
	}
	free(c->ties);
	free(c->vouches);
	memset(c, 0, sizeof(*c));
}

/* Degree, one shortest chain and the mutual contacts of member m and x
 * (the strongest chain comes after, for all members at once). */
static int tie(kith_graph *g, const struct team_member *m, kith_id x, kith_candidate_tie *out,
               kith_error *err)
{
	kith_mutual *mu;
	size_t n;
	int rc;

	out->member = m->member;
	out->degree = -1;
	if ((rc = kith_graph_path(g, m->person, x, &out->shortest, err)))
		return rc;
	if (out->shortest.len)
		out->degree = (int)out->shortest.len - 1;
	if (m->person == x || (rc = kith_graph_mutual(g, m->person, x, &mu, &n, err)))
		return rc;
	if (n && !(out->mutual = calloc(n, sizeof(*out->mutual))))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n; i++)
		out->mutual[out->nmutual++] = mu[i].id;
	free(mu);
	return rc;
}

/* The hop limit of a member's strongest chain to a candidate d links away. */
static int strongest_hops(int d)
{
	return d + KITH_CANDIDATE_DETOUR < KITH_INTRO_MAX_HOPS ? d + KITH_CANDIDATE_DETOUR
	                                                       : KITH_INTRO_MAX_HOPS;
}

/*
 * Every reachable member's strongest chain to x, within their degree plus
 * KITH_CANDIDATE_DETOUR links.  Members with the same limit share one
 * search from x (kith_graph_intro_many): a limit of 12 over a million
 * people would be the whole network once per member.
 */
static int strongest(kith_graph *g, const struct team *t, kith_id x, kith_candidate *out,
                     kith_error *err)
{
	kith_id *from = malloc((t->n ? t->n : 1) * sizeof(*from));
	size_t *idx = malloc((t->n ? t->n : 1) * sizeof(*idx));
	kith_path **v = calloc(t->n ? t->n : 1, sizeof(*v));
	size_t *nv = calloc(t->n ? t->n : 1, sizeof(*nv));
	int rc = KITH_OK;

	if (!from || !idx || !v || !nv) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto done;
	}
	for (int h = KITH_CANDIDATE_DETOUR; h <= KITH_INTRO_MAX_HOPS && !rc; h++) {
		size_t k = 0;
		for (size_t i = 0; i < out->nties; i++)
			if (out->ties[i].degree >= 0 && strongest_hops(out->ties[i].degree) == h) {
				idx[k] = i;
				from[k++] = t->v[i].person;
			}
		if (!k || (rc = kith_graph_intro_many(g, from, k, x, h, 0, v, nv, err)))
			continue;
		for (size_t j = 0; j < k; j++) {
			if (!rc && nv[j])
				rc = team__chain_from(g, t->v[idx[j]].member, &v[j][0],
				                      &out->ties[idx[j]].strongest, err);
			kith_path_list_free(v[j], nv[j]);
			v[j] = NULL;
			nv[j] = 0;
		}
	}
done:
	free(from);
	free(idx);
	free(v);
	free(nv);
	return rc;
}

/* The member with the strongest chain to voucher v. */
static void closest_member(kith_graph *g, const struct team *t, kith_candidate_vouch *v)
{
	for (size_t i = 0; i < t->n; i++) {
		kith_path *p;
		size_t n;
		double s = 0;
		if (t->v[i].person == v->voucher) {
			s = 1;
		} else if (!kith_graph_intro(g, t->v[i].person, v->voucher, KITH_INTRO_DEFAULT_HOPS, 0,
		                             &p, &n, NULL)) {
			s = n ? p[0].strength : 0;
			kith_path_list_free(p, n);
		}
		if (s > v->member_chain) {
			v->member_chain = s;
			v->member = t->v[i].member;
		}
	}
}

static int vouches(kith_db *db, kith_graph *g, const struct team *t, kith_id x, int64_t now,
                   kith_candidate *out, kith_error *err)
{
	kith_vouch *v;
	size_t n;
	int rc = kith_vouch_list(db, x, &v, &n, err);

	if (rc)
		return rc;
	if (n && !(out->vouches = calloc(n, sizeof(*out->vouches))))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < n; i++) {
		kith_strength s;
		if (v[i].subject != x)
			continue;
		kith_candidate_vouch *c = &out->vouches[out->nvouches++];
		c->voucher = v[i].voucher;
		c->created = v[i].created;
		c->trust = -1;
		if ((rc = kith_strength_get(db, v[i].voucher, x, now, &s, err)))
			break;
		c->trust = s.trust;
		c->strength = s.strength;
		kith_strength_clear(&s);
		closest_member(g, t, c);
	}
	kith_vouch_list_free(v, n);
	return rc;
}

int kith_team_candidate(kith_db *db, kith_graph *g, kith_id person, int64_t now,
                        kith_candidate *out, kith_error *err)
{
	struct team t;
	int rc;

	memset(out, 0, sizeof(*out));
	out->person = person;
	out->degree = -1;
	if ((rc = kith__person_exists(db, person, err)) || (rc = team__load(db, &t, err)))
		return rc;
	if (t.n && !(out->ties = calloc(t.n, sizeof(*out->ties))))
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < t.n; i++) {
		kith_candidate_tie *c = &out->ties[out->nties++];
		if (!(rc = tie(g, &t.v[i], person, c, err)) && c->degree >= 0 &&
		    (out->degree < 0 || c->degree < out->degree))
			out->degree = c->degree;
	}
	if (!rc)
		rc = strongest(g, &t, person, out, err);
	if (!rc)
		rc = vouches(db, g, &t, person, now, out, err);
	team__clear(&t);
	if (rc)
		kith_candidate_clear(out);
	return rc;
}
