/*
 * A view's own share of the graph's edge weights.
 *
 * The pair cache counts what every member sees: team interactions among
 * team people (kith__score_interaction).  What only some see, a member's
 * private interactions and those of their private people, is summed here
 * for one handle, on its own view, when its graph weights are set up: so
 * a member's weights are the cache plus what they alone see, and another
 * member's private write moves neither.  The database's own user (the
 * CLI) sees every private record, so its overlay holds them all.
 *
 * Private records are few next to the log (they are found by the partial
 * indexes person_private and interaction_private): one pass over them
 * when a snapshot is built, a hash lookup per edge after.
 */
#include <glib.h>
#include <stdlib.h>

#include "internal.h"
#include "score_impl.h"

struct kith__overlay {
	GHashTable *pairs;  /* struct entry by its key, owned; NULL until the
	                     * first (most handles see no private interaction,
	                     * and a command then never loads GLib for it) */
	double h;
};

struct entry {
	gint64 key;         /* a << 32 | b, a < b */
	kith_pair_sums s;
};

/* Interactions this handle sees that the cache leaves out, with what
 * kith__score_interaction would weigh them by. */
static const char overlay_sql[] =
	/* plan: scan -- private rows only, from partial indexes */
	"SELECT i.id, i.at, coalesce(i.initiator, 0),"
	" coalesce((SELECT weight FROM interaction_kind WHERE name = i.kind), 1.0)"
	" FROM interaction i WHERE i.id IN (SELECT id FROM interaction WHERE private"
	"  UNION SELECT ip.interaction_id FROM person p JOIN interaction_person ip"
	"  ON ip.person_id = p.id WHERE p.private) ORDER BY i.id";

static struct entry *entry_of(kith__overlay *o, kith_id a, kith_id b, int64_t at)
{
	gint64 key = (gint64)((uint64_t)a << 32 | (uint64_t)b);
	struct entry *e;

	if (!o->pairs)
		o->pairs = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, free);
	if ((e = g_hash_table_lookup(o->pairs, &key)))
		return e;
	if (!(e = malloc(sizeof(*e))))
		return NULL;
	e->key = key;
	e->s = (kith_pair_sums){0, 0, 0, at};
	g_hash_table_insert(o->pairs, &e->key, e);
	return e;
}

/* Adds one interaction's shares, as kith__score_interaction adds them to
 * the cache. */
static int add(kith__overlay *o, const kith_idv *people, kith_id init, double w,
               int64_t at)
{
	size_t n = people->n;

	w /= (double)(n - 1);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			kith_id a = people->v[i], b = people->v[j];
			struct entry *e;
			if (!kith__score_pair_counts(n, init, a, b))
				continue;
			if (a > b) {
				kith_id t = a;
				a = b;
				b = t;
			}
			if (a < 1 || b > KITH__PAIR_MAX_ID)
				continue;
			if (!(e = entry_of(o, a, b, at)))
				return KITH_ENOMEM;
			kith__score_add(&e->s, a, b, init, w, at, 1, o->h);
		}
	return KITH_OK;
}

kith__overlay *kith__overlay_load(kith_db *db, double h, kith_error *err)
{
	kith__overlay *o = calloc(1, sizeof(*o));
	sqlite3_stmt *st = NULL;
	kith_idv people = {0};
	int rc;

	if (!o) {
		kith_error_set(err, KITH_ENOMEM, "out of memory");
		return NULL;
	}
	o->h = h;
	if ((rc = kith__prepare(db, overlay_sql, &st, err)))
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		people.n = 0;
		if ((rc = kith__ids(db, "SELECT person_id FROM interaction_person"
		                    " WHERE interaction_id = ?1", sqlite3_column_int64(st, 0),
		                    &people, err)))
			goto fail;
		if (people.n >= 2 &&
		    add(o, &people, sqlite3_column_int64(st, 2), sqlite3_column_double(st, 3),
		        sqlite3_column_int64(st, 1))) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = kith__sqlerr(db, rc, "read private interactions", err);
		goto fail;
	}
	sqlite3_finalize(st);
	kith_idv_clear(&people);
	return o;
fail:
	sqlite3_finalize(st);
	kith_idv_clear(&people);
	kith__overlay_free(o);
	return NULL;
}

void kith__overlay_free(kith__overlay *o)
{
	if (!o)
		return;
	if (o->pairs)
		g_hash_table_destroy(o->pairs);
	free(o);
}

void kith__overlay_add_to(const kith__overlay *o, kith_id a, kith_id b, kith_pair_sums *s)
{
	gint64 key = (gint64)((uint64_t)a << 32 | (uint64_t)b);
	const struct entry *e = o && o->pairs ? g_hash_table_lookup(o->pairs, &key) : NULL;
	kith_pair_sums t;

	if (!e)
		return;
	/* Both at the later reference time, then summed. */
	t = e->s;
	kith__pair_rebase(s, t.ref, o->h);
	kith__pair_rebase(&t, s->ref, o->h);
	s->u += t.u;
	s->ab += t.ab;
	s->ba += t.ba;
}

void kith__overlay_each(const kith__overlay *o, void (*fn)(void *arg, kith_id a, kith_id b),
                        void *arg)
{
	GHashTableIter it;
	gpointer k, v;

	if (!o || !o->pairs)
		return;
	g_hash_table_iter_init(&it, o->pairs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const struct entry *e = v;
		fn(arg, (kith_id)((uint64_t)e->key >> 32), (kith_id)((uint64_t)e->key & 0xffffffffu));
	}
}
