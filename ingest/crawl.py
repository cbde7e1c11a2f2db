"""Crawling one site from a start page: same host, under the start path, robots.txt obeyed.

Every request goes through `fetch`, so the SSRF rules (and IP pinning) apply to each page,
robots.txt and sitemap alike.
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.robotparser
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

from ingest.errors import LoadError
from ingest.loaders import suffix_for
from ingest.loaders.url import Fetched, FetchPolicy, fetch
from ingest.types import Skipped

_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"'#]+)""", re.I)
_CANONICAL = re.compile(
    r"""<link\s[^>]*?rel\s*=\s*["']canonical["'][^>]*?href\s*=\s*["']([^"']+)""", re.I
)
_CANONICAL_REV = re.compile(
    r"""<link\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*?rel\s*=\s*["']canonical""", re.I
)
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)
_INDEX_NAMES = ("index.html", "index.htm")


@dataclass(frozen=True)
class CrawlLimits:
    """How much of a site one crawl may take, and how gently."""

    max_pages: int = 50
    max_depth: int = 3
    max_seconds: float = 300.0
    max_bytes: int = 50_000_000
    delay_s: float = 1.0  # politeness delay between requests; robots' Crawl-delay if longer


@dataclass(frozen=True)
class Page:
    """One fetched page of a crawled site."""

    url: str  # canonical, normalised
    body: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""
    digest: str = ""  # sha256 of the body: the same bytes under two URLs are taken once
    links: tuple[str, ...] = ()  # normalised links found on the page


class Known(Protocol):
    """What a re-crawl needs to know about a page from the last crawl."""

    @property
    def etag(self) -> str:
        """The ETag it was served with."""

    @property
    def last_modified(self) -> str:
        """Its Last-Modified header."""

    @property
    def links(self) -> tuple[str, ...]:
        """The links found on it."""


@dataclass
class CrawlResult:
    """What a crawl found: pages, and every URL it did not take, with the reason."""

    start: str
    pages: list[Page] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    disallowed: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)  # known pages that answered 304
    stopped: str = ""  # the limit that ended the crawl early, if any


def normalise(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, fragment or index."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    default = 80 if scheme == "http" else 443
    name = f"[{host}]" if ":" in host else host  # IPv6 literals keep their brackets
    netloc = name if port in (None, default) else f"{name}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    for name in _INDEX_NAMES:
        if path.endswith("/" + name):
            path = path[: -len(name)]
    query = "&".join(sorted(p for p in parts.query.split("&") if p))
    return urlunsplit((scheme, netloc, path, query, ""))


def scope_of(start: str) -> tuple[str, str]:
    """(origin, path prefix) a crawl stays within: the start page's folder on its host."""
    n = normalise(start)
    parts = urlsplit(n)
    path = parts.path
    if not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        # "/docs" is a folder; "/docs/intro.html" lives in "/docs/".
        path = path.rsplit("/", 1)[0] + "/" if "." in last else path + "/"
    return f"{parts.scheme}://{parts.netloc}", path


def in_scope(url: str, scope: tuple[str, str]) -> bool:
    """True when a normalised URL is on the start host and under the start path."""
    origin, prefix = scope
    parts = urlsplit(url)
    here = f"{parts.scheme}://{parts.netloc}"
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return here == origin and (path.startswith(prefix) or parts.path.startswith(prefix))


def as_of_from(last_modified: str) -> str:
    """A Last-Modified header as YYYY-MM-DD ('' when absent or malformed)."""
    try:
        return parsedate_to_datetime(last_modified).date().isoformat() if last_modified else ""
    except (TypeError, ValueError):
        return ""


class _Robots:
    """robots.txt rules for our User-Agent, its Crawl-delay, and the sitemaps it names."""

    def __init__(self, origin: str, policy: FetchPolicy) -> None:
        self.parser = urllib.robotparser.RobotFileParser()
        self.agent = policy.user_agent.split("/")[0] or "*"
        self.problem = ""
        text = ""
        try:
            text = fetch(f"{origin}/robots.txt", policy).body.decode("utf-8", "replace")
        except LoadError as exc:
            # RFC 9309: no robots.txt (4xx) allows everything; an unreachable one (5xx,
            # network error, refused address) means crawl nothing.
            if not str(exc).startswith("HTTP 4"):
                self.problem = str(exc)
        if self.problem:
            text = "User-agent: *\nDisallow: /\n"
        self.parser.parse(text.splitlines())
        self.sitemaps = list(self.parser.site_maps() or [])

    def allowed(self, url: str) -> bool:
        """May we fetch this URL?"""
        return self.parser.can_fetch(self.agent, url)

    def delay(self) -> float:
        """Crawl-delay in seconds (0 when none)."""
        value = self.parser.crawl_delay(self.agent)
        return float(value) if value else 0.0


def _sitemap_urls(urls: list[str], policy: FetchPolicy, limit: int) -> list[str]:
    """Page URLs listed in sitemaps (sitemap indexes followed one level)."""
    found: list[str] = []
    queue = deque((u, 0) for u in urls)
    seen: set[str] = set()
    while queue and len(found) < limit * 4:
        url, level = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            text = fetch(url, policy).body.decode("utf-8", "replace")
        except LoadError:
            continue
        locs = _LOC.findall(text)
        if "<sitemapindex" in text.lower() and level == 0:
            queue.extend((loc, 1) for loc in locs)
        else:
            found.extend(locs)
    return found


def _canonical(html: str, base: str) -> str:
    """The page's <link rel=canonical>, resolved against its URL ('' when none)."""
    m = _CANONICAL.search(html) or _CANONICAL_REV.search(html)
    return normalise(urljoin(base, m.group(1))) if m else ""


def crawl(
    start: str,
    limits: CrawlLimits,
    policy: FetchPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_page: Callable[[str], None] | None = None,
    known: Mapping[str, Known] | None = None,
) -> CrawlResult:
    """Breadth-first crawl from `start` within its scope, obeying robots.txt and the limits."""
    start_n = normalise(start)
    known = known or {}
    scope = scope_of(start_n)
    result = CrawlResult(start=start_n)
    robots = _Robots(scope[0], policy)
    if robots.problem:
        reason = f"robots.txt unavailable, so nothing is crawled: {robots.problem}"
        result.skipped.append(Skipped(f"{scope[0]}/robots.txt", reason))
        return result
    delay = max(limits.delay_s, robots.delay())
    queue: deque[tuple[str, int]] = deque([(start_n, 0)])
    listed = _sitemap_urls([f"{scope[0]}/sitemap.xml", *robots.sitemaps], policy, limits.max_pages)
    queue.extend((normalise(u), 1) for u in listed)
    seen: set[str] = set()
    deadline = time.monotonic() + limits.max_seconds
    total_bytes, first = 0, True
    while queue:
        url, depth = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        if not in_scope(url, scope):
            continue  # off-site or outside the start folder: not ours to take
        if not robots.allowed(url):
            result.disallowed.append(url)
            continue
        if len(result.pages) + len(result.not_modified) >= limits.max_pages:
            result.stopped = f"page limit ({limits.max_pages})"
            break
        if time.monotonic() >= deadline:
            result.stopped = f"time limit ({limits.max_seconds:g} s)"
            break
        if not first:
            sleep(delay)
        first = False
        before = known.get(url)
        try:
            got = fetch(url, policy, headers=_conditional(before))
        except LoadError as exc:
            result.skipped.append(Skipped(url, str(exc)))
            continue
        if got.status == 304 and before is not None:
            # Unchanged since the last crawl: its links are the ones recorded then.
            result.not_modified.append(url)
            links: tuple[str, ...] = before.links
        else:
            total_bytes += len(got.body)
            page = _page(got, url, scope, seen, result)
            if page is None:
                continue
            result.pages.append(page)
            links = page.links
        if on_page is not None:
            on_page(url)
        if total_bytes >= limits.max_bytes:
            result.stopped = f"byte limit ({limits.max_bytes:,})"
            break
        if depth < limits.max_depth:
            queue.extend((link, depth + 1) for link in links if link not in seen)
    return result


def _page(
    got: Fetched, url: str, scope: tuple[str, str], seen: set[str], result: CrawlResult
) -> Page | None:
    """Turn a fetch into a Page under its canonical URL, or record why it is not one."""
    final = normalise(got.url)
    if final != url:  # redirected
        if not in_scope(final, scope):
            result.skipped.append(Skipped(url, f"redirects outside the crawl scope to {final}"))
            return None
        if final in seen and final != url:
            result.skipped.append(Skipped(url, f"redirects to {final}, already taken"))
            return None
        seen.add(final)
    canonical = final
    if got.content_type in ("text/html", "application/xhtml+xml"):
        named = _canonical(got.body.decode("utf-8", "replace"), got.url)
        if named and in_scope(named, scope):
            canonical = named
    if canonical != final and any(p.url == canonical for p in result.pages):
        result.skipped.append(Skipped(url, f"duplicate of {canonical} (canonical URL)"))
        return None
    digest = hashlib.sha256(got.body).hexdigest()
    same = next((p.url for p in result.pages if p.digest == digest), "")
    if same:
        result.skipped.append(Skipped(url, f"duplicate of {same} (same content)"))
        return None
    if not suffix_for(urlsplit(canonical).path, got.content_type):
        result.skipped.append(Skipped(url, f"unsupported content type {got.content_type}"))
        return None
    links: list[str] = []
    if got.content_type in ("text/html", "application/xhtml+xml"):
        for href in _LINK.findall(got.body.decode("utf-8", "replace")):
            link = normalise(urljoin(got.url, href))
            if link.startswith(("http://", "https://")) and link not in links:
                links.append(link)
    return Page(
        canonical, got.body, got.content_type, got.etag, got.last_modified, digest, tuple(links)
    )


def _conditional(before: Known | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since headers for a page fetched before."""
    headers: dict[str, str] = {}
    if before is not None and before.etag:
        headers["If-None-Match"] = before.etag
    if before is not None and before.last_modified:
        headers["If-Modified-Since"] = before.last_modified
    return headers
