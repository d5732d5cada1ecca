#!/bin/sh
# Limits, deadlines and headers of kith serve: tests/http/test_hardening.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_hardening.py" "$KITH" "$here"
