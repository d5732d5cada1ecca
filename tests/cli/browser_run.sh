#!/bin/sh
# Runs one browser test file, tests/browser/NAME.mjs, against a real
# `kith serve` in headless Chromium (playwright-core, installed on first
# use with npm ci).  Prints TAP lines; a missing Chromium or Node.js is a
# skip (an ok line with # SKIP and the reason), never a pass.
#   sh tests/cli/browser_run.sh NAME
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/bin/chromium ]; then
	echo "ok 1 - # SKIP chromium not installed"
	exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "ok 1 - # SKIP node not installed"
	exit 0
fi
# Several browser files run at once: the first installs playwright-core
# while the others wait on the lock, rather than each running npm ci over
# the others' half-installed node_modules.
if ! (
	flock 9
	[ -d "$here/tests/browser/node_modules/playwright-core" ] ||
		(cd "$here/tests/browser" && npm ci --no-audit --no-fund >/dev/null 2>&1)
) 9>"${TMPDIR:-/tmp}/kith-browser-npm.lock"; then
	echo "not ok 1 - npm ci in tests/browser (playwright-core)"
	exit 1
fi
exec node "$here/tests/browser/$1.mjs" "${KITH:-$here/build/kith}" "$here"
