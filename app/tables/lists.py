"""Columns whose cells are lists ('lattice QCD; Monte Carlo'): a word names the rows whose
items hold it, not one whole cell."""

from __future__ import annotations

import re
from functools import lru_cache

from app.tables.headers import SYNONYMS, Tokens, norm

_SEPARATORS = re.compile(r"\s*[;|]\s*")
# A column is a list when at least this share of its distinct cells holds a separator.
_LIST_SHARE = 0.2
_TAG_WORDS = 4  # most items of a list column are at most this many words
# Words of requests and of tables of awards: never an item searched for.
_ASKING = frozenset({
    "award", "awards", "grant", "grants", "project", "projects", "work", "working", "anyone",
    "anything", "got", "get", "which", "what", "who", "how", "many", "much", "the", "and", "for",
    "with", "about", "on", "in", "of", "to", "a", "an", "or", "any", "all", "has", "have", "is",
    "are", "was", "were", "did", "does", "do", "there", "that", "this", "from", "by", "show",
    "list", "me", "give", "tell",
})  # fmt: skip


@lru_cache(maxsize=64)
def is_list_column(values: tuple[str, ...]) -> bool:
    """Most cells are single items, but a fair share joins several with ';' or '|'."""
    if len(values) < 3:
        return False
    joined = sum(bool(_SEPARATORS.search(v)) for v in values)
    # Notes written as sentences ("paused all of May; refund of a duplicate …") are no list
    # of tags, whatever their semicolons: a tag is a few words
    items = [item for v in values for item in _SEPARATORS.split(v) if item.strip()]
    short = sum(len(item.split()) <= _TAG_WORDS for item in items) >= 0.8 * len(items)
    return joined >= _LIST_SHARE * len(values) and short


@lru_cache(maxsize=64)
def _item_words(values: tuple[str, ...]) -> dict[str, int]:
    """Each word of the items → how many cells hold it."""
    counts: dict[str, int] = {}
    for v in values:
        for w in {w for item in _SEPARATORS.split(v) for w in norm(item).split()}:
            counts[w] = counts.get(w, 0) + 1
    return counts


def _stem(word: str) -> str:
    """'LLMs' → 'llm', 'surrogates' → 'surrogate': a plural finds the singular and itself."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def list_words(
    q: Tokens, values: tuple[str, ...], common: set[str]
) -> list[tuple[str, int, int, bool]]:
    """(words, first token, end token, strong) for each question word, or run of words found
    together ('Monte Carlo'), among the items of a list column, in at most half of its cells
    ('data' in every cell names nothing). A word written as a name or acronym ('LLMs',
    'DFT') is strong; a lower-case word is not."""
    words = _item_words(values)
    out: list[tuple[str, int, int, bool]] = []
    for i, t in enumerate(q.low):
        # "allocations" names the table's rows when its title says "Allocation …"
        if len(t) < 3 or t in _ASKING or t in SYNONYMS or t.isdigit():
            continue
        if t in common or _stem(t) in common:
            continue
        # the singular when the items hold it ('LLMs' also finds 'LLM'), else the word as
        # written ('catalysis' is no plural)
        stem = _stem(t)
        key = stem if stem != t and stem in words else t
        held = words.get(key, 0) + (words.get(t, 0) if key != t else 0)
        if not held or 2 * held > len(values):
            continue
        strong = not q.orig[i].islower()
        last = out[-1] if out else None
        if last and last[2] == i and f" {last[0]} {key} " in _item_text(values):
            out[-1] = (f"{last[0]} {key}", last[1], i + 1, last[3] or strong)  # "Monte Carlo"
        else:
            out.append((key, i, i + 1, strong))
    return out


@lru_cache(maxsize=64)
def _item_text(values: tuple[str, ...]) -> str:
    """Every item, normalised, each between spaces: phrases are looked up inside."""
    return " " + " | ".join(norm(item) for v in values for item in _SEPARATORS.split(v)) + " "


def whole_item(words: str, values: tuple[str, ...]) -> bool:
    """The words are a whole item of some cell ('LLM' in 'LLM; evaluation'): a tag named as
    written beats one word of a longer name in another column ('LLM Evaluation Sandbox')."""
    return f" {words} " in _item_text(values).split("|")
