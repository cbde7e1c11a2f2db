"""Sentence vectors stored beside the chunk vectors, so extractive answers embed nothing.

Each index version holds, for chunk row i, the sentences split_sentences(chunk.text,
chunk.heading) gives (sentences.jsonl, one JSON list per row), their vectors as float16
(sentence_vectors.npy, memory-mapped at query time) and where each row's sentences start
(sentence_offsets.npy, n_chunks + 1 entries).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.embedder import Embedder
from ingest.sentences import split_sentences
from ingest.types import Chunk

if TYPE_CHECKING:
    import numpy as np

TEXTS = "sentences.jsonl"
VECTORS = "sentence_vectors.npy"
OFFSETS = "sentence_offsets.npy"
# The chunks' distinct headings and their vectors: the answer step compares a passage's heading
# with the question, and without these a heading reached the model the first time it was seen.
HEADINGS = "headings.json"
HEADING_VECTORS = "heading_vectors.npy"
# float16 halves memory against float32; measured on the sample corpus the cosine it gives
# differs from float32 by < 1e-3, below any gap the extractive scoring acts on.
DTYPE = "float16"


@dataclass(frozen=True)
class SentenceBlock:
    """Sentences and vectors for a run of chunk rows, in row order."""

    sentences: list[list[str]]  # per chunk row
    vectors: Any  # np.ndarray (total sentences, dim), float16
    headings: list[str] = field(default_factory=list)  # distinct, non-empty
    heading_vectors: Any = None  # np.ndarray (len(headings), dim), float16

    def concat(self, other: SentenceBlock) -> SentenceBlock:
        """This block's rows, then the other's (headings of both, each once)."""
        import numpy as np

        return SentenceBlock(
            self.sentences + other.sentences,
            np.vstack([self.vectors, other.vectors]).astype(DTYPE, copy=False),
            self.headings,
            self.heading_vectors,
        )._add_headings(other.headings, other.heading_vectors)

    def _add_headings(self, texts: list[str], vectors: Any) -> SentenceBlock:
        """The block with the given headings added where it lacks them."""
        import numpy as np

        have = set(self.headings)
        new = [i for i, t in enumerate(texts) if t not in have]
        if not new:
            return self
        parts = [v for v in (self.heading_vectors, np.asarray(vectors)[new]) if v is not None]
        return replace(
            self,
            headings=self.headings + [texts[i] for i in new],
            heading_vectors=np.vstack(parts).astype(DTYPE, copy=False),
        )

    def with_headings(self, headings: list[str], embedder: Embedder) -> SentenceBlock:
        """The block holding exactly these headings' vectors (missing ones embedded now)."""
        import numpy as np

        wanted = sorted({h.strip() for h in headings if h.strip()})
        have = {t: i for i, t in enumerate(self.headings)}
        missing = [h for h in wanted if h not in have]
        fresh = dict(zip(missing, embedder.encode(missing), strict=True)) if missing else {}
        rows = [
            np.asarray(self.heading_vectors[have[h]] if h in have else fresh[h], dtype="float32")
            for h in wanted
        ]
        vecs = np.vstack(rows).astype(DTYPE) if rows else None
        return replace(self, headings=wanted, heading_vectors=vecs)

    def rows(self, keep: list[int]) -> SentenceBlock:
        """The block restricted to some rows, in the given order."""
        import numpy as np

        starts = np.cumsum([0] + [len(s) for s in self.sentences])
        parts = [np.arange(starts[i], starts[i + 1]) for i in keep]
        sel = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return SentenceBlock(
            [self.sentences[i] for i in keep],
            np.asarray(self.vectors[sel], dtype=DTYPE),
            self.headings,
            self.heading_vectors,
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
    if block.headings:
        (folder / HEADINGS).write_text(json.dumps(block.headings, ensure_ascii=False))
        np.save(folder / HEADING_VECTORS, np.ascontiguousarray(block.heading_vectors, dtype=DTYPE))


def read_block(folder: Path) -> SentenceBlock | None:
    """All of a version's sentences into memory (for reuse by the next ingest)."""
    store = SentenceStore.load(folder)
    if store is None:
        return None
    sents = [json.loads(line) for line in store.lines]
    return SentenceBlock(sents, store.vectors, list(store.headings), store.heading_vectors)


@dataclass(frozen=True)
class SentenceStore:
    """One version's sentence files, ready for per-chunk look-ups."""

    lines: list[str]  # raw JSON per chunk row: parsed only for the chunks an answer uses
    offsets: Any  # np.ndarray int64, n_rows + 1
    vectors: Any  # np.memmap float16
    headings: tuple[str, ...] = ()
    heading_vectors: Any = None  # np.memmap float16, one row per heading
    _by_text: dict[int, int] = field(default_factory=dict, compare=False, repr=False)
    _by_heading: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

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
        headings: tuple[str, ...] = ()
        hvecs = None
        if (folder / HEADINGS).exists():  # versions written before round 3 have none
            headings = tuple(json.loads((folder / HEADINGS).read_text(encoding="utf-8")))
            hvecs = np.load(folder / HEADING_VECTORS, mmap_mode="r")
            if len(hvecs) != len(headings):
                raise ValueError(f"heading files in {folder} disagree with each other")
        return cls(lines, offsets, vectors, headings, hvecs)

    def lookup(self, texts: list[str]) -> list[np.ndarray | None]:
        """The stored unit vector (float32) of each text that is a stored sentence, else None."""
        import numpy as np

        with self._lock:
            if not self._by_text and self.lines:
                # hash(text) -> sentence row, built once per version on first use.
                row = 0
                for line in self.lines:
                    for sent in json.loads(line):
                        self._by_text.setdefault(hash(sent), row)
                        row += 1
            if not self._by_heading and self.headings:
                self._by_heading.update((h, i) for i, h in enumerate(self.headings))
        out: list[np.ndarray | None] = []
        heads = self._by_heading
        for text in texts:
            at = self._by_text.get(hash(text))
            if at is not None and self._text_at(at) == text:  # rule out a hash collision
                out.append(np.asarray(self.vectors[at], dtype=np.float32))
            elif text in heads:
                out.append(np.asarray(self.heading_vectors[heads[text]], dtype=np.float32))
            else:
                out.append(None)
        return out

    def _text_at(self, row: int) -> str:
        """The sentence stored at a flat sentence row."""
        import numpy as np

        chunk = int(np.searchsorted(self.offsets, row, side="right")) - 1
        return str(json.loads(self.lines[chunk])[row - int(self.offsets[chunk])])

    def get(self, row: int) -> tuple[list[str], np.ndarray]:
        """The row's sentences and their unit-length float32 vectors."""
        import numpy as np

        lo, hi = int(self.offsets[row]), int(self.offsets[row + 1])
        return json.loads(self.lines[row]), np.asarray(self.vectors[lo:hi], dtype=np.float32)


class StoredSentenceEmbedder(Embedder):
    """The configured embedder, answering encode() from stored sentence vectors when it can.

    Answer code embeds [question, candidate sentences…]; the candidates are the index's own
    sentences, so their vectors come from the current version's store and only texts it does
    not hold (the question: usually a query-cache hit) reach the model.
    """

    def __init__(self, base: Embedder, store: Callable[[], SentenceStore | None]) -> None:
        """Wrap a loaded or lazy embedder; `store` gives the current version's sentences."""
        super().__init__(base.model_name, base.batch_size, base.device)
        self.base = base
        self._store = store

    @property
    def label(self) -> str:
        """The wrapped embedder's fingerprint name."""
        return self.base.label

    @property
    def dim(self) -> int:
        """The wrapped embedder's dimension."""
        return self.base.dim

    def _load(self) -> Any:
        """The wrapped embedder's model."""
        return self.base._load()

    def encode_query(self, text: str) -> np.ndarray:
        """The wrapped embedder's (cached) query vector."""
        return self.base.encode_query(text)

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Stored vectors for known sentences; the model (or query cache) for the rest."""
        import numpy as np

        store = self._store()
        found = store.lookup(texts) if store is not None else [None] * len(texts)
        missing = [i for i, v in enumerate(found) if v is None]
        if len(missing) == len(texts):
            return self.base.encode(texts, show_progress)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, v in enumerate(found):
            if v is not None:
                out[i] = v
        if len(missing) <= 4:  # questions and follow-ups: repeats of what retrieval embedded
            for i in missing:
                out[i] = self.base.encode_query(texts[i])[0]
        elif missing:
            out[missing] = self.base.encode([texts[i] for i in missing])
        return out
