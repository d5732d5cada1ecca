/*
 * A member's address book as their clients see it: each card's ETag made
 * from the card's own text, and sync tokens made from the whole book
 * (include/kith/card.h, docs/carddav.md).
 *
 * The change log (card_change) says which people changed, for anyone: a
 * row is written when another member adds a private link to a team
 * person, or makes their own person private.  So the log decides only
 * what to look at again.  What a member is told comes from what their
 * viewer handle shows: a card's ETag is a hash of its vCard 3.0 and 4.0
 * text as rendered for them, and the book's token a hash of its (href,
 * ETag) pairs.  A change nobody but another member can see renders the
 * same text, so it moves neither.
 *
 * A sync token names a state of the book: "DIGEST-N", the hash of the
 * book's hrefs and ETags and the state's number, which counts the changes
 * the member saw.  The book remembers its recent states and, per card,
 * the state in which it last changed, so a sync from a known token lists
 * the cards changed since, and the names that went.  A token the book
 * does not know but whose digest is that of a state it remembers (the
 * same book: after a restart when nothing changed meanwhile) answers from
 * that state; any other token is unknown, and the client starts over
 * (RFC 6578 3.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "card_impl.h"

/* The book states remembered for tokens; older tokens are unknown. */
#define BOOK_STATES 1024

struct book_card {
	kith_id person;       /* the key of kith_card_book.cards */
	char *href;
	int64_t seq;          /* the person's last log entry when hashed */
	int64_t etag;
	int64_t updated;
	uint64_t changed;     /* the state in which it last changed */
};

struct book_gone {
	char *href;
	kith_id person;
	uint64_t state;       /* the state in which it went */
};

struct book_state {
	char digest[33];      /* of the book's hrefs and ETags */
	uint64_t n;
};

struct kith_card_book {
	kith_id member;
	int built;
	int64_t scanned;      /* the log's last entry when last refreshed */
	uint64_t n;           /* the current state's number */
	GHashTable *cards;    /* person id -> struct book_card */
	struct book_gone *gone;
	size_t ngone, capgone;
	struct book_state states[BOOK_STATES];  /* a ring, oldest first */
	size_t nstates, first;
	char digest[33];      /* the current state's */
	char token[KITH_CARD_TOKEN_MAX + 1];    /* "DIGEST-N" */
};

/* The first 62 bits of a SHA-256 as a positive number, never 0. */
static int64_t hash62(GChecksum *c)
{
	guint8 d[32];
	gsize n = sizeof(d);
	uint64_t v = 0;

	g_checksum_get_digest(c, d, &n);
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	v &= (UINT64_C(1) << 62) - 1;
	return v ? (int64_t)v : 1;
}

int kith_card_etag(kith_db *db, kith_id person, int64_t *etag, kith_error *err)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	int rc = KITH_OK;

	*etag = 0;
	/* Both versions: a 4.0 card names linked people by UID, a 3.0 one
	 * by name; either changing is a change of the card. */
	for (int v = 3; v <= 4 && !rc; v++) {
		char *text;
		size_t len;
		if (!(rc = kith_card_render(db, person, v, &text, &len, err))) {
			g_checksum_update(c, (const guchar *)text, (gssize)len);
			g_checksum_update(c, (const guchar *)"", 1);
			free(text);
		}
	}
	if (!rc)
		*etag = hash62(c);
	g_checksum_free(c);
	return rc;
}

static void card_free(gpointer p)
{
	struct book_card *c = p;

	free(c->href);
	free(c);
}

int kith_card_book_new(kith_id member, kith_card_book **out, kith_error *err)
{
	kith_card_book *b = calloc(1, sizeof(*b));

	if (!b)
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	b->member = member;
	b->cards = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, card_free);
	*out = b;
	return KITH_OK;
}

static void gone_clear(kith_card_book *b)
{
	for (size_t i = 0; i < b->ngone; i++)
		free(b->gone[i].href);
	free(b->gone);
	b->gone = NULL;
	b->ngone = b->capgone = 0;
}

void kith_card_book_free(kith_card_book *b)
{
	if (!b)
		return;
	g_hash_table_destroy(b->cards);
	gone_clear(b);
	free(b);
}

static int by_person(const void *x, const void *y)
{
	const struct book_card *a = *(struct book_card *const *)x;
	const struct book_card *b = *(struct book_card *const *)y;

	return (a->person > b->person) - (a->person < b->person);
}

/* The cards by person id, into *out (a heap array of borrowed pointers,
 * NULL when the book is empty).  KITH_ENOMEM. */
static int sorted(const kith_card_book *b, struct book_card ***out, size_t *n)
{
	GHashTableIter it;
	gpointer v;
	size_t k = 0;

	*n = g_hash_table_size(b->cards);
	*out = NULL;
	if (!*n)
		return KITH_OK;
	if (!(*out = malloc(*n * sizeof(**out))))
		return KITH_ENOMEM;
	g_hash_table_iter_init(&it, b->cards);
	while (g_hash_table_iter_next(&it, NULL, &v))
		(*out)[k++] = v;
	qsort(*out, *n, sizeof(**out), by_person);
	return KITH_OK;
}

/* The book's digest: a hash of its cards' ids, hrefs and ETags by person
 * id, 128 bits in hex. */
static int book_digest(kith_card_book *b)
{
	GChecksum *c;
	struct book_card **v;
	size_t n;
	char line[KITH_CARD_HREF_MAX + 64];

	if (sorted(b, &v, &n))
		return KITH_ENOMEM;
	c = g_checksum_new(G_CHECKSUM_SHA256);
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(line, sizeof(line), "%lld %lld %s\n", (long long)v[i]->person,
		                   (long long)v[i]->etag, v[i]->href);
		g_checksum_update(c, (const guchar *)line, len);
	}
	snprintf(b->digest, sizeof(b->digest), "%.32s", g_checksum_get_string(c));
	g_checksum_free(c);
	free(v);
	return KITH_OK;
}

static struct book_state *state_at(const kith_card_book *b, size_t i)
{
	return (struct book_state *)&b->states[(b->first + i) % BOOK_STATES];
}

/* Remembers the current state under its token; the oldest goes when the
 * ring is full, with the removals only it needed. */
static void state_push(kith_card_book *b)
{
	struct book_state *s;

	if (b->nstates == BOOK_STATES) {
		b->first = (b->first + 1) % BOOK_STATES;
		b->nstates--;
		uint64_t oldest = state_at(b, 0)->n;
		size_t k = 0;
		for (size_t i = 0; i < b->ngone; i++) {
			if (b->gone[i].state > oldest)
				b->gone[k++] = b->gone[i];
			else
				free(b->gone[i].href);
		}
		b->ngone = k;
	}
	s = state_at(b, b->nstates++);
	memcpy(s->digest, b->digest, sizeof(s->digest));
	s->n = b->n;
	snprintf(b->token, sizeof(b->token), "%s-%llu", b->digest, (unsigned long long)b->n);
}

static int gone_push(kith_card_book *b, const char *href, kith_id person, uint64_t state)
{
	char *h;

	if (b->ngone == b->capgone) {
		size_t cap = b->capgone ? b->capgone * 2 : 16;
		struct book_gone *v = realloc(b->gone, cap * sizeof(*v));
		if (!v)
			return KITH_ENOMEM;
		b->gone = v;
		b->capgone = cap;
	}
	if (!(h = strdup(href)))
		return KITH_ENOMEM;
	b->gone[b->ngone++] = (struct book_gone){h, person, state};
	return KITH_OK;
}

/* Sets person's card to what the view shows (r; NULL when it shows no
 * such card), as of state next; *any is set when the member sees a
 * difference.  The card is rendered again only when its log moved. */
static int apply(kith_card_book *b, kith_db *view, kith_id person, const kith_card_ref *r,
                 uint64_t next, int *any, kith_error *err)
{
	struct book_card *old = g_hash_table_lookup(b->cards, &person), *c;
	int64_t etag;
	int rc;

	if (!r) {
		if (!old)
			return KITH_OK;  /* never in the book: nothing to say */
		*any = 1;
		if (gone_push(b, old->href, person, next))
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		g_hash_table_remove(b->cards, &person);
		return KITH_OK;
	}
	if (old && old->seq == r->seq && old->updated == r->updated)
		etag = old->etag;
	else if ((rc = kith_card_etag(view, person, &etag, err)))
		return rc;
	if (old && old->etag == etag && strcmp(old->href, r->href) == 0) {
		old->seq = r->seq;
		return KITH_OK;
	}
	*any = 1;
	if (old && strcmp(old->href, r->href) != 0 && gone_push(b, old->href, person, next))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (!(c = calloc(1, sizeof(*c))) || !(c->href = strdup(r->href))) {
		free(c);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	c->person = person;
	c->seq = r->seq;
	c->etag = etag;
	c->updated = r->updated;
	c->changed = next;
	g_hash_table_replace(b->cards, &c->person, c);
	return KITH_OK;
}

/* Every card the view shows, rendered: the first refresh. */
static int build(kith_card_book *b, kith_db *view, int *any, kith_error *err)
{
	kith_card_ref *refs = NULL;
	size_t n = 0;
	int rc = kith_card_list(view, b->member, &refs, &n, err);

	for (size_t i = 0; !rc && i < n; i++)
		rc = apply(b, view, refs[i].person, &refs[i], 1, any, err);
	free(refs);
	return rc;
}

/* The people with log entries in (from, to]: the cards to look at again. */
static int update(kith_card_book *b, kith_db *view, int64_t from, int64_t to, int *any,
                  kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(view, "SELECT DISTINCT person_id FROM card_change"
	                       " WHERE seq > ?1 AND seq <= ?2", &st, err), step = SQLITE_DONE;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(kith_id));

	if (!rc) {
		sqlite3_bind_int64(st, 1, from);
		sqlite3_bind_int64(st, 2, to);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			kith_id id = sqlite3_column_int64(st, 0);
			g_array_append_val(ids, id);
		}
		if (step != SQLITE_DONE)
			rc = kith__sqlerr(view, step, "read changes", err);
		sqlite3_finalize(st);
	}
	for (guint i = 0; !rc && i < ids->len; i++) {
		kith_id p = g_array_index(ids, kith_id, i);
		kith_card_ref r;
		rc = kith__card_ref_of(view, b->member, p, &r, err);
		if (rc == KITH_ENOTFOUND)
			rc = apply(b, view, p, NULL, b->n + 1, any, err);
		else if (!rc)
			rc = apply(b, view, p, &r, b->n + 1, any, err);
	}
	g_array_free(ids, TRUE);
	return rc;
}

static void reset(kith_card_book *b)
{
	g_hash_table_remove_all(b->cards);
	gone_clear(b);
	b->nstates = b->first = 0;
	b->n = 0;
	b->built = 0;
}

int kith_card_book_refresh(kith_card_book *b, kith_db *view, kith_error *err)
{
	int64_t last = 0;
	int any = 0, own_tx = view->tx_depth == 0, rc;

	/* One moment of the database for the log and the cards. */
	if (own_tx && (rc = kith__exec(view, "BEGIN", "read address book", err)))
		return rc;
	rc = kith_card_token(view, &last, err);
	if (!rc && b->built && last < b->scanned)
		reset(b);  /* another database under the same name: start over */
	if (rc || (b->built && last == b->scanned))
		goto done;  /* nothing was written since */
	rc = b->built ? update(b, view, b->scanned, last, &any, err) : build(b, view, &any, err);
	if (rc) {
		/* Half applied: the next refresh starts over rather than guess. */
		reset(b);
		goto done;
	}
	b->scanned = last;
	if (any || !b->built) {
		b->n++;
		if ((rc = book_digest(b))) {
			reset(b);
			rc = kith_error_set(err, KITH_ENOMEM, "out of memory");
			goto done;
		}
		state_push(b);
	}
	b->built = 1;
done:
	if (own_tx)
		sqlite3_exec(view->h, "ROLLBACK", NULL, NULL, NULL);  /* a read */
	return rc;
}

const char *kith_card_book_token(const kith_card_book *b)
{
	return b->token;
}

static void ref_of(const struct book_card *c, kith_card_ref *r)
{
	memset(r, 0, sizeof(*r));
	r->person = c->person;
	snprintf(r->href, sizeof(r->href), "%s", c->href);
	r->etag = c->etag;
	r->seq = c->seq;
	r->updated = c->updated;
}

int kith_card_book_list(const kith_card_book *b, kith_card_ref **out, size_t *n,
                        kith_error *err)
{
	struct book_card **v;

	*out = NULL;
	*n = 0;
	if (sorted(b, &v, n))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	if (*n && !(*out = malloc(*n * sizeof(**out)))) {
		free(v);
		*n = 0;
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < *n; i++)
		ref_of(v[i], &(*out)[i]);
	free(v);
	return KITH_OK;
}

int kith_card_book_changes(const kith_card_book *b, const char *token,
                           kith_card_ref **out, size_t *n, kith_error *err)
{
	uint64_t since = 0;
	int known = 0;
	size_t cap = 0, k = 0, nv = 0;
	kith_card_ref *v = NULL;
	struct book_card **cards = NULL;
	GHashTable *present;

	*out = NULL;
	*n = 0;
	char digest[33] = "";
	unsigned long long tn = 0;
	int end = 0;

	/* "DIGEST-N": the state numbered N when it is there with that
	 * digest; else the latest state with the same digest (the same
	 * book, so the same answer), as after a restart. */
	if (strlen(token) > 33 && token[32] == '-' &&
	    strspn(token, "0123456789abcdef") == 32 &&
	    sscanf(token + 33, "%llu%n", &tn, &end) == 1 && !token[33 + end] &&
	    strspn(token + 33, "0123456789") == (size_t)end)
		memcpy(digest, token, 32);
	for (size_t i = b->nstates; digest[0] && i-- > 0 && !known;) {
		const struct book_state *s = state_at(b, i);
		if (s->n == tn && strcmp(s->digest, digest) == 0) {
			since = s->n;
			known = 1;
		}
	}
	for (size_t i = b->nstates; digest[0] && i-- > 0 && !known;) {
		const struct book_state *s = state_at(b, i);
		if (strcmp(s->digest, digest) == 0) {
			since = s->n;
			known = 1;
		}
	}
	if (!known)
		return kith_error_set(err, KITH_ENOTFOUND, "unknown sync token");
	if (sorted(b, &cards, &nv))
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	for (size_t i = 0; i < nv; i++)
		cap += cards[i]->changed > since;
	for (size_t i = 0; i < b->ngone; i++)
		cap += b->gone[i].state > since;
	if (!cap) {
		free(cards);
		return KITH_OK;
	}
	if (!(v = malloc(cap * sizeof(*v)))) {
		free(cards);
		return kith_error_set(err, KITH_ENOMEM, "out of memory");
	}
	present = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < nv; i++) {
		g_hash_table_add(present, cards[i]->href);
		if (cards[i]->changed > since)
			ref_of(cards[i], &v[k++]);
	}
	/* A name that went and is back (or went twice) is said once. */
	for (size_t i = 0; i < b->ngone; i++) {
		const struct book_gone *g = &b->gone[i];
		if (g->state <= since || g_hash_table_contains(present, g->href))
			continue;
		g_hash_table_add(present, g->href);
		memset(&v[k], 0, sizeof(v[k]));
		v[k].person = g->person;
		v[k].gone = 1;
		snprintf(v[k].href, sizeof(v[k].href), "%s", g->href);
		k++;
	}
	g_hash_table_destroy(present);
	free(cards);
	*out = v;
	*n = k;
	return KITH_OK;
}
