#!/bin/sh
# The web interface end to end in headless Chromium: tests/browser/test_ui.mjs
# against a real `kith serve` on a demo database.
exec sh "$(dirname "$0")/browser_run.sh" test_ui
