/* kith: the command-line front end.  Global options, then dispatch. */
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/*
 * The heap a command needs from the start, made resident in one call.
 * Opening a database (SQLite parses the whole schema into its own objects)
 * and its first page cache take about half a megabyte of heap, which the
 * kernel would otherwise hand out a page fault per 4 KiB page: some 130 of
 * them, at several microseconds each on a virtual machine.  One
 * MADV_POPULATE_WRITE over the heap's first HEAP_READY bytes does the
 * same work at a fraction of the cost.  glibc keeps that much at the top
 * of the heap rather than giving it back (M_TOP_PAD), and the first
 * allocation, just below its mmap threshold, makes the heap grow by it.
 * Only a speed-up: a kernel without MADV_POPULATE_WRITE (before 5.14)
 * says EINVAL and the pages come by faults as before, and a heap that is
 * not the brk heap (a sanitizer's) is left alone by the bounds check.
 */
#define HEAP_READY (640 * 1024)

static void heap_ready(void)
{
	char *p, *lo, *hi;

	if (!mallopt(M_TOP_PAD, HEAP_READY) || !(p = malloc(120 * 1024)))
		return;
	lo = (char *)((uintptr_t)p & ~(uintptr_t)4095);
	hi = sbrk(0);
	if (hi != (char *)-1 && hi > lo && (size_t)(hi - lo) <= 2 * HEAP_READY)
		(void)madvise(lo, (size_t)(hi - lo), MADV_POPULATE_WRITE);
	free(p);
}

static const char usage[] =
	"usage: kith [--db PATH] [--config FILE] [--json] [--now WHEN] <command> [<args>]\n"
	"\n"
	"Options:\n"
	"  --db PATH      database file (default: $KITH_DB, else the config file's\n"
	"                 'database', else ./kith.db)\n"
	"  --config FILE  the config file (default: $KITH_CONFIG, else\n"
	"                 $XDG_CONFIG_HOME/kith/config, else /etc/kith/kith.conf,\n"
	"                 when one exists; docs/server.md)\n"
	"  --json         machine-readable output on stdout\n"
	"  --now WHEN     take WHEN as the current time (default: $KITH_NOW or the clock)\n"
	"  --version      print the version and exit\n"
	"\n"
	"Commands:\n";

static void print_usage(FILE *f)
{
	fputs(usage, f);
	for (const struct cli_command *cmd = cli_commands; cmd->name; cmd++)
		fprintf(f, "  %-10s %s\n", cmd->name, cmd->summary);
	fputs("\nRun 'kith <command> --help' for a command's options.\n", f);
}

static const struct cli_command *find_command(const char *name)
{
	for (const struct cli_command *cmd = cli_commands; cmd->name; cmd++)
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	return NULL;
}

/* Takes the value of a global option given as "--opt V" or "--opt=V";
 * returns NULL (after printing) when it is missing. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
	size_t n = strlen(opt);

	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (*i + 1 >= argc) {
		fprintf(stderr, "kith: %s needs a value\n", opt);
		return NULL;
	}
	return argv[++*i];
}

static int is_opt(const char *arg, const char *opt)
{
	size_t n = strlen(opt);
	return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Global options may come before the command or among its arguments
 * (`kith show Ana --json`); they are taken out of argv here so that
 * subcommands never see them. */
static int take_globals(struct cli *c, int *argc, char **argv, const char **config)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (is_opt(argv[i], "--db")) {
			if (!(v = opt_value(*argc, argv, &i, "--db")))
				return CLI_USAGE;
			c->db_path = v;
		} else if (is_opt(argv[i], "--config")) {
			if (!(v = opt_value(*argc, argv, &i, "--config")))
				return CLI_USAGE;
			*config = v;
		} else if (strcmp(argv[i], "--json") == 0) {
			c->json = 1;
		} else if (is_opt(argv[i], "--now")) {
			kith_error err;
			if (!(v = opt_value(*argc, argv, &i, "--now")))
				return CLI_USAGE;
			if (kith_time_parse(v, (int64_t)time(NULL), &c->now, &err)) {
				fprintf(stderr, "kith: --now: %s\n", err.msg);
				return CLI_USAGE;
			}
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return CLI_OK;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	const char *config = NULL;
	const struct cli_command *cmd;
	kith_error err;
	int rc;

	/* Past a file-size limit, let write() fail with EFBIG so SQLite can
	 * roll back and report it, instead of the kernel killing us mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	heap_ready();
	/* Every connection stays on the thread that opened it. */
	if (kith_setup_threads(&err)) {
		fprintf(stderr, "kith: %s\n", err.msg);
		return CLI_FAIL;
	}
	rc = take_globals(&c, &argc, argv, &config);
	if (rc)
		return rc;
	if (argc < 2) {
		print_usage(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && (cmd = find_command(argv[2]))) {
			char *hargv[] = {argv[2], "--help", NULL};
			c.db_path = c.db_path ? c.db_path : "kith.db";
			optind = 0;
			return cmd->fn(&c, 2, hargv);
		}
		print_usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("kith %s (schema %d, SQLite %s)\n", KITH_VERSION,
		       kith_schema_version(), kith_sqlite_version());
		return CLI_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "kith: '%s' is not a kith command (see 'kith --help')\n",
		        argv[1]);
		return CLI_USAGE;
	}
	/* An export to a file or a pipe is data, written as stored; the
	 * server's stdout is for no one's eyes. */
	cli_term_guard(strcmp(cmd->name, "serve") != 0 &&
	               (strcmp(cmd->name, "export") != 0 || isatty(STDOUT_FILENO)));
	/* Flag, then environment, then the config file, then the default. */
	if (cli_config_load(&c, config)) {
		cli_config_free(&c);
		cli_term_end();
		return CLI_FAIL;
	}
	if (!c.db_path)
		c.db_path = cli_setting(&c, "database", NULL, 0);
	if (!c.db_path)
		c.db_path = "kith.db";
	optind = 0;  /* glibc: 0 also resets getopt's internal state */
	rc = cmd->fn(&c, argc - 1, argv + 1);
	kith_score_graph_ctx_free(c.score);  /* before the db it reads */
	kith_db_close(c.db);
	cli_config_free(&c);
	if (cli_term_end()) {
		perror("kith: write error");
		return CLI_FAIL;
	}
	return rc;
}
