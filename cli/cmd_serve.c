/* kith serve: the team's HTTP/JSON API and web UI. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "server.h"

static const char help[] =
	"usage: kith serve [--listen HOST:PORT] [--web DIR] [--threads N]\n"
	"\n"
	"Serves the database to the team: the HTTP/JSON API under /api/v1\n"
	"(docs/openapi.json) and the web UI.  Members sign in with tokens\n"
	"from 'kith member'.  Stops cleanly on SIGTERM or Ctrl-C: requests in\n"
	"flight finish, and every answered write is on disk.\n"
	"\n"
	"  --listen HOST:PORT  where to listen (default 127.0.0.1:7070; port 0\n"
	"                      picks a free one).  Use a reverse proxy for TLS.\n"
	"  --web DIR           the web UI's files (default: ./web when present)\n"
	"  --threads N         worker threads (default: two per CPU, at least 4)\n"
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
		CLI_COMMON_OPTS, {0}};
	struct kith_serve_opts o = {.listen = "127.0.0.1:7070", .ready = ready};
	struct stat sb;
	size_t threads = 0;
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': o.listen = optarg; break;
		case 'w': o.web_root = optarg; break;
		case 't':
			if (cli_count("serve", "--threads", optarg, &threads) || threads > 256)
				return cli_usage_error("serve", "--threads takes 1 to 256");
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
