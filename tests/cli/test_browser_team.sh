#!/bin/sh
# The web UI's team screens (ways into an organisation, introduction requests,
# goodwill, what leaves with a member, a candidate) in headless Chromium:
# tests/browser/test_ui_team.mjs against a real `kith serve` on a demo database.
exec sh "$(dirname "$0")/browser_run.sh" test_ui_team
