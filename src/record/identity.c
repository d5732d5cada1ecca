/*
 * Identity: when two records are the same person.  Imports merge on the
 * strong rules (same email, same phone key, same name at the same org,
 * src/import/people.c); this file holds the keys they compare on and
 * `kith dupes`, which lists the weaker cases for a person to decide.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "internal.h"
#include "kith/import.h"
#include "kith/person.h"
#include "kith/merge.h"
#include "kith/member.h"

void kith_phone_key(const char *in, char *out, size_t outsz)
{
	char digits[40];

	if (outsz == 0)
		return;
	kith_phone_digits(in, digits, sizeof(digits));
	if (digits[0] == '0' && digits[1] == '0' && digits[2])
		snprintf(out, outsz, "+%s", digits + 2);
	else
		snprintf(out, outsz, "%s", digits);
}

char *kith__name_key(const char *name)
{
	char *f = kith__fold(name ? name : ""), *o, *p;
	int space = 0;

	if (!f)
		return NULL;
	/* "Jean-Luc  Picard", "jean luc picard." and "Jean Luc Picard" are
	 * one key: separators fold to a single space. */
	for (o = p = f; *p; p++) {
		if (isspace((unsigned char)*p) || *p == '-' || *p == '.' || *p == ',') {
			space = o > f;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	return f;
}

const char *kith_dupe_reason_name(int reason)
{
	switch (reason) {
	case KITH_DUPE_PHONE: return "shared phone";
	case KITH_DUPE_NAME_ORG: return "similar name, same organisation";
	case KITH_DUPE_EMAIL_LOCAL: return "same email user at another domain";
	case KITH_DUPE_NAME: return "same name";
	}
	return "?";
}

void kith_dupe_list_free(kith_dupe *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].detail);
	free(v);
}

/* Pairs found so far, one per (a, b), keeping the strongest reason. */
struct pairs {
	GHashTable *index;  /* "a:b" -> position + 1 */
	kith_dupe *v;
	size_t n, cap;
};

static int pair_add(struct pairs *ps, kith_id a, kith_id b, int reason,
                    const char *detail)
{
	char key[48];
	gpointer pos;

	if (a == b)
		return KITH_OK;
	if (a > b) {
		kith_id t = a;
		a = b;
		b = t;
	}
	snprintf(key, sizeof(key), "%lld:%lld", (long long)a, (long long)b);
	if ((pos = g_hash_table_lookup(ps->index, key)) != NULL) {
		kith_dupe *d = &ps->v[GPOINTER_TO_SIZE(pos) - 1];
		if (reason < d->reason) {
			char *nd = strdup(detail);
			if (!nd)
				return KITH_ENOMEM;
			free(d->detail);
			d->detail = nd;
			d->reason = reason;
		}
		return KITH_OK;
	}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 32;
		kith_dupe *v = realloc(ps->v, cap * sizeof(*v));
		if (!v)
			return KITH_ENOMEM;
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n] = (kith_dupe){.a = a, .b = b, .reason = reason,
	                           .detail = strdup(detail)};
	if (!ps->v[ps->n].detail)
		return KITH_ENOMEM;
	ps->n++;
	g_hash_table_insert(ps->index, g_strdup(key), GSIZE_TO_POINTER(ps->n));
	return KITH_OK;
}

/* A group of people sharing a key, with the text to show for it. */
struct group {
	kith_idv ids;
	char *detail;
};

static void group_free(gpointer p)
{
	struct group *g = p;

	kith_idv_clear(&g->ids);
	free(g->detail);
	free(g);
}

/* Runs sql (rows of id, text) and groups ids by keyfn(text); then every
 * pair inside a group of at most maxgroup people is a candidate: a phone
 * shared by a whole office is a switchboard, not a duplicate. */
static int by_key(kith_db *db, struct pairs *ps, const char *sql,
                  char *(*keyfn)(const char *), int reason, size_t maxgroup,
                  kith_error *err)
{
	GHashTable *groups = g_hash_table_new_full(g_str_hash, g_str_equal, free,
	                                           group_free);
	GHashTableIter it;
	gpointer k, v;
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	while (!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 1);
		char *key = text ? keyfn(text) : NULL;
		struct group *g;
		rc = KITH_OK;
		if (!key || !*key) {
			free(key);
			continue;
		}
		if (!(g = g_hash_table_lookup(groups, key))) {
			g = calloc(1, sizeof(*g));
			if (!g || !(g->detail = strdup(text))) {
				free(g);
				free(key);
				rc = KITH_ENOMEM;
				break;
			}
			g_hash_table_insert(groups, key, g);
		} else {
			free(key);
		}
		kith_id id = sqlite3_column_int64(st, 0);
		if ((g->ids.n == 0 || g->ids.v[g->ids.n - 1] != id) &&
		    kith_idv_push(&g->ids, id))
			rc = KITH_ENOMEM;
	}
	if (rc == SQLITE_DONE)
		rc = KITH_OK;
	else if (rc != KITH_OK && rc != KITH_ENOMEM)
		rc = kith__sqlerr(db, rc, "find duplicates", err);
	sqlite3_finalize(st);
	g_hash_table_iter_init(&it, groups);
	while (!rc && g_hash_table_iter_next(&it, &k, &v)) {
		struct group *g = v;
		if (g->ids.n < 2 || g->ids.n > maxgroup)
			continue;
		for (size_t i = 0; !rc && i < g->ids.n; i++)
			for (size_t j = i + 1; !rc && j < g->ids.n; j++)
				rc = pair_add(ps, g->ids.v[i], g->ids.v[j], reason, g->detail);
	}
	g_hash_table_destroy(groups);
	return rc == KITH_ENOMEM ? kith_error_set(err, rc, "out of memory") : rc;
}

static char *phone_keyfn(const char *s)
{
	char k[40];

	kith_phone_key(s, k, sizeof(k));
	return strlen(k) >= 6 ? strdup(k) : NULL;  /* "1234" is an extension */
}

/* The user part of an address, when it is specific enough to mean one
 * person ("zoe.dupont", not "info" or "john"). */
static char *local_keyfn(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : 0;
	char *k;

	if (n < 6 || (!memchr(s, '.', n) && !memchr(s, '_', n) &&
	              !memchr(s, '-', n)) || kith__noreply(s))
		return NULL;
	k = strndup(s, n);
	for (char *p = k; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

/* Edit distance between two short strings, capped at 3. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[64], prev, best;

	if (la > 62 || lb > 62)
		return 3;
	if (la > lb + 2 || lb > la + 2)
		return 3;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int sub = prev + (a[i - 1] != b[j - 1]);
			int del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
			if (row[j] < best)
				best = row[j];
		}
		if (best >= 3)
			return 3;
	}
	return row[lb] < 3 ? row[lb] : 3;
}

/* Similar names: the same key, a typo apart, or the same last word with
 * one first word the start of the other ("J Smith", "Rob Smith",
 * "Robert Smith"). */
static int similar(const char *a, const char *b)
{
	const char *la = strrchr(a, ' '), *lb = strrchr(b, ' ');
	size_t fa, fb;

	if (strcmp(a, b) == 0)
		return 1;
	if (strlen(a) >= 6 && strlen(b) >= 6 && distance(a, b) <= 1 + (strlen(a) >= 12))
		return 1;
	if (!la || !lb || strcmp(la, lb) != 0)
		return 0;
	fa = (size_t)(strchr(a, ' ') - a);
	fb = (size_t)(strchr(b, ' ') - b);
	return strncmp(a, b, fa < fb ? fa : fb) == 0;
}

/* Pairs of people with a job at the same org and similar names. */
static int by_org(kith_db *db, struct pairs *ps, kith_error *err)
{
	sqlite3_stmt *st;
	kith_idv ids = {0};
	kith_strv names = {0};
	kith_id org = 0;
	char *orgname = NULL;
	/* plan: scan -- duplicates are looked for across the network */
	int rc = kith__prepare(db, "SELECT DISTINCT j.org_id, o.name, p.id, p.display_name"
	                       " FROM job j JOIN person p ON p.id = j.person_id"
	                       " JOIN org o ON o.id = j.org_id ORDER BY j.org_id, p.id",
	                       &st, err);

	for (int done = 0; !rc && !done;) {
		int step = sqlite3_step(st);
		kith_id o = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			rc = kith__sqlerr(db, step, "find duplicates", err);
			break;
		}
		if (o != org) {
			/* Compare everyone at the previous org; past 2,000 people
			 * the pairs are too many to be worth a person's time. */
			for (size_t i = 0; !rc && ids.n <= 2000 && i < ids.n; i++)
				for (size_t j = i + 1; !rc && j < ids.n; j++)
					if (ids.v[i] != ids.v[j] && similar(names.v[i], names.v[j]))
						rc = pair_add(ps, ids.v[i], ids.v[j], KITH_DUPE_NAME_ORG,
						              orgname);
			ids.n = 0;
			kith_strv_clear(&names);
			free(orgname);
			orgname = NULL;
			org = o;
			if (step == SQLITE_DONE) {
				done = 1;
				break;
			}
			orgname = kith__col_dup(st, 1, NULL);
		}
		char *k = kith__name_key((const char *)sqlite3_column_text(st, 3));
		if (!k || kith_idv_push(&ids, sqlite3_column_int64(st, 2)) ||
		    kith_strv_push(&names, k))
			rc = KITH_ENOMEM;
		free(k);
	}
	sqlite3_finalize(st);
	kith_idv_clear(&ids);
	kith_strv_clear(&names);
	free(orgname);
	return rc == KITH_ENOMEM ? kith_error_set(err, rc, "out of memory") : rc;
}

static int cmp_dupe(const void *x, const void *y)
{
	const kith_dupe *a = x, *b = y;

	if (a->reason != b->reason)
		return a->reason - b->reason;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

int kith_dupes_find(kith_db *db, size_t limit, kith_dupe **out, size_t *n,
                    kith_error *err)
{
	struct pairs ps = {0};
	int rc;

	*out = NULL;
	*n = 0;
	ps.index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* plan: scan -- duplicates are looked for across the network */
	rc = by_key(db, &ps, "SELECT person_id, phone FROM person_phone ORDER BY person_id",
	            phone_keyfn, KITH_DUPE_PHONE, 3, err);
	if (!rc)
		rc = by_org(db, &ps, err);
	if (!rc)
		/* plan: scan -- duplicates are looked for across the network */
		rc = by_key(db, &ps, "SELECT person_id, email FROM person_email"
		            " ORDER BY person_id", local_keyfn, KITH_DUPE_EMAIL_LOCAL, 3, err);
	if (!rc)
		/* plan: scan -- duplicates are looked for across the network */
		rc = by_key(db, &ps, "SELECT id, display_name FROM person ORDER BY id",
		            kith__name_key, KITH_DUPE_NAME, 10, err);
	g_hash_table_destroy(ps.index);
	if (rc) {
		kith_dupe_list_free(ps.v, ps.n);
		return rc == KITH_ENOMEM ? kith_error_set(err, rc, "out of memory") : rc;
	}
	if (ps.n > 1)  /* qsort(NULL, 0, ...) is undefined */
		qsort(ps.v, ps.n, sizeof(*ps.v), cmp_dupe);
	if (limit && ps.n > limit) {
		for (size_t i = limit; i < ps.n; i++)
			free(ps.v[i].detail);
		ps.n = limit;
	}
	*out = ps.v;
	*n = ps.n;
	return KITH_OK;
}

int kith__noreply(const char *email)
{
	static const char *const users[] = {
		"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
		"do_not_reply", "mailer-daemon", "postmaster", "notifications",
		"notification", "bounce", "bounces", "newsletter", "news",
		"automated", "alerts", "nobody"};
	const char *at = strchr(email, '@');
	size_t n = at ? (size_t)(at - email) : strlen(email);
	char local[80];

	if (n == 0 || n >= sizeof(local))
		return 0;
	for (size_t i = 0; i < n; i++)
		local[i] = (char)tolower((unsigned char)email[i]);
	local[n] = '\0';
	/* "noreply+abc", "bounces-123": the rule is the part before + or -. */
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		size_t u = strlen(users[i]);
		if (strncmp(local, users[i], u) == 0 &&
		    (local[u] == '\0' || local[u] == '+' || local[u] == '-' || local[u] == '.'))
			return 1;
	}
	return 0;
}
