"""A model CardDAV address book for comparing clients' behaviour with
kith's: one collection at /book/ on loopback, cards kept byte for byte.
With etag_on_put it answers a PUT with the new ETag (a server that stores
what it is sent, as RFC 7231 4.3.4 allows); without, it answers with none,
as kith does (kith stores fields, so what it serves differs from what it
got).  Enough of WebDAV for vdirsyncer with `collections = null`:
PROPFIND Depth 1, addressbook-multiget, GET, PUT, DELETE with If-Match
and If-None-Match.
"""
import hashlib
import http.server
import re
import threading
from xml.sax.saxutils import escape


class ModelServer:
    def __init__(self, etag_on_put):
        cards = {}  # name -> bytes
        lock = threading.Lock()

        def etag(body):
            return '"' + hashlib.sha1(body).hexdigest() + '"'

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def body(self):
                return self.rfile.read(int(self.headers.get("Content-Length", 0)))

            def name(self):
                m = re.fullmatch(r"/book/([^/]+)", self.path)
                return m.group(1) if m else None

            def do_PROPFIND(self):
                self.body()
                out = ['<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">',
                       '<d:response><d:href>/book/</d:href><d:propstat><d:prop><d:resourcetype>'
                       '<d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK'
                       '</d:status></d:propstat></d:response>']
                with lock:
                    for n, b in cards.items():
                        out.append(f'<d:response><d:href>/book/{n}</d:href><d:propstat><d:prop>'
                                   '<d:resourcetype/><d:getcontenttype>text/vcard</d:getcontenttype>'
                                   f'<d:getetag>{escape(etag(b))}</d:getetag></d:prop>'
                                   '<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>')
                out.append("</d:multistatus>")
                self.reply(207, "".join(out).encode(), [("Content-Type", "application/xml")])

            def do_REPORT(self):
                hrefs = re.findall(r"<(?:\w+:)?href>([^<]*)</", self.body().decode())
                out = ['<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" '
                       'xmlns:c="urn:ietf:params:xml:ns:carddav">']
                with lock:
                    for h in hrefs:
                        b = cards.get(h.rsplit("/", 1)[-1])
                        if b is None:
                            out.append(f"<d:response><d:href>{escape(h)}</d:href>"
                                       "<d:status>HTTP/1.1 404 Not Found</d:status></d:response>")
                            continue
                        out.append(f"<d:response><d:href>{escape(h)}</d:href><d:propstat><d:prop>"
                                   f"<d:getetag>{escape(etag(b))}</d:getetag><c:address-data>"
                                   f"{escape(b.decode())}</c:address-data></d:prop>"
                                   "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>")
                out.append("</d:multistatus>")
                self.reply(207, "".join(out).encode(), [("Content-Type", "application/xml")])

            def do_GET(self):
                with lock:
                    b = cards.get(self.name())
                if b is None:
                    return self.reply(404)
                self.reply(200, b, [("Content-Type", "text/vcard"), ("ETag", etag(b))])

            def precondition(self, n):
                have = cards.get(n)
                im, inm = self.headers.get("If-Match"), self.headers.get("If-None-Match")
                return not ((inm == "*" and have is not None) or
                            (im and (have is None or im != etag(have))))

            def do_PUT(self):
                b, n = self.body(), self.name()
                with lock:
                    if not n or not self.precondition(n):
                        return self.reply(412)
                    new = n not in cards
                    cards[n] = b
                self.reply(201 if new else 204, b"", [("ETag", etag(b))] if etag_on_put else [])

            def do_DELETE(self):
                n = self.name()
                with lock:
                    if n not in cards or not self.precondition(n):
                        return self.reply(412 if n in cards else 404)
                    del cards[n]
                self.reply(204)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/book/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
