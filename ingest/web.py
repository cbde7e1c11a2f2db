"""Web sources between runs: what was fetched (ETag, dates, text hash), and pages → documents.

The state lives in plain files beside the index: `web.json` (one entry per page, one per
crawled site) and `web/<doc id>.txt` (the cleaned text last indexed, for readable diffs).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ingest.chunking import ChunkingConfig, chunk_document
from ingest.crawl import Page, as_of_from
from ingest.errors import LoadError
from ingest.loaders import load_bytes, suffix_for
from ingest.pipeline import LOADER_VERSION, IngestPlan, LoadedDoc, ReadWarning, library_warnings
from ingest.types import Skipped, SourceMeta, stable_id

STATE_NAME = "web.json"
TEXT_DIR = "web"


@dataclass(frozen=True)
class PageState:
    """What was last indexed from one URL."""

    url: str
    doc_id: str
    title: str = ""
    as_of: str = ""
    text_hash: str = ""
    etag: str = ""
    last_modified: str = ""
    site: str = ""  # the crawl start URL it belongs to ('' for a URL ingested on its own)
    links: tuple[str, ...] = ()  # links found on it, so a 304 on re-crawl still leads on


@dataclass(frozen=True)
class SiteState:
    """A crawled site and the limits it was crawled with."""

    start: str
    max_pages: int
    max_depth: int


@dataclass
class WebState:
    """Every web page and crawled site the index holds."""

    pages: dict[str, PageState] = field(default_factory=dict)
    sites: dict[str, SiteState] = field(default_factory=dict)

    def site_pages(self, start: str) -> dict[str, PageState]:
        """The pages recorded for one crawled site."""
        return {u: p for u, p in self.pages.items() if p.site == start}


def read_state(root: Path) -> WebState:
    """Read web.json ({} state when there is none)."""
    try:
        raw: dict[str, Any] = json.loads((root / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return WebState()
    return WebState(
        pages={
            u: PageState(**{**p, "links": tuple(p.get("links", ()))})
            for u, p in raw.get("pages", {}).items()
        },
        sites={s: SiteState(**v) for s, v in raw.get("sites", {}).items()},
    )


def write_state(root: Path, state: WebState, texts: Mapping[str, str] | None = None) -> None:
    """Write web.json atomically, plus the cleaned text of pages just indexed."""
    root.mkdir(parents=True, exist_ok=True)
    for doc_id, text in (texts or {}).items():
        folder = root / TEXT_DIR
        folder.mkdir(exist_ok=True)
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    data = {
        "pages": {u: asdict(p) for u, p in sorted(state.pages.items())},
        "sites": {s: asdict(v) for s, v in sorted(state.sites.items())},
    }
    tmp = root / f".{STATE_NAME}.{os.getpid()}"
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, root / STATE_NAME)


def remember_urls(root: Path, loaded: Iterable[LoadedDoc]) -> None:
    """Record URLs ingested on their own, so the first refresh can ask conditionally."""
    urls = [ld for ld in loaded if ld.doc.source.startswith(("http://", "https://"))]
    if not urls:
        return
    state = read_state(root)
    for ld in urls:
        d, old = ld.doc, state.pages.get(ld.doc.source)
        etag, modified = ld.validators
        state.pages[d.source] = PageState(
            url=d.source,
            doc_id=d.id,
            title=d.title,
            as_of=d.as_of,
            text_hash=text_hash(d.title, d.text),
            etag=etag,
            last_modified=modified,
            site=old.site if old else "",
            links=old.links if old else (),
        )
    write_state(root, state, {ld.doc.id: ld.doc.text for ld in urls})


def last_text(root: Path, doc_id: str) -> str | None:
    """The cleaned text last indexed for a page (None when not recorded)."""
    try:
        return (root / TEXT_DIR / f"{doc_id}.txt").read_text(encoding="utf-8")
    except OSError:
        return None


def text_hash(title: str, text: str) -> str:
    """The final change test: CDNs change Last-Modified and ETags without changing a word."""
    return hashlib.sha256(f"{title}\0{text}\0{LOADER_VERSION}".encode()).hexdigest()


@dataclass
class PagesPlan:
    """An ingest plan for web pages, with the state entries and texts to record if it lands."""

    plan: IngestPlan = field(default_factory=IngestPlan)
    states: dict[str, PageState] = field(default_factory=dict)  # url → new state
    texts: dict[str, str] = field(default_factory=dict)  # doc id → cleaned text


def plan_pages(
    pages: Iterable[Page],
    previous: Mapping[str, str],
    known: Mapping[str, PageState],
    chunking: ChunkingConfig,
    site: str = "",
) -> PagesPlan:
    """Load fetched pages; keep those whose cleaned text is new or changed ({doc id: hash})."""
    out = PagesPlan()
    by_hash: dict[str, str] = {}
    for page in pages:
        doc_id = stable_id(page.url)
        try:
            with library_warnings() as notes:
                loaded = load_page(page, doc_id, chunking)
            out.plan.warnings += [ReadWarning(page.url, n) for n in dict.fromkeys(notes)]
        except LoadError as exc:
            out.plan.skipped.append(Skipped(page.url, str(exc)))
            if doc_id in previous:
                out.plan.unchanged.append(doc_id)  # keeps its old state: tried again next time
            continue
        if loaded.content_hash in by_hash:
            reason = f"duplicate of {by_hash[loaded.content_hash]} (same text)"
            out.plan.skipped.append(Skipped(page.url, reason))
            continue
        by_hash[loaded.content_hash] = page.url
        doc = loaded.doc
        old = known.get(page.url)
        out.states[page.url] = PageState(
            url=page.url,
            doc_id=doc_id,
            title=doc.title,
            as_of=doc.as_of,
            text_hash=loaded.content_hash,
            etag=page.etag,
            last_modified=page.last_modified,
            site=site,
            links=page.links,
        )
        if previous.get(doc_id) == loaded.content_hash or (
            doc_id in previous and old is not None and old.text_hash == loaded.content_hash
        ):
            out.plan.unchanged.append(doc_id)
            continue
        out.texts[doc_id] = doc.text
        status = "changed" if doc_id in previous else "new"
        out.plan.loaded.append(replace(loaded, status=status))
    return out


def load_page(page: Page, doc_id: str, chunking: ChunkingConfig) -> LoadedDoc:
    """Parse and chunk one page; as-of from its date metadata, else Last-Modified."""
    suffix = suffix_for(urlsplit(page.url).path, page.content_type)
    if not suffix:
        raise LoadError(f"unsupported content type {page.content_type or '(none)'}")
    meta = SourceMeta(source=page.url, url=page.url)
    doc = load_bytes(page.body, meta, suffix)
    doc = replace(doc, id=doc_id, as_of=doc.as_of or as_of_from(page.last_modified))
    chunks = chunk_document(doc, chunking)
    if not chunks:
        raise LoadError("no text left after chunking")
    return LoadedDoc(doc, chunks, text_hash(doc.title, doc.text), "new")
