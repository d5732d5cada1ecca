#!/bin/sh
# The README's tour, run on the demo `make run` builds: tests/cli/readme_tour.py.
here=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$here/tests/cli/readme_tour.py" "${KITH:-$here/build/kith}" "$here"
