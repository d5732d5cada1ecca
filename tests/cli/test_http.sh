#!/bin/sh
# The HTTP API against a real server on loopback: tests/http/test_api.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_api.py" "$KITH" "$here"
