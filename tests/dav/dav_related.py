"""Relationships over CardDAV (run by test_dav.py): a phone's card with
Apple's X-ABRELATEDNAMES makes links of the right kind, a link made in
kith reaches both people's cards (new ETags, in the next sync), a member
never receives a relationship to another member's private person, and
a line dropped on the client removes its link.
"""
import re

from davlib import C, D, api, card, ms, ok, people, sync_body, sync_token


def links_of(srv, token, pid):
    st, j = api(srv, token, "GET", f"/api/v1/links?person={pid}&limit=1000")
    return [(l["a"] if l["b"] == pid else l["b"], l["kind"], l["id"]) for l in j["items"]]


def book_cards(srv, auth, book):
    """{FN: (href, etag)} of every card in the book."""
    q = ('<c:addressbook-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
         '<d:prop><d:getetag/><c:address-data/></d:prop></c:addressbook-query>')
    st, _, data = srv.req("REPORT", book, q, {"Depth": "1"}, auth=auth)
    out = {}
    for href, (_, props) in ms(data).items():
        fn = re.search(r"\r\nFN:([^\r]*)", props[C + "address-data"].text).group(1)
        out[fn] = (href, props[D + "getetag"].text)
    return out


def get(srv, auth, href, v4=False):
    st, h, data = srv.req("GET", href, auth=auth,
                          headers={"Accept": "text/vcard; version=4.0"} if v4 else {})
    return st, h.get("etag"), data.decode().replace("\r\n ", "")


def relationships(srv, alex, sam):
    A, S = ("alex", alex), ("sam", sam)
    book = "/dav/alex/contacts/"
    who = {p["name"]: p["id"] for p in people(srv, alex).values()}
    zoe, olga = who["Zoe Dupont"], who["Olga Petrova"]
    st, _, data = srv.req("REPORT", book, sync_body(None, False), {"Depth": "1"}, auth=A)
    tok = sync_token(data)
    n_people = len(who)
    secret_id = [p["id"] for p in people(srv, sam).values() if p["name"] == "Sam Secret"][0]

    rita = card("rita-iphone", "Rita Related", "rita@rel.example",
                "item1.X-ABRELATEDNAMES:Zoe Dupont\nitem1.X-ABLabel:_$!<Spouse>!$_\n"
                "item2.X-ABRELATEDNAMES:Nobody Known\nitem2.X-ABLabel:_$!<Friend>!$_")
    href = book + "rita.vcf"
    st, _, _ = srv.req("PUT", href, rita, {"Content-Type": "text/vcard", "If-None-Match": "*"}, auth=A)
    who = {p["name"]: p["id"] for p in people(srv, alex).values()}
    rid = who.get("Rita Related")
    ok(st == 201 and rid and links_of(srv, alex, rid) and
       [(q, k) for q, k, _ in links_of(srv, alex, rid)] == [(zoe, "family")] and
       len(who) == n_people + 1,
       "PUT with X-ABRELATEDNAMES: a family link to Zoe (Spouse), nobody made up for "
       "an unknown name", (st, links_of(srv, alex, rid) if rid else None, who))
    st, etag, text = get(srv, A, href)
    ok("item1.X-ABRELATEDNAMES:Zoe Dupont\r\nitem1.X-ABLabel:_$!<Spouse>!$_\r\n" in text and
       "item2.X-ABRELATEDNAMES:Nobody Known\r\nitem2.X-ABLabel:_$!<Friend>!$_\r\n" in text,
       "the card comes back with both relationships as sent", text)
    st, _, text4 = get(srv, A, href, v4=True)
    ok("\r\nRELATED;TYPE=spouse;VALUE=text:Zoe Dupont\r\n" in text4 and
       "X-ABRELATEDNAMES:Zoe" not in text4,
       "in vCard 4.0 it is RELATED;TYPE=spouse (Zoe's card's UID is no UUID: her name)", text4)
    cards = book_cards(srv, A, book)
    st, _, data = srv.req("REPORT", book, sync_body(tok, False), {"Depth": "1"}, auth=A)
    ok(set(ms(data)) == {href, cards["Zoe Dupont"][0]},
       "sync after the PUT: Rita's card and Zoe's, which now names Rita",
       (list(ms(data)), {h: n for n, (h, _) in cards.items()}))
    st, _, _ = srv.req("PUT", href, rita, {"Content-Type": "text/vcard", "If-Match": etag}, auth=A)
    st2, etag2, _ = get(srv, A, href)
    ok(st == 204 and etag2 == etag and len(links_of(srv, alex, rid)) == 1,
       "the same card again changes nothing: same ETag, no second link", (st, etag, etag2))

    # A link made in kith reaches both cards.
    st, _, data = srv.req("REPORT", book, sync_body(None, False), {"Depth": "1"}, auth=A)
    tok2 = sync_token(data)
    before = book_cards(srv, A, book)
    st, link = api(srv, alex, "POST", "/api/v1/links", {"a": str(zoe), "b": str(olga), "kind": "colleague"})
    st2, _, data = srv.req("REPORT", book, sync_body(tok2), {"Depth": "1"}, auth=A)
    m = ms(data)
    zh, oh = before["Zoe Dupont"][0], before["Olga Petrova"][0]
    ok(st == 201 and set(m) == {zh, oh} and
       all(m[h][1][D + "getetag"].text != before[n][1] for h, n in ((zh, "Zoe Dupont"), (oh, "Olga Petrova"))),
       "a link made in kith: both people's cards in the next sync, with new ETags", (st, list(m)))
    ok(zh in m and "X-ABRELATEDNAMES:Olga Petrova" in m[zh][1][C + "address-data"].text and
       oh in m and "X-ABRELATEDNAMES:Zoe Dupont" in m[oh][1][C + "address-data"].text,
       "each card names the other", data[:1500])
    st, _, z4 = get(srv, A, zh, v4=True)
    st, _, o3 = get(srv, A, oh)
    ouid = re.search(r"\r\nUID:([^\r]*)", o3).group(1)
    ok(f"RELATED;TYPE=colleague:{ouid}\r\n" in z4, "vCard 4.0: RELATED;TYPE=colleague with "
       "the UID of Olga's card", z4)

    # Sam's private person never reaches alex, not even through a team card.
    st, _ = api(srv, sam, "POST", "/api/v1/links", {"a": str(olga), "b": str(secret_id), "kind": "friend"})
    st2, _, sam_olga = get(srv, S, f"/dav/sam/contacts/kith-{olga}.vcf")
    st3, _, sam_secret = get(srv, S, f"/dav/sam/contacts/kith-{secret_id}.vcf", v4=True)
    suid = re.search(r"\r\nUID:([^\r]*)", sam_secret).group(1)
    mg = ('<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
          '<d:prop><d:getetag/><c:address-data version="4.0"/></d:prop>' +
          "".join(f"<d:href>{h}</d:href>" for h, _ in book_cards(srv, A, book).values()) +
          '</c:addressbook-multiget>')
    seen = [srv.req("REPORT", book, mg, {"Depth": "1"}, auth=A)[2].decode(),
            srv.req("REPORT", book, sync_body(None), {"Depth": "1"}, auth=A)[2].decode(),
            srv.req("REPORT", book, sync_body(tok2), {"Depth": "1"}, auth=A)[2].decode(),
            get(srv, A, oh)[2], get(srv, A, oh, v4=True)[2]]
    ok(st == 201 and "X-ABRELATEDNAMES:Sam Secret" in sam_olga and
       not any("Sam Secret" in t or suid.split(":")[-1] in t for t in seen),
       "alex never receives a relationship to sam's private person (GET, multiget, sync); "
       "sam does", (st, sam_olga))

    # Dropped on the client: the link goes; the line that named nobody stays.
    st, etag, _ = get(srv, A, href)
    no_zoe = card("rita-iphone", "Rita Related", "rita@rel.example",
                  "item2.X-ABRELATEDNAMES:Nobody Known\nitem2.X-ABLabel:_$!<Friend>!$_")
    st, _, _ = srv.req("PUT", href, no_zoe, {"Content-Type": "text/vcard", "If-Match": etag}, auth=A)
    st2, _, text = get(srv, A, href)
    ok(st == 204 and links_of(srv, alex, rid) == [] and "Nobody Known" in text and
       "Zoe Dupont" not in text and "Rita Related" not in get(srv, A, zh)[2],
       "a relationship removed on the client removes the link", (st, links_of(srv, alex, rid)))
    st, _ = api(srv, alex, "DELETE", f"/api/v1/links/{link['id']}")
    return rid
