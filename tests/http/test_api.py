#!/usr/bin/env python3
"""The HTTP API against a real `kith serve` on loopback.

Prints TAP lines.  Usage: test_api.py KITH_BINARY REPO_ROOT
Covers every route, sign-in failures, malformed requests, an
authorisation matrix (member x endpoint x private/team record) that
asserts nothing private leaks, the team intro, import, and a clean stop
on SIGTERM with every answered write on disk.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

KITH, ROOT = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="kith-http-")
DB = os.path.join(TMP, "k.db")
ENV = dict(os.environ, KITH_DB=DB, KITH_NOW="2026-11-23T12:00:00Z")
N = 0
FAILED = 0


def check(name, cond, detail=""):
    global N, FAILED
    N += 1
    if cond:
        print(f"ok {N} - {name}")
    else:
        FAILED += 1
        print(f"not ok {N} - {name}")
        if detail:
            print("#   " + str(detail)[:600].replace("\n", "\n#   "))


def kith(*args):
    return subprocess.run([KITH, *args], env=ENV, capture_output=True, text=True, check=True).stdout


def call(method, path, token=None, body=None, raw=None, headers=None):
    """Returns (status, parsed JSON or text)."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(URL + path.lstrip("/"), data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text, ctype = r.status, r.read().decode("utf-8", "replace"), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        status, text, ctype = e.code, e.read().decode("utf-8", "replace"), e.headers.get("Content-Type", "")
    except (urllib.error.URLError, ConnectionError, OSError) as e:
        # The server is gone: report it once, with what it printed.
        if srv.poll() is not None and not getattr(call, "told", False):
            call.told = True
            print("# the server died: " + srv.stderr.read()[-2000:].replace("\n", "\n# "))
        return 0, str(e)
    if "json" in ctype and text:
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text
    return status, text


def is_error(res, status, code=None):
    s, j = res
    ok = s == status and isinstance(j, dict) and "error" in j and \
        isinstance(j["error"].get("message"), str) and (code is None or j["error"].get("code") == code)
    return ok


# ---- set-up: the demo network, three members, a server ---------------------
kith("init", "--me", "Alex Morgan", "--email", "alex@kith.example")
kith("demo", "--seed", "7")
tok = {}
for name, extra in (("alex", ["--person", "me"]), ("bo", []), ("cy", [])):
    out = json.loads(kith("--json", "member", "add", name, *extra))
    tok[name] = out["token"]
# Bo and Cy are people in the graph: link them to a few of Alex's contacts.
kith("link", "bo", "me", "--kind", "colleague", "--trust", "0.8")
kith("link", "cy", "bo", "--kind", "friend", "--trust", "0.6")

srv = subprocess.Popen([KITH, "serve", "--listen", "127.0.0.1:0", "--web", os.path.join(ROOT, "web")]
                       if os.path.isdir(os.path.join(ROOT, "web")) else
                       [KITH, "serve", "--listen", "127.0.0.1:0"],
                       env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
line = srv.stdout.readline()
URL = line.strip().split(" at ")[-1]
check("server starts and says where", URL.startswith("http://127.0.0.1:"), line)
A, B, C = tok["alex"], tok["bo"], tok["cy"]

# ---- the route table and docs/openapi.json agree ------------------------
routes = set(tuple(l.split()) for l in kith("serve", "--routes").splitlines())
spec = json.load(open(os.path.join(ROOT, "docs", "openapi.json")))
documented = set((m.upper(), p) for p, ops in spec["paths"].items() for m in ops)
check("every route is documented", routes <= documented, routes - documented)
check("every documented route exists", documented <= routes, documented - routes)

# ---- sign-in -------------------------------------------------------------
check("health needs no token", call("GET", "api/v1/health")[0] == 200)
check("no token: 401", is_error(call("GET", "api/v1/people"), 401, "unauthorized"))
check("bad token: 401", is_error(call("GET", "api/v1/people", token="kith_" + "x" * 43), 401))
check("garbage token: 401", is_error(call("GET", "api/v1/people", token="nope"), 401))
s, me = call("GET", "api/v1/me", A)
check("me is the member's person", s == 200 and me["person"]["name"] == "Alex Morgan", me)
extra = json.loads(kith("--json", "member", "token", "cy"))
check("second token works", call("GET", "api/v1/me", extra["token"])[0] == 200)
kith("member", "revoke", str(extra["token_id"]))
check("revoked token: 401", is_error(call("GET", "api/v1/me", extra["token"]), 401))

# ---- malformed requests --------------------------------------------------
check("unknown route: 404 JSON", is_error(call("GET", "api/v1/nope", A), 404, "not_found"))
check("wrong method: 405", is_error(call("PUT", "api/v1/people", A, body={}), 405))
check("bad JSON: 400", is_error(call("POST", "api/v1/people", A, raw=b"{\"display_name\": "), 400, "bad_json"))
check("not an object: 400", is_error(call("POST", "api/v1/people", A, raw=b"[1,2]"), 400))
check("empty body: 400", is_error(call("POST", "api/v1/people", A, raw=b""), 400))
check("unknown field: 400", is_error(call("POST", "api/v1/people", A, body={"display_name": "X", "shoe": 1}), 400, "unknown_field"))
check("wrong type: 400", is_error(call("POST", "api/v1/people", A, body={"display_name": 5}), 400, "wrong_type"))
check("wrong element type: 400", is_error(call("POST", "api/v1/people", A, body={"display_name": "X", "emails": [1]}), 400, "wrong_type"))
check("deep JSON: 400", is_error(call("POST", "api/v1/people", A, raw=b"[" * 5000 + b"]" * 5000), 400))
check("duplicate key: 400", is_error(call("POST", "api/v1/people", A, raw=b'{"display_name":"a","display_name":"b"}'), 400))
check("bad email: 400", is_error(call("POST", "api/v1/people", A, body={"display_name": "X", "emails": ["not-an-email"]}), 400, "invalid"))
check("body over the limit: 413", is_error(call("POST", "api/v1/people", A, raw=b" " * (2 << 20)), 413, "too_large"))
check("bad id: 404", is_error(call("GET", "api/v1/people/abc", A), 404))
check("bad limit: 400", is_error(call("GET", "api/v1/people?limit=0", A), 400))
check("unknown person in query: 404", is_error(call("GET", "api/v1/path?to=nobody-at-all", A), 404))
check("bad date: 400", is_error(call("POST", "api/v1/interactions", A, body={"people": ["me", "bo"], "at": "2026-02-30"}), 400))
check("interaction with one person: 400", is_error(call("POST", "api/v1/interactions", A, body={"people": ["me"]}), 400))
check("link to oneself: 400", is_error(call("POST", "api/v1/links", A, body={"a": "me", "b": "me"}), 400))

# ---- CRUD on every record type -------------------------------------------
s, p = call("POST", "api/v1/people", A, body={"display_name": "Dana Field", "emails": ["dana@field.example"], "tags": ["rust"], "city": "Lyon"})
check("create person: 201", s == 201 and p["name"] == "Dana Field" and p["private"] is False, p)
pid = p["id"]
check("duplicate email: 409", is_error(call("POST", "api/v1/people", A, body={"display_name": "D2", "emails": ["dana@field.example"]}), 409, "exists"))
s, p = call("PATCH", f"api/v1/people/{pid}", A, body={"city": "Paris", "tags": ["rust", "zeta"]})
check("update person", s == 200 and p["city"] == "Paris" and p["tags"] == ["rust", "zeta"], p)
s, p = call("GET", f"api/v1/people/{pid}", B)
check("a team person is seen by others", s == 200 and p["city"] == "Paris", p)
s, o = call("POST", "api/v1/orgs", A, body={"name": "Fieldworks", "domain": "field.example"})
check("create org", s == 201 and o["name"] == "Fieldworks", o)
oid = o["id"]
check("duplicate org: 409", is_error(call("POST", "api/v1/orgs", A, body={"name": "fieldworks"}), 409))
check("update org", call("PATCH", f"api/v1/orgs/{oid}", A, body={"city": "Lyon"})[1].get("city") == "Lyon")
check("get org", call("GET", f"api/v1/orgs/{oid}", B)[0] == 200)
check("list orgs", any(x["id"] == oid for x in call("GET", "api/v1/orgs?limit=1000", A)[1]["items"]))
s, l = call("POST", "api/v1/links", A, body={"a": "me", "b": str(pid), "kind": "friend", "trust": 0.7})
check("create link", s == 201 and l["kind"] == "friend" and l["trust"] == 0.7, l)
lid = l["id"]
check("duplicate link: 409", is_error(call("POST", "api/v1/links", A, body={"a": str(pid), "b": "me", "kind": "friend"}), 409))
s, l = call("PATCH", f"api/v1/links/{lid}", A, body={"trust": None, "notes": "met at RustConf"})
check("update link", s == 200 and l["trust"] is None and l["notes"] == "met at RustConf", l)
check("get link", call("GET", f"api/v1/links/{lid}", A)[0] == 200)
check("list links of a person", [x["id"] for x in call("GET", f"api/v1/links?person={pid}", A)[1]["items"]] == [lid])
s, it = call("POST", "api/v1/interactions", A, body={"kind": "call", "people": ["me", str(pid)], "notes": "pricing chat", "at": "2026-11-20"})
check("log interaction", s == 201 and it["kind"] == "call" and it["people"] == [1, pid], it)
iid = it["id"]
check("get interaction", call("GET", f"api/v1/interactions/{iid}", A)[0] == 200)
s, tl = call("GET", f"api/v1/people/{pid}/timeline", A)
check("timeline shows it", s == 200 and tl["items"][0]["id"] == iid, tl)
check("interactions list filters", call("GET", f"api/v1/interactions?person={pid}&with=me", A)[1]["items"][0]["id"] == iid)
s, n = call("POST", f"api/v1/people/{pid}/notes", A, body={"body": "prefers mornings"})
check("add note", s == 201 and n["body"] == "prefers mornings", n)
check("empty note: 400", is_error(call("POST", f"api/v1/people/{pid}/notes", A, body={"body": "  "}), 400))
check("notes list", [x["body"] for x in call("GET", f"api/v1/people/{pid}/notes", B)[1]["items"]] == ["prefers mornings"])
check("someone else's note cannot be removed", is_error(call("DELETE", f"api/v1/notes/{n['id']}", B), 403))
check("remove note", call("DELETE", f"api/v1/notes/{n['id']}", A)[0] == 204)
s, pl = call("GET", "api/v1/people?tag=rust&city=paris", A)
check("list people with filters", s == 200 and [x["id"] for x in pl["items"]] == [pid] and pl["total"] == 1, pl)
s, sr = call("GET", "api/v1/search?q=dana", A)
check("search", s == 200 and any(h["type"] == "person" and h["id"] == pid for h in sr["items"]), sr)
check("search needs q", is_error(call("GET", "api/v1/search", A), 400))

# ---- network routes --------------------------------------------------------
s, pa = call("GET", f"api/v1/path?to={pid}", A)
check("path", s == 200 and pa["connected"] and pa["path"]["hops"] == 1, pa)
s, pa = call("GET", "api/v1/path?from=cy&to=me", A)
check("path from", s == 200 and [x["name"] for x in pa["path"]["people"]] == ["cy", "bo", "Alex Morgan"], pa)
s, intro = call("GET", f"api/v1/intro?from=cy&to={pid}&alts=2", A)
check("intro", s == 200 and intro["paths"] and intro["paths"][0]["people"][-1]["id"] == pid, intro)
s, team = call("GET", f"api/v1/intro/team?to={pid}", C)
names = [m["name"] for m in team.get("members", [])]
check("team intro ranks the best-placed member first", s == 200 and names[:1] == ["alex"] and "bo" in names, team)
s, near = call("GET", "api/v1/near?within=2&tag=zeta", A)
check("near with filters", s == 200 and [x["id"] for x in near["items"]] == [pid], near)
check("near bad within", is_error(call("GET", "api/v1/near?within=99", A), 400))
s, mu = call("GET", f"api/v1/mutual?a=bo&b={pid}", A)
check("mutual", s == 200 and [x["name"] for x in mu["items"]] == ["Alex Morgan"], mu)
s, due = call("GET", "api/v1/due?limit=5", A)
check("due", s == 200 and 0 < len(due["items"]) <= 5 and "name" in due["items"][0], due)
s, orb = call("GET", "api/v1/orbits?since=2026-06-01", A)
check("orbits", s == 200 and orb["items"] and orb["items"][0]["orbit_name"] == "inner", orb)
s, st = call("GET", "api/v1/stats", A)
check("stats", s == 200 and st["people"] > 200, st)

# ---- import and export -------------------------------------------------------
vcf = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Import\r\nEMAIL:eve@import.example\r\nEND:VCARD\r\n"
s, rep = call("POST", "api/v1/import?format=vcard&dry_run=1", A, raw=vcf)
check("import dry run", s == 200 and rep["dry_run"] and rep["new"] == 1, rep)
check("dry run changed nothing", call("GET", "api/v1/search?q=eve%20import", A)[1]["items"] == [])
s, rep = call("POST", "api/v1/import", A, raw=vcf)
check("import", s == 201 and rep["new"] == 1, rep)
s, rep = call("POST", "api/v1/import", A, raw=vcf)
check("import again changes nothing", s == 201 and rep["new"] == 0 and rep["unchanged"] == 1, rep)
check("import bad format", is_error(call("POST", "api/v1/import?format=doc", A, raw=vcf), 400))
for fmt, needle in (("vcard", "BEGIN:VCARD"), ("csv", "Dana Field"), ("json", "Dana Field"), ("graphml", "<graphml"), ("dot", "graph kith")):
    s, body = call("GET", f"api/v1/export?format={fmt}", A)
    check(f"export {fmt}", s == 200 and needle in (body if isinstance(body, str) else json.dumps(body)))
check("export bad format", is_error(call("GET", "api/v1/export?format=xls", A), 400))

# ---- deletes -------------------------------------------------------------------
check("delete interaction", call("DELETE", f"api/v1/interactions/{iid}", A)[0] == 204)
check("deleted is gone", is_error(call("GET", f"api/v1/interactions/{iid}", A), 404))
check("delete link", call("DELETE", f"api/v1/links/{lid}", A)[0] == 204)
check("delete org", call("DELETE", f"api/v1/orgs/{oid}", A)[0] == 204)
check("delete person", call("DELETE", f"api/v1/people/{pid}", A)[0] == 204)
check("delete again: 404", is_error(call("DELETE", f"api/v1/people/{pid}", A), 404))

# ---- the authorisation matrix -------------------------------------------------
# Alex keeps a private contact, a private org, a private note and a private
# interaction with a team contact.  Every secret string must stay out of
# every answer Bo or Cy can get, and every answer Alex gets must show them.
SECRET_NAME, SECRET_ORG, SECRET_NOTE, SECRET_TALK = "Quentin Hushwell", "Umbra Holdings", "owes a favour re: merger", "zephyr acquisition talk"
s, sp = call("POST", "api/v1/people", A, body={"display_name": SECRET_NAME, "emails": ["q@hush.example"], "tags": ["rust"], "private": True})
check("private person", s == 201 and sp["private"] is True and sp["owner"] == me["id"], sp)
spid = sp["id"]
s, so = call("POST", "api/v1/orgs", A, body={"name": SECRET_ORG, "private": True})
soid = so["id"]
s, team_p = call("POST", "api/v1/people", A, body={"display_name": "Tessa Open", "tags": ["rust"]})
tpid = team_p["id"]
s, tl_ = call("POST", "api/v1/links", A, body={"a": "me", "b": str(tpid), "kind": "friend", "trust": 0.9})
s, sl = call("POST", "api/v1/links", A, body={"a": str(tpid), "b": str(spid), "kind": "friend"})
check("a link to a private person is private", s == 201 and sl["private"] is True, sl)
s, sn = call("POST", f"api/v1/people/{tpid}/notes", A, body={"body": SECRET_NOTE, "private": True})
s, si = call("POST", "api/v1/interactions", A, body={"people": ["me", str(tpid)], "notes": SECRET_TALK, "private": True})
check("private interaction", s == 201 and si["private"] is True, si)
s, ti = call("POST", "api/v1/interactions", A, body={"people": ["me", str(tpid)], "notes": "team lunch"})
secrets = (SECRET_NAME, "q@hush.example", SECRET_ORG, SECRET_NOTE, SECRET_TALK)

reads = [
    ("GET", "api/v1/people?limit=1000"), ("GET", f"api/v1/people/{spid}"), ("GET", f"api/v1/people/{tpid}"),
    ("GET", f"api/v1/people/{tpid}/timeline"), ("GET", f"api/v1/people/{tpid}/notes"),
    ("GET", f"api/v1/people/{spid}/timeline"), ("GET", f"api/v1/people/{spid}/notes"),
    ("GET", "api/v1/orgs?limit=1000"), ("GET", f"api/v1/orgs/{soid}"),
    ("GET", f"api/v1/links?person={tpid}"), ("GET", f"api/v1/links/{sl['id']}"),
    ("GET", "api/v1/interactions?limit=1000"), ("GET", f"api/v1/interactions/{si['id']}"),
    ("GET", f"api/v1/interactions?person={tpid}"),
    ("GET", "api/v1/search?q=quentin"), ("GET", "api/v1/search?q=umbra"), ("GET", "api/v1/search?q=zephyr"),
    ("GET", "api/v1/search?q=hush"), ("GET", f"api/v1/path?to={spid}"),
    ("GET", f"api/v1/intro?to={spid}"), ("GET", f"api/v1/intro/team?to={spid}"),
    ("GET", "api/v1/near?from=me&within=3&limit=0"), ("GET", "api/v1/near?within=3&tag=rust&limit=0"),
    ("GET", f"api/v1/mutual?a=me&b={spid}"), ("GET", "api/v1/due?limit=1000"), ("GET", "api/v1/orbits"),
    ("GET", "api/v1/stats"),
    ("GET", "api/v1/export?format=json"), ("GET", "api/v1/export?format=vcard"), ("GET", "api/v1/export?format=csv"),
    ("GET", "api/v1/export?format=graphml"), ("GET", "api/v1/export?format=dot"),
    ("PATCH", f"api/v1/people/{spid}"), ("DELETE", f"api/v1/people/{spid}"), ("PATCH", f"api/v1/orgs/{soid}"),
    ("DELETE", f"api/v1/links/{sl['id']}"), ("DELETE", f"api/v1/interactions/{si['id']}"),
    ("PATCH", f"api/v1/interactions/{si['id']}"),
    ("DELETE", f"api/v1/notes/{sn['id']}"), ("POST", f"api/v1/people/{spid}/notes"),
]
leaks = []
refused = 0
for who in ("bo", "cy"):
    for m, path in reads:
        body = {"body": "x"} if m == "POST" else ({"notes": "x"} if m == "PATCH" and "orgs" in path else ({"city": "x"} if m == "PATCH" else None))
        s, res = call(m, path, tok[who], body=body)
        text = res if isinstance(res, str) else json.dumps(res, ensure_ascii=False)
        for sec in secrets:
            if sec.lower() in text.lower():
                leaks.append((who, m, path, sec))
        if m != "GET":
            refused += s == 404
check("no private record or field leaks to another member (%d requests)" % (2 * len(reads)), not leaks, leaks)
check("changes to private records are refused as not found", refused == 2 * sum(1 for m, _ in reads if m != "GET"), refused)
# A hidden person's email is answered exactly like an unknown one.
hid = call("GET", "api/v1/path?to=q@hush.example", B)
unk = call("GET", "api/v1/path?to=z@hush.example", B)
check("a hidden email answers like an unknown one", hid[0] == unk[0] == 404 and
      json.dumps(hid[1]).replace("q@", "z@") == json.dumps(unk[1]), (hid, unk))
# An address a hidden person has is free in bo's scope (schema migration 11):
# a person bo adds with it is answered exactly as with an address nobody has.
hid = call("POST", "api/v1/people", B, body={"display_name": "Probe", "emails": ["q@hush.example"]})
unk = call("POST", "api/v1/people", B, body={"display_name": "Probe", "emails": ["z@hush.example"]})
check("a hidden person's email is no clash, and names nobody",
      hid[0] == unk[0] == 201 and SECRET_NAME not in json.dumps(hid[1]) and
      {k: v for k, v in hid[1].items() if k not in ("id", "emails", "etag")} ==
      {k: v for k, v in unk[1].items() if k not in ("id", "emails", "etag")}, (hid, unk))
for probe in (hid, unk):  # bo's own records: out of the leak matrix below
    call("DELETE", f"api/v1/people/{probe[1]['id']}", B)
s, sa = call("GET", "api/v1/stats", A)
s, sb = call("GET", "api/v1/stats", B)
check("counts leave private records out", sa["people"] - sb["people"] == 1 and sa["interactions"] - sb["interactions"] == 1 and sa["orgs"] - sb["orgs"] == 1, (sa, sb))
s, lb = call("GET", "api/v1/people?limit=1", B)
s, la = call("GET", "api/v1/people?limit=1", A)
check("list totals leave private people out", la["total"] - lb["total"] == 1, (la["total"], lb["total"]))
s, tb = call("GET", f"api/v1/people/{tpid}/timeline", B)
check("others see the team interaction", [x["notes"] for x in tb["items"]] == ["team lunch"], tb)
# Alex sees all of it.
seen = []
for m, path in reads:
    if m != "GET":
        continue
    s, res = call(m, path, A)
    seen.append(res if isinstance(res, str) else json.dumps(res, ensure_ascii=False))
alltext = "\n".join(seen)
check("the owner sees every private record", all(sec in alltext for sec in secrets), [sec for sec in secrets if sec not in alltext])
s, pa = call("GET", f"api/v1/path?to={spid}", A)
check("the owner's paths go through private links", s == 200 and pa["path"]["hops"] == 2, pa)
# The generated matrix: every route x member x (private, team) record.
s, tn = call("POST", f"api/v1/people/{tpid}/notes", A, body={"body": "team note"})
s, to_ = call("POST", "api/v1/orgs", A, body={"name": "Open Org"})
s, sj = call("POST", "api/v1/jobs", A, body={"person": str(spid), "org": str(soid), "title": "Keeper"})
s, tj = call("POST", "api/v1/jobs", A, body={"person": str(tpid), "org": str(to_["id"])})
check("jobs for the matrix", sj.get("id") and tj.get("id"), (sj, tj))
s, sv = call("POST", "api/v1/vouches", A, body={"voucher": str(tpid), "subject": str(spid)})
s, tv = call("POST", "api/v1/vouches", A, body={"voucher": "me", "subject": str(tpid)})
check("vouches for the matrix", sv.get("id") and tv.get("id"), (sv, tv))
s, mem = call("GET", "api/v1/members", A)
bo_id = [m["id"] for m in mem["items"] if m["name"] == "bo"][0]
s, btoks = call("GET", f"api/v1/members/{bo_id}/tokens", A)
ids = {"people": (spid, tpid), "orgs": (soid, to_["id"]), "links": (sl["id"], tl_["id"]),
       "interactions": (si["id"], ti["id"]), "notes": (sn["id"], tn["id"]),
       "jobs": (sj["id"], tj["id"]), "vouches": (sv["id"], tv["id"]),
       "members": (bo_id, bo_id), "tokens": (btoks["items"][0]["id"],) * 2, "orbits": (1, 1)}
OWNER_ONLY = ("members", "tokens", "orbits")
# An introduction request is seen by its two members only (alex asks bo);
# a member's leaves by the whole team.
s, rq_ = call("POST", "api/v1/intro/requests", A, body={"to": str(tpid), "member": "bo"})
check("an introduction request for the matrix", s == 201, rq_)
ids["intro"] = (rq_.get("id", 0), rq_.get("id", 0))
ids["leaves"] = (me["id"], me["id"])
PARTIES = {"intro": ("alex", "bo"), "leaves": ("alex", "bo", "cy")}
VCF = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Matrix Card\r\nEND:VCARD\r\n"
matrix_leaks, matrix_wrong, matrix_n = [], [], 0
for method, pattern in sorted(routes):
    kind = pattern.split("/")[3] if len(pattern.split("/")) > 3 else ""
    if pattern.endswith("/leaves"):
        kind = "leaves"  # a member's leaves: the whole team's, not the owner's
    for vis in (0, 1):  # 0: private to alex, 1: team
        person = ids["people"][vis]
        rid = ids.get(kind, ids["people"])[vis]
        path = pattern.replace("{id}", str(rid)).lstrip("/")
        if "{id}" not in pattern and method == "GET":
            path += f"?person={person}&to={person}&a=me&b={person}&q=quentin&limit=1000"
        body, raw = None, None
        if method in ("POST", "PATCH"):
            body = {"people": ("people", ["me", str(person)]), "links": ("links", None)}.get(kind, (None, None))[1]
            body = {"POST /api/v1/people": {"display_name": "M"}, "PATCH /api/v1/people/{id}": {"city": "m"},
                    "POST /api/v1/people/{id}/notes": {"body": "m"}, "POST /api/v1/orgs": {"name": f"M{matrix_n}"},
                    "PATCH /api/v1/orgs/{id}": {"notes": "m"}, "POST /api/v1/links": {"a": "me", "b": str(person)},
                    "PATCH /api/v1/links/{id}": {"notes": "m"}, "PATCH /api/v1/jobs/{id}": {"title": "m"},
                    "PATCH /api/v1/interactions/{id}": {"notes": "m"},
                    "POST /api/v1/interactions": {"people": ["me", str(person)]},
                    "POST /api/v1/intro/requests": {"to": str(person), "member": "bo"},
                    "PATCH /api/v1/intro/requests/{id}": {"outcome": "met"}}.get(f"{method} {pattern}")
            if pattern == "/api/v1/import":
                raw = VCF
        for who in ("alex", "bo", "cy"):
            if method == "DELETE" and (who == "alex" or vis == 1):
                continue  # keep the records the rest of the matrix reads
            matrix_n += 1
            if method == "DELETE" and kind in OWNER_ONLY and who == "alex":
                continue  # keep bo signed in
            st_, res = call(method, path, tok[who], body=body, raw=raw)
            text = res if isinstance(res, str) else json.dumps(res, ensure_ascii=False)
            if kind in PARTIES and "{id}" in pattern:
                # Not a record with privacy: who may see it is who is a party.
                matrix_leaks += [(who, method, path, x) for x in secrets
                                 if who != "alex" and x.lower() in text.lower()]
                if (who in PARTIES[kind]) != (st_ != 404) and (method == "GET" or who not in PARTIES[kind]):
                    matrix_wrong.append((who, method, path, st_))
                continue
            if kind in OWNER_ONLY and "{id}" in pattern:
                # The team's owner's routes: 403 to anyone else, whatever the id.
                if who != "alex" and st_ != 403:
                    matrix_wrong.append((who, method, path, st_))
                elif who == "alex" and method == "GET" and st_ != 200:
                    matrix_wrong.append((who, method, path, st_))
            elif who != "alex" and vis == 0:
                matrix_leaks += [(who, method, path, x) for x in secrets if x.lower() in text.lower()]
                # Anything naming the private record by id, or a person
                # only alex sees, is "not found".
                if ("{id}" in pattern or method == "POST" and kind in ("links", "interactions")) and st_ != 404:
                    matrix_wrong.append((who, method, path, st_))
            elif "{id}" in pattern and method == "GET" and st_ != 200:
                matrix_wrong.append((who, method, path, st_))
check(f"generated matrix, {matrix_n} requests over {len(routes)} routes: no leak", not matrix_leaks, matrix_leaks[:5])
check("generated matrix: hidden records are not found, visible ones are", not matrix_wrong, matrix_wrong[:8])

check("only its owner may make a team record private", is_error(call("PATCH", f"api/v1/people/{tpid}", B, body={"private": True}), 403, "forbidden"))
# The matrix above had bo and cy write notes, links and talks on tpid: making
# it private would hide their records from them, so it is refused, and
# nothing changes.
before_b = call("GET", f"api/v1/people/{tpid}/timeline", B)
check("the owner may not hide a person others' records hang on",
      is_error(call("PATCH", f"api/v1/people/{tpid}", A, body={"private": True}), 409, "conflict"))
check("and the refusal changed nothing", call("GET", f"api/v1/people/{tpid}/timeline", B) == before_b)
s, own_p = call("POST", "api/v1/people", A, body={"display_name": "Own Contact"})
opid = own_p["id"]
call("POST", "api/v1/links", A, body={"a": "me", "b": str(opid), "kind": "friend"})
s, made = call("PATCH", f"api/v1/people/{opid}", A, body={"private": True})
check("the owner may make it private", s == 200 and made["private"] is True and made["owner"] == me["id"], made)
check("then colleagues no longer see it", is_error(call("GET", f"api/v1/people/{opid}", B), 404))
check("nor its links", all(x["b"] != opid and x["a"] != opid for x in call("GET", "api/v1/links?limit=1000", B)[1]["items"]))
check("nor can they change it back", is_error(call("PATCH", f"api/v1/people/{opid}", C, body={"private": False}), 404))

# ---- concurrent readers: routing and sign-in are thread-safe ----------------
bad = []


def reader(k):
    for i in range(150):
        for path in ("api/v1/health", "api/v1/me", f"api/v1/people/{me['person']['id']}"):
            st_ = call("GET", path, A)[0]
            if st_ != 200:
                with lock:
                    bad.append((path, st_))


lock = threading.Lock()
ths = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
for t in ths:
    t.start()
for t in ths:
    t.join()
check("3,600 concurrent reads all answered 200", not bad, bad[:5])

# ---- concurrent writers, then SIGTERM: no answered write is lost ---------------
acked = []


def writer(k):
    for i in range(40):
        s, res = call("POST", "api/v1/interactions", A, body={"people": ["me", "bo"], "kind": "message", "notes": f"w{k}-{i}"})
        if s == 201:
            with lock:
                acked.append(res["id"])


ths = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
for t in ths:
    t.start()
for t in ths:
    t.join()
check("concurrent writes all answered", len(acked) == 320, len(acked))
srv.send_signal(signal.SIGTERM)
try:
    rc = srv.wait(timeout=20)
except subprocess.TimeoutExpired:
    srv.kill()
    rc = -1
check("SIGTERM stops the server cleanly", rc == 0, srv.stderr.read())
out = subprocess.run(["sqlite3", DB, "SELECT count(*) FROM interaction WHERE notes LIKE 'w%-%'; PRAGMA integrity_check;"],
                     capture_output=True, text=True).stdout.split()
check("every answered write is in the database", out[:2] == [str(len(acked)), "ok"], out)
print(f"# {N} checks, {FAILED} failed")
sys.exit(1 if FAILED else 0)
