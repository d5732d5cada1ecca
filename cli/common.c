/* Helpers shared by the subcommands: opening, errors, naming people. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cli_open(struct cli *c, int flags)
{
	const char *path = c->db_path;
	struct stat sb;
	kith_error err;

	if (c->db)
		return CLI_OK;
	/* Name the file and say what to do: the library's message says only
	 * what went wrong. */
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return cli_failf("%s is a directory, not a database file: give a file "
		                 "with --db or KITH_DB (e.g. --db %s%skith.db)", path, path,
		                 path[0] && path[strlen(path) - 1] == '/' ? "" : "/");
	if (kith_db_open(path, flags, &c->db, &err)) {
		const char *why = err.msg;
		if (err.code != KITH_ECORRUPT)
			return cli_fail(&err);
		if (strncmp(why, "open database: ", 15) == 0)
			why += 15;
		return cli_failf("%s: %s: give the right file with --db or KITH_DB, or "
		                 "start a new one with 'kith --db NEW init'", path, why);
		return cli_fail(&err);
	}
	if (c->now)
		kith_db_set_now(c->db, c->now);
	return CLI_OK;
}

int cli_fail(const kith_error *err)
{
	fprintf(stderr, "kith: %s\n", err->msg[0] ? err->msg : kith_strerror(err->code));
	return CLI_FAIL;
}

int cli_failf(const char *fmt, ...)
{
	va_list ap;

	fputs("kith: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kith %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'kith %s --help'.\n", cmd);
	return CLI_USAGE;
}

static void print_person_candidate(kith_db *db, kith_id id)
{
	kith_person *p;

	if (kith_person_get(db, id, &p, NULL)) {
		fprintf(stderr, "  #%lld\n", (long long)id);
		return;
	}
	fprintf(stderr, "  #%-6lld %s", (long long)id, p->display_name);
	if (p->emails.n)
		fprintf(stderr, " <%s>", p->emails.v[0]);
	if (p->city)
		fprintf(stderr, ", %s", p->city);
	fputc('\n', stderr);
	kith_person_free(p);
}

int cli_person(struct cli *c, const char *ref, kith_id *id)
{
	kith_idv cands = {0};
	kith_error err;
	int rc = kith_person_resolve(c->db, ref, id, &cands, &err);

	if (rc == KITH_OK)
		return CLI_OK;
	if (rc != KITH_EAMBIGUOUS)
		return cli_fail(&err);
	fprintf(stderr, "kith: %s; name one by id or email:\n", err.msg);
	for (size_t i = 0; i < cands.n; i++)
		print_person_candidate(c->db, cands.v[i]);
	kith_idv_clear(&cands);
	return CLI_FAIL;
}

int cli_org(struct cli *c, const char *ref, kith_id *id)
{
	kith_idv cands = {0};
	kith_error err;
	int rc = kith_org_resolve(c->db, ref, id, &cands, &err);

	if (rc == KITH_OK)
		return CLI_OK;
	if (rc != KITH_EAMBIGUOUS)
		return cli_fail(&err);
	fprintf(stderr, "kith: %s; name one by id:\n", err.msg);
	for (size_t i = 0; i < cands.n; i++) {
		kith_org *o;
		if (kith_org_get(c->db, cands.v[i], &o, NULL) == KITH_OK) {
			fprintf(stderr, "  #%-6lld %s\n", (long long)o->id, o->name);
			kith_org_free(o);
		}
	}
	kith_idv_clear(&cands);
	return CLI_FAIL;
}

int cli_number(const char *cmd, const char *opt, const char *s, double lo,
               double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
		return cli_usage_error(cmd, "%s: '%s' is not a number from %g to %g",
		                       opt, s, lo, hi);
	*out = v;
	return CLI_OK;
}

int cli_print_json(json_t *j)
{
	if (!j)
		return cli_failf("out of memory");
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	fputc('\n', stdout);
	json_decref(j);
	return CLI_OK;
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return CLI_OK;
}

const char *cli_person_label(struct cli *c, kith_id id, char *buf, size_t sz)
{
	kith_person *p;

	if (kith_person_get_brief(c->db, id, &p, NULL) != KITH_OK) {
		snprintf(buf, sz, "#%lld", (long long)id);
		return buf;
	}
	snprintf(buf, sz, "%s (#%lld)", p->display_name, (long long)id);
	kith_person_free(p);
	return buf;
}

int cli_count(const char *cmd, const char *opt, const char *s, size_t *out)
{
	double v;

	if (cli_number(cmd, opt, s, 0, 1e9, &v))
		return CLI_USAGE;
	if (v != (double)(size_t)v)
		return cli_usage_error(cmd, "%s: '%s' is not a whole number", opt, s);
	*out = (size_t)v;
	return CLI_OK;
}

int cli_bad_option(const char *cmd)
{
	fprintf(stderr, "Try 'kith %s --help'.\n", cmd);
	return CLI_USAGE;
}

char *cli_dup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d) {
		fputs("kith: out of memory\n", stderr);
		exit(CLI_FAIL);
	}
	return d;
}

void cli_put_padded(const char *s, int width)
{
	int cols = 0;

	/* Count code points, not bytes, so "Zoë" pads like "Zoe". */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cols += (*p & 0xc0) != 0x80;
	fputs(s, stdout);
	for (; cols < width; cols++)
		putchar(' ');
	putchar(' ');
}

/* The kind column: as wide as the widest kind listed, and at least the
 * 11 characters of the built-in ones, then one space, so that a long kind
 * ("introduction") never runs into the next word. */
int cli_kind_width(const kith_interaction *v, size_t n)
{
	size_t w = 11;

	for (size_t i = 0; i < n; i++)
		if (v[i].kind && strlen(v[i].kind) > w)
			w = strlen(v[i].kind);
	return w > 64 ? 64 : (int)w;
}
