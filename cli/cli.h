#ifndef KITH_CLI_H
#define KITH_CLI_H

/*
 * The kith command.  Each subcommand lives in its own cli/cmd_NAME.c and
 * is listed once in cli/commands.c.  A subcommand gets argv with argv[0]
 * set to its own name, parses its options with getopt_long (optind is
 * reset for it), answers --help on stdout, and returns an exit code.
 */

#include <stdio.h>
#include <getopt.h>
#include <jansson.h>

#include "kith/kith.h"
#include "kith/json.h"
#include "commands.h"

/* Exit codes: scripts can tell bad usage from a refused request. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_config;

struct cli {
	const char *db_path;  /* --db, else $KITH_DB, else the config's, else ./kith.db */
	int json;             /* --json: machine output on stdout */
	int64_t now;          /* --now or $KITH_NOW; 0 = real clock */
	kith_db *db;          /* opened by cli_open(); closed by main */
	kith_score_graph_ctx *score; /* edge weights of graphs; freed by main */
	struct cli_config *config;   /* the config file's settings (config.c) */
};

typedef int (*cli_fn)(struct cli *c, int argc, char **argv);

struct cli_command {
	const char *name;
	cli_fn fn;
	const char *summary;  /* one line for `kith help` */
};

extern const struct cli_command cli_commands[];

/* Opens c->db_path (flags as kith_db_open) into c->db.  Prints the error
 * and returns CLI_FAIL on failure, else CLI_OK. */
int cli_open(struct cli *c, int flags);

/* Prints "kith: MESSAGE" for err on stderr and returns CLI_FAIL. */
int cli_fail(const kith_error *err);
/* Prints "kith: ..." on stderr and returns CLI_FAIL. */
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "kith CMD: ...\nTry 'kith CMD --help'." and returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Resolves a person reference; on ambiguity prints the candidates.
 * Returns CLI_OK with *id set, or CLI_FAIL after printing. */
int cli_person(struct cli *c, const char *ref, kith_id *id);
/* Same for an organisation. */
int cli_org(struct cli *c, const char *ref, kith_id *id);

/* Parses a number in [lo, hi] for option opt; prints a usage error and
 * returns CLI_USAGE when it is not one. */
int cli_number(const char *cmd, const char *opt, const char *s, double lo,
               double hi, double *out);

/* Prints j (stolen: decref'd here) as indented JSON on stdout. */
int cli_print_json(json_t *j);

/* "Ana Silva (#12)" for person id into buf. */
const char *cli_person_label(struct cli *c, kith_id id, char *buf, size_t sz);

/* Prints s left-aligned in width columns (UTF-8 aware) and one space. */
void cli_put_padded(const char *s, int width);

/* Parses an optional non-negative count option (--limit); CLI_USAGE on
 * bad input. */
int cli_count(const char *cmd, const char *opt, const char *s, size_t *out);

/* Ends a getopt loop on an unknown option: getopt has already said what
 * was wrong; this adds the hint and returns CLI_USAGE. */
int cli_bad_option(const char *cmd);

/* strdup that accepts NULL (aborts on OOM: a CLI cannot go on without it). */
char *cli_dup(const char *s);

/* The "help" line printed by every subcommand's --help: usage text and
 * options.  Returns CLI_OK. */
int cli_help(const char *text);

/* Puts stderr, and stdout when guard_stdout, through the filter that
 * escapes control characters and bytes that are not UTF-8 (term.c), so
 * text from the database cannot drive the terminal.  cli_raw_stderr is
 * the stream as it was, for kith's own progress bar (its CR).  */
void cli_term_guard(int guard_stdout);
extern FILE *cli_raw_stderr;
/* Flushes and closes the filters; -1 when stdout could not be written. */
int cli_term_end(void);

/* The config file (config.c): reads the file named (--config), else
 * $KITH_CONFIG's, else the first of $XDG_CONFIG_HOME/kith/config and
 * /etc/kith/kith.conf that exists, into c->config, and checks the
 * environment's settings.  CLI_OK (also with no file at all), or
 * CLI_FAIL after one line naming the file and line or the variable. */
int cli_config_load(struct cli *c, const char *named);
/* A setting by its config key ("listen"): from the environment, else the
 * config file; NULL when neither sets it.  Values were checked by
 * cli_config_load; paths from the file are absolute or as written there
 * relative to the file's folder.  origin, when not NULL, gets where it
 * came from ("KITH_LISTEN", "/etc/kith/kith.conf:3") for messages. */
const char *cli_setting(const struct cli *c, const char *key, char *origin, size_t n);
/* The config file read, or NULL. */
const char *cli_config_path(const struct cli *c);
void cli_config_free(struct cli *c);

/* getopt_long options every subcommand accepts. */
#define CLI_COMMON_OPTS {"help", no_argument, NULL, 'h'}

/* The width of the kind column for interactions v[0..n): the widest kind
 * listed, at least 11, at most 64 (cmd_show.c, cmd_timeline.c). */
int cli_kind_width(const kith_interaction *v, size_t n);

#endif
