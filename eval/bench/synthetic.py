"""Synthetic corpora that build in seconds: clustered unit vectors and corpus-vocabulary text."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index import store
from index.store import DocRecord, Fingerprint, LoadedIndex, Manifest, write_version
from ingest.types import Chunk

_WORD = re.compile(r"[A-Za-z][A-Za-z\-']+")
DIM = 384


@dataclass
class SyntheticIndex:
    """An index of the real sample chunks plus synthetic filler, written like a real one."""

    root: Path
    vectors: np.ndarray
    n: int
    build_s: float
    faiss_type: str
    parts_s: dict[str, float] = field(default_factory=dict)


def clustered_vectors(n: int, dim: int = DIM, seed: int = 0) -> np.ndarray:
    """Unit vectors drawn around random centres, so neighbours exist as in real embeddings.

    Uniform random unit vectors in 384 dimensions are all nearly orthogonal, which makes every
    approximate index look worse than it is on text; topic clusters are closer to MiniLM's.
    """
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(16, n // 100), dim), dtype=np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    step = 200_000  # in slices: 1M x 384 floats of temporaries would double peak memory
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        block = centres[rng.integers(0, len(centres), hi - lo)]
        block += rng.standard_normal((hi - lo, dim), dtype=np.float32) * 1.2
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[lo:hi] = block
    return out


def perturbed_queries(vectors: np.ndarray, n: int, seed: int = 1) -> np.ndarray:
    """Queries near random corpus vectors (cosine about 0.7 to their source)."""
    rng = np.random.default_rng(seed)
    q = vectors[rng.integers(0, len(vectors), n)].copy()
    q += rng.standard_normal(q.shape, dtype=np.float32) / np.sqrt(q.shape[1])
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return np.ascontiguousarray(q, dtype=np.float32)


def filler_texts(real: list[str], n: int, seed: int = 2) -> list[str]:
    """n passages of 30-90 words drawn from the sample corpus's word frequencies."""
    counts = Counter(w.lower() for t in real for w in _WORD.findall(t))
    vocab = np.array(list(counts))
    p = np.array(list(counts.values()), dtype=np.float64)
    rng = np.random.default_rng(seed)
    lengths = rng.integers(30, 91, n)
    # Python lists join ~10x faster than slices of a numpy string array.
    words = rng.choice(vocab, size=int(lengths.sum()), p=p / p.sum()).tolist()
    ends = np.cumsum(lengths).tolist()
    return [" ".join(words[e - k : e]) for e, k in zip(ends, lengths.tolist(), strict=True)]


def build(
    sample: LoadedIndex, n: int, root: Path, hnsw_threshold: int, with_text: bool = True
) -> SyntheticIndex:
    """Write an index of n chunks: the sample corpus plus synthetic filler (same fingerprint)."""
    real_chunks = list(sample.chunks)
    real_vecs = np.asarray(sample.vectors, dtype=np.float32)
    extra = max(0, n - len(real_chunks))
    vecs = np.vstack([real_vecs, clustered_vectors(extra)]) if extra else real_vecs
    if not with_text:
        return SyntheticIndex(root, vecs, len(vecs), 0.0, "vectors only")
    texts = filler_texts([c.text for c in real_chunks], extra)
    filler = [
        Chunk(
            id=f"syn-{i:07d}",
            doc_id="synthetic",
            text=t,
            title="Synthetic filler",
            source="synthetic.txt",
            url="",
            kind="text",
            locator=f"row {i + 1}",
        )
        for i, t in enumerate(texts)
    ]
    docs: dict[str, DocRecord] = dict(sample.manifest.documents)
    docs["synthetic"] = DocRecord(
        "synthetic", "synthetic.txt", "Synthetic filler", "text", "", "", "-", extra, ""
    )
    fp: Fingerprint = sample.manifest.fingerprint
    manifest = Manifest(fingerprint=fp, documents=docs, inputs=["(synthetic)"])
    parts: dict[str, float] = {}
    saved = store.build_faiss, store._build_bm25
    # Time the two index builds inside write_version (looked up as module globals at call time).
    store.build_faiss = _timed(saved[0], "faiss", parts)
    store._build_bm25 = _timed(saved[1], "bm25", parts)
    t0 = time.perf_counter()
    try:
        write_version(root, manifest, real_chunks + filler, vecs, hnsw_threshold=hnsw_threshold)
    finally:
        store.build_faiss, store._build_bm25 = saved
    build_s = time.perf_counter() - t0
    kind = "hnsw" if len(vecs) >= hnsw_threshold else "flat"
    return SyntheticIndex(root, vecs, len(vecs), build_s, kind, parts)


def _timed(fn: Callable[..., Any], name: str, into: dict[str, float]) -> Callable[..., Any]:
    """fn with its duration recorded under name."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        """Call fn and record how long it took."""
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            into[name] = time.perf_counter() - t0

    return wrapper


def file_sizes(root: Path) -> dict[str, Any]:
    """Bytes on disk of the current version, per file and in total."""
    from index.store import VERSIONS, current_version

    vdir = root / VERSIONS / str(current_version(root))
    sizes: dict[str, Any] = {}
    for f in sorted(vdir.iterdir()):
        size = sum(x.stat().st_size for x in f.rglob("*") if x.is_file()) if f.is_dir() else 0
        sizes[f.name] = f.stat().st_size if f.is_file() else size
    sizes["total"] = sum(v for v in sizes.values())
    return sizes
