#!/bin/sh
# The demo network as `make run` serves it and the README's tour shows it:
# rebuilt from its seed, at its own date, with the team's two members.
#   scripts/demo.sh KITH DB [SEED]
# Everything runs at KITH_NOW (default the demo's date below), so ids,
# scores and dates come out the same on any day; the tokens alone differ.
set -eu
kith=$1
db=$2
seed=${3:-42}
KITH_NOW=${KITH_NOW:-2026-11-23T12:00:00Z}
export KITH_NOW
rm -f "$db" "$db-wal" "$db-shm"
"$kith" --db "$db" init --me "Alex Morgan" --email alex@kith.example
"$kith" --db "$db" demo --seed "$seed"
"$kith" --db "$db" stats | head -12
echo
"$kith" --db "$db" member add alex --person me --label demo
"$kith" --db "$db" member add sam --label demo
