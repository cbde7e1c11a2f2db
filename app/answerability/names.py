"""Names in a question: capitalised names and codes, ones the documents never use, and
look-alikes of names they do use."""

from __future__ import annotations

import re
from collections.abc import Callable

from app.answerability.text import FUNCTION_WORDS, context_spans

_NAME = re.compile(
    r"\b([A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9-]*|[A-Za-z]+\d[A-Za-z0-9-]*|[A-Z][a-z]{2,})\b"
)


def names(question: str) -> list[str]:
    """Capitalised names, acronyms and codes outside personal context (not a sentence start)."""
    spans = context_spans(question)
    out = []
    for m in _NAME.finditer(question):
        if any(a <= m.start() < b for a, b in spans):
            continue
        before = question[: m.start()].rstrip()
        token = m.group(1)
        if (not before or before[-1] in ".?!:") and token[1:].islower():
            continue  # an ordinary capitalised first word
        if token.lower() in FUNCTION_WORDS or _CALENDAR.fullmatch(token):
            continue
        out.append(token)
    return out


# Months, weekdays and quarters name dates, not programs or systems.
_CALENDAR = re.compile(
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|q[1-4])"
)


_NAME_RUN = re.compile(r"\b(?:[A-Z][\w-]*|AI)(?:\s+(?:[A-Z][\w-]*))+")


def lookalike_names(question: str, occurs: Callable[[str], bool]) -> list[str]:
    """Multi-word names the documents never use, though they use the same name's tail.

    "the Brazilian AI Research Resource" when the documents say "National AI Research
    Resource": the same head with another qualifier, so a program the documents do not
    describe. `occurs` tells whether the documents hold a phrase.
    """
    spans = context_spans(question)
    out = []
    for m in _NAME_RUN.finditer(question):
        if any(a <= m.start() < b for a, b in spans):
            continue
        words = m.group(0).split()
        if before_is_sentence_start(question, m.start()) and len(words) < 3:
            continue  # "What Delta…": a capitalised first word is not part of a name
        if occurs(" ".join(words)):
            continue
        # The head of a name comes last: the documents name the same thing with another
        # qualifier in front ("National" for "Brazilian"). A qualifier they also use ("DOE" beside
        # "NAIRR Secure") may name the same thing, so one of them must be new to them.
        for i in range(1, len(words) - 1):
            if occurs(" ".join(words[i:])):
                if any(not occurs(w.removesuffix("'s")) for w in words[:i]):
                    out.append(m.group(0))
                break
    return out


def before_is_sentence_start(question: str, at: int) -> bool:
    """Whether a position starts the question or a sentence in it."""
    before = question[:at].rstrip()
    return not before or before[-1] in ".?!:"


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Names in the question the corpus never uses; a hyphenated name is judged by its parts."""
    out = []
    for name in names(question):
        # Only the parts that look like names count: "API-only" is known when "API" is.
        parts = [p for p in name.split("-") if len(p) > 1 and not p.islower()] or [name]
        known = all(p.lower() in vocabulary or p.lower().rstrip("s") in vocabulary for p in parts)
        if not known:
            out.append(name)
    return out
