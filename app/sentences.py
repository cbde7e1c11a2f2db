"""Sentences of the retrieved passages scored against a question (shared by decision and answer)."""

from __future__ import annotations

from collections.abc import Sequence

from app.answerability.features import SentenceScore
from app.backends.extractive import candidate_sentences
from index.embedder import Embedder
from index.types import Hit


def scored_sentences(question: str, hits: Sequence[Hit], embedder: Embedder) -> list[SentenceScore]:
    """Every candidate sentence of the hits with its cosine similarity to the question."""
    cands = candidate_sentences(hits)
    if not cands:
        return []
    vecs = embedder.encode([question] + [c[1] for c in cands])
    cos = vecs[1:] @ vecs[0]
    return [SentenceScore(i, text, float(c)) for (i, text), c in zip(cands, cos, strict=True)]
