#!/bin/sh
# Imports in a team against real servers: tests/http/test_import_team.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_import_team.py" "$KITH" "$here"
