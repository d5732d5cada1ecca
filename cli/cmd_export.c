/* kith export: the network as vCard, CSV, JSON, GraphML or DOT. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kith/export.h"

static const char help[] =
	"usage: kith export FORMAT [--out FILE]\n"
	"\n"
	"Write the whole network to standard output (or FILE).\n"
	"\n"
	"  vcard     vCard 4.0, one card per person; kith import reads it back\n"
	"  csv       one row per person; several emails/phones/tags joined by ' ::: '\n"
	"  json      everything: people (every field, jobs), orgs, links, interactions,\n"
	"            notes, vouches, cadences, kinds, members, owners and privacy;\n"
	"            'kith import' reads it back (docs/export-json.md)\n"
	"  graphml   people and links for Gephi, yEd or NetworkX\n"
	"  dot       the same for Graphviz\n"
	"\n"
	"  --out FILE   write to FILE (replaced only when the export succeeds)\n";

int cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		CLI_COMMON_OPTS, {0}};
	const char *path = NULL;
	char *tmp = NULL;
	FILE *out = stdout;
	kith_error err;
	int ch, format, rc;

	while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': path = optarg; break;
		case 'h': return cli_help(help);
		default: return cli_bad_option("export");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("export", "say which format: vcard, csv, json, graphml or dot");
	format = kith_export_format_parse(argv[optind]);
	if (format < 0)
		return cli_usage_error("export", "'%s' is not a format (vcard, csv, json, "
		                       "graphml, dot)", argv[optind]);
	if ((rc = cli_open(c, KITH_OPEN_READONLY)) != CLI_OK)
		return rc;
	if (path) {
		/* Write beside the target and rename, so a failed export never
		 * leaves half a file where a good one was. */
		size_t n = strlen(path) + 16;
		tmp = malloc(n);
		if (!tmp)
			return cli_failf("out of memory");
		snprintf(tmp, n, "%s.tmp-kith", path);
		if (!(out = fopen(tmp, "w"))) {
			rc = cli_failf("cannot write %s: %s", tmp, strerror(errno));
			free(tmp);
			return rc;
		}
	}
	rc = kith_export(c->db, format, out, &err);
	if (path) {
		if (fclose(out) != 0 && !rc)
			rc = kith_error_set(&err, KITH_EIO, "write error on %s", tmp);
		if (!rc && rename(tmp, path) != 0)
			rc = kith_error_set(&err, KITH_EIO, "cannot write %s: %s", path,
			                    strerror(errno));
		if (rc)
			remove(tmp);
		free(tmp);
	}
	return rc ? cli_fail(&err) : CLI_OK;
}
