#!/usr/bin/env python3
"""CardDAV: what one member's clients see depends only on what that member
sees, and no REPORT costs more than a bound.  Prints TAP lines.

    test_dav_visibility.py KITH REPO_ROOT

Three members (alex, sam, kim) and a team book of 300 people.
- Differential: alex's PROPFIND (every ETag), sync token, sync-collection,
  addressbook-query and multiget answers, and GETs, before and after sam's
  private writes (a private link on team people, a private note and
  interaction, sam's own person made team and private again, a private
  person and org made and changed, the private link changed and removed)
  are byte-identical; a sync from alex's old token is empty.
- A card alex may not see answers exactly like one that does not exist
  (GET, HEAD, PROPFIND, PROPPATCH, PUT, DELETE, multiget).
- A change alex can see moves alex's ETag and token, and only that card
  is reported.
- Hostile REPORTs (5,000 prop-filters, 5,000 text-matches, a 1 MB
  text-match, 20,000 and 20,001 hrefs) are refused or answered in under a
  second while GET /api/v1/me stays fast; a request past the time budget
  stops (KITH_DAV_BUDGET_MS).
"""
import os
import shutil
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the tree
import davlib  # noqa: E402
from davlib import (C, D, PROPFIND_ETAG, TMP, Server, api, card, kith, ms, note, ok,  # noqa: E402
                    sync_body, sync_token, token_of)

BOOK = "/dav/alex/contacts/"
NPEOPLE = 300
HOSTILE_S = 1.0  # what a hostile REPORT may take


def setup():
    db = os.path.join(TMP, "vis.db")
    kith(db, "init", "--me", "Alex Morgan", "--email", "alex@kith.example")
    alex = token_of(kith(db, "member", "add", "alex", "--person", "me"))
    sam = token_of(kith(db, "member", "add", "sam"))
    kim = token_of(kith(db, "member", "add", "kim"))
    vcf = os.path.join(TMP, "team.vcf")
    with open(vcf, "w") as f:
        f.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe Dupont\r\nEMAIL:zoe@acme.example\r\n"
                "ORG:Acme\r\nEND:VCARD\r\n")
        f.write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olga Petrova\r\nEMAIL:olga@acme.example\r\n"
                "END:VCARD\r\n")
        for i in range(NPEOPLE - 2):
            f.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i:03d} Example\r\n"
                    f"EMAIL:p{i}@team.example\r\nTEL:+44 20 7946 {i:04d}\r\n"
                    f"ORG:Org {i % 7}\r\nNOTE:note {i}\r\nEND:VCARD\r\n")
    kith(db, "import", vcf)
    kith(db, "link", "Zoe Dupont", "Person 000 Example", "--kind", "friend")
    return db, alex, sam, kim


def ids(srv, token):
    st, j = api(srv, token, "GET", "/api/v1/people?limit=1000")
    return {p["name"]: p["id"] for p in j["items"]}


def strip(resp):
    st, h, data = resp
    return st, {k: v for k, v in h.items() if k != "date"}, data


def snapshot(srv, A, people):
    """Everything alex's clients can read of the book, as exact bytes."""
    out = []
    props = ('<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop>'
             '<d:getetag/><d:getlastmodified/><d:getcontentlength/><d:sync-token/>'
             '<cs:getctag/></d:prop></d:propfind>')
    out.append(strip(srv.req("PROPFIND", BOOK, props, {"Depth": "1"}, auth=A)))
    out.append(strip(srv.req("PROPFIND", BOOK, props, {"Depth": "0"}, auth=A)))
    out.append(strip(srv.req("REPORT", BOOK, sync_body(None, True), {"Depth": "1"}, auth=A)))
    q = ('<c:addressbook-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
         '<d:prop><d:getetag/><c:address-data/></d:prop><c:filter test="anyof">'
         '<c:prop-filter name="FN"><c:text-match match-type="contains">o</c:text-match>'
         '</c:prop-filter><c:prop-filter name="EMAIL"><c:text-match>acme</c:text-match>'
         '</c:prop-filter></c:filter></c:addressbook-query>')
    out.append(strip(srv.req("REPORT", BOOK, q, {"Depth": "1"}, auth=A)))
    hrefs = "".join(f"<d:href>{BOOK}kith-{i}.vcf</d:href>" for i in sorted(people.values()))
    mg = ('<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
          '<d:prop><d:getetag/><c:address-data version="4.0"/></d:prop>' + hrefs +
          '</c:addressbook-multiget>')
    out.append(strip(srv.req("REPORT", BOOK, mg, {"Depth": "1"}, auth=A)))
    for name in ("Zoe Dupont", "Olga Petrova", "Person 000 Example", "Alex Morgan"):
        for accept in ("text/vcard", "text/vcard; version=4.0"):
            out.append(strip(srv.req("GET", f"{BOOK}kith-{people[name]}.vcf",
                                     headers={"Accept": accept}, auth=A)))
    return out


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"answer {i}:\n{x!r:.1500}\n---\n{y!r:.1500}"
    return "" if len(a) == len(b) else "different lengths"


def token(srv, A):
    st, _, data = srv.req("PROPFIND", BOOK, '<d:propfind xmlns:d="DAV:"><d:prop><d:sync-token/>'
                          '</d:prop></d:propfind>', {"Depth": "0"}, auth=A)
    return ms(data)[BOOK][1][D + "sync-token"].text


def differential(srv, alex, sam, kim):
    A = ("alex", alex)
    people = ids(srv, alex)
    zoe, olga, p0 = people["Zoe Dupont"], people["Olga Petrova"], people["Person 000 Example"]
    sam_me = api(srv, sam, "GET", "/api/v1/me")[1]
    sam_person = (sam_me.get("person") or {}).get("id") if isinstance(sam_me.get("person"), dict) \
        else sam_me.get("person_id") or sam_me.get("person")
    # sam's own person is private before the snapshot; alex does not see it.
    st, _ = api(srv, sam, "PATCH", f"/api/v1/people/{sam_person}", {"private": True})
    ok(st == 200, "sam makes their own person private", st)
    people = ids(srv, alex)
    before = snapshot(srv, A, people)
    tok0 = token(srv, A)
    ok(all(r[0] in (200, 207) for r in before), "alex's snapshot answers", [r[0] for r in before])

    steps = []

    def step(name, method, path, body=None, who=sam):
        st, j = api(srv, who, method, path, body)
        steps.append((name, st, token(srv, A)))
        return st, j

    st, link = step("private link between team people", "POST", "/api/v1/links",
                    {"a": str(zoe), "b": str(olga), "kind": "colleague", "private": True})
    step("private note on a team person", "POST", f"/api/v1/people/{zoe}/notes",
         {"body": "sam's secret about zoe", "private": True})
    step("private interaction with team people", "POST", "/api/v1/interactions",
         {"kind": "meeting", "people": [str(zoe), str(p0)], "notes": "secret", "private": True})
    st, sp = step("private person created", "POST", "/api/v1/people",
                  {"display_name": "Sam Secret", "emails": ["ssecret@hidden.example"],
                   "private": True})
    step("private person changed", "PATCH", f"/api/v1/people/{sp['id']}",
         {"display_name": "Sam Secret Renamed", "city": "Oslo"})
    step("link from the private person to a team person", "POST", "/api/v1/links",
         {"a": str(sp["id"]), "b": str(zoe), "kind": "friend"})
    step("private org", "POST", "/api/v1/orgs", {"name": "Hidden Corp", "private": True})
    step("private link changed", "PATCH", f"/api/v1/links/{link['id']}", {"trust": 0.9})
    step("private link removed", "DELETE", f"/api/v1/links/{link['id']}")
    st, link2 = step("another private link", "POST", "/api/v1/links",
                     {"a": str(olga), "b": str(p0), "kind": "friend", "private": True})
    ok(all(s in (200, 201, 204) for _, s, _ in steps), "sam's private writes all succeed",
       [(n, s) for n, s, _ in steps])
    moved = [n for n, _, t in steps if t != tok0]
    ok(not moved, "alex's sync token stays after each of sam's private writes", moved)
    # sam's own person: team for a moment (no sync of alex meanwhile), private again.
    st1, _ = api(srv, sam, "PATCH", f"/api/v1/people/{sam_person}", {"private": False})
    st2, _ = api(srv, sam, "PATCH", f"/api/v1/people/{sam_person}", {"private": True})
    ok(st1 == 200 and st2 == 200, "sam makes their own person team, then private again")

    after = snapshot(srv, A, people)
    ok(before == after, "alex's PROPFIND, ETags, token, sync, query, multiget and GETs are"
       " byte-identical after sam's private writes", first_diff(before, after))
    st, _, data = srv.req("REPORT", BOOK, sync_body(tok0), {"Depth": "1"}, auth=A)
    ok(st == 207 and ms(data) == {} and sync_token(data) == tok0,
       "a sync from alex's old token is empty and keeps the token", data[:600])
    return people, sp["id"], link2["id"], sam_person


def hidden_is_missing(srv, alex, sam, hidden):
    A = ("alex", alex)
    people = ids(srv, alex)
    missing = max(max(people.values()), hidden) + 100000

    def norm(resp, pid, name=None):
        st, h, data = strip(resp)
        pairs = [(f"kith-{pid}.vcf", "kith-ID.vcf")] + ([(name, "NAME.vcf")] if name else [])
        for a, b in pairs:
            data = data.replace(a.encode(), b.encode())
            h = {k: v.replace(a, b) for k, v in h.items()}
        h.pop("content-length", None)
        return st, h, data

    def both(method, body=None, headers=None, names=None):
        out = []
        for pid, name in ((hidden, names[0] if names else None),
                          (missing, names[1] if names else None)):
            path = f"{BOOK}{name}" if name else f"{BOOK}kith-{pid}.vcf"
            b = body.replace("HREF", path) if body else None
            out.append(norm(srv.req(method, path, b, headers, auth=A), pid, name))
        return out

    checks = [
        ("GET", None, None),
        ("HEAD", None, None),
        ("GET", None, {"Accept": "text/vcard; version=4.0"}),
        ("PROPFIND", PROPFIND_ETAG, {"Depth": "0"}),
        ("PROPPATCH", '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>x'
                      '</d:displayname></d:prop></d:set></d:propertyupdate>', None),
        ("PUT", card("probe-uid", "Probe Card"), {"Content-Type": "text/vcard",
                                                  "If-Match": '"123"'}),
        ("PUT", card("probe-uid2", "Probe Card"), {"Content-Type": "text/vcard"}),
        ("DELETE", None, {"If-Match": '"123"'}),
        ("DELETE", None, None),
        ("REPORT", '<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
                   '<d:prop><d:getetag/></d:prop><d:href>HREF</d:href></c:addressbook-multiget>',
         {"Depth": "0"}),
    ]
    bad = []
    for method, body, headers in checks:
        h, m = both(method, body, headers)
        if h != m:
            bad.append((method, headers, h, m))
    ok(not bad, "a card alex may not see answers exactly like a missing one"
       " (GET, HEAD, PROPFIND, PROPPATCH, PUT, DELETE, multiget)", bad[:2])
    st, sp = api(srv, sam, "GET", f"/api/v1/people/{hidden}")
    ok(st == 200 and sp["name"] == "Sam Secret Renamed", "and sam's private person is untouched",
       (st, sp))

    # A name alex's client chose for sam's team person (a card that merges
    # into them by email), then sam makes that person private.
    st0, later = api(srv, sam, "POST", "/api/v1/people",
                     {"display_name": "Hidden Later", "emails": ["later@team.example"]})
    st, _, _ = srv.req("PUT", f"{BOOK}hid1.vcf", card("hid-uid", "Hidden Later",
                                                       "later@team.example"),
                       {"Content-Type": "text/vcard", "If-None-Match": "*"}, auth=A)
    ok(st0 == 201 and st == 201 and srv.req("GET", f"{BOOK}hid1.vcf", auth=A)[0] == 200,
       "alex's card for sam's team person, under a name alex's client chose", (st0, st))
    st2, _ = api(srv, sam, "PATCH", f"/api/v1/people/{later['id']}", {"private": True})
    st = 201
    bad = []
    for method, body, headers in checks[:4] + checks[-1:]:
        out = []
        for name in ("hid1.vcf", "mis1.vcf"):
            path = f"{BOOK}{name}"
            b = body.replace("HREF", path) if body else None
            out.append(norm(srv.req(method, path, b, headers, auth=A), 0, name))
        if out[0] != out[1]:
            bad.append((method, out))
    ok(st == 201 and st2 == 200 and not bad,
       "a card alex named, made private by sam, answers like a name never used", bad[:2])


def visible_changes(srv, alex, sam, people, link2):
    A = ("alex", alex)
    zoe, olga = people["Zoe Dupont"], people["Olga Petrova"]
    tok = token(srv, A)
    st, _, data = srv.req("PROPFIND", BOOK, PROPFIND_ETAG, {"Depth": "1"}, auth=A)
    etags = {h: p[D + "getetag"].text for h, (_, p) in ms(data).items() if D + "getetag" in p}
    api(srv, sam, "PATCH", f"/api/v1/people/{zoe}", {"city": "Lyon"})
    st, _, data = srv.req("REPORT", BOOK, sync_body(tok, False), {"Depth": "1"}, auth=A)
    m = ms(data)
    zh = f"{BOOK}kith-{zoe}.vcf"
    ok(set(m) == {zh} and m[zh][1][D + "getetag"].text != etags[zh] and sync_token(data) != tok,
       "sam's edit of a team person: alex's token moves, that card alone with a new ETag", data)
    tok = sync_token(data)
    # A private link made team: both its people's cards show it now.
    st, _ = api(srv, sam, "PATCH", f"/api/v1/links/{link2}", {"private": False})
    st2, _, data = srv.req("REPORT", BOOK, sync_body(tok, True), {"Depth": "1"}, auth=A)
    m = ms(data)
    oh, ph = f"{BOOK}kith-{olga}.vcf", f"{BOOK}kith-{people['Person 000 Example']}.vcf"
    ok(st == 200 and set(m) == {oh, ph} and
       "Person 000" in m[oh][1][C + "address-data"].text,
       "a private link made team: both cards reported, with the link", data[:800])
    # GET and PUT agree on the ETag (the PUT checks it inside its write).
    st, h, body = srv.req("GET", oh, auth=A)
    st2, _, _ = srv.req("PUT", oh, body, {"Content-Type": "text/vcard", "If-Match": h["etag"]},
                        auth=A)
    st3, _, pdata = srv.req("PROPFIND", oh, PROPFIND_ETAG, {"Depth": "0"}, auth=A)
    ok(st == 200 and st2 in (201, 204) and
       ms(pdata)[oh][1][D + "getetag"].text == srv.req("GET", oh, auth=A)[1]["etag"],
       "GET, PUT If-Match and PROPFIND agree on the ETag", (st, st2, pdata))


def query_body(nfilters, ntm=1, text="x"):
    tms = "".join(f"<c:text-match>{text}</c:text-match>" for _ in range(ntm))
    pfs = "".join(f'<c:prop-filter name="FN">{tms}</c:prop-filter>' for _ in range(nfilters))
    return ('<c:addressbook-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
            '<d:prop><d:getetag/></d:prop><c:filter test="allof">' + pfs +
            '</c:filter></c:addressbook-query>')


def multiget_body(hrefs):
    return ('<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
            '<d:prop><d:getetag/><c:address-data/></d:prop>' +
            "".join(f"<d:href>{h}</d:href>" for h in hrefs) + '</c:addressbook-multiget>')


def hostile(srv, alex):
    A = ("alex", alex)
    people = ids(srv, alex)
    cases = [
        ("5,000 prop-filters", "REPORT", query_body(5000), (403,)),
        ("5,000 text-matches in one prop-filter", "REPORT", query_body(1, 5000), (403,)),
        ("a 1 MB text-match", "REPORT", query_body(1, 1, "a" * 1000000), (403,)),
        ("20,000 hrefs", "REPORT",
         multiget_body([f"{BOOK}kith-{i}.vcf" for i in range(1, 20001)]), (207, 403)),
        ("20,001 hrefs", "REPORT",
         multiget_body([f"{BOOK}k{i}.vcf" for i in range(20001)]), (403,)),
        ("the same href 20,000 times", "REPORT",
         multiget_body([f"{BOOK}kith-{people['Zoe Dupont']}.vcf"] * 20000), (207,)),
    ]
    for name, method, body, want in cases:
        slow = []
        result = {}

        def run():
            t = time.time()
            try:
                st, h, data = srv.req(method, BOOK, body, {"Depth": "1"}, auth=A)
                result["r"] = (st, data)
            except Exception as e:  # a timeout is a failure, not a crash of the test
                result["r"] = (None, repr(e).encode())
            result["t"] = time.time() - t
        th = threading.Thread(target=run)
        th.start()
        time.sleep(0.05)
        # Others meanwhile: each on a new connection, so any pool thread.
        for _ in range(4):
            t = time.time()
            api(srv, alex, "GET", "/api/v1/me")
            slow.append(time.time() - t)
            if not th.is_alive():
                break
        th.join(120)
        st, data = result.get("r", (None, b""))
        t = result.get("t", 999)
        note(f"{name}: {st} in {t * 1000:.0f} ms ({len(body)} bytes); GET /me meanwhile:"
             f" max {max(slow) * 1000:.0f} ms")
        ok(st in want and t < HOSTILE_S, f"{name}: answered {want} within {HOSTILE_S} s",
           (st, t, data[:300]))
        ok(max(slow) < HOSTILE_S, f"{name}: GET /api/v1/me meanwhile stays fast", slow)
        if st == 403:
            ok(b"<k:message" in data and b"at most" in data,
               f"{name}: the refusal says why in one line", data[:400])
    st, _, data = srv.req("REPORT", BOOK, multiget_body(
        [f"{BOOK}kith-{people['Zoe Dupont']}.vcf"] * 3), {"Depth": "1"}, auth=A)
    ok(st == 207 and data.count(b"<d:response>") == 1, "an href named three times is answered once",
       data[:300])
    # Within the limits, a query still answers as it did.
    q = query_body(2, 1, "zoe").replace('test="allof"', 'test="anyof"')
    st, _, data = srv.req("REPORT", BOOK, q, {"Depth": "1"}, auth=A)
    ok(st == 207 and set(ms(data)) == {f"{BOOK}kith-{people['Zoe Dupont']}.vcf"},
       "a query within the limits finds what it did", data[:300])


def budget(db, alex):
    A = ("alex", alex)
    os.environ["KITH_DAV_BUDGET_MS"] = "1"
    try:
        srv = Server(db)
    finally:
        del os.environ["KITH_DAV_BUDGET_MS"]
    try:
        people = ids(srv, alex)
        q = query_body(1, 1, "e")
        st, _, data = srv.req("REPORT", BOOK, q, {"Depth": "1"}, auth=A)
        ok(st == 207 and b"507 Insufficient Storage" in data and
           b"number-of-matches-within-limits" in data and len(ms(data)) < len(people),
           "past its time budget a query stops, with a 507 for the book", data[:400])
        st, h, data = srv.req("REPORT", BOOK, multiget_body(
            [f"{BOOK}kith-{i}.vcf" for i in sorted(people.values())]), {"Depth": "1"}, auth=A)
        ok(st == 503 and "retry-after" in h, "past its time budget a multiget stops: 503", (st, h))
        ok(api(srv, alex, "GET", "/api/v1/me")[0] == 200, "the server goes on")
    finally:
        srv.stop()


def main():
    db, alex, sam, kim = setup()
    srv = Server(db)
    try:
        people, hidden, link2, _ = differential(srv, alex, sam, kim)
        hidden_is_missing(srv, alex, sam, hidden)
        visible_changes(srv, alex, sam, people, link2)
        hostile(srv, alex)
        ok(srv.alive(), "the server is still up")
    except Exception:  # a crash is a failure with its reason, not a silent stop
        import traceback
        ok(False, "visibility tests ran to the end", traceback.format_exc())
    finally:
        srv.stop()
    try:
        budget(db, alex)
    except Exception:
        import traceback
        ok(False, "budget tests ran to the end", traceback.format_exc())
    print(f"1..{davlib.N}")
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(1 if davlib.FAILED else 0)


if __name__ == "__main__":
    main()
