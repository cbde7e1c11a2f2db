"""URL ingestion refuses private, link-local and loopback addresses unless allow-listed."""

from __future__ import annotations

import http.server

import pytest

from ingest.errors import LoadError
from ingest.loaders.url import FetchPolicy, fetch
from tests.helpers import reply, serve


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://10.1.2.3/admin",
        "http://192.168.0.1/",
        "http://[::1]:8080/",
        "http://localhost:9/",
        "file:///etc/passwd",
    ],
)
def test_private_targets_are_refused_before_any_connection(url: str) -> None:
    with pytest.raises(LoadError, match=r"refused to fetch|unsupported URL scheme"):
        fetch(url, FetchPolicy(timeout_s=1))


def test_allow_list_admits_loopback_but_not_a_redirect_to_a_private_host() -> None:
    def to_private(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", "http://10.0.0.7/internal")
        h.send_header("Content-Length", "0")
        h.end_headers()

    routes = {"/ok": reply(b"# Fine\n\nPublic page.", "text/markdown"), "/bounce": to_private}
    policy = FetchPolicy(timeout_s=2, allow_private=("127.0.0.1",))
    with serve(routes) as base:
        assert fetch(f"{base}/ok", policy).body.startswith(b"# Fine")
        with pytest.raises(LoadError, match=r"refused to fetch 10\.0\.0\.7"):
            fetch(f"{base}/bounce", policy)
        with pytest.raises(LoadError, match="refused to fetch"):
            fetch(f"{base}/ok", FetchPolicy(timeout_s=2))


def test_dns_rebinding_cannot_reach_loopback_after_a_public_answer() -> None:
    """The address checked is the address dialled: a second, loopback answer is never used."""
    hits: list[str] = []

    def record(h: http.server.BaseHTTPRequestHandler) -> None:
        hits.append(h.headers.get("Host", ""))
        reply(b"# Internal\n\nsecret admin page", "text/markdown")(h)

    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        """First answer public, every later answer loopback."""
        asked.append(host)
        return ["93.184.215.14"] if len(asked) == 1 else ["127.0.0.1"]

    with serve({"/admin": record}) as base:
        port = base.rsplit(":", 1)[1]
        # "localhost" is what the system resolver would give for a second lookup; the old
        # code connected there after checking the public answer.
        policy = FetchPolicy(timeout_s=1, resolver=rebinding)
        with pytest.raises(LoadError, match=r"could not fetch|timed out"):
            fetch(f"http://localhost:{port}/admin", policy)
        assert asked == ["localhost"]  # resolved once, and that answer was dialled
        assert hits == []
        # The allow-list still admits a trusted loopback server, with the Host header kept.
        trusted = FetchPolicy(timeout_s=2, allow_private=("127.0.0.1",))
        assert fetch(f"http://localhost:{port}/admin", trusted).body.startswith(b"# Internal")
        assert hits == [f"localhost:{port}"]


def test_each_redirect_hop_is_resolved_checked_and_pinned() -> None:
    """A redirect to a host whose checked answer is loopback is refused before connecting."""

    def bounce(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", "http://rebind.example/next")
        h.send_header("Content-Length", "0")
        h.end_headers()

    def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "127.0.0.1" else ["127.0.0.2"]

    with serve({"/start": bounce}) as base:
        policy = FetchPolicy(timeout_s=2, allow_private=("127.0.0.1/32",), resolver=resolver)
        with pytest.raises(LoadError, match=r"refused to fetch rebind\.example \(127\.0\.0\.2\)"):
            fetch(f"{base}/start", policy)
