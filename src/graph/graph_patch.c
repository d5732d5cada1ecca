/*
 * The overlay: what a handle sees on top of a base snapshot that is not
 * the database's state any more (a mapped index file), or that holds only
 * the strengths every view shares.
 *
 * The change log (graph_change, schema migration 15) has a row per change
 * to the network, written by triggers in the writer's transaction: a pair
 * (a, b) whose links or vouches changed, a person (a, NULL) added, removed
 * or made private or team, a person (a, -1) whose interactions changed
 * (their pairs' strengths move) and (0, -2) for a change that moves every
 * strength (a kind's weight, the half-life).  Applying the log from the
 * base's row on re-reads each named pair's links and replaces the rows of
 * both ends, so the cost is the size of the log, not of the network.  A
 * log that does not continue the base's history (the base's row is gone
 * or holds another token: a restored backup, a pruned log) or that is too
 * long is not applied, and the handle builds from SQLite instead.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_impl.h"

/* Past this many log rows a handle builds instead of patching. */
#define OVERLAY_MAX 65536

struct change {
	uint32_t u, v;
	float cost;           /* NAN: no edge */
};

/* --- patched rows ---------------------------------------------------------- */

static int grow_slots(struct kith__gsnap *s)
{
	size_t ns = s->nslot ? s->nslot * 2 : 64;
	uint32_t *old = s->slot;
	size_t oldn = s->nslot;

	if (!(s->slot = calloc(ns, sizeof(*s->slot)))) {
		s->slot = old;
		return KITH_ENOMEM;
	}
	s->nslot = ns;
	for (size_t i = 0; i < oldn; i++)
		if (old[i])
			s->slot[kith__graph_slot(s, s->rows[old[i] - 1].node)] = old[i];
	free(old);
	return KITH_OK;
}

/* Installs row r (taking its arrays) as node u's. */
static int put_row(struct kith__gsnap *s, struct kith__grow *r)
{
	size_t i;

	if ((s->nrows + 1) * 2 > s->nslot && grow_slots(s))
		return KITH_ENOMEM;
	i = kith__graph_slot(s, r->node);
	if (s->slot[i]) {
		struct kith__grow *old = &s->rows[s->slot[i] - 1];
		free(old->adj);
		free(old->cost);
		*old = *r;
		return KITH_OK;
	}
	if (s->nrows == s->caprows) {
		size_t nc = s->caprows ? s->caprows * 2 : 32;
		struct kith__grow *nr = realloc(s->rows, nc * sizeof(*nr));
		if (!nr)
			return KITH_ENOMEM;
		s->rows = nr;
		s->caprows = nc;
	}
	s->rows[s->nrows++] = *r;
	s->slot[i] = (uint32_t)s->nrows;
	s->pmask[r->node >> 6] |= (uint64_t)1 << (r->node & 63);
	return KITH_OK;
}

static int cmp_change(const void *x, const void *y)
{
	const struct change *a = x, *b = y;

	if (a->u != b->u)
		return a->u < b->u ? -1 : 1;
	return a->v < b->v ? -1 : a->v > b->v;
}

/* Row u merged with its changes c[0..k) (sorted by v, one per v). */
static int merge_row(struct kith__gsnap *s, uint32_t u, const struct change *c, size_t k)
{
	const uint32_t *adj;
	const float *cost;
	uint32_t len, i = 0, w = 0;
	size_t j = 0;
	struct kith__grow r = {u, 0, NULL, NULL};

	kith__graph_row(s, u, &adj, &cost, &len);
	r.adj = malloc(((size_t)len + k + 1) * sizeof(*r.adj));
	r.cost = malloc(((size_t)len + k + 1) * sizeof(*r.cost));
	if (!r.adj || !r.cost)
		goto nomem;
	while (i < len || j < k) {
		if (j == k || (i < len && adj[i] < c[j].v)) {
			r.adj[w] = adj[i];
			r.cost[w++] = cost[i++];
			continue;
		}
		if (i < len && adj[i] == c[j].v)
			i++;
		if (!isnan(c[j].cost)) {
			r.adj[w] = c[j].v;
			r.cost[w++] = c[j].cost;
		}
		j++;
	}
	r.len = w;
	if (put_row(s, &r))
		goto nomem;
	return KITH_OK;
nomem:
	free(r.adj);
	free(r.cost);
	return KITH_ENOMEM;
}

/* Applies the changes (each pair given once, u < v) to both ends' rows. */
static int apply(struct kith__gsnap *s, struct change *c, size_t k, kith_error *err)
{
	struct change *d = malloc((k ? k : 1) * 2 * sizeof(*d));
	size_t i = 0;
	int rc = KITH_OK;

	if (!d)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!k) {
		free(d);
		return KITH_OK;
	}
	for (size_t j = 0; j < k; j++) {
		d[2 * j] = c[j];
		d[2 * j + 1] = (struct change){c[j].v, c[j].u, c[j].cost};
	}
	qsort(d, 2 * k, sizeof(*d), cmp_change);
	while (!rc && i < 2 * k) {
		size_t e = i + 1;
		while (e < 2 * k && d[e].u == d[i].u)
			e++;
		rc = merge_row(s, d[i].u, d + i, e - i);
		i = e;
	}
	free(d);
	return rc ? kith_error_set(err, KITH_ENOMEM, "out of memory") : KITH_OK;
}

static int masks(struct kith__gsnap *s, uint32_t n, kith_error *err)
{
	size_t words = ((size_t)n + 64) / 64;
	size_t had = s->pmask ? ((size_t)s->n + 64) / 64 : 0;
	uint64_t *p = realloc(s->pmask, words * sizeof(*p));
	uint64_t *h = p ? realloc(s->hmask, words * sizeof(*h)) : NULL;

	if (p)
		s->pmask = p;
	if (!p || !h)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	s->hmask = h;
	memset(p + had, 0, (words - had) * sizeof(*p));
	memset(h + had, 0, (words - had) * sizeof(*h));
	return KITH_OK;
}

/* --- the links of a pair --------------------------------------------------- */

/* The cost of the pair's edge as fn weighs its links, NAN when none. */
static int pair_cost(kith_graph *g, sqlite3_stmt *st, kith_strength_fn fn, kith_id a,
                     kith_id b, float *out, kith_error *err)
{
	float best = NAN;
	int rc;

	sqlite3_bind_int64(st, 1, a < b ? a : b);
	sqlite3_bind_int64(st, 2, a < b ? b : a);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kith_link l = {0};
		double str;
		float c;
		l.a = sqlite3_column_int64(st, 0);
		l.b = sqlite3_column_int64(st, 1);
		l.has_trust = sqlite3_column_type(st, 2) != SQLITE_NULL;
		l.trust = sqlite3_column_double(st, 2);
		l.id = sqlite3_column_int64(st, 3);
		l.kind = (char *)sqlite3_column_text(st, 4);
		l.since = (char *)sqlite3_column_text(st, 5);
		str = fn ? fn(g->opts.strength_ctx, &l)
		         : l.has_trust ? l.trust : g->opts.default_strength;
		c = kith__graph_strength_cost(str);
		if (isnan(best) || c < best)
			best = c;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return kith__sqlerr(g->db, rc, "read graph changes", err);
	*out = best;
	return KITH_OK;
}

/* Weighs the pairs c[0..k) (u < v, unique) again with fn. */
static int weigh(kith_graph *g, struct kith__gsnap *s, kith_strength_fn fn,
                 struct change *c, size_t k, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(g->db, "SELECT a, b, trust, id, kind, since FROM link"
	                       " WHERE min(a, b) = ?1 AND max(a, b) = ?2", &st, err);

	for (size_t i = 0; !rc && i < k; i++) {
		int hu = s->hmask && (s->hmask[c[i].u >> 6] >> (c[i].u & 63) & 1);
		int hv = s->hmask && (s->hmask[c[i].v >> 6] >> (c[i].v & 63) & 1);
		if (hu || hv)
			c[i].cost = NAN;
		else
			rc = pair_cost(g, st, fn, s->ids[c[i].u], s->ids[c[i].v], &c[i].cost, err);
	}
	sqlite3_finalize(st);
	return rc;
}

struct pairs {
	struct change *v;
	size_t n, cap;
};

static int pairs_add(struct pairs *p, uint32_t u, uint32_t v)
{
	if (u == v || u == KITH__NONE || v == KITH__NONE)
		return KITH_OK;
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 64;
		struct change *nv = realloc(p->v, nc * sizeof(*nv));
		if (!nv)
			return KITH_ENOMEM;
		p->v = nv;
		p->cap = nc;
	}
	p->v[p->n++] = (struct change){u < v ? u : v, u < v ? v : u, NAN};
	return KITH_OK;
}

static void pairs_unique(struct pairs *p)
{
	size_t w = 0;

	if (!p->n)
		return;
	qsort(p->v, p->n, sizeof(*p->v), cmp_change);
	for (size_t i = 0; i < p->n; i++)
		if (!w || p->v[w - 1].u != p->v[i].u || p->v[w - 1].v != p->v[i].v)
			p->v[w++] = p->v[i];
	p->n = w;
}

/* Every edge of u in its current row. */
static int pairs_row(struct pairs *p, const struct kith__gsnap *s, uint32_t u)
{
	const uint32_t *adj;
	const float *cost;
	uint32_t len;

	kith__graph_row(s, u, &adj, &cost, &len);
	for (uint32_t i = 0; i < len; i++)
		if (pairs_add(p, u, adj[i]))
			return KITH_ENOMEM;
	return KITH_OK;
}

/* --- the change log -------------------------------------------------------- */

struct logrow {
	kith_id a, b;         /* b: the other person, 0 a person, -1 strengths, -2 all */
};

static int cmp_id(const void *x, const void *y)
{
	kith_id a = *(const kith_id *)x, b = *(const kith_id *)y;

	return a < b ? -1 : a > b;
}

/* The log rows after s's, or *n = SIZE_MAX when the log does not go on
 * from s's history or is too long. */
static int read_log(kith_graph *g, const struct kith__gsnap *s, struct logrow **out,
                    size_t *n, kith_error *err)
{
	sqlite3_stmt *st;
	int64_t tok = 0, cnt = 0;
	struct logrow *v;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = SIZE_MAX;
	if ((rc = kith__prepare(g->db, "SELECT tok, (SELECT count(*) FROM graph_change"
	                        " WHERE seq > ?1) FROM graph_change WHERE seq = ?1", &st, err)))
		return rc;
	sqlite3_bind_int64(st, 1, s->seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		tok = sqlite3_column_int64(st, 0);
		cnt = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kith__sqlerr(g->db, rc, "read graph changes", err);
	if (rc == SQLITE_DONE || tok != s->seqtok || cnt > OVERLAY_MAX)
		return KITH_OK;
	if (!(v = malloc((size_t)(cnt ? cnt : 1) * sizeof(*v))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if ((rc = kith__prepare(g->db, "SELECT a, coalesce(b, 0) FROM graph_change"
	                        " WHERE seq > ?1 ORDER BY seq", &st, err))) {
		free(v);
		return rc;
	}
	sqlite3_bind_int64(st, 1, s->seq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (size_t)cnt) {
		v[k].a = sqlite3_column_int64(st, 0);
		v[k++].b = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(v);
		return kith__sqlerr(g->db, rc, "read graph changes", err);
	}
	*out = v;
	*n = k;
	return KITH_OK;
}

/* People of the log: appended when new (ids above every known one; a
 * lower one means a rebuild, *ok = 0), hidden when gone, and every edge
 * of theirs weighed again. */
static int people(kith_graph *g, struct kith__gsnap *s, kith_id *ids, size_t k,
                  struct pairs *p, int *ok, kith_error *err)
{
	sqlite3_stmt *st;
	kith_id *nid = NULL, *fresh = malloc((k ? k : 1) * sizeof(*fresh));
	size_t nnew = 0;
	int rc;

	if (!fresh)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	qsort(ids, k, sizeof(*ids), cmp_id);
	if ((rc = kith__prepare(g->db, "SELECT 1 FROM person WHERE id = ?1", &st, err))) {
		free(fresh);
		return rc;
	}
	for (size_t i = 0; !rc && *ok && i < k; i++) {
		uint32_t u;
		int there;
		if (i && ids[i] == ids[i - 1])
			continue;
		sqlite3_bind_int64(st, 1, ids[i]);
		rc = sqlite3_step(st);
		there = rc == SQLITE_ROW;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = kith__sqlerr(g->db, rc, "read graph changes", err);
			break;
		}
		rc = KITH_OK;
		u = kith__graph_index(s, ids[i]);
		if (there && u == KITH__NONE) {
			/* An id among the known ones would break index = id order
			 * (it cannot come from AUTOINCREMENT): build instead. */
			if (s->n && ids[i] <= s->ids[s->n - 1])
				*ok = 0;
			else
				fresh[nnew++] = ids[i];
			continue;
		}
		if (u == KITH__NONE)
			continue;
		if (!there && !(s->hmask[u >> 6] >> (u & 63) & 1)) {
			s->hmask[u >> 6] |= (uint64_t)1 << (u & 63);
			s->nhidden++;
		}
		if (pairs_row(p, s, u))
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	sqlite3_finalize(st);
	if (rc || !*ok || !nnew)
		goto cleanup;
	/* The new people go after the base, in id order. */
	if (!(nid = malloc(((size_t)s->n + nnew) * sizeof(*nid)))) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	memcpy(nid, s->ids, (size_t)s->n * sizeof(*nid));
	memcpy(nid + s->n, fresh, nnew * sizeof(*nid));
	if ((rc = masks(s, s->n + (uint32_t)nnew, err))) {
		free(nid);
		goto cleanup;
	}
	free(s->own_ids);
	s->own_ids = nid;
	s->ids = nid;
	s->n += (uint32_t)nnew;
cleanup:
	free(fresh);
	return rc;
}

static kith_strength_fn shared_fn(kith_graph *g)
{
	return g->opts.strength_shared ? g->opts.strength_shared : g->opts.strength;
}

int kith__graph_overlay(kith_graph *g, struct kith__gsnap *s, int *ok, kith_error *err)
{
	struct logrow *log = NULL;
	struct pairs p = {0};
	kith_id *pp = NULL;
	size_t n = 0, npp = 0;
	int rc;

	*ok = 0;
	if ((rc = read_log(g, s, &log, &n, err)) || n == SIZE_MAX)
		return rc;
	*ok = 1;
	if (!n)
		goto cleanup;   /* nothing since the file: nothing to mask */
	if ((rc = masks(s, s->n, err)))
		goto cleanup;
	if (!(pp = malloc((n ? n : 1) * sizeof(*pp)))) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		if (log[i].b == -2)
			*ok = 0;   /* every strength moved */
		else if (log[i].b <= 0 && log[i].a > 0)
			pp[npp++] = log[i].a;
	}
	if (*ok && (rc = people(g, s, pp, npp, &p, ok, err)))
		goto cleanup;
	for (size_t i = 0; *ok && i < n; i++)
		if (log[i].b > 0 && pairs_add(&p, kith__graph_index(s, log[i].a),
		                              kith__graph_index(s, log[i].b))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
	if (!*ok)
		goto cleanup;
	pairs_unique(&p);
	rc = weigh(g, s, shared_fn(g), p.v, p.n, err);
	if (!rc)
		rc = apply(s, p.v, p.n, err);
	s->overlay_changes = (int64_t)n;
cleanup:
	free(log);
	free(pp);
	free(p.v);
	return rc;
}

/* --- a member's view of the file ----------------------------------------- */

/*
 * The file holds the whole network, as the database's own user sees it.
 * A member's handle (kith_db_set_viewer) hides the people it cannot see,
 * with their links, and weighs again every pair with a private link:
 * the file's edge may stand for a link the member cannot see, or take
 * its strength from one.  Both are found by partial indexes, so the cost
 * is the number of private records, not the size of the network; the
 * mapped file itself is shared by every member.
 */
int kith__graph_mask(kith_graph *g, struct kith__gsnap *s, kith_error *err)
{
	/* plan: scan -- the partial index of private people: their count */
	static const char hidden_sql[] =
		"SELECT id FROM main.person INDEXED BY person_private WHERE private"
		" AND id NOT IN (SELECT id FROM person)";
	/* plan: scan -- the partial index of private links: their count */
	static const char links_sql[] =
		"SELECT a, b FROM main.link INDEXED BY link_private WHERE private";
	struct pairs p = {0};
	sqlite3_stmt *st;
	int rc;

	/* The masks are made only when something is hidden or patched: a
	 * member who sees everything costs the shared file and nothing else. */
	if ((rc = kith__prepare(g->db, hidden_sql, &st, err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint32_t u = kith__graph_index(s, sqlite3_column_int64(st, 0));
		if (u == KITH__NONE)
			continue;
		if (!s->pmask && masks(s, s->n, NULL)) {
			rc = SQLITE_NOMEM;
			break;
		}
		s->hmask[u >> 6] |= (uint64_t)1 << (u & 63);
		s->nhidden++;
		if (pairs_row(&p, s, u)) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if ((rc = kith__prepare(g->db, links_sql, &st, err)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (pairs_add(&p, kith__graph_index(s, sqlite3_column_int64(st, 0)),
		              kith__graph_index(s, sqlite3_column_int64(st, 1)))) {
			rc = SQLITE_NOMEM;
			break;
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	pairs_unique(&p);
	if (!p.n) {
		rc = KITH_OK;
		goto out;
	}
	rc = s->pmask ? KITH_OK : masks(s, s->n, err);
	if (!rc)
		rc = weigh(g, s, shared_fn(g), p.v, p.n, err);
	if (!rc)
		rc = apply(s, p.v, p.n, err);
	goto out;
fail:
	rc = rc == SQLITE_NOMEM ? kith_error_set(err, KITH_ENOMEM, "out of memory")
	                        : kith__sqlerr(g->db, rc, "read graph view", err);
out:
	free(p.v);
	return rc;
}

/* --- a view's private strengths ------------------------------------------ */

struct collect {
	struct pairs p;
	const struct kith__gsnap *s;
	int nomem;
};

static void collect_pair(void *arg, kith_id a, kith_id b)
{
	struct collect *c = arg;
	uint32_t u = kith__graph_index(c->s, a), v = kith__graph_index(c->s, b);

	if (u != KITH__NONE && v != KITH__NONE && pairs_add(&c->p, u, v))
		c->nomem = 1;
}

int kith__graph_private(kith_graph *g, struct kith__gsnap *s, kith_error *err)
{
	struct collect c = {{0}, s, 0};
	int rc;

	if (!g->opts.private_pairs || !g->opts.strength)
		return KITH_OK;
	if (g->opts.private_pairs(g->opts.strength_ctx, collect_pair, &c) || c.nomem) {
		free(c.p.v);
		return kith_error_set(err, KITH_ENOMEM, "read private strengths: out of memory");
	}
	if (!c.p.n)
		return KITH_OK;
	pairs_unique(&c.p);
	rc = s->pmask ? KITH_OK : masks(s, s->n, err);
	if (!rc)
		rc = weigh(g, s, g->opts.strength, c.p.v, c.p.n, err);
	/* Pairs with no link stay without an edge: nothing to patch. */
	if (!rc) {
		size_t w = 0;
		for (size_t i = 0; i < c.p.n; i++)
			if (!isnan(c.p.v[i].cost))
				c.p.v[w++] = c.p.v[i];
		rc = apply(s, c.p.v, w, err);
	}
	free(c.p.v);
	return rc;
}
