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
