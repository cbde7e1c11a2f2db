"""Deciding when the documents do not answer a question."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.guard import looks_like_injection
from index.types import Hit

# Words that make a question about a named program, award or resource.
_PROGRAM_WORDS = re.compile(
    r"\b(program|programme|resource|award|grant|initiative|pilot|allocation|fund|funding|"
    r"fellowship|call|solicitation|prize|credits?)s?\b",
    re.I,
)
_NAME = re.compile(
    r"\b([A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Za-z]+[0-9][A-Za-z0-9]*|[A-Z][a-z]{2,})\b"
)


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names, acronyms and codes in the question that the corpus never mentions."""
    words = question.split()
    first = words[0].strip("?,.!:;\"'") if words else ""
    out = []
    for m in _NAME.finditer(question):
        token = m.group(1)
        if token == first and token[1:].islower():
            continue  # an ordinary capitalised first word
        base = token.lower().removesuffix("'s")
        if base not in vocabulary and base.rstrip("s") not in vocabulary:
            out.append(token)
    return out


_WH = re.compile(r"^\s*(what|which|who|whom|whose|how|when|where)\b", re.I)
_GENERIC = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "because",
        "before",
        "being",
        "could",
        "doing",
        "does",
        "having",
        "into",
        "like",
        "many",
        "more",
        "most",
        "much",
        "need",
        "only",
        "other",
        "over",
        "please",
        "same",
        "should",
        "some",
        "such",
        "tell",
        "than",
        "their",
        "them",
        "then",
        "these",
        "they",
        "those",
        "through",
        "under",
        "until",
        "very",
        "want",
        "were",
        "would",
        "still",
        "currently",
        "today",
        "exactly",
        "there",
        "where",
        "which",
        "while",
        "whole",
        "total",
    ]
)


def missing_terms(question: str, vocabulary: set[str]) -> list[str]:
    """Ordinary words a what/how/… question asks about that no document uses (typos forgiven).

    Measured on the golden set: "acceptance rate", "phone number" and "dollar value" questions
    retrieve passages as similar as answerable ones, but ask about words the corpus never uses.
    Names (capitalised) are left to the look-alike check: "Can a PI in Germany apply?" is fine.
    """
    if not _WH.match(question) or not vocabulary:
        return []
    from rapidfuzz import fuzz, process

    out = []
    for m in re.finditer(r"\b[a-z][a-z'-]{4,}\b", question):
        word = m.group(0).removesuffix("'s")
        if word in _GENERIC or word in vocabulary or word.rstrip("s") in vocabulary:
            continue
        if process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=80) is None:
            out.append(word)
    return out


def relevance(hits: Sequence[Hit]) -> float:
    """The best cosine similarity among the hits (0 when there are none)."""
    scores = [h.dense_score for h in hits if h.dense_score is not None]
    return max(scores, default=0.0)


def should_abstain(
    question: str,
    hits: Sequence[Hit],
    vocabulary: set[str],
    min_relevance: float,
    lookalike_relevance: float,
) -> str | None:
    """Return why the documents do not cover the question, or None when they may."""
    if looks_like_injection(question):
        return "the question tries to change the assistant's instructions"
    best = relevance(hits)
    names = unknown_names(question, vocabulary)
    if names and _PROGRAM_WORDS.search(question) and best < lookalike_relevance:
        return f"the documents never mention {', '.join(names)}"
    if any(h.exact_match for h in hits):
        return None  # a project id or system name the question names is in the documents
    if not hits or best < min_relevance:
        return f"best passage similarity {best:.2f} is below {min_relevance:.2f}"
    missing = missing_terms(question, vocabulary)
    if missing:
        return f"the documents never use the words {', '.join(missing)}"
    return None
