#!/bin/sh
# The API's parity with the CLI (issue 17): tests/http/test_api_parity.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_api_parity.py" "$KITH"
