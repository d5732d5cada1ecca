#!/usr/bin/env python3
"""Three members try to take, publish, destroy or infer each other's records.

Prints TAP lines.  Usage: test_adversary.py KITH_BINARY REPO_ROOT

- Hostile search words (the FTS query buffer) on every way a reference
  reaches it, in the server and the CLI.
- Changes of privacy: no other member's row changes owner, making a person
  team again restores every view, a member's own person cannot be taken.
- Removals: another member's record is refused, and so is a person or an
  org that other members' (or hidden) records hang on.
- Inference: edge weights, search snippets and "already exists" answers
  depend only on what the member sees.
- The differential matrix: every GET route, as alex sees it, before and
  after bo's private writes, byte for byte; and every route naming a hidden
  record answers exactly as for a missing one.
"""
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kithtest import Suite, is_error  # noqa: E402

t = Suite(sys.argv[1])
check, call, kith = t.check, t.call, t.kith
q = urllib.parse.quote

# ---- the network: the demo, three members, a few team people --------------
kith("init", "--me", "Alex Morgan", "--email", "alex@kith.example")
kith("demo", "--seed", "7")
kith("add", "person", "Bo Brand", "--email", "bo@kith.example")
kith("add", "person", "Cy Clark", "--email", "cy@kith.example")
tok = {}
for name, person in (("alex", "me"), ("bo", "bo@kith.example"), ("cy", "cy@kith.example")):
    tok[name] = json.loads(kith("--json", "member", "add", name, "--person", person).stdout)["token"]
A, B, C = tok["alex"], tok["bo"], tok["cy"]
kith("link", "bo@kith.example", "me", "--kind", "colleague", "--trust", "0.8")
kith("link", "cy@kith.example", "bo@kith.example", "--kind", "friend", "--trust", "0.6")
ids = {}
for key, name in (("p1", "Pat Shared"), ("p2", "Quinn Shared"), ("p3", "Remy Shared"),
                  ("p4", "Sol Loner"), ("q", "Tal Claimable")):
    ids[key] = int(re.search(r"#(\d+)", kith("add", "person", name).stdout).group(1))
P1, P2, P3, P4, Q = (ids[k] for k in ("p1", "p2", "p3", "p4", "q"))
kith("link", "me", f"#{P1}", "--kind", "friend", "--trust", "0.7")
kith("link", f"#{P1}", f"#{P2}", "--kind", "colleague", "--trust", "0.5")
kith("link", "me", f"#{Q}", "--kind", "friend")
kith("link", f"#{Q}", f"#{P2}", "--kind", "friend")
kith("log", "meeting", f"#{P1}", "--at", "2026-11-01")
kith("log", "call", f"#{Q}", f"#{P2}", "--at", "2026-10-01")
s = json.loads(kith("--json", "show", "bo@kith.example").stdout)
BO = s["id"]
MISSING = 987654
t.serve()
check("members sign in", call("GET", "api/v1/me", B)[1].get("person", {}).get("id") == BO)


def norm(text, hidden, missing):
    """An answer with the one id it names made neutral."""
    return str(text).replace(f"#{hidden}", "#ID").replace(f"#{missing}", "#ID") \
        .replace(f"/{hidden}", "/ID").replace(f"/{missing}", "/ID")


def view(token, paths):
    return {p: call("GET", p, token) for p in paths}


# ---- 1: hostile search words never overflow ---------------------------------
ones = " ".join(["a"] * 200)
quotes = " ".join(['"x"'] * 150 + ['""""'] * 100)
for label, words in (("200 one-letter words", ones), ("quote-heavy words", quotes)):
    w = q(words)
    answers = [call("GET", f"api/v1/search?q={w}", A), call("GET", f"api/v1/path?to={w}", A),
               call("GET", f"api/v1/intro?to={w}", A), call("GET", f"api/v1/mutual?a=me&b={w}", A),
               call("GET", f"api/v1/near?from={w}", A), call("GET", f"api/v1/links?person={w}", A),
               call("GET", f"api/v1/interactions?person={w}", A),
               call("GET", f"api/v1/intro/team?to={w}", A),
               call("POST", "api/v1/links", A, body={"a": words, "b": "me"}),
               call("POST", "api/v1/interactions", A, body={"people": ["me", words]})]
    check(f"{label}: every call site answers, none fails inside",
          all(s_ in (200, 400, 404, 409) for s_, _ in answers) and t.alive(),
          [a[0] for a in answers])
    r = kith("find", *words.split(), check=False)
    check(f"{label}: kith find answers", r.returncode in (0, 1) and "Sanitizer" not in r.stderr,
          r.stderr[-500:])
    r = kith("path", "me", words, check=False)
    check(f"{label}: kith path answers", r.returncode in (0, 1) and "Sanitizer" not in r.stderr,
          r.stderr[-500:])
check("the server is still up", call("GET", "api/v1/health")[0] == 200 and t.alive())

# ---- 2: a change of privacy takes nothing -----------------------------------
rows = f"SELECT 'link', id, coalesce(owner, 0), private FROM link WHERE a = {Q} OR b = {Q}" \
       f" UNION ALL SELECT 'int', i.id, coalesce(owner, 0), private FROM interaction i" \
       f" JOIN interaction_person ip ON ip.interaction_id = i.id WHERE ip.person_id = {Q}"
q_paths = [f"api/v1/people/{Q}", f"api/v1/links?person={Q}", f"api/v1/people/{Q}/timeline",
           f"api/v1/path?to={Q}", f"api/v1/path?from=bo&to={P2}", "api/v1/search?q=Tal",
           "api/v1/stats", f"api/v1/interactions?person={P2}"]
before_rows, before_bo = t.sql(rows), view(B, q_paths)
s, made = call("PATCH", f"api/v1/people/{Q}", A, body={"private": True})
check("a person nobody owns, with team records only, can be made private",
      s == 200 and made["private"] is True and made["owner"] == 1, made)
check("no other row changed owner or privacy", t.sql(rows) == before_rows, t.sql(rows))
s_h, r_h = call("GET", f"api/v1/people/{Q}", B)
s_m, r_m = call("GET", f"api/v1/people/{MISSING}", B)
check("bo: the person is now exactly like a missing one",
      s_h == s_m == 404 and norm(r_h, Q, MISSING) == norm(r_m, Q, MISSING), (r_h, r_m))
check("bo: their talks are hidden too",
      all(Q not in [p["id"] for p in it.get("people", [])]
          for it in call("GET", f"api/v1/interactions?person={P2}", B)[1]["items"]))
s, made = call("PATCH", f"api/v1/people/{Q}", A, body={"private": False})
check("made team again", s == 200 and made["private"] is False, made)
after_bo = view(B, q_paths)
# The one difference: the person alex claimed stays alex's (nobody owned it).
check("the claimed person stays alex's", after_bo[q_paths[0]][1]["owner"] == 1, after_bo[q_paths[0]])
after_bo[q_paths[0]][1]["owner"] = before_bo[q_paths[0]][1]["owner"]
after_bo[q_paths[0]][1]["etag"] = before_bo[q_paths[0]][1]["etag"]  # a hash of the record, owner included
check("every other part of bo's views is as it was", after_bo == before_bo,
      [p for p in q_paths if after_bo[p] != before_bo[p]])

# Bo's records on a person alex might hide.
s, bn = call("POST", f"api/v1/people/{P1}/notes", B, body={"body": "bo's private view", "private": True})
s, bt = call("POST", "api/v1/interactions", B, body={"people": ["me", str(P1)], "kind": "call"})
p1_rows = f"SELECT id, coalesce(owner, 0), private FROM note WHERE person_id = {P1}" \
          f" UNION ALL SELECT id, coalesce(owner, 0), private FROM person WHERE id = {P1}"
before_rows, before_bo = t.sql(p1_rows), view(B, [f"api/v1/people/{P1}", f"api/v1/people/{P1}/notes"])
res = call("PATCH", f"api/v1/people/{P1}", A, body={"private": True})
check("a person other members' records hang on cannot be made private",
      is_error(res, 409, "conflict") and "2 records" in res[1]["error"]["message"], res)
check("the refusal changed nothing", t.sql(p1_rows) == before_rows and
      view(B, [f"api/v1/people/{P1}", f"api/v1/people/{P1}/notes"]) == before_bo)
check("a member's own person cannot be made private by another",
      is_error(call("PATCH", f"api/v1/people/{BO}", A, body={"private": True}), 409, "conflict"))
check("bo's /me still answers", call("GET", "api/v1/me", B)[1]["person"]["id"] == BO)
s, made = call("PATCH", f"api/v1/people/{BO}", B, body={"private": True})
check("its member may make it private", s == 200 and made["owner"] == 2, made)
check("then bo's /me shows it, alex's view does not",
      call("GET", "api/v1/me", B)[1]["person"]["id"] == BO and call("GET", f"api/v1/people/{BO}", A)[0] == 404)
check("and back", call("PATCH", f"api/v1/people/{BO}", B, body={"private": False})[0] == 200 and
      call("GET", f"api/v1/people/{BO}", A)[0] == 200)
t.sql(f"UPDATE person SET private = 1, owner = NULL WHERE id = {BO}")  # as the database's own user
s, me_b = call("GET", "api/v1/me", B)
check("a member whose person is hidden from them still gets /me", s == 200 and me_b["person"] is None, me_b)
t.sql(f"UPDATE person SET private = 0, owner = 2 WHERE id = {BO}")
s, bo_org = call("POST", "api/v1/orgs", B, body={"name": "Bo Team Works"})
check("a team org owned by bo cannot be made private by alex",
      is_error(call("PATCH", f"api/v1/orgs/{bo_org['id']}", A, body={"private": True}), 403, "forbidden"))
s, same = call("PATCH", f"api/v1/orgs/{bo_org['id']}", A, body={"private": False})
check("setting what it is already changes nothing, owner included",
      s == 200 and same["owner"] == bo_org["owner"], same)

# ---- 6: removing destroys nothing that is not yours --------------------------
s, bn3 = call("POST", f"api/v1/people/{P3}/notes", B, body={"body": "keep this", "private": True})
res = call("DELETE", f"api/v1/people/{P3}", A)
check("a person with another member's hidden note is not removed",
      is_error(res, 409, "conflict") and "1 record of other members" in res[1]["error"]["message"], res)
check("and the note is still bo's", [n["body"] for n in call("GET", f"api/v1/people/{P3}/notes", B)[1]["items"]]
      == ["keep this"])
check("a member's own person is theirs, not another's to remove",
      is_error(call("DELETE", f"api/v1/people/{BO}", A), 403, "forbidden"))
check("nor do they remove it while they are a member",
      is_error(call("DELETE", f"api/v1/people/{BO}", B), 409, "conflict"))
s, bl = call("POST", "api/v1/links", B, body={"a": "me", "b": str(P3), "kind": "friend"})
check("another member's team link is theirs to remove", is_error(call("DELETE", f"api/v1/links/{bl['id']}", A), 403, "forbidden"))
check("another member's team org too", is_error(call("DELETE", f"api/v1/orgs/{bo_org['id']}", A), 403))
check("another member's interaction too", is_error(call("DELETE", f"api/v1/interactions/{bt['id']}", A), 403))
check("a person only the team's own records hang on is removed", call("DELETE", f"api/v1/people/{P4}", A)[0] == 204)

# ---- 5: what a member infers -------------------------------------------------
weights = [f"api/v1/path?to={P2}", f"api/v1/intro?to={P2}&alts=3", f"api/v1/mutual?a=me&b={P2}",
           "api/v1/near?within=2&limit=50", f"api/v1/intro/team?to={P2}", f"api/v1/path?from={P1}&to={P2}"]
w0, bo0 = view(A, weights), call("GET", f"api/v1/path?from={P1}&to={P2}", B)
s, hid = call("POST", "api/v1/interactions", B,
              body={"people": [str(P1), str(P2)], "kind": "meeting", "private": True, "notes": "quiet deal"})
check("bo logs a private meeting between two team people", s == 201 and hid["private"] is True, hid)
call("POST", "api/v1/interactions", B, body={"people": ["me", str(P1)], "kind": "message", "private": True})
time.sleep(6)  # past the lag after which a write's weights are rebuilt
w1, bo1 = view(A, weights), call("GET", f"api/v1/path?from={P1}&to={P2}", B)
check("bo's own weights weigh it", bo1 != bo0, (bo0, bo1))
check("alex's weights are exactly as they were", w1 == w0, [p for p in weights if w1[p] != w0[p]])

s, neb = call("POST", "api/v1/orgs", B, body={"name": "Nebula Quiet Labs", "private": True})
kith("work", f"#{P1}", "Nebula Quiet Labs", "--title", "Advisor")
check("the job is at bo's private org", t.sql(f"SELECT o.private FROM job j JOIN org o ON o.id = j.org_id"
                                              f" WHERE j.person_id = {P1}").split() == ["1"])
s, hits = call("GET", "api/v1/search?q=Nebula", A)
check("a hidden org's name finds nobody", s == 200 and hits["items"] == [], hits)
s, hits = call("GET", "api/v1/search?q=Pat%20Shared", A)
check("nor shows in a snippet", s == 200 and hits["items"] and "Nebula" not in json.dumps(hits), hits)
check("nor among the person's jobs", "Nebula" not in json.dumps(call("GET", f"api/v1/people/{P1}", A)[1]))
check("bo finds their org", any(h["title"] == "Nebula Quiet Labs" for h in call("GET", "api/v1/search?q=Nebula", B)[1]["items"]))

s, blk = call("POST", "api/v1/links", B, body={"a": str(P1), "b": str(P2), "kind": "mentor", "private": True})
check("bo keeps a private link", s == 201, blk)
s_h, r_h = call("POST", "api/v1/links", A, body={"a": str(P1), "b": str(P2), "kind": "mentor"})
s_m, r_m = call("POST", "api/v1/links", A, body={"a": str(P1), "b": str(P3), "kind": "mentor"})
check("a link bo hides is no reason to refuse alex's", s_h == s_m == 201, (r_h, r_m))
check("alex's own is", is_error(call("POST", "api/v1/links", A, body={"a": str(P2), "b": str(P1), "kind": "mentor"}), 409))
s, ho = call("POST", "api/v1/orgs", B, body={"name": "Umbra Hidden", "private": True})
s_h, r_h = call("POST", "api/v1/orgs", A, body={"name": "umbra hidden"})
s_m, r_m = call("POST", "api/v1/orgs", A, body={"name": "Umbra Absent"})
check("an org bo hides is no reason to refuse alex's", s_h == s_m == 201, (r_h, r_m))
check("alex's own name is", is_error(call("POST", "api/v1/orgs", A, body={"name": "UMBRA HIDDEN"}), 409))

s, vo = call("POST", "api/v1/orgs", B, body={"name": "Veil Ventures", "private": True})
reports = []
for name, org in (("Ivy Import", "Veil Ventures"), ("Ike Import", "Open Absent Org")):
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nORG:{org}\r\nTITLE:Partner\r\nEND:VCARD\r\n"
    s, rep = call("POST", "api/v1/import?format=vcard", A, raw=card.encode())
    reports.append((s, rep.get("orgs_created") if isinstance(rep, dict) else rep))
check("an import naming an org bo hides makes alex's own, as for a free name",
      reports[0] == reports[1] == (201, 1), reports)
ivy = [h for h in call("GET", "api/v1/search?q=Ivy%20Import", A)[1]["items"] if h["title"] == "Ivy Import"]
jobs = call("GET", f"api/v1/people/{ivy[0]['id']}", A)[1]["jobs"] if ivy else []
check("and alex sees the job there", [j["org_name"] for j in jobs] == ["Veil Ventures"], jobs)

# ---- the differential matrix -----------------------------------------------------
routes = sorted(set(tuple(x.split()) for x in kith("serve", "--routes").stdout.splitlines()))
# Team records the new routes read: a job, a vouch, a cadence, a tag, an
# introduction request (alex asks bo, whose contact cy is).
CY = json.loads(kith("--json", "show", "cy@kith.example").stdout)["id"]
kith("work", f"#{P1}", "Open Harbour Co", "--title", "Harbour Lead")
s, tjob = call("GET", f"api/v1/people/{P1}/jobs", A)
TJOB = tjob["items"][0]["id"]
call("POST", "api/v1/vouches", A, body={"voucher": "me", "subject": str(P1)})
call("PUT", f"api/v1/people/{P1}/cadence", A, body={"days": 30})
call("POST", f"api/v1/people/{P1}/tags", A, body={"add": ["shared"]})
s, rq_a = call("POST", "api/v1/intro/requests", A, body={"to": str(CY), "member": "bo"})
check("alex asks bo for an introduction", s == 201, rq_a)
HARBOUR = tjob["items"][0]["org"]
ME_MEMBER = call("GET", "api/v1/me", A)[1]["id"]
gets = ["api/v1/health", "api/v1/me", "api/v1/members", "api/v1/people?limit=1000",
        f"api/v1/people/{P1}", f"api/v1/people/{P1}/timeline", f"api/v1/people/{P1}/notes",
        f"api/v1/people/{P2}", "api/v1/orgs?limit=1000", f"api/v1/orgs/{bo_org['id']}",
        f"api/v1/links?limit=1000", f"api/v1/links?person={P1}", f"api/v1/links/{bl['id']}",
        "api/v1/interactions?limit=1000", f"api/v1/interactions?person={P1}",
        f"api/v1/interactions/{bt['id']}", "api/v1/search?q=shared", "api/v1/search?q=quiet",
        f"api/v1/path?to={P2}", f"api/v1/intro?to={P2}&alts=3", f"api/v1/intro/team?to={P2}",
        "api/v1/near?within=2&limit=100", f"api/v1/mutual?a=me&b={P2}", "api/v1/due?limit=100",
        "api/v1/orbits", "api/v1/stats",
        "api/v1/balance", f"api/v1/balance?person={P1}", "api/v1/cadences", "api/v1/degree",
        "api/v1/dupes", "api/v1/goodwill", "api/v1/intro/requests", f"api/v1/intro/requests/{rq_a['id']}",
        f"api/v1/jobs/{TJOB}", "api/v1/kinds", "api/v1/leaves", f"api/v1/like?person={P1}",
        f"api/v1/members/{ME_MEMBER}/leaves", f"api/v1/members/{ME_MEMBER}/tokens",
        f"api/v1/orgs/{HARBOUR}/people", f"api/v1/orgs/{HARBOUR}/ways", f"api/v1/people/{P1}/candidate",
        f"api/v1/people/{P1}/jobs", "api/v1/reach?within=3", f"api/v1/strength?b={P1}",
        f"api/v1/strength?b={P2}", "api/v1/tags", "api/v1/vouches", f"api/v1/vouches?person={P1}",
        "api/v1/people?sort=strength&limit=100", "api/v1/people?tag=shared",
        f"api/v1/orgs/{bo_org['id']}/people"] + \
       [f"api/v1/export?format={f}" for f in ("json", "vcard", "csv", "graphml", "dot")]
covered = {p.split("?")[0] for p in gets}
for method, pattern in routes:
    if method == "GET":
        rx = "^" + re.sub(r"\{\w+\}", r"\\d+", pattern.lstrip("/")) + "$"
        check(f"the matrix reads {pattern}", any(re.match(rx, c) for c in covered))


def snapshot():
    out = {}
    for p in gets:
        s_, h, body = t.request("GET", p, A)
        out[p] = (s_, body, h.get("ETag") if h else None, h.get("Content-Type") if h else None)
    return out


before = snapshot()
# Bo's private writes, of every kind, on team people and on his own.
s, zp = call("POST", "api/v1/people", B, body={"display_name": "Zed Hidden", "emails": ["zed@hidden.example"],
                                                 "tags": ["shared"], "private": True})
call("POST", "api/v1/links", B, body={"a": str(zp["id"]), "b": str(P1), "kind": "friend", "trust": 0.9})
call("POST", "api/v1/links", B, body={"a": str(P2), "b": str(P3), "kind": "friend", "private": True})
call("POST", "api/v1/interactions", B, body={"people": [str(P1), str(P2), "me"], "kind": "meeting",
                                             "notes": "shared quiet plan", "private": True})
call("POST", "api/v1/interactions", B, body={"people": [str(zp["id"]), str(P2)], "kind": "call"})
call("POST", f"api/v1/people/{P1}/notes", B, body={"body": "shared secret note", "private": True})
s, zo = call("POST", "api/v1/orgs", B, body={"name": "Shared Quiet Org", "private": True})
kith("work", f"#{P2}", "Shared Quiet Org", "--title", "Quiet Partner")
s, tmp = call("POST", "api/v1/people", B, body={"display_name": "Flip Flop"})
call("PATCH", f"api/v1/people/{tmp['id']}", B, body={"private": True})
call("POST", "api/v1/import?private=1", B,
     raw=b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat Shared\r\nEMAIL:pat.private@hidden.example\r\n"
         b"TEL:+1 555 0100\r\nNOTE:bo's private view of Pat\r\nEND:VCARD\r\n")
s, zjob = call("POST", "api/v1/jobs", B, body={"person": str(zp["id"]), "org": str(zo["id"]), "title": "Hidden"})
call("POST", "api/v1/jobs", B, body={"person": str(P1), "org": str(zo["id"]), "title": "Quiet Role"})
s, zv = call("POST", "api/v1/vouches", B, body={"voucher": str(zp["id"]), "subject": str(P1)})
call("PUT", f"api/v1/people/{zp['id']}/cadence", B, body={"days": 7})
call("POST", "api/v1/interactions", B, body={"people": [str(P1), "me"], "kind": "favour", "giver": "me",
                                             "value": 3, "private": True})
check("bo's private job and vouch are recorded", zjob.get("id") and zv.get("id"), (zjob, zv))
time.sleep(6)
after = snapshot()
moved = [p for p in gets if after[p] != before[p]]
check(f"alex's {len(gets)} reads are byte for byte the same after bo's private writes", not moved,
      [(p, before[p][1][:300], after[p][1][:300]) for p in moved[:3]])

# Hidden vs missing, on every route that names a record.
hidden = {"people": zp["id"], "orgs": zo["id"], "links": blk["id"], "interactions": hid["id"],
          "notes": bn["id"], "jobs": zjob["id"], "vouches": zv["id"]}
OWNERS = ("members", "tokens", "orbits")  # the owner's settings, not records with privacy
diffs = []
for method, pattern in routes:
    m = re.search(r"/api/v1/(\w+)/\{id\}", pattern)
    if not m or m.group(1) in OWNERS:
        continue
    h_id = hidden[m.group(1)]
    body = {"PATCH": {"notes": "x"} if m.group(1) != "people" else {"city": "x"},
            "POST": {"body": "x"} if not pattern.endswith("/tags") else {"add": ["x"]},
            "PUT": {"days": 9}}.get(method)
    res = []
    for rid in (h_id, MISSING):
        s_, hd, data = t.request(method, pattern.lstrip("/").replace("{id}", str(rid)), A, body=body)
        res.append((s_, norm(data.decode(), h_id, MISSING), hd.get("Content-Type") if hd else None))
    if res[0] != res[1] or res[0][0] != 404:
        diffs.append((method, pattern, res))
for path in ("api/v1/path?to={}", "api/v1/intro?to={}", "api/v1/intro/team?to={}",
             "api/v1/mutual?a=me&b={}", "api/v1/near?from={}", "api/v1/links?person={}",
             "api/v1/interactions?person={}", "api/v1/strength?b={}", "api/v1/balance?person={}",
             "api/v1/like?person={}", "api/v1/degree?from={}", "api/v1/reach?from={}",
             "api/v1/vouches?person={}", "api/v1/people?org={}", "api/v1/goodwill?member={}"):
    res = [call("GET", path.format(rid), A) for rid in (zp["id"], MISSING)]
    res = [(s_, norm(r, zp["id"], MISSING)) for s_, r in res]
    if res[0] != res[1]:
        diffs.append(("GET", path, res))
for body in ({"a": "me", "b": "{}"}, {"people": ["me", "{}"]}):
    path = "api/v1/links" if "a" in body else "api/v1/interactions"
    res = []
    for rid in (zp["id"], MISSING):
        b = json.loads(json.dumps(body).replace("{}", str(rid)))
        s_, r = call("POST", path, A, body=b)
        res.append((s_, norm(r, zp["id"], MISSING)))
    if res[0] != res[1]:
        diffs.append(("POST", path, res))
check("every route answers a hidden record exactly as a missing one", not diffs, diffs[:4])
# Who asserted a team link is named only to those who see that person: bo,
# whose own person is private, links two team people.
s, made = call("PATCH", f"api/v1/people/{BO}", B, body={"private": True})
s, bol = call("POST", "api/v1/links", B, body={"a": str(Q), "b": str(P1), "kind": "colleague"})
s_a, la = call("GET", f"api/v1/links/{bol['id']}", A)
lst = [x for x in call("GET", f"api/v1/links?person={Q}", A)[1]["items"] if x["id"] == bol["id"]]
check("a team link asserted by bo's private self names nobody to alex",
      made["private"] is True and s_a == 200 and la["asserted_by"] is None and
      lst and lst[0]["asserted_by"] is None and call("GET", f"api/v1/links/{bol['id']}", B)[1]["asserted_by"] == BO,
      (la, lst))
s_p, _ = call("PATCH", f"api/v1/links/{bol['id']}", A, body={"notes": "x"}, headers={"If-Match": la["etag"]})
check("and alex's ETag for it still matches", s_p == 200, s_p)
call("PATCH", f"api/v1/people/{BO}", B, body={"private": False})
check("bo still sees all of it", all(call("GET", f"api/v1/{k}/{v}", B)[0] == 200
                                     for k, v in hidden.items() if k not in ("notes", "vouches")))
t.finish()
