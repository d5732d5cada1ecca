#!/usr/bin/env python3
"""The layer check: calls go only down the floors, and no files call each
other in a circle.

    scripts/layers.py BUILD_DIR [LAYERS_FILE]

Reads the floor order from LAYERS_FILE (default: layers.txt beside the
Makefile): one line per floor, lowest first, each naming its folders
(several folders on one line are siblings, which may not call each other).
Then runs `nm -P` on every object under BUILD_DIR/src, BUILD_DIR/server and
BUILD_DIR/cli, maps each defined symbol (T, D, B, R) to the object that
defines it and each undefined one (U) to the object that needs it, and
fails, naming caller and callee, on

  - a call to a higher floor, or to a sibling folder on the same floor;
  - a circle of files (objects that reach each other through their calls),
    named file by file;
  - an object in a folder no floor names.

Written by hand: it is forty lines over nm, and no packaged tool knows
kith's floors.
"""
import os
import subprocess
import sys


def floors_of(path):
    floor = {}
    with open(path) as f:
        for n, line in enumerate(l.split("#")[0].split() for l in f):
            for folder in line:
                floor[folder.rstrip("/")] = (n, folder.rstrip("/"))
    return floor


def folder_of(obj, build, floor):
    """The folder of obj as layers.txt names it; None when no floor does
    (a new folder must be given its floor, not fall to the one above)."""
    rel = os.path.relpath(os.path.dirname(obj), build)
    return rel if rel in floor else None


def symbols(obj):
    out = subprocess.run(["nm", "-P", obj], capture_output=True, text=True, check=True).stdout
    defined, needed = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind in "TDBR":
            defined.add(name)
        elif kind == "U":
            needed.add(name)
    return defined, needed


def circles(edges):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    build = sys.argv[1]
    layers = sys.argv[2] if len(sys.argv) > 2 else \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "layers.txt")
    floor = floors_of(layers)
    objs = []
    for top in ("src", "server", "cli"):
        for root, _, files in os.walk(os.path.join(build, top)):
            objs += [os.path.join(root, f) for f in files if f.endswith(".o")]
    owner, needs, bad = {}, {}, []
    for o in sorted(objs):
        d, u = symbols(o)
        for s in d:
            owner[s] = o
        needs[o] = u
        if folder_of(o, build, floor) is None:
            bad.append(f"{os.path.relpath(o, build)}: in no floor of {layers}")
    edges = {}
    for o, u in needs.items():
        fo = folder_of(o, build, floor)
        for s in sorted(u):
            callee = owner.get(s)
            if not callee or callee == o:
                continue
            edges.setdefault(o, set()).add(callee)
            fc = folder_of(callee, build, floor)
            if fo is None or fc is None or fo == fc:
                continue
            (lo, _), (lc, _) = floor[fo], floor[fc]
            if lc > lo:
                bad.append(f"{os.path.relpath(o, build)} calls {s} in "
                           f"{os.path.relpath(callee, build)}: up from {fo}/ to {fc}/")
            elif lc == lo:
                bad.append(f"{os.path.relpath(o, build)} calls {s} in "
                           f"{os.path.relpath(callee, build)}: sideways, {fo}/ and {fc}/"
                           f" share a floor")
    for comp in circles(edges):
        bad.append("a circle of files: " + " -> ".join(os.path.relpath(c, build) for c in comp))
    for b in bad:
        print("layers: " + b)
    print(f"layers: {len(objs)} objects, {sum(len(v) for v in edges.values())} file-to-file"
          f" calls, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
