"""Question words that name no value: words quoting the table's title, and a lone word of an
amount column's header or unit ('GPU' of 'GPU-hrs')."""

from __future__ import annotations

import itertools
from functools import lru_cache

from app.tables.headers import Tokens, column_label, norm
from app.tables.match import Match
from index.tables import TableInfo


def outside_title(q: Tokens, table: TableInfo, found: list[Match]) -> list[Match]:
    """Drop matches inside a longer run of title words: 'the research computing centre'
    quotes the table's title, so 'research' there is no value."""
    titled = _title_spans(q, table)
    return [
        m
        for m in found
        if not any(a <= m.start and m.end <= b and b - a > m.end - m.start for a, b in titled)
    ]


def _title_spans(q: Tokens, table: TableInfo) -> list[tuple[int, int]]:
    """Runs of two or more question words that stand together in the table's title."""
    title = norm(table.title).split()
    pairs = set(itertools.pairwise(title))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(q.low) - 1:
        j = i
        while j + 1 < len(q.low) and (q.low[j], q.low[j + 1]) in pairs:
            j += 1
        if j > i:
            spans.append((i, j + 1))
        i = j + 1
    return spans


@lru_cache(maxsize=16)
def amount_words(table: TableInfo) -> frozenset[str]:
    """Words of the headers and units of amount columns, when a table has several of them
    ('GPU' of 'GPU-hrs'): alone, such a word names the amount, not a value holding it."""
    cols = [c for c in table.columns if c.numeric and c.unit and c.unit != "%"]
    if len(cols) < 2:
        return frozenset()
    words = {w for c in cols for w in (*column_label(c.name).split(), *norm(c.unit).split())}
    return frozenset(w for w in words if len(w) > 2 and w not in ("hrs", "hours", "hour"))
