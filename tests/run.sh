#!/bin/sh
# Runs kith's tests and prints one closing line "N passed, N failed, N skipped".
#   tests/run.sh BUILD_DIR [unit|cli]
# Unit tests are the cmocka binaries BUILD_DIR/tests/test_*; CLI tests are
# tests/cli/test_*.sh, which print TAP lines ("ok"/"not ok") and run the
# real kith binary in a temporary directory.
#
# A test whose input or tool is missing is a skip, never a pass: a cmocka
# "[  SKIPPED ]" test, or a TAP line "ok N - # SKIP reason".  Each skip is
# printed with its reason.  With KITH_TEST_TALLY set, the totals are also
# appended to that file as "passed failed skipped label", for
# tests/summary.sh to add up over several runs (make test).
set -u
build=${1:-build}
only=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
skipped=0
failed_names=""
t_start=$(date +%s)

export TZ=UTC LC_ALL=C.UTF-8 CMOCKA_MESSAGE_OUTPUT=stdout
# data shared beside the checkout (../shared), where tests look for it
KITH_SHARED=${KITH_SHARED:-$(cd "$here/.." && pwd)/../shared}
KITH_DATA=${KITH_DATA:-$KITH_SHARED/data}
export KITH_SHARED KITH_DATA
unset KITH_DB KITH_NOW KITH_BUSY_TIMEOUT_MS

# line NAME PASSED FAILED SKIPPED SECONDS
line() {
	printf '%-28s %4d passed, %d failed, %d skipped %5ds\n' "$1" "$2" "$3" "$4" "$5"
}

# unit OUTPUT EXIT NAME SECONDS: counts one cmocka binary's output.  Failed
# and skipped tests are named twice by cmocka (as they end, and in the
# closing list): count distinct names.
unit() {
	p=$(grep -c '^\[       OK \]' "$1")
	f=$(grep '^\[  FAILED  \] ' "$1" | grep -Ev '\] [0-9]+ test\(s\)' | sort -u | wc -l)
	s=$(grep '^\[  SKIPPED \] ' "$1" | grep -Ev '\] [0-9]+ test\(s\)' | sort -u | wc -l)
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$f" -gt 0 ] && failed_names="$failed_names $3"
	line "$3" "$p" "$f" "$s" "$4"
	# the reason is what the test printed just before it skipped
	[ "$s" -gt 0 ] && awk '/^\[ RUN      \]/ { why = "" ; next }
		/^\[  SKIPPED \] / && !/test\(s\)/ && !seen[$0]++ {
			sub(/^\[  SKIPPED \] /, ""); printf "    SKIP %s: %s\n", $0, (why == "" ? "skipped" : why); next }
		!/^\[/ && NF { why = $0 }' "$1"
	return 0
}

if [ "$only" = all ] || [ "$only" = unit ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		out=$(mktemp)
		t0=$(date +%s)
		"$t" >"$out" 2>&1
		rc=$?
		unit "$out" "$rc" "$(basename "$t")" $(($(date +%s) - t0))
		[ "$rc" -ne 0 ] && sed -n '/FAILED\|ERROR\|Assert\|runtime error\|Sanitizer/p' "$out" | head -40
		rm -f "$out"
	done
fi

if [ "$only" = all ] || [ "$only" = cli ]; then
	for t in "$here"/cli/test_*.sh; do
		[ -f "$t" ] || continue
		out=$(mktemp)
		t0=$(date +%s)
		KITH="$(cd "$build" && pwd)/kith" JSONQ="$(cd "$build" && pwd)/tests/tools/jsonq" \
			sh "$t" >"$out" 2>&1
		rc=$?
		secs=$(($(date +%s) - t0))
		# TAP: "ok N - name # SKIP reason" (any case) is a skip
		s=$(grep -ci '^ok [^#]*# *skip' "$out")
		p=$(($(grep -c '^ok ' "$out") - s))
		f=$(grep -c '^not ok ' "$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
		name=$(basename "$t")
		[ "$f" -gt 0 ] && failed_names="$failed_names $name"
		line "$name" "$p" "$f" "$s" "$secs"
		[ "$s" -gt 0 ] && grep -i '^ok [^#]*# *skip' "$out" |
			sed -e 's/^ok [0-9]* *-\{0,1\} *//' -e 's/^# *[Ss][Kk][Ii][Pp] *//' -e 's/^/    SKIP /'
		[ "$f" -gt 0 ] && grep -A8 '^not ok' "$out" | head -60
		rm -f "$out"
	done
fi

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$build, $only: $(($(date +%s) - t_start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ -n "${KITH_TEST_TALLY:-}" ] && echo "$passed $failed $skipped $build-$only" >>"$KITH_TEST_TALLY"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
