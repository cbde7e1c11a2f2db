"""Sentence vectors stored beside the chunk vectors, so extractive answers embed nothing.

Each index version holds, for chunk row i, the sentences split_sentences(chunk.text,
chunk.heading) gives (sentences.jsonl, one JSON list per row), their vectors as float16
(sentence_vectors.npy, memory-mapped at query time) and where each row's sentences start
(sentence_offsets.npy, n_chunks + 1 entries).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.sentences import split_sentences
from ingest.types import Chunk

if TYPE_CHECKING:
    import numpy as np

    from index.embedder import Embedder

TEXTS = "sentences.jsonl"
VECTORS = "sentence_vectors.npy"
OFFSETS = "sentence_offsets.npy"
# float16 halves memory against float32; measured on the sample corpus the cosine it gives
# differs from float32 by < 1e-3, below any gap the extractive scoring acts on.
DTYPE = "float16"


@dataclass(frozen=True)
class SentenceBlock:
    """Sentences and vectors for a run of chunk rows, in row order."""

    sentences: list[list[str]]  # per chunk row
    vectors: Any  # np.ndarray (total sentences, dim), float16

    def concat(self, other: SentenceBlock) -> SentenceBlock:
        """This block's rows, then the other's."""
        import numpy as np

        return SentenceBlock(
            self.sentences + other.sentences,
            np.vstack([self.vectors, other.vectors]).astype(DTYPE, copy=False),
        )

    def rows(self, keep: list[int]) -> SentenceBlock:
        """The block restricted to some rows, in the given order."""
        import numpy as np

        starts = np.cumsum([0] + [len(s) for s in self.sentences])
        parts = [np.arange(starts[i], starts[i + 1]) for i in keep]
        sel = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return SentenceBlock(
            [self.sentences[i] for i in keep], np.asarray(self.vectors[sel], dtype=DTYPE)
        )


def embed_sentences(embedder: Embedder, chunks: list[Chunk], dim: int) -> SentenceBlock:
    """Split each chunk into sentences (the answer step's own splitter) and embed them."""
    import numpy as np

    per_chunk = [split_sentences(c.text, c.heading) for c in chunks]
    flat = [s for sents in per_chunk for s in sents]
    vecs = embedder.encode(flat) if flat else np.zeros((0, dim), dtype="float32")
    return SentenceBlock(per_chunk, np.asarray(vecs, dtype=DTYPE))


def write_sentences(folder: Path, block: SentenceBlock) -> None:
    """Write a version's three sentence files."""
    import numpy as np

    with open(folder / TEXTS, "w", encoding="utf-8") as fh:
        for sents in block.sentences:
            fh.write(json.dumps(sents, ensure_ascii=False) + "\n")
    offsets = np.cumsum([0] + [len(s) for s in block.sentences]).astype(np.int64)
    np.save(folder / OFFSETS, offsets)
    np.save(folder / VECTORS, np.ascontiguousarray(block.vectors, dtype=DTYPE))


def read_block(folder: Path) -> SentenceBlock | None:
    """All of a version's sentences into memory (for reuse by the next ingest)."""
    store = SentenceStore.load(folder)
    if store is None:
        return None
    sents = [json.loads(line) for line in store.lines]
    return SentenceBlock(sents, store.vectors)


@dataclass(frozen=True)
class SentenceStore:
    """One version's sentence files, ready for per-chunk look-ups."""

    lines: list[str]  # raw JSON per chunk row: parsed only for the chunks an answer uses
    offsets: Any  # np.ndarray int64, n_rows + 1
    vectors: Any  # np.memmap float16

    @classmethod
    def load(cls, folder: Path) -> SentenceStore | None:
        """Open the files; None for a version written without them (synthetic bench indexes)."""
        import numpy as np

        if not (folder / TEXTS).exists():
            return None
        with open(folder / TEXTS, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        offsets = np.load(folder / OFFSETS)
        vectors = np.load(folder / VECTORS, mmap_mode="r")
        if len(offsets) != len(lines) + 1 or int(offsets[-1]) != len(vectors):
            raise ValueError(f"sentence files in {folder} disagree with each other")
        return cls(lines, offsets, vectors)

    def get(self, row: int) -> tuple[list[str], np.ndarray]:
        """The row's sentences and their unit-length float32 vectors."""
        import numpy as np

        lo, hi = int(self.offsets[row]), int(self.offsets[row + 1])
        return json.loads(self.lines[row]), np.asarray(self.vectors[lo:hi], dtype=np.float32)
