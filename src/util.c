/* Small helpers shared by libkith modules: vectors, strings, statements. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int kith_strv_push(kith_strv *sv, const char *s)
{
	char *copy;

	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 4;
		char **v = realloc(sv->v, cap * sizeof(*v));
		if (!v)
			return KITH_ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	copy = strdup(s);
	if (!copy)
		return KITH_ENOMEM;
	sv->v[sv->n++] = copy;
	return KITH_OK;
}

long kith_strv_find(const kith_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}

void kith_strv_remove(kith_strv *sv, size_t i)
{
	if (i >= sv->n)
		return;
	free(sv->v[i]);
	memmove(sv->v + i, sv->v + i + 1, (sv->n - i - 1) * sizeof(*sv->v));
	sv->n--;
}

void kith_strv_clear(kith_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

int kith_strv_copy(kith_strv *dst, const kith_strv *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (kith_strv_push(dst, src->v[i]) != KITH_OK) {
			kith_strv_clear(dst);
			return KITH_ENOMEM;
		}
	}
	return KITH_OK;
}

int kith_idv_push(kith_idv *iv, kith_id id)
{
	if (iv->n == iv->cap) {
		size_t cap = iv->cap ? iv->cap * 2 : 8;
		kith_id *v = realloc(iv->v, cap * sizeof(*v));
		if (!v)
			return KITH_ENOMEM;
		iv->v = v;
		iv->cap = cap;
	}
	iv->v[iv->n++] = id;
	return KITH_OK;
}

void kith_idv_clear(kith_idv *iv)
{
	free(iv->v);
	iv->v = NULL;
	iv->n = iv->cap = 0;
}

char *kith__strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *kith__trim_dup(const char *s, int *oom)
{
	const char *end;
	char *out;

	if (!s)
		return NULL;
	while (*s && isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (end == s)
		return NULL;
	out = strndup(s, (size_t)(end - s));
	if (!out && oom)
		*oom = 1;
	return out;
}

/* Base letters of U+00C0..U+017F; '\0' keeps the character as is. */
static const char fold_latin[] =
	"aaaaaaaceeeeiiiidnooooo\0ouuuuyts"   /* C0-DF */
	"aaaaaaaceeeeiiiidnooooo\0ouuuuyty"   /* E0-FF */
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiii"
	"jjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuu"
	"wwyyyzzzzzzs";                       /* 100-17F */

char *kith__fold(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 1);
	const unsigned char *p = (const unsigned char *)s;
	char *o = out;

	if (!out)
		return NULL;
	while (*p) {
		if (*p < 0x80) {
			*o++ = (char)tolower(*p++);
			continue;
		}
		if ((p[0] & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
			unsigned cp = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);
			if (cp >= 0xc0 && cp <= 0x17f && fold_latin[cp - 0xc0]) {
				*o++ = fold_latin[cp - 0xc0];
				p += 2;
				continue;
			}
		}
		*o++ = (char)*p++;
	}
	*o = '\0';
	return out;
}

kith_id kith_parse_id(const char *s)
{
	char *end;
	long long v;

	if (*s == '#')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return 0;
	return (kith_id)v;
}

/* A word is worth searching when it has a letter or digit in it; FTS5
 * would reject a phrase made only of punctuation. */
static int word_has_token(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)w[i]) || (unsigned char)w[i] >= 0x80)
			return 1;
	return 0;
}

/* Calls f on each word of text worth searching, at most
 * KITH__FTS_MAX_WORDS of them. */
static void fts_words(const char *text, void (*f)(const char *w, size_t n, void *arg),
                      void *arg)
{
	const char *p = text;
	int words = 0;

	while (*p && words < KITH__FTS_MAX_WORDS) {
		const char *w;
		while (*p && isspace((unsigned char)*p))
			p++;
		w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (p > w && word_has_token(w, (size_t)(p - w))) {
			f(w, (size_t)(p - w), arg);
			words++;
		}
	}
}

/* Bytes a word takes in the query: a separating space, its quotes and
 * star, and each '"' doubled. */
static void fts_measure(const char *w, size_t n, void *arg)
{
	size_t *need = arg;

	*need += n + 4;
	for (size_t i = 0; i < n; i++)
		*need += w[i] == '"';
}

struct fts_out {
	char *o;
	int words;
};

static void fts_write(const char *w, size_t n, void *arg)
{
	struct fts_out *q = arg;

	if (q->words++)
		*q->o++ = ' ';
	*q->o++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '"')
			*q->o++ = '"';
		*q->o++ = w[i];
	}
	*q->o++ = '"';
	*q->o++ = '*';
}

char *kith__fts_query(const char *text, const char *column)
{
	/* Sized by a first pass over the same words, not by a guess: a
	 * one-letter word takes five bytes (` "a"*`), more than twice its
	 * own length with its separator. */
	size_t need = 0, head = column ? strlen(column) + 6 : 0;
	struct fts_out q = {NULL, 0};
	char *out;

	fts_words(text, fts_measure, &need);
	if (!(out = malloc(head + need + 2)))
		return NULL;
	out[0] = '\0';
	if (!need)
		return out;
	q.o = out;
	if (column)
		q.o += sprintf(q.o, "{%s} : (", column);
	fts_words(text, fts_write, &q);
	if (column)
		*q.o++ = ')';
	*q.o = '\0';
	return out;
}

int kith__prepare(kith_db *db, const char *sql, sqlite3_stmt **st,
                  kith_error *err)
{
	int rc = sqlite3_prepare_v2(db->h, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return kith__sqlerr(db, rc, "prepare", err);
	}
	return KITH_OK;
}

int kith__step_done(kith_db *db, sqlite3_stmt *st, const char *what,
                    kith_error *err)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return kith__sqlerr(db, rc, what, err);
	return KITH_OK;
}

int kith__ids(kith_db *db, const char *sql, kith_id arg, kith_idv *out, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (kith_idv_push(out, sqlite3_column_int64(st, 0))) {
			sqlite3_finalize(st);
			return kith_error_set(err, KITH_ENOMEM, "out of memory");
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KITH_OK : kith__sqlerr(db, rc, "read ids", err);
}

int kith__exec(kith_db *db, const char *sql, const char *what, kith_error *err)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return kith__sqlerr(db, rc, what, err);
	return KITH_OK;
}

int kith__bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

char *kith__col_dup(sqlite3_stmt *st, int i, int *oom)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	char *s;

	if (!t)
		return NULL;
	s = strdup((const char *)t);
	if (!s && oom)
		*oom = 1;
	return s;
}
