/*
 * The config file: settings that would otherwise be flags on every run
 * (docs/server.md, "The config file"; dist/kith.conf is the example).
 *
 * A setting is taken from, first to last: the command's flag, the
 * environment (KITH_DB for database, KITH_<KEY> for the others, '-' as
 * '_'), the config file, the default.  The file is the one --config
 * names, else $KITH_CONFIG, else $XDG_CONFIG_HOME/kith/config (default
 * ~/.config/kith/config), else /etc/kith/kith.conf.  A named file must
 * exist; of the default places, the first that exists is read, and none
 * is fine.
 *
 * Lines are "key = value", "# comment" or blank; a " #" after a value
 * starts a comment.  A relative path in the file is taken from the
 * file's folder, so the file means the same whatever the current folder.
 * Every value, in the file and in the environment, is checked when kith
 * starts: an unknown key or a bad value is one line naming the file and
 * line (or the variable) and exit 1, whatever the command.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"

#define CONF_MAX_BYTES (64u << 10)
#define CONF_MAX_LINE 4096

enum kind { K_PATH, K_LISTEN, K_COUNT, K_SECONDS, K_LOG };

static const struct key {
	const char *name, *env;
	enum kind kind;
	double lo, hi;
} keys[] = {
	{"database", "KITH_DB", K_PATH, 0, 0},
	{"listen", "KITH_LISTEN", K_LISTEN, 0, 0},
	{"threads", "KITH_THREADS", K_COUNT, 0, 256},
	{"per-ip", "KITH_PER_IP", K_COUNT, 0, 100000},
	{"request-time", "KITH_REQUEST_TIME", K_SECONDS, 0.1, 3600},
	{"import-time", "KITH_IMPORT_TIME", K_SECONDS, 0.1, 3600},
	{"stop-time", "KITH_STOP_TIME", K_SECONDS, 0.1, 3600},
	{"web", "KITH_WEB", K_PATH, 0, 0},
	{"access-log", "KITH_ACCESS_LOG", K_LOG, 0, 0},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct cli_config {
	char *path;              /* the file read; NULL: none */
	char *value[NKEYS];      /* from the file, paths made absolute */
	unsigned line[NKEYS];    /* where each was set */
};

static const struct key *key_named(const char *name, size_t *idx)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return *idx = i, &keys[i];
	return NULL;
}

/* NULL when v is a good value for k, else why not (static text or buf). */
static const char *check(const struct key *k, const char *v, char *buf, size_t n)
{
	char *end;
	double d;

	if (!*v)
		return "no value";
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "a control character in the value";
	switch (k->kind) {
	case K_PATH:
	case K_LOG:
		return NULL;
	case K_LISTEN:
		return kith_serve_listen_ok(v) ? NULL : "not HOST:PORT or [IPV6]:PORT";
	case K_COUNT:
	case K_SECONDS:
		errno = 0;
		d = strtod(v, &end);
		if (end == v || *end || errno || !isfinite(d) || d < k->lo || d > k->hi ||
		    (k->kind == K_COUNT && d != floor(d))) {
			snprintf(buf, n, "'%.40s' is not a %s from %g to %g", v,
			         k->kind == K_COUNT ? "whole number" : "number", k->lo, k->hi);
			return buf;
		}
		return NULL;
	}
	return NULL;
}

/* A path from the file, taken from the file's folder when relative. */
static char *resolve(const struct key *k, const char *v, const char *file)
{
	const char *slash = strrchr(file, '/');
	char *out;

	if (k->kind == K_LISTEN || k->kind == K_COUNT || k->kind == K_SECONDS || v[0] == '/' ||
	    !slash || (k->kind == K_LOG && (strcmp(v, "-") == 0 || strcmp(v, "off") == 0)))
		return cli_dup(v);
	if (asprintf(&out, "%.*s/%s", (int)(slash - file), file, v) < 0) {
		fputs("kith: out of memory\n", stderr);
		exit(CLI_FAIL);
	}
	return out;
}

static char *trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Reads one line of the file into cf; -1 after a message. */
static int parse_line(struct cli_config *cf, char *line, unsigned no)
{
	char *eq, *key, *val, *hash, why[160];
	const char *bad;
	const struct key *k;
	size_t i;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	/* A comment after the value needs a blank before its '#'. */
	for (hash = line; (hash = strchr(hash, '#')); hash++)
		if (hash[-1] == ' ' || hash[-1] == '\t') {
			*hash = '\0';
			break;
		}
	if (!(eq = strchr(line, '=')))
		return cli_failf("%s:%u: not 'key = value'", cf->path, no), -1;
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (!(k = key_named(key, &i)))
		return cli_failf("%s:%u: unknown key '%.40s' (the keys: database, listen, threads,"
		                 " per-ip, request-time, import-time, stop-time, web, access-log)",
		                 cf->path, no, key), -1;
	if ((bad = check(k, val, why, sizeof(why))))
		return cli_failf("%s:%u: %s: %s", cf->path, no, key, bad), -1;
	if (cf->value[i])
		return cli_failf("%s:%u: %s is set twice (first on line %u)", cf->path, no, key,
		                 cf->line[i]), -1;
	cf->value[i] = resolve(k, val, cf->path);
	cf->line[i] = no;
	return 0;
}

static int parse_file(struct cli_config *cf, FILE *f)
{
	char line[CONF_MAX_LINE + 2];
	unsigned no = 0;
	size_t total = 0;

	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		no++;
		total += n;
		if (total > CONF_MAX_BYTES)
			return cli_failf("%s: over %u bytes: not a config file", cf->path,
			                 CONF_MAX_BYTES), -1;
		if (n > CONF_MAX_LINE || (n == sizeof(line) - 1 && line[n - 1] != '\n'))
			return cli_failf("%s:%u: a line over %d bytes", cf->path, no,
			                 CONF_MAX_LINE), -1;
		if (parse_line(cf, line, no))
			return -1;
	}
	if (ferror(f))
		return cli_failf("%s: %s", cf->path, strerror(errno)), -1;
	return 0;
}

/* Opens the file to read: the named one, else the first default that
 * exists.  NULL with cf->path NULL when there is none; -1 after a
 * message through *rc. */
static FILE *open_config(struct cli_config *cf, const char *named, int *rc)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *tries[2] = {NULL, NULL};
	FILE *f = NULL;

	*rc = 0;
	if (!named || !*named)
		named = getenv("KITH_CONFIG");
	if (named && *named) {
		cf->path = cli_dup(named);
		if (!(f = fopen(named, "r")))
			*rc = cli_failf("cannot read the config file %s: %s", named, strerror(errno));
		return f;
	}
	if (xdg && xdg[0] == '/')
		(void)!asprintf(&tries[0], "%s/kith/config", xdg);
	else if (home && home[0] == '/')
		(void)!asprintf(&tries[0], "%s/.config/kith/config", home);
	tries[1] = cli_dup("/etc/kith/kith.conf");
	for (int i = 0; i < 2 && !f && !*rc; i++) {
		if (!tries[i])
			continue;
		if ((f = fopen(tries[i], "r")))
			cf->path = tries[i], tries[i] = NULL;
		else if (errno != ENOENT && errno != ENOTDIR)
			*rc = cli_failf("cannot read the config file %s: %s", tries[i],
			                strerror(errno));
	}
	free(tries[0]);
	free(tries[1]);
	return f;
}

/* The environment's values are checked as the file's are. */
static int check_env(void)
{
	char why[160];
	const char *v, *bad;

	for (size_t i = 0; i < NKEYS; i++)
		if ((v = getenv(keys[i].env)) && *v && (bad = check(&keys[i], v, why, sizeof(why))))
			return cli_failf("%s: %s", keys[i].env, bad);
	return CLI_OK;
}

int cli_config_load(struct cli *c, const char *named)
{
	struct cli_config *cf = calloc(1, sizeof(*cf));
	FILE *f;
	int rc;

	if (!cf)
		return cli_failf("out of memory");
	c->config = cf;
	if ((rc = check_env()))
		return rc;
	f = open_config(cf, named, &rc);
	if (rc || !f)
		return rc;
	rc = parse_file(cf, f) ? CLI_FAIL : CLI_OK;
	fclose(f);
	return rc;
}

const char *cli_setting(const struct cli *c, const char *key, char *origin, size_t n)
{
	const struct cli_config *cf = c->config;
	const char *v;
	size_t i;
	const struct key *k = key_named(key, &i);

	if (!k)
		return NULL;
	if ((v = getenv(k->env)) && *v) {
		if (origin)
			snprintf(origin, n, "%s", k->env);
		return v;
	}
	if (!cf || !cf->value[i])
		return NULL;
	if (origin)
		snprintf(origin, n, "%s:%u", cf->path, cf->line[i]);
	return cf->value[i];
}

const char *cli_config_path(const struct cli *c)
{
	return c->config ? c->config->path : NULL;
}

void cli_config_free(struct cli *c)
{
	struct cli_config *cf = c->config;

	if (!cf)
		return;
	for (size_t i = 0; i < NKEYS; i++)
		free(cf->value[i]);
	free(cf->path);
	free(cf);
	c->config = NULL;
}
