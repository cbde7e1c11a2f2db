"""Sentences of the retrieved passages scored against a question (shared by decision and answer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from app.answerability.features import SentenceScore
from app.answerability.text import without_context
from app.backends.extractive import candidate_sentences
from index.embedder import Embedder
from index.types import Hit

if TYPE_CHECKING:
    from app.answerability.reader import Reader
    from app.answerability.reader_onnx import OnnxReader


# The closest sentences by cosine that the learned reader also reads (as in its training).
READ_TOP = 10


def scored_sentences(
    question: str,
    hits: Sequence[Hit],
    embedder: Embedder,
    reader: Reader | OnnxReader | None = None,
) -> list[SentenceScore]:
    """Every candidate sentence of the hits with its cosine similarity to the question, and
    the reader's score for the closest few when a reader is given."""
    cands = candidate_sentences(hits)
    if not cands:
        return []
    # The asker's context ("I'm a postdoc in Ohio, …") dilutes the question's meaning; the
    # question without it is scored too (in the same batch), and each sentence keeps the better.
    asked = without_context(question)
    queries = [question] if asked == question else [question, asked]
    heads = sorted({hits[i].chunk.heading.strip() for i, _ in cands} - {""})
    n_q, n_c = len(queries), len(cands)
    vecs = embedder.encode(queries + [c[1] for c in cands] + heads)
    q = vecs[:n_q]
    cos = (vecs[n_q : n_q + n_c] @ q.T).max(axis=1)
    # A sentence means more inside its section: "Access lasts up to 3 months" under "Fast Lane"
    # answers how long Fast Lane lasts. The heading's similarity lifts, never lowers, a sentence.
    head_cos = dict(zip(heads, (vecs[n_q + n_c :] @ q.T).max(axis=1), strict=True))
    out = []
    for (i, text), c in zip(cands, cos, strict=True):
        h = head_cos.get(hits[i].chunk.heading.strip())
        out.append(SentenceScore(i, text, float(c if h is None else max(c, (c + h) / 2))))
    if reader is not None and out:
        top = sorted(range(len(out)), key=lambda j: -out[j].cosine)[:READ_TOP]
        probs = reader.score(question, [out[j].text for j in top])
        for j, p in zip(top, probs, strict=True):
            out[j] = replace(out[j], reader=p)
    return out
