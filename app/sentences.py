"""Sentences of the retrieved passages scored against a question (shared by decision and answer)."""

from __future__ import annotations

from collections.abc import Sequence

from app.answerability.features import SentenceScore
from app.answerability.text import without_context
from app.backends.extractive import candidate_sentences
from index.embedder import Embedder
from index.types import Hit


def scored_sentences(question: str, hits: Sequence[Hit], embedder: Embedder) -> list[SentenceScore]:
    """Every candidate sentence of the hits with its cosine similarity to the question."""
    cands = candidate_sentences(hits)
    if not cands:
        return []
    # The asker's context ("I'm a postdoc in Ohio, …") dilutes the question's meaning; the
    # question without it is scored too (in the same batch), and each sentence keeps the better.
    asked = without_context(question)
    queries = [question] if asked == question else [question, asked]
    vecs = embedder.encode(queries + [c[1] for c in cands])
    cos = (vecs[len(queries) :] @ vecs[: len(queries)].T).max(axis=1)
    return [SentenceScore(i, text, float(c)) for (i, text), c in zip(cands, cos, strict=True)]
