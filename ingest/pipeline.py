"""Incremental ingest planning: find sources, hash them, and load only what changed."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.chunking import ChunkingConfig, chunk_document
from ingest.errors import LoadError
from ingest.loaders import SUFFIX_KIND, load_bytes, suffix_for
from ingest.loaders.url import FetchPolicy, fetch
from ingest.types import Chunk, Document, Skipped, SourceMeta, stable_id

# Bump when a loader's output changes, so unchanged files are re-read once.
LOADER_VERSION = "2"
MANIFEST_NAME = "sources.toml"


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


@dataclass
class IngestPlan:
    """What an ingest run will do to the index."""

    loaded: list[LoadedDoc] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def changes_index(self) -> bool:
        """True when the index must be rewritten."""
        return bool(self.loaded or self.removed)

    @property
    def new_chunks(self) -> list[Chunk]:
        """All chunks that need embedding."""
        return [c for d in self.loaded for c in d.chunks]


@dataclass(frozen=True)
class _Source:
    """One discovered input: a file or a URL, with its manifest metadata."""

    source: str
    key: str  # what the stable id is made from: the resolved path or the URL
    meta: SourceMeta
    path: Path | None = None


def _manifest_for(path: Path, cache: dict[Path, dict[str, SourceMeta]]) -> SourceMeta | None:
    """Find this file's entry in the nearest sources.toml above it (up to four levels)."""
    resolved = path.resolve()
    for parent in list(resolved.parents)[:4]:
        if parent not in cache:
            cache[parent] = _read_manifest(parent / MANIFEST_NAME)
        entries = cache[parent]
        if entries:
            rel = resolved.relative_to(parent).as_posix()
            if rel in entries:
                return entries[rel]
    return None


def _read_manifest(path: Path) -> dict[str, SourceMeta]:
    """Read a sources.toml into {relative path: metadata}; a broken one is an error to fix."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LoadError(f"{path}: invalid TOML ({exc}); fix or remove it") from exc
    out: dict[str, SourceMeta] = {}
    for entry in data.get("document", []):
        rel = str(entry.get("path", "")).strip("/")
        if rel:
            out[rel] = SourceMeta(
                source=rel,
                title=str(entry.get("title", "")),
                url=str(entry.get("url", "")),
                kind=str(entry.get("kind", "")),
                as_of=str(entry.get("as_of", "")),
            )
    return out


def _walk(root: Path) -> tuple[list[Path], list[Skipped]]:
    """Files under a folder, refusing symlinks that lead out of it (they could expose any file)."""
    base = root.resolve()
    files: list[Path] = []
    skipped: list[Skipped] = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        # resolve() follows every link on the way, so a linked file or folder that leads
        # outside the ingest root is caught whatever depth the link sits at.
        if not p.resolve().is_relative_to(base):
            skipped.append(Skipped(p.as_posix(), "symlink outside the ingest root"))
            continue
        files.append(p)
    return files, skipped


def discover(inputs: Iterable[str]) -> tuple[list[_Source], list[Skipped]]:
    """Expand directories into supported files and keep URLs as they are."""
    found: list[_Source] = []
    skipped: list[Skipped] = []
    cache: dict[Path, dict[str, SourceMeta]] = {}
    for item in inputs:
        if item.startswith(("http://", "https://")):
            found.append(_Source(source=item, key=item, meta=SourceMeta(source=item)))
            continue
        path = Path(item)
        if path.is_dir():
            files, refused = _walk(path)
            skipped.extend(refused)
            files = [p for p in files if p.suffix.lower() in SUFFIX_KIND]
        elif path.is_file():
            files = [path]
        else:
            skipped.append(Skipped(item, "no such file or directory"))
            continue
        for f in files:
            if f.parent.name == "eval" or f.name.lower() == "readme.md":
                continue  # golden question sets and folder READMEs are not corpus documents
            meta = _manifest_for(f, cache)
            src = f.as_posix()
            found.append(
                _Source(
                    source=src,
                    key=str(f.resolve()),
                    meta=SourceMeta(src, *(meta.title, meta.url, meta.kind, meta.as_of))
                    if meta
                    else SourceMeta(source=src),
                    path=f,
                )
            )
    return found, skipped


def _content_hash(data: bytes, meta: SourceMeta) -> str:
    """Hash the bytes together with the manifest metadata and the loader version."""
    h = hashlib.sha256(data)
    h.update(f"\0{meta.title}\0{meta.url}\0{meta.kind}\0{meta.as_of}\0{LOADER_VERSION}".encode())
    return h.hexdigest()


def plan_ingest(
    inputs: Iterable[str],
    previous: Mapping[str, str],
    cfg: IngestConfig,
    *,
    remove_missing: bool = True,
    progress: Callable[[Iterable[_Source]], Iterable[_Source]] | None = None,
) -> IngestPlan:
    """Compare sources with the previous index ({doc id: hash}) and load what changed."""
    sources, skipped = discover(inputs)
    plan = IngestPlan(skipped=skipped)
    seen_ids: set[str] = set()
    seen_hashes: dict[str, str] = {}
    for src in progress(sources) if progress else sources:
        doc_id = stable_id(src.key)
        if doc_id in seen_ids:
            continue
        seen_ids.add(doc_id)
        try:
            data, suffix, meta = _read(src, cfg)
            digest = _content_hash(data, meta)
            if digest in seen_hashes:
                raise LoadError(f"duplicate of {seen_hashes[digest]} (same content); skipped")
            seen_hashes[digest] = src.source
            if previous.get(doc_id) == digest:
                plan.unchanged.append(doc_id)
                continue
            doc = replace(load_bytes(data, meta, suffix), id=doc_id)
            chunks = chunk_document(doc, cfg.chunking)
            if not chunks:
                raise LoadError("no text left after chunking")
            status = "changed" if doc_id in previous else "new"
            plan.loaded.append(LoadedDoc(doc, chunks, digest, status))
        except LoadError as exc:
            plan.skipped.append(Skipped(src.source, str(exc)))
            if doc_id in previous:
                # A file that used to load but is now broken keeps its old chunks.
                plan.unchanged.append(doc_id)
    if remove_missing:
        plan.removed = sorted(set(previous) - seen_ids)
    return plan


def _read(src: _Source, cfg: IngestConfig) -> tuple[bytes, str, SourceMeta]:
    """Return (raw bytes, loader suffix, metadata) for a file or URL."""
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
        return data, suffix_for(src.path.name), src.meta
    fetched = fetch(src.source, cfg.fetch)
    suffix = suffix_for(src.source, fetched.content_type) or suffix_for("", fetched.content_type)
    if not suffix:
        raise LoadError(f"unsupported content type {fetched.content_type or '(none)'}")
    meta = SourceMeta(src.source, src.meta.title, src.meta.url or src.source, src.meta.kind, "")
    return fetched.body, suffix, meta
