#!/usr/bin/env python3
"""Team intelligence at scale (docs/team.md, "Figures").

    bench/ways_bench.py KITH DB [--members M] [--employees E] [--runs N] [--candidates C]

DB is a benchmark network (bench/gen_network.sh; KITH_BENCH_LINKS=32 for
the 1M people / 16M links run).  The first run adds M members (bench0..,
each a random person of the network) and an organisation "Bench Org E"
with E people working there (random people, current jobs), then keeps
them.  Then it starts `kith serve --threads 2` and measures, over HTTP as
the API is used:

- GET /api/v1/orgs/{id}/ways: server start to the first answer, then
  p50/p95 over N requests spread over all members (each member's view);
- the server's RSS after one member's requests, and after all M members'
  (each a mask over the one shared index, not a copy);
- GET /api/v1/people/{id}/candidate and GET /api/v1/leaves, p50.

Prints a table with the machine it ran on.  A benchmark, not a test.
"""
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

from kithbench import member_tokens, print_table, rss

KITH, DB = sys.argv[1], sys.argv[2]


def opt(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


MEMBERS = opt("--members", 50)
EMPLOYEES = opt("--employees", 50)
RUNS = opt("--runs", 100)
CANDIDATES = opt("--candidates", 20)
ENV = dict(os.environ, KITH_DB=DB)
ORG = "Bench Org %d" % EMPLOYEES


def kith(*args, check=True):
    p = subprocess.run([KITH, "--db", DB, *args], capture_output=True, text=True, env=ENV)
    if check and p.returncode != 0:
        sys.exit("failed: kith %s: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout


con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True)
npeople = con.execute("SELECT max(id) FROM person").fetchone()[0]
org = con.execute("SELECT id FROM org WHERE name = ?", (ORG,)).fetchone()
con.close()
rnd = random.Random(18)

t0 = time.monotonic()
tokens = member_tokens(lambda *a, check=True: kith(*a, check=check), MEMBERS,
                       lambda i: rnd.randrange(2, npeople))
if not org:
    for pid in rnd.sample(range(2, npeople), EMPLOYEES):
        kith("work", "#%d" % pid, ORG, "--title", rnd.choice(["Engineer", "Partner", "CFO"]),
             "--from", "2021")
    con = sqlite3.connect("file:%s?mode=ro" % DB, uri=True)
    org = con.execute("SELECT id FROM org WHERE name = ?", (ORG,)).fetchone()
    con.close()
org = org[0]
setup = time.monotonic() - t0


def get(url, token, path):
    req = urllib.request.Request(url + path)
    req.add_header("Authorization", "Bearer " + token)
    t = time.monotonic()
    with urllib.request.urlopen(req, timeout=600) as r:
        body = r.read()
    return (time.monotonic() - t) * 1000, json.loads(body)


def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(q * len(v)))]


rows = []
t0 = time.monotonic()
srv = subprocess.Popen([KITH, "--db", DB, "serve", "--listen", "127.0.0.1:0", "--threads", "2",
                        "--access-log", "off"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=ENV)
url = srv.stdout.readline().strip().split(" at ")[-1].rstrip("/")
ms, body = get(url, tokens[0], "/api/v1/orgs/%d/ways" % org)
rows.append(("kith serve: start to the first ways answer", "%.0f ms" % ((time.monotonic() - t0) * 1000)))
reached = sum(1 for w in body["items"] if w.get("best"))
rows.append(("people at the organisation / reached by some member",
             "%d / %d" % (body["people"], reached)))
one_times = [get(url, tokens[0], "/api/v1/orgs/%d/ways" % org)[0] for _ in range(RUNS // 2)]
one = rss(srv.pid)
# Each member's first request opens their view on a server thread (a
# read handle and their mask over the shared index); then every member
# asks in turn, RUNS requests in all.
first = [get(url, t, "/api/v1/orgs/%d/ways" % org)[0] for t in tokens for _ in range(2)]
times = []
for k in range(RUNS):
    times.append(get(url, tokens[k % len(tokens)], "/api/v1/orgs/%d/ways" % org)[0])
many = rss(srv.pid)
rows.append(("ways into an org of %d, one member, p50 / p95" % EMPLOYEES,
             "%.1f / %.1f ms" % (statistics.median(one_times), pct(one_times, 0.95))))
rows.append(("ways, each member's first two requests (views opened), p50 / p95",
             "%.1f / %.1f ms" % (statistics.median(first), pct(first, 0.95))))
rows.append(("ways into an org of %d, %d members in turn, p50 / p95" % (EMPLOYEES, len(tokens)),
             "%.1f / %.1f ms" % (statistics.median(times), pct(times, 0.95))))
cand, refused = [], 0
for k in range(CANDIDATES):
    try:
        cand.append(get(url, tokens[k % len(tokens)],
                        "/api/v1/people/%d/candidate" % rnd.randrange(2, npeople))[0])
    except urllib.error.HTTPError as e:
        refused += 1
        print("candidate: HTTP %d" % e.code, file=sys.stderr)
rows.append(("candidate (random person), p50 / p95%s" % (", %d refused" % refused if refused else ""),
             "%.1f / %.1f ms" % (statistics.median(cand), pct(cand, 0.95)) if cand else "none answered"))
srv.terminate()
srv.wait()
rows.append(("server RSS after 1 member", "%.0f MB" % one))
rows.append(("server RSS after %d members" % len(tokens), "%.0f MB (%+.1f %%)" % (many, (many / one - 1) * 100)))

print_table(rows, "network: %d people; setup (members, organisation) %.0f s" % (npeople, setup))
