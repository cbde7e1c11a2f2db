"""Hybrid retrieval: FAISS dense search and BM25 keyword search, fused by reciprocal rank."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from index.bm25 import bm25_search
from index.embedder import Embedder
from index.store import LoadedIndex
from index.types import Hit

if TYPE_CHECKING:
    import numpy as np

Mode = Literal["dense", "bm25", "hybrid"]
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")
# Identifiers and names: NAIRR240089, LLMaven, DeltaAI, Bridges-2 (not ordinary lower-case words).
_CODE = re.compile(
    r"\b(?:[A-Za-z]+[0-9][A-Za-z0-9\-]*|[A-Z]*[a-z]+[A-Z][A-Za-z]*|[A-Z]{2,}[a-z]*)\b"
)


@dataclass(frozen=True)
class RetrievalConfig:
    """Knobs for one search."""

    candidates: int = 30  # per retriever, before fusion
    rrf_k: int = 60
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    exact_weight: float = 1.0  # rare identifiers matched exactly (project ids, system names)
    exact_max_df: float = 0.02  # "rare": in at most this share of chunks


TOPIC_N = 10  # how many nearest chunks topicality averages


def _mean_top(ranked: list[tuple[int, float]], n: int) -> float:
    """Mean score of the first n of a best-first list (0 for an empty one)."""
    top = [s for _, s in ranked[:n]]
    return sum(top) / len(top) if top else 0.0


class Retriever:
    """Search one loaded index version."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, cfg: RetrievalConfig | None = None):
        """Bind an index and an embedder."""
        self.index = index
        self.embedder = embedder
        self.cfg = cfg or RetrievalConfig()
        self._vocab: set[str] | None = None
        self._postings: dict[str, list[int]] | None = None
        self._flat: list[str] = []  # each passage's words, lower-cased, space-joined
        self._lock = threading.Lock()
        # Topicality of recent queries, taken from the dense list search() fetched anyway.
        self._topics: OrderedDict[str, float] = OrderedDict()

    def dense(self, query: str, n: int, qv: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-n (row, cosine) from FAISS (pass the query's vector if it is already embedded)."""
        if not self.index.chunks:
            return []
        if qv is None:
            qv = self.embedder.encode_query(query)
        scores, rows = self.index.faiss.search(qv, min(n, len(self.index.chunks)))
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def topicality(self, query: str, n: int = TOPIC_N) -> float:
        """Mean cosine of the query's n nearest chunks: how close it sits to the documents."""
        if n == TOPIC_N:
            with self._lock:
                cached = self._topics.get(query)
            if cached is not None:
                return cached
        return _mean_top(self.dense(query, n), n)

    def _remember_topic(self, query: str, dense: list[tuple[int, float]]) -> None:
        """Keep a searched query's topicality (the dense list is already best-first)."""
        with self._lock:
            self._topics[query] = _mean_top(dense, TOPIC_N)
            self._topics.move_to_end(query)
            if len(self._topics) > 256:
                self._topics.popitem(last=False)

    def keyword(self, query: str, n: int) -> list[tuple[int, float]]:
        """Top-n (row, BM25 score) from the stored bm25s index (read without llama-index)."""
        if not self.index.chunks or not _WORD.search(query):
            return []
        return bm25_search(self.index.bm25, query, n)

    def exact(self, query: str) -> list[tuple[int, float]]:
        """Rows containing rare identifiers of the query, most matches first.

        Measured: BM25 and MiniLM both rank a table row with the asked project id (e.g.
        NAIRR240089) below generic passages, so rare codes get a ranked list of their own.
        """
        codes = {m.group(0).lower() for m in _CODE.finditer(query)}
        if not codes:
            return []
        postings = self._index_words()
        limit = max(3, int(self.cfg.exact_max_df * len(self.index.chunks)))
        counts: dict[int, float] = {}
        for code in codes:
            rows = postings.get(code, [])
            if 0 < len(rows) <= limit:
                for r in rows:
                    counts[r] = counts.get(r, 0.0) + 1.0
        return sorted(counts.items(), key=lambda x: -x[1])

    def search(self, query: str, k: int = 5, mode: Mode = "hybrid") -> list[Hit]:
        """Return the top-k hits; every hit carries its cosine similarity for abstention."""
        import numpy as np

        n = max(self.cfg.candidates, k)
        # Embedded once per search: the slowest step of a search (see README, Performance).
        qv: np.ndarray | None = None
        if mode in ("dense", "hybrid") and self.index.chunks:
            qv = self.embedder.encode_query(query)
        dense = self.dense(query, n, qv) if mode in ("dense", "hybrid") else []
        if dense and n >= TOPIC_N:
            self._remember_topic(query, dense)
        bm25 = self.keyword(query, n) if mode in ("bm25", "hybrid") else []
        exact = self.exact(query) if mode == "hybrid" else []
        exact_rows = {r for r, _ in exact}
        if mode == "dense":
            fused = {r: s for r, s in dense}
        elif mode == "bm25":
            fused = {r: s for r, s in bm25}
        else:
            fused = {}
            lists = (
                (self.cfg.dense_weight, dense),
                (self.cfg.bm25_weight, bm25),
                (self.cfg.exact_weight, exact),
            )
            for weight, ranked in lists:
                for rank, (row, _) in enumerate(ranked):
                    fused[row] = fused.get(row, 0.0) + weight / (self.cfg.rrf_k + rank + 1)
        order = sorted(fused, key=lambda r: -fused[r])[:k]
        dense_map = dict(dense)
        bm25_map = dict(bm25)
        missing = [r for r in order if r not in dense_map]
        if missing and len(self.index.chunks):
            # Cosine for keyword-only hits, so every hit can be judged for relevance.
            if qv is None:
                qv = self.embedder.encode_query(query)
            vecs = np.asarray(self.index.vectors[missing], dtype="float32")
            for r, s in zip(missing, vecs @ qv[0], strict=True):
                dense_map[r] = float(s)
        return [
            Hit(
                chunk=self.index.chunks[row],
                score=float(fused[row]),
                rank=i + 1,
                retriever=mode,
                dense_score=dense_map.get(row),
                bm25_score=bm25_map.get(row),
                exact_match=row in exact_rows,
            )
            for i, row in enumerate(order)
        ]

    def _index_words(self) -> dict[str, list[int]]:
        """Word → rows containing it, built once per loaded version."""
        with self._lock:
            if self._postings is None:
                postings: dict[str, list[int]] = {}
                flat = []
                for i, c in enumerate(self.index.chunks):
                    seq = [w.lower().strip("'-") for w in _WORD.findall(c.search_text)]
                    flat.append(" ".join(seq))
                    words = set(seq)
                    words |= {p for w in list(words) if "-" in w for p in w.split("-") if p}
                    for w in words:
                        postings.setdefault(w, []).append(i)
                self._flat = flat
                self._postings = postings
        return self._postings

    def doc_freq(self, word: str) -> int:
        """How many passages contain the lower-case word."""
        return len(self._index_words().get(word, ()))

    def has_phrase(self, phrase: str) -> bool:
        """Whether any passage holds the words of a phrase in a row (case and spacing ignored)."""
        words = [w.lower().strip("'-") for w in _WORD.findall(phrase)]
        if not words:
            return False
        postings = self._index_words()
        rows = set(postings.get(words[0], ()))
        for w in words[1:]:
            rows &= set(postings.get(w, ()))
        target = " ".join(words)
        return any(target in self._flat[i] for i in rows)

    def vocabulary(self) -> set[str]:
        """Lower-case words of the whole corpus (for the unknown-name check)."""
        if self._vocab is None:
            self._vocab = set(self._index_words())
        return self._vocab
