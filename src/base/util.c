/* Small helpers shared by libkith modules: vectors, strings, statements. */
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "internal.h"

int kith__cmp_id(const void *a, const void *b)
{
	kith_id x = *(const kith_id *)a, y = *(const kith_id *)b;

	return (x > y) - (x < y);
}

int kith__grow(void *vp, size_t *cap, size_t size, size_t first)
{
	void *v, *nv;
	size_t ncap = *cap ? *cap * 2 : first;

	memcpy(&v, vp, sizeof(v));
	if (ncap < *cap || ncap > SIZE_MAX / size || !(nv = realloc(v, ncap * size)))
		return KITH_ENOMEM;
	memcpy(vp, &nv, sizeof(nv));
	*cap = ncap;
	return KITH_OK;
}

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

/* Letters Unicode does not decompose, because the stroke or the
 * ligature is part of the letter: an ASCII keyboard still writes "Soren"
 * for "Søren" and "Lukasz" for "Łukasz". */
static const struct {
	gunichar c;
	const char *base;
} fold_whole[] = {
	{0xe6, "ae"}, {0xf0, "d"}, {0xf8, "o"}, {0xfe, "th"}, {0x111, "d"},
	{0x127, "h"}, {0x131, "i"}, {0x142, "l"}, {0x153, "oe"}, {0x167, "t"},
};

static const char *fold_letter(gunichar c)
{
	for (size_t i = 0; i < sizeof(fold_whole) / sizeof(fold_whole[0]); i++)
		if (fold_whole[i].c == c)
			return fold_whole[i].base;
	return NULL;
}

/* kith__fold past ASCII: valid UTF-8 first (g_utf8_casefold and
 * g_utf8_normalize want it), then case folding ("ß" is "ss"), then NFKD
 * with its combining marks left out. */
static char *fold_unicode(const char *s)
{
	gchar *valid = g_utf8_make_valid(s, -1);
	gchar *folded = g_utf8_casefold(valid, -1);
	gchar *nfkd = g_utf8_normalize(folded, -1, G_NORMALIZE_NFKD);
	GString *out = g_string_sized_new(strlen(s) + 1);
	char *ret;

	for (const char *p = nfkd; p && *p; p = kith__utf8_next(p)) {
		gunichar c = g_utf8_get_char(p);
		const char *base;
		if (g_unichar_type(c) == G_UNICODE_NON_SPACING_MARK)
			continue;
		if ((base = fold_letter(c)) != NULL)
			g_string_append(out, base);
		else
			g_string_append_unichar(out, c);
	}
	ret = strdup(out->str);
	g_string_free(out, TRUE);
	g_free(nfkd);
	g_free(folded);
	g_free(valid);
	return ret;
}

char *kith__fold(const char *s)
{
	char *out;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			return fold_unicode(s);
	if ((out = strdup(s)) != NULL)
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
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

int kith__query_int64(kith_db *db, const char *sql, kith_id arg, int64_t *out,
                      const char *what, kith_error *err)
{
	sqlite3_stmt *st;
	int rc = kith__prepare(db, sql, &st, err);

	if (rc)
		return rc;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = KITH_OK;
	} else {
		rc = rc == SQLITE_DONE ? kith_error_set(err, KITH_EINTERNAL, "%s: no row", what)
		     : kith__sqlerr(db, rc, what, err);
	}
	sqlite3_finalize(st);
	return rc;
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
	const char *t = (const char *)sqlite3_column_text(st, i);
	int len = sqlite3_column_bytes(st, i);
	char *s;

	if (!t)
		return NULL;
	if (kith__utf8_valid(t, (size_t)len)) {
		s = strdup(t);
	} else {
		/* Written by a kith that did not check, or by hand: show the bad
		 * bytes as U+FFFD rather than fail every JSON or XML answer that
		 * holds them. */
		gchar *v = g_utf8_make_valid(t, len);
		s = strdup(v);
		g_free(v);
	}
	if (!s && oom)
		*oom = 1;
	return s;
}
