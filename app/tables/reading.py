"""The planner's first step: what a question names in one table.

Owns `Reading` and `read`: the values, dates and empty-cell phrases the question names, the
columns its other words name, what a row is called, and which amount columns it fits. The
later steps (asking.py, evidence.py, specbuild.py) take a Reading as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import app.tables.ops as ops
from app.tables.amounts import amount_columns, asked_amounts, unit_spelled
from app.tables.asides import aside_tokens, asked_words
from app.tables.canon import spelled
from app.tables.clouds import kind_matches
from app.tables.columns import blank_columns, mentioned, outside_headers
from app.tables.cues import misspelt_rows, numbers, overlap
from app.tables.dates import DateRange, amount_not_year, dated_months, find_dates
from app.tables.fiscal import as_written
from app.tables.gate import unit_heads
from app.tables.headers import Tokens, column_label, column_refs, norm, singular
from app.tables.kindnouns import event_nouns
from app.tables.match import Match
from app.tables.matching import find_values
from app.tables.parts import shift
from app.tables.roles import date_columns, identifier, measure_like, row_key, row_noun
from app.tables.shares import in_percent
from app.tables.statuses import pending_blanks, running_now, status_matches
from index.tables import TableInfo


@dataclass(frozen=True)
class Reading:
    """What the question names in one table, read once for the steps after it."""

    text: str  # the question with numbers and shares written as the table writes them
    q: Tokens
    words: frozenset[str]
    nq: str  # the lower-case words between spaces, for phrase searches
    matches: tuple[Match, ...]  # values named (not a loose word of a header it quotes)
    dates: tuple[DateRange, ...]
    date_col: str  # the date column the words point at, or ""
    year_col: str  # a whole-number year column, or ""
    inside: frozenset[int]  # words of a value, a date or an empty-cell phrase
    blanks: tuple[tuple[str, int, int], ...]  # columns whose cells must be empty
    running: bool  # "still active" read from end dates and the as-of day
    refs: tuple[str, ...]  # columns the other words name
    noun: str  # what a row is called
    rows_named: bool  # the question names the rows ("awards", "approvals")
    ident: str  # the identifier column, or ""
    id_match: bool  # a value of the identifier column is named
    units: tuple[Match, ...]  # values of the unit column
    fits: tuple[str, ...]  # the amount columns the asked words fit
    chosen: str | None  # the one amount column they fit, if only one
    measure_named: bool  # an amount is named: a unit, a fitting column or a measure header


def read(question: str, table: TableInfo, follow: str = "") -> Reading:
    """Read what the question names; `follow` is a follow-up merged after it, whose values win."""
    text = unit_spelled(in_percent(as_written(numbers(question), table), table), table)
    text = per_spelled(text, table)
    # "service units" is what "SUs" stands for; headers and unit cells write it short
    text = re.sub(r"\bservice[- ]units?\b", "SUs", text, flags=re.I)
    text = dated_months(text, table.as_of)  # "this December": of the table's year
    if any(c.numeric and c.unit == "hours" for c in table.columns):
        # "ran for more than a day" of a run-time column kept in hours
        text = re.sub(
            r"\b(more|less|longer|shorter|fewer) than (?:a|one|1) (day|week)\b",
            lambda m: f"{m[1]} than {24 if m[2] == 'day' else 168} hours",
            text,
            flags=re.I,
        )
    q = Tokens.of(text)
    found = _values(text, q, table)
    date_col, year_col = date_columns(table, q.low)
    dates = _dates(question, text, q, found) if date_col or year_col else []
    replaced: list[Match] = []
    if follow:
        found, dates, replaced = _followed(text, follow, table, dates)
    matches = _one_of_family(q, outside_headers(q, found, table), table)
    matches = _not_included(q, matches) + _unit_overlapping(q, matches, table)
    # Words inside a matched value ("Cluster" in "Falcon Cluster") or a date do not name a column.
    inside = {i for m in matches for i in range(m.start, m.end)}
    inside |= {i for d in dates for i in range(d.start, d.end)}
    inside |= {i for m in replaced for i in range(m.start, m.end)}
    blanks = blank_columns(q, table)  # "no end date": a filter on empty cells
    named = {m.column for m in matches} | {c for c, _, _ in blanks}
    blanks += [b for b in pending_blanks(q, table) if b[0] not in named]  # "not decided yet"
    inside |= {i for _, lo, hi in blanks for i in range(lo, hi)}
    refs = column_refs(" ".join(t for i, t in enumerate(q.orig) if i not in inside), table)
    noun = row_noun(table)
    ident = identifier(table)
    units = [m for m in matches if table.unit_column and m.column == table.unit_column]
    if not units and (money := _money_units(q, table)) is not None:
        matches.append(money)  # "worth more than $50,000": the dollar rows, not the token ones
        units = [money]
    # "how many SUs", "how many GPU hours": an amount is asked, not a number of rows.
    # "GPU hours" of a table with several amount columns ("classroom use" in an aside is none)
    words = asked_words(q, aside_tokens(text))
    # "in $K", "over $50,000": the tokens lose the sign, which names the dollar amounts
    words += " dollars " if "$" in text and "dollars" not in words else ""
    fits = asked_amounts(Tokens.of(words), table)
    chosen = fits[0] if len(fits) == 1 else None  # else the few it cannot tell apart
    if chosen:
        # "GPU hours … on Corvane" fits 'Corvane (GPU) Used': its words are the amount asked,
        # not text to find in a title or a note
        said = set(norm(chosen).split())
        matches = [
            m
            for m in matches
            if m.op != "contains" or not set(norm(str(m.values[0])).split()) <= said
        ]
    if amount_columns(table) and not chosen:
        refs = [r for r in refs if r not in amount_columns(table)]  # "hours" is no one column
    measure_named = bool(units or fits) or any(measure_like(table.column(r)) for r in refs)
    # "how many Talus hours has X been given": an amount in the Unit column's unit ("GPU hrs")
    asked = re.search(r" how (?:many|much) ((?:[\w-]+ ){1,3})", " " + " ".join(q.low) + " ")
    if table.unit_column and asked and not measure_named:
        heads = unit_heads(table)
        measure_named = any(singular(w) in heads or w in heads for w in asked.group(1).split())
    return Reading(
        text=text,
        q=q,
        words=frozenset(q.low),
        nq=" " + " ".join(q.low) + " ",
        matches=tuple(matches),
        dates=tuple(dates),
        date_col=date_col,
        year_col=year_col,
        inside=frozenset(inside),
        blanks=tuple(blanks),
        running=running_now(q, matches, table),
        refs=tuple(refs),
        noun=noun,
        rows_named=_rows_named(q, matches, bool(dates), noun, table, ident),
        ident=ident,
        id_match=any(m.column == ident for m in matches),
        units=tuple(units),
        fits=fits,
        chosen=chosen,
        measure_named=measure_named,
    )


def _values(text: str, q: Tokens, table: TableInfo) -> list[Match]:
    """The values named: cells, words searched in titles, statuses and kinds of platform."""
    found = find_values(text, table)
    # "titles that mention climate": the words are searched in the titles, not matched to a
    # title as a value, nor loosely to another column's value ("climate science")
    said = mentioned(q, table)
    found = [
        f
        for f in found
        if not any(overlap(f, m) and (f.column == m.column or not f.strong) for m in said)
    ] + said
    found += status_matches(q, table, found)  # "still waiting on a decision": Pending
    return kind_matches(q, table, found)  # "cloud allocations": every cloud platform


def _dates(question: str, text: str, q: Tokens, found: list[Match]) -> list[DateRange]:
    """The dates named, not a number that is an amount nor a year inside a named value."""
    return [
        d
        for d in find_dates(text)
        if not amount_not_year(question, q, d)
        # "call 2025-B": a year inside a named value is part of the name
        and not any(m.strong and m.start <= d.start and d.end <= m.end for m in found)
    ]


def _followed(
    text: str, follow: str, table: TableInfo, dates: list[DateRange]
) -> tuple[list[Match], list[DateRange], list[Match]]:
    """Values, dates and the replaced values when a follow-up is merged after its question."""
    # "Which awards went to Texas; and in Ohio?": Ohio replaces Texas, and a new date wins
    start = len(Tokens.of(text).low) - len(Tokens.of(follow).low)
    later = [shift(m, start) for m in find_values(follow, table)]
    kept = {m.column for m in later}
    before = find_values(text[: len(text) - len(follow)], table)
    replaced = [m for m in before if m.column in kept]
    found = [m for m in before if m.column not in kept] + later
    return found, sorted(dates, key=lambda d: d.start < start), replaced


def _money_units(q: Tokens, table: TableInfo) -> Match | None:
    """'dollars' of a Unit column that mixes dollar units with others ('Tokens'): the dollar
    ones, as a match on that column."""
    col = table.column(table.unit_column) if table.unit_column else None
    if col is None or "dollars" not in q.low:
        return None
    money = tuple(v for v in col.values if re.search(r"\busd\b|\$|dollar", v, re.I))
    if not money or len(money) == len(col.values):
        return None
    i = q.low.index("dollars")
    return Match(col.name, money, i, i + 1, 90.0, True)


def per_spelled(text: str, table: TableInfo) -> str:
    """'each student', 'every seat' → 'per student' when a column is headed 'Per Student'."""
    for c in table.columns:
        words = column_label(c.name).split()
        if c.numeric and len(words) == 2 and words[0] == "per":
            text = re.sub(
                rf"\b(?:each|every|a single|one)\s+({re.escape(words[1])})\b",
                r"per \1",
                text,
                flags=re.I,
            )
    return text


def _rows_named(
    q: Tokens, matches: list[Match], dated: bool, noun: str, table: TableInfo, ident: str = ""
) -> bool:
    """The question names the table's rows: a row word, a slip of one, an event noun, or the
    word for what its code column names ("which classes" of a roster keyed by Course)."""
    # "anything for Texas A&M?", "any HPC Startup requests": the rows of what is named
    # ("these requests" alone is the prose's subject)
    named = {"anything", "requests"} if any(m.strong for m in matches) or dated else set()
    said = set(q.low) & (ops.ROW_WORDS | {noun, noun.rstrip("s")} | named)
    if said or misspelt_rows(q, noun) or event_nouns(q, table):  # "approvals"
        return True
    inside = {i for m in matches for i in range(m.start, m.end)}
    key = ident or row_key(table)  # a roster's "Course" column names what each row is
    return bool(key) and any(
        key in column_refs(w, table)
        for i, w in enumerate(q.orig)
        if i not in inside and w.lower().endswith("s")  # a plural: the rows, not one code
    )


# "counting its supplement", "supplements included", "with its add-ons": the parts count too
_WITH_PARTS = re.compile(
    r"\b(?:counting|including|included|incl|with|plus|and)\b(?:\s+\w+){0,2}?\s+"
    r"(?:supplements?|add-?ons?|extensions?|parts?|children|sub-?awards?|renewals?)\b"
    r"|\b(?:supplements?|add-?ons?|parts?|sub-?awards?)\s+(?:included|counted|too)\b"
)


def _one_of_family(q: Tokens, matches: list[Match], table: TableInfo) -> list[Match]:
    """An id named in both the id column and its '<id> family' column (a parent row's id is
    its family's too): the family when the question counts the parts, else the row itself."""
    family = {c.name for c in table.columns if c.name.endswith(" family")}
    if not family:
        return matches
    parts = bool(_WITH_PARTS.search(" ".join(q.low)))
    fam = [m for m in matches if m.column in family]
    own = [m for m in matches if m.column + " family" in family]
    shared = {v for m in fam for v in m.values} & {v for m in own for v in m.values}
    if not shared:
        return matches
    drop = own if parts else fam
    return [m for m in matches if m not in drop or not set(m.values) & shared]


# "counting her supplement", "including renewals": what to add in, not what to keep
_INCLUDING = {"counting", "including", "incl", "plus"}


def _not_included(q: Tokens, matches: list[Match]) -> list[Match]:
    """Matches not named as something to count in ('… altogether, counting her supplement')."""
    out = []
    for m in matches:
        before = q.low[max(0, m.start - 3) : m.start]
        if any(w in _INCLUDING for w in before) and len(matches) > 1:
            continue
        # "AWS credits in all, pending awards included": counted in, not filtered on
        if set(q.low[m.end : m.end + 2]) & {"included", "too"} and len(matches) > 1:
            continue
        out.append(m)
    return out


def _unit_overlapping(q: Tokens, matches: list[Match], table: TableInfo) -> list[Match]:
    """'Corvid GPU hours': the unit 'GPU hours' shares 'GPU' with the resource 'Corvid GPU'
    that was matched first; the unit is named too, so an amount is asked."""
    col = table.column(table.unit_column) if table.unit_column else None
    if col is None or any(m.column == col.name for m in matches):
        return []
    for m in matches:
        for v in col.values:
            words = norm(v).split()
            n = len(words)
            for i in range(max(0, m.end - n + 1), min(m.end, len(q.low) - n + 1)):
                if list(q.low[i : i + n]) == words and i + n > m.end:
                    return [Match(col.name, spelled(table, col.name, (v,)), i, i + n, 90.0, True)]
    return []
