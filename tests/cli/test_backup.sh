#!/bin/sh
# Backup, restore, check and the JSON round trip against a real server: tests/http/test_backup.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/http/test_backup.py" "$KITH"
