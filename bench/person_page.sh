#!/bin/sh
# The person page at scale: `kith show A` and `kith timeline A` as whole
# processes (warm page cache), and the server's reads of one person with
# wrk (32 connections, 2 threads): GET /api/v1/people/{random} (with the
# strength to me), its timeline and notes, and /orbits and /due.
#   bench/person_page.sh [BUILD_DIR] [PEOPLE] [SECONDS]
# The network is generated in SQL (9.5 links and 25 interactions a person,
# two or three people each) into BUILD_DIR/bench/person-PEOPLE.db, kept for
# the next run.  Prints the machine, then one table.
set -eu
build=${1:-build}
people=${2:-100000}
dur=${3:-10}
kith="$(cd "$build" && pwd)/kith"
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "person_page.sh needs wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "person_page.sh needs sqlite3" >&2; exit 1; }
mkdir -p "$build/bench"
db="$(cd "$build/bench" && pwd)/person-$people.db"
export KITH_DB="$db" KITH_NOW=2026-11-23T12:00:00Z

if [ ! -f "$db" ]; then
	t0=$(date +%s)
	"$kith" --db "$db.tmp" init --me "Alex Morgan" --email alex@kith.example >/dev/null
	N=$people
	sqlite3 "$db.tmp" <<EOF
PRAGMA foreign_keys = OFF;
PRAGMA journal_mode = WAL;
BEGIN;
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
-- 9.5 links a person: 19 per pair of people, near (community) and far
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 19)
INSERT OR IGNORE INTO link(a, b, kind, trust, created, updated)
SELECT p.id, 1 + (p.id + CASE WHEN j < 15 THEN j * 7 ELSE p.id * 131 + j END) % $N,
  CASE j % 4 WHEN 0 THEN 'knows' WHEN 1 THEN 'friend' WHEN 2 THEN 'colleague' ELSE 'knows' END,
  CASE WHEN j % 2 THEN 0.5 END, 0, 0
FROM person p, k WHERE p.id % 2 = 0
  AND p.id <> 1 + (p.id + CASE WHEN j < 15 THEN j * 7 ELSE p.id * 131 + j END) % $N;
-- 25 interactions a person over three years
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N * 25)
INSERT INTO interaction(id, at, kind, notes, created)
SELECT i, 1700000000 + (i * 9973) % 94608000,
  CASE i % 6 WHEN 0 THEN 'meeting' WHEN 1 THEN 'call' WHEN 2 THEN 'message'
  WHEN 3 THEN 'email' WHEN 4 THEN 'favour' ELSE 'introduction' END, NULL, 0 FROM n;
INSERT INTO interaction_person(interaction_id, person_id)
  SELECT id, 1 + (id / 25) % $N FROM interaction UNION ALL
  SELECT id, 1 + (id / 25 + 1 + id % 97) % $N FROM interaction;
COMMIT;
EOF
	"$kith" --db "$db.tmp" strength --recompute >/dev/null 2>&1 || true
	mv "$db.tmp" "$db"
	rm -f "$db.tmp-wal" "$db.tmp-shm"
	echo "generated $people people in $(($(date +%s) - t0)) s"
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM,"\
     "$(lscpu | sed -n 's/^Model name: *//p')"
sqlite3 "$db" "SELECT 'network: ' || (SELECT count(*) FROM person) || ' people, '
  || (SELECT count(*) FROM link) || ' links, ' || (SELECT count(*) FROM interaction)
  || ' interactions'"

# wall A CMD...: median wall time in ms of 20 runs (after 3 to warm up)
wall() {
	for _ in 1 2 3; do "$@" >/dev/null; done
	for _ in $(seq 20); do
		s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
		echo $(((e - s) / 1000))
	done | sort -n | awk '{v[NR] = $1} END {printf "%.1f ms (p90 %.1f)", v[10] / 1000, v[18] / 1000}'
}
a=$((people / 2 + 2))
printf '%-44s %s\n' "kith show #$a (process)" "$(wall "$kith" show "#$a")"
printf '%-44s %s\n' "kith timeline #$a (process)" "$(wall "$kith" timeline "#$a")"

tok=$("$kith" member add bench --person me 2>/dev/null | grep -o 'kith_[A-Za-z0-9_-]*' || true)
[ -n "$tok" ] || tok=$("$kith" member token bench 2>/dev/null | grep -o 'kith_[A-Za-z0-9_-]*')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench-XXXXXX")
"$kith" serve --listen 127.0.0.1:0 >"$tmp/serve.out" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do grep -qs " at http" "$tmp/serve.out" && break; sleep 0.2; done
url=$(sed -n 's/.* at \(http[^ ]*\)/\1/p' "$tmp/serve.out")
cat >"$tmp/random.lua" <<EOF
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
math.randomseed(os.time())
request = function()
  local p = os.getenv("FMT"):gsub("ID", tostring(math.random(2, $people)))
  return wrk.format("GET", p)
end
EOF
run() { # name path-format
	TOKEN=$tok FMT=$2 wrk -t2 -c32 -d"${dur}s" --latency -s "$tmp/random.lua" "$url" >"$tmp/w.txt" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$tmp/w.txt")
	p99=$(awk '$1 == "99%" {print $2}' "$tmp/w.txt")
	non=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\)/\1/p' "$tmp/w.txt")
	printf '%-44s %10s req/s  p99 %8s  non-2xx %s\n' "$1" "$rps" "$p99" "${non:-0}"
}
run "GET /api/v1/people/{random}" "/api/v1/people/ID"
run "GET /api/v1/people/{random}/timeline" "/api/v1/people/ID/timeline"
run "GET /api/v1/people/{random}/notes" "/api/v1/people/ID/notes"
run "GET /api/v1/orbits (mine)" "/api/v1/orbits"
run "GET /api/v1/due (mine)" "/api/v1/due"
