/* The floor of src/team/: the team as a handle sees it, and chains with
 * their links' strengths.  The team modules call the network engine
 * (src/graph) and the records; nothing below calls them. */
#include <stdlib.h>
#include <string.h>

#include "team_impl.h"
#include "kith/member.h"

int team__load(kith_db *db, struct team *t, kith_error *err)
{
	kith_member *m;
	size_t n;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = kith_member_list(db, &m, &n, err)))
		return rc;
	if (n && !(t->v = calloc(n, sizeof(*t->v)))) {
		kith_member_list_free(m, n);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		/* A member whose person is hidden from this handle is on the
		 * team but starts no chain the viewer may see. */
		if (!m[i].person || kith__person_exists(db, m[i].person, NULL))
			continue;
		t->v[t->n].member = m[i].id;
		t->v[t->n++].person = m[i].person;
	}
	kith_member_list_free(m, n);
	for (size_t i = 1; i < t->n; i++)  /* kith_member_list sorts by name */
		for (size_t k = i; k > 0 && t->v[k - 1].member > t->v[k].member; k--) {
			struct team_member x = t->v[k];
			t->v[k] = t->v[k - 1];
			t->v[k - 1] = x;
		}
	return KITH_OK;
}

void team__clear(struct team *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int team__is_member_person(const struct team *t, kith_id person)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].person == person)
			return 1;
	return 0;
}

double team__edge(kith_graph *g, kith_id a, kith_id b)
{
	kith_path *v;
	size_t n;
	double s = 0;

	if (kith_graph_intro(g, a, b, 1, 0, &v, &n, NULL))
		return 0;
	if (n && v[0].len == 2)
		s = v[0].strength;
	kith_path_list_free(v, n);
	return s;
}

int team__chain_from(kith_graph *g, kith_id member, kith_path *p, kith_chain *c,
                     kith_error *err)
{
	memset(c, 0, sizeof(*c));
	c->member = member;
	c->path = *p;
	memset(p, 0, sizeof(*p));
	if (c->path.len < 2)
		return KITH_OK;
	if (!(c->edges = calloc(c->path.len - 1, sizeof(*c->edges)))) {
		kith_chain_clear(c);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i + 1 < c->path.len; i++)
		c->edges[i] = team__edge(g, c->path.ids[i], c->path.ids[i + 1]);
	return KITH_OK;
}

int team__path_has(const kith_path *p, kith_id x)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->ids[i] == x)
			return 1;
	return 0;
}

int team__path_copy(kith_path *dst, const kith_path *src, kith_error *err)
{
	memset(dst, 0, sizeof(*dst));
	if (!src->len)
		return KITH_OK;
	if (!(dst->ids = malloc(src->len * sizeof(*dst->ids))))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	memcpy(dst->ids, src->ids, src->len * sizeof(*dst->ids));
	dst->len = src->len;
	dst->strength = src->strength;
	return KITH_OK;
}

void kith_chain_clear(kith_chain *c)
{
	if (!c)
		return;
	kith_path_clear(&c->path);
	free(c->edges);
	memset(c, 0, sizeof(*c));
}
