#!/bin/sh
# kill -9 of the server under concurrent writes and imports:
# tests/http/test_kill.py ($KITH_CRASH_TRIALS trials, default 100).
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_kill.py" "$KITH" "${KITH_CRASH_TRIALS:-100}"
