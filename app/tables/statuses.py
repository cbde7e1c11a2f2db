"""Status values named by their everyday words: 'still waiting on a decision' is Pending.

Only a short category column (a status) that holds the status word itself is matched, so a
table without such a column is never filtered by these words.
"""

from __future__ import annotations

from app.tables.headers import Tokens, norm
from app.tables.match import Match
from index.tables import TableInfo

# A status value → words people use for it (general English for the states of a request).
_SAID = {
    "pending": ("waiting", "awaiting", "undecided", "under review", "in review", "not decided"),
    "active": ("ongoing", "running", "in progress", "underway"),
    "closed": ("ended", "finished", "completed", "expired", "concluded"),
    "completed": ("ended", "finished", "closed", "concluded"),
    "rejected": ("declined", "turned down", "denied", "refused", "unsuccessful"),
    "declined": ("rejected", "turned down", "denied", "refused", "unsuccessful"),
    "approved": ("accepted", "successful"),
}
_MAX_VALUES = 12  # a status column has a handful of values


def status_matches(q: Tokens, table: TableInfo, taken: list[Match]) -> list[Match]:
    """Loose matches of a status column's values named by their everyday words, where the
    question names no value of that column and the words are not already matched."""
    out: list[Match] = []
    used = {i for m in taken for i in range(m.start, m.end)}
    for c in table.columns:
        if c.type != "text" or not c.categorical or not 2 <= len(c.values) <= _MAX_VALUES:
            continue
        if any(m.column == c.name for m in taken):
            continue
        held = {norm(v): v for v in c.values}
        for state, words in _SAID.items():
            if state not in held:
                continue
            for phrase in words:
                n = len(phrase.split())
                for i in range(len(q.low) - n + 1):
                    span = set(range(i, i + n))
                    if q.phrase(i, n) == phrase and not span & used:
                        out.append(Match(c.name, (held[state],), i, i + n, 90.0, False))
                        used |= span
    return out
