#!/bin/sh
# The last line of `make test`: adds up the "passed failed skipped label"
# lines that tests/run.sh and the fuzz run appended to TALLY.
#   tests/summary.sh TALLY [STATUS]
# STATUS is the exit status the phases gave together (0: all went well);
# a phase that failed without counting a failure (a build error, a run cut
# short) counts as one failure, so that the line never says 0 failed for a
# run that did not pass.
set -u
tally=$1
status=${2:-0}
p=0 f=0 s=0
if [ -f "$tally" ]; then
	while read -r a b c label; do
		printf '  %-22s %5d passed, %d failed, %d skipped\n' "$label" "$a" "$b" "$c"
		p=$((p + a)) f=$((f + b)) s=$((s + c))
	done <"$tally"
fi
[ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1 && echo "  a phase stopped before its tests finished"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ] && [ "$status" -eq 0 ]
