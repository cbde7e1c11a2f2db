"""Lookups over a table's text values, built once per table version, for the value matchers.

Owns `ColumnIndex` (one text column's normalised values, their words, and what kind of
column it is), `STOP` (words that never name a value) and `proper` (a value naming
something specific).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from app.tables.aliases import cloud_names
from app.tables.headers import canon, name_key, norm
from app.tables.places import PlaceColumn, place_column
from index.tables import ColumnInfo, TableInfo

# Words that never identify a value on their own, whatever the table holds.
STOP = frozenset({
    "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "from",
    "about", "into", "over", "per", "is", "are", "was", "were", "be", "which", "what", "who",
    "whom", "whose", "how", "many", "much", "did", "does", "do", "has", "have", "had", "any",
    "all", "each", "every", "this", "that", "these", "those", "it", "its", "their", "there",
    "than", "then", "as",
})  # fmt: skip


@dataclass(frozen=True)
class ColumnIndex:
    """Lookup structures for one text column."""

    column: ColumnInfo
    phrases: dict[str, tuple[str, ...]]  # normalised value → original values
    tokens: dict[str, tuple[str, ...]]  # token → values holding it
    norms: tuple[str, ...]
    originals: tuple[str, ...]
    identifier: bool
    free_text: bool
    places: PlaceColumn | None
    units: bool


@lru_cache(maxsize=16)
def indexes(table: TableInfo) -> tuple[ColumnIndex, ...]:
    """Build (once per table version) the lookups for every text column."""
    out = []
    for c in table.columns:
        if c.type != "text" or not c.values:
            continue
        phrases: dict[str, list[str]] = defaultdict(list)
        tokens: dict[str, set[str]] = defaultdict(set)
        units = c.name == table.unit_column
        for v in c.values:
            key = name_key(norm(v))  # "Univ. of Kallio", "University of Kallio": one key
            # "Amazon Web Services", "amazon cloud": a public cloud under any of its names
            for k in {key, *(name_key(n) for n in cloud_names(v))} - {""}:
                phrases[k].append(v)
            if units:
                # "cloud credits" for "cloud credits (USD)"; "credits" when no other unit has it
                bare = canon(norm(re.sub(r"\(.*?\)", " ", v)))
                if bare and v not in phrases[bare]:
                    phrases[bare].append(v)
                last = bare.split()[-1] if bare else ""
                heads = [canon(norm(re.sub(r"\(.*?\)", " ", u))).split()[-1:] for u in c.values]
                generic = last in ("hours", "hrs", "units", "hour")  # SUs are hours too
                if len(last) > 2 and heads.count([last]) == 1 and not generic:
                    phrases[last] += [v] * (v not in phrases[last])
            for t in set(key.split()):
                tokens[t].add(v)
        unique = len(c.values) == table.rows and table.rows > 1
        identifier = unique and all(any(ch.isdigit() for ch in v) for v in c.values)
        avg = sum(len(v) for v in c.values) / len(c.values)
        # a column headed as notes is free text however often a note repeats ("in review")
        noted = re.search(r"\b(?:notes?|comments?|remarks?|memo)\b", c.name, re.I) is not None
        free_text = (not c.categorical and not identifier and avg > 25) or noted
        out.append(
            ColumnIndex(
                c,
                {k: tuple(v) for k, v in phrases.items()},
                {k: tuple(sorted(v)) for k, v in tokens.items()},
                tuple(phrases),
                tuple(phrases[k][0] for k in phrases),
                identifier,
                free_text,
                place_column(c.values),
                units,
            )
        )
    return tuple(out)


@lru_cache(maxsize=16)
def all_tokens(table: TableInfo) -> frozenset[str]:
    """Every word of every text value: a word found as written is never also a misspelling."""
    return frozenset(t for ix in indexes(table) for t in ix.tokens)


def proper(value: str) -> bool:
    """Values written with capitals, digits or several words name something specific."""
    return len(value.split()) > 1 or any(ch.isupper() or ch.isdigit() for ch in value)
