#!/bin/sh
# kith serve as an administrator meets it: tests/http/test_serve.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_serve.py" "$KITH" "$here"
