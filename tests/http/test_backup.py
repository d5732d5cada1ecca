#!/usr/bin/env python3
"""Backup, restore, check and the JSON export that round-trips, against a
real `kith serve` that keeps writing.

Prints TAP lines.  Usage: test_backup.py KITH_BINARY
  - kith backup while a client writes through the API: restored elsewhere,
    every write acknowledged before the backup started is there;
  - kith restore refuses a damaged (a flipped byte, truncated), a foreign
    (another SQLite file, a text file) and a newer file, and the database
    is left as it was; a restore under the running server is seen whole;
  - kith check passes on the demo and names the cache tampered with;
  - export json -> import into an empty database -> export json is the
    same file, on the demo and on records covering every field; a
    member's export holds only what they see, byte for byte the export
    of a database without the other member's private records, and of the
    introduction requests only those they are party to (every status and
    outcome round-trips).
"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kithtest import Suite  # noqa: E402

t = Suite(sys.argv[1])


def k(*args, db=None, stdin=None):
    env = dict(t.env)
    if db:
        env["KITH_DB"] = db
    return subprocess.run([t.KITH, *args], env=env, capture_output=True, text=True, input=stdin)


def sql(db, query):
    return subprocess.run(["sqlite3", db, query], capture_output=True, text=True,
                          check=True).stdout


def path(name):
    return os.path.join(t.tmp, name)


STATES = [("asked", None), ("accepted", None), ("declined", None), ("withdrawn", None),
          ("made", None), ("made", "met"), ("made", "hired"), ("made", "deal"),
          ("made", "partnership"), ("made", "nothing")]


def add_requests(db, asker, asked, chain, it=None, fav=None, states=STATES, base=1790000000):
    """Introduction requests from asker to asked along chain, one in each of
    states, with every date a state has and the interactions a made one
    logged; written as kith writes them (src/record/intro_request.c)."""
    con = sqlite3.connect(db, timeout=30)
    for i, (status, outcome) in enumerate(states):
        at = base + 1000 * i
        made = status == "made"
        con.execute("INSERT INTO intro_request(asker, asked, target, chain, strength, note, status,"
                    " outcome, asked_at, answered_at, made_at, outcome_at, interaction_id, favour_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (asker, asked, chain[-1], ",".join(map(str, chain)), 0.1 + i / 7,
                     f"why \"{status}\"\nline two \u00fc" if i % 2 else None, status, outcome, at,
                     None if status == "asked" else at + 10, at + 20 if made else None,
                     at + 30 if outcome else None, it if made else None, fav if made else None))
    con.commit()
    con.close()


def one_line_refusal(r):
    lines = r.stderr.strip().splitlines()
    return r.returncode == 1 and len(lines) == 1 and lines[0].startswith("kith: cannot restore")


# ---- set-up: the demo network, two members, a server ------------------------
t.kith("init", "--me", "Alex Morgan", "--email", "alex@kith.example")
t.kith("demo", "--seed", "7", "--people", "60")
A = json.loads(t.kith("--json", "member", "add", "alex", "--person", "me").stdout)["token"]
B = json.loads(t.kith("--json", "member", "add", "sam").stdout)["token"]
b_id = json.loads(t.kith("--json", "member", "list").stdout)
b_id = [m["id"] for m in (b_id["items"] if isinstance(b_id, dict) else b_id) if m["name"] == "sam"][0]
t.serve()

r = t.kith("check", check=False)
t.check("check passes on a fresh demo, the server running", r.returncode == 0 and
        "DIFFERS" not in r.stdout and "pair-cache" in r.stdout, r.stdout + r.stderr)

# ---- backup while a client writes ---------------------------------------------
acked = []
stop = threading.Event()


def writer():
    i = 0
    while not stop.is_set():
        s, _ = t.call("POST", "api/v1/people", A, body={"display_name": f"Writer {i}"})
        if s == 201:
            acked.append(f"Writer {i}")
        i += 1


th = threading.Thread(target=writer)
th.start()
deadline = time.time() + 20
while len(acked) < 20 and time.time() < deadline:
    time.sleep(0.01)
before = list(acked)
bk = path("b.db")
r = t.kith("backup", bk, check=False)
during = len(acked) - len(before)
time.sleep(0.1)
stop.set()
th.join()
t.check("backup succeeds while the server writes", r.returncode == 0 and "verified" in r.stdout,
        r.stdout + r.stderr)
t.check("the server kept acknowledging writes around the backup", len(acked) > len(before),
        (len(before), during, len(acked)))
t.check("backup prints size and counts", "bytes" in r.stdout and "people" in r.stdout and
        "members" in r.stdout, r.stdout)
t.check("a backup is one file: no -wal beside it", not os.path.exists(bk + "-wal"))
r2 = t.kith("backup", bk, check=False)
t.check("backup refuses to overwrite without --force", r2.returncode == 1 and
        "exists" in r2.stderr, r2.stderr)
t.check("backup --force replaces it", t.kith("backup", bk + ".2", check=False).returncode == 0
        and t.kith("backup", "--force", bk + ".2", check=False).returncode == 0)

r2 = t.kith("backup", "--force", t.db, check=False)
t.check("backup --force refuses the database itself", r2.returncode == 1 and
        "the database itself" in r2.stderr, r2.stderr)
restored = path("restored.db")
r = k("restore", bk, db=restored)
t.check("restore into a new place", r.returncode == 0 and "restored" in r.stdout, r.stdout + r.stderr)
names = set(sql(restored, "SELECT display_name FROM person").splitlines())
missing = [n for n in before if n not in names]
t.check("every write acknowledged before the backup started is in the copy (%d)" % len(before),
        before and not missing, missing[:5])
t.check("the restored copy passes kith check", k("check", db=restored).returncode == 0,
        k("check", db=restored).stdout)
t.check("the restored copy keeps the members' tokens",
        sql(restored, "SELECT count(*) FROM token").strip() ==
        sql(bk, "SELECT count(*) FROM token").strip())

# ---- refusals: the live database is left as it was ---------------------------
live_before = t.kith("export", "json").stdout
data = open(bk, "rb").read()
at = data.find(b"Writer 1")
flipped = bytearray(data)
flipped[at + 3] ^= 0x01
open(path("flipped.db"), "wb").write(bytes(flipped))
open(path("truncated.db"), "wb").write(data[:len(data) // 2])
sql(path("foreign.db"), "CREATE TABLE t(x); INSERT INTO t VALUES (1)")
open(path("text.db"), "w").write("name,email\nAna,ana@x.example\n")
shutil.copy(bk, path("newer.db"))
sql(path("newer.db"), "PRAGMA user_version = 999")
for name, why in (("flipped", "damaged"), ("truncated", "damaged"), ("foreign", "not a kith database"),
                  ("text", "not a kith database"), ("newer", "newer than this kith")):
    r = t.kith("restore", path(name + ".db"), check=False)
    t.check(f"restore refuses a {name} file in one line, exit 1", one_line_refusal(r) and why in r.stderr,
            (r.returncode, r.stderr))
t.check("refused restores left the database untouched", t.kith("export", "json").stdout == live_before)
t.check("restore --check verifies without restoring",
        t.kith("restore", "--check", bk, check=False).returncode == 0 and
        t.kith("restore", "--check", path("flipped.db"), check=False).returncode == 1)

# ---- restore under the running server --------------------------------------------
s, late = t.call("POST", "api/v1/people", A, body={"display_name": "Zed After Backup"})
t.check("a person written after the backup", s == 201, late)
r = t.kith("restore", bk, check=False)
t.check("restore over the live database while it is served", r.returncode == 0, r.stdout + r.stderr)
s, found = t.call("GET", "api/v1/search?q=Zed%20After%20Backup", A)
t.check("the server sees the restored database: the later person is gone",
        s == 200 and found["items"] == [], found)
s, found = t.call("GET", f"api/v1/search?q={before[-1].replace(' ', '%20')}", A)
t.check("...and the backed-up writes are there", s == 200 and len(found["items"]) >= 1, found)
s, _ = t.call("POST", "api/v1/people", A, body={"display_name": "Written After Restore"})
t.check("the server writes into the restored database", s == 201 and
        "Written After Restore" in t.kith("export", "json").stdout)
t.check("check passes after a restore under the server", t.kith("check", check=False).returncode == 0)

# ---- kith check finds a tampered cache ----------------------------------------------
tam = path("tampered.db")
shutil.copy(restored, tam)
sql(tam, "UPDATE pair_cache SET v = substr(v, 1, length(v) - 36) WHERE k = (SELECT min(k) FROM pair_cache)")
r = k("check", db=tam)
t.check("check fails on a tampered pair cache, naming it", r.returncode == 1 and
        any(l.startswith("pair-cache") and "DIFFERS" in l for l in r.stdout.splitlines()), r.stdout)
sql(tam, "UPDATE person_fts SET name = 'tampered' WHERE rowid = (SELECT min(rowid) FROM person_fts)")
r = k("check", db=tam)
t.check("check fails on a tampered search row, naming it", r.returncode == 1 and
        any(l.startswith("search-people") and "DIFFERS" in l for l in r.stdout.splitlines()), r.stdout)
sql(tam, "UPDATE person_email SET scope = 42 WHERE rowid IN (SELECT rowid FROM person_email LIMIT 1)"
    if False else "UPDATE person_email SET scope = 42 WHERE person_id = (SELECT min(person_id) FROM person_email)")
r = k("check", db=tam)
t.check("check fails on a tampered email scope, naming it", r.returncode == 1 and
        "email-scopes         DIFFERS" in r.stdout, r.stdout)
r = k("check", "--repair", db=tam)
t.check("check --repair rebuilds them", r.returncode == 0 and "repaired 3" in r.stdout, r.stdout)
t.check("...and check passes again", k("check", db=tam).returncode == 0)

# ---- records covering every field, of both members --------------------------------
s, org = t.call("POST", "api/v1/orgs", A, body={"name": "Hushed Ltd", "domain": "hushed.example",
                                                  "city": "Porto", "country": "Portugal", "notes": "o",
                                                  "private": True})
s, pa = t.call("POST", "api/v1/people", A, body={
    "display_name": "Quinn Full", "given_name": "Quinn", "family_name": "Full",
    "emails": ["quinn@full.example", "q2@full.example"], "phones": ["+351 21 000 0000"],
    "city": "Lisbon", "country": "Portugal", "tags": ["vip", "rust"], "notes": "every field",
    "private": True})
t.check("a private person with every field", s == 201, pa)
s, pt = t.call("POST", "api/v1/people", A, body={"display_name": "Terry Team", "emails": ["terry@team.example"]})
s, lk = t.call("POST", "api/v1/links", A, body={"a": str(pa["id"]), "b": str(pt["id"]), "kind": "mentor",
                                               "since": "2019-05", "trust": 0.75, "notes": "l"})
t.check("a link with trust, since and notes", s == 201, lk)
s, it = t.call("POST", "api/v1/interactions", A, body={"kind": "favour", "people": ["me", str(pt["id"])],
                                                      "notes": "helped move", "at": "2026-10-01",
                                                      "giver": str(pt["id"]), "value": 2.5})
t.check("a favour with giver and value", s == 201, it)
s, note = t.call("POST", f"api/v1/people/{pt['id']}/notes", A, body={"body": "web note, team"})
s, pnote = t.call("POST", f"api/v1/people/{pt['id']}/notes", A, body={"body": "web note, private", "private": True})
t.check("notes from the web", s == 201, pnote)
s, sp = t.call("POST", "api/v1/people", B, body={"display_name": "Sam Secret Contact", "private": True,
                                                "emails": ["secret@sam.example"]})
s, so = t.call("POST", "api/v1/orgs", B, body={"name": "Sam Secret Org", "private": True})
s, sn = t.call("POST", f"api/v1/people/{pt['id']}/notes", B, body={"body": "Sam secret note", "private": True})
s, si = t.call("POST", "api/v1/interactions", B, body={"people": [str(sp["id"]), str(pt["id"])],
                                                      "notes": "Sam secret talk"})
s, sl = t.call("POST", "api/v1/links", B, body={"a": str(sp["id"]), "b": str(pt["id"]), "kind": "friend"})
t.check("the other member's private records", s == 201, sl)
s, tl = t.call("POST", "api/v1/links", A, body={"a": "me", "b": str(pt["id"]), "kind": "colleague"})
t.check("a team link", s == 201, tl)
# Said by Sam's private contact: Alex's export must not name them.
sql(t.db, f"UPDATE link SET asserted_by = {sp['id']} WHERE id = {tl['id']}")
t.kith("vouch", "Terry Team", "for", "Alex Morgan", "--note", "solid")
t.kith("cadence", "Terry Team", "21")
t.kith("cadence", "--orbit", "5", "365")
t.kith("work", "Terry Team", "Hushed Ltd", "--title", "CTO", "--from", "2020-01", check=False)
sql(t.db, f"INSERT INTO card_extra(person_id, lines) VALUES ({pt['id']}, 'BDAY:1990-04-01\r\n')")
# Introduction requests: alex and sam's in every status, one to Sam's
# private contact (alex no longer sees it), and two between sam and kim.
t.kith("member", "add", "kim")
kim_id = 3
add_requests(t.db, 1, b_id, ["1", pt["id"]], it["id"], si["id"])
add_requests(t.db, b_id, 1, [pt["id"], sp["id"]], states=STATES[1:2], base=1791000000)
add_requests(t.db, b_id, kim_id, [pt["id"], "1"], states=STATES[5:6], base=1792000000)
add_requests(t.db, kim_id, b_id, ["1", pt["id"]], states=STATES[0:1], base=1793000000)

full = t.kith("export", "json").stdout
j = json.loads(full)
people = {p["id"]: p for p in j["people"]}
q, terry = people.get(pa["id"], {}), people.get(pt["id"], {})
t.check("the CLI sees everything: both members' private records",
        q.get("private") is True and "Sam Secret Contact" in full and "Sam secret note" in full and
        "Sam Secret Org" in full and "Sam secret talk" in full)
t.check("people with every field", q.get("emails") == ["quinn@full.example", "q2@full.example"] and
        q.get("phones") == ["+351 21 000 0000"] and q.get("tags") == ["rust", "vip"] and
        q.get("city") == "Lisbon" and q.get("given_name") == "Quinn" and q.get("owner") == 1 and
        terry.get("cadence_days") == 21 and terry.get("card_extra", "").startswith("BDAY"), (q, terry))
lj = [x for x in j["links"] if x["id"] == lk["id"]]
t.check("links with kind, since, trust, privacy", lj and lj[0]["trust"] == 0.75 and lj[0]["since"] == "2019-05"
        and lj[0]["kind"] == "mentor" and lj[0]["private"] is True, lj)
ij = [x for x in j["interactions"] if x["id"] == it["id"]]
t.check("interactions with participants, favours' giver and value, who started it",
        ij and ij[0]["giver"] == pt["id"] and ij[0]["value"] == 2.5 and ij[0]["initiator"] == pt["id"]
        and len(ij[0]["people"]) == 2, ij)
t.check("notes, vouches, cadences, kinds, members",
        {"web note, team", "web note, private"} <= {n["body"] for n in j["notes"]} and
        any(v["notes"] == "solid" for v in j["vouches"]) and
        {"orbit": 5, "days": 365} in j["orbit_cadences"] and len(j["members"]) == 3 and
        any(x["name"] == "favour" for x in j["interaction_kinds"]), (j["vouches"], j["members"]))

reqs = j["intro_requests"]
t.check("introduction requests, every one, in every status and outcome, with their dates, chain "
        "and logged interactions",
        len(reqs) == 13 and {(x["status"], x["outcome"]) for x in reqs} == set(STATES) and
        any(x["status"] == "made" and x["outcome"] == "met" and x["interaction"] == it["id"] and
            x["favour"] == si["id"] and x["chain"] == [1, pt["id"]] and x["target"] == pt["id"] and
            x["answered_at"] and x["made_at"] and x["outcome_at"] and x["note"] for x in reqs) and
        sum(1 for x in reqs if kim_id in (x["asker"], x["asked"])) == 2, reqs[:2])

# ---- export -> import into an empty database -> export -----------------------------
demo_people = [int(x) for x in sql(restored, "SELECT id FROM person WHERE NOT private ORDER BY id"
                                   " LIMIT 3").split()]
demo_its = [int(x) for x in sql(restored, "SELECT id FROM interaction WHERE NOT private ORDER BY id"
                                " LIMIT 2").split()]
add_requests(restored, 1, 2, demo_people, *demo_its)
add_requests(restored, 2, 1, demo_people[:2], states=STATES[4:5])
for label, src in (("the demo network", restored), ("every field, both members", None)):
    e1 = k("export", "json", db=src).stdout if src else full
    f = path("e1.json")
    open(f, "w").write(e1)
    fresh = path(f"fresh-{label[:4]}.db")
    k("init", db=fresh)
    r = k("import", f, db=fresh)
    t.check(f"import json ({label}): every record, none rejected",
            r.returncode == 0 and " 0 rejected" in r.stdout, r.stdout + r.stderr)
    e2 = k("export", "json", db=fresh).stdout
    t.check(f"...with its introduction requests ({label})",
            len(json.loads(e2).get("intro_requests", [])) == (11 if src else 13))
    t.check(f"export, import, export gives the same file ({label})", e1 == e2,
            [(a, b) for a, b in zip(e1.splitlines(), e2.splitlines()) if a != b][:3])
    t.check(f"the imported database passes kith check ({label})", k("check", db=fresh).returncode == 0,
            k("check", db=fresh).stdout)
r = k("import", "--dry-run", f, db=path("fresh-dry.db"))
k("init", db=path("fresh-dry.db"))
r = k("import", "--dry-run", "--format", "json", f, db=path("fresh-dry.db"))
t.check("a dry run reports and saves nothing", r.returncode == 0 and "dry run" in r.stdout and
        sql(path("fresh-dry.db"), "SELECT count(*) FROM person").strip() == "0", r.stdout + r.stderr)
open(path("newer.json"), "w").write(json.dumps({"format": "kith", "version": 99, "people": []}))
r = k("import", path("newer.json"), db=path("fresh-dry.db"))
t.check("a newer format is refused in one line", r.returncode == 1 and "newer" in r.stderr, r.stderr)

hj = json.loads(open(f).read())
hj["people"][1]["id"] = 2 ** 63 - 1
open(path("huge.json"), "w").write(json.dumps(hj))
k("init", db=path("huge.db"))
r = k("import", path("huge.json"), db=path("huge.db"))
t.check("an id beyond what kith gives is renumbered, and later writes still get ids",
        r.returncode == 0 and k("add", "person", "After Huge", db=path("huge.db")).returncode == 0 and
        int(sql(path("huge.db"), "SELECT max(id) FROM person")) < 2 ** 31, r.stdout + r.stderr)

# ---- a member's export holds only what they see ---------------------------------------
s, h, body1 = t.request("GET", "api/v1/export?format=json", A)
text1 = body1.decode()
t.check("a member's export leaves the other member's private records out",
        s == 200 and "Sam Secret" not in text1 and "Sam secret" not in text1 and
        "Quinn Full" in text1 and "web note, private" in text1, s)
ra = json.loads(text1)["intro_requests"]
t.check("a member's export holds the introduction requests they are party to, and no other",
        len(ra) == 10 and all(1 in (x["asker"], x["asked"]) for x in ra) and
        all(x["target"] != sp["id"] for x in ra), [(x["asker"], x["asked"], x["target"]) for x in ra])
t.check("...naming only the interactions they see (Sam's private talk: null)",
        all(x["favour"] is None for x in ra) and
        sum(1 for x in ra if x["interaction"] == it["id"]) == 6, ra[:1])
said = [x for x in json.loads(text1)["links"] if x["id"] == tl["id"]]
t.check("...nor names them as who asserted a team link", said and said[0]["asserted_by"] is None, said)
t.check("(the CLI names them)", [x["asserted_by"] for x in j["links"] if x["id"] == tl["id"]] == [sp["id"]])
s, h, bodyb = t.request("GET", "api/v1/export?format=json", B)
t.check("...and theirs leaves the first member's out", s == 200 and "Quinn Full" not in bodyb.decode()
        and "web note, private" not in bodyb.decode() and "Sam Secret Contact" in bodyb.decode())
t.check("...and holds all of theirs (13 requests, kim's with them among)",
        len(json.loads(bodyb)["intro_requests"]) == 13)
# The same network without Sam's private records: A's export is the same bytes.
without = path("without.db")
t.kith("backup", without)
sql(without, "PRAGMA foreign_keys = ON;"
    f"DELETE FROM note WHERE private AND owner = {b_id};"
    f"DELETE FROM interaction WHERE private AND owner = {b_id};"
    f"DELETE FROM link WHERE private AND owner = {b_id};"
    f"DELETE FROM person WHERE private AND owner = {b_id};"
    f"DELETE FROM org WHERE private AND owner = {b_id};"
    "DELETE FROM intro_request WHERE 1 NOT IN (asker, asked);")
t.srv.send_signal(signal.SIGTERM)
t.srv.wait(timeout=30)
t.env["KITH_DB"] = without
t.serve()
s, h, body2 = t.request("GET", "api/v1/export?format=json", A)
t.check("a member's export is byte for byte the export of a database without the others' "
        "private records", s == 200 and body1 == body2,
        [(a, b) for a, b in zip(text1.splitlines(), body2.decode().splitlines()) if a != b][:3])
# A member's import of their own export goes in as theirs.
s, rep = t.call("POST", "api/v1/import?format=json&dry_run=1", A, raw=body1)
t.check("a member's JSON import through the API (dry run)", s == 200 and rep.get("rejected", 1) >= 0 and
        rep.get("format") == "json", rep)
t.check("...leaves the introduction requests out", rep.get("skipped") == 10, rep.get("skipped"))
nreq = sql(without, "SELECT count(*) FROM intro_request")
s, rep = t.call("POST", "api/v1/import?format=json", A,
                raw=json.dumps({"format": "kith", "version": 1, "intro_requests": ra[:2]}).encode())
t.check("...saying so in one line, writing none", s == 201 and rep.get("skipped") == 2 and
        rep.get("rejected") == 0 and [x["reason"] for x in rep.get("issues", [])] ==
        ["intro_requests: 2 left out: a member's import does not write records between members"] and
        sql(without, "SELECT count(*) FROM intro_request") == nreq == "10\n", rep)

# A member's real import: what it writes is theirs, whatever the file says.
planted = json.dumps({"format": "kith", "version": 1, "me": 5,
                      "members": [{"id": 1, "name": "mallory"}],
                      "config": [{"key": "half_life_days", "value": "7"}],
                      "orgs": [{"id": 7, "name": "Hushed Ltd", "private": True, "owner": 1}],
                      "people": [{"id": 5, "name": "Planted Person", "private": True, "owner": 1,
                                  "emails": ["quinn@full.example"],
                                  "jobs": [{"org": 7, "title": "spy"}]}]}).encode()
s, rep = t.call("POST", "api/v1/import?format=json", B, raw=planted)
t.check("a member's JSON import through the API", s == 201 and rep.get("people_created") == 1 and
        rep.get("rejected") == 0 and rep.get("merged") == 0, rep)
cli = json.loads(t.kith("export", "json").stdout)
mine = [p for p in cli["people"] if p["name"] == "Planted Person"]
orgs = [o for o in cli["orgs"] if o["name"] == "Hushed Ltd"]
t.check("...is owned by the importing member, not by whom the file names, and another "
        "member's private org of that name is not matched",
        mine and mine[0]["owner"] == b_id and mine[0]["private"] is True and len(orgs) == 2 and
        {o["owner"] for o in orgs} == {1, b_id}, (mine, orgs))
t.check("...and changes no member, setting or 'me'",
        [m["name"] for m in cli["members"]] == ["alex", "sam", "kim"] and
        cli["config"] == [{"key": "half_life_days", "value": "90"}] and cli["me"] == 1,
        (cli["members"], cli["config"], cli["me"]))
s, found = t.call("GET", "api/v1/search?q=Planted", A)
t.check("...and the other member does not see it", s == 200 and found["items"] == [], found)

t.finish()
