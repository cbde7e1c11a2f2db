"""Words naming what kind of thing a column's values are ('teams', 'groups', 'labs'): in
'which teams at X' the word asks for rows, it is not a loose match on every '… Team'."""

from __future__ import annotations

from functools import lru_cache

from app.tables.headers import Tokens, column_label, norm, singular
from app.tables.match import Match
from index.tables import TableInfo


def _kind_word(word: str, written: str, column: str, values: tuple[str, ...]) -> bool:
    """A lower-case word that is the column's header word or the last word of every value."""
    if not written.islower():
        return False  # "Team Alpha" written as a name may well name one
    one = singular(word)
    if one in {singular(w) for w in column_label(column).split()}:
        return True
    heads = {norm(v).split()[-1] for v in values if norm(v)}
    return word != one and heads == {one}  # "groups": every value held ends with "Group"


def drop_kind_nouns(
    q: Tokens, found: list[Match], amounts: frozenset[str] = frozenset()
) -> list[Match]:
    """Loose one-word matches that only name the kind of the column's values, or that end
    an amount's name ('time' of 'GPU time' in a tag list), dropped."""

    def loose(m: Match) -> bool:
        if m.strong or m.end - m.start != 1:
            return False
        if m.op != "in":
            return m.start > 0 and q.low[m.start - 1] in amounts
        return _kind_word(q.low[m.start], q.orig[m.start], m.column, m.values)

    return [m for m in found if not loose(m)]


@lru_cache(maxsize=16)
def header_words(table: TableInfo) -> frozenset[str]:
    """The words of the table's headers, also singular: a question word among them names a
    column, so it is never taken as a misspelt value ('expire' is not 'Expired')."""
    words = {w for c in table.columns for w in column_label(c.name).split() if len(w) > 3}
    return frozenset(words | {singular(w) for w in words})


def lower_case(q: Tokens, m: Match) -> bool:
    """The match's words are written in lower case, as ordinary words are."""
    return all(q.orig[i].islower() for i in range(m.start, m.end))


def stem_refs(words: set[str], table: TableInfo) -> list[str]:
    """Columns a word names by its stem ('expiry' for 'Expires'): five letters in common."""

    def stem(a: str, b: str) -> bool:
        return len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]

    return [
        c.name
        for c in table.columns
        if any(stem(w, h) for w in words for h in column_label(c.name).split())
    ]


def _date_stems(table: TableInfo) -> frozenset[str]:
    """The first six letters of each date column's header words ('approv' of 'Approved')."""
    return frozenset(
        w[:6]
        for c in table.columns
        if c.type == "date"
        for w in column_label(c.name).split()
        if len(w) >= 6 and w not in ("date", "dates")
    )


def verb_of(q: Tokens, table: TableInfo) -> bool:
    """The question says what a date column records ('approved' for 'Approved', 'expiring'
    for 'Expires'): the rows dated then are asked."""
    stems = _date_stems(table)
    return any(len(w) >= 6 and w[:6] in stems for w in q.low)


def event_nouns(q: Tokens, table: TableInfo) -> set[str]:
    """Nouns of what a date column records ('approvals' of 'Approved'): they name rows."""
    stems = _date_stems(table)
    return {w for w in q.low if w.endswith(("als", "ions")) and w[:6] in stems}
