#!/usr/bin/env python3
"""The server facing a broken world: a locked database, a full disk, a
damaged or foreign file, a database from a newer kith.  Each gives a
clear answer and leaves the data as it was.
Prints TAP lines.  Usage: test_faults.py KITH_BINARY
"""
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

KITH = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="kith-faults-")
N = 0
FAILED = 0


def check(name, cond, detail=""):
    global N, FAILED
    N += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (N, name))
    if not cond:
        FAILED += 1
        print("#   " + str(detail)[:600].replace("\n", "\n#   "))


def kith(db, *args, check_rc=True):
    return subprocess.run([KITH, "--db", db, *args], capture_output=True, text=True, check=check_rc)


def serve(db, env=None, preexec=None):
    p = subprocess.Popen([KITH, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                         env=dict(os.environ, **(env or {})), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, preexec_fn=preexec)
    line = p.stdout.readline()
    return p, line.strip().split(" at ")[-1]


def call(url, tok, method, path, data=None):
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + tok)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def make_db(name):
    db = os.path.join(TMP, name)
    kith(db, "init", "--me", "Alex Morgan")
    kith(db, "add", "person", "Bo Lind")
    tok = json.loads(kith(db, "--json", "member", "add", "alex", "--person", "me").stdout)["token"]
    return db, tok


# ---- locked by another process: writes wait, then 503; reads go on ------------
db, tok = make_db("locked.db")
srv, url = serve(db, {"KITH_BUSY_TIMEOUT_MS": "300"})
holder = sqlite3.connect(db, isolation_level=None)
holder.execute("BEGIN IMMEDIATE")
s, j = call(url, tok, "POST", "api/v1/interactions", json.dumps({"people": ["me", "Bo Lind"]}).encode())
check("a write on a locked database: 503 busy", s == 503 and j["error"]["code"] == "busy", (s, j))
s, j = call(url, tok, "GET", "api/v1/people")
check("reads go on while another process writes", s == 200 and len(j["items"]) == 2, (s, j))
holder.execute("ROLLBACK")
holder.close()
s, j = call(url, tok, "POST", "api/v1/interactions", json.dumps({"people": ["me", "Bo Lind"]}).encode())
check("the write goes through once the lock is gone", s == 201, (s, j))
srv.terminate()
srv.wait()

# ---- a full disk (file size limit): a clear 507, nothing half-written ---------
db, tok = make_db("full.db")
kith(db, "demo", "--seed", "3")
before = subprocess.run(["sqlite3", db, "SELECT count(*) FROM person"], capture_output=True, text=True).stdout.strip()
size = os.path.getsize(db) + os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else os.path.getsize(db)
limit = size + 64 * 1024


def small_disk():
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


srv, url = serve(db, preexec=small_disk)
cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Full Disk {i}\r\nNOTE:{'x' * 400}\r\n"
                f"EMAIL:full{i}@disk.example\r\nEND:VCARD\r\n" for i in range(3000))
s, j = call(url, tok, "POST", "api/v1/import?format=vcard", cards.encode())
check("an import past the disk's end: 507 with a clear message", s == 507 and
      j["error"]["code"] == "storage" and j["error"]["message"], (s, j))
s, j = call(url, tok, "GET", "api/v1/stats")
check("the server still answers after it", s == 200, (s, j))
srv.terminate()
rc = srv.wait()
check("and stops cleanly", rc == 0, srv.stderr.read())
after = subprocess.run(["sqlite3", db, "SELECT count(*) FROM person; PRAGMA integrity_check"],
                       capture_output=True, text=True).stdout.split()
check("nothing of the import was kept, the file is sound", after == [before, "ok"], (before, after))

# ---- a read-only database (immutable: root ignores permission bits) ----------
db, tok = make_db("ro.db")
kith(db, "demo", "--seed", "5")
if subprocess.run(["chattr", "+i", db], capture_output=True).returncode == 0:
    try:
        srv, url = serve(db)
        s, j = call(url, tok, "GET", "api/v1/stats")
        check("read-only database: reads are served", s == 200 and j["people"] > 100, (s, j))
        s, j = call(url, tok, "POST", "api/v1/people", json.dumps({"display_name": "X"}).encode())
        check("read-only database: a write is a clear 507", s == 507 and "read-only" in j["error"]["message"], (s, j))
        srv.terminate()
        check("and the server stops cleanly", srv.wait() == 0, srv.stderr.read())
    finally:
        subprocess.run(["chattr", "-i", db])
else:
    print("ok - # SKIP chattr +i not supported here")

# ---- a damaged file, a foreign file, a newer schema: refused at start ---------
bad = os.path.join(TMP, "garbage.db")
with open(bad, "wb") as f:
    f.write(os.urandom(8192))
p = subprocess.run([KITH, "--db", bad, "serve", "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=20)
check("a damaged file: refused with one line", p.returncode == 1 and p.stderr.count("\n") == 1 and
      p.stdout == "", p.stderr)
foreign = os.path.join(TMP, "foreign.db")
c = sqlite3.connect(foreign)
c.execute("CREATE TABLE t(x)")
c.commit()
c.close()
p = subprocess.run([KITH, "--db", foreign, "serve", "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=20)
check("another program's database: refused", p.returncode == 1 and "kith" in p.stderr, p.stderr)
db, tok = make_db("newer.db")
c = sqlite3.connect(db)
c.execute("PRAGMA user_version = 999")
c.commit()
c.close()
p = subprocess.run([KITH, "--db", db, "serve", "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=20)
check("a database from a newer kith: refused", p.returncode == 1 and "newer" in p.stderr, p.stderr)
p = subprocess.run([KITH, "--db", os.path.join(TMP, "missing.db"), "serve"], capture_output=True, text=True, timeout=20)
check("no database: refused with the way to make one", p.returncode == 1 and "kith init" in p.stderr, p.stderr)
p = subprocess.run([KITH, "--db", db, "serve", "--listen", "nonsense"], capture_output=True, text=True, timeout=20)
check("a bad listen address: refused", p.returncode == 1 and "HOST:PORT" in p.stderr, p.stderr)
print(f"# {N} checks, {FAILED} failed")
sys.exit(1 if FAILED else 0)
