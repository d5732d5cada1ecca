#ifndef KITH_TEAM_IMPL_H
#define KITH_TEAM_IMPL_H

/* Private to src/team/: the members a handle sees, and chains. */
#include "internal.h"
#include "kith/team.h"

/* A member whose person the handle sees. */
struct team_member {
	kith_id member, person;
};

struct team {
	struct team_member *v;
	size_t n;
};

/* The members of db whose person db sees, by member id. */
int team__load(kith_db *db, struct team *t, kith_error *err);
void team__clear(struct team *t);
/* Whether person is a member's person. */
int team__is_member_person(const struct team *t, kith_id person);

/* The strength of the link between a and b as g weighs it, 0 for none. */
double team__edge(kith_graph *g, kith_id a, kith_id b);
/* Fills c from path p (stolen: p is left empty) with each link's strength. */
int team__chain_from(kith_graph *g, kith_id member, kith_path *p, kith_chain *c,
                     kith_error *err);
/* Whether path p passes through person x. */
int team__path_has(const kith_path *p, kith_id x);
/* A copy of path src into dst. */
int team__path_copy(kith_path *dst, const kith_path *src, kith_error *err);

#endif
