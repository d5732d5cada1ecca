#!/bin/sh
# The people list at scale: GET /api/v1/people with each filter and sort,
# deep offsets and a cursor, one request at a time (curl, keep-alive off),
# as the caller "me" of the demo network.  Prints the machine, then p50 and
# p95 of the server's answer per request (REQS runs after 2 to warm up).
#   bench/people_list.sh [BUILD_DIR] [PEOPLE] [REQS]
# The network is `kith demo --people PEOPLE` in BUILD_DIR/bench/people-PEOPLE.db,
# kept for the next run (at 100k it takes minutes to make).
set -eu
build=${1:-build}
people=${2:-100000}
reqs=${3:-30}
kith="$(cd "$build" && pwd)/kith"
command -v curl >/dev/null || { echo "people_list.sh needs curl" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "people_list.sh needs sqlite3" >&2; exit 1; }
mkdir -p "$build/bench"
db="$(cd "$build/bench" && pwd)/people-$people.db"
export KITH_DB="$db"

if [ ! -f "$db" ]; then
	t0=$(date +%s)
	"$kith" --db "$db.tmp" init --me "Alex Morgan" --email alex@kith.example >/dev/null
	"$kith" --db "$db.tmp" demo --people "$people" >/dev/null
	mv "$db.tmp" "$db"
	rm -f "$db.tmp-wal" "$db.tmp-shm"
	echo "generated $people people in $(($(date +%s) - t0)) s"
fi
"$kith" stats >/dev/null   # migrates an older file once, outside the timings

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM,"\
     "$(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
sqlite3 "$db" "SELECT 'network: ' || (SELECT count(*) FROM person) || ' people, '
  || (SELECT count(*) FROM link) || ' links, ' || (SELECT count(*) FROM interaction)
  || ' interactions, schema ' || (SELECT user_version FROM pragma_user_version)"

tag=$(sqlite3 "$db" "SELECT tag FROM person_tag GROUP BY tag ORDER BY count(*) DESC LIMIT 1")
city=$(sqlite3 "$db" "SELECT city FROM person WHERE city IS NOT NULL GROUP BY city ORDER BY count(*) DESC LIMIT 1")
country=$(sqlite3 "$db" "SELECT country FROM person WHERE country IS NOT NULL GROUP BY country ORDER BY count(*) DESC LIMIT 1")
org=$(sqlite3 "$db" "SELECT org_id FROM job WHERE date_to IS NULL GROUP BY org_id ORDER BY count(*) DESC LIMIT 1")
former=$(sqlite3 "$db" "SELECT org_id FROM job WHERE date_to IS NOT NULL GROUP BY org_id ORDER BY count(*) DESC LIMIT 1")
enc() { printf %s "$1" | sed 's/ /%20/g'; }

tok=$("$kith" member add bench --person me 2>/dev/null | grep -o 'kith_[A-Za-z0-9_-]*' || true)
[ -n "$tok" ] || tok=$("$kith" member token bench 2>/dev/null | grep -o 'kith_[A-Za-z0-9_-]*')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench-XXXXXX")
"$kith" serve --listen 127.0.0.1:0 >"$tmp/serve.out" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do grep -qs " at http" "$tmp/serve.out" && break; sleep 0.2; done
url=$(sed -n 's/.* at \(http[^ ]*\)/\1/p' "$tmp/serve.out")

get() { curl -s -H "Authorization: Bearer $tok" "$url/api/v1/people?$1"; }
# run NAME QUERY: p50 and p95 of REQS requests, the total and rows answered
run() {
	get "$2" >"$tmp/body"
	st=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tok" "$url/api/v1/people?$2")
	for _ in $(seq "$reqs"); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $tok" \
			"$url/api/v1/people?$2"
	done | sort -n | awk -v n="$reqs" '{v[NR] = $1 * 1000}
		END {i = int(n * 0.95 + 0.5); if (i < 1) i = 1;
		     printf "%8.1f %8.1f", v[int((n + 1) / 2)], v[i]}' >"$tmp/t"
	total=$(sed -n 's/.*"total": *\([0-9]*\).*/\1/p' "$tmp/body")
	printf '%-36s %s  %3s %7s\n' "$1" "$(cat "$tmp/t")" "$st" "${total:--}"
}
printf '%-36s %8s %8s  %3s %7s\n' "GET /api/v1/people?..." "p50 ms" "p95 ms" "st" "total"
run "(first page, by name)" "limit=50"
run "order=desc" "order=desc"
run "sort=created" "sort=created"
run "sort=updated" "sort=updated"
run "sort=strength" "sort=strength"
run "sort=last" "sort=last"
run "offset=50000" "offset=50000"
run "offset=99000, sort=updated" "offset=99000&sort=updated"
cursor=$(get "offset=50000" | sed -n 's/.*"next": *"\([^"]*\)".*/\1/p')
run "cursor (after row 50050)" "cursor=$cursor"
run "q=given (name words)" "q=an"
run "tag=$tag" "tag=$(enc "$tag")"
run "city=$city" "city=$(enc "$city")"
run "tag+city" "tag=$(enc "$tag")&city=$(enc "$city")"
run "country=$country, sort=created" "country=$(enc "$country")&sort=created"
run "org=$org" "org=$org"
run "former_org=$former" "former_org=$former"
run "orbit=2" "orbit=2"
run "due=1" "due=1"
run "strength_min=0.05" "strength_min=0.05"
run "strength_max=0.5, sort=name" "strength_max=0.5"
run "strength 0.1-0.9, sort=strength asc" "strength_min=0.1&strength_max=0.9&sort=strength&order=asc"
run "visibility=team, offset=20000" "visibility=team&offset=20000"
run "visibility=private" "visibility=private"
run "sort=strength, offset=60000" "sort=strength&offset=60000"
