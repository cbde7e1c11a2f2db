"""Incremental ingest shared by the CLI and the staff view: plan, embed what changed, publish."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import PilotdeskError

if TYPE_CHECKING:
    from app.config import Settings
    from index.builder import BuildResult
    from index.embedder import Embedder
    from ingest.pipeline import IngestConfig, IngestPlan

# Skipped files remembered between runs, so an unchanged broken file is not parsed again.
SKIP_MEMORY = "skipped.json"
# plan_ingest's progress hook: wraps the iterable of discovered sources.
Progress = Callable[[Iterable[Any]], Iterable[Any]]


@dataclass(frozen=True)
class IngestOutcome:
    """What one ingest run did."""

    plan: IngestPlan
    embedded: int
    total: int
    version: str | None
    seconds: float

    @property
    def new(self) -> int:
        """Documents read for the first time."""
        return sum(1 for d in self.plan.loaded if d.status == "new")

    @property
    def changed(self) -> int:
        """Documents re-read because their content changed."""
        return len(self.plan.loaded) - self.new


def ingest_config(settings: Settings) -> IngestConfig:
    """The reading and chunking limits the settings describe."""
    from ingest.chunking import ChunkingConfig
    from ingest.loaders.url import FetchPolicy
    from ingest.pipeline import IngestConfig

    ing = settings.ingest
    return IngestConfig(
        chunking=ChunkingConfig(settings.chunking.max_tokens, settings.chunking.overlap_tokens),
        fetch=FetchPolicy(
            ing.fetch_timeout_s,
            int(ing.max_fetch_mb * 1_000_000),
            ing.max_redirects,
            tuple(ing.allow_private_hosts),
            user_agent=user_agent(settings),
        ),
        max_file_bytes=int(ing.max_file_mb * 1_000_000),
    )


def user_agent(settings: Settings) -> str:
    """`pilotdesk/<version> (+<url>)`: a name site owners can recognise and allow-list."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("pilotdesk")
    except PackageNotFoundError:
        ours = "0"
    url = settings.ingest.user_agent_url or settings.ui.official_site_url
    return f"pilotdesk/{ours} (+{url})"


def make_embedder(settings: Settings) -> Embedder:
    """A new embedder for the configured model (loads lazily)."""
    from index.embedders import make_embedder

    e = settings.embedding
    return make_embedder(e.backend, e.model, e.batch_size, e.device, settings.paths.models_dir)


def ingest(
    settings: Settings,
    inputs: Iterable[str],
    *,
    add: bool = False,
    rebuild: bool = False,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    on_embed: Callable[[int], None] | None = None,
    show_progress: bool = False,
) -> IngestOutcome:
    """Ingest files, folders and URLs; embed only what changed; publish a new version."""
    from index.builder import apply_plan, previous_hashes
    from index.embedder import model_label
    from index.publish import clean_leftovers, index_lock
    from index.store import read_manifest
    from ingest.pipeline import plan_ingest, read_skip_memory, write_skip_memory
    from ingest.web import remember_urls

    t0 = time.perf_counter()
    inputs = list(inputs)
    check_catalogues(inputs)  # a bad resources.toml stops the run before the index changes
    root = settings.paths.index_dir
    cfg = ingest_config(settings)
    chunking = cfg.chunking.fingerprint()
    label = model_label(settings.embedding.model)
    previous = {} if rebuild else previous_hashes(root, label, chunking)
    if add and not rebuild and not previous and read_manifest(root) is not None:
        # An index built with other settings: adding to it would silently drop the rest.
        require_compatible(settings, embedder or make_embedder(settings))
    memo_path = root / SKIP_MEMORY
    memory = {} if rebuild else read_skip_memory(memo_path)
    # A rebuild re-reads every source, and still mirrors: a document whose source is gone
    # (a folder moved, so its files resolve to new ids) must not stay beside the new copies.
    manifest = read_manifest(root) if rebuild else None
    plan = plan_ingest(
        inputs,
        previous,
        cfg,
        remove_missing=not add,
        progress=progress,
        skip_memory=memory,
        existing=list(manifest.documents) if manifest is not None else None,
    )
    if plan.removed:
        # Crawled sites are kept current by `ingest --crawl` and `refresh`, not by naming
        # files: mirroring a folder must not drop them.
        from ingest.web import read_state

        crawled = {p.doc_id for p in read_state(root).pages.values() if p.site}
        plan.removed = [d for d in plan.removed if d not in crawled]
    if plan.skip_memory or memory:
        # With --add, files not named this run keep their memo.
        kept = {k: v for k, v in memory.items() if add and k not in plan.skip_memory}
        write_skip_memory(memo_path, {**kept, **plan.skip_memory})
    if not (plan.changes_index or rebuild):
        clean_leftovers(root, settings.retrieval.gc_grace_s)
        m = read_manifest(root)
        total = sum(d.chunks for d in m.documents.values()) if m else 0
        return IngestOutcome(plan, 0, total, None, time.perf_counter() - t0)
    if on_embed is not None:
        on_embed(len(plan.new_chunks))
    recorded = inputs
    if add:
        # The manifest's inputs feed the rebuild hint: keep what earlier runs named.
        old = read_manifest(root)
        recorded = list(dict.fromkeys([*(old.inputs if old else []), *inputs]))
    with index_lock(root):  # publish and record the URLs' validators together
        result = apply_plan(
            root,
            plan,
            embedder or make_embedder(settings),
            chunking,
            recorded,
            hnsw_threshold=settings.retrieval.hnsw_threshold,
            keep_versions=settings.retrieval.keep_versions,
            gc_grace_s=settings.retrieval.gc_grace_s,
            show_progress=show_progress,
        )
        remember_urls(root, plan.loaded)
    return IngestOutcome(
        plan, result.embedded, result.total_chunks, result.version, time.perf_counter() - t0
    )


CATALOGUE_NAME = "resources.toml"


def check_catalogues(inputs: Iterable[str]) -> int:
    """Validate the resource catalogue in any ingested folder; return how many were checked.

    Folder walks skip .toml files, so the catalogue never becomes a corpus document; it is
    checked here instead, and a bad entry is an error that names the entry and the field.
    """
    from ingest.catalogue import CatalogueError, load_catalogue

    checked = 0
    for item in inputs:
        path = Path(item)
        target = path / CATALOGUE_NAME if path.is_dir() else path
        if target.name == CATALOGUE_NAME and target.is_file():
            try:
                load_catalogue(target)
            except CatalogueError as exc:
                raise PilotdeskError(str(exc)) from exc
            checked += 1
    return checked


def require_compatible(settings: Settings, embedder: Embedder) -> None:
    """Refuse partial changes to an index built with other settings (they would drop it)."""
    from index.errors import IndexMismatch
    from index.store import fingerprint_for, read_manifest, rebuild_hint

    manifest = read_manifest(settings.paths.index_dir)
    if manifest is None:
        return
    wanted = fingerprint_for(embedder, settings.chunking, dim=manifest.fingerprint.dim)
    diffs = manifest.fingerprint.differences(wanted)
    if diffs:
        root = settings.paths.index_dir
        raise IndexMismatch(
            f"index at {root} was built with other settings ({'; '.join(diffs)}); "
            f"run: {rebuild_hint(root, manifest.inputs)}"
        )


def remove_documents(
    settings: Settings, doc_ids: Iterable[str], embedder: Embedder | None = None
) -> BuildResult:
    """Publish a new index version without the given documents."""
    from index.builder import apply_plan
    from index.store import require_index
    from ingest.pipeline import IngestPlan

    root = settings.paths.index_dir
    manifest = require_index(root)
    ids = set(doc_ids)
    unknown = sorted(ids - set(manifest.documents))
    if unknown:
        raise PilotdeskError(
            f"not in the index: {', '.join(unknown)}; reload the documents list and try again"
        )
    emb = embedder or make_embedder(settings)
    require_compatible(settings, emb)
    return apply_plan(
        root,
        IngestPlan(),
        emb,
        ingest_config(settings).chunking.fingerprint(),
        [],  # empty: apply_plan keeps the inputs recorded so far
        hnsw_threshold=settings.retrieval.hnsw_threshold,
        keep_versions=settings.retrieval.keep_versions,
        gc_grace_s=settings.retrieval.gc_grace_s,
        remove=ids,
    )
