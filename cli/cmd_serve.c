/* kith serve: the team's HTTP/JSON API and web UI. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "server.h"

static const char help[] =
	"usage: kith serve [--listen HOST:PORT] [--web DIR] [--access-log FILE]\n"
	"                  [--threads N] [--per-ip N] [--request-time S]\n"
	"                  [--import-time S] [--stop-time S] [--routes]\n"
	"\n"
	"Serves the database to the team: the HTTP/JSON API under /api/v1\n"
	"(docs/openapi.json) and the web UI, which is compiled into kith.\n"
	"Members sign in with tokens from 'kith member'.  Stops on SIGTERM or\n"
	"Ctrl-C within --stop-time: requests in flight get half of it to\n"
	"finish, the rest are interrupted, and every answered write is on disk.\n"
	"A port in use is refused.  SIGHUP reopens the access log file.\n"
	"\n"
	"  --listen HOST:PORT  where to listen (default 127.0.0.1:7070; port 0\n"
	"                      picks a free one; [::1]:PORT for IPv6).  Use a\n"
	"                      reverse proxy for TLS.\n"
	"  --web DIR           serve the web UI from DIR instead (to work on it)\n"
	"  --access-log FILE   a line per request appended to FILE; '-' for\n"
	"                      stderr (the default), 'off' for none\n"
	"  --threads N         worker threads (default: two per CPU, at least 4)\n"
	"  --per-ip N          connections from one address (default 64; 0: no\n"
	"                      limit, for a reverse proxy on this machine)\n"
	"  --request-time S    seconds a request may run before it is answered\n"
	"                      503 (default 30)\n"
	"  --import-time S     the same for an import (default 300)\n"
	"  --stop-time S       seconds from SIGTERM to exit, at most (default 10)\n"
	"  --routes            print the API's routes and exit\n"
	"\n"
	"Each option but --routes may be set in the config file (kith --config\n"
	"FILE; the key is the option's name: 'listen = 0.0.0.0:7070') or the\n"
	"environment (KITH_LISTEN, KITH_ACCESS_LOG, ...); the database is\n"
	"--db, KITH_DB or 'database'.  A flag beats the environment, which\n"
	"beats the file, which beats the default (docs/server.md).\n";

/* What the first lines say: where, which database, which UI, which log. */
struct started {
	char db[PATH_MAX];
	char web[PATH_MAX + 64];
	char log[PATH_MAX];
	const char *config;
};

static void ready(void *ctx, const char *url)
{
	const struct started *s = ctx;

	printf("kith: serving %s at %s\n", s->db, url);
	printf("kith: web UI: %s\n", s->web);
	printf("kith: access log: %s\n", s->log);
	printf("kith: config: %s\n", s->config ? s->config : "none");
	fflush(stdout);
}

/* path made absolute for people to read (it may not exist yet). */
static void absolute(const char *path, char *out, size_t n)
{
	char cwd[PATH_MAX];

	if (realpath(path, out))
		return;
	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)))
		snprintf(out, n, "%s/%s", cwd, path);
	else
		snprintf(out, n, "%s", path);
}

/* Sets the server's setting named by its key (= its option's name) from
 * v: a flag's value, or the environment's or config file's, which
 * cli_config_load has checked against the same ranges. */
static int set(struct kith_serve_opts *o, size_t *threads, const char *key, const char *v)
{
	size_t per_ip;
	double secs;

	if (strcmp(key, "listen") == 0) {
		o->listen = v;
	} else if (strcmp(key, "web") == 0) {
		o->web_root = v;
	} else if (strcmp(key, "access-log") == 0) {
		o->access_log = v;
	} else if (strcmp(key, "threads") == 0) {
		if (cli_count("serve", "--threads", v, threads) || *threads > 256)
			return cli_usage_error("serve", "--threads takes 0 (the default) to 256");
	} else if (strcmp(key, "per-ip") == 0) {
		if (cli_count("serve", "--per-ip", v, &per_ip) || per_ip > 100000)
			return cli_usage_error("serve", "--per-ip takes 0 to 100000");
		o->per_ip = per_ip ? (int)per_ip : -1;
	} else {
		char opt[32];
		snprintf(opt, sizeof(opt), "--%s", key);
		if (cli_number("serve", opt, v, 0.1, 3600, &secs))
			return CLI_USAGE;
		*(key[0] == 'r' ? &o->request_ms : key[0] == 'i' ? &o->import_ms : &o->stop_ms) =
			(unsigned)(secs * 1000 + 0.5);
	}
	return CLI_OK;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 's'},
		{"web", required_argument, NULL, 's'},
		{"access-log", required_argument, NULL, 's'},
		{"threads", required_argument, NULL, 's'},
		{"per-ip", required_argument, NULL, 's'},
		{"request-time", required_argument, NULL, 's'},
		{"import-time", required_argument, NULL, 's'},
		{"stop-time", required_argument, NULL, 's'},
		{"routes", no_argument, NULL, 'r'},
		CLI_COMMON_OPTS, {0}};
	struct kith_serve_opts o = {.listen = "127.0.0.1:7070", .ready = ready};
	struct started st = {.config = cli_config_path(c)};
	struct stat sb;
	size_t threads = 0, files, bytes;
	int ch, idx;

	/* The environment and the config file first: a flag then beats them. */
	for (size_t i = 0; opts[i].name && opts[i].val == 's'; i++) {
		const char *v = cli_setting(c, opts[i].name, NULL, 0);
		if (v && set(&o, &threads, opts[i].name, v))
			return CLI_FAIL;
	}
	while ((ch = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
		switch (ch) {
		case 's':
			if ((ch = set(&o, &threads, opts[idx].name, optarg)))
				return ch;
			break;
		case 'r':
			kith_serve_routes(stdout);
			return CLI_OK;
		case 'h': return cli_help(help);
		default: return cli_bad_option("serve");
		}
	}
	if (optind < argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (o.web_root && (stat(o.web_root, &sb) || !S_ISDIR(sb.st_mode)))
		return cli_failf("no web UI directory '%s'", o.web_root);
	if (stat(c->db_path, &sb))
		return cli_failf("no database at %s (create one with 'kith init')", c->db_path);
	absolute(c->db_path, st.db, sizeof(st.db));
	if (o.web_root) {
		absolute(o.web_root, st.web, sizeof(st.web));
	} else {
		files = kith_serve_embedded(&bytes);
		snprintf(st.web, sizeof(st.web), "embedded (%zu files, %zu kB)", files,
		         (bytes + 512) / 1024);
	}
	if (!o.access_log || strcmp(o.access_log, "-") == 0)
		snprintf(st.log, sizeof(st.log), "stderr");
	else if (strcmp(o.access_log, "off") == 0)
		snprintf(st.log, sizeof(st.log), "off");
	else
		absolute(o.access_log, st.log, sizeof(st.log));
	o.db_path = c->db_path;
	o.threads = (int)threads;
	o.ready_ctx = &st;
	return kith_serve(&o) ? CLI_FAIL : CLI_OK;
}
