"""The offline default: the most relevant sentences of the top passages, each with its key."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app.guard import looks_like_injection
from index.embedder import Embedder
from index.types import Hit
from ingest.sentences import split_sentences  # re-exported: app code imports it from here

if TYPE_CHECKING:
    import numpy as np

# LoadedIndex.sentences: chunk id -> (sentences, unit vectors), or None when not stored.
SentenceLookup = Callable[[str], "tuple[list[str], np.ndarray] | None"]

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "there",
        "this",
        "that",
    ]
)
MAX_SENTENCES = 3


def _terms(text: str) -> set[str]:
    """Content words, crudely stemmed (plural s), for lexical overlap."""
    return {
        w.rstrip("s") if len(w) > 3 else w for w in _WORD.findall(text.lower()) if w not in _STOP
    }


def extractive_answer(
    question: str,
    hits: Sequence[Hit],
    keys: Sequence[str],
    embedder: Embedder,
    focus: str = "",
    sentences: SentenceLookup | None = None,
) -> tuple[str, list[str]]:
    """Return (answer text with [S#] keys, keys used); `focus` is a follow-up's own words.

    `sentences` is LoadedIndex.sentences: each hit's sentences with the vectors stored at
    ingest, so only the question is embedded (usually a cache hit from retrieval). Without
    it, or for a version that stores none, the candidate sentences are embedded here.
    """
    import numpy as np

    candidates: list[tuple[str, str, int]] = []  # sentence, key, hit rank
    stored: list[np.ndarray] = []  # a vector per candidate, while every hit has stored ones
    for hit, key in zip(hits, keys, strict=True):
        heading = hit.chunk.heading.strip().rstrip(".").lower()
        try:
            found = sentences(hit.chunk.id) if sentences is not None else None
        except KeyError:  # the index moved to a version without this chunk mid-answer
            found = None
        sents, vecs = found if found is not None else (None, None)
        if sents is None:
            sents = split_sentences(hit.chunk.text, hit.chunk.heading)
        for j, sent in enumerate(sents):
            if sent.rstrip(".").lower() == heading or sent.endswith("?"):
                continue  # headings and FAQ questions are not answers
            if looks_like_injection(sent):
                continue  # instructions planted in a document are never repeated
            if len(sent.split()) >= 4 and "sample material" not in sent.lower():
                candidates.append((sent, key, hit.rank))
                if vecs is not None:
                    stored.append(vecs[j])
    if not candidates:
        return "", []
    qterms = _terms(question)
    fterms = _terms(focus)
    qv = embedder.encode_query(question)[0]
    fv = embedder.encode_query(focus)[0] if focus else qv
    if len(stored) == len(candidates):
        cvecs = np.vstack(stored)
    else:
        cvecs = embedder.encode([c[0] for c in candidates])
    cos = cvecs @ qv
    fcos = cvecs @ fv
    scores = []
    for (sent, _key, rank), c, f in zip(candidates, cos, fcos, strict=True):
        terms = _terms(sent)
        overlap = len(qterms & terms) / max(1, len(qterms))
        score = float(c) + 0.25 * overlap + 0.04 / rank
        if focus:
            # What the follow-up itself asks about outweighs the earlier question's topic.
            score = 0.4 * score + 0.6 * (float(f) + 0.4 * len(fterms & terms) / max(1, len(fterms)))
        scores.append(score)
    order = list(np.argsort(scores)[::-1])
    best = scores[order[0]]
    chosen: list[int] = []
    seen: set[str] = set()
    for i in order:
        sent = candidates[i][0]
        norm = " ".join(_WORD.findall(sent.lower()))
        if norm in seen or scores[i] < best - 0.2:
            continue
        seen.add(norm)
        chosen.append(i)
        if len(chosen) == MAX_SENTENCES:
            break
    parts = []
    for i in chosen:
        sent, key, _ = candidates[i]
        sent = sent if sent[-1] in ".!?" else sent + "."
        parts.append(f"{sent} [{key}]")
    used = list(dict.fromkeys(candidates[i][1] for i in chosen))
    return " ".join(parts), used
