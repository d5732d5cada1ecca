#!/usr/bin/env python3
"""Team intelligence over HTTP (docs/team.md): ways into an organisation,
introduction requests, goodwill, what leaves with a member, a candidate.

    test_team.py KITH_BINARY

A visibility matrix for every route this adds: a record hidden from a
member is answered exactly as a missing one, and a member's answers are
the same before and after another member's private write.  Then the
favour a made introduction credits, and goodwill at a past date against
the CLI on a copy of the database whose log stops at that date.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kithtest import Suite, is_error  # noqa: E402

t = Suite(sys.argv[1])
k = t.kith
k("init", "--me", "Ann Lead")
for name in ("Bea Hart", "Cy Quiet", "Xavier Ruiz", "Yara Osei", "Walt Imre"):
    k("add", "person", name)
k("work", "Xavier Ruiz", "Acme", "--title", "CTO")
k("work", "Yara Osei", "Acme", "--title", "Staff Engineer", "--from", "2018", "--to", "2022")
k("work", "Walt Imre", "Acme", "--title", "Sales engineer")
k("link", "me", "Xavier Ruiz", "--trust", "0.9")
k("link", "me", "Bea Hart", "--kind", "colleague", "--trust", "0.7")
k("link", "Bea Hart", "Yara Osei", "--trust", "0.8")
k("log", "meeting", "Xavier Ruiz", "--at", "2026-06-01")
k("log", "favour", "Yara Osei", "--without-me", "--from", "Bea Hart", "Bea Hart", "--at", "2026-07-01")
k("log", "favour", "Xavier Ruiz", "--given", "--at", "2026-10-20")
tok = {}
for name, person in (("ann", "me"), ("bea", "Bea Hart"), ("cy", "Cy Quiet")):
    out = json.loads(k("--json", "member", "add", name, "--person", person).stdout)
    tok[name] = out["token"]
t.serve()
A, B, C = tok["ann"], tok["bea"], tok["cy"]
s, ms = t.call("GET", "api/v1/members", A)
mid = {m["name"]: m["id"] for m in ms["items"]}
s, orgs = t.call("GET", "api/v1/orgs?limit=100", A)
acme = [o["id"] for o in orgs["items"] if o["name"] == "Acme"][0]
s, ppl = t.call("GET", "api/v1/people?limit=100", A)
pid = {p.get("display_name", p.get("name")): p["id"] for p in ppl["items"]}

# ---- into an organisation ------------------------------------------------------
s, w = t.call("GET", f"api/v1/orgs/{acme}/ways", A)
names = [x["name"] for x in w.get("items", [])]
t.check("ways: everyone at Acme, ranked by chain strength",
        s == 200 and names == ["Xavier Ruiz", "Yara Osei", "Walt Imre"], w)
x = w["items"][0]
t.check("ways: the best member, a chain with each link's strength",
        x["best"]["member"]["name"] == "ann" and [p["name"] for p in x["best"]["people"]] ==
        ["Ann Lead", "Xavier Ruiz"] and len(x["best"]["edges"]) == 1, x)
t.check("ways: a former employee with dates, nobody's last",
        w["items"][1]["current"] is False and w["items"][1]["jobs"][0]["to"] == "2022" and
        w["items"][2]["best"] is None, w["items"][1:])
s, wc = t.call("GET", f"api/v1/orgs/{acme}/ways?current=true&role=engineer", A)
t.check("ways: role words and current only", [x["name"] for x in wc["items"]] == ["Walt Imre"], wc)
s, wcy = t.call("GET", f"api/v1/orgs/{acme}/ways", C)
t.check("ways: a member with no links of their own finds teammates' chains",
        s == 200 and wcy["items"][0]["best"] is not None and
        wcy["items"][0]["best"]["member"]["name"] in ("ann", "bea"), wcy)
t.check("ways: bad input is one line and 400",
        is_error(t.call("GET", f"api/v1/orgs/{acme}/ways?hops=99", A), 400) and
        is_error(t.call("GET", f"api/v1/orgs/{acme}/ways?current=maybe", A), 400))

# ---- the visibility matrix -----------------------------------------------------
routes = [f"api/v1/orgs/{acme}/ways", "api/v1/intro/requests", "api/v1/goodwill",
          "api/v1/leaves", f"api/v1/members/{mid['ann']}/leaves",
          f"api/v1/people/{pid['Yara Osei']}/candidate", f"api/v1/people/{pid['Xavier Ruiz']}/candidate"]
before = {(who, r): t.call("GET", r, tok[who]) for who in ("ann", "cy") for r in routes}
# Bea's private world: a strong private link to Xavier, a private person at
# Acme, a private org.
s, bl = t.call("POST", "api/v1/links", B, body={"a": "me", "b": str(pid["Xavier Ruiz"]),
                                               "trust": 1.0, "private": True})
s, bp = t.call("POST", "api/v1/people", B, body={"display_name": "Zed Secret", "private": True})
s, bo = t.call("POST", "api/v1/orgs", B, body={"name": "Hushco", "private": True})
t.call("POST", "api/v1/links", B, body={"a": "me", "b": str(bp["id"]), "trust": 0.9})
after = {(who, r): t.call("GET", r, tok[who]) for who in ("ann", "cy") for r in routes}
same = [key for key in before if before[key] != after[key]]
t.check(f"another member's private writes change nothing others see ({len(before)} answers)",
        not same, [(key, before[key], after[key]) for key in same[:2]])
leaks = [(key) for key, v in after.items() if "Zed Secret" in json.dumps(v) or "Hushco" in json.dumps(v)]
t.check("nothing private to bea shows to ann or cy", not leaks, leaks)
s, wb = t.call("GET", f"api/v1/orgs/{acme}/ways", B)
t.check("a chain through bea's private link is offered to bea",
        wb["items"][0]["best"]["member"]["name"] == "bea" and
        [p["name"] for p in wb["items"][0]["best"]["people"]] == ["Bea Hart", "Xavier Ruiz"], wb)
chains = [c for key, v in after.items() if "ways" in key[1] for it in v[1]["items"]
          for c in ([it["best"]] if it["best"] else []) + it["alternatives"]]
t.check("and never to anyone else", not any(
    [p["name"] for p in c["people"]][i:i + 2] in (["Bea Hart", "Xavier Ruiz"], ["Xavier Ruiz", "Bea Hart"])
    for c in chains for i in range(len(c["people"]))), chains)


def same_as_missing(method, hidden, missing, body=None, who=C):
    h, m = t.call(method, hidden, who, body=body), t.call(method, missing, who, body=body)
    strip = lambda r: json.dumps(r[1]).replace(hidden.split("/")[3 if "orgs" in hidden or "people" in hidden else 4], "N")
    return h[0] == m[0] == 404 and json.dumps(h[1]).split("#")[0] == json.dumps(m[1]).split("#")[0], (h, m)


ok, d = same_as_missing("GET", f"api/v1/orgs/{bo['id']}/ways", "api/v1/orgs/999999/ways")
t.check("a hidden org's ways: as a missing org's", ok, d)
ok, d = same_as_missing("GET", f"api/v1/people/{bp['id']}/candidate", "api/v1/people/999999/candidate")
t.check("a hidden candidate: as a missing one", ok, d)

# ---- introduction requests ---------------------------------------------------------
s, rq = t.call("POST", "api/v1/intro/requests", A, body={"to": "Yara Osei", "member": "bea",
                                                         "note": "hiring a staff engineer"})
t.check("ann asks bea for an introduction along bea's chain",
        s == 201 and rq["status"] == "asked" and [p["name"] for p in rq["chain"]] ==
        ["Bea Hart", "Yara Osei"] and rq["asker"]["name"] == "ann", rq)
rid = rq["id"]
ok, d = same_as_missing("GET", f"api/v1/intro/requests/{rid}", "api/v1/intro/requests/999999")
t.check("cy: the request is as missing", ok, d)
ok, d = same_as_missing("PATCH", f"api/v1/intro/requests/{rid}", "api/v1/intro/requests/999999",
                        body={"status": "accepted"})
t.check("cy: changing it is as missing", ok, d)
s, lc = t.call("GET", "api/v1/intro/requests", C)
s, lb = t.call("GET", "api/v1/intro/requests?side=to_me", B)
s, la = t.call("GET", "api/v1/intro/requests?side=to_me", A)
t.check("each member lists requests to them and from them",
        lc["items"] == [] and [x["id"] for x in lb["items"]] == [rid] and la["items"] == [], (lc, lb, la))
t.check("the asker cannot make it; an outcome waits",
        is_error(t.call("PATCH", f"api/v1/intro/requests/{rid}", A, body={"status": "made"}), 403) and
        is_error(t.call("PATCH", f"api/v1/intro/requests/{rid}", B, body={"outcome": "met"}), 409) and
        is_error(t.call("PATCH", f"api/v1/intro/requests/{rid}", B, body={"status": "nope"}), 400))
t.check("a private person is not asked about", is_error(t.call(
    "POST", "api/v1/intro/requests", B, body={"to": str(bp["id"]), "member": "ann"}), 400))
s, balance_before = t.call("GET", "api/v1/intro/requests", B)
s, m1 = t.call("PATCH", f"api/v1/intro/requests/{rid}", B, body={"status": "made"})
t.check("bea makes it", s == 200 and m1["status"] == "made" and m1["favour"] and m1["interaction"], m1)
s, fav = t.call("GET", f"api/v1/interactions/{m1['favour']}", A)
s, intro = t.call("GET", f"api/v1/interactions/{m1['interaction']}", C)
t.check("made: a favour from bea, the introducer, to ann",
        fav.get("kind") == "favour" and fav.get("giver") == pid["Bea Hart"] and
        sorted(fav.get("people", [])) == sorted([pid["Ann Lead"], pid["Bea Hart"]]), fav)
t.check("made: an introduction among the three, seen by the team",
        intro.get("kind") == "introduction" and sorted(intro.get("people", [])) ==
        sorted([pid["Ann Lead"], pid["Bea Hart"], pid["Yara Osei"]]), intro)
s, o1 = t.call("PATCH", f"api/v1/intro/requests/{rid}", A, body={"outcome": "hired"})
t.check("the asker gives the outcome", s == 200 and o1["outcome"] == "hired" and o1["outcome_at"], o1)

# ---- goodwill ----------------------------------------------------------------------
s, ga = t.call("GET", "api/v1/goodwill?months=3", A)
s, gc = t.call("GET", "api/v1/goodwill?months=3", C)
t.check("goodwill counts the introduction for its members",
        ga["introductions"] == {"asked": 1, "made": 1, "outcomes": 1} and
        [m["made"] for m in ga["members"] if m["member"]["name"] == "bea"] == [1], ga)
t.check("and not for a member who cannot see the request",
        gc["introductions"] == {"asked": 0, "made": 0, "outcomes": 0}, gc["introductions"])
t.check("goodwill: the stock and the favours", ga["stock"]["people"] >= 2 and
        ga["favours"]["given"] >= 1 and len(ga["series"]) == 4 and len(ga["months"]) == 3, ga)
PAST = "2026-08-15T00:00:00Z"
s, gp = t.call("GET", f"api/v1/goodwill?months=3&now={PAST}", A)
copy = os.path.join(t.tmp, "cut.db")
subprocess.run(["sqlite3", t.db, f".backup {copy}"], check=True)
subprocess.run(["sqlite3", copy, "DELETE FROM interaction WHERE at > strftime('%s', '2026-08-15');"
                "DELETE FROM intro_request WHERE asked_at > strftime('%s', '2026-08-15');"], check=True)
env = dict(t.env, KITH_DB=copy, KITH_NOW=PAST)
cut = subprocess.run([t.KITH, "--json", "goodwill", "--months", "3", "--as", "ann"], env=env,
                     capture_output=True, text=True)


def rounded(v):
    """The CLI prints reals with fewer digits than the API."""
    if isinstance(v, float):
        return round(v, 8)
    if isinstance(v, dict):
        return {key: rounded(x) for key, x in v.items()}
    if isinstance(v, list):
        return [rounded(x) for x in v]
    return v


gp = rounded(gp)
t.check("goodwill at a past date is the goodwill of the log cut there",
        s == 200 and cut.returncode == 0 and rounded(json.loads(cut.stdout)) == gp,
        [(key, gp.get(key), rounded(json.loads(cut.stdout or "{}")).get(key)) for key in gp
         if gp.get(key) != rounded(json.loads(cut.stdout or "{}")).get(key)] or cut.stderr)
t.check("and it differs from now", gp["favours"] != ga["favours"], (gp["favours"], ga["favours"]))

# ---- what leaves, a candidate ------------------------------------------------------
s, lv = t.call("GET", f"api/v1/members/{mid['ann']}/leaves", C)
held = [h["name"] for h in lv["members"][0]["held"]]
t.check("leaves: Xavier is held by ann alone, and with him the way into Acme",
        s == 200 and "Xavier Ruiz" in held and "Bea Hart" not in held and
        [o["name"] for o in lv["members"][0]["lost_orgs"]] == ["Acme"], lv)
s, lvb = t.call("GET", f"api/v1/members/{mid['ann']}/leaves", B)
t.check("bea's private link to Xavier is bea's own second way",
        "Xavier Ruiz" not in [h["name"] for h in lvb["members"][0]["held"]], lvb)
t.check("leaves: bad threshold is 400, an unknown member 404",
        is_error(t.call("GET", "api/v1/leaves?min=2", A), 400) and
        is_error(t.call("GET", "api/v1/members/999/leaves", A), 404))
s, cand = t.call("GET", f"api/v1/people/{pid['Yara Osei']}/candidate", A)
ties = {x["member"]["name"]: x for x in cand["members"]}
t.check("candidate: degree to each member, chains, mutual contacts",
        s == 200 and cand["degree"] == 1 and ties["bea"]["degree"] == 1 and ties["ann"]["degree"] == 2 and
        [p["name"] for p in ties["ann"]["mutual"]] == ["Bea Hart"] and ties["cy"]["degree"] is None, cand)
k("vouch", "Bea Hart", "for", "Yara Osei")
s, cand = t.call("GET", f"api/v1/people/{pid['Yara Osei']}/candidate", A)
t.check("candidate: who vouches, with what trust, and the member closest to them",
        [(v["voucher"]["name"], v["trust"], v["closest_member"]["name"]) for v in cand["vouches"]] ==
        [("Bea Hart", 0.8, "bea")], cand["vouches"])
shutil.rmtree(os.path.join(t.tmp, "unused"), ignore_errors=True)
t.finish()
