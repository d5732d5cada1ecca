/* A generated demo network: deterministic from its seed, size and "now". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "demo_data.h"
#include "kith/person.h"
#include "kith/org.h"
#include "kith/link.h"
#include "kith/interaction.h"
#include "kith/demo.h"

#define DAY 86400

struct gen {
	kith_db *db;
	uint64_t rng;
	int64_t now;
	kith_id me;
	size_t n, norgs;
	kith_id *people;      /* n */
	int *community;       /* n: index of the person's home org */
	int *tier;            /* n: 1 inner .. 4 known, 0 not my contact */
	kith_id *orgs;        /* norgs */
	kith_demo_report *rep;
	kith_error *err;
};

/* splitmix64: tiny, fast, and identical on every platform. */
static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(struct gen *g)
{
	return (double)(rnd(g) >> 11) / 9007199254740992.0;
}

static size_t pick(struct gen *g, size_t n)
{
	return (size_t)(unif(g) * (double)n);
}

/* Lower-case ASCII letters of s (accents folded) into out, for emails. */
static void email_part(const char *s, char *out, size_t sz)
{
	char *f = kith__fold(s);
	size_t o = 0;

	for (const char *p = f ? f : ""; *p && o + 1 < sz; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			out[o++] = *p;
	out[o] = '\0';
	free(f);
}

static int make_orgs(struct gen *g)
{
	size_t combos = DEMO_N(demo_org_a) * DEMO_N(demo_org_b);
	size_t *order = malloc(combos * sizeof(*order));
	int rc = KITH_OK;

	if (!order)
		return kith_error_set(g->err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; i < combos; i++)
		order[i] = i;
	for (size_t i = combos - 1; i > 0; i--) {
		size_t j = pick(g, i + 1), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; !rc && i < g->norgs; i++) {
		const char *a = demo_org_a[order[i] / DEMO_N(demo_org_b)];
		const char *b = demo_org_b[order[i] % DEMO_N(demo_org_b)];
		const struct demo_place *pl = &demo_places[pick(g, DEMO_N(demo_places))];
		char name[96], domain[96], la[32], lb[32];
		kith_org o = {0};
		email_part(a, la, sizeof(la));
		email_part(b, lb, sizeof(lb));
		snprintf(name, sizeof(name), "%s %s", a, b);
		snprintf(domain, sizeof(domain), "%s%s.example", la, lb);
		o.name = strdup(name);
		o.domain = strdup(domain);
		o.city = strdup(pl->city);
		o.country = strdup(pl->country);
		rc = kith_org_add(g->db, &o, g->err);
		g->orgs[i] = o.id;
		kith_org_clear(&o);
	}
	free(order);
	g->rep->orgs = (int64_t)g->norgs;
	return rc;
}

static int email_taken(struct gen *g, const char *email)
{
	kith_id id;

	return kith_person_resolve(g->db, email, &id, NULL, NULL) == KITH_OK;
}

static void fill_person(struct gen *g, size_t i, kith_person *p, const kith_org *home)
{
	const char *given = demo_given[pick(g, DEMO_N(demo_given))];
	const char *family = demo_family[pick(g, DEMO_N(demo_family))];
	const struct demo_place *pl = &demo_places[pick(g, DEMO_N(demo_places))];
	char buf[160], lg[40], lf[40];
	size_t ntags = pick(g, 4);

	p->given_name = strdup(given);
	p->family_name = strdup(family);
	email_part(given, lg, sizeof(lg));
	email_part(family, lf, sizeof(lf));
	snprintf(buf, sizeof(buf), "%s.%s@%s", lg, lf, home->domain);
	if (email_taken(g, buf)) /* namesakes at one org, as in real life */
		snprintf(buf, sizeof(buf), "%s.%s%zu@%s", lg, lf, i, home->domain);
	kith_strv_push(&p->emails, buf);
	if (unif(g) < 0.6) {
		/* Drawn one by one, last digits first: the order of a call's
		 * arguments is the compiler's, and the same seed must give the
		 * same network whatever compiled it (this is gcc's order, so
		 * the README's demo stays the same). */
		int d[6];
		for (int k = 5; k >= 0; k--)
			d[k] = (int)pick(g, k == 0 ? 20 : k == 1 ? 2 : 100);
		snprintf(buf, sizeof(buf), "+%d %d %02d %02d %02d %02d",
		         30 + d[0], 6 + d[1], d[2], d[3], d[4], d[5]);
		kith_strv_push(&p->phones, buf);
	}
	if (unif(g) < 0.8) {
		p->city = kith__strdup(home->city);
		p->country = kith__strdup(home->country);
	} else {
		p->city = strdup(pl->city);
		p->country = strdup(pl->country);
	}
	for (size_t t = 0; t < ntags; t++)
		kith_strv_push(&p->tags, demo_tags[pick(g, DEMO_N(demo_tags))]);
	if (unif(g) < 0.3) {
		const char *const *t = demo_notes[pick(g, DEMO_N(demo_notes))];
		snprintf(buf, sizeof(buf), "%s%s%s", t[0],
		         unif(g) < 0.5 ? pl->city : demo_tags[pick(g, DEMO_N(demo_tags))], t[1]);
		p->notes = strdup(buf);
	}
}

static int add_jobs(struct gen *g, size_t i)
{
	int rc = KITH_OK;
	int year = 2010 + (int)pick(g, 14);
	char from[16], to[16];

	if (unif(g) < 0.35) {
		kith_job past = {.person = g->people[i], .org = g->orgs[pick(g, g->norgs)]};
		snprintf(from, sizeof(from), "%d", year - 3 - (int)pick(g, 6));
		snprintf(to, sizeof(to), "%d", year);
		past.title = strdup(demo_titles[pick(g, DEMO_N(demo_titles))]);
		past.from = strdup(from);
		past.to = strdup(to);
		rc = kith_job_add(g->db, &past, g->err);
		kith_job_clear(&past);
	}
	if (!rc && unif(g) < 0.75) {
		kith_job now = {.person = g->people[i], .org = g->orgs[g->community[i]]};
		snprintf(from, sizeof(from), "%d", year);
		now.title = strdup(demo_titles[pick(g, DEMO_N(demo_titles))]);
		now.from = strdup(from);
		rc = kith_job_add(g->db, &now, g->err);
		kith_job_clear(&now);
	}
	return rc;
}

static int make_people(struct gen *g)
{
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < g->n; i++) {
		kith_person p = {0};
		kith_org *home = NULL;
		/* Squaring skews community sizes: a few big orgs, many small. */
		double u = unif(g);
		g->community[i] = (int)(u * u * (double)g->norgs);
		rc = kith_org_get(g->db, g->orgs[g->community[i]], &home, g->err);
		if (rc)
			break;
		fill_person(g, i, &p, home);
		kith_org_free(home);
		rc = kith_person_add(g->db, &p, g->err);
		g->people[i] = p.id;
		kith_person_clear(&p);
		if (!rc)
			rc = add_jobs(g, i);
	}
	g->rep->people = (int64_t)g->n;
	return rc;
}

/* Adds a link, treating "already linked" as fine. */
static int link(struct gen *g, kith_id a, kith_id b, const char *kind, double trust)
{
	kith_link l = {.a = a, .b = b, .kind = strdup(kind), .trust = trust,
	               .has_trust = trust > 0};
	char since[16];
	int rc;

	if (a == b) {
		kith_link_clear(&l);
		return KITH_OK;
	}
	snprintf(since, sizeof(since), "%d", 2005 + (int)pick(g, 21));
	l.since = strdup(since);
	rc = kith_link_add(g->db, &l, g->err);
	kith_link_clear(&l);
	if (rc == KITH_EEXISTS) {
		kith_error_clear(g->err);
		return KITH_OK;
	}
	if (!rc)
		g->rep->links++;
	return rc;
}

static const char *const tier_kinds[][3] = {
	{"knows", "knows", "knows"},
	{"friend", "family", "friend"},
	{"friend", "colleague", "partner"},
	{"colleague", "client", "knows"},
	{"knows", "classmate", "client"},
};

static int make_links(struct gen *g)
{
	static const char *const weak[] = {"knows", "client", "partner", "mentor",
	                                   "investor", "classmate", "neighbour"};
	size_t tiers[] = {0, 5, 20, 60, 150};
	int rc = KITH_OK;

	/* My contacts: the first people of a shuffled order, by layer. */
	for (size_t i = 0; !rc && i < g->n && i < tiers[4]; i++) {
		size_t j = i + pick(g, g->n - i);
		kith_id tid = g->people[i];
		int tc = g->community[i];
		g->people[i] = g->people[j], g->people[j] = tid;
		g->community[i] = g->community[j], g->community[j] = tc;
		g->tier[i] = i < tiers[1] ? 1 : i < tiers[2] ? 2 : i < tiers[3] ? 3 : 4;
		double trust = g->tier[i] <= 2 ? 1.0 - 0.1 * g->tier[i] - 0.1 * unif(g) : 0;
		rc = link(g, g->me, g->people[i], tier_kinds[g->tier[i]][pick(g, 3)], trust);
	}
	for (size_t i = 0; !rc && i < g->n; i++) {
		size_t k = 2 + pick(g, 5), tries = 0;
		while (!rc && k > 0 && tries++ < 40) {
			size_t j = pick(g, g->n);
			if (g->community[j] != g->community[i])
				continue;
			double trust = unif(g) < 0.4 ? 0.3 + 0.7 * unif(g) : 0;
			rc = link(g, g->people[i], g->people[j], unif(g) < 0.6 ? "colleague" :
			          unif(g) < 0.5 ? "friend" : "knows", trust);
			k--;
		}
		if (!rc && unif(g) < 0.25) {
			const char *kind = weak[pick(g, DEMO_N(weak))];
			rc = link(g, g->people[i], g->people[pick(g, g->n)], kind, 0);
		}
	}
	return rc;
}

/* Picks an interaction kind with the mix a busy person really has: mostly
 * email and messages, favours and introductions rare. */
static const char *pick_kind(struct gen *g)
{
	static const struct { const char *kind; int weight; } mix[] = {
		{"email", 26}, {"message", 24}, {"meeting", 20}, {"call", 18},
		{"favour", 8}, {"introduction", 4}};
	int r = (int)pick(g, 100);

	for (size_t i = 0; i < DEMO_N(mix); i++) {
		if (r < mix[i].weight)
			return mix[i].kind;
		r -= mix[i].weight;
	}
	return "email";
}

static int log_one(struct gen *g, kith_id a, kith_id b, int64_t at)
{
	kith_interaction it = {.at = at};
	char note[96];
	int rc;

	it.kind = strdup(pick_kind(g));
	kith_idv_push(&it.people, a);
	kith_idv_push(&it.people, b);
	if (strcmp(it.kind, "favour") == 0) {
		it.giver = unif(g) < 0.5 ? a : b;
		it.value = (double)(1 + pick(g, 5));
	}
	if (unif(g) < 0.5) {
		snprintf(note, sizeof(note), "About %s.", demo_topics[pick(g, DEMO_N(demo_topics))]);
		it.notes = strdup(note);
	}
	rc = kith_interaction_add(g->db, &it, g->err);
	kith_interaction_clear(&it);
	if (!rc)
		g->rep->interactions++;
	return rc;
}

static int make_interactions(struct gen *g)
{
	/* Interactions per month by layer; some contacts "go dry": frequent
	 * early in the year, silent for the last three months. */
	static const double per_month[] = {0.05, 4.0, 2.0, 0.7, 0.2};
	int rc = KITH_OK;

	for (size_t i = 0; !rc && i < g->n; i++) {
		int dry = g->tier[i] && unif(g) < 0.15;
		int64_t span = (dry ? 270 : 365) * (int64_t)DAY;
		double expect = per_month[g->tier[i]] * 12 * (0.5 + unif(g));
		kith_id other = g->tier[i] ? g->me : g->people[pick(g, g->n)];
		for (int e = 0; !rc && e < (int)expect; e++) {
			int64_t at = g->now - 365 * (int64_t)DAY + (int64_t)(unif(g) * (double)span);
			if (other != g->people[i])
				rc = log_one(g, other, g->people[i], at);
		}
	}
	return rc;
}

static int generate(struct gen *g)
{
	int rc = make_orgs(g);

	if (!rc)
		rc = make_people(g);
	if (!rc)
		rc = make_links(g);
	if (!rc)
		rc = make_interactions(g);
	return rc;
}

int kith_demo_generate(kith_db *db, const kith_demo_opts *o,
                       kith_demo_report *rep, kith_error *err)
{
	struct gen g = {.db = db, .err = err, .rep = rep};
	int rc;

	memset(rep, 0, sizeof(*rep));
	g.me = kith_me(db);
	if (!g.me)
		return kith_error_set(err, KITH_EINVAL,
			"the demo network is built around 'me': set one first (kith init --me NAME)");
	g.n = o->people > 0 ? (size_t)o->people : 300;
	g.norgs = g.n / 8 < 8 ? 8 : g.n / 8 > 280 ? 280 : g.n / 8;
	g.rng = o->seed;
	g.now = o->now ? o->now : kith_db_now(db);
	g.people = calloc(g.n, sizeof(*g.people));
	g.community = calloc(g.n, sizeof(*g.community));
	g.tier = calloc(g.n, sizeof(*g.tier));
	g.orgs = calloc(g.norgs, sizeof(*g.orgs));
	if (!g.people || !g.community || !g.tier || !g.orgs) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = kith_db_begin(db, err);
	if (rc)
		goto cleanup;
	rc = generate(&g);
	if (rc)
		kith_db_rollback(db);
	else
		rc = kith_db_commit(db, err);
cleanup:
	free(g.people);
	free(g.community);
	free(g.tier);
	free(g.orgs);
	if (rc)
		memset(rep, 0, sizeof(*rep));
	return rc;
}
