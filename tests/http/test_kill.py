#!/usr/bin/env python3
"""kill -9 of the server under load: nothing answered is lost.

Each trial starts `kith serve`, runs concurrent writers (single
interactions) and one importer (a vCard file of 200 cards that share a
marker), and kills the server with SIGKILL after a random delay.  Then
the database must pass PRAGMA integrity_check, hold every write that was
answered 201, and hold all of each import or none of it.
Prints TAP lines.  Usage: test_kill.py KITH_BINARY [TRIALS]
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

KITH = sys.argv[1]
TRIALS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
TMP = tempfile.mkdtemp(prefix="kith-kill-")
DB = os.path.join(TMP, "k.db")
ENV = dict(os.environ, KITH_DB=DB)
N = 0
FAILED = 0
random.seed(20261123)


def check(name, cond, detail=""):
    global N, FAILED
    N += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (N, name))
    if not cond:
        FAILED += 1
        print("#   " + str(detail)[:600])


def kith(*args):
    return subprocess.run([KITH, *args], env=ENV, capture_output=True, text=True, check=True).stdout


def sql(q):
    return subprocess.run(["sqlite3", DB, q], capture_output=True, text=True).stdout.strip()


def post(url, tok, path, data, ctype="application/json"):
    req = urllib.request.Request(url + path, data=data, method="POST")
    req.add_header("Authorization", "Bearer " + tok)
    req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except (urllib.error.URLError, ConnectionError, OSError):
        return 0, b""


kith("init", "--me", "Alex Morgan")
kith("add", "person", "Bo Lind")
tok = json.loads(kith("--json", "member", "add", "alex", "--person", "me"))["token"]
acked = []
imports = []          # (marker, answered)
damaged = lost = half = 0

for trial in range(TRIALS):
    srv = subprocess.Popen([KITH, "serve", "--listen", "127.0.0.1:0", "--threads", "4"], env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = srv.stdout.readline().strip().split(" at ")[-1]
    stop = threading.Event()
    lock = threading.Lock()

    def writer(k):
        i = 0
        while not stop.is_set():
            note = f"t{trial}-w{k}-{i}"
            s, _ = post(url, tok, "api/v1/interactions",
                        json.dumps({"people": ["me", "Bo Lind"], "kind": "message", "notes": note}).encode())
            if s == 201:
                with lock:
                    acked.append(note)
            elif s == 0:
                return
            i += 1

    def importer():
        marker = f"imp{trial}"
        cards = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{marker} Person {j}\r\n"
                        f"EMAIL:{marker}.{j}@kill.example\r\nEND:VCARD\r\n" for j in range(200))
        s, _ = post(url, tok, "api/v1/import?format=vcard", cards.encode(), "text/vcard")
        with lock:
            imports.append((marker, s == 201))

    ths = [threading.Thread(target=writer, args=(k,)) for k in range(4)] + [threading.Thread(target=importer)]
    for t in ths:
        t.start()
    threading.Event().wait(random.uniform(0.05, 0.6))
    srv.send_signal(signal.SIGKILL)
    srv.wait()
    stop.set()
    for t in ths:
        t.join()
    if sql("PRAGMA integrity_check") != "ok":
        damaged += 1
    marker, answered = imports[-1]
    got = int(sql(f"SELECT count(*) FROM person WHERE display_name LIKE '{marker} Person %'") or -1)
    if got not in (0, 200) or (answered and got != 200):
        half += 1

notes = set(sql("SELECT notes FROM interaction WHERE notes LIKE 't%-w%'").split("\n"))
lost = sum(1 for n in acked if n not in notes)
check(f"{TRIALS} kills under load: database never damaged", damaged == 0, damaged)
check(f"every answered write survives ({len(acked)} answered)", lost == 0 and len(acked) > 0, lost)
check(f"every import is all or nothing ({len(imports)} imports, "
      f"{sum(1 for _, a in imports if a)} answered)", half == 0, half)
print(f"# trials {TRIALS}, answered writes {len(acked)}, lost {lost}, damaged {damaged}, half-imports {half}")
sys.exit(1 if FAILED else 0)
