# Helpers for CLI tests: each test script sources this, runs the real kith
# binary ($KITH) in a fresh temporary directory and prints TAP lines.
set -u
: "${KITH:?KITH must point at the kith binary}"
: "${JSONQ:?JSONQ must point at the jsonq tool}"
T_N=0
# the checkout, and the data shared beside it (../shared/data: real corpora
# and graphs), before the cd below
T_TOP=$(cd "$(dirname "$0")/../.." && pwd)
T_SHARED=${KITH_SHARED:-$T_TOP/../shared}
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kith-cli-XXXXXX")
trap 'rm -rf "$T_DIR"' EXIT
cd "$T_DIR" || exit 1
export KITH_DB="$T_DIR/k.db"
OUT="$T_DIR/.out"
ERR="$T_DIR/.err"

k() { "$KITH" "$@"; }

_report() { # ok? name
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		echo "#   stdout: $(head -c 600 "$OUT")"
		echo "#   stderr: $(head -c 600 "$ERR")"
	fi
}

# ok NAME CMD...: CMD succeeds.
ok() {
	name=$1; shift
	"$@" >"$OUT" 2>"$ERR"
	_report $? "$name"
}

# fails NAME CODE PATTERN CMD...: CMD exits with CODE, prints one line on
# stderr matching PATTERN, and prints nothing on stdout.
fails() {
	name=$1 code=$2 pat=$3; shift 3
	"$@" >"$OUT" 2>"$ERR"
	rc=$?
	r=0
	[ "$rc" -eq "$code" ] || { r=1; echo "#   exit $rc, wanted $code"; }
	grep -q -- "$pat" "$ERR" || { r=1; echo "#   stderr lacks: $pat"; }
	[ ! -s "$OUT" ] || { r=1; echo "#   stdout not empty"; }
	_report $r "$name"
}

# has NAME PATTERN CMD...: CMD succeeds and stdout matches PATTERN.
has() {
	name=$1 pat=$2; shift 2
	"$@" >"$OUT" 2>"$ERR"
	rc=$?
	r=0
	[ "$rc" -eq 0 ] || { r=1; echo "#   exit $rc"; }
	grep -q -- "$pat" "$OUT" || { r=1; echo "#   stdout lacks: $pat"; }
	_report $r "$name"
}

# same NAME EXPECTED ACTUAL
same() {
	[ "$2" = "$3" ]
	r=$?
	[ $r -eq 0 ] || echo "#   wanted '$2', got '$3'"
	printf '' >"$OUT"; printf '' >"$ERR"
	_report $r "$1"
}

# A digest of the database content, to prove a refused command changed nothing.
db_digest() {
	sqlite3 "$KITH_DB" .dump | md5sum | cut -d' ' -f1
}
