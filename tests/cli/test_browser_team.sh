#!/bin/sh
# The web UI's team screens (ways into an organisation, introduction requests,
# goodwill, what leaves with a member, a candidate) in headless Chromium:
# tests/browser/test_ui_team.mjs against a real `kith serve` on a demo
# database.  Prints TAP lines; skips where Chromium or Node.js is missing.
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/bin/chromium ]; then
	echo "ok 1 - # SKIP chromium not installed"
	exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "ok 1 - # SKIP node not installed"
	exit 0
fi
if [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
	if ! (cd "$here/tests/browser" && npm ci --no-audit --no-fund >/dev/null 2>&1); then
		echo "not ok 1 - npm ci in tests/browser (playwright-core)"
		exit 1
	fi
fi
exec node "$here/tests/browser/test_ui_team.mjs" "${KITH:-$here/build/kith}" "$here"
