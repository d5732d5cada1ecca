/* kith restore: a backup made the database again. */
#include "cli.h"
#include "kith/backup.h"

static const char help[] =
	"usage: kith restore FILE [--check]\n"
	"\n"
	"Replace the database (--db, KITH_DB) with the backup FILE.  FILE is\n"
	"verified first: a damaged file, one that is not a kith database or one\n"
	"from a newer kith is refused and the database is left as it was.  A\n"
	"backup from an older kith is migrated on a copy.  The database is then\n"
	"replaced in one transaction: a running 'kith serve' sees the restored\n"
	"data at its next request, never half of it, and writes it makes after\n"
	"that go into the restored database.  Stopping the server first is still\n"
	"the quiet way: CardDAV clients resynchronise after a restore.\n"
	"\n"
	"  --check   only verify FILE; change nothing\n";

int cmd_restore(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"check", no_argument, NULL, 'c'},
		CLI_COMMON_OPTS, {0}};
	kith_backup_info info;
	kith_error err;
	int ch, only_check = 0, rc;

	while ((ch = getopt_long(argc, argv, "hc", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': only_check = 1; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("restore");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("restore", "name the backup file to restore");
	rc = only_check ? kith_backup_verify(argv[optind], &info, &err)
	                : kith_restore(argv[optind], c->db_path, &info, &err);
	if (rc)
		return cli_failf("cannot restore %s: %s", argv[optind], err.msg);
	cli_backup_print(c, only_check ? argv[optind] : c->db_path, &info,
	                 only_check ? "checked" : "restored to");
	return CLI_OK;
}
