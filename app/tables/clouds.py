"""'cloud allocations', 'on-prem allocations': in a column mixing public clouds with local
systems, the word names every value of its kind, not the one value that holds the word."""

from __future__ import annotations

from app.tables.aliases import cloud_of
from app.tables.headers import Tokens
from app.tables.match import Match
from index.tables import TableInfo

# Words for the two kinds (general computing vocabulary, no table's names).
_CLOUD = ("cloud", "clouds", "public cloud", "commercial cloud")
_LOCAL = ("on prem", "on premises", "on premise", "onprem", "on site", "onsite", "in house")


def kind_matches(q: Tokens, table: TableInfo, found: list[Match]) -> list[Match]:
    """The matches with 'cloud' / 'on-prem' read as every cloud / every local value of a column
    holding both kinds; a loose match of the same words (the one 'Google Cloud', the one
    'Halcyon (on-prem)') gives way."""
    strong = {i for m in found if m.strong for i in range(m.start, m.end)}
    kinds: list[Match] = []
    for c in table.columns:
        if c.type != "text" or not c.values:
            continue
        clouds = tuple(v for v in c.values if cloud_of(v))
        local = tuple(v for v in c.values if not cloud_of(v))
        if len({cloud_of(v) for v in clouds}) < 2 or not local:
            continue  # a column of two clouds or more beside local systems only
        for phrases, values in ((_CLOUD, clouds), (_LOCAL, local)):
            for phrase in phrases:
                n = len(phrase.split())
                for i in range(len(q.low) - n + 1):
                    span = set(range(i, i + n))
                    if q.phrase(i, n) == phrase and not span & strong:
                        kinds.append(Match(c.name, values, i, i + n, 90.0, False))
    taken = {(m.column, i) for m in kinds for i in range(m.start, m.end)}
    kept = [
        m
        for m in found
        if m.strong or not any((m.column, i) in taken for i in range(m.start, m.end))
    ]
    return kept + kinds
