"""The planner's second step: what a question asks of the table it names.

Owns `Ask` and `ask`: the columns to group by, a rank or "the latest", and the operation
(list, count, sum …), whether a word says it or it follows from what is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import app.tables.ops as ops
from app.tables.asides import asked_words, polite_asks
from app.tables.columns import (
    asked_column,
    counts_measure,
    counts_things,
    distinct_column,
    grouped_columns,
    named_measure,
    what_names_column,
)
from app.tables.cues import ANY_ROWS, ANYONE, BEEN_GIVEN
from app.tables.gate import names_table, unit_heads
from app.tables.headers import Tokens, canon, column_label
from app.tables.kindnouns import event_nouns, lower_case, verb_of
from app.tables.match import Match
from app.tables.parts import clauses, context_tokens
from app.tables.reading import Reading
from app.tables.roles import dated_event, default_measure, holder_column
from app.tables.shares import exact_shares
from app.tables.spec import Filter, Operation
from index.tables import TableInfo

# "what did X get / use", "how much did Leonardo give out / hand out"
_DID = {"get", "receive", "use", "obtain", "have", "give", "hand", "award", "allocate", "grant"}
_SPREAD = re.compile(
    r" (?:breakdown|broken down|break down|distribution|distributed|split|spread) "
)
_EXISTS = re.compile(r"^ (?:are|were|is|was) there (?:any|some|a|an) ")
_TO = {"for", "to"}
# Words opening a question (a fragment such as "GPU hours for X" has none).
_ASKS = {"what", "which", "how", "who", "when", "where", "why", "is", "are", "does", "do", "can"}
_EACH = re.compile(r" (each|apiece|respectively|individually) ")

Rank = tuple[int, int | None, str, bool]  # position, how many, order, ranked by row count


@dataclass(frozen=True)
class Ask:
    """What the question asks of one table, and the readings of it the later steps need."""

    op: Operation
    matches: tuple[Match, ...]  # the named values that filter rows
    group: tuple[str, ...]  # columns to group by
    shown: tuple[str, ...]  # columns listed with the rows ("list each institution's awards")
    period: str | None  # "per year", "which month": how a grouped date column is grouped
    asked: str  # the column whose values are asked, or ""
    min_rows: int | None  # "more than one award": groups with at least this many rows
    rank: Rank | None
    newest: str | None  # "the latest award": ranked by this date column
    distinct: str | None  # the column whose distinct values are counted
    starts: frozenset[str]  # the words opening its clauses
    listing: bool  # rows or values are asked for ("which", "list", "show")
    by_count: bool  # ranked by how many rows
    did_get: bool  # "what did X get", "what has X been awarded"
    shares: tuple[Filter, ...]  # "100% used"
    bounded: bool  # a bound on an amount ("more than 5 TB") or a share
    projects: bool  # the word "project(s)"
    dated: bool  # "what's due to end in March": rows starting or ending then
    explicit: bool  # the table itself is named ("in the table", its title)
    filtered: bool  # some condition narrows the rows


def ask(r: Reading, table: TableInfo) -> Ask | None:
    """What the question asks, or None when no operation is asked or follows."""
    group, matches, period, asked, min_rows = _grouping(r, table)
    rank, newest = _ranking(r, table)
    op, distinct = _op_said(r, table, rank)
    starts = {Tokens.of(c).low[0] for c in clauses(r.text) if Tokens.of(c).low}
    starts |= polite_asks(r.q)  # "can you list …" opens a request as "list …" does
    listing = bool(r.words & ops.LIST or starts & ops.OPENERS)
    listing = listing or what_names_column(r.q, table, r.noun)
    op = op or _summed(r, matches, listing)
    # "what did X get", "what has X been awarded"
    did_get = ("did" in r.words and bool(r.words & _DID)) or bool(BEEN_GIVEN.search(r.nq))
    # "what does Univ of Wrenfield have on the report": a holder's rows, asked in the present
    # (of a resource, "what does Delta have" asks its hardware, which prose describes)
    holders = [m for m in matches if m.strong]
    did_get = did_get or bool(
        starts & {"what", "which"}
        and r.words & {"does", "do"}
        and r.words & {"have", "hold", "get"}
        and any(holder_column(table, m.column, r.ident) for m in holders)
    )
    shown: list[str] = []
    spread = _SPREAD.search(r.nq) is not None  # "a breakdown by country": amounts, not rows
    if op is None and group and starts & {"list", "show", "give", "name"} and not spread:
        op, shown, group = "list", group, []  # "list each institution's awards": rows
    # "more than 5 TB", "under 1000 SUs": a bound on a named amount is a filter too
    amount = r.chosen or named_measure(r.refs, table, r.year_col)
    # "worth more than $50,000" of a Credit Type column of "… (USD)": the amount column
    unit_said = bool(table.unit_column) and bool(set(r.q.low) & unit_heads(table))
    amount = amount or (default_measure(table) if r.units or unit_said else None)
    shares = exact_shares(r.text, table, amount)  # "100% used"
    bounded = bool(ops.bounds(r.nq, amount, counts_things(table, amount)) or shares)
    # "what's due to end in March", "what was approved since September"
    dated = bool(r.dates and starts & {"what", "which"}) and (
        dated_event(r.nq) or verb_of(r.q, table)
    )
    # "whose last activity was in 2025", "which awards have an end date in 2026": the
    # question names the date column itself beside the date
    dated = dated or bool(
        r.dates and starts & {"what", "which", "who", "whose"} and r.date_col in r.refs
    )
    op = op or _implied(r, matches, group, listing, did_get, bounded, dated)
    if op is None:
        return None
    return Ask(
        op=op,
        matches=tuple(matches),
        group=tuple(group),
        shown=tuple(shown),
        period=period,
        asked=asked,
        min_rows=min_rows,
        rank=rank,
        newest=newest,
        distinct=distinct,
        starts=frozenset(starts),
        listing=listing,
        by_count=rank is not None and rank[3],
        did_get=did_get,
        shares=tuple(shares),
        bounded=bounded,
        projects=bool(r.words & {"project", "projects"}),
        dated=dated,
        explicit=bool(r.words & ops.EXPLICIT) or names_table(r.q, table),
        filtered=bool(matches or r.dates or bounded or r.blanks or r.running),
    )


def _grouping(
    r: Reading, table: TableInfo
) -> tuple[list[str], list[Match], str | None, str, int | None]:
    """The columns grouped by, the values left to filter, the period, the asked column and
    the fewest rows a group must have."""
    group = grouped_columns(r.q, table, r.matches)
    # "each of the on-prem clusters": a loose lower-case word only picks the column to group
    # by ("each of the HPC programs" keeps HPC's programs)
    matches = [m for m in r.matches if m.strong or m.column not in group or not lower_case(r.q, m)]
    dated = r.date_col or r.year_col
    # "Need it for the quarterly report": a period in a clause that asks nothing groups nothing
    period = ops.period(asked_words(r.q, context_tokens(r.text))) if dated else None
    if period and dated not in group and not _said(period, group):
        group.append(dated)  # "awards per year", "which month had the most"
    asked = asked_column(r.q, table, r.ident)
    min_rows = ops.rows_bound(r.nq) if asked else None
    if min_rows and not group:
        group = [asked]  # "which institutions have more than one award": rows per institution
    return group, matches, period, asked, min_rows


def _said(period: str, group: list[str]) -> bool:
    """A grouped column already names the period ('by quarter' found 'FY Qtr')."""
    return any(period in canon(column_label(g)).split() for g in group)


def _ranking(r: Reading, table: TableInfo) -> tuple[Rank | None, str | None]:
    """A rank the question asks ('the third largest'), and the date column of 'the latest'."""
    rank = ops.rank(r.q)
    if rank and r.words & {"most", "fewest"} and event_nouns(r.q, table):  # "the most approvals"
        rank = (*rank[:3], True)
    newest = ops.recency(r.nq, r.noun) if r.date_col and rank is None else None
    if newest:
        rank = (1, ops.recency_count(r.nq), newest, False)  # "the latest award": by date
    return rank, newest


def _op_said(
    r: Reading, table: TableInfo, rank: Rank | None
) -> tuple[Operation | None, str | None]:
    """The operation a word says ('how many', 'total', a rank), and a column counted distinct."""
    op: Operation | None = ops.operation(r.nq)
    if op == "count" and counts_measure(r.q, r.inside, table, r.units):
        op = "sum"
    distinct = distinct_column(r.q, table, r.noun, r.ident) if op == "count" else None
    if rank is not None:
        op = "rank"
    return op, distinct


def _summed(r: Reading, matches: list[Match], listing: bool) -> Operation | None:
    """'how much did X receive', 'GPU hours for the Great Lakes folks': amounts added up."""
    if " how much " in r.nq and not listing and not _EACH.search(r.nq):
        return "sum"  # "how much did X receive": the amounts added up, per unit
    # "GPU hours for the Great Lakes folks": an amount given to a named thing ("GPU hours on
    # Delta" may ask what Delta offers, which prose describes)
    given = any(m.strong and set(r.q.low[max(0, m.start - 2) : m.start]) & _TO for m in matches)
    if r.measure_named and given and len(r.q.low) <= 8 and not r.words & _ASKS:
        return "sum"
    return None


def _implied(
    r: Reading,
    matches: list[Match],
    group: list[str],
    listing: bool,
    did_get: bool,
    bounded: bool,
    dated: bool,
) -> Operation | None:
    """The operation no word says but what is named implies, or None."""
    if listing or group:
        # "node-hours broken down by resource", "what did each institution get" ask amounts;
        # "awards by resource" asks counts
        got = did_get or bool(r.words & {"got", "received", "given", "awarded"})
        return ("sum" if r.measure_named or got else "count") if group else "list"
    strong = any(m.strong for m in matches)
    short = len(r.q.low) <= 8 or _EXISTS.search(r.nq) is not None
    if (
        r.rows_named
        and (short or ANY_ROWS.search(r.nq) is not None)
        and (strong or r.dates or bounded)
    ):
        return "list"  # "awards from NE", "are there any X awards" (a long order is neither)
    if ANYONE.search(r.nq) and (strong or r.dates or bounded):
        return "list"  # "has anyone gone past their award": the rows that have
    if (r.words & ops.PAST or did_get) and strong:
        return "list"  # "what did <institution> get?": its rows
    if dated:
        return "list"  # "what's due to end in March": the rows whose end date falls there
    return None
