#ifndef KITH_BENCH_GEN_H
#define KITH_BENCH_GEN_H

/*
 * A deterministic synthetic social network for benchmarks, written into a
 * real kith database: people in communities (each with a city and a
 * country), power-law degrees, most links inside a community (which gives
 * clustering) and the rest across the network by degree weight (hubs),
 * parallel link kinds, trust on some links, orgs, jobs and tags.  The same
 * seed and sizes give the same database.
 */
#include <stdint.h>

#include "kith/db.h"

typedef struct bgen_opts {
	int64_t people;
	int64_t links;      /* link rows attempted; duplicates are skipped */
	uint64_t seed;
	int quiet;
} bgen_opts;

typedef struct bgen_report {
	int64_t people, links, orgs, jobs;
	double seconds;
} bgen_report;

/* Writes the network into db (which should be empty) in one transaction. */
int bgen_generate(kith_db *db, const bgen_opts *o, bgen_report *rep,
                  kith_error *err);

/* Loads a whitespace- or comma-separated edge list ("a b ...", '#' lines
 * ignored, the first skip_lines lines skipped) as people (id = node + 1)
 * and undirected 'knows' links. */
int bgen_load_edges(kith_db *db, const char *path, int skip_lines,
                    bgen_report *rep, kith_error *err);

/* Splitmix64 step, for the benchmark's own sampling. */
uint64_t bgen_rand(uint64_t *s);

#endif
