#ifndef KITH_CLI_GRAPH_UTIL_H
#define KITH_CLI_GRAPH_UTIL_H

/* Shared by the network subcommands (cmd_path.c ... cmd_reach.c). */
#include "cli.h"
#include "kith/graph.h"

/* Opens the database and a graph handle on it (*g owned by the caller:
 * kith_graph_close).  Prints the error and returns CLI_FAIL on failure. */
int gcli_graph(struct cli *c, kith_graph **g);

/* Display name of person id into buf ("#12" if it cannot be read). */
const char *gcli_name(struct cli *c, kith_id id, char *buf, size_t sz);

/* Prints "Ana → Bo → Cy" (no newline). */
void gcli_print_path(struct cli *c, const kith_path *p);

/* {"id": 12, "name": "Ana Silva"} for person id (new reference). */
json_t *gcli_person_json(struct cli *c, kith_id id);

/* {"people": [...], "degrees": N, "strength": x} (new reference). */
json_t *gcli_path_json(struct cli *c, const kith_path *p);

/* Parses a distance or hop count option in [lo, hi]. */
int gcli_int(const char *cmd, const char *opt, const char *s, int lo, int hi,
             int *out);

#endif
