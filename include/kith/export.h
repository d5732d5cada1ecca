#ifndef KITH_EXPORT_H
#define KITH_EXPORT_H

#include <stdio.h>
#include "kith/db.h"

/*
 * Export: the whole network in a form other tools read.
 *
 *   vcard    vCard 4.0 (RFC 6350), one card per person; kith import vcard
 *            reads it back with every field kith keeps (X-KITH-JOB holds
 *            each job with its dates)
 *   csv      one row per person (header row first); multiple emails,
 *            phones and tags are joined with " ::: ", as Google does
 *   json     everything: people (every field, jobs), orgs, links,
 *            interactions, notes, vouches, cadences, kinds, members and
 *            settings, with owners and privacy; kith import reads it back
 *            (docs/export-json.md)
 *   graphml  people as nodes and links as edges, for Gephi or yEd
 *   dot      the same for Graphviz
 *
 * Everything is read in one read transaction, so the output is one
 * consistent moment even while another process writes.
 */

enum kith_export_format {
	KITH_EXPORT_VCARD,
	KITH_EXPORT_CSV,
	KITH_EXPORT_JSON,
	KITH_EXPORT_GRAPHML,
	KITH_EXPORT_DOT
};

/* "vcard" (or "vcf"), "csv", "json", "graphml", "dot"; -1 when unknown. */
int kith_export_format_parse(const char *name);

/* Writes the network to out (borrowed; not closed).  KITH_EIO when a
 * write fails (disk full, closed pipe). */
int kith_export(kith_db *db, int format, FILE *out, kith_error *err);

#endif
