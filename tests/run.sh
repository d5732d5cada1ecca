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
#
# KITH_TEST_JOBS (default 1) test files run at once; the ones that time
# themselves or kill processes on a schedule (SERIAL below) run alone
# after them.  Results are printed in file order either way.
set -u
build=${1:-build}
only=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
jobs=${KITH_TEST_JOBS:-1}
passed=0
failed=0
skipped=0
failed_names=""
t_start=$(date +%s)
SERIAL="test_browser.sh test_crash.sh test_http_kill.sh test_http_hardening.sh test_http_faults.sh"

export TZ=UTC LC_ALL=C.UTF-8 CMOCKA_MESSAGE_OUTPUT=stdout
# data shared beside the checkout (../shared), where tests look for it
KITH_SHARED=${KITH_SHARED:-$(cd "$here/.." && pwd)/../shared}
KITH_DATA=${KITH_DATA:-$KITH_SHARED/data}
KITH=$(cd "$build" && pwd)/kith
JSONQ=$(cd "$build" && pwd)/tests/tools/jsonq
export KITH_SHARED KITH_DATA KITH JSONQ
unset KITH_DB KITH_NOW KITH_BUSY_TIMEOUT_MS KITH_LISTEN KITH_THREADS KITH_PER_IP \
	KITH_REQUEST_TIME KITH_IMPORT_TIME KITH_STOP_TIME KITH_WEB KITH_ACCESS_LOG
# No config file of this machine's (/etc/kith/kith.conf, ~/.config/kith)
# reaches a test: one that reads config files names its own.
export KITH_CONFIG=/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/kith-run-XXXXXX")
trap 'rm -rf "$work"' EXIT

# line NAME PASSED FAILED SKIPPED SECONDS
line() {
	printf '%-28s %4d passed, %d failed, %d skipped %5ds\n' "$1" "$2" "$3" "$4" "$5"
}

# ONE, as sh -c "$ONE" sh TEST DIR: runs a unit binary or a CLI script
# into DIR/NAME.{out,rc,s} (its output, exit status and seconds).
ONE='n=$(basename "$1"); t0=$(date +%s)
case $1 in *.sh) sh "$1" ;; *) "$1" ;; esac >"$2/$n.out" 2>&1
echo $? >"$2/$n.rc"; echo $(($(date +%s) - t0)) >"$2/$n.s"'

# run TEST...: the ones not in SERIAL, $jobs at a time, then the others
run() {
	par="" ser=""
	for t in "$@"; do
		case " $SERIAL " in
		*" $(basename "$t") "*) ser="$ser $t" ;;
		*) par="$par $t" ;;
		esac
	done
	# shellcheck disable=SC2086
	[ -n "$par" ] && printf '%s\n' $par | xargs -P "$jobs" -I{} sh -c "$ONE" sh {} "$work"
	for t in $ser; do
		sh -c "$ONE" sh "$t" "$work"
	done
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
	[ "$2" -ne 0 ] && sed -n '/FAILED\|ERROR\|Assert\|runtime error\|Sanitizer/p' "$1" | head -40
	return 0
}

# tap OUTPUT EXIT NAME SECONDS: counts one CLI test's TAP lines; "ok N -
# name # SKIP reason" (any case) is a skip.
tap() {
	s=$(grep -ci '^ok [^#]*# *skip' "$1")
	p=$(($(grep -c '^ok ' "$1") - s))
	f=$(grep -c '^not ok ' "$1")
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$f" -gt 0 ] && failed_names="$failed_names $3"
	line "$3" "$p" "$f" "$s" "$4"
	[ "$s" -gt 0 ] && grep -i '^ok [^#]*# *skip' "$1" |
		sed -e 's/^ok [0-9]* *-\{0,1\} *//' -e 's/^# *[Ss][Kk][Ii][Pp] *//' -e 's/^/    SKIP /'
	[ "$f" -gt 0 ] && { grep -A8 '^not ok' "$1" | head -60; [ "$2" -ne 0 ] && tail -5 "$1"; }
	return 0
}

tests=""
if [ "$only" = all ] || [ "$only" = unit ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] && tests="$tests $t"
	done
fi
if [ "$only" = all ] || [ "$only" = cli ]; then
	for t in "$here"/cli/test_*.sh; do
		[ -f "$t" ] && tests="$tests $t"
	done
fi
# shellcheck disable=SC2086
run $tests
for t in $tests; do
	n=$(basename "$t")
	case $t in
	*.sh) tap "$work/$n.out" "$(cat "$work/$n.rc")" "$n" "$(cat "$work/$n.s")" ;;
	*) unit "$work/$n.out" "$(cat "$work/$n.rc")" "$n" "$(cat "$work/$n.s")" ;;
	esac
done

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$build, $only: $(($(date +%s) - t_start)) s, $jobs at a time"
[ -n "${KITH_TEST_TALLY:-}" ] && echo "$passed $failed $skipped $build-$only" >>"$KITH_TEST_TALLY"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
