#!/bin/sh
# CardDAV with real clients on loopback: tests/dav/test_dav.py (vdirsyncer,
# khard and litmus when installed, a SKIP line when not).
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/dav/test_dav.py" "$KITH" "$here"
