/* kith serve: the team's HTTP/JSON API and web UI. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "server.h"

static const char help[] =
	"usage: kith serve [--listen HOST:PORT] [--web DIR] [--threads N] [--per-ip N]\n"
	"                  [--request-time S] [--import-time S] [--stop-time S]\n"
	"\n"
	"Serves the database to the team: the HTTP/JSON API under /api/v1\n"
	"(docs/openapi.json) and the web UI.  Members sign in with tokens\n"
	"from 'kith member'.  Stops on SIGTERM or Ctrl-C within --stop-time:\n"
	"requests in flight get half of it to finish, the rest are interrupted,\n"
	"and every answered write is on disk.  A port in use is refused.\n"
	"\n"
	"  --listen HOST:PORT  where to listen (default 127.0.0.1:7070; port 0\n"
	"                      picks a free one).  Use a reverse proxy for TLS.\n"
	"  --web DIR           the web UI's files (default: ./web when present)\n"
	"  --threads N         worker threads (default: two per CPU, at least 4)\n"
	"  --per-ip N          connections from one address (default 64; 0: no\n"
	"                      limit, for a reverse proxy on this machine)\n"
	"  --request-time S    seconds a request may run before it is answered\n"
	"                      503 (default 30)\n"
	"  --import-time S     the same for an import (default 300)\n"
	"  --stop-time S       seconds from SIGTERM to exit, at most (default 10)\n"
	"  --routes            print the API's routes and exit\n";

static void ready(void *ctx, const char *url)
{
	printf("kith: serving %s at %s\n", (const char *)ctx, url);
	fflush(stdout);
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"web", required_argument, NULL, 'w'},
		{"threads", required_argument, NULL, 't'},
		{"routes", no_argument, NULL, 'r'},
		{"per-ip", required_argument, NULL, 'p'},
		{"request-time", required_argument, NULL, 'q'},
		{"import-time", required_argument, NULL, 'i'},
		{"stop-time", required_argument, NULL, 's'},
		CLI_COMMON_OPTS, {0}};
	struct kith_serve_opts o = {.listen = "127.0.0.1:7070", .ready = ready};
	struct stat sb;
	size_t threads = 0, per_ip;
	double secs;
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': o.listen = optarg; break;
		case 'w': o.web_root = optarg; break;
		case 't':
			if (cli_count("serve", "--threads", optarg, &threads) || threads > 256)
				return cli_usage_error("serve", "--threads takes 1 to 256");
			break;
		case 'p':
			if (cli_count("serve", "--per-ip", optarg, &per_ip) || per_ip > 100000)
				return cli_usage_error("serve", "--per-ip takes 0 to 100000");
			o.per_ip = per_ip ? (int)per_ip : -1;
			break;
		case 'q':
		case 'i':
		case 's':
			if (cli_number("serve", ch == 'q' ? "--request-time" : ch == 'i'
			               ? "--import-time" : "--stop-time", optarg, 0.1, 3600, &secs))
				return CLI_USAGE;
			*(ch == 'q' ? &o.request_ms : ch == 'i' ? &o.import_ms : &o.stop_ms) =
				(unsigned)(secs * 1000 + 0.5);
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
	if (!o.web_root && stat("web/index.html", &sb) == 0)
		o.web_root = "web";
	if (o.web_root && (stat(o.web_root, &sb) || !S_ISDIR(sb.st_mode)))
		return cli_failf("no web UI directory '%s'", o.web_root);
	if (stat(c->db_path, &sb))
		return cli_failf("no database at %s (create one with 'kith init')", c->db_path);
	o.db_path = c->db_path;
	o.threads = (int)threads;
	o.ready_ctx = (void *)c->db_path;
	return kith_serve(&o) ? CLI_FAIL : CLI_OK;
}
