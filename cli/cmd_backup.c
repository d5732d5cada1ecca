/* kith backup: a verified copy of the database while it is in use. */
#include "cli.h"
#include "kith/backup.h"

static const char help[] =
	"usage: kith backup FILE [--force]\n"
	"\n"
	"Copy the database to FILE as one consistent moment, even while 'kith\n"
	"serve' is serving and writing.  The copy is written beside FILE,\n"
	"verified (integrity, foreign keys, schema version, a digest of its\n"
	"content), synced to disk and only then renamed to FILE.  Prints its\n"
	"size and what it holds.  Restore it with 'kith restore FILE'.  The\n"
	"database is read as it is: one from an older kith is not migrated.\n"
	"\n"
	"  --force   replace FILE when it exists (else refused)\n";

/* "people 12, orgs 3, ..." of a verified file, shared by backup and restore. */
void cli_backup_print(struct cli *c, const char *path, const kith_backup_info *i,
                      const char *verb)
{
	if (c->json) {
		cli_print_json(json_pack("{s:s, s:I, s:i, s:b, s:I, s:I, s:I, s:I, s:I, s:I}",
			"file", path, "bytes", (json_int_t)i->bytes, "schema", i->schema,
			"digest", i->digest, "people", (json_int_t)i->people,
			"orgs", (json_int_t)i->orgs, "links", (json_int_t)i->links,
			"interactions", (json_int_t)i->interactions, "notes", (json_int_t)i->notes,
			"members", (json_int_t)i->members));
		return;
	}
	printf("%s %s: %.1f MB (%lld bytes), schema %d, verified%s\n", verb, path,
	       (double)i->bytes / 1e6, (long long)i->bytes, i->schema,
	       i->digest ? " (content digest matches)" : "");
	printf("  %lld people, %lld orgs, %lld links, %lld interactions, %lld notes, "
	       "%lld members\n", (long long)i->people, (long long)i->orgs,
	       (long long)i->links, (long long)i->interactions, (long long)i->notes,
	       (long long)i->members);
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"force", no_argument, NULL, 'f'},
		CLI_COMMON_OPTS, {0}};
	kith_backup_info info;
	kith_error err;
	int ch, force = 0;

	while ((ch = getopt_long(argc, argv, "hf", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': force = 1; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("backup");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("backup", "name the file to write the backup to");
	/* The file as it is, not through kith_db_open: a database from an
	 * older kith is backed up before anything migrates it. */
	if (kith_backup_path(c->db_path, argv[optind], force, &info, &err))
		return cli_failf("backup to %s: %s", argv[optind], err.msg);
	cli_backup_print(c, argv[optind], &info, "backup");
	return CLI_OK;
}
