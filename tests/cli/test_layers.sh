#!/bin/sh
# The layer check (scripts/layers.py, layers.txt): the real build has no
# call up or sideways and no circle of files, and a planted one of each
# is caught, naming caller and callee.
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$KITH")" && pwd)
CHECK="python3 $here/scripts/layers.py"

ok "the build keeps to its floors" $CHECK "$BUILD" "$here/layers.txt"

# A tree of three objects: low (src/base) calls up into high (src/record);
# two siblings on one floor (src/insight, src/graph); and two files of one
# folder that call each other.
plant() { # dir/name.c, its code
	mkdir -p "$T_DIR/plant/$(dirname "$1")"
	printf '%s\n' "$2" >"$T_DIR/plant/$1"
	cc -c -o "$T_DIR/plant/${1%.c}.o" "$T_DIR/plant/$1"
}
plant src/base/low.c 'int high_fn(void); int low_fn(void); int low_fn(void) { return high_fn(); }'
plant src/record/high.c 'int high_fn(void); int high_fn(void) { return 1; }'
plant src/insight/side.c 'int graph_fn(void); int side_fn(void); int side_fn(void) { return graph_fn(); }'
plant src/graph/g.c 'int graph_fn(void); int graph_fn(void) { return 2; }'
plant src/store/one.c 'int two_fn(void); int one_fn(void); int one_fn(void) { return two_fn(); }'
plant src/store/two.c 'int one_fn(void); int two_fn(void); int two_fn(void) { return one_fn(); }'
$CHECK "$T_DIR/plant" "$here/layers.txt" >"$OUT" 2>"$ERR"
rc=$?
[ $rc -ne 0 ]; _report $? "a planted tree fails the check"
grep -q 'src/base/low.o calls high_fn in src/record/high.o: up from src/base/ to src/record/' "$OUT"
_report $? "an upward call is named, caller and callee"
grep -q 'src/insight/side.o calls graph_fn in src/graph/g.o: sideways' "$OUT"
_report $? "a sideways call is named"
grep -q 'a circle of files: src/store/one.o -> src/store/two.o' "$OUT"
_report $? "a circle is named file by file"
rm -rf "$T_DIR/plant"
mkdir -p "$T_DIR/plant"
plant src/nowhere/x.c 'int x_fn(void); int x_fn(void) { return 0; }'
$CHECK "$T_DIR/plant" "$here/layers.txt" >"$OUT" 2>"$ERR"
[ $? -ne 0 ] && grep -q 'src/nowhere/x.o: in no floor' "$OUT"
_report $? "an object in no floor fails the check"
echo "1..$T_N"
