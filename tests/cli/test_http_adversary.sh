#!/bin/sh
# Three members against each other on a real server: tests/http/test_adversary.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_adversary.py" "$KITH" "$here"
