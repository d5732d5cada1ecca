/* kith import: read contact files, mail and calendars into the network. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kith/import.h"

static const char help[] =
	"usage: kith import [FORMAT] FILE... [--dry-run] [--map SPEC] [--format F]\n"
	"\n"
	"Import people and interactions.  FORMAT is vcard, csv, mbox, ics, json or\n"
	"links; without it the format is told from the content.  FILE may be -\n"
	"for standard input.  Each file is one transaction: all of it or nothing.\n"
	"Importing the same file again changes nothing.  When FORMAT is given\n"
	"and every record of a file is rejected, the exit status is 1.\n"
	"\n"
	"  vcard   vCard 2.1, 3.0, 4.0: names, emails, phones, city, job, tags, notes\n"
	"  csv     LinkedIn Connections.csv; Google, Outlook, Thunderbird, Yahoo\n"
	"          or KMail contacts (told from the header); any CSV with --map\n"
	"  mbox    one email interaction per message; list mail and no-reply\n"
	"          senders are skipped\n"
	"  ics     one meeting per event with attendees (declined ones left out)\n"
	"  json    kith's own 'export json': every record as it was exported\n"
	"          (into an empty database with the same ids; docs/export-json.md)\n"
	"  links   links between people already there: CSV a,b,kind,since,trust\n"
	"          naming each by id (12 or #12), email or an earlier import's\n"
	"          key; or GraphML from kith export (told from the content)\n"
	"\n"
	"People already there are recognised by email, phone, or name and\n"
	"organisation, and merged rather than duplicated.\n"
	"\n"
	"  --dry-run     do it all, report, then save nothing\n"
	"  --map SPEC    CSV columns (implies csv), e.g.\n"
	"                'name=Full Name,email=E-mail,org=Company';\n"
	"                fields: name given family email phone org title city\n"
	"                country notes tags since key\n"
	"  --quiet       print only the summary line\n"
	"  --format F    the same as FORMAT before the files\n"
	"\n"
	"With --json, the report (counts and every issue with its line) is\n"
	"printed as JSON: one object, or an array for several files.\n";

struct bar {
	int shown;
	int last;
};

/* A progress bar on stderr, redrawn when the percentage moves. */
static void progress(void *ctx, uint64_t done, uint64_t total)
{
	struct bar *b = ctx;
	int pct = total ? (int)(done * 100 / total) : 100;
	char line[64];

	if (pct == b->last)
		return;
	b->last = pct;
	b->shown = 1;
	memset(line, '=', sizeof(line));
	fprintf(cli_raw_stderr, "\r[%.*s%*s] %3d%% %.1f MB", pct * 40 / 100, line,
	        40 - pct * 40 / 100, "", pct, (double)done / 1e6);
	fflush(cli_raw_stderr);
}

static const char *level_name(int level)
{
	return level == KITH_ISSUE_REJECTED ? "rejected" :
	       level == KITH_ISSUE_SKIPPED ? "skipped" : "warning";
}

/* Whether a word the user put before the files reads as a format name
 * rather than a file: letters and digits only, and no such file. */
static int format_word(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 12 || access(s, F_OK) == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The library's report with the file it came from. */
static json_t *report_json(const char *path, const kith_import_report *r)
{
	json_t *j = kith_import_report_json(r);

	if (j)
		json_object_set_new(j, "file", json_string(path));
	return j;
}

static void report_text(const char *path, const kith_import_report *r, int quiet)
{
	printf("%s (%s): %lld records: %lld new, %lld merged, %lld unchanged, "
	       "%lld skipped, %lld rejected\n", path, kith_import_format_name(r->format),
	       (long long)r->records, (long long)r->created, (long long)r->merged,
	       (long long)r->unchanged, (long long)r->skipped, (long long)r->rejected);
	if (quiet)
		return;
	if (r->people_created || r->links_created || r->jobs_created || r->orgs_created)
		printf("  created %lld people, %lld links, %lld jobs, %lld organisations\n",
		       (long long)r->people_created, (long long)r->links_created,
		       (long long)r->jobs_created, (long long)r->orgs_created);
	for (size_t i = 0; i < r->nissues; i++)
		if (r->issues[i].line > 0)
			printf("  line %lld: %s: %s\n", (long long)r->issues[i].line,
			       level_name(r->issues[i].level), r->issues[i].reason);
		else  /* a JSON record names itself: people[3] #12 */
			printf("  %s: %s\n", level_name(r->issues[i].level), r->issues[i].reason);
	if (r->issues_dropped)
		printf("  ... and %lld more\n", (long long)r->issues_dropped);
	if (r->dry_run)
		printf("  dry run: nothing was saved\n");
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"map", required_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{"format", required_argument, NULL, 'f'},
		CLI_COMMON_OPTS, {0}};
	kith_import_opts o = {0};
	json_t *all = NULL;
	int ch, rc = CLI_OK, quiet = 0, hard = 0;

	while ((ch = getopt_long(argc, argv, "hnm:qf:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if ((o.format = kith_import_format_parse(optarg)) < 0)
				return cli_usage_error("import", "unknown format '%s': give vcard, csv, "
				                       "mbox, ics, json or auto", optarg);
			break;
		case 'n': o.dry_run = 1; break;
		case 'm': o.csv_map = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("import");
		}
	}
	if (!o.format && optind < argc - 1 && format_word(argv[optind])) {
		if (kith_import_format_parse(argv[optind]) < 0)
			return cli_usage_error("import", "unknown format '%s': give vcard, csv, "
			                       "mbox, ics, json or links, or none to tell it from the content",
			                       argv[optind]);
		o.format = kith_import_format_parse(argv[optind++]);
	}
	if (optind >= argc)
		return cli_usage_error("import", "name a file to import");
	if (o.csv_map && o.format && o.format != KITH_IMPORT_CSV)
		return cli_usage_error("import", "--map is for CSV files");
	if (o.csv_map)
		o.format = KITH_IMPORT_CSV;
	if ((rc = cli_open(c, 0)) != CLI_OK)
		return rc;
	if (c->json)
		all = json_array();
	for (int i = optind; i < argc && rc == CLI_OK; i++) {
		kith_import_report rep = {0};
		kith_error err;
		struct bar b = {0, -1};
		if (isatty(2)) {
			o.progress = progress;
			o.progress_ctx = &b;
		}
		int r = kith_import_file(c->db, argv[i], &o, &rep, &err);
		if (b.shown)
			fprintf(cli_raw_stderr, "\r%60s\r", "");
		if (r) {
			fprintf(stderr, "kith: %s: %s\n", argv[i],
			        err.msg[0] ? err.msg : kith_strerror(err.code));
			fprintf(stderr, "kith: %s: nothing was imported\n", argv[i]);
			rc = CLI_FAIL;
			hard = 1;
		} else {
			if (all)
				json_array_append_new(all, report_json(argv[i], &rep));
			else
				report_text(argv[i], &rep, quiet);
			/* Told the format, and not one record of it could be read:
			 * most likely the wrong file or the wrong format. */
			if (o.format && rep.records > 0 && rep.rejected == rep.records) {
				fprintf(stderr, "kith: %s: every record was rejected as %s; "
				        "check the file, or leave the format out to tell it "
				        "from the content\n", argv[i],
				        kith_import_format_name(o.format));
				rc = CLI_FAIL;
			}
		}
		kith_import_report_clear(&rep);
	}
	if (all && !hard && json_array_size(all) == 1) {
		json_t *one = json_incref(json_array_get(all, 0));
		json_decref(all);
		return cli_print_json(one) == CLI_OK ? rc : CLI_FAIL;
	}
	if (all && !hard)
		return cli_print_json(all) == CLI_OK ? rc : CLI_FAIL;
	json_decref(all);
	return rc;
}
