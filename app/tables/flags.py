"""Yes/no columns named by the question: 'which awards are renewals' keeps the rows whose
Renewal cell says yes ('not renewed' is left to the planner's negation, which excludes them).
Said of a named id ('DD-0142 and its renewal'), the word brings the ids that extend it
('DD-0142-R', 'LC-017-R1') instead."""

from __future__ import annotations

import re

from app.tables.headers import Tokens, column_label, norm
from app.tables.match import Match
from index.tables import TableInfo

_YES = frozenset({"yes", "y", "true", "t"})
_NO = frozenset({"no", "n", "false", "f"})
# An id's follow-on: the same id and a short tail after a separator ('-R', '-R1', '_2').
_TAIL = r"[-_/.][A-Za-z]{0,2}\d{0,2}"
_STEM = 5  # letters a question word shares with the header word ('renewed' for 'Renewal')


def _header_words(name: str) -> list[str]:
    """The header's own words ('Renewal?' → ['renewal'])."""
    return [w for w in norm(column_label(name)).split() if len(w) >= _STEM]


def _names(word: str, head: str) -> bool:
    """'renewals', 'renewed' for 'renewal': a shared stem covering most of the header word."""
    n = 0
    while n < min(len(word), len(head)) and word[n] == head[n]:
        n += 1
    return n >= _STEM and n >= 0.7 * len(head)


def flag_matches(q: Tokens, table: TableInfo) -> list[Match]:
    """A yes/no column the question names, as a match on its yes cells."""
    out = []
    for c in table.columns:
        if c.type != "text" or not c.values or len(_header_words(c.name)) != 1:
            continue  # a one-word header: 'Renewal', 'Renewed?', not 'Renewal notes'
        lows = {v.strip().lower() for v in c.values}
        if not lows or not lows <= _YES | _NO or not lows & _YES:
            continue
        head = _header_words(c.name)[0]
        for i, w in enumerate(q.low):
            if not _names(w, head):
                continue
            values = tuple(v for v in c.values if v.strip().lower() in _YES)
            if values:
                out.append(Match(c.name, values, i, i + 1, 100.0, True))
    return out


def with_flags(q: Tokens, table: TableInfo, found: list[Match]) -> list[Match]:
    """The matches plus the yes/no columns named; a flag said beside a named id that has
    follow-on ids ('DD-0142 including its renewal') adds those ids instead of filtering."""
    flags = flag_matches(q, table)
    if not flags:
        return found
    out = []
    extended = False
    for m in found:
        col = table.column(m.column)
        if m.op == "in" and col is not None and col.values and len(m.values) <= 3:
            tails = [re.compile(re.escape(v) + _TAIL + "$", re.I) for v in m.values]
            more = tuple(
                v for v in col.values if v not in m.values and any(t.match(v) for t in tails)
            )
            if more and all(any(ch.isdigit() for ch in v) for v in m.values):
                m = Match(m.column, (*m.values, *more), m.start, m.end, m.score, m.strong)
                extended = True
        out.append(m)
    return out if extended else out + flags
