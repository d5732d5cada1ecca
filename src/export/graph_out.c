/*
 * The network as a graph file: GraphML (Gephi, yEd, NetworkX) and DOT
 * (Graphviz).  Nodes are people, edges are links.  Both formats are
 * plain text with a handful of escapes, written here directly: libxml2
 * or cgraph would add a dependency to escape five characters.
 */
#include <stdlib.h>
#include <string.h>

#include "export_impl.h"
#include "kith/person.h"
#include "kith/org.h"

/* Writes s as XML character data: &<>"' escaped, and control characters
 * XML 1.0 forbids dropped. */
static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
				fputc(c, out);
		}
	}
}

/* Writes s inside a DOT double-quoted string. */
static void dot_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, out);
	}
}

struct gctx {
	FILE *out;
	int dot;
	kith_id me;
};

static void xml_data(FILE *out, const char *key, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(out, "      <data key=\"%s\">", key);
	xml_text(out, v);
	fputs("</data>\n", out);
}

static int node(void *ctx, const kith__xperson *x, kith_error *err)
{
	struct gctx *g = ctx;
	const kith_person *p = x->p;
	const char *org = x->njobs && !x->jobs[0].to ? x->jobs[0].org_name : NULL;

	if (g->dot) {
		fprintf(g->out, "  p%lld [label=\"", (long long)p->id);
		dot_text(g->out, p->display_name);
		fputs("\"", g->out);
		if (org) {
			fputs(", org=\"", g->out);
			dot_text(g->out, org);
			fputs("\"", g->out);
		}
		if (p->id == g->me)
			fputs(", me=true, style=bold", g->out);
		fputs("];\n", g->out);
	} else {
		fprintf(g->out, "    <node id=\"p%lld\">\n", (long long)p->id);
		xml_data(g->out, "label", p->display_name);
		xml_data(g->out, "email", p->emails.n ? p->emails.v[0] : NULL);
		xml_data(g->out, "org", org);
		xml_data(g->out, "city", p->city);
		xml_data(g->out, "country", p->country);
		if (p->id == g->me)
			xml_data(g->out, "me", "true");
		fputs("    </node>\n", g->out);
	}
	return ferror(g->out) ? kith_error_set(err, KITH_EIO, "write error") : KITH_OK;
}

static int edges(kith_db *db, struct gctx *g, kith_error *err)
{
	sqlite3_stmt *st;
	/* plan: scan -- whole-network export */
	int rc = kith__prepare(db, "SELECT l.id, l.a, l.b, l.kind, l.since, l.trust,"
	                       " k.directed FROM link l JOIN link_kind k ON k.name = l.kind"
	                       " ORDER BY l.id", &st, err);

	int step = SQLITE_DONE;

	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		long long a = sqlite3_column_int64(st, 1), b = sqlite3_column_int64(st, 2);
		const char *kind = (const char *)sqlite3_column_text(st, 3);
		const char *since = (const char *)sqlite3_column_text(st, 4);
		int has_trust = sqlite3_column_type(st, 5) != SQLITE_NULL;
		double trust = sqlite3_column_double(st, 5);
		int directed = sqlite3_column_int(st, 6);
		if (g->dot) {
			fprintf(g->out, "  p%lld -- p%lld [kind=\"", a, b);
			dot_text(g->out, kind);
			fprintf(g->out, "\", label=\"");
			dot_text(g->out, kind);
			fputs("\"", g->out);
			if (has_trust)
				fprintf(g->out, ", weight=%.3f", trust);
			if (since) {
				fputs(", since=\"", g->out);
				dot_text(g->out, since);
				fputs("\"", g->out);
			}
			if (directed)
				fputs(", dir=forward", g->out);
			fputs("];\n", g->out);
		} else {
			fprintf(g->out, "    <edge id=\"l%lld\" source=\"p%lld\" target=\"p%lld\"%s>\n",
			        id, a, b, directed ? " directed=\"true\"" : "");
			xml_data(g->out, "kind", kind);
			if (has_trust)
				fprintf(g->out, "      <data key=\"weight\">%.3f</data>\n", trust);
			xml_data(g->out, "since", since);
			fputs("    </edge>\n", g->out);
		}
		if (ferror(g->out))
			rc = kith_error_set(err, KITH_EIO, "write error");
	}
	if (!rc && step != SQLITE_DONE)
		rc = kith__sqlerr(db, step, "export", err);
	sqlite3_finalize(st);
	return rc;
}

int kith__export_graphml(kith_db *db, FILE *out, kith_error *err)
{
	static const char *const keys[][4] = {
		{"label", "node", "label", "string"}, {"email", "node", "email", "string"},
		{"org", "node", "org", "string"}, {"city", "node", "city", "string"},
		{"country", "node", "country", "string"}, {"me", "node", "me", "boolean"},
		{"kind", "edge", "kind", "string"}, {"weight", "edge", "weight", "double"},
		{"since", "edge", "since", "string"}};
	struct gctx g = {out, 0, kith_me(db)};
	int rc;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
	      "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	      "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
	      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n", out);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fprintf(out, "  <key id=\"%s\" for=\"%s\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
		        keys[i][0], keys[i][1], keys[i][2], keys[i][3]);
	fputs("  <graph id=\"kith\" edgedefault=\"undirected\">\n", out);
	rc = kith__export_people(db, node, &g, err);
	if (!rc)
		rc = edges(db, &g, err);
	fputs("  </graph>\n</graphml>\n", out);
	return rc;
}

int kith__export_dot(kith_db *db, FILE *out, kith_error *err)
{
	struct gctx g = {out, 1, kith_me(db)};
	int rc;

	fputs("graph kith {\n  node [shape=box];\n", out);
	rc = kith__export_people(db, node, &g, err);
	if (!rc)
		rc = edges(db, &g, err);
	fputs("}\n", out);
	return rc;
}
