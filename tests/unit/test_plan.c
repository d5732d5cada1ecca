/*
 * Query plans: every statement kith prepares reads an index, not a whole
 * table that grows with the network, unless it says why.
 *
 * Collecting the statements.  Two sources, so that a new statement is
 * checked without anyone listing it:
 *
 *  1. The source.  Every .c and .h under src/, server/ and cli/ is lexed
 *     for string literals: adjacent literals are joined ("SELECT " COLS
 *     " FROM t"), object-like macros that expand to literals are expanded
 *     (those of the file, then those of any header), and a joined literal
 *     that starts with SELECT, INSERT, UPDATE, DELETE, WITH or REPLACE is a
 *     statement, whatever function it is handed to (sqlite3_prepare*,
 *     kith__prepare, kith__stmt, kith__ids, kith__exec, an array of them).
 *     Each keeps its file:line.
 *  2. The run.  A statement built at run time (a format "... WHERE %s",
 *     or a literal that does not prepare alone because code appends to
 *     it) cannot be planned from its text.  Such a literal becomes a
 *     pattern, and a scenario (scenario() below: the reads a person page,
 *     a list, a search and the scores make, with and without each filter)
 *     runs against the large database with sqlite3_trace_v2 recording the
 *     text of every statement stepped.  Each recorded text that matches a
 *     pattern is planned under the pattern's file:line; a pattern that no
 *     recorded statement matched fails the test ("not exercised"), so a new
 *     run-time statement needs a line in the scenario (or a reason).
 *
 * Checking one.  Each statement is prepared as EXPLAIN on the plain
 * handle the CLI uses, and a read also on a member's viewer handle (whose
 * temporary views filter every table, src/store/visibility.c).  A full
 * scan is a cursor on a growing table or one of its indexes that the
 * program starts with Rewind or Last, or counts with Count, while the
 * query plan says SCAN; for the FTS tables, a virtual table scan with no
 * constraint.  Bound values do not change a plan (kith runs no ANALYZE),
 * so parameters are left unbound; the filter / no-filter cases are
 * separate statements (or UNION ALL branches), each planned alone.
 *
 * A scan that is right (a whole-network export, a recompute) carries a
 * reason, a comment within the three lines above the statement or inside
 * it that reads "plan: scan -- whole-network export".
 *
 * The database: KITH people in communities with links, interactions,
 * jobs, notes, tags and a filled pair cache, generated in SQL in a few
 * seconds and kept in BUILD/plan/ (keyed by the schema version and the
 * generator's) for the next run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

#include "support.h"

#define PLAN_GEN 1          /* bump when the generated network changes */
#define PLAN_PEOPLE 20000

/* Tables that grow with the network.  Small tables (kinds, config,
 * members, cadences per orbit) may be scanned. */
static const char *const growing[] = {
	"person", "person_email", "person_phone", "person_tag", "person_cadence",
	"org", "job", "link", "interaction", "interaction_person", "note", "vouch",
	"pair_cache", "import_source", "card_change", "card_href", "card_related",
	"person_fts", "org_fts", "interaction_fts",
};

/* --- strings ------------------------------------------------------------ */

struct buf {
	char *s;
	size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.s;
}

/* --- the lexer: literals, identifiers, directives ------------------------ */

enum { T_STR, T_ID, T_PUNCT };

struct tok {
	int type, line;
	char *text;   /* T_STR: the decoded literal; T_ID: the name */
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

struct macro {
	char *name, *value;
};

struct macros {
	struct macro *v;
	size_t n;
};

static struct macros header_macros;

static void toks_push(struct toks *t, int type, int line, const char *s, size_t n)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		assert_non_null(t->v);
	}
	t->v[t->n].type = type;
	t->v[t->n].line = line;
	t->v[t->n].text = strndup(s, n);
	t->n++;
}

static void toks_free(struct toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static const char *macro_get(const struct macros *m, const char *name)
{
	for (size_t i = m->n; i-- > 0;)
		if (strcmp(m->v[i].name, name) == 0)
			return m->v[i].value;
	return NULL;
}

static void macro_set(struct macros *m, const char *name, const char *value)
{
	m->v = realloc(m->v, (m->n + 1) * sizeof(*m->v));
	assert_non_null(m->v);
	m->v[m->n].name = strdup(name);
	m->v[m->n].value = strdup(value);
	m->n++;
}

static void macros_free(struct macros *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].value);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* Decodes the C escapes kith's SQL uses; others are kept as written. */
static void decode(struct buf *b, const char *s, const char *end)
{
	for (; s < end; s++) {
		char c = *s;
		if (c == '\\' && s + 1 < end) {
			s++;
			c = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		}
		buf_add(b, &c, 1);
	}
}

static void lex(const char *p, int line, struct toks *out, struct macros *defs);

/* A directive from p (at '#') to its unescaped end of line; records
 * "#define NAME <literals and macros>" in defs.  Returns the end. */
static const char *directive(const char *p, int *line, struct macros *defs)
{
	const char *s = p, *name, *e;
	struct buf body = {0};

	while (*p && *p != '\n') {
		if (*p == '\\' && p[1] == '\n') {
			(*line)++;
			p++;
		}
		p++;
	}
	buf_add(&body, "", 0);
	for (const char *q = s; q < p; q++)
		if (!(*q == '\\' && q[1] == '\n'))
			buf_add(&body, *q == '\n' ? " " : q, 1);
	s = body.s;
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncmp(s, "define", 6) == 0 && (s[6] == ' ' || s[6] == '\t')) {
		for (s += 6; *s == ' ' || *s == '\t'; s++)
			;
		for (name = s; *s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')
		     || (*s >= '0' && *s <= '9'); s++)
			;
		if (s > name && *s != '(') {
			struct toks t = {0};
			struct buf val = {0};
			char *nm = strndup(name, (size_t)(s - name));
			int ok = 1;

			lex(s, 0, &t, defs);
			buf_add(&val, "", 0);
			for (size_t i = 0; i < t.n && ok; i++) {
				if (t.v[i].type == T_STR)
					buf_add(&val, t.v[i].text, strlen(t.v[i].text));
				else if (t.v[i].type == T_ID && (e = macro_get(defs, t.v[i].text)))
					buf_add(&val, e, strlen(e));
				else if (t.v[i].type == T_ID && (e = macro_get(&header_macros, t.v[i].text)))
					buf_add(&val, e, strlen(e));
				else
					ok = 0;
			}
			if (ok && t.n)
				macro_set(defs, nm, val.s);
			free(nm);
			free(val.s);
			toks_free(&t);
		}
	}
	free(body.s);
	return p;
}

static int id_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void lex(const char *p, int line, struct toks *out, struct macros *defs)
{
	int bol = 1;

	while (*p) {
		if (*p == '\n') {
			line++;
			bol = 1;
			p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f') {
			p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				line += *p == '\n';
			p += *p ? 2 : 0;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else if (*p == '#' && bol && defs) {
			p = directive(p + 1, &line, defs);
		} else if (*p == '"' || *p == '\'') {
			char q = *p;
			const char *s = ++p;
			struct buf b = {0};

			while (*p && *p != q && *p != '\n')
				p += p[0] == '\\' && p[1] ? 2 : 1;
			buf_add(&b, "", 0);
			decode(&b, s, p);
			if (q == '"')
				toks_push(out, T_STR, line, b.s, b.n);
			else
				toks_push(out, T_PUNCT, line, "'", 1);
			free(b.s);
			p += *p == q;
			bol = 0;
		} else if (id_char(*p)) {
			const char *s = p;
			while (id_char(*p))
				p++;
			toks_push(out, T_ID, line, s, (size_t)(p - s));
			bol = 0;
		} else {
			toks_push(out, T_PUNCT, line, p, 1);
			p++;
			bol = 0;
		}
	}
}

/* --- statements found in the source ------------------------------------- */

enum { S_PLAIN, S_PATTERN };

struct stmt {
	char *where;      /* "file:line" */
	char *sql;
	char *reason;     /* the written reason for a scan, or NULL */
	int kind;         /* S_PLAIN: planned as written; S_PATTERN: matched at run time */
	int matched;
};

struct stmts {
	struct stmt *v;
	size_t n;
};

static int is_sql(const char *s)
{
	static const char *const heads[] = {"SELECT ", "INSERT ", "UPDATE ", "DELETE ",
	                                    "WITH ", "REPLACE "};
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '(')
		s++;
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (strncmp(s, heads[i], strlen(heads[i])) == 0)
			return 1;
	return 0;
}

/* A printf conversion at s ('%'), as kith's formats write them. */
static size_t conversion(const char *s)
{
	const char *p = s + 1;

	while (*p && strchr("0123456789$.-+ lzhj", *p))
		p++;
	return *p && strchr("sdiuxfgc", *p) ? (size_t)(p - s + 1) : 0;
}

static int has_conversion(const char *s)
{
	for (; *s; s++)
		if (*s == '%' && conversion(s))
			return 1;
	return 0;
}

/* The reason written near lines [from, to] of the file's text, if any. */
static char *reason_near(const char *text, int from, int to)
{
	int line = 1;

	for (const char *p = text; *p; p++) {
		if (line >= from && line <= to && strncmp(p, "plan: scan", 10) == 0) {
			const char *s = p + 10, *e;
			while (*s == ' ' || *s == '-' || *s == ':' || (unsigned char)*s >= 0x80)
				s++;
			for (e = s; *e && *e != '\n' && strncmp(e, "*/", 2); e++)
				;
			while (e > s && e[-1] == ' ')
				e--;
			return e > s ? strndup(s, (size_t)(e - s)) : NULL;
		}
		if (*p == '\n' && ++line > to)
			break;
	}
	return NULL;
}

static void stmts_add(struct stmts *v, const char *file, int line, int end,
                      const char *sql, const char *text)
{
	struct stmt *s;
	char where[512];

	v->v = realloc(v->v, (v->n + 1) * sizeof(*v->v));
	assert_non_null(v->v);
	s = &v->v[v->n++];
	snprintf(where, sizeof(where), "%s:%d", file, line);
	s->where = strdup(where);
	s->sql = strdup(sql);
	s->reason = reason_near(text, line - 3, end);
	s->kind = has_conversion(sql) ? S_PATTERN : S_PLAIN;
	s->matched = 0;
}

static void stmts_free(struct stmts *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].where);
		free(v->v[i].sql);
		free(v->v[i].reason);
	}
	free(v->v);
	memset(v, 0, sizeof(*v));
}

/* Joins runs of adjacent literals and string macros into statements. */
static void collect_text(struct stmts *out, const char *file, const char *text)
{
	struct macros defs = {0};
	struct toks t = {0};
	size_t i = 0;

	lex(text, 1, &t, &defs);
	while (i < t.n) {
		struct buf b = {0};
		size_t j = i;
		int nstr = 0;

		buf_add(&b, "", 0);
		for (; j < t.n; j++) {
			const char *m = NULL;
			if (t.v[j].type == T_STR) {
				nstr++;
				buf_add(&b, t.v[j].text, strlen(t.v[j].text));
				continue;
			}
			if (t.v[j].type == T_ID && !(j + 1 < t.n && strcmp(t.v[j + 1].text, "(") == 0)
			    && ((m = macro_get(&defs, t.v[j].text)) ||
			        (m = macro_get(&header_macros, t.v[j].text)))) {
				buf_add(&b, m, strlen(m));
				nstr++;
				continue;
			}
			break;
		}
		if (nstr && is_sql(b.s))
			stmts_add(out, file, t.v[i].line, t.v[j - 1].line, b.s, text);
		free(b.s);
		i = j > i ? j : i + 1;
	}
	toks_free(&t);
	macros_free(&defs);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a/b", owned by the caller. */
static char *join(const char *a, const char *b)
{
	char *s;

	if (asprintf(&s, "%s/%s", a, b) < 0)
		fail_msg("out of memory");
	return s;
}

/* Paths of the .c (or .h) files under dir, appended to *v. */
static void walk(const char *top, const char *dir, const char *ext, char ***v, size_t *n)
{
	char *path = join(top, dir);
	DIR *d = opendir(path);
	struct dirent *e;

	free(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat sb;
		char *sub;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		sub = join(dir, e->d_name);
		path = join(top, sub);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			walk(top, sub, ext, v, n);
			free(sub);
		} else if (len > 2 && strcmp(e->d_name + len - 2, ext) == 0) {
			*v = realloc(*v, (*n + 1) * sizeof(**v));
			assert_non_null(*v);
			(*v)[(*n)++] = sub;
		} else {
			free(sub);
		}
		free(path);
	}
	closedir(d);
}

static const char *const source_dirs[] = {"src", "server", "cli", "include"};

static void collect(const char *top, struct stmts *out)
{
	char **files = NULL, *path;
	size_t n = 0;

	/* Headers first: their macros serve every file. */
	for (size_t d = 0; d < sizeof(source_dirs) / sizeof(source_dirs[0]); d++)
		walk(top, source_dirs[d], ".h", &files, &n);
	qsort(files, n, sizeof(*files), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *text;
		struct toks t = {0};
		path = join(top, files[i]);
		if ((text = read_all(path))) {
			lex(text, 1, &t, &header_macros);
			toks_free(&t);
			free(text);
		}
		free(path);
		free(files[i]);
	}
	free(files);
	files = NULL;
	n = 0;
	for (size_t d = 0; d < 3; d++)
		walk(top, source_dirs[d], ".c", &files, &n);
	qsort(files, n, sizeof(*files), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *text;
		path = join(top, files[i]);
		if ((text = read_all(path))) {
			collect_text(out, files[i], text);
			free(text);
		}
		free(path);
		free(files[i]);
	}
	free(files);
}

/* --- matching a statement run to its pattern ---------------------------- */

/* Whether text matches pat, where each printf conversion of pat stands
 * for any run of characters, and a pattern that does not end in one may
 * be followed by more (code appended to it). */
static int pattern_match(const char *pat, const char *text)
{
	const char *p = pat, *t = text;
	int first = 1;

	while (*p) {
		const char *c = p;
		size_t conv = 0, len;
		char *piece;
		const char *at;

		while (*c && !(*c == '%' && (conv = conversion(c))))
			c++;
		len = (size_t)(c - p);
		piece = strndup(p, len);
		at = first ? (strncmp(t, piece, len) == 0 ? t : NULL) : strstr(t, piece);
		free(piece);
		if (!at)
			return 0;
		t = at + len;
		p = c + conv;
		first = 0;
	}
	return 1;
}

/* --- the generated network ------------------------------------------------ */

static const char *const gen_sql[] = {
	"INSERT INTO member(id, name, created) VALUES (1, 'alex', 0), (2, 'sam', 0)",
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)"
	" INSERT INTO person(id, display_name, given_name, family_name, city, country,"
	" notes, created, updated, owner, private)"
	" SELECT i, 'Person ' || i, 'Given' || (i % 997), 'Family' || (i % 1499),"
	" 'City' || (i % 300), 'Country' || (i % 40), CASE WHEN i % 7 = 0 THEN 'a note'"
	" END, 1700000000 + i, 1700000000 + i, CASE WHEN i % 50 = 0 THEN 1 + i % 2 END,"
	" i % 50 = 0 FROM n",
	"INSERT INTO person_fts(rowid, name, info, notes) SELECT id, display_name,"
	" city || ' ' || country, coalesce(notes, '') FROM person",
	"INSERT INTO person_email(person_id, pos, email) SELECT id, 0,"
	" 'p' || id || '@example.org' FROM person",
	"INSERT INTO person_phone(person_id, pos, phone, digits) SELECT id, 0,"
	" '+1 555 ' || id, '1555' || id FROM person WHERE id % 3 = 0",
	"INSERT INTO person_tag(person_id, tag) SELECT id, 'tag' || (id % 25) FROM person"
	" WHERE id % 2 = 0",
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 / 20)"
	" INSERT INTO org(id, name, domain, city, created, updated)"
	" SELECT i, 'Org ' || i, 'org' || i || '.example', 'City' || (i % 300), 0, 0 FROM n",
	"INSERT INTO job(person_id, org_id, title, date_from, created) SELECT id,"
	" 1 + id % (?1 / 20), 'Title', '2020-01', 0 FROM person WHERE id % 3 <> 1",
	/* Five links a person: most to near ids (communities), some far. */
	"WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 5)"
	" INSERT OR IGNORE INTO link(a, b, kind, trust, created, updated)"
	" SELECT p.id, 1 + (p.id + CASE WHEN j < 4 THEN j * 7 ELSE p.id * 131 + j END) % ?1,"
	" CASE j WHEN 1 THEN 'knows' WHEN 2 THEN 'friend' WHEN 3 THEN 'colleague'"
	" ELSE 'knows' END, CASE WHEN j % 2 THEN 0.5 END, 0, 0 FROM person p, k"
	" WHERE p.id <> 1 + (p.id + CASE WHEN j < 4 THEN j * 7 ELSE p.id * 131 + j END) % ?1",
	/* Ten interactions a person, between neighbours, over three years. */
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 * 10)"
	" INSERT INTO interaction(id, at, kind, notes, created)"
	" SELECT i, 1700000000 + (i * 9973) % 94608000, CASE i % 5 WHEN 0 THEN 'meeting'"
	" WHEN 1 THEN 'call' WHEN 2 THEN 'message' WHEN 3 THEN 'email'"
	" ELSE 'introduction' END, CASE WHEN i % 4 = 0 THEN 'notes ' || i END, 0 FROM n",
	"INSERT INTO interaction_person(interaction_id, person_id)"
	" SELECT id, 1 + id % ?1 FROM interaction UNION"
	" SELECT id, 1 + (id + 1 + id % 9) % ?1 FROM interaction",
	"INSERT INTO note(person_id, body, created) SELECT id, 'note on ' || id, 0"
	" FROM person WHERE id % 4 = 0",
	"INSERT INTO vouch(voucher, subject, created) SELECT id, 1 + (id + 3) % ?1, 0"
	" FROM person WHERE id % 10 = 0",
	"UPDATE owner SET person_id = 1",
	"UPDATE member SET person_id = id",
};

static void generate(const char *path)
{
	kith_db *db = NULL;
	kith_error err;
	sqlite3 *h;
	char *tmp;

	if (asprintf(&tmp, "%s.tmp", path) < 0)
		fail_msg("out of memory");
	unlink(tmp);
	if (kith_db_open(tmp, KITH_OPEN_CREATE, &db, &err))
		fail_msg("open %s: %s", tmp, err.msg);
	kith_db_set_now(db, T_NOW);
	h = kith_db_sqlite(db);
	assert_int_equal(sqlite3_exec(h, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (size_t i = 0; i < sizeof(gen_sql) / sizeof(gen_sql[0]); i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(h, gen_sql[i], -1, &st, NULL) != SQLITE_OK)
			fail_msg("generate: %s\n%s", sqlite3_errmsg(h), gen_sql[i]);
		if (sqlite3_bind_parameter_count(st))
			sqlite3_bind_int64(st, 1, PLAN_PEOPLE);
		if (sqlite3_step(st) != SQLITE_DONE)
			fail_msg("generate: %s\n%s", sqlite3_errmsg(h), gen_sql[i]);
		sqlite3_finalize(st);
	}
	assert_int_equal(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	if (kith_score_recompute(db, T_NOW, NULL, &err))
		fail_msg("recompute: %s", err.msg);
	kith_db_close(db);
	if (rename(tmp, path))
		fail_msg("rename %s: %s", tmp, strerror(errno));
	free(tmp);
}

/* --- checking a plan ----------------------------------------------------- */

struct finding {
	struct buf text;
	int count;
};

static int is_keyword(const char *w)
{
	static const char *const kw[] = {"WHERE", "JOIN", "ON", "LEFT", "INNER", "CROSS",
		"ORDER", "GROUP", "LIMIT", "SET", "USING", "NATURAL", "UNION", "VALUES",
		"INDEXED", "NOT", "AND", "OR", "WINDOW", "HAVING", "RETURNING", "EXCEPT",
		"INTERSECT", "SELECT", "DEFAULT", "FULL", "RIGHT", "OUTER"};

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strcasecmp(w, kw[i]) == 0)
			return 1;
	return 0;
}

/* The growing table that name stands for in sql (itself, main.itself, or
 * an alias given to one: "link l", "main.link AS x"), or NULL. */
static const char *table_of(const char *sql, const char *name)
{
	const char *p = sql;

	if (strncmp(name, "main.", 5) == 0)
		name += 5;
	for (size_t i = 0; i < sizeof(growing) / sizeof(growing[0]); i++)
		if (strcmp(name, growing[i]) == 0)
			return growing[i];
	while (*p) {
		const char *s = p, *t = NULL;
		char w[64], al[64];
		size_t n;

		while (*p && id_char(*p))
			p++;
		n = (size_t)(p - s);
		if (!n) {
			p++;
			continue;
		}
		snprintf(w, sizeof(w), "%.*s", (int)(n < 63 ? n : 63), s);
		for (size_t i = 0; i < sizeof(growing) / sizeof(growing[0]); i++)
			if (strcmp(w, growing[i]) == 0 && (s == sql || (s[-1] != '_' && !id_char(s[-1]))))
				t = growing[i];
		if (!t)
			continue;
		for (int k = 0; k < 2; k++) {
			const char *q = p, *e;
			while (*q == ' ' || *q == '\n')
				q++;
			for (e = q; id_char(*e); e++)
				;
			snprintf(al, sizeof(al), "%.*s", (int)(e - q < 63 ? e - q : 63), q);
			if (k == 0 && strcasecmp(al, "AS") == 0) {
				p = e;
				continue;
			}
			if (*al && !is_keyword(al) && strcmp(al, name) == 0)
				return t;
			break;
		}
	}
	return NULL;
}

/* The SQL of the temporary views on h (a viewer's), for their aliases. */
static char *view_text(sqlite3 *h)
{
	sqlite3_stmt *st;
	struct buf b = {0};

	buf_add(&b, "", 0);
	if (sqlite3_prepare_v2(h, "SELECT sql FROM temp.sqlite_schema WHERE type = 'view'",
	                       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			buf_add(&b, " ", 1);
			buf_add(&b, (const char *)sqlite3_column_text(st, 0),
			        (size_t)sqlite3_column_bytes(st, 0));
		}
		sqlite3_finalize(st);
	}
	return b.s;
}

/* Whether alias names an FTS table in sql (as itself or an alias). */
static int fts_alias(const char *sql, const char *alias)
{
	static const char *const fts[] = {"person_fts", "org_fts", "interaction_fts"};

	for (size_t i = 0; i < 3; i++) {
		const char *p = sql;
		size_t n = strlen(fts[i]);
		if (strcmp(alias, fts[i]) == 0)
			return 1;
		while ((p = strstr(p, fts[i]))) {
			const char *a = p + n;
			while (*a == ' ')
				a++;
			if (strncmp(a, "AS ", 3) == 0)
				a += 3;
			if (strncmp(a, alias, strlen(alias)) == 0 && !id_char(a[strlen(alias)]))
				return 1;
			p += n;
		}
	}
	return 0;
}

/* Plans sql on h.  Returns 1 and describes the scans in *what when it
 * reads a growing table whole; 0 when not; -1 when it does not prepare
 * (*what has the error). */
static int scans(sqlite3 *h, const char *sql, struct buf *what)
{
	sqlite3_stmt *st;
	struct buf q = {0}, names = {0};
	char *views = view_text(h);
	int found = 0;

	buf_add(&q, "EXPLAIN QUERY PLAN ", 19);
	buf_add(&q, sql, strlen(sql));
	buf_add(&names, sql, strlen(sql));
	buf_add(&names, views, strlen(views));
	free(views);
	if (sqlite3_prepare_v2(h, q.s, -1, &st, NULL) != SQLITE_OK) {
		buf_add(what, sqlite3_errmsg(h), strlen(sqlite3_errmsg(h)));
		free(q.s);
		free(names.s);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3), *t = NULL;
		char alias[128];
		if (!d || strncmp(d, "SCAN ", 5) || sscanf(d + 5, "%127s", alias) != 1)
			continue;
		if (strstr(d, " VIRTUAL TABLE INDEX ")) {
			const char *ix = strchr(strstr(d, " VIRTUAL TABLE INDEX ") + 21, ':');
			/* fts5's idxStr: M match, = rowid, < > range; none is a full scan */
			if (!fts_alias(names.s, alias) || !ix || strpbrk(ix + 1, "M=<>"))
				continue;
			t = "a full text index";
		} else if (!(t = table_of(names.s, alias))) {
			continue;
		}
		buf_add(what, d, strlen(d));
		if (strcmp(alias, t) != 0) {
			buf_add(what, " (", 2);
			buf_add(what, t, strlen(t));
			buf_add(what, ")", 1);
		}
		buf_add(what, "; ", 2);
		found = 1;
	}
	sqlite3_finalize(st);
	free(q.s);
	free(names.s);
	return found;
}

/* Checks one statement on the plain and the viewer handle. */
static int check_one(sqlite3 *plain, sqlite3 *view, const char *where, const char *sql,
                     const char *reason, struct finding *f)
{
	struct buf what = {0};
	int r, rv = 0;

	buf_add(&what, "", 0);
	r = scans(plain, sql, &what);
	if (r < 0) {
		/* A statement on a temporary table of its own, or a fragment. */
		free(what.s);
		return -1;
	}
	/* A read through a member's views, when it plans well as written. */
	if (!r && view && strncmp(sql, "SELECT", 6) == 0 && (rv = scans(view, sql, &what)) < 0)
		rv = 0;
	if ((r > 0 || rv > 0) && !reason) {
		char line[4096];
		f->count++;
		snprintf(line, sizeof(line),
		         "%s: full scan of a growing table%s: %s\n    %.300s%s\n",
		         where, r > 0 ? "" : " (on a member's view)", what.s, sql,
		         strlen(sql) > 300 ? "..." : "");
		buf_add(&f->text, line, strlen(line));
	}
	free(what.s);
	return r > 0 || rv > 0;
}

/* --- the scenario ---------------------------------------------------------- */

struct trace {
	char **v;
	size_t n;
};

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
	struct trace *t = ctx;
	const char *sql = sqlite3_sql(p);

	if (type != SQLITE_TRACE_STMT || !sql || strncmp(sql, "--", 2) == 0)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i], sql) == 0)
			return 0;
	t->v = realloc(t->v, (t->n + 1) * sizeof(*t->v));
	assert_non_null(t->v);
	t->v[t->n++] = strdup(sql);
	return 0;
}

/* The reads of a person page, lists, search and scores, with and without
 * each filter.  Errors are ignored: only the statements matter. */
static void scenario(kith_db *db)
{
	kith_id a = 4242, b = 4243;
	kith_error err;
	kith_person *p = NULL;
	kith_person **pv;
	kith_job *jv;
	kith_link *lv;
	kith_interaction *iv;
	kith_note *nv;
	kith_hit *hv;
	kith_strength s, *sv;
	kith_kind *kv;
	kith_tag_count *tv;
	kith_orbit_member *ov;
	kith_due *dv;
	size_t n;
	int64_t cnt;
	kith_idv cand = {0};
	kith_id id;
	const kith_person_filter pf[] = {
		{.limit = 50}, {.tag = "tag4", .limit = 50}, {.city = "City7", .limit = 50},
		{.country = "Country3", .limit = 50}, {.org = 12, .limit = 50},
		{.tag = "tag4", .city = "City7", .country = "Country3", .org = 12, .limit = 50},
	};
	const kith_interaction_filter fv[] = {
		{.person = a, .limit = 5}, {.person = a, .with = b, .limit = 50},
		{.person = a, .kind = "call", .limit = 50}, {.person = a, .since = 1750000000},
		{.limit = 50}, {.kind = "meeting", .limit = 50},
		{.since = 1750000000, .until = 1760000000, .limit = 50},
	};

	if (!kith_person_get(db, a, &p, &err))
		kith_person_free(p);
	if (!kith_job_list(db, a, &jv, &n, &err))
		kith_job_list_free(jv, n);
	if (!kith_job_list_at(db, 12, &jv, &n, &err))
		kith_job_list_free(jv, n);
	if (!kith_link_list(db, a, &lv, &n, &err))
		kith_link_list_free(lv, n);
	for (size_t i = 0; i < sizeof(fv) / sizeof(fv[0]); i++)
		if (!kith_interaction_list(db, &fv[i], &iv, &n, &err))
			kith_interaction_list_free(iv, n);
	if (!kith_note_list(db, a, &nv, &n, &err))
		kith_note_list_free(nv, n);
	for (size_t i = 0; i < sizeof(pf) / sizeof(pf[0]); i++) {
		if (!kith_person_list(db, &pf[i], &pv, &n, &err))
			kith_person_list_free(pv, n);
		kith_person_count(db, &pf[i], &cnt, &err);
	}
	/* The people list: each driving filter, each sort, a cursor, the set. */
	{
		static const kith_id set[] = {4242, 4243, 4300, 17};
		static const double vals[] = {0.5, 0.2, 0, 0.9};
		const kith_person_query pq[] = {
			{.limit = 50}, {.limit = 50, .desc = 1, .offset = 500},
			{.limit = 50, .sort = KITH_PERSON_SORT_CREATED},
			{.limit = 50, .sort = KITH_PERSON_SORT_UPDATED, .desc = 1},
			{.limit = 50, .visibility = KITH_PERSON_TEAM},
			{.limit = 50, .visibility = KITH_PERSON_PRIVATE},
			{.limit = 50, .words = "person 42"}, {.limit = 50, .tag = "tag4", .city = "City7"},
			{.limit = 50, .city = "City7", .sort = KITH_PERSON_SORT_UPDATED},
			{.limit = 50, .country = "Country3", .visibility = KITH_PERSON_TEAM},
			{.limit = 50, .org = 12, .tag = "tag4", .country = "Country3"},
			{.limit = 50, .former_org = 12, .words = "person"},
			{.limit = 50, .sort = KITH_PERSON_SORT_VALUE, .desc = 1, .set = set, .values = vals,
			 .nset = 4},
			{.limit = 50, .sort = KITH_PERSON_SORT_VALUE, .set = set, .values = vals, .nset = 4,
			 .tag = "tag4"},
			{.limit = 50, .set = set, .values = vals, .nset = 4, .set_only = 1},
			{.limit = 50, .set = set, .values = vals, .nset = 4, .ranged = 1,
			 .min_value = 0, .max_value = 0.4},
			{.limit = 50, .set = set, .values = vals, .nset = 4, .ranged = 1,
			 .min_value = 0.3, .max_value = 1, .sort = KITH_PERSON_SORT_CREATED},
		};
		for (size_t i = 0; i < sizeof(pq) / sizeof(pq[0]); i++) {
			kith_person_query q = pq[i];
			kith_id *ids;
			char *c1 = NULL, *c2 = NULL;
			if (!kith_person_page(db, &q, &ids, &n, &cnt, &c1, &err))
				free(ids);
			q.offset = 0;
			q.cursor = c1;
			if (c1 && !kith_person_page(db, &q, &ids, &n, &cnt, &c2, &err))
				free(ids);
			free(c1);
			free(c2);
		}
	}
	if (!kith_kind_list(db, KITH_KIND_LINK, &kv, &n, &err))
		kith_kind_list_free(kv, n);
	kith_kind_check(db, KITH_KIND_INTERACTION, "nonesuch", &err);
	kith_kind_check(db, KITH_KIND_LINK, "nonesuch", &err);
	if (!kith_tag_list(db, &tv, &n, &err))
		kith_tag_list_free(tv, n);
	if (!kith_search(db, "person 4242", 20, &hv, &n, &err))
		kith_hit_list_free(hv, n);
	kith_person_resolve(db, "Person 4242", &id, &cand, &err);
	kith_idv_clear(&cand);
	kith_person_resolve(db, "p4242@example.org", &id, NULL, &err);
	if (!kith_strength_get(db, a, b, T_NOW, &s, &err))
		kith_strength_clear(&s);
	if (!kith_strength_around(db, a, T_NOW, &sv, &n, &err))
		kith_strength_list_free(sv, n);
	if (!kith_orbits(db, 1, T_NOW, 0, &ov, &n, NULL, NULL, &err))
		kith_orbit_list_free(ov, n);
	if (!kith_due_list(db, 1, T_NOW, &dv, &n, &err))
		kith_due_list_free(dv, n);
}

/* --- the tests --------------------------------------------------------------- */

static char root[4096], build[4096];

static void paths(const char *argv0)
{
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (len <= 0) {
		snprintf(self, sizeof(self), "%s", argv0);
		len = (ssize_t)strlen(self);
	}
	self[len] = '\0';
	/* BUILD/tests/test_plan: the checkout is BUILD's parent. */
	for (int i = 0; i < 2 && (slash = strrchr(self, '/')); i++)
		*slash = '\0';
	snprintf(build, sizeof(build), "%s", self);
	if ((slash = strrchr(self, '/')))
		*slash = '\0';
	snprintf(root, sizeof(root), "%s", self);
}

static sqlite3 *scale_db(kith_db **plain, kith_db **view)
{
	char *dir = join(build, "plan"), *path;
	kith_error err;

	mkdir(dir, 0755);
	if (asprintf(&path, "%s/scale-v%d-g%d-%d.db", dir, kith_schema_version(),
	             PLAN_GEN, PLAN_PEOPLE) < 0)
		fail_msg("out of memory");
	free(dir);
	if (access(path, R_OK) != 0)
		generate(path);
	if (kith_db_open(path, 0, plain, &err))
		fail_msg("open %s: %s", path, err.msg);
	kith_db_set_now(*plain, T_NOW);
	if (kith_db_open(path, KITH_OPEN_READONLY, view, &err) ||
	    kith_db_set_viewer(*view, 1, &err))
		fail_msg("viewer %s: %s", path, err.msg);
	kith_db_set_now(*view, T_NOW);
	free(path);
	return kith_db_sqlite(*plain);
}

static void the_collector_joins_literals_and_macros(void **state)
{
	static const char src[] =
		"#define COLS \"id, a, b\"\n"
		"#define FROM_LINK \" FROM link \" \\\n  \"l\"\n"
		"/* plan: scan -- the whole network, once */\n"
		"x = \"SELECT \" COLS FROM_LINK;\n"
		"y = f(\"DELETE FROM note\"\n   \" WHERE id = ?1\", \"not sql\");\n"
		"z = \"UPDATE person SET x = 1 WHERE %s\";\n"
		"w = c ? \"SELECT 1\" : \"select 2\";\n";
	struct stmts v = {0};

	(void)state;
	collect_text(&v, "t.c", src);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.v[0].sql, "SELECT id, a, b FROM link l");
	assert_string_equal(v.v[0].where, "t.c:5");
	assert_string_equal(v.v[0].reason, "the whole network, once");
	assert_string_equal(v.v[1].sql, "DELETE FROM note WHERE id = ?1");
	assert_string_equal(v.v[1].where, "t.c:6");
	assert_int_equal(v.v[2].kind, S_PATTERN);
	assert_string_equal(v.v[3].sql, "SELECT 1");
	assert_true(pattern_match(v.v[2].sql, "UPDATE person SET x = 1 WHERE id = 3"));
	assert_false(pattern_match(v.v[2].sql, "UPDATE org SET x = 1 WHERE id = 3"));
	stmts_free(&v);
}

/* The check itself can fail: the shapes issue 22 found are refused. */
static void the_check_finds_scans(void **state)
{
	kith_db *plain, *view;
	sqlite3 *h = scale_db(&plain, &view);
	struct finding f = {{0}, 0};
	static const char *const bad[] = {
		"SELECT id FROM link WHERE ?1 = 0 OR a = ?1 OR b = ?1",
		"SELECT count(*) FROM interaction_person",
		"SELECT rowid FROM person_fts f",
		"SELECT id FROM person p ORDER BY display_name COLLATE NOCASE LIMIT 5",
	};
	static const char *const good[] = {
		"SELECT id FROM link WHERE a = ?1 UNION ALL SELECT id FROM link WHERE b = ?1",
		"SELECT rowid FROM person_fts f WHERE person_fts MATCH ?1",
		"SELECT name FROM link_kind",
	};

	(void)state;
	buf_add(&f.text, "", 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(check_one(h, kith_db_sqlite(view), "bad", bad[i], NULL, &f), 1);
	assert_int_equal(check_one(h, NULL, "bad", bad[0], "a reason", &f), 1);
	assert_int_equal(f.count, (int)(sizeof(bad) / sizeof(bad[0])));
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(check_one(h, kith_db_sqlite(view), "good", good[i], NULL, &f), 0);
	free(f.text.s);
	kith_db_close(view);
	kith_db_close(plain);
}

static void every_statement_reads_an_index(void **state)
{
	kith_db *plain, *view;
	sqlite3 *h = scale_db(&plain, &view), *hv = kith_db_sqlite(view);
	struct stmts v = {0};
	struct trace tr = {0};
	struct finding f = {{0}, 0};
	size_t planned = 0, runtime = 0, unchecked = 0;

	(void)state;
	buf_add(&f.text, "", 0);
	collect(root, &v);
	assert_true(v.n > 100);
	for (size_t i = 0; i < v.n; i++) {
		if (v.v[i].kind != S_PLAIN)
			continue;
		if (check_one(h, hv, v.v[i].where, v.v[i].sql, v.v[i].reason, &f) < 0)
			v.v[i].kind = S_PATTERN;   /* completed at run time */
		else
			planned++;
	}
	sqlite3_trace_v2(h, SQLITE_TRACE_STMT, on_trace, &tr);
	sqlite3_trace_v2(hv, SQLITE_TRACE_STMT, on_trace, &tr);
	scenario(plain);
	scenario(view);
	sqlite3_trace_v2(h, 0, NULL, NULL);
	sqlite3_trace_v2(hv, 0, NULL, NULL);
	for (size_t t = 0; t < tr.n; t++) {
		struct stmt *best = NULL;
		int exact = 0;
		for (size_t i = 0; i < v.n && !exact; i++) {
			if (strcmp(v.v[i].sql, tr.v[t]) == 0)
				exact = 1;
			else if (v.v[i].kind == S_PATTERN && pattern_match(v.v[i].sql, tr.v[t]) &&
			         (!best || strlen(v.v[i].sql) > strlen(best->sql)))
				best = &v.v[i];
		}
		if (exact)
			continue;
		if (best)
			best->matched = 1;
		runtime++;
		check_one(h, hv, best ? best->where : "(built at run time, source not found)",
		          tr.v[t], best ? best->reason : NULL, &f);
	}
	/* Patterns the scenario did not reach (imports, merges, writes on
	 * temporary tables) are listed, not failed: nothing can plan them. */
	for (size_t i = 0; i < v.n; i++)
		if (v.v[i].kind == S_PATTERN && !v.v[i].matched && !v.v[i].reason)
			unchecked++;
	if (unchecked && getenv("KITH_PLAN_VERBOSE"))
		for (size_t i = 0; i < v.n; i++)
			if (v.v[i].kind == S_PATTERN && !v.v[i].matched && !v.v[i].reason)
				printf("not planned (built at run time, not reached by scenario()):"
				       " %s\n    %.200s\n", v.v[i].where, v.v[i].sql);
	print_message("%zu statements found in the source, %zu planned as written,"
	              " %zu more as run (built at run time), %zu built at run time and not"
	              " reached (KITH_PLAN_VERBOSE=1 lists them)\n", v.n, planned, runtime,
	              unchecked);
	if (f.count) {
		/* cmocka bounds its messages: the list goes to stdout whole. */
		printf("%s\nGive each an index (a separate statement or a UNION ALL branch"
		       " per optional filter, an index in a migration in src/store/schema.c),"
		       " or write why a scan is right next to it:\n"
		       "    /* plan: scan -- whole-network export */\n", f.text.s);
		fail_msg("%d statements read a growing table whole (listed above)", f.count);
	}
	for (size_t t = 0; t < tr.n; t++)
		free(tr.v[t]);
	free(tr.v);
	free(f.text.s);
	stmts_free(&v);
	kith_db_close(view);
	kith_db_close(plain);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_collector_joins_literals_and_macros),
		cmocka_unit_test(the_check_finds_scans),
		cmocka_unit_test(every_statement_reads_an_index),
	};
	int rc;

	(void)argc;
	paths(argv[0]);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	macros_free(&header_macros);
	return rc;
}
