"""Typed objects that leave the index stage."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.types import Chunk


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score, rank and per-retriever evidence."""

    chunk: Chunk
    score: float
    rank: int
    retriever: str  # "dense", "bm25" or "hybrid"
    dense_score: float | None = None  # cosine similarity to the query, when computed
    bm25_score: float | None = None
    exact_match: bool = False  # the chunk contains a rare identifier named in the query
