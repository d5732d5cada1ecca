"""The member's WebDAV folder, /dav/NAME/files/ (run by test_dav.py): a
member's files are theirs alone, the address book stays an address book,
and litmus runs its suites in the folder, where it can make its scratch
collection; its pass counts are printed.
"""
import os
import re
import shutil
import subprocess

from davlib import D, TMP, ms, note, ok, skip


def folder_tests(srv, alex, sam):
    A, S = ("alex", alex), ("sam", sam)
    st, _, _ = srv.req("MKCOL", "/dav/alex/files/notes/", auth=A)
    st2, _, _ = srv.req("PUT", "/dav/alex/files/notes/a.txt", "for alex\n",
                        {"Content-Type": "text/plain"}, auth=A)
    st3, h, data = srv.req("GET", "/dav/alex/files/notes/a.txt", auth=A)
    ok(st == 201 and st2 == 201 and st3 == 200 and data == b"for alex\n" and
       h.get("content-type") == "text/plain" and h.get("etag"),
       "folder: MKCOL, PUT and GET of a file, byte for byte", (st, st2, st3, h, data))
    st, _, _ = srv.req("GET", "/dav/alex/files/notes/a.txt", auth=S)
    st2, _, data = srv.req("PROPFIND", "/dav/sam/files/", headers={"Depth": "1"}, auth=S)
    st3, _, _ = srv.req("PUT", "/dav/alex/files/notes/b.txt", "x", auth=S)
    ok(st == 404 and st2 == 207 and set(ms(data)) == {"/dav/sam/files/"} and st3 == 404,
       "folder: another member's files are not found, not listed, not writable",
       (st, st2, st3, data))
    st, _, data = srv.req("PROPFIND", "/dav/alex/", '<d:propfind xmlns:d="DAV:"><d:prop>'
                          '<d:resourcetype/></d:prop></d:propfind>', {"Depth": "1"}, auth=A)
    m = ms(data)
    rt = m.get("/dav/alex/files/", (None, {}))[1].get(D + "resourcetype")
    ok(rt is not None and [c.tag for c in rt] == [D + "collection"],
       "the home lists the folder as a plain collection (clients look for address books)", data)
    st, _, _ = srv.req("MKCOL", "/dav/alex/contacts/", auth=A)
    st2, _, _ = srv.req("PUT", "/dav/alex/contacts/note.txt", "not a card",
                        {"Content-Type": "text/plain"}, auth=A)
    st3, _, _ = srv.req("MKCOL", "/dav/alex/litmus/", auth=A)
    ok(st == 403 and st2 == 415 and st3 == 404, "the address book still refuses collections "
       "and files; the home makes none outside the folder", (st, st2, st3))
    st, _, _ = srv.req("MOVE", "/dav/alex/files/notes/", headers={
        "Destination": f"{srv.url}/dav/alex/contacts/notes/"}, auth=A)
    ok(st == 403, "folder: nothing moves out of it", st)
    srv.req("DELETE", "/dav/alex/files/notes/", auth=A)


def litmus_tests(srv, alex):
    if not shutil.which("litmus"):
        skip("litmus", "litmus is not installed")
        return
    url = f"{srv.url}/dav/alex/files/"
    for suite in ("basic", "props", "copymove"):
        p = subprocess.run(["litmus", url, "alex", alex], capture_output=True, text=True,
                           env=dict(os.environ, TESTS=suite), cwd=TMP, timeout=300)
        m = re.search(r"summary for `" + suite + r"': of (\d+) tests run: (\d+) passed", p.stdout)
        if m:
            note(f"litmus {suite}: {m.group(2)}/{m.group(1)} passed")
        else:
            note(f"litmus {suite}: " + " ".join(p.stdout.splitlines()[-3:]))
        ok(srv.alive() and m is not None and m.group(1) == m.group(2),
           f"litmus {suite} in the member's folder: every test passes"
           + (f" ({m.group(2)}/{m.group(1)})" if m else ""), p.stdout[-2500:])
