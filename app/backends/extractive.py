"""The offline default: the most relevant sentences of the top passages, each with its key."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.guard import looks_like_injection
from index.embedder import Embedder
from index.types import Hit

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"(\[])")
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


def split_sentences(text: str, heading: str = "") -> list[str]:
    """Split a passage into sentences: wrapped lines are joined, bullets and rows kept whole."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = line[:1] in "-*•·|#" or bool(re.match(r"\d+[.)]\s", line))
        line = line.lstrip("-*•·# ").strip()
        prev_open = lines and lines[-1][-1:] not in ".!?:;" and not lines[-1].startswith("|")
        if lines == [heading.strip()] and heading:
            prev_open = False  # a slide title stays apart from its first bullet
        if prev_open and not bullet:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    out: list[str] = []
    header: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if i + 1 < len(lines) and set(lines[i + 1]) <= set("|-: "):
                header = cells  # a Markdown table header: its row is not a sentence
                continue
            if set(line) <= set("|-: "):
                continue
            # A table row reads as "Column: value; …" so an answer can quote it.
            pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False) if c]
            row = "; ".join(pairs or [c for c in cells if c])
            if row:
                out.append(row)
            continue
        out.extend(s.strip() for s in _SPLIT.split(line) if s.strip())
    return out


def _terms(text: str) -> set[str]:
    """Content words, crudely stemmed (plural s), for lexical overlap."""
    return {
        w.rstrip("s") if len(w) > 3 else w for w in _WORD.findall(text.lower()) if w not in _STOP
    }


def extractive_answer(
    question: str, hits: Sequence[Hit], keys: Sequence[str], embedder: Embedder, focus: str = ""
) -> tuple[str, list[str]]:
    """Return (answer text with [S#] keys, keys used); `focus` is a follow-up's own words."""
    import numpy as np

    candidates: list[tuple[str, str, int]] = []  # sentence, key, hit rank
    for hit, key in zip(hits, keys, strict=True):
        heading = hit.chunk.heading.strip().rstrip(".").lower()
        for sent in split_sentences(hit.chunk.text, hit.chunk.heading):
            if sent.rstrip(".").lower() == heading or sent.endswith("?"):
                continue  # headings and FAQ questions are not answers
            if looks_like_injection(sent):
                continue  # instructions planted in a document are never repeated
            if len(sent.split()) >= 4 and "sample material" not in sent.lower():
                candidates.append((sent, key, hit.rank))
    if not candidates:
        return "", []
    qterms = _terms(question)
    fterms = _terms(focus)
    texts = [question, focus or question] + [c[0] for c in candidates]
    vecs = embedder.encode(texts)
    cos = vecs[2:] @ vecs[0]
    fcos = vecs[2:] @ vecs[1]
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
