/*
 * CSV contacts (libcsv): LinkedIn Connections.csv, Google Contacts (and
 * Gmail's older layout), Outlook and Windows Address Book, Thunderbird,
 * Yahoo, KAddressBook, kith's own export, a plain "Name,Email", or any CSV
 * with a column map.  The flavour
 * is told from the header row, which may follow a preamble (LinkedIn puts
 * "Notes:" lines first); rows before it are passed over.
 *
 * libcsv is fed one physical line at a time, so each row is known by the
 * line it starts on; a row libcsv refuses (a stray quote) is rejected with
 * that line and parsing starts again on the next line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <csv.h>
#include <glib.h>

#include "import_impl.h"
#include "kith/date.h"

enum field {
	F_NONE, F_NAME, F_GIVEN, F_FAMILY, F_EMAIL, F_PHONE, F_ORG, F_TITLE,
	F_CITY, F_COUNTRY, F_NOTES, F_TAGS, F_SINCE, F_KEY, F_BDAY,
	F_HOMECITY, F_HOMECOUNTRY
};

static const char *const field_names[] = {
	[F_NAME] = "name", [F_GIVEN] = "given", [F_FAMILY] = "family",
	[F_EMAIL] = "email", [F_PHONE] = "phone", [F_ORG] = "org",
	[F_TITLE] = "title", [F_CITY] = "city", [F_COUNTRY] = "country",
	[F_NOTES] = "notes", [F_TAGS] = "tags", [F_SINCE] = "since", [F_KEY] = "key"};

/* A column of a known flavour: its header (lower case) and field.  A
 * header ending in '*' matches any text in its place ("e-mail 2 - value"). */
struct col { const char *head; int field; };

static const struct col linkedin[] = {
	{"first name", F_GIVEN}, {"last name", F_FAMILY}, {"url", F_KEY},
	{"email address", F_EMAIL}, {"company", F_ORG}, {"position", F_TITLE},
	{"connected on", F_SINCE}, {NULL, 0}};
static const struct col google[] = {
	{"name", F_NAME}, {"given name", F_GIVEN}, {"first name", F_GIVEN},
	{"family name", F_FAMILY}, {"last name", F_FAMILY},
	{"e-mail * - value", F_EMAIL}, {"phone * - value", F_PHONE},
	{"organization 1 - name", F_ORG}, {"organization name", F_ORG},
	{"organization 1 - title", F_TITLE}, {"organization title", F_TITLE},
	{"address 1 - city", F_CITY}, {"address 1 - country", F_COUNTRY},
	{"notes", F_NOTES}, {"group membership", F_TAGS}, {"labels", F_TAGS},
	{"birthday", F_BDAY}, {NULL, 0}};
static const struct col outlook[] = {
	{"first name", F_GIVEN}, {"last name", F_FAMILY},
	{"e-mail address", F_EMAIL}, {"e-mail 2 address", F_EMAIL},
	{"e-mail 3 address", F_EMAIL}, {"mobile phone", F_PHONE},
	{"primary phone", F_PHONE}, {"business phone", F_PHONE},
	{"home phone", F_PHONE}, {"company", F_ORG}, {"job title", F_TITLE},
	{"business city", F_CITY}, {"business country/region", F_COUNTRY},
	{"home city", F_HOMECITY}, {"home country/region", F_HOMECOUNTRY},
	{"notes", F_NOTES}, {"categories", F_TAGS}, {"birthday", F_BDAY}, {NULL, 0}};
/* Thunderbird's export (comma or semicolon, UTF-8 or UTF-16). */
static const struct col thunderbird[] = {
	{"display name", F_NAME}, {"first name", F_GIVEN}, {"last name", F_FAMILY},
	{"primary email", F_EMAIL}, {"secondary email", F_EMAIL},
	{"mobile number", F_PHONE}, {"work phone", F_PHONE}, {"home phone", F_PHONE},
	{"organization", F_ORG}, {"job title", F_TITLE}, {"work city", F_CITY},
	{"work country", F_COUNTRY}, {"home city", F_HOMECITY},
	{"home country", F_HOMECOUNTRY}, {"notes", F_NOTES}, {NULL, 0}};
static const struct col yahoo[] = {
	{"first", F_GIVEN}, {"last", F_FAMILY}, {"email", F_EMAIL},
	{"alternate email *", F_EMAIL}, {"mobile", F_PHONE}, {"home", F_PHONE},
	{"work", F_PHONE}, {"company", F_ORG}, {"title", F_TITLE},
	{"work city", F_CITY}, {"work country", F_COUNTRY}, {"home town", F_HOMECITY},
	{"home city", F_HOMECITY}, {"home country", F_HOMECOUNTRY},
	{"category", F_TAGS}, {"comments", F_NOTES}, {"birthday", F_BDAY}, {NULL, 0}};
/* KAddressBook (KMail's address book): KContacts' field labels. */
static const struct col kaddressbook[] = {
	{"formatted name", F_NAME}, {"given name", F_GIVEN}, {"family name", F_FAMILY},
	{"email address", F_EMAIL}, {"preferred email", F_EMAIL}, {"email *", F_EMAIL},
	{"mobile phone", F_PHONE}, {"business phone", F_PHONE}, {"home phone", F_PHONE},
	{"organization", F_ORG}, {"title", F_TITLE},
	{"business address locality", F_CITY}, {"business address country", F_COUNTRY},
	{"home address locality", F_HOMECITY}, {"home address country", F_HOMECOUNTRY},
	{"note", F_NOTES}, {"categories", F_TAGS}, {"birthday", F_BDAY}, {NULL, 0}};
/* Gmail before 2010: "Name,E-mail,Notes,Section 1 - Description,...". */
static const struct col gmail_old[] = {
	{"name", F_NAME}, {"e-mail", F_EMAIL}, {"notes", F_NOTES},
	{"section * - email", F_EMAIL}, {"section * - phone", F_PHONE},
	{"section * - mobile", F_PHONE}, {"section 1 - company", F_ORG},
	{"section 1 - title", F_TITLE}, {NULL, 0}};
/* What people type themselves: "Name,Email" and the like. */
static const struct col plain[] = {
	{"name", F_NAME}, {"email", F_EMAIL}, {"e-mail", F_EMAIL},
	{"first name", F_GIVEN}, {"last name", F_FAMILY}, {"phone", F_PHONE},
	{"mobile", F_PHONE}, {"company", F_ORG}, {"organization", F_ORG},
	{"title", F_TITLE}, {"city", F_CITY}, {"country", F_COUNTRY},
	{"notes", F_NOTES}, {"tags", F_TAGS}, {NULL, 0}};
static const struct col kith_csv[] = {
	{"name", F_NAME}, {"given name", F_GIVEN}, {"family name", F_FAMILY},
	{"e-mail", F_EMAIL}, {"phone", F_PHONE}, {"city", F_CITY},
	{"country", F_COUNTRY}, {"organization", F_ORG}, {"title", F_TITLE},
	{"tags", F_TAGS}, {"notes", F_NOTES}, {NULL, 0}};

/* The headers that must all be present for a flavour to be taken. */
static const struct flavour {
	const char *name;
	const struct col *cols;
	const char *needs[3];
	int link_me;
} flavours[] = {
	{"kith", kith_csv, {"kith id", "name", "e-mail"}, 0},
	{"linkedin", linkedin, {"first name", "last name", "connected on"}, 1},
	{"google", google, {"e-mail 1 - value", NULL, NULL}, 0},
	{"outlook", outlook, {"e-mail address", "job title", NULL}, 0},
	{"thunderbird", thunderbird, {"primary email", NULL, NULL}, 0},
	{"yahoo", yahoo, {"first", "last", "email"}, 0},
	{"kaddressbook", kaddressbook, {"formatted name", "given name", "family name"}, 0},
	{"gmail", gmail_old, {"name", "e-mail", "section 1 - email"}, 0},
	{"plain", plain, {"name", "email", NULL}, 0},
	{"plain", plain, {"name", "e-mail", NULL}, 0},
};

#define MAX_COLS 512
#define MAX_ROW_LINES 500

struct cstate {
	const kith__sink *s;
	kith_error *err;
	int rc;                  /* first error from the sink */
	struct csv_parser p;
	char delim;
	/* the row being read */
	char *cells[MAX_COLS];
	size_t ncells;
	int too_wide;
	int64_t row_line, line;
	/* after the header */
	int have_header;
	int cols[MAX_COLS];      /* field of each column */
	size_t ncols;
	int link_me;
	int own;                 /* kith's own export: cells to unquote */
	const char *map;         /* --map spec or NULL */
	int map_bad;
};

static void row_reset(struct cstate *st)
{
	for (size_t i = 0; i < st->ncells; i++)
		free(st->cells[i]);
	st->ncells = 0;
	st->too_wide = 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct cstate *st = ctx;

	if (st->ncells >= MAX_COLS) {
		st->too_wide = 1;
		return;
	}
	st->cells[st->ncells] = kith__utf8_dup(data ? data : "", data ? len : 0);
	if (!st->cells[st->ncells]) {
		st->rc = kith_error_set(st->err, KITH_ENOMEM, "out of memory");
		return;
	}
	st->ncells++;
}

static void lower_trim(char *s)
{
	size_t n;
	char *p = s;

	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (isspace((unsigned char)*p))
		p++;
	memmove(s, p, strlen(p) + 1);
	for (p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

static int head_match(const char *pat, const char *h)
{
	const char *star = strchr(pat, '*');

	if (!star)
		return strcmp(pat, h) == 0;
	size_t pre = (size_t)(star - pat), post = strlen(star + 1), hl = strlen(h);
	return hl > pre + post && strncmp(pat, h, pre) == 0 &&
	       strcmp(h + hl - post, star + 1) == 0;
}

static int has_head(struct cstate *st, const char *h)
{
	for (size_t i = 0; i < st->ncells; i++)
		if (strcmp(st->cells[i], h) == 0)
			return 1;
	return 0;
}

/* Maps columns from a --map spec; returns 1 when every named column is
 * in this row, which is then the header. */
static int header_from_map(struct cstate *st)
{
	gchar **pairs = g_strsplit(st->map, ",", -1);
	int all = 1, any = 0;

	for (size_t i = 0; i < st->ncells; i++)
		st->cols[i] = F_NONE;
	for (gchar **pp = pairs; *pp && all; pp++) {
		gchar *eq = strchr(*pp, '='), *name, *head;
		int field = F_NONE, found = 0;
		if (!eq) {
			st->map_bad = 1;
			break;
		}
		*eq = '\0';
		name = g_strstrip(*pp);
		head = g_ascii_strdown(g_strstrip(eq + 1), -1);
		for (int f = F_NAME; f <= F_KEY; f++)
			if (g_ascii_strcasecmp(name, field_names[f]) == 0)
				field = f;
		if (field == F_NONE)
			st->map_bad = 1;
		for (size_t i = 0; i < st->ncells; i++)
			if (strcmp(st->cells[i], head) == 0) {
				st->cols[i] = field;
				found = any = 1;
			}
		all &= found;
		g_free(head);
	}
	g_strfreev(pairs);
	return all && any && !st->map_bad;
}

/* Is this row the header kith's export writes, exactly?  Only then are
 * cells unquoted: another file's "'=1" is what its author typed. */
static int own_header(const struct cstate *st)
{
	static const char *const head[] = {KITH_CSV_HEAD};
	size_t n = sizeof(head) / sizeof(head[0]);

	if (st->ncells != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(st->cells[i], head[i]) != 0)
			return 0;
	return 1;
}

/* Is the current row a header we know?  Sets up the columns if so. */
static int try_header(struct cstate *st)
{
	st->own = !st->map && own_header(st);
	for (size_t i = 0; i < st->ncells; i++)
		lower_trim(st->cells[i]);
	st->ncols = st->ncells;
	if (st->map)
		return header_from_map(st);
	for (size_t f = 0; f < sizeof(flavours) / sizeof(flavours[0]); f++) {
		const struct flavour *fl = &flavours[f];
		int ok = 1;
		for (int k = 0; k < 3 && fl->needs[k]; k++)
			ok &= has_head(st, fl->needs[k]);
		if (!ok)
			continue;
		for (size_t i = 0; i < st->ncells; i++) {
			st->cols[i] = F_NONE;
			for (const struct col *c = fl->cols; c->head; c++)
				if (head_match(c->head, st->cells[i])) {
					st->cols[i] = c->field;
					break;
				}
		}
		st->link_me = fl->link_me;
		return 1;
	}
	return 0;
}

/* "12 Jan 2023", "12-Jan-23", "2023-01-12", "3/14/1986" (Outlook, US
 * order) into ISO; 0 on success. */
static int csv_date(const char *s, char *out, size_t outsz)
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                  "jul", "aug", "sep", "oct", "nov", "dec"};
	char m[16];
	int d, y, mo;

	if (sscanf(s, "%d%*[ -]%3s%*[ -]%d", &d, m, &y) == 3) {
		for (mo = 0; mo < 12 && strncasecmp(m, mon[mo], 3) != 0; mo++)
			;
		if (mo == 12)
			return -1;
		if (y >= 0 && y < 100)
			y += y < 70 ? 2000 : 1900;
		if (!kith_date_valid(y, mo + 1, d) || y > 9999 || d < 1 || d > 31)
			return -1;
		snprintf(out, outsz, "%04u-%02u-%02u", (unsigned)y % 10000u,
		         (unsigned)(mo + 1) % 100u, (unsigned)d % 100u);
		return 0;
	}
	if (sscanf(s, "%d/%d/%d", &mo, &d, &y) == 3) {
		if (y >= 0 && y < 100)
			y += y < 70 ? 2000 : 1900;
		if (!kith_date_valid(y, mo, d) || y > 9999 || mo < 1 || mo > 12 ||
		    d < 1 || d > 31)
			return -1;
		snprintf(out, outsz, "%04u-%02u-%02u", (unsigned)y % 10000u,
		         (unsigned)mo % 100u, (unsigned)d % 100u);
		return 0;
	}
	return kith_date_parse(s, out, outsz, NULL) == KITH_OK ? 0 : -1;
}

/* Adds each part of a multi-valued cell: Google joins with " ::: ",
 * Outlook categories with ";". */
static int add_multi(kith_strv *sv, const char *cell, int tags)
{
	gchar **parts = g_strsplit(cell, " ::: ", -1);
	int rc = KITH_OK;

	for (gchar **pp = parts; *pp && !rc; pp++) {
		gchar **sub = g_strsplit_set(*pp, tags ? ";," : "", -1);
		for (gchar **q = sub; *q && !rc; q++) {
			char *v = g_strstrip(*q);
			if (tags && *v == '*')  /* Google's system groups: "* myContacts" */
				v = g_strstrip(v + 1);
			if (!*v || (tags && g_ascii_strcasecmp(v, "mycontacts") == 0))
				continue;
			rc = kith_strv_push(sv, v);
		}
		g_strfreev(sub);
	}
	g_strfreev(parts);
	return rc;
}

static int row_contact(struct cstate *st)
{
	kith__contact c = {0};
	char *org = NULL, *title = NULL, *homecity = NULL, *homecountry = NULL;
	char bday[16] = "";
	int rc = KITH_OK, any = 0;
	GString *all = g_string_new("");

	c.line = st->row_line;
	for (size_t i = 0; i < st->ncells && i < st->ncols && !rc; i++) {
		const char *v = st->cells[i];
		char date[16];
		size_t n;

		/* Undo the quote kith's export put before a formula's start. */
		if (st->own && v[0] == '\'' && v[1] && strchr(KITH_CSV_QUOTED, v[1]))
			v++;
		n = strlen(v);
		g_string_append_len(all, v, (gssize)n);
		g_string_append_c(all, '\x1f');
		while (n && isspace((unsigned char)v[n - 1]))
			n--;
		while (n && isspace((unsigned char)*v)) {
			v++;
			n--;
		}
		if (!n)
			continue;
		any = 1;
		switch (st->cols[i]) {
		case F_NAME: rc = kith__set_field(&c.display, v, n); break;
		case F_GIVEN: rc = kith__set_field(&c.given, v, n); break;
		case F_FAMILY: rc = kith__set_field(&c.family, v, n); break;
		case F_EMAIL: rc = add_multi(&c.emails, v, 0); break;
		case F_PHONE: rc = add_multi(&c.phones, v, 0); break;
		case F_TAGS: rc = add_multi(&c.tags, v, 1); break;
		case F_ORG: if (!org) rc = kith__set_field(&org, v, n); break;
		case F_TITLE: if (!title) rc = kith__set_field(&title, v, n); break;
		case F_CITY: rc = kith__set_field(&c.city, v, n); break;
		case F_COUNTRY: rc = kith__set_field(&c.country, v, n); break;
		case F_HOMECITY: rc = kith__set_field(&homecity, v, n); break;
		case F_HOMECOUNTRY: rc = kith__set_field(&homecountry, v, n); break;
		case F_NOTES: rc = kith__set_field(&c.notes, v, n); break;
		case F_KEY: rc = kith__set_field(&c.key, v, n); break;
		case F_SINCE:
			if (csv_date(v, date, sizeof(date)) == 0)
				rc = kith__set_field(&c.since, date, strlen(date));
			else
				rc = kith__issue(st->s, c.line, KITH_ISSUE_WARNING, st->err,
				                 "'%.40s' is not a date; dropped", v);
			break;
		case F_BDAY: {
			char canon[16];
			if ((csv_date(v, date, sizeof(date)) == 0 ||
			     kith__bday_canon(v, date, sizeof(date)) == 0) &&
			    kith__bday_canon(date, canon, sizeof(canon)) == 0)
				snprintf(bday, sizeof(bday), "%s", canon);
			break;
		}
		}
	}
	/* Outlook: a home address says where someone lives better than an
	 * office does. */
	if (!rc && (homecity || homecountry)) {
		free(c.city);
		free(c.country);
		c.city = homecity;
		c.country = homecountry;
		homecity = homecountry = NULL;
	}
	if (!rc && org)
		rc = kith__contact_add_job(&c, org, title, NULL, NULL);
	if (!rc && bday[0]) {  /* kith keeps a birthday in the notes */
		gchar *t = g_strdup_printf("%s%sBirthday: %s", c.notes ? c.notes : "",
		                           c.notes ? "\n" : "", bday);
		rc = kith__set_field(&c.notes, t, strlen(t));
		g_free(t);
	}
	c.link_me = st->link_me;
	kith__digest(all->str, all->len, c.digest);
	g_string_free(all, TRUE);
	if (!rc && any)
		rc = st->s->contact ? st->s->contact(st->s->ctx, &c, st->err) : KITH_OK;
	if (rc == KITH_ENOMEM)
		rc = kith_error_set(st->err, rc, "out of memory");
	kith__contact_clear(&c);
	free(org);
	free(title);
	free(homecity);
	free(homecountry);
	return rc;
}

static void on_row(int c, void *ctx)
{
	struct cstate *st = ctx;

	(void)c;
	if (st->rc)
		goto done;
	if (!st->have_header) {
		st->have_header = try_header(st);
		goto done;
	}
	if (st->too_wide)
		st->rc = kith__issue(st->s, st->row_line, KITH_ISSUE_REJECTED, st->err,
		                     "more than %d columns", MAX_COLS);
	else
		st->rc = row_contact(st);
done:
	row_reset(st);
}

static int is_space_only(unsigned char c)
{
	return c == ' ';
}

static void parser_start(struct cstate *st)
{
	csv_init(&st->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&st->p, (unsigned char)st->delim);
	if (st->delim == '\t')
		csv_set_space_func(&st->p, is_space_only);
}

/* One pass over the buffer with one delimiter. */
static int pass(struct cstate *st, const char *buf, size_t len)
{
	size_t off = 0, row_off = 0, last = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	st->line = 0;
	parser_start(st);
again:
	while (off < len && !st->rc && !st->map_bad) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) + 1 : len;
		st->line++;
		/* libcsv's state says whether a row is under way (it exposes its
		 * parser struct): if not, this line starts one. */
		if (st->p.pstate == 0 && st->ncells == 0) {
			st->row_line = st->line;
			row_off = off;
		}
		if (csv_parse(&st->p, buf + off, end - off, on_field, on_row, st) != end - off ||
		    (st->line - st->row_line > MAX_ROW_LINES && st->have_header)) {
			int e = csv_error(&st->p);
			if (st->rc)
				break;
			if (!st->have_header && e == CSV_EPARSE) {
				/* A preamble may hold a stray quote: not our row yet. */
			} else if (e == CSV_ENOMEM) {
				st->rc = kith_error_set(st->err, KITH_ENOMEM, "out of memory");
				break;
			} else {
				st->rc = kith__issue(st->s, st->row_line, KITH_ISSUE_REJECTED,
					st->err, e == CSV_EPARSE ? "malformed quoting" :
					"a quoted field runs on for more than %d lines",
					MAX_ROW_LINES);
			}
			/* Start again on the line after the bad row began. */
			csv_free(&st->p);
			row_reset(st);
			parser_start(st);
			const char *n2 = memchr(buf + row_off, '\n', len - row_off);
			end = n2 ? (size_t)(n2 - buf) + 1 : len;
			st->line = st->row_line;
		}
		off = end;
		if (st->s->progress && off - last > (1u << 20)) {
			st->s->progress(st->s->ctx, off, len);
			last = off;
		}
	}
	if (!st->rc && csv_fini(&st->p, on_field, on_row, st) != 0 && !st->rc) {
		/* An open quote ran to the end: reject that row and read on from
		 * the line after it began, so one bad row loses only itself. */
		const char *n2 = memchr(buf + row_off, '\n', len - row_off);
		st->rc = kith__issue(st->s, st->row_line, KITH_ISSUE_REJECTED, st->err,
		                     "a quoted field is not closed before the end");
		if (!st->rc && n2 && (size_t)(n2 - buf) + 1 < len) {
			csv_free(&st->p);
			row_reset(st);
			parser_start(st);
			off = (size_t)(n2 - buf) + 1;
			st->line = st->row_line;
			goto again;
		}
	}
	csv_free(&st->p);
	row_reset(st);
	return st->rc;
}

int kith__csv_parse(const char *buf, size_t len, const char *map,
                    const kith__sink *s, kith_error *err)
{
	static const char delims[] = {',', ';', '\t'};
	struct cstate st;
	int rc = KITH_OK;

	for (size_t d = 0; d < sizeof(delims); d++) {
		memset(&st, 0, sizeof(st));
		st.s = s;
		st.err = err;
		st.map = map;
		st.delim = delims[d];
		rc = pass(&st, buf, len);
		if (rc || st.have_header || st.map_bad)
			break;
	}
	if (!rc && st.map_bad)
		return kith_error_set(err, KITH_EINVAL, "--map: '%s' is not a column map "
		                      "(field=Column,...; fields: name given family email "
		                      "phone org title city country notes tags since key)", map);
	if (!rc && !st.have_header)
		return kith_error_set(err, KITH_EINVAL, map ?
			"no row has all the columns --map names" :
			"not a CSV kith knows (no header row of LinkedIn, Google, Outlook, "
			"Thunderbird, Yahoo or KAddressBook): name the columns with --map");
	if (!rc && s->progress)
		s->progress(s->ctx, len, len);
	return rc;
}
