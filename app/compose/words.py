"""Content words of a sentence, for word overlap and for spotting a fact said twice."""

from __future__ import annotations

import re

from app.answerability.text import asks, stem

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


def terms(text: str) -> set[str]:
    """Content words, crudely stemmed (plural s), for lexical overlap."""
    return {
        w.rstrip("s") if len(w) > 3 else w for w in _WORD.findall(text.lower()) if w not in _STOP
    }


def same_fact(a: str, b: str) -> bool:
    """Two sentences that say nearly the same thing."""
    ta, tb = terms(a), terms(b)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) >= 0.75


# A part named as uncovered whose own words the answer already states (most of them, in one
# sentence) is not uncovered: saying both would contradict the answer.
STATED_SHARE = 0.75


def _stems(text: str) -> set[str]:
    """Content words stemmed past plurals and verb endings ("salaries" meets "salary")."""
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP}


def _own_terms(part: str, parts: list[str]) -> set[str]:
    """The words of one question part that no other part of the question uses."""
    return _stems(part) - set().union(*(_stems(s) for s in parts if s != part))


def stated_in(part: str, siblings: list[str], sentences: list[str]) -> bool:
    """Whether one answer sentence holds most of the words only this part of the question has."""
    own = _own_terms(part, siblings)
    if len(own) < 2:
        return False  # too few words of its own to tell
    return any(len(own & _stems(s)) / len(own) >= STATED_SHARE for s in sentences)


# A question part whose own words (three or more) no answer sentence shares this much of gets
# no answer from it. Chosen on dev (2026-11-27): on the 30 blind multi-part questions d701-d730
# it names the uncovered part in 15 instead of 8, and on all dev answers it names 20 covered
# parts instead of 10 (0.25 named no more uncovered parts and more covered ones).
UNANSWERED_SHARE = 0.2


def unanswered_parts(
    parts: list[str], sentences: list[str], share: float = UNANSWERED_SHARE
) -> list[str]:
    """Question parts (not statements) none of whose own words an answer sentence uses."""
    out = []
    for part in parts:
        if not asks(part):
            continue  # a statement about the asker ("I advise students in …") asks nothing
        own = _own_terms(part, parts)
        if len(own) >= 3 and all(len(own & _stems(s)) / len(own) < share for s in sentences):
            out.append(part)
    return out
