#!/bin/sh
# The web UI's create, connect, log and browse flows in headless Chromium:
# tests/browser/test_ui_flows.mjs against a real `kith serve` on a demo database.
exec sh "$(dirname "$0")/browser_run.sh" test_ui_flows
