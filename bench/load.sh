#!/bin/sh
# Load on `kith serve` with wrk: simple reads, then writes, 64 connections
# for DURATION seconds each, on the demo network.  Prints one table, then
# checks that every answered write is in the database.
#   bench/load.sh [BUILD_DIR] [DURATION]
set -eu
build=${1:-build}
dur=${2:-30}
kith="$(cd "$build" && pwd)/kith"
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "load.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kith-load-XXXXXX")
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
export KITH_DB="$tmp/load.db"
"$kith" init --me "Alex Morgan" --email alex@kith.example >/dev/null
"$kith" demo --seed 42 >/dev/null
tok=$("$kith" member add alex --person me | grep -o 'kith_[A-Za-z0-9_-]*')
"$kith" serve --listen 127.0.0.1:0 --threads "${KITH_THREADS:-0}" >"$tmp/serve.out" 2>&1 &
srv=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -qs " at http" "$tmp/serve.out" && break; sleep 0.2; done
url=$(sed -n 's/.* at \(http[^ ]*\)/\1/p' "$tmp/serve.out")
before=$(sqlite3 "$KITH_DB" "SELECT count(*) FROM interaction")
n=0
run() { # name script path
	n=$((n + 1))
	out="$tmp/wrk$n.txt"
	TOKEN=$tok wrk -t2 -c64 -d"${dur}s" -s "$here/$2" "${url}$3" >"$out" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' "$out")
	lat=$(awk '/Latency/ {print $2}' "$out")
	non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\)/\1/p' "$out")
	errs=$(sed -n 's/.*Socket errors: *\(.*\)/\1/p' "$out")
	total=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$out")
	printf '%-34s %10s %10s %10s %8s  %s\n' "$1" "$total" "$rps" "$lat" "${non2xx:-0}" "${errs:-none}"
}
printf '%-34s %10s %10s %10s %8s  %s\n' "load (64 conns, ${dur}s)" requests "req/s" "avg lat" "non-2xx" "socket errors"
run "GET /api/v1/health (no auth)" load_read.lua api/v1/health
run "GET /api/v1/me" load_read.lua api/v1/me
run "GET /api/v1/people/{id}" load_read.lua api/v1/people/12
run "GET /api/v1/path (2 degrees)" load_read.lua "api/v1/path?to=150"
run "POST /api/v1/interactions" load_write.lua api/v1/interactions
rss0=$(ps -o rss= -p $srv)
run "mixed: 90% reads, 10% writes" load_mixed.lua ""
rss1=$(ps -o rss= -p $srv)
run "mixed, again" load_mixed.lua ""
rss2=$(ps -o rss= -p $srv)
echo "server RSS: ${rss0} KiB before the mixed runs, ${rss1} KiB after one, ${rss2} KiB after two"
kill -TERM $srv
wait $srv || true
after=$(sqlite3 "$KITH_DB" "SELECT count(*) FROM interaction")
echo "writes: $((after - before)) interactions added in all (wrk stops mid-request at each deadline)"
echo "integrity: $(sqlite3 "$KITH_DB" 'PRAGMA integrity_check')"
