/*
 * The bottom of the network engine: reading a snapshot (ids to nodes,
 * patched rows) and freeing one, which graph.c, the overlay
 * (graph_patch.c) and the queries all need.
 */
#include <math.h>
#include <stdlib.h>

#include "graph_impl.h"

void kith__graph_snap_free(struct kith__gsnap *s)
{
	if (!s)
		return;
	if (s->map)
		kith__graph_file_unmap(s->map);
	free(s->own_ids);
	free(s->own_off);
	free(s->own_adj);
	free(s->own_cost);
	free(s->own_direct);
	for (size_t i = 0; i < s->nrows; i++) {
		free(s->rows[i].adj);
		free(s->rows[i].cost);
	}
	free(s->rows);
	free(s->slot);
	free(s->pmask);
	free(s->hmask);
	free(s);
}

size_t kith__graph_slot(const struct kith__gsnap *s, uint32_t u)
{
	size_t mask = s->nslot - 1, i = (size_t)(u * 2654435761u) & mask;

	while (s->slot[i] && s->rows[s->slot[i] - 1].node != u)
		i = (i + 1) & mask;
	return i;
}

const struct kith__grow *kith__graph_prow(const struct kith__gsnap *s, uint32_t u)
{
	return &s->rows[s->slot[kith__graph_slot(s, u)] - 1];
}

static uint32_t find(const struct kith__gsnap *s, kith_id id)
{
	size_t lo = 0, hi = s->n;

	if (s->direct) {
		if (id >= s->base && (uint64_t)(id - s->base) < s->ndirect)
			return s->direct[id - s->base] - 1; /* 0 - 1 wraps to NONE */
		if (s->n == s->nbase || id < s->base)
			return KITH__NONE;
		lo = s->nbase;   /* people added on top of the base */
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->ids[lo] == id ? (uint32_t)lo : KITH__NONE;
}

uint32_t kith__graph_index(const struct kith__gsnap *s, kith_id id)
{
	uint32_t u = find(s, id);

	if (u != KITH__NONE && s->hmask && (s->hmask[u >> 6] >> (u & 63) & 1))
		return KITH__NONE;
	return u;
}

float kith__graph_strength_cost(double st)
{
	if (!(st >= KITH_GRAPH_MIN_STRENGTH))  /* NaN too */
		st = KITH_GRAPH_MIN_STRENGTH;
	if (st > 1)
		st = 1;
	return (float)-log(st);
}
