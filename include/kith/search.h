#ifndef KITH_SEARCH_H
#define KITH_SEARCH_H

#include "kith/db.h"

/*
 * Full-text search over people (names, emails, city, tags, notes), orgs
 * and interaction notes, on SQLite FTS5 with diacritics folded ("Zoe"
 * finds "Zoë").  Each word of the query must match the start of a word.
 * The query is plain text, never FTS syntax, so any input is safe.
 */
enum kith_hit_type { KITH_HIT_PERSON, KITH_HIT_ORG, KITH_HIT_INTERACTION };

typedef struct kith_hit {
	int type;
	kith_id id;
	char *title;    /* display name, org name, or interaction kind+date */
	char *snippet;  /* matching text with [brackets] around the match */
	double rank;    /* lower is better (bm25) */
} kith_hit;

int kith_search(kith_db *db, const char *query, size_t limit, kith_hit **out,
                size_t *n, kith_error *err);
void kith_hit_list_free(kith_hit *v, size_t n);

#endif
