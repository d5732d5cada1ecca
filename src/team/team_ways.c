/*
 * Into an organisation: for each person working (or who worked) there,
 * the member best placed to introduce us and the strongest chain from
 * that member, with the next best chains by (member, first contact).
 *
 * Per person it asks the engine for kith_graph_intro from every member's
 * person at once (kith_graph_intro_many: one search from the person
 * shared by all members, then each member's own first contacts), with
 * the same hop limit and strengths as `kith intro`.  O(people) bounded
 * searches plus O(people x members) scans of a member's two nearest
 * rings; the people weighed are capped at KITH_WAYS_MAX_PEOPLE.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "team_impl.h"

/* Whether every word of role (split at white space) is in title, in any
 * case.  ASCII folding: titles are short and mostly ASCII. */
static int role_matches(const char *title, const char *role)
{
	const char *w = role;

	if (!title)
		return 0;
	while (*w) {
		size_t len;
		while (*w && isspace((unsigned char)*w))
			w++;
		for (len = 0; w[len] && !isspace((unsigned char)w[len]); len++)
			;
		if (!len)
			break;
		int found = 0;
		for (const char *t = title; *t && !found; t++)
			found = strncasecmp(t, w, len) == 0;
		if (!found)
			return 0;
		w += len;
	}
	return 1;
}

static int cmp_job_person(const void *a, const void *b)
{
	const kith_job *x = a, *y = b;

	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	if (!x->to != !y->to)
		return x->to ? 1 : -1;   /* current first */
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

/* A candidate chain for one person, before ranking. */
struct cand {
	kith_id member;
	kith_path p;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->p.strength != y->p.strength)
		return x->p.strength > y->p.strength ? -1 : 1;
	if (x->p.len != y->p.len)
		return x->p.len < y->p.len ? -1 : 1;
	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	for (size_t i = 0; i < x->p.len; i++)
		if (x->p.ids[i] != y->p.ids[i])
			return x->p.ids[i] < y->p.ids[i] ? -1 : 1;
	return 0;
}

static kith_id first_contact(const kith_path *p)
{
	return p->len > 1 ? p->ids[1] : 0;
}

/* Every member's chains to person, ranked; then the best and the
 * alternatives, one per (member, first contact). */
static int weigh(kith_graph *g, const struct team *t, kith_way *w, int hops, size_t alts,
                 kith_error *err)
{
	struct cand *c = NULL;
	size_t nc = 0, cap = 0, *nv = NULL;
	kith_path **vv = NULL;
	kith_id *from = NULL;
	int rc = KITH_OK;

	if (!t->n)
		return KITH_OK;
	vv = calloc(t->n, sizeof(*vv));
	nv = calloc(t->n, sizeof(*nv));
	from = malloc(t->n * sizeof(*from));
	if (!vv || !nv || !from) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < t->n; i++)
		from[i] = t->v[i].person;
	if ((rc = kith_graph_intro_many(g, from, t->n, w->person, hops, alts, vv, nv, err)))
		goto done;
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < nv[i]; k++) {
			if (nc == cap && kith__grow(&c, &cap, sizeof(*c), 8)) {
				rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
				goto done;
			}
			c[nc].member = t->v[i].member;
			c[nc++].p = vv[i][k];
			memset(&vv[i][k], 0, sizeof(vv[i][k]));
		}
	if (!nc)
		goto done;
	qsort(c, nc, sizeof(*c), cmp_cand);
	if ((rc = team__chain_from(g, c[0].member, &c[0].p, &w->best, err)))
		goto done;
	if (alts && !(w->alts = calloc(alts, sizeof(*w->alts)))) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 1; i < nc && w->nalts < alts && !rc; i++) {
		int seen = w->best.member == c[i].member &&
		           first_contact(&w->best.path) == first_contact(&c[i].p);
		for (size_t k = 0; k < w->nalts && !seen; k++)
			seen = w->alts[k].member == c[i].member &&
			       first_contact(&w->alts[k].path) == first_contact(&c[i].p);
		if (!seen)
			rc = team__chain_from(g, c[i].member, &c[i].p, &w->alts[w->nalts++], err);
	}
done:
	for (size_t i = 0; vv && i < t->n; i++)
		kith_path_list_free(vv[i], nv[i]);
	free(vv);
	free(nv);
	free(from);
	for (size_t i = 0; i < nc; i++)
		kith_path_clear(&c[i].p);
	free(c);
	return rc;
}

static int cmp_way(const void *a, const void *b)
{
	const kith_way *x = a, *y = b;
	double sx = x->best.path.len ? x->best.path.strength : -1;
	double sy = y->best.path.len ? y->best.path.strength : -1;

	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x->person < y->person ? -1 : x->person > y->person;
}

static void way_clear(kith_way *w)
{
	kith_job_list_free(w->jobs, w->njobs);
	kith_chain_clear(&w->best);
	for (size_t i = 0; i < w->nalts; i++)
		kith_chain_clear(&w->alts[i]);
	free(w->alts);
}

void kith_ways_result_clear(kith_ways_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		way_clear(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* Moves jobs[from, to) (one person's, sorted) into w. */
static int take_jobs(kith_way *w, kith_job *jobs, size_t from, size_t to, kith_error *err)
{
	if (!(w->jobs = calloc(to - from, sizeof(*w->jobs))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = from; i < to; i++) {
		w->jobs[w->njobs++] = jobs[i];
		memset(&jobs[i], 0, sizeof(jobs[i]));
		w->current |= w->jobs[w->njobs - 1].to == NULL;
	}
	w->person = w->jobs[0].person;
	return KITH_OK;
}

static int passes(const kith_job *jobs, size_t from, size_t to, const kith_ways_filter *f)
{
	int current = 0, role = !f->role || !*f->role;

	for (size_t i = from; i < to; i++) {
		current |= jobs[i].to == NULL;
		role |= f->role && role_matches(jobs[i].title, f->role);
	}
	return role && (current || !f->current_only);
}

int kith_team_ways(kith_db *db, kith_graph *g, kith_id org, const kith_ways_filter *fo,
                   kith_ways_result *out, kith_error *err)
{
	static const kith_ways_filter none = {0};
	const kith_ways_filter *f = fo ? fo : &none;
	struct team t;
	kith_job *jobs = NULL;
	kith_org *o;
	size_t nj = 0;
	int hops = f->hops ? f->hops : KITH_INTRO_DEFAULT_HOPS, rc;

	memset(out, 0, sizeof(*out));
	if (hops < 1 || hops > KITH_INTRO_MAX_HOPS)
		return kith_error_set(err, KITH_EINVAL, "hops must be 1 to %d", KITH_INTRO_MAX_HOPS);
	if (f->alts > 20)
		return kith_error_set(err, KITH_EINVAL, "at most 20 alternatives per person");
	if ((rc = kith_org_get(db, org, &o, err)))
		return rc;
	kith_org_free(o);
	if ((rc = kith_job_list_at(db, org, &jobs, &nj, err)))
		return rc;
	if ((rc = team__load(db, &t, err))) {
		kith_job_list_free(jobs, nj);
		return rc;
	}
	if (nj)
		qsort(jobs, nj, sizeof(*jobs), cmp_job_person);
	for (size_t i = 0, k; i < nj && !rc; i = k) {
		for (k = i + 1; k < nj && jobs[k].person == jobs[i].person; k++)
			;
		if (team__is_member_person(&t, jobs[i].person) || !passes(jobs, i, k, f))
			continue;
		out->people++;
		if (out->n == KITH_WAYS_MAX_PEOPLE) {
			out->truncated = 1;
			continue;
		}
		if (!out->n && !(out->v = calloc(nj < KITH_WAYS_MAX_PEOPLE ? nj : KITH_WAYS_MAX_PEOPLE,
		                                 sizeof(*out->v)))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			break;
		}
		kith_way *w = &out->v[out->n++];
		if (!(rc = take_jobs(w, jobs, i, k, err)))
			rc = weigh(g, &t, w, hops, f->alts, err);
	}
	kith_job_list_free(jobs, nj);
	team__clear(&t);
	if (rc) {
		kith_ways_result_clear(out);
		return rc;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_way);
	if (f->limit && out->n > f->limit) {
		for (size_t i = f->limit; i < out->n; i++)
			way_clear(&out->v[i]);
		out->n = f->limit;
	}
	return KITH_OK;
}
