"""A small real web site on 127.0.0.1 for crawl and refresh tests; pages change between runs."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


def page(title: str, body: str, links: tuple[str, ...] = (), extra_head: str = "") -> bytes:
    """A plain HTML page with a title, an H1, a paragraph and links."""
    anchors = "".join(f'<li><a href="{h}">{h}</a></li>' for h in links)
    return (
        f"<html><head><title>{title}</title>{extra_head}</head><body><main><h1>{title}</h1>"
        f"<p>{body}</p><ul>{anchors}</ul></main></body></html>"
    ).encode()


@dataclass
class Site:
    """Routes (path → (status, headers, body)) that tests change between runs; a request log."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def html(self, path: str, body: bytes, last_modified: str = "", etag: str = "") -> None:
        """Serve an HTML page (with optional caching headers)."""
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if last_modified:
            headers["Last-Modified"] = last_modified
        if etag:
            headers["ETag"] = etag
        self.routes[path] = (200, headers, body)

    def text(self, path: str, body: str, ctype: str = "text/plain") -> None:
        """Serve a text file (robots.txt, sitemap.xml)."""
        self.routes[path] = (200, {"Content-Type": ctype}, body.encode())

    def redirect(self, path: str, target: str) -> None:
        """Serve a 301 to another path."""
        self.routes[path] = (301, {"Location": target}, b"")


@contextlib.contextmanager
def serve_site(site: Site) -> Iterator[Site]:
    """Run the site on a real loopback server; honours If-None-Match with 304."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers)))
            status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
            if (
                status == 200
                and headers.get("ETag")
                and (self.headers.get("If-None-Match") == headers["ETag"])
            ):
                status, body = 304, b""
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
