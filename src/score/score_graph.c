/*
 * The graph's edge weights (kith_score_graph_strength): a link's strength
 * from the pair cache, plus what the handle alone sees (score_overlay.c),
 * combined with its trust and vouches.  The graph (src/graph/) takes this
 * as its strength provider, a callback: it does not call score/.
 */
#include <stdlib.h>

#include "internal.h"
#include "kith/graph.h"
#include "kith/score.h"
#include "score_impl.h"

struct kith_score_graph_ctx {
	kith_db *db;
	int64_t now;
	double h;
	sqlite3_stmt *vouch;
	kith__pair_reader pairs;
	kith__overlay *overlay;      /* what this handle alone sees */
	unsigned int dv;             /* the database's data version and */
	sqlite3_int64 changes;       /* this handle's changes at its load */
};

/* Reloads the overlay once the database has moved since it was read: a
 * snapshot rebuilt after a write weighs that write.  A failed load leaves
 * none, so the weights lack private shares rather than anything else. */
static void overlay_fresh(kith_score_graph_ctx *c)
{
	unsigned int dv = 0;
	sqlite3_int64 changes = sqlite3_total_changes64(c->db->h);

	sqlite3_file_control(c->db->h, "main", SQLITE_FCNTL_DATA_VERSION, &dv);
	if (c->overlay && dv == c->dv && changes == c->changes)
		return;
	kith__overlay_free(c->overlay);
	c->overlay = kith__overlay_load(c->db, c->h, NULL);
	c->dv = dv;
	c->changes = changes;
}

kith_score_graph_ctx *kith_score_graph_ctx_new(kith_db *db, int64_t now)
{
	kith_score_graph_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->db = db;
	c->now = now;
	c->h = kith_score_half_life(db);
	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM vouch WHERE (voucher = ?1 AND subject = ?2)"
	                       " OR (voucher = ?2 AND subject = ?1)", -1, &c->vouch, NULL) != SQLITE_OK) {
		kith_score_graph_ctx_free(c);
		return NULL;
	}
	return c;
}

void kith_score_graph_ctx_free(kith_score_graph_ctx *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->vouch);
	kith__pair_reader_clear(&c->pairs);
	kith__overlay_free(c->overlay);
	free(c);
}

/* The strength of l with or without what this handle alone sees. */
static double strength(kith_score_graph_ctx *c, const kith_link *l, int own)
{
	kith_pair_sums s = {0, 0, 0, c->now};
	kith_id a = l->a < l->b ? l->a : l->b, b = l->a < l->b ? l->b : l->a;
	int vouched, found;

	/* A failed read leaves the pair unscored: a weight, not an answer. */
	if (kith__pair_reader_get(c->db, &c->pairs, a, b, &s, &found, NULL))
		s = (kith_pair_sums){0, 0, 0, c->now};
	if (own) {
		overlay_fresh(c);
		kith__overlay_add_to(c->overlay, a, b, &s);
	}
	sqlite3_reset(c->vouch);
	sqlite3_bind_int64(c->vouch, 1, a);
	sqlite3_bind_int64(c->vouch, 2, b);
	vouched = sqlite3_step(c->vouch) == SQLITE_ROW;
	/* Reset now, not at the next call: a stepped statement would hold a
	 * read transaction, and this handle would see an old snapshot. */
	sqlite3_reset(c->vouch);
	return kith_score_combine(kith_score_raw(&s, c->now, c->h),
	                          l->has_trust ? l->trust : -1, 1, vouched);
}

double kith_score_graph_strength(void *ctx, const kith_link *l)
{
	return strength(ctx, l, 1);
}

double kith_score_graph_shared(void *ctx, const kith_link *l)
{
	return strength(ctx, l, 0);
}

int kith_score_graph_private_pairs(void *ctx, void (*fn)(void *arg, kith_id a, kith_id b),
                                   void *arg)
{
	kith_score_graph_ctx *c = ctx;

	overlay_fresh(c);
	kith__overlay_each(c->overlay, fn, arg);
	return 0;
}

void kith_score_graph_index_opts(kith_score_graph_ctx *c, kith_graph_opts *o)
{
	uint64_t key = 0x73636f7265763101ULL;   /* the formula's version */

	o->strength = kith_score_graph_strength;
	o->strength_shared = kith_score_graph_shared;
	o->private_pairs = kith_score_graph_private_pairs;
	o->strength_pairs_only = 1;
	o->strength_ctx = c;
	o->strength_now = c->now;
	o->strength_key = key ^ (uint64_t)(c->h * 1000.0);
}
