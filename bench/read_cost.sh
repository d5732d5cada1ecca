#!/bin/sh
# What one read of one person costs, in instructions (valgrind's callgrind),
# which a machine busy with other work does not change: `kith show` and
# `kith timeline` as whole processes, and the server's reads of one person
# (one worker thread, the average over COUNT requests for random people,
# the same sequence on every run).  Run it on networks of different sizes
# (gen_network.sh) to see what grows with the network.
#   bench/read_cost.sh [BUILD_DIR] DB [COUNT]
# The database gets a member 'cost' (me) with a token.
set -eu
build=${1:-build}
db=$2
count=${3:-50}
kith="$(cd "$build" && pwd)/kith"
command -v valgrind >/dev/null || { echo "read_cost.sh needs valgrind" >&2; exit 1; }
export KITH_DB="$db" KITH_NOW=2026-11-23T12:00:00Z
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kith-cost-XXXXXX")
srv=
trap '[ -z "$srv" ] || kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
people=$(sqlite3 "$db" "SELECT max(id) FROM person")
a=$((people / 2 + 2))

# ir FILE: the total of a callgrind output
ir() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'; }
proc() { # name command...
	name=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$tmp/p.cg" "$@" >/dev/null 2>&1
	printf '%-40s %12s\n' "$name" "$(ir "$tmp/p.cg")"
}
printf '%-40s %12s\n' "$people people" "instructions"
proc "kith me (process)" "$kith" me
proc "kith show #$a (process)" "$kith" show "#$a"
proc "kith timeline #$a (process)" "$kith" timeline "#$a"

who=$(sqlite3 "$db" "SELECT name FROM member WHERE person_id = (SELECT person_id FROM owner)")
[ -n "$who" ] || "$kith" member add cost --person me >/dev/null
tok=$("$kith" member token "${who:-cost}" | grep -o 'kith_[A-Za-z0-9_-]*')
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/s.cg" \
	"$kith" serve --listen 127.0.0.1:0 --threads 1 >"$tmp/serve.out" 2>&1 &
srv=$!
for _ in $(seq 150); do grep -qs " at http" "$tmp/serve.out" && break; sleep 0.2; done
url=$(sed -n 's/.* at \(http[^ ]*\)/\1/p' "$tmp/serve.out")
get() { curl -s -o /dev/null -H "Authorization: Bearer $tok" "$url$1"; }
n=0
for fmt in /api/v1/people/ID /api/v1/people/ID/timeline /api/v1/people/ID/notes \
           "/api/v1/links?person=ID&limit=200" /api/v1/orbits /api/v1/due; do
	get "$(echo "$fmt" | sed 's/ID/2/')"   # the member's handle is opened here
	callgrind_control -z $srv >/dev/null 2>&1
	callgrind_control -i on $srv >/dev/null 2>&1
	i=0
	seed=7
	while [ $i -lt "$count" ]; do
		seed=$(((seed * 1103515245 + 12345) % 2147483648))
		get "$(echo "$fmt" | sed "s/ID/$((2 + seed % (people - 1)))/")"
		i=$((i + 1))
	done
	callgrind_control -i off $srv >/dev/null 2>&1
	callgrind_control -d $srv >/dev/null 2>&1
	n=$((n + 1))
	printf '%-40s %12s\n' "GET $fmt (per request)" $(($(ir "$tmp/s.cg.$n") / count))
done
