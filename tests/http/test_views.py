#!/usr/bin/env python3
"""Members' views on a server thread are bounded (server/http/worker.c,
VIEWS_PER_THREAD = 16): with more members than that asking in turn on one
thread, views are closed and opened again, and every member still sees
exactly their own world, each time.

Twenty members each keep a private person linked to their own person; on
one server thread they ask in turn, three rounds.  Every answer of a
member (their people list, the path to their private person, the path to
every other member's private person, ways into the shared organisation)
must be the same in every round, and never show another's private person.
"""
import json
import sys

from kithtest import Suite

t = Suite(sys.argv[1])
N = 20
t.kith("init", "--me", "Owner One")
t.kith("add", "org", "Shared Org")
tokens, persons, secrets = [], [], []
for i in range(N):
    t.kith("add", "person", "Member %02d" % i)
    pid = int(t.sql("SELECT max(id) FROM person").strip())
    out = t.kith("--json", "member", "add", "m%02d" % i, "--person", "#%d" % pid).stdout
    tokens.append(json.loads(out)["token"])
    persons.append(pid)
    t.kith("work", "#%d" % pid, "Shared Org", "--title", "Partner")
# Every member's person knows the owner (a shared hub).
for pid in persons:
    t.kith("link", "me", "#%d" % pid)
t.serve("--threads", "1")
for i in range(N):
    s, body = t.call("POST", "api/v1/people", tokens[i],
                     body={"display_name": "Secret %02d" % i, "private": True})
    assert s == 201, (s, body)
    secrets.append(body["id"])
    s, body = t.call("POST", "api/v1/links", tokens[i],
                     body={"a": "me", "b": str(secrets[i]), "kind": "friend",
                           "private": True})
    assert s == 201, (s, body)

org = int(t.sql("SELECT id FROM org WHERE name = 'Shared Org'").strip())


def answers(i):
    tok = tokens[i]
    out = []
    s, body = t.call("GET", "api/v1/people?limit=200", tok)
    out.append((s, sorted(p["id"] for p in body["items"]) if s == 200 else body))
    for j in range(N):
        s, body = t.call("GET", "api/v1/path?from=%d&to=%d" % (persons[i], secrets[j]), tok)
        out.append((s, body.get("people") if s == 200 else body.get("error")))
    s, body = t.call("GET", "api/v1/orgs/%d/ways" % org, tok)
    out.append((s, [(w["id"], w["best"]["member"]["id"] if w.get("best") else None)
                    for w in body["items"]] if s == 200 else body))
    return out


rounds = [[answers(i) for i in range(N)] for _ in range(3)]
same = all(rounds[r][i] == rounds[0][i] for r in (1, 2) for i in range(N))
t.check("%d members on one thread, three rounds: every member's answers the same each round" % N,
        same, [i for i in range(N) if rounds[1][i] != rounds[0][i] or rounds[2][i] != rounds[0][i]])
own = all(secrets[i] in rounds[0][i][0][1] and
          not any(secrets[j] in rounds[0][i][0][1] for j in range(N) if j != i)
          for i in range(N))
t.check("each sees their own private person and no other member's", own)
paths = all(rounds[0][i][1 + i][0] == 200 and
            all(rounds[0][i][1 + j][0] == 404 for j in range(N) if j != i)
            for i in range(N))
t.check("a path to their own private person; to another's: not found, as a missing one", paths,
        [(i, [rounds[0][i][1 + j][0] for j in range(N)]) for i in range(3)])
t.finish()
