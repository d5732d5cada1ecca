"""Shared by the CardDAV tests (test_dav.py and the modules it runs): TAP
output, the kith binary, a server on loopback, multistatus parsing.

The kith binary is sys.argv[1], as test_dav.py is called.
"""
import base64
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

KITH = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="kith-dav-")
N = 0
FAILED = 0
D = "{DAV:}"
C = "{urn:ietf:params:xml:ns:carddav}"


def ok(cond, name, detail=""):
    global N, FAILED
    N += 1
    if cond:
        print(f"ok {N} - {name}")
    else:
        FAILED += 1
        print(f"not ok {N} - {name}")
        if detail:
            for line in str(detail)[:2000].splitlines():
                print(f"#   {line}")
    sys.stdout.flush()
    return cond


def skip(name, why):
    global N
    N += 1
    print(f"ok {N} - # SKIP {name}: {why}")


def note(text):
    print(f"# {text}")
    sys.stdout.flush()


def kith(db, *args, check=True):
    p = subprocess.run([KITH, "--db", db, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"kith {args}: {p.stderr}")
    return p.stdout


def token_of(out):
    return re.search(r"(kith_[A-Za-z0-9_-]{43})", out).group(1)


class Server:
    def __init__(self, db):
        self.p = subprocess.Popen([KITH, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.p.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/", line)
        if not m:
            raise RuntimeError(f"no URL in {line!r}")
        self.host, self.port = m.group(1), int(m.group(2))
        self.url = f"http://{self.host}:{self.port}"

    def req(self, method, path, body=None, headers=None, auth=None, bearer=None):
        h = dict(headers or {})
        if auth:
            h["Authorization"] = "Basic " + base64.b64encode(
                f"{auth[0]}:{auth[1]}".encode()).decode()
        if bearer:
            h["Authorization"] = "Bearer " + bearer
        if isinstance(body, str):
            body = body.encode()
        c = http.client.HTTPConnection(self.host, self.port, timeout=300)
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def alive(self):
        return self.p.poll() is None

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def ms(data):
    """A multistatus as {href: (status, {prop tag: element})}."""
    out = {}
    for r in ET.fromstring(data).findall(D + "response"):
        href = urllib.parse.unquote(r.find(D + "href").text)
        st = r.find(D + "status")
        props = {}
        status = st.text if st is not None else None
        for ps in r.findall(D + "propstat"):
            if "200" in ps.find(D + "status").text:
                for p in ps.find(D + "prop"):
                    props[p.tag] = p
            status = status or ps.find(D + "status").text
        out[href] = (status, props)
    return out


def sync_token(data):
    t = ET.fromstring(data).find(D + "sync-token")
    return t.text if t is not None else None


PROPFIND_ETAG = ('<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop>'
                 '<d:getetag/></d:prop></d:propfind>')


def sync_body(token, data=True):
    return ('<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:" '
            'xmlns:c="urn:ietf:params:xml:ns:carddav">'
            f'<d:sync-token>{token or ""}</d:sync-token><d:sync-level>1</d:sync-level>'
            '<d:prop><d:getetag/>' + ('<c:address-data/>' if data else '') +
            '</d:prop></d:sync-collection>')


def card(uid, fn, email=None, extra=""):
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}"]
    parts = fn.split(" ", 1)
    lines.append(f"N:{parts[-1]};{parts[0]};;;")
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    lines += [l for l in extra.split("\n") if l]
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def setup():
    db = os.path.join(TMP, "team.db")
    kith(db, "init", "--me", "Alex Morgan", "--email", "alex@kith.example")
    alex = token_of(kith(db, "member", "add", "alex", "--person", "me"))
    sam = token_of(kith(db, "member", "add", "sam"))
    kith(db, "add", "person", "Zoe Dupont", "--email", "zoe@acme.example")
    kith(db, "add", "person", "Olga Petrova", "--email", "olga@acme.example")
    return db, alex, sam


def api(srv, token, method, path, body=None):
    st, _, data = srv.req(method, path, json.dumps(body) if body is not None else None,
                          {"Content-Type": "application/json"}, bearer=token)
    return st, json.loads(data) if data else None


def people(srv, token):
    st, j = api(srv, token, "GET", "/api/v1/people?limit=1000")
    return {p["id"]: p for p in j["items"]}
