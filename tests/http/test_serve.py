#!/usr/bin/env python3
"""kith serve as an administrator meets it (issue 19): the web UI compiled
in and served from any folder, with ETags and 304s; --web DIR instead; a
port in use refused with one line (IPv4 and [::1]); the access log's
fields with no secret in them, to stderr, a file or nowhere, and reopened
on SIGHUP; what the server says at start; the config file and its
precedence (flag > environment > file > default), with a bad key and a bad
value refused by file and line.

    test_serve.py KITH REPO_ROOT
"""
import calendar
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

KITH, ROOT = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="kith-serve-")
N = FAILED = 0
SERVERS = []
# Nothing of the machine's own config: each case says which file it reads.
BASE = {k: v for k, v in os.environ.items() if not k.startswith("KITH_") and k != "XDG_CONFIG_HOME"}
BASE.update(XDG_CONFIG_HOME=os.path.join(TMP, "no-xdg"), TZ="UTC")
ETC_CONF = os.path.exists("/etc/kith/kith.conf")


def check(name, cond, detail=""):
    global N, FAILED
    N += 1
    print(("ok" if cond else "not ok") + f" {N} - {name}", flush=True)
    if not cond:
        FAILED += 1
        if detail != "":
            print("#   " + str(detail)[:1500].replace("\n", "\n#   "), flush=True)
    return cond


def skip(name, why):
    global N
    N += 1
    print(f"ok {N} - # SKIP {name}: {why}", flush=True)


def env(**kw):
    e = dict(BASE, KITH_CONFIG="/dev/null")
    for k, v in kw.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e


def kith(*args, cwd=TMP, e=None):
    return subprocess.run([KITH, *args], cwd=cwd, env=e or env(), capture_output=True,
                          text=True, timeout=60)


class Server:
    """kith ARGS (with serve among them) --listen LISTEN; the first lines it
    prints are in self.head."""

    def __init__(self, *args, cwd=TMP, e=None, listen="127.0.0.1:0"):
        cmd = [KITH, *args] + (["--listen", listen] if listen else [])
        self.p = subprocess.Popen(cmd, cwd=cwd, env=e or env(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        SERVERS.append(self)
        # The four lines it says at start, read by a thread so that a server
        # that says fewer (or hangs) fails the checks instead of the test.
        self.head = []
        done = threading.Event()

        def read():
            for line in self.p.stdout:
                if len(self.head) < 4:
                    self.head.append(line)
                if len(self.head) == 4:
                    done.set()
            done.set()
        threading.Thread(target=read, daemon=True).start()
        done.wait(timeout=30)
        self.head += [""] * (4 - len(self.head))
        first = self.head[0].strip()
        self.url = first.split(" at ")[-1] if " at " in first else ""
        self.db = first[len("kith: serving "):first.rfind(" at ")] if " at " in first else ""
        self.err = ""

    def hostport(self):
        return self.url[len("http://"):].rstrip("/")

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.err = self.p.stderr.read()
        self.p.stderr.close()
        return self.p.returncode


def get(url, headers=None, method="GET"):
    if not url.startswith("http://"):   # the server did not start
        return 0, {}, b""
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def stopped_cleanly(s, what):
    rc = s.stop()
    check(f"{what}: stops cleanly, no sanitizer report",
          rc == 0 and "Sanitizer" not in s.err and "runtime error" not in s.err, (rc, s.err[-2000:]))


def slurp(path):
    return open(path).read() if os.path.exists(path) else ""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


try:
    # ---- a database, a member and a token ---------------------------------------
    DB = os.path.join(TMP, "team.db")
    kith("--db", DB, "init", "--me", "Alex Admin")
    r = kith("--db", DB, "--json", "member", "add", "alex", "--person", "me")
    TOKEN = json.loads(r.stdout)["token"]
    ELSEWHERE = os.path.join(TMP, "elsewhere")   # no web/ folder here
    os.mkdir(ELSEWHERE)

    # ---- the web UI is in the binary ----------------------------------------------
    s = Server("--db", DB, "serve", cwd=ELSEWHERE)
    check("starts from a folder with no web/ and says where", s.url.startswith("http://127.0.0.1:"),
          s.head)
    check("says which database, as an absolute path", s.db == DB, s.head)
    check("says the web UI is embedded", s.head[1].startswith("kith: web UI: embedded ("), s.head)
    check("says where the access log goes and which config", s.head[2] == "kith: access log: stderr\n"
          and s.head[3] == "kith: config: /dev/null\n", s.head)
    st, h, body = get(s.url)
    check("GET / is the UI's HTML", st == 200 and h.get("Content-Type", "").startswith("text/html")
          and b"<html" in body.lower(), (st, dict(h or {}), body[:200]))
    with open(os.path.join(ROOT, "web", "index.html"), "rb") as f:
        check("... byte for byte the index.html of web/ at build time", body == f.read())
    js = sorted(glob.glob(os.path.join(ROOT, "web", "**", "*.js"), recursive=True))
    if js:
        path = "/" + os.path.relpath(js[0], os.path.join(ROOT, "web"))
        st, h, body = get(s.url.rstrip("/") + path)
        etag = h.get("ETag") if h else None
        check(f"a JS file ({path}) is served with its type and an ETag",
              st == 200 and "javascript" in h.get("Content-Type", "") and
              re.fullmatch(r'"[0-9a-f]{16}"', etag or "") is not None, (st, dict(h or {})))
        check("... and Cache-Control: no-cache, the UI's CSP",
              h.get("Cache-Control") == "no-cache" and
              "default-src 'self'" in h.get("Content-Security-Policy", ""), dict(h))
        with open(js[0], "rb") as f:
            check("... byte for byte the file", body == f.read())
        st2, h2, body2 = get(s.url.rstrip("/") + path, {"If-None-Match": etag or "\"none\""})
        check("If-None-Match with its ETag: 304, no body, the same ETag",
              st2 == 304 and body2 == b"" and h2.get("ETag") == etag, (st2, dict(h2 or {}), body2[:80]))
        st3, _, _ = get(s.url.rstrip("/") + path, {"If-None-Match": 'W/"0000", ' + (etag or "")})
        check("... also among several, weak or not", st3 == 304, st3)
        st4, _, b4 = get(s.url.rstrip("/") + path, {"If-None-Match": '"0123456789abcdef"'})
        check("another ETag: 200 with the file", st4 == 200 and b4 == body, st4)
        st5, h5, b5 = get(s.url.rstrip("/") + path, method="HEAD")
        check("HEAD: 200, the ETag, no body", st5 == 200 and h5.get("ETag") == etag and b5 == b"",
              (st5, b5[:80]))
    else:
        skip("a JS file with its ETag", "no web/**/*.js in this checkout")
    # A read maps the database file (worker.c, READ_MMAP_BYTES): its pages
    # come from the kernel's cache without a read call each.
    st, _, _ = get(s.url + "api/v1/people/1", {"Authorization": "Bearer " + TOKEN})
    with open("/proc/%d/maps" % s.p.pid) as f:
        maps = [l for l in f if l.rstrip("\n").endswith(" " + DB)]
    check("a person read maps the database file, read-only and shared",
          st == 200 and any(l.split()[1] == "r--s" for l in maps), (st, maps))
    st, h, body = get(s.url + ".git/config")
    check("a hidden path is 404", st == 404, st)
    st, h, body = get(s.url + "api/v1/nothing")
    check("an unknown API route is still a JSON 404", st == 404 and
          h.get("Content-Type") == "application/json", (st, body[:200]))
    stopped_cleanly(s, "embedded UI")
    check("the access log went to stderr by default, a line per request",
          len([l for l in s.err.splitlines() if " GET / 200 " in l]) == 1, s.err[-1500:])

    s = Server("--db", DB, "serve", cwd=ELSEWHERE, listen=None, e=env(KITH_LISTEN="127.0.0.1:0"))
    stopped_cleanly(s, "KITH_LISTEN")
    check("KITH_LISTEN sets the address (port 0: not the default 7070)",
          s.url.startswith("http://127.0.0.1:") and s.url != "http://127.0.0.1:7070/", s.head)

    # ---- --web DIR still wins, for development --------------------------------------
    dev = os.path.join(TMP, "devweb")
    os.mkdir(dev)
    with open(os.path.join(dev, "index.html"), "w") as f:
        f.write("<html><p>dev copy</p></html>")
    s = Server("--db", DB, "serve", "--web", dev, cwd=ELSEWHERE)
    check("--web DIR: says so, with the absolute folder", s.head[1] == f"kith: web UI: {dev}\n",
          s.head)
    st, h, body = get(s.url)
    etag = h.get("ETag") if h else None
    check("--web DIR: GET / is that folder's index.html, with an ETag",
          st == 200 and body == b"<html><p>dev copy</p></html>" and etag, (st, body[:100]))
    st2, _, _ = get(s.url, {"If-None-Match": etag or "x"})
    check("--web DIR: 304 on its ETag", st2 == 304, st2)
    time.sleep(0.02)
    with open(os.path.join(dev, "index.html"), "w") as f:
        f.write("<html><p>dev copy, edited</p></html>")
    st3, h3, body3 = get(s.url, {"If-None-Match": etag or "x"})
    check("--web DIR: an edited file has a new ETag and is sent again",
          st3 == 200 and b"edited" in body3 and h3.get("ETag") != etag, (st3, dict(h3 or {})))
    stopped_cleanly(s, "--web DIR")

    # ---- a port in use: one line, exit 1 ---------------------------------------------
    def port_in_use(listen, label):
        first = Server("--db", DB, "serve", listen=listen)
        if not check(f"{label}: a server listens on {listen}", first.url != "", first.head):
            first.stop()
            return
        hp = first.hostport()
        r = kith("--db", DB, "serve", "--listen", hp)
        check(f"{label}: a second server on {hp} exits 1", r.returncode == 1, (r.returncode, r.stderr))
        check(f"{label}: ... with one line saying the address is in use",
              r.stderr.count("\n") == 1 and "in use" in r.stderr and hp in r.stderr and
              r.stdout == "", (r.stdout, r.stderr))
        st, _, _ = get(first.url + "api/v1/health")
        check(f"{label}: the first server still answers", st == 200, st)
        stopped_cleanly(first, f"{label}: the first server")

    port_in_use("127.0.0.1:0", "IPv4")
    if socket.has_ipv6:
        try:
            t = socket.socket(socket.AF_INET6)
            t.bind(("::1", 0))
            t.close()
            port_in_use("[::1]:0", "IPv6 [::1]")
        except OSError as e:
            skip("IPv6 [::1]: a second server on the port", f"no ::1 here ({e})")
    else:
        skip("IPv6 [::1]: a second server on the port", "no IPv6 in this Python")
    r = kith("--db", DB, "serve", "--listen", "[::1:7070")
    check("a bad IPv6 address is refused with one line", r.returncode == 1 and
          r.stderr.count("\n") == 1 and "IPV6" in r.stderr, r.stderr)

    # ---- the access log ------------------------------------------------------------------
    LOG = os.path.join(TMP, "access.log")
    s = Server("--db", DB, "serve", "--access-log", LOG)
    p = s.p
    check("--access-log FILE: says which file", s.head[2] == f"kith: access log: {LOG}\n", s.head)
    SECRETS = ["s3cr3t-token-value", "hunter2-pw", "k3y-value", "sig-value"]
    auth = {"Authorization": "Bearer " + TOKEN}
    get(s.url + "api/v1/health")
    get(s.url + "api/v1/people?limit=2&token=s3cr3t-token-value&q=ana%20b", auth)
    get(s.url + "api/v1/people?password=hunter2-pw&api_key=k3y-value&X-Signature=sig-value", auth)
    get(s.url + "api/v1/me", {"Authorization": "Bearer kith_" + "x" * 43})
    get(s.url + "no%0Ahere%20x%22y")
    st, _, _ = get(s.url + "api/v1/me", auth)
    check("a signed-in request answers", st == 200, st)
    time.sleep(0.3)   # the log's thread writes within a moment
    lines = slurp(LOG).splitlines()
    pat = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) ([A-Z]+) (\S+) (\d{3}|-) '
                     r'(\d+) (\d+\.\d) (\d+|-)$')
    fields = [pat.match(l) for l in lines]
    check("six requests, six lines", len(lines) == 6, lines)
    check("every line: time, address, method, path, status, bytes, ms, member",
          len(lines) > 0 and all(fields), [l for l, m in zip(lines, fields) if not m])
    if len(lines) == 6 and all(fields):
        # Lines are written as requests end, which is not always the order
        # their answers reached this client in.
        f = sorted((m.groups() for m in fields), key=lambda g: g[3])
        by = {g[3].split("?")[0] + ("?" + g[3].split("?")[1][:5] if "?" in g[3] else ""): g for g in f}
        health = by.get("/api/v1/health")
        q1 = by.get("/api/v1/people?limit")
        q2 = by.get("/api/v1/people?passw")
        me = [g for g in f if g[3] == "/api/v1/me"]
        odd = by.get("/no%0Ahere%20x%22y")
        check("health: 200, no member, the client's address, its bytes",
              health and health[2:5] == ("GET", "/api/v1/health", "200") and health[7] == "-" and
              health[1] == "127.0.0.1" and int(health[5]) > 0, f)
        check("a query keeps its harmless parameters, its token REDACTED",
              q1 and q1[3] == "/api/v1/people?limit=2&token=REDACTED&q=ana%20b", f)
        check("password, api_key, X-Signature: REDACTED",
              q2 and q2[3] == "/api/v1/people?password=REDACTED&api_key=REDACTED&X-Signature=REDACTED",
              f)
        check("a signed-in request names the member",
              q1 and q1[7] == "1" and sorted((g[4], g[7]) for g in me) == [("200", "1"), ("401", "-")],
              f)
        check("a control character in the path is escaped, the line stays one",
              odd and odd[4] == "404", f)
        t = time.strptime(f[0][0][:19], "%Y-%m-%dT%H:%M:%S")
        check("the time is now, in UTC", abs(calendar.timegm(t) - time.time()) < 120, f[0][0])
    text = slurp(LOG)
    check("no secret, and no token, is in the log",
          not any(x in text for x in SECRETS + [TOKEN, "x" * 43]), text)
    # logrotate: move the file, SIGHUP, the next line goes to a new file
    if os.path.exists(LOG):
        os.rename(LOG, LOG + ".1")
    p.send_signal(signal.SIGHUP)
    time.sleep(0.3)
    st, _, _ = get(s.url + "api/v1/health")
    time.sleep(0.3)
    check("SIGHUP: the server goes on", st == 200 and p.poll() is None, st)
    new = slurp(LOG)
    check("SIGHUP: the log is reopened; the next line is in the new file, not the old",
          new.count("/api/v1/health") == 1 and slurp(LOG + ".1").count("/api/v1/health") == 1,
          new)
    mode = os.stat(LOG).st_mode if os.path.exists(LOG) else 0o777
    check("the log file is not readable by others", mode & 0o007 == 0, oct(mode))
    stopped_cleanly(s, "--access-log FILE")
    check("--access-log FILE: nothing of it on stderr", "/api/v1/" not in s.err, s.err[-800:])
    s = Server("--db", DB, "serve", "--access-log", "off")
    get(s.url + "api/v1/health")
    stopped_cleanly(s, "--access-log off")
    check("--access-log off: no line anywhere", "/api/v1/health" not in s.err and
          s.head[2] == "kith: access log: off\n", (s.head, s.err))
    r = kith("--db", DB, "serve", "--listen", "127.0.0.1:0", "--access-log",
             os.path.join(TMP, "no", "such", "dir", "a.log"))
    check("an access log that cannot be opened: one line, exit 1",
          r.returncode == 1 and r.stderr.count("\n") == 1 and "access log" in r.stderr, r.stderr)

    # A log nobody reads (stderr a pipe never drained) holds no request: past
    # the pipe and the buffer, lines are dropped, counted, and said so once
    # the log takes lines again.
    s = Server("--db", DB, "serve")
    hp = s.hostport() or "127.0.0.1:1"
    conn = http.client.HTTPConnection(hp.rsplit(":", 1)[0], int(hp.rsplit(":", 1)[1]), timeout=10)
    pad = "p" * 1500
    t0 = time.monotonic()
    codes = []
    for i in range(600):
        conn.request("GET", f"/api/v1/health?pad={pad}&i={i}")
        resp = conn.getresponse()
        resp.read()
        codes.append(resp.status)
    conn.close()
    took = time.monotonic() - t0
    check("600 requests with a full, unread stderr are all answered", codes == [200] * 600,
          sorted(set(codes)))
    print(f"# 600 requests logged into a pipe no one read: {took:.2f} s")
    drained = []
    reader = threading.Thread(target=lambda: drained.append(s.p.stderr.read()))
    reader.start()
    time.sleep(0.5)
    get(s.url + "api/v1/health")   # the log takes lines again: it says what it lost
    time.sleep(0.5)
    s.p.send_signal(signal.SIGTERM)
    s.p.wait(timeout=30)
    reader.join(timeout=30)
    err = drained[0] if drained else ""
    m = re.search(r"^kith: (\d+) access log lines dropped", err, re.M)
    logged = len([l for l in err.splitlines() if "/api/v1/health?pad=" in l])
    check("... the lines that did not fit are counted", m is not None and
          int(m.group(1)) + logged == 600, (logged, err[-300:]))
    check("... and it stops cleanly", s.p.returncode == 0 and "Sanitizer" not in err, s.p.returncode)

    # ---- the config file and its precedence --------------------------------------------------
    work = os.path.join(TMP, "prec")
    xdg = os.path.join(work, "xdg")
    os.makedirs(os.path.join(xdg, "kith"))
    kith("--db", os.path.join(work, "kith.db"), "init", cwd=work)
    for name in ("xdg.db", "named.db", "env.db", "flag.db", "flagcfg.db"):
        where = os.path.join(xdg, "kith", name) if name == "xdg.db" else os.path.join(work, name)
        shutil.copy(os.path.join(work, "kith.db"), where)
    with open(os.path.join(xdg, "kith", "config"), "w") as f:
        f.write("# the user's own\ndatabase = xdg.db   # relative: beside this file\n")
    named = os.path.join(work, "named.conf")
    port = free_port()
    with open(named, "w") as f:
        f.write(f"database = named.db\nlisten = 127.0.0.1:{port}\naccess-log = named.log\n")
    flagcfg = os.path.join(work, "flag.conf")
    with open(flagcfg, "w") as f:
        f.write("database = flagcfg.db\n")

    def served(*args, listen="127.0.0.1:0", **kw):
        s = Server(*args, "serve", cwd=work, e=env(**kw), listen=listen)
        rc = s.stop()
        return s.db, s.url, s.head, rc, s.err

    if ETC_CONF:
        skip("no config file: ./kith.db", "/etc/kith/kith.conf exists on this machine")
    else:
        db, _, head, rc, err = served(KITH_CONFIG=None)
        check("no config file anywhere: the default ./kith.db",
              db == os.path.join(work, "kith.db") and head[3] == "kith: config: none\n",
              (head, err))
    db, _, head, rc, err = served(KITH_CONFIG=None, XDG_CONFIG_HOME=xdg)
    check("$XDG_CONFIG_HOME/kith/config beats the default; its relative path is from its folder",
          db == os.path.join(xdg, "kith", "xdg.db") and
          head[3] == f"kith: config: {xdg}/kith/config\n", (head, err))
    db, url, head, rc, err = served(listen=None, KITH_CONFIG=named, XDG_CONFIG_HOME=xdg)
    check("$KITH_CONFIG beats $XDG_CONFIG_HOME", db == os.path.join(work, "named.db"), (head, err))
    check("the file's listen is used", url == f"http://127.0.0.1:{port}/", (head, err))
    check("the file's access-log, beside the file", head[2] == f"kith: access log: {work}/named.log\n",
          head)
    db, url, head, rc, err = served(listen=None, KITH_CONFIG=named, KITH_DB=os.path.join(work, "env.db"),
                                    KITH_LISTEN="127.0.0.1:0")
    check("KITH_DB beats the file", db == os.path.join(work, "env.db"), (head, err))
    check("KITH_LISTEN beats the file", url.startswith("http://127.0.0.1:") and
          url != f"http://127.0.0.1:{port}/", url)
    db, url, head, rc, err = served("--db", "flag.db", listen="127.0.0.1:0", KITH_CONFIG=named,
                                    KITH_DB=os.path.join(work, "env.db"), KITH_LISTEN=f"127.0.0.1:{port}",
                                    KITH_ACCESS_LOG="off")
    check("--db beats KITH_DB and the file", db == os.path.join(work, "flag.db"), (head, err))
    check("--listen beats KITH_LISTEN and the file", url != f"http://127.0.0.1:{port}/" and url, url)
    check("KITH_ACCESS_LOG beats the file", head[2] == "kith: access log: off\n", head)
    db, _, head, rc, err = served("--config", flagcfg, KITH_CONFIG=named)
    check("--config beats $KITH_CONFIG", db == os.path.join(work, "flagcfg.db"), (head, err))
    r = kith("--config", os.path.join(work, "missing.conf"), "--db", "flag.db", "stats", cwd=work)
    check("a named config file that is missing: one line, exit 1",
          r.returncode == 1 and r.stderr.count("\n") == 1 and "missing.conf" in r.stderr, r.stderr)
    r = kith("--db", "flag.db", "stats", cwd=work, e=env(KITH_CONFIG=os.path.join(work, "gone.conf")))
    check("$KITH_CONFIG naming a missing file: one line, exit 1",
          r.returncode == 1 and "gone.conf" in r.stderr, r.stderr)

    bad = os.path.join(work, "bad.conf")
    for text, line, what in (("database = a.db\n# fine\nthreadz = 4\n", 3, "threadz"),
                             ("listen = 127.0.0.1:7070\n\nthreads = many\n", 3, "many"),
                             ("per-ip = -1\n", 1, "per-ip"),
                             ("listen = 127.0.0.1:99999\n", 1, "listen"),
                             ("request-time = 0\n", 1, "request-time"),
                             ("database\n", 1, "key = value"),
                             ("web = a\nweb = b\n", 2, "twice")):
        with open(bad, "w") as f:
            f.write(text)
        # Every command reads the file: stats for each case, serve for the first.
        for args in (("--config", bad, "--db", "flag.db", "serve", "--listen", "127.0.0.1:0"),
                     ("--config", bad, "--db", "flag.db", "stats"))[0 if line == 3 and
                                                                    "threadz" in text else 1:]:
            r = kith(*args, cwd=work)
            check(f"{text.splitlines()[line - 1]!r} refused ({args[4]}): one line naming "
                  f"bad.conf:{line}, exit 1",
                  r.returncode == 1 and r.stderr.count("\n") == 1 and
                  f"bad.conf:{line}:" in r.stderr and what in r.stderr and r.stdout == "",
                  (r.returncode, r.stdout, r.stderr))
    r = kith("--db", "flag.db", "stats", cwd=work, e=env(KITH_THREADS="lots"))
    check("a bad value in the environment: one line naming the variable, exit 1",
          r.returncode == 1 and r.stderr.startswith("kith: KITH_THREADS:") and
          r.stderr.count("\n") == 1, r.stderr)

    # ---- the example config: every option of `kith serve --help`, and it works -----------------
    example = os.path.join(ROOT, "dist", "kith.conf")
    helptext = kith("serve", "--help").stdout
    opts = sorted(set(re.findall(r"--([a-z-]+)", helptext)) - {"routes", "help", "config", "db"})
    conf = open(example).read()
    check("dist/kith.conf has every kith serve option as a key",
          all(re.search(rf"^#?{o} = ", conf, re.M) for o in opts),
          [o for o in opts if not re.search(rf"^#?{o} = ", conf, re.M)])
    check("dist/kith.conf names the service's database", re.search(
        r"^database = /var/lib/kith/kith.db$", conf, re.M) is not None)
    # As the service runs it, with the database moved to a temporary folder.
    etc = os.path.join(TMP, "etc-kith.conf")
    state = os.path.join(TMP, "var-lib-kith")
    os.mkdir(state)
    with open(etc, "w") as f:
        f.write(conf.replace("/var/lib/kith/kith.db", state + "/kith.db"))
    r = kith("--config", etc, "init", cwd="/")
    check("kith --config dist/kith.conf init makes the service's database",
          r.returncode == 0 and os.path.exists(state + "/kith.db"), r.stderr)
    s = Server("--config", etc, "serve", cwd="/", listen="127.0.0.1:0")
    check("kith --config dist/kith.conf serve runs on it",
          s.db == state + "/kith.db" and s.head[3] == f"kith: config: {etc}\n", s.head)
    st, _, _ = get(s.url) if s.url else (0, None, None)
    check("... and serves the UI", st == 200, st)
    stopped_cleanly(s, "the example config")
    check("kith --help names --config", "--config FILE" in kith("--help").stdout)
    check("kith serve --help names --access-log", "--access-log FILE" in helptext)
finally:
    for s in SERVERS:
        if s.p.poll() is None:
            s.p.kill()
            s.p.wait()
    shutil.rmtree(TMP, ignore_errors=True)

print(f"# {N} checks, {FAILED} failed")
sys.exit(1 if FAILED else 0)
