"""What the server tests share: TAP checks, the kith binary, a server on
loopback and requests to it.

    from kithtest import Suite
    t = Suite(sys.argv[1])          # KITH binary; a fresh database in a temp dir
    t.kith("init", "--me", "A")     # the CLI on that database
    t.serve()                       # kith serve on 127.0.0.1, port chosen by the kernel
    s, body = t.call("GET", "api/v1/me", token)
    t.check("name", cond, detail)
    t.finish()                      # stops the server, prints the summary, exits
"""
import atexit
import json
import os
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request


class Suite:
    def __init__(self, kith, now="2026-11-23T12:00:00Z"):
        self.KITH = kith
        self.tmp = tempfile.mkdtemp(prefix="kith-test-")
        self.db = os.path.join(self.tmp, "k.db")
        self.env = dict(os.environ, KITH_DB=self.db, KITH_NOW=now)
        self.n = 0
        self.failed = 0
        self.srv = None
        self.url = None
        self.requests = 0

    def check(self, name, cond, detail=""):
        self.n += 1
        if cond:
            print(f"ok {self.n} - {name}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.n} - {name}", flush=True)
            if detail != "":
                print("#   " + str(detail)[:800].replace("\n", "\n#   "), flush=True)
        return cond

    def kith(self, *args, check=True, stdin=None):
        r = subprocess.run([self.KITH, *args], env=self.env, capture_output=True, text=True,
                           input=stdin)
        if check and r.returncode != 0:
            raise RuntimeError(f"kith {' '.join(args)}: {r.stderr}")
        return r

    def sql(self, query):
        return subprocess.run(["sqlite3", self.db, query], capture_output=True, text=True,
                              check=True).stdout

    def serve(self, *extra):
        self.srv = subprocess.Popen([self.KITH, "serve", "--listen", "127.0.0.1:0", *extra],
                                    env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
        atexit.register(self._stop_leftover, self.srv)
        line = self.srv.stdout.readline()
        self.url = line.strip().split(" at ")[-1]
        self.check("server starts and says where", self.url.startswith("http://127.0.0.1:"), line)

    def request(self, method, path, token=None, body=None, raw=None, headers=None):
        """(status, headers, bytes) of one request."""
        self.requests += 1
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + "/" + path.lstrip("/"), data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()
        except (urllib.error.URLError, ConnectionError, OSError) as e:
            return 0, {}, str(e).encode()

    def call(self, method, path, token=None, body=None, raw=None, headers=None):
        """(status, parsed JSON or text)."""
        s, h, data = self.request(method, path, token, body, raw, headers)
        text = data.decode("utf-8", "replace")
        if "json" in (h.get("Content-Type", "") if h else "") and text:
            try:
                return s, json.loads(text)
            except ValueError:
                pass
        return s, text

    def alive(self):
        return self.srv is not None and self.srv.poll() is None

    @staticmethod
    def _stop_leftover(srv):
        """A suite that dies before finish() leaves no server running."""
        if srv.poll() is None:
            srv.kill()
            srv.wait()

    def finish(self):
        if self.srv is not None:
            if self.alive():
                self.srv.send_signal(signal.SIGTERM)
                try:
                    self.srv.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.srv.kill()
                    self.srv.wait()
            err = self.srv.stderr.read()
            self.check("the server stops cleanly, with no sanitizer report",
                       self.srv.returncode == 0 and "Sanitizer" not in err and
                       "runtime error" not in err, (self.srv.returncode, err[-3000:]))
        print(f"# {self.n} checks, {self.failed} failed, {self.requests} requests")
        raise SystemExit(1 if self.failed else 0)


def is_error(res, status, code=None):
    s, j = res
    return s == status and isinstance(j, dict) and "error" in j and \
        isinstance(j["error"].get("message"), str) and (code is None or j["error"].get("code") == code)
