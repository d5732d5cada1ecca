#!/bin/sh
# Team intelligence over HTTP and the CLI: tests/http/test_team.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_team.py" "$KITH"
