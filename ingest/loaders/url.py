"""Fetching http(s) sources safely: size and time limits, redirects, and no SSRF.

DNS rebinding: a name can answer "public" to our check and "127.0.0.1" to the connection a
moment later. So each hop's host is resolved exactly once, every address is checked, and the
connection is made to the checked address: a network backend that refuses to resolve anything
itself dials the pinned IP, while the URL (hence the Host header, TLS SNI and the certificate
check) keeps the host name.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ingest.errors import LoadError

if TYPE_CHECKING:
    import httpcore
    import httpx

# (host, port) → the IP addresses it resolves to, as strings.
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve a host with the system resolver (getaddrinfo), keeping the order it gives."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for URL ingestion."""

    timeout_s: float = 15.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    # Hosts or CIDR ranges that may resolve to private/loopback addresses (e.g. "127.0.0.1").
    allow_private: tuple[str, ...] = ()
    user_agent: str = "pilotdesk"
    resolver: Resolver = field(default=system_resolver, compare=False, repr=False)


@dataclass(frozen=True)
class Fetched:
    """A fetched body with its final URL, content type and caching headers."""

    url: str
    content_type: str
    body: bytes
    status: int = 200  # 304 when a conditional request found the page unchanged
    etag: str = ""
    last_modified: str = ""


def _check_host(url: str, policy: FetchPolicy) -> tuple[str, str]:
    """Resolve the URL's host once; refuse private addresses; return (host, address to dial)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise LoadError(f"unsupported URL scheme {parts.scheme!r}; use http or https")
    host = parts.hostname or ""
    if not host:
        raise LoadError("URL has no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = policy.resolver(host, port)
    except socket.gaierror as exc:
        raise LoadError(f"cannot resolve host {host}: {exc.strerror}") from exc
    if not addresses:
        raise LoadError(f"cannot resolve host {host}: no addresses")
    for raw in addresses:
        addr = ipaddress.ip_address(raw)
        if addr.is_global or _allowed(host, addr, policy.allow_private):
            continue
        raise LoadError(
            f"refused to fetch {host} ({addr}): private, loopback or link-local address; "
            "add it to ingest.allow_private_hosts if you trust it"
        )
    # Every answer passed; dial the first (no happy-eyeballs fallback, by design).
    return host, addresses[0]


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


def _pinned_client(pins: dict[str, str], policy: FetchPolicy) -> httpx.Client:
    """An httpx client whose connections go only to the addresses in `pins` (host → IP)."""
    import httpcore
    import httpx

    class PinnedBackend(httpcore.SyncBackend):
        """Dial the checked address for a host; never resolve a name here (fail closed)."""

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore.NetworkStream:
            ip = pins.get(host.strip("[]").lower())
            if ip is None:
                raise httpcore.ConnectError(f"no checked address for {host}")
            return super().connect_tcp(ip, port, timeout, local_address, socket_options)

    class PinnedTransport(httpx.HTTPTransport):
        """httpx's transport over a pool that uses the pinning backend."""

        def __init__(self) -> None:
            super().__init__(trust_env=False)
            # httpx has no public hook for the network backend; replace the pool it built
            # with the same one plus our backend. TLS still verifies against the URL's host,
            # because httpcore takes SNI and the certificate name from the request URL.
            self._pool = httpcore.ConnectionPool(
                ssl_context=httpx.create_ssl_context(trust_env=False),
                network_backend=PinnedBackend(),
            )

    # trust_env=False: an HTTP(S)_PROXY from the environment would bypass the pinning.
    return httpx.Client(
        timeout=policy.timeout_s,
        follow_redirects=False,
        transport=PinnedTransport(),
        trust_env=False,
    )


def fetch(url: str, policy: FetchPolicy, *, headers: Mapping[str, str] | None = None) -> Fetched:
    """GET a URL with limits, following redirects by hand so each hop is checked and pinned."""
    import httpx

    current = url
    pins: dict[str, str] = {}
    sent = {"User-Agent": policy.user_agent, **(headers or {})}
    with _pinned_client(pins, policy) as client:
        for _ in range(policy.max_redirects + 1):
            _, ip = _check_host(current, policy)
            # Keyed as httpcore will name it when it connects (IDNA-encoded, lower case).
            pins[httpx.URL(current).raw_host.decode("ascii").lower()] = ip
            try:
                with client.stream("GET", current, headers=sent) as resp:
                    if resp.has_redirect_location:  # not 304, nor a 3xx without Location
                        current = urljoin(current, resp.headers.get("location", ""))
                        continue
                    return _read_body(resp, current, policy)
            except httpx.TimeoutException as exc:
                raise LoadError(
                    f"timed out after {policy.timeout_s:g} s fetching {current}"
                ) from exc
            except httpx.HTTPError as exc:
                raise LoadError(f"could not fetch {current}: {exc}") from exc
    raise LoadError(f"too many redirects (more than {policy.max_redirects}) from {url}")


def _read_body(resp: httpx.Response, current: str, policy: FetchPolicy) -> Fetched:
    """Read a final (non-redirect) response within the byte limit."""
    etag = resp.headers.get("etag", "")
    modified = resp.headers.get("last-modified", "")
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if resp.status_code == 304:
        return Fetched(current, ctype, b"", 304, etag, modified)
    if resp.status_code >= 400:
        raise LoadError(f"HTTP {resp.status_code} from {current}")
    declared = int(resp.headers.get("content-length") or 0)
    if declared > policy.max_bytes:
        raise LoadError(f"response too large ({declared} bytes > {policy.max_bytes})")
    body = bytearray()
    for part in resp.iter_bytes():
        body.extend(part)
        if len(body) > policy.max_bytes:
            raise LoadError(f"response too large (over {policy.max_bytes} bytes)")
    return Fetched(current, ctype, bytes(body), resp.status_code, etag, modified)
