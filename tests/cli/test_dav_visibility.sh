#!/bin/sh
# CardDAV visibility (ETags and sync tokens per member) and REPORT cost
# bounds against a real server on loopback: tests/dav/test_dav_visibility.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/dav/test_dav_visibility.py" "$KITH" "$here"
