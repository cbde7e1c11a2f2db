"""The vocabulary gap: which of a question's words the documents never use (eval check)."""

from __future__ import annotations

import re

from eval.metrics import normalize

# Common English function words: they carry no topic, so the gap report does not count them.
_FUNCTION_WORDS_TEXT = """
a about above after again all also am an and any are as at be because been before being
between both but by can could did do does doing done down during each else even ever few for
from get got had has have having he her here hers him his how i if in into is it its just
let like many may me might more most much must my no nor not now of off often on once only
or other our ours out over own per please same she should so some still such than that the
their them then there these they this those through to too under until up upon us very was
way we well were what whats when where whether which while who whom whose why will with
within without would yes yet you your yours
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def corpus_vocabulary(texts: dict[str, str]) -> set[str]:
    """Every lower-case word of the documents."""
    return {w for text in texts.values() for w in _WORD.findall(normalize(text))}


def content_words(question: str) -> list[str]:
    """The question's words that carry meaning (no function words, possessives dropped)."""
    words = (w.removesuffix("'s").strip("'-") for w in _WORD.findall(normalize(question)))
    return [w for w in words if len(w) > 1 and w not in FUNCTION_WORDS]


def missing_words(question: str, vocab: set[str]) -> list[str]:
    """The question's content words the documents never use (a plural s tolerated)."""
    return [
        w
        for w in content_words(question)
        if w not in vocab and w.removesuffix("s") not in vocab and w.replace("'", "") not in vocab
    ]


def missing_share(question: str, vocab: set[str]) -> float:
    """Share of the question's content words the documents never use."""
    words = content_words(question)
    return len(missing_words(question, vocab)) / len(words) if words else 0.0
