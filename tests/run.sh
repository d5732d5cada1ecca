#!/bin/sh
# Runs kith's tests and prints one closing line "N passed, N failed".
#   tests/run.sh BUILD_DIR [unit|cli]
# Unit tests are the cmocka binaries BUILD_DIR/tests/test_*; CLI tests are
# tests/cli/test_*.sh, which print TAP lines ("ok"/"not ok") and run the
# real kith binary in a temporary directory.
set -u
build=${1:-build}
only=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
failed_names=""

export TZ=UTC LC_ALL=C.UTF-8 CMOCKA_MESSAGE_OUTPUT=stdout
unset KITH_DB KITH_NOW KITH_BUSY_TIMEOUT_MS

count() { # output file, exit code, name
	p=$(grep -c '^\[       OK \]' "$1")
	f=$(grep -c '^\[  FAILED  \] [a-z_]' "$1")
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -gt 0 ] && failed_names="$failed_names $3"
	printf '%-28s %4d passed, %d failed\n' "$3" "$p" "$f"
}

if [ "$only" = all ] || [ "$only" = unit ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		out=$(mktemp)
		"$t" >"$out" 2>&1
		rc=$?
		count "$out" "$rc" "$(basename "$t")"
		[ "$rc" -ne 0 ] && sed -n '/FAILED\|ERROR\|Assert\|runtime error\|Sanitizer/p' "$out" | head -40
		rm -f "$out"
	done
fi

if [ "$only" = all ] || [ "$only" = cli ]; then
	for t in "$here"/cli/test_*.sh; do
		[ -f "$t" ] || continue
		out=$(mktemp)
		KITH="$(cd "$build" && pwd)/kith" JSONQ="$(cd "$build" && pwd)/tests/tools/jsonq" \
			sh "$t" >"$out" 2>&1
		rc=$?
		p=$(grep -c '^ok ' "$out")
		f=$(grep -c '^not ok ' "$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		passed=$((passed + p))
		failed=$((failed + f))
		name=$(basename "$t")
		[ "$f" -gt 0 ] && failed_names="$failed_names $name"
		printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
		[ "$f" -gt 0 ] && grep -A8 '^not ok' "$out" | head -60
		rm -f "$out"
	done
fi

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
