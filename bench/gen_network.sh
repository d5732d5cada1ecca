#!/bin/sh
# A network for the benchmarks, generated in SQL: PEOPLE people (one email
# each, a job for two in three), 9.5 links a person (near: a community of
# neighbours by id; far: spread by a multiplier) and 25 interactions a
# person over three years, two people each.  Then the pair cache is filled
# by kith's own recompute.
#   bench/gen_network.sh KITH PEOPLE OUT.db
# KITH_BENCH_LINKS=K writes K links from every second person instead of
# 19 (K/2 a person: 32 gives the 16 links a person of the 1M / 16M runs);
# the last four of each person's K are the far ones.
# One transaction with the journal off; the non-unique indexes and the
# triggers are dropped while rows go in and created again after (the
# unique ones stay: they refuse the generator's duplicate links; the
# CardDAV change log the triggers would fill starts empty).  Rows go in key
# order, so every table is written as an append.
set -eu
K=${KITH_BENCH_LINKS:-19}
kith=$1
N=$2
out=$3
tmp="$out.tmp"
rm -f "$tmp" "$tmp-wal" "$tmp-shm"
KITH_NOW=${KITH_NOW:-2026-11-23T12:00:00Z} "$kith" --db "$tmp" init --me "Alex Morgan" \
	--email alex@kith.example >/dev/null
ddl="$tmp.ddl"
sqlite3 "$tmp" "SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL AND
  (type = 'trigger' OR (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'))" >"$ddl"
drops=$(sqlite3 "$tmp" "SELECT 'DROP ' || type || ' ' || name || ';' FROM sqlite_schema
  WHERE sql IS NOT NULL AND (type = 'trigger' OR (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'))")
sqlite3 "$tmp" >/dev/null <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -400000;
BEGIN;
$drops
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO person(id, display_name, given_name, family_name, city, country, created, updated)
SELECT i, 'Given' || (i % 997) || ' Family' || i, 'Given' || (i % 997), 'Family' || i,
  'City' || (i % 300), 'Country' || (i % 40), 1700000000, 1700000000 FROM n;
INSERT INTO person_fts(rowid, name, info, notes) SELECT id, display_name,
  coalesce(city, '') || ' ' || coalesce(country, ''), '' FROM person WHERE id > 1;
INSERT INTO person_email(person_id, pos, email, scope) SELECT id, 0, 'p' || id || '@example.org', 0
  FROM person WHERE id > 1;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N / 20)
INSERT INTO org(id, name, created, updated) SELECT i, 'Org ' || i, 0, 0 FROM n;
INSERT INTO job(person_id, org_id, title, date_from, created)
  SELECT id, 1 + id % ($N / 20), 'Engineer', '2020-01', 0 FROM person WHERE id % 3 <> 1;
-- K/2 links a person (9.5 by default): K per second person, near
-- (community) and far
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < $K)
INSERT OR IGNORE INTO link(a, b, kind, trust, created, updated)
SELECT p.id, 1 + (p.id + CASE WHEN j < $K - 4 THEN j * 7 ELSE p.id * 131 + j END) % $N,
  CASE j % 4 WHEN 0 THEN 'knows' WHEN 1 THEN 'friend' WHEN 2 THEN 'colleague' ELSE 'knows' END,
  CASE WHEN j % 2 THEN 0.5 END, 0, 0
FROM person p, k WHERE p.id % 2 = 0
  AND p.id <> 1 + (p.id + CASE WHEN j < $K - 4 THEN j * 7 ELSE p.id * 131 + j END) % $N;
-- 25 interactions a person over three years
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N * 25)
INSERT INTO interaction(id, at, kind, notes, created)
SELECT i, 1700000000 + (i * 9973) % 94608000,
  CASE i % 6 WHEN 0 THEN 'meeting' WHEN 1 THEN 'call' WHEN 2 THEN 'message'
  WHEN 3 THEN 'email' WHEN 4 THEN 'favour' ELSE 'introduction' END, NULL, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N * 25)
INSERT INTO interaction_person(interaction_id, person_id)
  SELECT i, CASE s WHEN 0 THEN 1 + (i / 25) % $N ELSE 1 + (i / 25 + 1 + i % 97) % $N END
  FROM n, (SELECT 0 AS s UNION ALL SELECT 1);
COMMIT;
.read $ddl
UPDATE graph_state SET generation = generation + 1, token = random();
PRAGMA journal_mode = WAL;
EOF
rm -f "$ddl"
KITH_NOW=${KITH_NOW:-2026-11-23T12:00:00Z} "$kith" --db "$tmp" strength --recompute >/dev/null
mv "$tmp" "$out"
rm -f "$tmp-wal" "$tmp-shm"
