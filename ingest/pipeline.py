"""Incremental ingest planning: find sources, hash them, and load only what changed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingest.chunking import ChunkingConfig, chunk_document
from ingest.discovery import MANIFEST_NAME, Source, discover, scan
from ingest.errors import LoadError
from ingest.loaders import load_bytes, suffix_for
from ingest.loaders.url import FetchPolicy, fetch
from ingest.types import Chunk, Document, LoadWarning, Skipped, SourceMeta, stable_id

# Bump when a loader's output changes, so unchanged files are re-read once.
LOADER_VERSION = "4"  # 3: typed tables; 4: Office files
# Libraries whose warnings about one file are reported with that file's name.
_NOISY_LOGGERS = ("pypdf",)
__all__ = [  # discover, scan and MANIFEST_NAME moved to ingest.discovery; kept importable here
    "LOADER_VERSION",
    "MANIFEST_NAME",
    "IngestConfig",
    "IngestPlan",
    "LoadedDoc",
    "ReadWarning",
    "SkipMemo",
    "content_hash",
    "discover",
    "library_warnings",
    "plan_ingest",
    "read_skip_memory",
    "scan",
    "write_skip_memory",
]


@dataclass(frozen=True)
class IngestConfig:
    """Everything that shapes reading and chunking."""

    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    max_file_bytes: int = 50_000_000


@dataclass(frozen=True)
class LoadedDoc:
    """A new or changed document, already chunked."""

    doc: Document
    chunks: list[Chunk]
    content_hash: str
    status: str  # "new" or "changed"
    validators: tuple[str, str] = ("", "")  # a URL's ETag and Last-Modified, for refresh


@dataclass(frozen=True)
class SkipMemo:
    """Why a file was skipped, keyed by what it looked like, so a re-run need not re-parse it."""

    stat: str  # size, mtime and manifest metadata: equal means "not touched since"
    digest: str  # content hash: equal means "same bytes" even if touched
    reason: str


ReadWarning = LoadWarning  # one warning type for odd input, whoever noticed it


@dataclass
class IngestPlan:
    """What an ingest run will do to the index."""

    loaded: list[LoadedDoc] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    # Skipped files to remember for the next run ({resolved path: memo}).
    skip_memory: dict[str, SkipMemo] = field(default_factory=dict)
    remembered: int = 0  # skipped files not re-read because nothing changed

    @property
    def changes_index(self) -> bool:
        """True when the index must be rewritten."""
        return bool(self.loaded or self.removed)

    @property
    def new_chunks(self) -> list[Chunk]:
        """All chunks that need embedding."""
        return [c for d in self.loaded for c in d.chunks]


def content_hash(data: bytes, meta: SourceMeta) -> str:
    """Hash the bytes together with the manifest metadata and the loader version."""
    h = hashlib.sha256(data)
    h.update(f"\0{meta.title}\0{meta.url}\0{meta.kind}\0{meta.as_of}\0{LOADER_VERSION}".encode())
    return h.hexdigest()


def _stat_key(path: Path, meta: SourceMeta) -> str:
    """Size, modification time and metadata of a file: what `make` and rsync trust."""
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{meta}:{LOADER_VERSION}"


class _Collect(logging.Handler):
    """Collects log records instead of letting them reach stderr without a file name."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def library_warnings() -> Iterator[list[str]]:
    """Capture pypdf's log warnings and Python warnings raised while one source is read."""
    handler = _Collect()
    loggers = [logging.getLogger(n) for n in _NOISY_LOGGERS]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield handler.messages
        handler.messages.extend(str(w.message) for w in caught)
    finally:
        for lg, (prop, _level) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.propagate = prop


def read_skip_memory(path: Path) -> dict[str, SkipMemo]:
    """Read the skipped-files memory written by the last run ({} when missing or unreadable)."""
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {k: SkipMemo(**v) for k, v in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}


def write_skip_memory(path: Path, memory: Mapping[str, SkipMemo]) -> None:
    """Write the skipped-files memory atomically (a half-written file would be ignored anyway)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    data = {k: {"stat": m.stat, "digest": m.digest, "reason": m.reason} for k, m in memory.items()}
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def plan_ingest(
    inputs: Iterable[str],
    previous: Mapping[str, str],
    cfg: IngestConfig,
    *,
    remove_missing: bool = True,
    progress: Callable[[Iterable[Source]], Iterable[Source]] | None = None,
    skip_memory: Mapping[str, SkipMemo] | None = None,
    existing: Iterable[str] | None = None,
) -> IngestPlan:
    """Compare sources with the previous index ({doc id: hash}) and load what changed.

    `existing` is every document id in the index now, when that differs from `previous` (a
    rebuild compares with nothing but must still drop documents no source names any more)."""
    found = scan(inputs)
    plan = IngestPlan(skipped=found.skipped, ignored=found.ignored)
    memory = skip_memory or {}
    seen_ids: set[str] = set()
    seen_hashes: dict[str, str] = {}
    for src in progress(found.sources) if progress else found.sources:
        doc_id = stable_id(src.key)
        if doc_id in seen_ids:
            continue
        seen_ids.add(doc_id)
        memo = memory.get(src.key) if src.path is not None else None
        stat = digest = ""
        try:
            if src.path is not None:
                stat = _stat_key(src.path, src.meta)
            if memo is not None and memo.stat == stat:
                raise _Remembered(memo)
            data, suffix, meta, validators = _read(src, cfg)
            digest = content_hash(data, meta)
            if memo is not None and memo.digest == digest:
                raise _Remembered(SkipMemo(stat, digest, memo.reason))
            if digest in seen_hashes:
                raise LoadError(f"duplicate of {seen_hashes[digest]} (same content); skipped")
            seen_hashes[digest] = src.source
            if previous.get(doc_id) == digest:
                plan.unchanged.append(doc_id)
                continue
            try:
                with library_warnings() as notes:
                    doc = replace(load_bytes(data, meta, suffix), id=doc_id)
                    chunks = chunk_document(doc, cfg.chunking)
            finally:
                plan.warnings += [ReadWarning(src.source, n) for n in dict.fromkeys(notes)]
            if not chunks:
                raise LoadError("no text left after chunking")
            status = "changed" if doc_id in previous else "new"
            for note in doc.table.warnings if doc.table else ():
                plan.warnings.append(LoadWarning(src.source, note))
            plan.loaded.append(LoadedDoc(doc, chunks, digest, status, validators))
        except _Remembered as hit:
            plan.remembered += 1
            plan.skip_memory[src.key] = hit.memo
            _skip(plan, src, hit.memo.reason, doc_id, previous)
        except (LoadError, OSError) as exc:
            reason = str(exc) if isinstance(exc, LoadError) else f"cannot read file: {exc}"
            if stat and digest and not reason.startswith("duplicate of"):
                # Same bytes next time give the same reason: remember it instead of re-parsing.
                plan.skip_memory[src.key] = SkipMemo(stat, digest, reason)
            _skip(plan, src, reason, doc_id, previous)
    if remove_missing:
        plan.removed = sorted(set(previous if existing is None else existing) - seen_ids)
    return plan


class _Remembered(Exception):
    """Control flow: the file was skipped last time and has not changed since."""

    def __init__(self, memo: SkipMemo) -> None:
        super().__init__(memo.reason)
        self.memo = memo


def _skip(
    plan: IngestPlan, src: Source, reason: str, doc_id: str, previous: Mapping[str, str]
) -> None:
    """Record a skipped source; one that used to load keeps its old chunks."""
    plan.skipped.append(Skipped(src.source, reason))
    if doc_id in previous:
        plan.unchanged.append(doc_id)


def _read(src: Source, cfg: IngestConfig) -> tuple[bytes, str, SourceMeta, tuple[str, str]]:
    """Return (raw bytes, loader suffix, metadata, (ETag, Last-Modified)) for a file or URL."""
    if src.path is not None:
        try:
            size = src.path.stat().st_size
            if size > cfg.max_file_bytes:
                raise LoadError(
                    f"file too large ({size:,} bytes > limit {cfg.max_file_bytes:,}); "
                    "raise ingest.max_file_mb to include it"
                )
            data = src.path.read_bytes()
        except OSError as exc:
            raise LoadError(f"cannot read file: {exc.strerror}") from exc
        if not data:
            raise LoadError("empty file (0 bytes): nothing to ingest")
        return data, suffix_for(src.path.name), src.meta, ("", "")
    fetched = fetch(src.source, cfg.fetch)
    suffix = suffix_for(src.source, fetched.content_type) or suffix_for("", fetched.content_type)
    if not suffix:
        raise LoadError(f"unsupported content type {fetched.content_type or '(none)'}")
    meta = SourceMeta(src.source, src.meta.title, src.meta.url or src.source, src.meta.kind, "")
    return fetched.body, suffix, meta, (fetched.etag, fetched.last_modified)
