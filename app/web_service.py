"""Crawling a site into the index, and refreshing every web source the index holds."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.changes import PageChange, RefreshRecord, record_refresh, text_diff
from app.ingest_service import ingest_config, make_embedder, require_compatible
from index.publish import index_lock

if TYPE_CHECKING:
    from app.config import Settings
    from index.embedder import Embedder
    from ingest.crawl import CrawlLimits, CrawlResult
    from ingest.pipeline import IngestPlan
    from ingest.web import PagesPlan, PageState, SiteState, WebState

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class CrawlOutcome:
    """What `ingest --crawl` did."""

    crawl: CrawlResult
    plan: IngestPlan
    version: str | None
    embedded: int
    total: int


def crawl_limits(settings: Settings, max_pages: int | None, max_depth: int | None) -> CrawlLimits:
    """The crawl limits from settings, with the command line's page and depth overrides."""
    from ingest.crawl import CrawlLimits

    ing = settings.ingest
    return CrawlLimits(
        max_pages=max_pages if max_pages is not None else ing.crawl_max_pages,
        max_depth=max_depth if max_depth is not None else ing.crawl_max_depth,
        max_seconds=ing.crawl_max_seconds,
        max_bytes=int(ing.crawl_max_mb * 1_000_000),
        delay_s=ing.crawl_delay_s,
    )


def _publish(
    settings: Settings, plan: IngestPlan, embedder: Embedder
) -> tuple[str | None, int, int]:
    """Embed the plan's new and changed pages into one new version (none if nothing changed)."""
    from index.builder import apply_plan
    from index.store import read_manifest

    root = settings.paths.index_dir
    if not plan.changes_index:
        m = read_manifest(root)
        return None, 0, sum(d.chunks for d in m.documents.values()) if m else 0
    result = apply_plan(
        root,
        plan,
        embedder,
        ingest_config(settings).chunking.fingerprint(),
        [],  # keeps the inputs earlier runs recorded (the rebuild hint)
        hnsw_threshold=settings.retrieval.hnsw_threshold,
        keep_versions=settings.retrieval.keep_versions,
        gc_grace_s=settings.retrieval.gc_grace_s,
    )
    return result.version, result.embedded, result.total_chunks


def _previous(settings: Settings, embedder: Embedder) -> dict[str, str]:
    """{doc id: hash} of the current index, refusing one built with other settings."""
    from index.builder import previous_hashes

    require_compatible(settings, embedder)
    cfg = ingest_config(settings)
    return previous_hashes(settings.paths.index_dir, embedder.label, cfg.chunking.fingerprint())


def _keep_not_modified(result: CrawlResult, known: dict[str, PageState], pp: PagesPlan) -> None:
    """Pages that answered 304 stay as they were: same document, same recorded state."""
    for url in result.not_modified:
        old = known[url]
        pp.states[url] = old
        pp.plan.unchanged.append(old.doc_id)


def _gone(reason: str) -> bool:
    """A page the site says no longer exists (as opposed to one that failed to load)."""
    return reason.startswith(("HTTP 404 ", "HTTP 410 "))


def _removed_pages(
    result: CrawlResult, known: dict[str, PageState], seen: set[str], previous: dict[str, str]
) -> list[str]:
    """Known pages a complete crawl no longer reaches (none when the crawl was cut short)."""
    failed = {s.source for s in result.skipped if not _gone(s.reason)}
    if result.stopped or not result.pages:
        return []
    return sorted(
        p.doc_id
        for u, p in known.items()
        if u not in seen and u not in failed and p.doc_id in previous
    )


def crawl_ingest(
    settings: Settings,
    start: str,
    *,
    max_pages: int | None = None,
    max_depth: int | None = None,
    embedder: Embedder | None = None,
    on_page: Callable[[str], None] | None = None,
    sleep: Sleep = time.sleep,
) -> CrawlOutcome:
    """Crawl a site and ingest its pages; pages it no longer has leave the index."""
    from ingest.crawl import crawl, normalise
    from ingest.web import SiteState, plan_pages, read_state

    root = settings.paths.index_dir
    emb = embedder or make_embedder(settings)
    limits = crawl_limits(settings, max_pages, max_depth)
    previous = _previous(settings, emb)
    state = read_state(root)
    known = state.site_pages(normalise(start))
    fetch_policy = ingest_config(settings).fetch
    result = crawl(start, limits, fetch_policy, sleep=sleep, on_page=on_page, known=known)
    pp = plan_pages(result.pages, previous, known, ingest_config(settings).chunking, result.start)
    _keep_not_modified(result, known, pp)
    plan = pp.plan
    plan.skipped = [*result.skipped, *plan.skipped]
    plan.removed = _removed_pages(result, known, set(pp.states), previous)
    site = SiteState(result.start, limits.max_pages, limits.max_depth)
    with index_lock(root):  # publish and record together; other writers wait
        version, embedded, total = _publish(settings, plan, emb)
        _save_state(root, set(plan.removed), pp.states, pp.texts, site)
    return CrawlOutcome(result, plan, version, embedded, total)


def refresh(
    settings: Settings, *, embedder: Embedder | None = None, sleep: Sleep = time.sleep
) -> RefreshRecord:
    """Re-check every web source; re-embed only changed pages, in one new version."""
    from index.store import require_index
    from ingest.crawl import crawl
    from ingest.pipeline import IngestPlan
    from ingest.types import stable_id
    from ingest.web import plan_pages, read_state

    root = settings.paths.index_dir
    manifest = require_index(root)
    emb = embedder or make_embedder(settings)
    previous = _previous(settings, emb)
    state = read_state(root)
    cfg = ingest_config(settings)
    record = RefreshRecord(at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    plan = IngestPlan()
    states: dict[str, PageState] = {}
    texts: dict[str, str] = {}
    for start, site in sorted(state.sites.items()):
        # A site is re-crawled as a whole, so new and removed pages are found too.
        limits = crawl_limits(settings, site.max_pages, site.max_depth)
        known = state.site_pages(start)
        result = crawl(start, limits, cfg.fetch, sleep=sleep, known=known)
        pp = plan_pages(result.pages, previous, known, cfg.chunking, start)
        _keep_not_modified(result, known, pp)
        failed = [
            {"url": s.source, "reason": s.reason}
            for s in [*result.skipped, *pp.plan.skipped]
            if (s.source in known and not _gone(s.reason)) or s.source == start
        ]
        if not (result.pages or result.not_modified or failed):
            # Nothing reached at all (robots.txt unavailable, say): the site failed as a whole.
            why = result.skipped[0].reason if result.skipped else "no page could be reached"
            failed = [{"url": start, "reason": why}]
        record.failed += failed
        record.checked += len(pp.states) + len(failed)
        plan.loaded += pp.plan.loaded
        plan.unchanged += pp.plan.unchanged
        plan.removed += _removed_pages(result, known, set(pp.states), previous)
        states.update(pp.states)
        texts.update(pp.texts)
    site_urls = {u for u, p in state.pages.items() if p.site}
    for doc in manifest.documents.values():
        if doc.source.startswith(("http://", "https://")) and doc.source not in site_urls:
            record.checked += 1
            _refresh_url(doc.source, doc.hash, state, settings, plan, states, texts, record)
    by_id = {d.doc.id: d for d in plan.loaded}
    for ld in plan.loaded:
        if ld.status == "new":
            record.added.append(ld.doc.url)
            continue
        old = manifest.documents[ld.doc.id]
        diff = text_diff(_old_text(root, ld.doc.id), ld.doc.text)
        record.changed.append(PageChange(ld.doc.url, ld.doc.title, old.as_of, ld.doc.as_of, diff))
    record.removed = [
        manifest.documents[i].url or manifest.documents[i].source for i in plan.removed
    ]
    failed_ids = {stable_id(f["url"]) for f in record.failed}
    record.unchanged = len(set(plan.unchanged) - set(by_id) - failed_ids)
    with index_lock(root):
        record.version, _, _ = _publish(settings, plan, emb)
        # Only after the new version is published: a failed page keeps its old state.
        _save_state(root, set(plan.removed), states, texts)
        record_refresh(root, record)
    return record


def _save_state(
    root: Path,
    removed: set[str],
    states: dict[str, PageState],
    texts: dict[str, str],
    site: SiteState | None = None,
) -> None:
    """Merge this run's page states into web.json as it is now (the writer lock is held)."""
    from ingest.web import read_state, write_state

    state = read_state(root)  # re-read: another run may have recorded pages meanwhile
    state.pages = {u: p for u, p in state.pages.items() if p.doc_id not in removed}
    state.pages.update(states)
    if site is not None:
        state.sites[site.start] = site
    write_state(root, state, texts)


def _refresh_url(
    url: str,
    indexed_hash: str,
    state: WebState,
    settings: Settings,
    plan: IngestPlan,
    states: dict[str, PageState],
    texts: dict[str, str],
    record: RefreshRecord,
) -> None:
    """Check one URL source: conditional GET, then the cleaned-text hash decides."""
    from ingest.crawl import Page
    from ingest.errors import LoadError
    from ingest.loaders.url import fetch
    from ingest.pipeline import content_hash
    from ingest.types import SourceMeta, stable_id
    from ingest.web import PageState, load_page

    cfg = ingest_config(settings)
    doc_id = stable_id(url)
    old = state.pages.get(url)
    headers = {}
    if old is not None and old.etag:
        headers["If-None-Match"] = old.etag
    if old is not None and old.last_modified:
        headers["If-Modified-Since"] = old.last_modified
    try:
        got = fetch(url, cfg.fetch, headers=headers)
        if got.status == 304:
            plan.unchanged.append(doc_id)
            return
        loaded = load_page(Page(url, got.body, got.content_type), doc_id, cfg.chunking)
    except LoadError as exc:
        record.failed.append({"url": url, "reason": str(exc)})
        plan.unchanged.append(doc_id)
        return
    # The hash a plain `pilotdesk ingest URL` records, so the next ingest sees no change.
    raw = content_hash(got.body, SourceMeta(url, "", url, "", ""))
    doc = loaded.doc
    states[url] = PageState(
        url, doc_id, doc.title, doc.as_of, loaded.content_hash, got.etag, got.last_modified
    )
    same = old.text_hash == loaded.content_hash if old is not None else raw == indexed_hash
    if same:
        plan.unchanged.append(doc_id)
        return
    texts[doc_id] = loaded.doc.text
    plan.loaded.append(replace(loaded, content_hash=raw, status="changed"))


def _old_text(root: Path, doc_id: str) -> str:
    """The text last indexed for a document: recorded, else rebuilt from its chunks."""
    from index.store import VERSIONS, current_version
    from ingest.web import last_text

    text = last_text(root, doc_id)
    if text is not None:
        return text
    version = current_version(root)
    parts: list[str] = []
    if version:
        with open(root / VERSIONS / version / "chunks.jsonl", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                if d["doc_id"] == doc_id:
                    parts.append(d["text"])
    return "\n\n".join(parts)
