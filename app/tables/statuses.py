"""Status values named by their everyday words: 'still waiting on a decision' is Pending.

Only a short category column (a status) that holds the status word itself is matched, so a
table without such a column is never filtered by these words.
"""

from __future__ import annotations

import re

from app.tables.headers import Tokens, norm
from app.tables.match import Match
from app.tables.ops import negated
from app.tables.roles import end_column
from index.tables import TableInfo

# A status value → words people use for it (general English for the states of a request).
_SAID = {
    "pending": (
        "waiting",
        "awaiting",
        "undecided",
        "under review",
        "in review",
        "not decided",
        # an allocation awarded but not begun: "haven't started yet", "upcoming"
        "not started",
        "not yet started",
        "haven t started",
        "hasn t started",
        "yet to start",
        "upcoming",
    ),
    "active": ("ongoing", "running", "in progress", "underway", "live", "current", "currently"),
    "closed": ("ended", "finished", "completed", "expired", "concluded"),
    "completed": ("ended", "finished", "closed", "concluded"),
    "rejected": ("declined", "turned down", "denied", "refused", "unsuccessful"),
    "declined": ("rejected", "turned down", "denied", "refused", "unsuccessful"),
    "approved": ("accepted", "successful"),
    # a scheduler's job states
    "timeout": ("time limit", "timed out", "ran out of time", "out of time", "wall time limit"),
    "failed": ("crashed", "errored", "died", "did not finish"),
    "cancelled": ("canceled", "killed", "aborted", "called off"),
    "canceled": ("cancelled", "killed", "aborted", "called off"),
}
_MAX_VALUES = 12  # a status column has a handful of values
# Words for a decision not yet made; in a status column with no such value, a blank cell is
# that state (a review log leaves the decision empty until there is one).
_UNDECIDED = (
    ("pending",), ("waiting",), ("awaiting",), ("undecided",), ("not", "decided"),
    ("not", "yet", "decided"), ("no", "decision"), ("under", "review"), ("in", "review"),
    ("not", "been", "decided"), ("t", "been", "decided"), ("t", "decided"),
)  # fmt: skip
_DECIDED = ("approved", "accepted", "declined", "rejected", "denied", "granted", "funded")


def pending_blanks(q: Tokens, table: TableInfo) -> list[tuple[str, int, int]]:
    """'still waiting for a decision', 'haven't been decided': (column, first, end token) of a
    decision column that names no undecided state but leaves cells blank."""
    for c in table.columns:
        held = {norm(v) for v in c.values}
        if c.type != "text" or not c.blanks or not 2 <= len(held) <= _MAX_VALUES:
            continue
        if not held & set(_DECIDED) or held & {"pending", "waiting", "undecided", "open"}:
            continue
        for words in _UNDECIDED:
            n = len(words)
            for i in range(len(q.low) - n + 1):
                if q.low[i : i + n] == words:
                    return [(c.name, i, i + n)]
    return []


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


# Words that say a row is running at the time of the table.
_NOW_WORDS = frozenset({"running", "active", "ongoing", "underway"})
_WHERE = {(w,) for w in ("on", "at", "in", "with", "under", "through", "via")}
_AS_OF = re.compile(r"\d{4}-\d{2}-\d{2}")


def running_now(q: Tokens, matches: list[Match], table: TableInfo) -> bool:
    """'still active', 'running right now' where no status or flag column holds the word: the
    table's end dates and as-of day say which rows are running."""
    # "projects running on LUMI" says where they run, not that they are still going
    said = [
        i
        for i, w in enumerate(q.low)
        if w in _NOW_WORDS and not (w == "running" and q.low[i + 1 : i + 2] in _WHERE)
    ]
    if not (said and end_column(table) and _AS_OF.fullmatch(table.as_of)):
        return False
    if any(m.start <= i < m.end for i in said for m in matches):
        return False  # "Status: Active" names it
    return not negated(q, said[0])
