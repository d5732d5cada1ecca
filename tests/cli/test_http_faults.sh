#!/bin/sh
# The server with a locked database, a full disk, damaged or foreign
# files: tests/http/test_faults.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_faults.py" "$KITH"
