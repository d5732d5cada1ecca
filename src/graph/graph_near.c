/*
 * People near a person: a breadth-first ball on the snapshot, ranked by
 * distance then by the strongest shortest path, with attribute filters
 * (jobs, tags, places) answered by SQL on the live tables.  Filters are
 * not copied into the snapshot: they change without moving the graph
 * generation, and SQLite's indexes answer them well for a ball's worth
 * of candidates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_impl.h"

/*
 * How the filter meets the ball.  A small ball goes to SQL as a JSON
 * array (json_each) and each candidate is checked through its rowid.  A
 * big one is not sent: the filter runs on its own and its answer is
 * intersected with the ball.  An org filter drives that query from the
 * org's staff (index job_org), usually far fewer people than a two-hop
 * ball, so it switches over early; without one the whole person table is
 * scanned, which only pays for very large balls.
 */
#define BALL_TO_SQL_MAX 50000
#define BALL_TO_SQL_MAX_ORG 256

/* Ball of radius `within` around a with, for each node, the cheapest cost
 * over its shortest paths: a node's parents (one level up) are all
 * dequeued before it, so its cost is final when it is dequeued. */
static size_t ball(const struct kith__gsnap *s, struct kith__gwork *w,
                   uint32_t a, int within)
{
	size_t head = 0, tail = 0;

	gw_set_int(w->dista, a, 0);
	gw_set_cost(w->costx, a, 0);
	w->qa[tail++] = a;
	while (head < tail) {
		uint32_t u = w->qa[head++];
		int32_t du = gw_int(w->dista, u);
		if (du >= within)
			continue;
		const uint32_t *adj;
		const float *cost;
		uint32_t len;
		kith__graph_row(s, u, &adj, &cost, &len);
		for (uint32_t e = 0; e < len; e++) {
			uint32_t v = adj[e];
			float c = gw_cost(w->costx, u) + cost[e];
			if (gw_int(w->dista, v) < 0) {
				gw_set_int(w->dista, v, du + 1);
				gw_set_cost(w->costx, v, c);
				w->qa[tail++] = v;
			} else if (gw_int(w->dista, v) == du + 1 && c < gw_cost(w->costx, v)) {
				gw_set_cost(w->costx, v, c);
			}
		}
	}
	return tail;
}

static void ball_reset(struct kith__gwork *w, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		gw_set_int(w->dista, w->qa[i], -1);
		gw_set_cost(w->costx, w->qa[i], INFINITY);
	}
}

static int has_filter(const kith_near_filter *f)
{
	return f->worked_at || f->works_at || (f->org_country && *f->org_country) ||
	       (f->tag && *f->tag) || (f->city && *f->city) ||
	       (f->country && *f->country) || f->since_year;
}

/* Appends to buf; the SQL built here is a few hundred bytes at most. */
static void cat(char *buf, size_t sz, const char *s)
{
	size_t n = strlen(buf);
	snprintf(buf + n, sz - n, "%s", s);
}

/* One job's conditions: org (?2 or ?3), org country (?4), start (?7). */
static void job_clause(char *sql, size_t sz, const char *org_param, int current,
                       int country, int since)
{
	cat(sql, sz, " AND EXISTS (SELECT 1 FROM job j");
	if (country)
		cat(sql, sz, " JOIN org o ON o.id = j.org_id");
	cat(sql, sz, " WHERE j.person_id = p.id");
	/* The unary + keeps SQLite (without ANALYZE statistics) from
	 * choosing the org index here and scanning an org's whole staff for
	 * every candidate: this lookup must go by person. */
	if (org_param) {
		cat(sql, sz, " AND +j.org_id = ");
		cat(sql, sz, org_param);
	}
	if (current)
		cat(sql, sz, " AND j.date_to IS NULL");
	if (country)
		cat(sql, sz, " AND o.country = ?4 COLLATE NOCASE");
	if (since)
		cat(sql, sz, " AND j.date_from IS NOT NULL"
		             " AND CAST(substr(j.date_from, 1, 4) AS INTEGER) < ?7");
	cat(sql, sz, ")");
}

static void build_sql(const kith_near_filter *f, int by_ball, char *sql, size_t sz)
{
	int country = f->org_country && *f->org_country, since = f->since_year != 0;

	sql[0] = '\0';
	if (by_ball)
		cat(sql, sz, "SELECT p.id FROM person p WHERE"
		             " p.id IN (SELECT value FROM json_each(?1))");
	else if (f->works_at || f->worked_at)
		cat(sql, sz, f->works_at
		             ? "SELECT DISTINCT p.id FROM job jd JOIN person p ON p.id = jd.person_id"
		               " WHERE jd.org_id = ?3"
		             : "SELECT DISTINCT p.id FROM job jd JOIN person p ON p.id = jd.person_id"
		               " WHERE jd.org_id = ?2");
	else
		/* plan: scan -- near without an org: the network filtered by place */
		cat(sql, sz, "SELECT p.id FROM person p WHERE 1");
	/* The job-bound conditions attach to works_at, else worked_at, else
	 * any job (see graph.h). */
	if (f->works_at) {
		job_clause(sql, sz, "?3", 1, country, since);
		country = since = 0;
	}
	if (f->worked_at) {
		job_clause(sql, sz, "?2", 0, country, since);
		country = since = 0;
	}
	if (country || since)
		job_clause(sql, sz, NULL, 0, country, since);
	if (f->tag && *f->tag)
		cat(sql, sz, " AND EXISTS (SELECT 1 FROM person_tag t"
		             " WHERE t.person_id = p.id AND t.tag = lower(?5))");
	if (f->city && *f->city)
		cat(sql, sz, " AND p.city = ?6 COLLATE NOCASE");
	if (f->country && *f->country)
		cat(sql, sz, " AND p.country = ?8 COLLATE NOCASE");
}

/* The ball's ids (w->qa[1..count)) as a JSON array, for json_each(). */
static char *ball_json(const struct kith__gsnap *s, const struct kith__gwork *w,
                       size_t count)
{
	size_t cap = count * 21 + 3, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	buf[len++] = '[';
	for (size_t i = 1; i < count; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%lld", i > 1 ? "," : "",
		                        (long long)s->ids[w->qa[i]]);
	buf[len++] = ']';
	buf[len] = '\0';
	return buf;
}

/* Marks (with stamp) the people of the ball that pass the filters. */
static int apply_filter(kith_graph *g, const kith_near_filter *f, size_t count,
                        uint32_t stamp, kith_error *err)
{
	const struct kith__gsnap *s = g->snap;
	struct kith__gwork *w = g->w;
	int by_ball = count <= ((f->worked_at || f->works_at) ? BALL_TO_SQL_MAX_ORG
	                                                       : BALL_TO_SQL_MAX);
	sqlite3_stmt *st = NULL;
	char sql[1024], *json = NULL;
	int rc;

	build_sql(f, by_ball, sql, sizeof(sql));
	rc = kith__prepare(g->db, sql, &st, err);
	if (rc)
		return rc;
	if (by_ball) {
		json = ball_json(s, w, count);
		if (!json) {
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
		sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	}
	/* Unused parameters stay unbound; SQLite allows gaps. */
	if (f->worked_at)
		sqlite3_bind_int64(st, 2, f->worked_at);
	if (f->works_at)
		sqlite3_bind_int64(st, 3, f->works_at);
	if (f->org_country && *f->org_country)
		kith__bind_text(st, 4, f->org_country);
	if (f->tag && *f->tag)
		kith__bind_text(st, 5, f->tag);
	if (f->city && *f->city)
		kith__bind_text(st, 6, f->city);
	if (f->since_year)
		sqlite3_bind_int(st, 7, f->since_year);
	if (f->country && *f->country)
		kith__bind_text(st, 8, f->country);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint32_t v = kith__graph_index(s, sqlite3_column_int64(st, 0));
		if (v != KITH__NONE)
			w->mark[v] = stamp;
	}
	rc = rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(g->db, rc, "filter people", err);
cleanup:
	sqlite3_finalize(st);
	free(json);
	return rc;
}

static int cmp_hit(const void *x, const void *y)
{
	const kith_near_hit *a = x, *b = y;

	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	if (a->strength != b->strength)
		return a->strength > b->strength ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

int kith_graph_near(kith_graph *g, kith_id a, const kith_near_filter *f,
                    kith_near_hit **out, size_t *n, kith_error *err)
{
	struct kith__gwork *w;
	kith_near_hit *hits = NULL;
	size_t count = 0, nh = 0;
	uint32_t ia, stamp = 0;
	int rc, filtered;

	*out = NULL;
	*n = 0;
	if (f->within < 1)
		return kith_error_set(err, KITH_EINVAL, "the distance must be at least 1");
	if ((rc = kith__graph_ready(g, err)) || (rc = kith__graph_node(g, a, &ia, err)))
		return rc;
	w = g->w;
	count = ball(g->snap, w, ia, f->within);
	filtered = has_filter(f);
	if (filtered && count > 1) {
		stamp = kith__graph_stamp(w);
		rc = apply_filter(g, f, count, stamp, err);
		if (rc)
			goto cleanup;
	}
	hits = malloc((count ? count : 1) * sizeof(*hits));
	if (!hits) {
		rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 1; i < count; i++) {
		uint32_t v = w->qa[i];
		if (filtered && w->mark[v] != stamp)
			continue;
		hits[nh].id = g->snap->ids[v];
		hits[nh].distance = gw_int(w->dista, v);
		hits[nh++].strength = exp(-(double)gw_cost(w->costx, v));
	}
	qsort(hits, nh, sizeof(*hits), cmp_hit);
	if (f->limit && nh > f->limit)
		nh = f->limit;
	*out = hits;
	*n = nh;
	hits = NULL;
cleanup:
	ball_reset(w, count);
	free(hits);
	return rc;
}
