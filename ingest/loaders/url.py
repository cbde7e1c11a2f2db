"""Fetching http(s) sources safely: size and time limits, redirects, and no SSRF."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ingest.errors import LoadError


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for URL ingestion."""

    timeout_s: float = 15.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    # Hosts or CIDR ranges that may resolve to private/loopback addresses (e.g. "127.0.0.1").
    allow_private: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fetched:
    """A fetched body with its final URL and content type."""

    url: str
    content_type: str
    body: bytes


def _check_host(url: str, policy: FetchPolicy) -> None:
    """Refuse URLs whose host resolves to a private, loopback or link-local address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise LoadError(f"unsupported URL scheme {parts.scheme!r}; use http or https")
    host = parts.hostname or ""
    if not host:
        raise LoadError("URL has no host")
    try:
        infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise LoadError(f"cannot resolve host {host}: {exc.strerror}") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_global:
            continue
        if _allowed(host, addr, policy.allow_private):
            continue
        raise LoadError(
            f"refused to fetch {host} ({addr}): private, loopback or link-local address; "
            "add it to ingest.allow_private_hosts if you trust it"
        )


def _allowed(
    host: str, addr: ipaddress.IPv4Address | ipaddress.IPv6Address, allow: tuple[str, ...]
) -> bool:
    """True when the host name or its address is on the allow-list."""
    for entry in allow:
        if entry == host:
            return True
        try:
            if addr in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def fetch(url: str, policy: FetchPolicy) -> Fetched:
    """GET a URL with limits, following redirects by hand so each hop is checked."""
    import httpx

    current = url
    with httpx.Client(timeout=policy.timeout_s, follow_redirects=False) as client:
        for _ in range(policy.max_redirects + 1):
            _check_host(current, policy)
            try:
                with client.stream("GET", current, headers={"User-Agent": "pilotdesk"}) as resp:
                    if resp.is_redirect:
                        loc = resp.headers.get("location", "")
                        current = urljoin(current, loc)
                        continue
                    if resp.status_code >= 400:
                        raise LoadError(f"HTTP {resp.status_code} from {current}")
                    declared = int(resp.headers.get("content-length") or 0)
                    if declared > policy.max_bytes:
                        raise LoadError(
                            f"response too large ({declared} bytes > {policy.max_bytes})"
                        )
                    body = bytearray()
                    for part in resp.iter_bytes():
                        body.extend(part)
                        if len(body) > policy.max_bytes:
                            raise LoadError(f"response too large (over {policy.max_bytes} bytes)")
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    return Fetched(url=str(resp.url), content_type=ctype, body=bytes(body))
            except httpx.TimeoutException as exc:
                raise LoadError(
                    f"timed out after {policy.timeout_s:g} s fetching {current}"
                ) from exc
            except httpx.HTTPError as exc:
                raise LoadError(f"could not fetch {current}: {exc}") from exc
    raise LoadError(f"too many redirects (more than {policy.max_redirects}) from {url}")
