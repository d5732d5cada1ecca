#!/usr/bin/env python3
"""Imports in a team, against real `kith serve`s on loopback.

Prints TAP lines.  Usage: test_import_team.py KITH_BINARY REPO_ROOT
- a private import leaves a team person as every other member sees it;
- a member's import of records matching another member's private person
  (by email, phone, name at an org, source key) answers and writes
  exactly what it does when that person is absent: two databases that
  differ only in that person are compared byte for byte;
- reads, sign-in with a token never used, and a dry run go on while
  another process holds the database's write lock;
- other members' small writes go on during a large import and a large
  dry run (their p99 is printed), and importing the file again changes
  nothing.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

KITH, ROOT = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="kith-imp-")
N = 0
FAILED = 0
# Under a sanitizer every request is several times slower: the bound on
# others' writes is the issue's 200 ms for a plain build.
SLOW = "asan" in KITH or os.environ.get("KITH_SLOW")
P99_BOUND = 1.0 if SLOW else 0.2
CARDS = 8000 if SLOW else 20000


def check(name, cond, detail=""):
    global N, FAILED
    N += 1
    if cond:
        print(f"ok {N} - {name}")
    else:
        FAILED += 1
        print(f"not ok {N} - {name}")
        if detail:
            print("#   " + str(detail)[:800].replace("\n", "\n#   "))
    sys.stdout.flush()


class Server:
    def __init__(self, name):
        self.db = os.path.join(TMP, name + ".db")
        self.env = dict(os.environ, KITH_DB=self.db, KITH_NOW="2026-11-23T12:00:00Z")
        self.kith("init", "--me", "Alex Morgan", "--email", "alex@kith.example")
        self.tok = {}
        for who, extra in (("alex", ["--person", "me"]), ("bo", []), ("cy", [])):
            self.tok[who] = json.loads(self.kith("--json", "member", "add", who, *extra))["token"]
        self.srv = subprocess.Popen([KITH, "serve", "--listen", "127.0.0.1:0"], env=self.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = self.srv.stdout.readline().strip().split(" at ")[-1]

    def kith(self, *args):
        return subprocess.run([KITH, *args], env=self.env, capture_output=True, text=True,
                              check=True).stdout

    def call(self, method, path, who, body=None, raw=None, timeout=60):
        """(status, body bytes, seconds)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", "Bearer " + (self.tok.get(who) or who))
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                st, text = r.status, r.read()
        except urllib.error.HTTPError as e:
            st, text = e.code, e.read()
        except OSError as e:
            st, text = 0, str(e).encode()
        return st, text, time.monotonic() - t0

    def j(self, method, path, who, **kw):
        st, text, _ = self.call(method, path, who, **kw)
        try:
            return st, json.loads(text)
        except ValueError:
            return st, text

    def stop(self):
        self.srv.terminate()
        try:
            self.srv.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.srv.kill()


def vcard(*lines):
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(l + "\r\n" for l in lines) + "END:VCARD\r\n"


# ---- a hidden match answers as an absent one (issue 15, item 4) ---------------
# Two databases, alike but for bo's private person: Priya (hidden) holds
# the email, phone, name at Acme Team and source key alex's file matches;
# Quinn (absent) holds none of them.  Ids line up, so alex's answers and
# views must be the same bytes in both.
BO_CARD = {
    "hidden": vcard("UID:uid-bo-1", "FN:Priya Hidden", "EMAIL:priya@hidden.example",
                    "TEL:+33 6 11 22 33 44", "ORG:Acme Team", "TITLE:Founder", "NOTE:bo's secret"),
    "absent": vcard("UID:uid-bo-2", "FN:Quinn Other", "EMAIL:quinn@other.example",
                    "TEL:+33 6 99 88 77 66", "ORG:Acme Team", "TITLE:Founder", "NOTE:bo's secret"),
}
ALEX_FILE = (vcard("FN:Priya Hidden", "EMAIL:Priya@Hidden.example", "NOTE:met at a fair",
                   "CATEGORIES:vip") +
             vcard("FN:Pat Phone", "TEL:0033 6 11 22 33 44") +
             vcard("FN:Priya Hidden", "ORG:Acme Team", "TITLE:Sales") +
             vcard("UID:uid-bo-1", "FN:Uma Uid", "EMAIL:uma@uid.example")).encode()

srv = {}
answers = {}
for name in ("hidden", "absent"):
    s = srv[name] = Server(name)
    st, org = s.j("POST", "api/v1/orgs", "bo", body={"name": "Acme Team"})
    st, rep = s.j("POST", "api/v1/import?private=1", "bo", raw=BO_CARD[name].encode())
    check(f"{name}: bo's private import", st == 201 and rep["new"] == 1, rep)
    st, lst = s.j("GET", "api/v1/people?limit=100", "bo")
    bo_private = [p["id"] for p in lst["items"] if p.get("private")]
    before = [s.call("GET", f"api/v1/people/{pid}", "bo")[1] for pid in bo_private]
    before += [s.call("GET", f"api/v1/people/{pid}/notes", "bo")[1] for pid in bo_private]
    got = answers[name] = {}
    got["dry"] = s.call("POST", "api/v1/import?dry_run=1", "alex", raw=ALEX_FILE)[:2]
    got["real"] = s.call("POST", "api/v1/import", "alex", raw=ALEX_FILE)[:2]
    got["again"] = s.call("POST", "api/v1/import", "alex", raw=ALEX_FILE)[:2]
    got["list"] = s.call("GET", "api/v1/people?limit=100", "alex")[:2]
    got["search"] = s.call("GET", "api/v1/search?q=priya", "alex")[:2]
    ids = [p["id"] for p in json.loads(got["list"][1])["items"]]
    got["people"] = [s.call("GET", f"api/v1/people/{i}", "alex")[:2] for i in ids]
    after = [s.call("GET", f"api/v1/people/{pid}", "bo")[1] for pid in bo_private]
    after += [s.call("GET", f"api/v1/people/{pid}/notes", "bo")[1] for pid in bo_private]
    check(f"{name}: bo's private person is as it was", bo_private and before == after,
          (before, after))
    got["bo_count"] = len(json.loads(s.call("GET", "api/v1/people?limit=100", "bo")[1])["items"])

h, a = answers["hidden"], answers["absent"]
rep = json.loads(h["dry"][1])
check("dry run: four new people, nothing merged", h["dry"][0] == 200 and rep["new"] == 4 and
      rep["merged"] == 0 and rep["unchanged"] == 0, rep)
check("dry run report: same bytes for a hidden and an absent match", h["dry"] == a["dry"],
      (h["dry"], a["dry"]))
check("import report: same bytes for a hidden and an absent match", h["real"] == a["real"],
      (h["real"], a["real"]))
check("import again: unchanged, same bytes", h["again"] == a["again"] and
      json.loads(h["again"][1])["unchanged"] == 4, (h["again"], a["again"]))
check("alex's people afterwards: same bytes", h["list"] == a["list"] and h["people"] == a["people"],
      (h["list"], a["list"]))
check("alex's search afterwards: same bytes", h["search"] == a["search"], (h["search"], a["search"]))
alex_priya = [json.loads(b) for st, b in h["people"] if b'"Priya Hidden"' in b]
check("alex's Priya keeps the email bo's private Priya has",
      any("priya@hidden.example" in [e.lower() for e in p.get("emails", [])] for p in alex_priya),
      alex_priya)
check("bo sees alex's new team people and their own", h["bo_count"] == a["bo_count"],
      (h["bo_count"], a["bo_count"]))
srv["absent"].stop()

# ---- a private import leaves team people alone (item 3) -----------------------
s = srv["hidden"]
st, team = s.j("POST", "api/v1/people", "bo", body={"display_name": "Tara Team",
                                                 "emails": ["tara@team.example"],
                                                 "tags": ["crew"]})
tid = team["id"]
views = lambda: [s.call("GET", path, who)[:2] for who in ("bo", "cy")
                 for path in (f"api/v1/people/{tid}", f"api/v1/people/{tid}/notes",
                              f"api/v1/people/{tid}/timeline", "api/v1/search?q=tara",
                              "api/v1/search?q=secretalt")]
before = views()
card = vcard("FN:Tara Team", "EMAIL:tara@team.example", "EMAIL:tara@secretalt.example",
             "TEL:+33 6 55 44 33 22", "NOTE:alex's private thoughts", "CATEGORIES:secretalt",
             "ORG:Secret Alt Corp", "TITLE:Mole")
st, rep = s.j("POST", "api/v1/import?private=1", "alex", raw=card.encode())
check("private import matching a team person: skipped and said why",
      st == 201 and rep["skipped"] == 1 and rep["merged"] == 0 and rep["new"] == 0 and
      any("team person" in i["reason"] for i in rep["issues"]), rep)
check("the team person is as every other member saw it", views() == before, (before, views()))
st, rep = s.j("POST", "api/v1/import?private=1&dry_run=1", "alex", raw=card.encode())
check("a dry run says the same", st == 200 and rep["skipped"] == 1, rep)
own = vcard("FN:Olga Own", "EMAIL:olga@own.example")
st, rep = s.j("POST", "api/v1/import?private=1", "alex", raw=own.encode())
st, rep = s.j("POST", "api/v1/import?private=1", "alex",
              raw=vcard("FN:Olga Own", "EMAIL:olga@own.example", "TEL:+33 6 10 20 30 40").encode())
check("a private import still merges into the importer's own private person",
      st == 201 and rep["merged"] == 1, rep)

# ---- reads go on while another process holds the write lock (item 8) ----------
fresh = json.loads(s.kith("--json", "member", "token", "cy"))["token"]
holder = subprocess.Popen(["sqlite3", s.db], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
holder.stdin.write("BEGIN IMMEDIATE;\nUPDATE config SET value = value;\nSELECT 'locked';\n")
holder.stdin.flush()
check("another process holds the write lock", holder.stdout.readline().strip() == "locked")
times = {}
for who, path in (("alex", "api/v1/people?limit=5"), ("bo", "api/v1/search?q=tara"),
                  ("alex", "api/v1/path?to=2"), ("cy", "api/v1/me")):
    st, _, t = s.call("GET", path, who)
    times[path] = (st, round(t, 3))
check("reads answer within 1 s meanwhile", all(st == 200 and t < 1 for st, t in times.values()), times)
st, _, t = s.call("GET", "api/v1/me", fresh)
check("a token's first use (its last_used note) does not wait for the lock", st == 200 and t < 1,
      (st, t))
st, body, t = s.call("POST", "api/v1/import?dry_run=1", "bo",
                     raw=vcard("FN:Dry Run", "EMAIL:dry@run.example").encode())
check("a dry run answers meanwhile: it takes no write lock", st == 200 and t < 1 and
      json.loads(body)["new"] == 1, (st, body, t))
holder.stdin.write("COMMIT;\n")
holder.stdin.close()
holder.wait(timeout=10)

# ---- others write during a large import and a large dry run (item 8) ----------
# Over 2 MiB, the size from which a server import goes by batches.
big = "".join(vcard(f"UID:bulk-{i}", f"FN:Bulk Person {i}", f"EMAIL:p{i}@bulk.example",
                    f"TEL:+3361{i:07d}", f"ORG:Bulk Org {i % 300}", "CATEGORIES:bulk",
                    "NOTE:" + "n" * 160)
              for i in range(CARDS)).encode()
check("the large file is over 2 MiB", len(big) > 2 << 20, len(big))


def during(query):
    """Runs alex's import of big while bo writes; (status, report, seconds, latencies)."""
    lat, stop = [], threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            st, _, t = s.call("POST", "api/v1/people", "bo", body={"display_name": f"W {query} {i}"})
            lat.append((t, st))
            i += 1
            time.sleep(0.01)

    th = threading.Thread(target=writer)
    th.start()
    time.sleep(0.2)
    st, body, t = s.call("POST", "api/v1/import" + query, "alex", raw=big, timeout=300)
    stop.set()
    th.join()
    try:
        rep = json.loads(body)
    except ValueError:
        rep = body
    return st, rep, t, sorted(lat)


def p99(lat):
    return lat[max(0, -(-len(lat) * 99 // 100) - 1)][0] if lat else 0


# A few dozen writes meet one import, so their p99 is their slowest: one
# stall of the machine (another process's build, a page-cache flush) would
# decide it.  A measurement over the bound is taken once more, and the
# bound must hold in one of the two; both figures are printed.
def fast_enough(lat, least):
    return len(lat) >= least and all(x == 201 for _, x in lat) and p99(lat) < P99_BOUND


st, rep, t, lat = during("?dry_run=1")
print(f"# dry run of {CARDS} cards ({len(big)} bytes): {t:.2f} s; bo's writes meanwhile:"
      f" {len(lat)}, p99 {p99(lat) * 1000:.0f} ms, max {lat[-1][0] * 1000:.0f} ms")
check("large dry run", st == 200 and rep["new"] == CARDS, rep)
if not fast_enough(lat, 1):
    st, rep, t, lat = during("?dry_run=1")
    print(f"# again: p99 {p99(lat) * 1000:.0f} ms")
check(f"others' writes during a dry run: all done, p99 under {P99_BOUND * 1000:.0f} ms",
      fast_enough(lat, 1), lat[-5:])
st, rep, t, lat = during("")
print(f"# import of {CARDS} cards: {t:.2f} s; bo's writes meanwhile: {len(lat)},"
      f" p99 {p99(lat) * 1000:.0f} ms, max {lat[-1][0] * 1000:.0f} ms")
check("large import", st == 201 and rep["new"] == CARDS, rep)
if not fast_enough(lat, 3):
    # The same writes over a second, new import: the file under other names.
    big, first = (big.replace(b"UID:bulk-", b"UID:bulk2-").replace(b"Bulk ", b"Bulk2 ")
                  .replace(b"@bulk.", b"@bulk2.").replace(b"CATEGORIES:bulk", b"CATEGORIES:bulk2")), big
    st2, rep2, t2, lat = during("")
    big = first
    print(f"# again, {rep2.get('new') if isinstance(rep2, dict) else rep2} new: p99"
          f" {p99(lat) * 1000:.0f} ms")
check(f"others' writes during an import: all done, p99 under {P99_BOUND * 1000:.0f} ms",
      fast_enough(lat, 3), lat[-5:])
st, rep, t, lat = during("")
check("the same file again changes nothing", st == 201 and rep["unchanged"] == CARDS and
      rep["new"] == 0 and rep["merged"] == 0, rep)
st, lst = s.j("GET", "api/v1/people?tag=bulk&limit=1", "bo")
check("every card is one person", st == 200 and lst["total"] == CARDS, lst)
s.stop()
check("the server stops cleanly", s.srv.returncode == 0, s.srv.stderr.read()[-2000:])
out = subprocess.run(["sqlite3", s.db, "PRAGMA integrity_check; PRAGMA foreign_key_check;"],
                     capture_output=True, text=True).stdout.split()
check("the database is sound afterwards", out == ["ok"], out)
print(f"# {N} checks, {FAILED} failed")
sys.exit(1 if FAILED else 0)
