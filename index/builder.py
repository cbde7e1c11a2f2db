"""Apply an ingest plan: reuse vectors of unchanged documents, embed the rest, write a version."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.embedder import Embedder
from index.publish import DEFAULT_GRACE_S, collect_garbage, index_lock
from index.sentence_store import SentenceBlock, embed_sentences, read_block
from index.store import (
    FORMAT,
    VERSIONS,
    DocRecord,
    Fingerprint,
    Manifest,
    read_manifest,
    write_version,
)
from index.tables import TableBatch
from ingest.pipeline import IngestPlan
from ingest.types import Chunk


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    version: str | None
    embedded: int
    total_chunks: int
    documents: int


def previous_hashes(root: Path, model_label: str, chunking: dict[str, int]) -> dict[str, str]:
    """Return {doc id: hash} of the current index, or {} when it must be rebuilt from scratch."""
    manifest = read_manifest(root)
    if manifest is None:
        return {}
    fp = manifest.fingerprint
    if fp.model != model_label or fp.chunking != chunking or fp.format != FORMAT:
        return {}
    return {d.id: d.hash for d in manifest.documents.values()}


def _previous_rows(root: Path, keep: set[str]) -> tuple[list[Chunk], Any, SentenceBlock | None]:
    """Chunks, vectors and sentences of the documents we keep, read from the current version."""
    import numpy as np

    manifest = read_manifest(root)
    if manifest is None or not keep:
        return [], None, None
    vdir = root / VERSIONS / manifest.version
    vectors = np.load(vdir / "vectors.npy", mmap_mode="r")
    chunks: list[Chunk] = []
    rows: list[int] = []
    with open(vdir / "chunks.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            d = json.loads(line)
            if d["doc_id"] in keep:
                chunks.append(Chunk.from_dict(d))
                rows.append(i)
    block = read_block(vdir)
    return chunks, np.asarray(vectors[rows], dtype="float32"), block.rows(rows) if block else None


def apply_plan(
    root: Path,
    plan: IngestPlan,
    embedder: Embedder,
    chunking: dict[str, int],
    inputs: list[str],
    *,
    hnsw_threshold: int = 50_000,
    keep_versions: int = 3,
    gc_grace_s: float = DEFAULT_GRACE_S,
    show_progress: bool = False,
    remove: set[str] | None = None,
) -> BuildResult:
    """Write a new index version reflecting the plan (nothing is written if nothing changed)."""
    # The writer lock spans read-old → write → publish: a concurrent ingest into the same
    # (shared) directory waits, then builds on this version instead of overwriting it.
    with index_lock(root):
        result = _apply_locked(
            root, plan, embedder, chunking, inputs, hnsw_threshold, show_progress, remove
        )
        if result.version is not None:
            collect_garbage(root, keep_versions, gc_grace_s)
    return result


def _apply_locked(
    root: Path,
    plan: IngestPlan,
    embedder: Embedder,
    chunking: dict[str, int],
    inputs: list[str],
    hnsw_threshold: int,
    show_progress: bool,
    remove: set[str] | None,
) -> BuildResult:
    """apply_plan's work, with the writer lock held."""
    import numpy as np

    old = read_manifest(root)
    removed = set(plan.removed) | (remove or set())
    if not plan.changes_index and not removed:
        n = sum(d.chunks for d in old.documents.values()) if old else 0
        return BuildResult(None, 0, n, len(old.documents) if old else 0)
    reloaded = {d.doc.id for d in plan.loaded}
    old_docs = dict(old.documents) if old else {}
    keep = {i for i in old_docs if i not in removed and i not in reloaded}
    fp = old.fingerprint if old else None
    kept_sents: SentenceBlock | None = None
    if fp and (fp.model, fp.chunking, fp.format) == (embedder.label, chunking, FORMAT):
        kept_chunks, kept_vecs, kept_sents = _previous_rows(root, keep)
    else:
        keep, kept_chunks, kept_vecs = set(), [], None
    new_chunks = plan.new_chunks
    new_vecs = embedder.encode([c.search_text for c in new_chunks], show_progress=show_progress)
    dim = (
        int(new_vecs.shape[1])
        if len(new_chunks)
        else (int(kept_vecs.shape[1]) if kept_vecs is not None and len(kept_vecs) else embedder.dim)
    )
    parts = [v for v in (kept_vecs, new_vecs) if v is not None and len(v)]
    vectors = np.vstack(parts) if parts else np.zeros((0, dim), dtype="float32")
    new_sents = embed_sentences(embedder, new_chunks, dim)
    if kept_chunks and kept_sents is None:  # cannot happen for FORMAT 2 versions; be safe
        kept_sents = embed_sentences(embedder, kept_chunks, dim)
    sentences = kept_sents.concat(new_sents) if kept_sents is not None else new_sents
    # Headings of the chunks this version holds: kept ones reuse their vectors, new ones (and
    # all of them for a version written before headings were stored) are embedded here.
    sentences = sentences.with_headings([c.heading for c in [*kept_chunks, *new_chunks]], embedder)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    docs = {i: old_docs[i] for i in keep}
    for ld in plan.loaded:
        d = ld.doc
        docs[d.id] = DocRecord(
            d.id, d.source, d.title, d.kind, d.url, d.as_of, ld.content_hash, len(ld.chunks), now
        )
    manifest = Manifest(
        fingerprint=Fingerprint(embedder.label, dim, chunking),
        documents=docs,
        inputs=inputs or (old.inputs if old else []),
    )
    tables = TableBatch(
        new=[(ld.doc, ld.doc.table) for ld in plan.loaded if ld.doc.table is not None],
        keep=frozenset(keep),
        previous_dir=root / VERSIONS / old.version if old else None,
    )
    version = write_version(
        root,
        manifest,
        kept_chunks + new_chunks,
        vectors,
        hnsw_threshold=hnsw_threshold,
        sentences=sentences,
        tables=tables,
    )
    return BuildResult(version, len(new_chunks), len(kept_chunks) + len(new_chunks), len(docs))
