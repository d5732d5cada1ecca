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
	w->rec[w->nrec] = (struct kith__hrec){node, parent, w->brec[node], layer, cost};
	w->brec[node] = (int32_t)w->nrec++;
	w->bcost[node] = cost;
	return KITH_OK;
}

static void reset_recs(struct kith__gwork *w)
{
	for (size_t i = 0; i < w->nrec; i++) {
		w->bcost[w->rec[i].node] = INFINITY;
		w->brec[w->rec[i].node] = -1;
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
				if (v == skip || !(c < w->bcost[v]))
					continue;
				if (w->brec[v] >= (int32_t)start) {
					/* Already improved in this layer: keep one record. */
					w->rec[w->brec[v]].cost = c;
					w->rec[w->brec[v]].parent = u;
					w->bcost[v] = c;
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
	return w->rec[w->brec[y]].layer;
}

/* Appends y's chain to the target into nodes[*len...]: each step takes
 * the parent's latest record from a strictly lower layer. */
static void chain(const struct kith__gwork *w, uint32_t y, uint32_t *nodes,
                  size_t *len)
{
	int32_t r = w->brec[y];

	for (;;) {
		const struct kith__hrec *rc = &w->rec[r];
		nodes[(*len)++] = rc->node;
		if (rc->parent == KITH__NONE)
			return;
		r = w->brec[rc->parent];
		while (w->rec[r].layer > rc->layer - 1)
			r = w->rec[r].prev;
	}
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

int kith_graph_intro(kith_graph *g, kith_id from, kith_id to, int hops,
                     size_t alts, kith_path **out, size_t *n, kith_error *err)
{
	const struct kith__gsnap *s;
	struct kith__gwork *w;
	struct cand *cv = NULL;
	uint32_t ia, ib, *nodes = NULL, alen;
	const uint32_t *arow;
	const float *acost;
	size_t nc = 0, want;
	int rc;

	*out = NULL;
	*n = 0;
	if (hops == 0)
		hops = KITH_INTRO_DEFAULT_HOPS;
	if (hops < 1 || hops > KITH_INTRO_MAX_HOPS)
		return kith_error_set(err, KITH_EINVAL, "hops must be from 1 to %d",
		                      KITH_INTRO_MAX_HOPS);
	if ((rc = kith__graph_ready(g, err)) || (rc = kith__graph_node(g, from, &ia, err)) ||
	    (rc = kith__graph_node(g, to, &ib, err)))
		return rc;
	s = g->snap;
	w = g->w;
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
	/* With one hop there is nothing to search: only a direct link. */
	if (backward(s, w, ib, ia, hops >= 2 ? hops - 2 : 0)) {
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
		if (isfinite(w->bcost[u])) {
			c.cost = w->bcost[u];
			c.hops = 1 + chain_len(w, u);
		}
		kith__graph_row(s, u, &urow, &ucost, &ulen);
		for (uint32_t f = 0; hops >= 2 && u != ib && f < ulen; f++) {
			uint32_t x = urow[f];
			float cx = ucost[f] + w->bcost[x];
			if (x != ia && cx < c.cost) {
				c.cost = cx;
				c.via = x;
				c.hops = 2 + chain_len(w, x);
			}
		}
		if (isfinite(c.cost)) {
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
	reset_recs(w);
	free(nodes);
	free(cv);
	if (rc || *n == 0) {
		kith_path_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}
