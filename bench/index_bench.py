#!/usr/bin/env python3
"""Whole-process figures for the graph index (docs/graph.md, "The index file").

    bench/index_bench.py KITH DB [--runs N] [--members M]

DB is a network written by build/bench/index_bench (which also writes its
index).  Prints a table: `kith path`, `intro`, `near --within 2`, `mutual`
wall-clock p50 with the files in the page cache; the first run after the
database and index were dropped from the cache; `kith path` after one
`kith link`; `kith serve` start to first answer; and the server's RSS after
serving one member and after serving M members.

The cache is dropped with /proc/sys/vm/drop_caches when that is allowed,
else with posix_fadvise(DONTNEED) on the database and index files only
(the table says which).
"""
import concurrent.futures
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request

from kithbench import member_tokens, print_table, rss

KITH, DB = sys.argv[1], sys.argv[2]
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 30
MEMBERS = int(sys.argv[sys.argv.index("--members") + 1]) if "--members" in sys.argv else 50
ENV = dict(os.environ, KITH_DB=DB)


CPU = []   # CPU ms (user + sys) of each run, beside its wall time


def run(*args, check=True):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run([KITH, "--db", DB, *args], capture_output=True, text=True, env=ENV)
    dt = (time.monotonic() - t0) * 1000
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
    if check and p.returncode != 0:
        sys.exit("failed: kith %s: %s" % (" ".join(args), p.stderr.strip()))
    return dt, p.stdout


def timed(args):
    """Wall p50 and CPU p50 of args run for every pair."""
    del CPU[:]
    ts = [run(*args(a, b))[0] for a, b in pairs]
    return "%.1f ms (CPU %.1f ms)" % (statistics.median(ts), statistics.median(CPU))


def drop_caches():
    try:
        subprocess.run(["sync"], check=True)
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return "drop_caches"
    except OSError:
        for f in (DB, DB + "-wal", DB + ".graph"):
            if os.path.exists(f):
                fd = os.open(f, os.O_RDONLY)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                os.close(fd)
        return "fadvise DONTNEED on the db and index (drop_caches not permitted)"


con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True)
ids = [r[0] for r in con.execute("SELECT id FROM person ORDER BY id")]
con.close()
rnd = random.Random(7)
pairs = [(rnd.choice(ids), rnd.choice(ids)) for _ in range(RUNS)]
rows = []

run("path", str(pairs[0][0]), str(pairs[0][1]))   # makes the index if missing
rows.append(("kith --version (the process floor)", timed(lambda a, b: ["--version"])))
for name, args in (("path", lambda a, b: ["path", str(a), str(b)]),
                   ("intro", lambda a, b: ["intro", str(b), "--from", str(a)]),
                   ("near --within 2", lambda a, b: ["near", str(a), "--within", "2"]),
                   ("mutual", lambda a, b: ["mutual", str(a), str(b)])):
    rows.append(("kith %s p50 (warm)" % name, timed(args)))

how = drop_caches()
rows.append(("kith path, first run after dropping caches", "%.1f ms" % run(
    "path", str(pairs[1 % len(pairs)][0]), str(pairs[1 % len(pairs)][1]))[0]))

a, b = pairs[2 % len(pairs)]
if a == b:
    b = ids[0] if a != ids[0] else ids[1]
run("kind", "add", "bench", check=False)   # a kind of its own: the link is new
run("link", str(a), str(b), "--kind", "bench")
rows.append(("kith path after one kith link", "%.1f ms" % run("path", str(a), str(b))[0]))
rows.append(("kith path again (same overlay)", "%.1f ms" % run("path", str(a), str(b))[0]))
run("unlink", str(a), str(b), "--kind", "bench")

# ---- the server ---------------------------------------------------------------
tokens = member_tokens(lambda *a, check=True: run(*a, check=check)[1], MEMBERS,
                       lambda i: ids[i])


def ask(url, token, a, b):
    req = urllib.request.Request("%s/api/v1/path?from=%d&to=%d" % (url, a, b))
    req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status


t0 = time.monotonic()
srv = subprocess.Popen([KITH, "--db", DB, "serve", "--listen", "127.0.0.1:0", "--threads", "2"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
url = srv.stdout.readline().strip().split(" at ")[-1]
ask(url, tokens[0], *pairs[3 % len(pairs)])
rows.append(("kith serve: start to first answer", "%.0f ms" % ((time.monotonic() - t0) * 1000)))


def asks(jobs):
    """Ask (token, a, b) jobs from four client threads at once, so that every
    worker thread of the server answers some: each keeps its own search
    scratch (about 20 bytes a person), which is per thread, not per member."""
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda j: ask(url, *j), jobs))


asks([(tokens[0], *pairs[k % len(pairs)]) for k in range(24)])
one, one_anon = rss(srv.pid), rss(srv.pid, "RssAnon")
asks([(t, *pairs[k % len(pairs)]) for t in tokens for k in range(3)])
many, many_anon = rss(srv.pid), rss(srv.pid, "RssAnon")
srv.terminate()
srv.wait()
rows.append(("server RSS, 1 member", "%.0f MB (private %.0f MB)" % (one, one_anon)))
rows.append(("server RSS, %d members" % len(tokens), "%.0f MB (%+.1f %%; private %.0f MB)" % (
    many, (many / one - 1) * 100, many_anon)))

print_table(rows, "cache: " + how)
