#!/bin/sh
# More members than a server thread keeps views for: tests/http/test_views.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_views.py" "$KITH"
