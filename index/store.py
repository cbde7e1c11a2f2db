"""Versioned on-disk index: chunks, vectors, FAISS and BM25, swapped in atomically."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from index.bm25 import Bm25Index
from index.errors import IndexMismatch, IndexNotFound, IndexWriteError
from index.sentence_store import SentenceBlock, SentenceStore, write_sentences
from index.tables import TableBatch
from ingest.chunking import ChunkingConfig
from ingest.types import Chunk

# 2: sentence vectors stored beside chunk vectors (index/sentence_store.py); 3: a label wrapped
# before its value ("Anvil AI:" / "21 nodes…") is one sentence. Older versions
# load only after a rebuild, which the mismatch error names.
FORMAT = 3
# HNSW search breadth. Measured by `pilotdesk bench` at 100k chunks: recall@10 against exact
# search 0.93 at FAISS's default of 16, 1.00 at 64, for about 0.1 ms more per query.
HNSW_EF_SEARCH = 64
CURRENT = "CURRENT"
VERSIONS = "versions"

log = logging.getLogger(__name__)


class ChunkingLike(Protocol):
    """What of the chunking settings shapes an index."""

    max_tokens: int
    overlap_tokens: int


def chunking_dict(c: ChunkingLike) -> dict[str, int]:
    """The chunking part of a fingerprint (ChunkingConfig.fingerprint builds it)."""
    return ChunkingConfig(c.max_tokens, c.overlap_tokens).fingerprint()


def fingerprint_for(embedder: Any, chunking: ChunkingLike, dim: int | None = None) -> Fingerprint:
    """The fingerprint an embedder and chunking settings would build."""
    return Fingerprint(
        embedder.label, embedder.dim if dim is None else dim, chunking_dict(chunking)
    )


@dataclass(frozen=True)
class Fingerprint:
    """What shaped the index; a query-time mismatch means the index must be rebuilt."""

    model: str
    dim: int
    chunking: dict[str, int]
    format: int = FORMAT

    def to_dict(self) -> dict[str, Any]:
        """Serialise for manifest.json."""
        return {
            "model": self.model,
            "dim": self.dim,
            "chunking": self.chunking,
            "format": self.format,
        }

    def differences(self, other: Fingerprint) -> list[str]:
        """Describe each field that differs, for the error message."""
        out = []
        for key in ("model", "dim", "chunking", "format"):
            a, b = getattr(self, key), getattr(other, key)
            if a != b:
                out.append(f"{key}: index has {a!r}, settings want {b!r}")
        return out


@dataclass
class DocRecord:
    """One document in the index registry."""

    id: str
    source: str
    title: str
    kind: str
    url: str
    as_of: str
    hash: str
    chunks: int
    ingested_at: str


@dataclass
class Manifest:
    """manifest.json of one index version."""

    fingerprint: Fingerprint
    documents: dict[str, DocRecord]
    inputs: list[str] = field(default_factory=list)
    created: str = ""
    version: str = ""
    faiss_type: str = "flat"
    tables: dict[str, Any] = field(default_factory=dict)  # typed tables: format, file, rows

    def to_json(self) -> str:
        """Serialise."""
        return json.dumps(
            {
                "fingerprint": self.fingerprint.to_dict(),
                "documents": {k: vars(v) for k, v in self.documents.items()},
                "inputs": self.inputs,
                "created": self.created,
                "version": self.version,
                "faiss_type": self.faiss_type,
                "tables": self.tables,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse."""
        d = json.loads(text)
        fp = d["fingerprint"]
        return cls(
            fingerprint=Fingerprint(fp["model"], fp["dim"], fp["chunking"], fp.get("format", 0)),
            documents={k: DocRecord(**v) for k, v in d["documents"].items()},
            inputs=d.get("inputs", []),
            created=d.get("created", ""),
            version=d.get("version", ""),
            faiss_type=d.get("faiss_type", "flat"),
            tables=d.get("tables", {}),
        )


def rebuild_hint(root: Path, inputs: list[str] | None = None) -> str:
    """The command that rebuilds this index."""
    src = " ".join(inputs or ["data/"])
    return f"pilotdesk ingest {src} --index {root} --rebuild"


def current_version(root: Path) -> str | None:
    """Return the name of the version CURRENT points at (cheap: one small file read)."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return name or None


def read_manifest(root: Path) -> Manifest | None:
    """Read the current version's manifest without loading vectors (used by no-op ingests)."""
    name = current_version(root)
    if name is None:
        return None
    path = root / VERSIONS / name / "manifest.json"
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexNotFound(
            f"index at {root} points at missing version {name}; run: {rebuild_hint(root)}"
        ) from exc


def _fsync_dir(path: Path) -> None:
    """Flush a directory entry so a rename survives a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_version(
    root: Path,
    manifest: Manifest,
    chunks: list[Chunk],
    vectors: Any,
    *,
    hnsw_threshold: int = 50_000,
    sentences: SentenceBlock | None = None,
    tables: TableBatch | None = None,
) -> str:
    """Write a complete new version beside the old ones, then point CURRENT at it atomically.

    Callers that share the directory hold index.publish.index_lock and collect garbage after.
    """
    import faiss
    import numpy as np

    now = time.time()
    # Microseconds in the name: versions sort in publishing order even within one second.
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}"
    name = stamp + "-" + uuid.uuid4().hex[:8]
    versions = root / VERSIONS
    tmp = versions / f".tmp-{name}"
    try:
        versions.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        vecs = np.ascontiguousarray(vectors, dtype="float32")
        index = build_faiss(vecs, hnsw_threshold)
        manifest.version = name
        manifest.created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        manifest.faiss_type = "hnsw" if len(vecs) >= hnsw_threshold else "flat"
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for c in chunks:
                fh.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        np.save(tmp / "vectors.npy", vecs)
        if sentences is not None:
            write_sentences(tmp, sentences)
        faiss.write_index(index, str(tmp / "dense.faiss"))
        _build_bm25(chunks).persist(str(tmp / "bm25"), show_progress=False)
        # Typed tables live in the same version directory, so they swap in with everything else.
        manifest.tables = tables.write(tmp) if tables is not None else {}
        (tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
        for f in tmp.iterdir():
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        tmp.rename(versions / name)
        _fsync_dir(versions)
        pointer = root / f".{CURRENT}.{name}"
        pointer.write_text(name + "\n", encoding="utf-8")
        os.replace(pointer, root / CURRENT)
        _fsync_dir(root)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise IndexWriteError(
            f"could not write a new index version under {root}: {exc.strerror or exc}; "
            "the previous index is unchanged. Check free space and permissions"
        ) from exc
    return name


def build_faiss(vecs: Any, hnsw_threshold: int) -> Any:
    """Exact inner-product search for small corpora; HNSW above the threshold."""
    import faiss

    # llama-index's FaissVectorStore was measured unsuitable: its delete() raises
    # NotImplementedError (removed documents must vanish) and persist() writes in place,
    # so we keep vectors ourselves and rebuild the FAISS index for every version.
    dim = vecs.shape[1] if len(vecs.shape) == 2 and vecs.shape[1] else 384
    index: Any
    if len(vecs) >= hnsw_threshold:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vecs):
        index.add(vecs)
    return index


def _build_bm25(chunks: list[Chunk]) -> Any:
    """llama-index's BM25 retriever (bm25s) over the chunks' search text."""
    import bm25s
    from llama_index.core.schema import TextNode
    from llama_index.retrievers.bm25 import BM25Retriever

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    nodes = [TextNode(id_=c.id, text=c.search_text) for c in chunks]
    if not nodes:
        nodes = [TextNode(id_="__empty__", text="empty index")]
    del bm25s
    return BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(50, len(nodes)))


@dataclass
class LoadedIndex:
    """One index version in memory."""

    root: Path
    manifest: Manifest
    chunks: list[Chunk]
    vectors: Any
    faiss: Any
    bm25: Bm25Index
    positions: dict[str, int]
    sentence_store: SentenceStore | None = None

    @property
    def version(self) -> str:
        """Version name."""
        return self.manifest.version

    def sentences(self, chunk_id: str) -> tuple[list[str], Any] | None:
        """A chunk's sentences (split_sentences of its text) and their unit float32 vectors.

        None when this version stores no sentence vectors (only synthetic bench indexes);
        KeyError for a chunk id not in this version.
        """
        if self.sentence_store is None:
            return None
        return self.sentence_store.get(self.positions[chunk_id])

    def sentence_vectors(self, pairs: Sequence[tuple[str, str]]) -> Any | None:
        """Stored unit vectors (n, dim) float32 for (chunk id, sentence) pairs, in order.

        Sentences are matched by text among the chunk's split_sentences; None when any pair
        has no stored vector (unknown chunk, other splitting, or a version without them), so
        the caller embeds instead.
        """
        import numpy as np

        by_chunk: dict[str, dict[str, Any]] = {}
        rows = []
        for chunk_id, sentence in pairs:
            if chunk_id not in by_chunk:
                try:
                    found = self.sentences(chunk_id)
                except KeyError:
                    return None
                if found is None:
                    return None
                by_chunk[chunk_id] = dict(zip(reversed(found[0]), reversed(found[1]), strict=True))
            vec = by_chunk[chunk_id].get(sentence)
            if vec is None:
                return None
            rows.append(vec)
        dim = self.manifest.fingerprint.dim
        return np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)


def require_index(root: Path) -> Manifest:
    """Return the current manifest or raise IndexNotFound with the command that builds one."""
    manifest = read_manifest(root)
    if manifest is None:
        raise IndexNotFound(f"no index at {root}; run: pilotdesk ingest data/ --index {root}")
    return manifest


def load_index(root: Path, expected: Fingerprint | None = None) -> LoadedIndex:
    """Load the current version; raise IndexNotFound or IndexMismatch with the fix."""
    import faiss
    import numpy as np

    from index.bm25 import load_bm25

    manifest = require_index(root)
    if expected is not None:
        diffs = manifest.fingerprint.differences(expected)
        if diffs:
            raise IndexMismatch(
                f"index at {root} was built with other settings ({'; '.join(diffs)}); "
                f"run: {rebuild_hint(root, manifest.inputs)}"
            )
    vdir = root / VERSIONS / manifest.version
    try:
        with open(vdir / "chunks.jsonl", encoding="utf-8") as fh:
            chunks = [Chunk.from_dict(json.loads(line)) for line in fh if line.strip()]
        vectors = np.load(vdir / "vectors.npy", mmap_mode="r")
        dense = faiss.read_index(str(vdir / "dense.faiss"))
        if hasattr(dense, "hnsw"):
            # Versions written before efSearch was set carry FAISS's default of 16.
            dense.hnsw.efSearch = max(dense.hnsw.efSearch, HNSW_EF_SEARCH)
        positions = {c.id: i for i, c in enumerate(chunks)}
        bm25 = load_bm25(vdir / "bm25", positions)
        sentence_store = SentenceStore.load(vdir)
    except (OSError, ValueError, RuntimeError, json.JSONDecodeError) as exc:
        raise IndexNotFound(
            f"index version {manifest.version} at {root} is unreadable ({exc}); "
            f"run: {rebuild_hint(root, manifest.inputs)}"
        ) from exc
    return LoadedIndex(
        root=root,
        manifest=manifest,
        chunks=chunks,
        vectors=vectors,
        faiss=dense,
        bm25=bm25,
        positions=positions,
        sentence_store=sentence_store,
    )
