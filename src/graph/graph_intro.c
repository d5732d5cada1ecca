/*
 * Warm introductions: the strongest path of at most H links, where a
 * path's strength is the product of its links' strengths, i.e. the
 * cheapest under cost = -log(strength); plus the best path through each
 * other first contact.
 *
 * A hop limit makes plain Dijkstra wrong (the cheapest path may be too
 * long), so this is a hop-bounded Bellman-Ford, run from the target over
 * H-2 layers: layer j holds the cheapest cost to the target using at most
 * j links, and only nodes that improved in layer j-1 are relaxed in layer
 * j.  Then for every first contact u of the source, the best path through
 * u is either u's own label or one more link u-x onto x's label, which
 * covers every path of at most H links.  Meeting in the middle like this
 * touches the target's (H-2)-neighbourhood plus the source's
 * 2-neighbourhood instead of the source's H-neighbourhood, and gives the
 * per-first-hop alternatives for free.
 *
 * The source is removed from the backward search, so no path returns to
 * it; ties always keep the label found with fewer links, which (with
 * non-negative costs) means no path visits anyone twice.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_impl.h"

static int push_rec(struct kith__gwork *w, uint32_t node, uint32_t parent,
                    int32_t layer, float cost)
{
	if (w->nrec == w->caprec) {
		size_t nc = w->caprec ? w->caprec * 2 : 1024;
		struct kith__hrec *nr = realloc(w->rec, nc * sizeof(*nr));
		if (!nr)
			return KITH_ENOMEM;
		w->rec = nr;
		w->caprec = nc;
	}
	w->rec[w->nrec] = (struct kith__hrec){node, parent, gw_int(w->recof, node), layer, cost};
	gw_set_int(w->recof, node, (int32_t)w->nrec++);
	gw_set_cost(w->costx, node, cost);
	return KITH_OK;
}

static void reset_recs(struct kith__gwork *w)
{
	for (size_t i = 0; i < w->nrec; i++) {
		gw_set_cost(w->costx, w->rec[i].node, INFINITY);
		gw_set_int(w->recof, w->rec[i].node, -1);
	}
	w->nrec = 0;
}

/* Layers 1..layers of the hop-bounded search from z, never entering
 * `skip`.  Layer 0 is z itself. */
static int backward(const struct kith__gsnap *s, struct kith__gwork *w,
                    uint32_t z, uint32_t skip, int layers)
{
	size_t lo = 0, hi;

	if (push_rec(w, z, KITH__NONE, 0, 0.0f))
		return KITH_ENOMEM;
	hi = w->nrec;
	for (int32_t j = 1; j <= layers && lo < hi; j++) {
		size_t start = w->nrec;
		for (size_t r = lo; r < hi; r++) {
			uint32_t u = w->rec[r].node;
			float cu = w->rec[r].cost;
			const uint32_t *adj;
			const float *cost;
			uint32_t len;
			kith__graph_row(s, u, &adj, &cost, &len);
			for (uint32_t e = 0; e < len; e++) {
				uint32_t v = adj[e];
				float c = cu + cost[e];
				if (v == skip || !(c < gw_cost(w->costx, v)))
					continue;
				if (gw_int(w->recof, v) >= (int32_t)start) {
					/* Already improved in this layer: keep one record. */
					w->rec[gw_int(w->recof, v)].cost = c;
					w->rec[gw_int(w->recof, v)].parent = u;
					gw_set_cost(w->costx, v, c);
				} else if (push_rec(w, v, u, j, c)) {
					return KITH_ENOMEM;
				}
			}
		}
		lo = start;
		hi = w->nrec;
	}
	return KITH_OK;
}

/* Number of links from y to the target along its current label. */
static int32_t chain_len(const struct kith__gwork *w, uint32_t y)
{
	return w->rec[gw_int(w->recof, y)].layer;
}

/* The record after r on its chain to the target: the parent's latest
 * record from a strictly lower layer; -1 after the target's. */
static int32_t chain_next(const struct kith__gwork *w, int32_t r)
{
	const struct kith__hrec *rc = &w->rec[r];
	int32_t p;

	if (rc->parent == KITH__NONE)
		return -1;
	p = gw_int(w->recof, rc->parent);
	while (w->rec[p].layer > rc->layer - 1)
		p = w->rec[p].prev;
	return p;
}

/* Appends y's chain to the target into nodes[*len...]. */
static void chain(const struct kith__gwork *w, uint32_t y, uint32_t *nodes,
                  size_t *len)
{
	for (int32_t r = gw_int(w->recof, y); r >= 0; r = chain_next(w, r))
		nodes[(*len)++] = w->rec[r].node;
}

/* Whether y's chain to the target passes through node x. */
static int chain_has(const struct kith__gwork *w, uint32_t y, uint32_t x)
{
	for (int32_t r = gw_int(w->recof, y); r >= 0; r = chain_next(w, r))
		if (w->rec[r].node == x)
			return 1;
	return 0;
}

struct cand {
	double cost;
	int32_t hops;
	uint32_t first, via;   /* via: KITH__NONE when u's own label */
};

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->hops != b->hops)
		return a->hops < b->hops ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

/*
 * The second half of an introduction: with the backward labels in w,
 * the best path through each first contact of ia, and the alts + 1 best
 * of those into *out (a heap array, *n of them).  With through_source
 * set, the labels come from a search that did not leave ia out (one
 * search shared by several sources): if any label used passes through
 * ia, *through_source is set and nothing is returned, so that the caller
 * asks again with ia left out.
 */
static int pick(const struct kith__gsnap *s, struct kith__gwork *w, const uint64_t *lab,
                uint32_t ia, uint32_t ib, int hops, size_t alts, int *through_source,
                kith_path **out, size_t *n, kith_error *err)
{
	struct cand *cv = NULL;
	uint32_t *nodes = NULL, alen;
	const uint32_t *arow;
	const float *acost;
	size_t nc = 0, want;
	int rc = KITH_OK;

	*out = NULL;
	*n = 0;
	kith__graph_row(s, ia, &arow, &acost, &alen);
	/* One path per first contact at most, however many were asked for. */
	if (alts > alen)
		alts = alen;
	if (!(*out = calloc(alts + 1, sizeof(**out))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (ia == ib) {
		rc = kith__graph_path_fill(s, &ia, 1, &(*out)[0], err);
		if (!rc)
			*n = 1;
		goto cleanup;
	}
	nodes = malloc(((size_t)hops + 1) * sizeof(*nodes));
	cv = malloc(((size_t)alen + 1) * sizeof(*cv));
	if (!nodes || !cv) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (uint32_t e = 0; e < alen; e++) {
		uint32_t u = arow[e];
		struct cand c = {INFINITY, 0, u, KITH__NONE};
		const uint32_t *urow;
		const float *ucost;
		uint32_t ulen;
		if (hops == 1 && u != ib)
			continue;
		if (isfinite(gw_cost(w->costx, u))) {
			c.cost = gw_cost(w->costx, u);
			c.hops = 1 + chain_len(w, u);
		}
		kith__graph_row(s, u, &urow, &ucost, &ulen);
		for (uint32_t f = 0; hops >= 2 && u != ib && f < ulen; f++) {
			uint32_t x = urow[f];
			if (lab && !(lab[x >> 6] >> (x & 63) & 1))
				continue;   /* no label: the common case, and one bit */
			float cx = ucost[f] + gw_cost(w->costx, x);
			if (x != ia && cx < c.cost) {
				c.cost = cx;
				c.via = x;
				c.hops = 2 + chain_len(w, x);
			}
		}
		if (isfinite(c.cost)) {
			if (through_source && chain_has(w, c.via != KITH__NONE ? c.via : u, ia)) {
				*through_source = 1;
				goto cleanup;
			}
			c.cost += acost[e];
			cv[nc++] = c;
		}
	}
	qsort(cv, nc, sizeof(*cv), cmp_cand);
	want = nc < alts + 1 ? nc : alts + 1;
	for (size_t i = 0; i < want; i++) {
		size_t len = 0;
		nodes[len++] = ia;
		if (cv[i].via != KITH__NONE) {
			nodes[len++] = cv[i].first;
			chain(w, cv[i].via, nodes, &len);
		} else {
			chain(w, cv[i].first, nodes, &len);
		}
		rc = kith__graph_path_fill(s, nodes, len, &(*out)[i], err);
		if (rc)
			goto cleanup;
		*n = i + 1;
	}
cleanup:
	free(nodes);
	free(cv);
	if (rc || *n == 0) {
		kith_path_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int check_hops(int *hops, kith_error *err)
{
	if (*hops == 0)
		*hops = KITH_INTRO_DEFAULT_HOPS;
	if (*hops < 1 || *hops > KITH_INTRO_MAX_HOPS)
		return kith_error_set(err, KITH_EINVAL, "hops must be from 1 to %d",
		                      KITH_INTRO_MAX_HOPS);
	return KITH_OK;
}

int kith_graph_intro(kith_graph *g, kith_id from, kith_id to, int hops,
                     size_t alts, kith_path **out, size_t *n, kith_error *err)
{
	uint32_t ia, ib;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = check_hops(&hops, err)) || (rc = kith__graph_ready(g, err)) ||
	    (rc = kith__graph_node(g, from, &ia, err)) || (rc = kith__graph_node(g, to, &ib, err)))
		return rc;
	/* With one hop there is nothing to search: only a direct link. */
	if (ia != ib && backward(g->snap, g->w, ib, ia, hops >= 2 ? hops - 2 : 0)) {
		reset_recs(g->w);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	rc = pick(g->snap, g->w, NULL, ia, ib, hops, alts, NULL, out, n, err);
	reset_recs(g->w);
	return rc;
}

int kith_graph_intro_many(kith_graph *g, const kith_id *from, size_t nfrom, kith_id to,
                          int hops, size_t alts, kith_path **out, size_t *n,
                          kith_error *err)
{
	uint32_t ib, *ia = NULL;
	unsigned char *again = NULL;
	uint64_t *lab;
	int rc;

	for (size_t i = 0; i < nfrom; i++) {
		out[i] = NULL;
		n[i] = 0;
	}
	if ((rc = check_hops(&hops, err)) || (rc = kith__graph_ready(g, err)) ||
	    (rc = kith__graph_node(g, to, &ib, err)))
		return rc;
	if (!nfrom)
		return KITH_OK;
	ia = malloc(nfrom * sizeof(*ia));
	again = calloc(nfrom, 1);
	if (!ia || !again) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < nfrom && !rc; i++)
		rc = kith__graph_node(g, from[i], &ia[i], err);
	if (rc)
		goto cleanup;
	/* One search from the target for every source, none left out. */
	if (backward(g->snap, g->w, ib, KITH__NONE, hops >= 2 ? hops - 2 : 0)) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		reset_recs(g->w);
		goto cleanup;
	}
	/* The labelled nodes as bits: the sources' scans of their contacts'
	 * contacts test one bit (an array that stays in cache) before
	 * reading a label. */
	lab = g->w->lab;
	for (size_t r = 0; r < g->w->nrec; r++)
		lab[g->w->rec[r].node >> 6] |= (uint64_t)1 << (g->w->rec[r].node & 63);
	for (size_t i = 0; i < nfrom && !rc; i++) {
		int through = 0;
		rc = pick(g->snap, g->w, lab, ia[i], ib, hops, alts, &through, &out[i], &n[i], err);
		again[i] = (unsigned char)through;
	}
	for (size_t r = 0; r < g->w->nrec; r++)
		lab[g->w->rec[r].node >> 6] = 0;
	reset_recs(g->w);
	/* A source some label passes through: its own search, as above. */
	for (size_t i = 0; i < nfrom && !rc; i++)
		if (again[i])
			rc = kith_graph_intro(g, from[i], to, hops, alts, &out[i], &n[i], err);
cleanup:
	if (rc)
		for (size_t i = 0; i < nfrom; i++) {
			kith_path_list_free(out[i], n[i]);
			out[i] = NULL;
			n[i] = 0;
		}
	free(ia);
	free(again);
	return rc;
}
