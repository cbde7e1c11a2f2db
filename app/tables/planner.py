"""Question → query spec without a model: what the question names, what it asks, and whether to.

The planner answers only on strong evidence — an operation word (which, how many, total,
largest, per …) together with values of the table or an explicit reference to its rows
(awards, allocations, the table) — so prose questions go to the passages as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import app.tables.ops as ops
from app.tables.amounts import amount_columns, asked_amounts, given_columns, other_units
from app.tables.asides import aside_tokens, asked_words, polite_asks
from app.tables.clouds import kind_matches
from app.tables.columns import (
    asked_column,
    attribute_column,
    blank_columns,
    count_column,
    counts_measure,
    distinct_column,
    grouped_columns,
    mentioned,
    named_measure,
    outside_headers,
    ranked_subject,
    what_names_column,
)
from app.tables.cues import (
    ANY_ROWS,
    BEEN_GIVEN,
    all_rows,
    amount_asked,
    fragment,
    lists_values,
    misspelt_rows,
    numbers,
    overlap,
    place,
    sums_per,
)
from app.tables.dates import amount_not_year, find_dates
from app.tables.filters import date_filter, value_filter
from app.tables.fiscal import as_written
from app.tables.gate import ABSENT, asks_elsewhere, names_something_else, names_table, unknown_head
from app.tables.headers import Tokens, canon, column_label, column_refs
from app.tables.kindnouns import event_nouns, lower_case, verb_of
from app.tables.matching import Match, find_values
from app.tables.parts import (
    asks,
    clauses,
    context_tokens,
    follows_up,
    sentence_starts,
    shift,
    tabular,
)
from app.tables.roles import (
    date_columns,
    dated_event,
    default_measure,
    identifier,
    measure_like,
    row_noun,
    span_columns,
)
from app.tables.shares import exact_shares, in_percent
from app.tables.spec import Filter, Operation, QuerySpec
from app.tables.statuses import status_matches
from index.tables import TableInfo

# Words that say the question is about the rows of an allocation table.
# "what did X get / use", "how much did Leonardo give out / hand out"
_DID = {"get", "receive", "use", "obtain", "have", "give", "hand", "award", "allocate", "grant"}
_PERSONAL = {"i", "me", "my", "we", "our", "you", "your", "im"}
_MODAL = {"can", "could", "should", "would", "may", "might", "must", "need", "eligible", "apply"}
_SPREAD = re.compile(
    r" (?:breakdown|broken down|break down|distribution|distributed|split|spread) "
)
_RUNNING = re.compile(r" (?:running|active|ongoing|underway|in progress|live|current) ")
_EXISTS = re.compile(r"^ (?:are|were|is|was) there (?:any|some|a|an) ")
_TO = {"for", "to"}
# Words opening a question (a fragment such as "GPU hours for X" has none).
_ASKS = {"what", "which", "how", "who", "when", "where", "why", "is", "are", "does", "do", "can"}
_EACH = re.compile(r" (each|apiece|respectively|individually) ")
# Words of rules and offers: "the largest allocation available", "the minimum the pilot offers"
_POLICY = re.compile(
    r" (available|offer|offers|offered|possible|allowed|permitted|maximum|minimum|cap|limit|"
    r"cost|costs|price|fee|fees|pay|charged|free) "
)


@dataclass(frozen=True)
class Plan:
    """A spec for one table and why the planner thinks the question asks the table."""

    spec: QuerySpec
    table: TableInfo
    evidence: tuple[str, ...]
    partial: bool = False  # the question also asks something the table cannot answer
    also: tuple[QuerySpec, ...] = ()  # the same query on the table's other amount columns


def plan_question(question: str, tables: list[TableInfo]) -> Plan | None:
    """The best plan over the tables, or None when the question is not a table question."""
    plans = [p for t in tables if (p := _plan_parts(question, t)) is not None]
    return max(plans, key=lambda p: len(p.evidence), default=None)


def _plan_parts(question: str, table: TableInfo) -> Plan | None:
    """Plan the whole question, or only its table parts when another part asks the prose."""
    first, semi, then = question.rpartition(";")
    if semi and first.strip() and follows_up(then, table) and _plan(first, table):
        return _plan(question, table, then)  # a follow-up merged after its question
    # "He's in civil engineering.", "need to chase renewals": a statement asks nothing, so it
    # is context for the question beside it, never a prose part left unanswered
    parts = [p for p in clauses(question) if asks(p, question)]
    asked = [p for p in parts if tabular(p, table)]
    if len(parts) > 1 and asked and len(asked) < len(parts):
        plan = _plan(" ".join(asked), table)
        return Plan(plan.spec, plan.table, plan.evidence, True, plan.also) if plan else None
    return _plan(question, table)


def _plan(question: str, table: TableInfo, follow: str = "") -> Plan | None:
    """Plan against one table; `follow` is a follow-up merged after it, whose values win."""
    text = in_percent(as_written(numbers(question), table), table)
    q = Tokens.of(text)
    words = set(q.low)
    nq = " " + " ".join(q.low) + " "
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
    found = kind_matches(q, table, found)  # "cloud allocations": every cloud platform
    replaced: list[Match] = []
    date_col, year_col = date_columns(table, q.low)
    dates = find_dates(text) if date_col or year_col else []
    dates = [
        d
        for d in dates
        if not amount_not_year(question, q, d)
        # "call 2025-B": a year inside a named value is part of the name
        and not any(m.strong and m.start <= d.start and d.end <= m.end for m in found)
    ]
    if follow:
        # "Which awards went to Texas; and in Ohio?": Ohio replaces Texas, and a new date wins
        start = len(Tokens.of(text).low) - len(Tokens.of(follow).low)
        later = [shift(m, start) for m in find_values(follow, table)]
        kept = {m.column for m in later}
        before = find_values(text[: len(text) - len(follow)], table)
        replaced = [m for m in before if m.column in kept]
        found = [m for m in before if m.column not in kept] + later
        dates = sorted(dates, key=lambda d: d.start < start)
    matches = outside_headers(q, found, table)
    # Words inside a matched value ("Cluster" in "Falcon Cluster") or a date do not name a column.
    inside = {i for m in matches for i in range(m.start, m.end)}
    inside |= {i for d in dates for i in range(d.start, d.end)}
    inside |= {i for m in replaced for i in range(m.start, m.end)}
    blanks = blank_columns(q, table)  # "no end date": a filter on empty cells
    inside |= {i for _, lo, hi in blanks for i in range(lo, hi)}
    refs = column_refs(" ".join(t for i, t in enumerate(q.orig) if i not in inside), table)
    noun = row_noun(table)
    # "anything for Texas A&M?", "any HPC Startup requests": the rows of what is named
    # ("these requests" alone is the prose's subject)
    named = {"anything", "requests"} if any(m.strong for m in matches) or dates else set()
    rows_named = words & (ops.ROW_WORDS | {noun, noun.rstrip("s")} | named)
    rows_named = rows_named or misspelt_rows(q, noun) or event_nouns(q, table)  # "approvals"
    ident = identifier(table)
    id_match = any(m.column == ident for m in matches)
    units = [m for m in matches if table.unit_column and m.column == table.unit_column]
    # "how many SUs", "how many GPU hours": an amount is asked, not a number of rows.
    # "GPU hours" of a table with several amount columns ("classroom use" in an aside is none)
    fits = asked_amounts(Tokens.of(asked_words(q, aside_tokens(text))), table)
    chosen = fits[0] if len(fits) == 1 else None  # else the few it cannot tell apart
    if amount_columns(table) and not chosen:
        refs = [r for r in refs if r not in amount_columns(table)]  # "hours" is no one column
    measure_named = bool(units or fits) or any(measure_like(table.column(r)) for r in refs)

    group = grouped_columns(q, table, matches)
    # "each of the on-prem clusters": a loose lower-case word only picks the column to group
    # by ("each of the HPC programs" keeps HPC's programs)
    matches = [m for m in matches if m.strong or m.column not in group or not lower_case(q, m)]
    # "Need it for the quarterly report": a period in a clause that asks nothing groups nothing
    period = ops.period(asked_words(q, context_tokens(text))) if date_col or year_col else None
    if period and (date_col or year_col) not in group and not _said(period, group):
        group.append(date_col or year_col)  # "awards per year", "which month had the most"
    asked = asked_column(q, table, ident)
    min_rows = ops.rows_bound(nq) if asked else None
    if min_rows and not group:
        group = [asked]  # "which institutions have more than one award": rows per institution
    rank = ops.rank(q)
    if rank and words & {"most", "fewest"} and event_nouns(q, table):  # "the most approvals"
        rank = (*rank[:3], True)
    newest = ops.recency(nq, noun) if date_col and rank is None else None
    if newest:
        rank = (1, ops.recency_count(nq), newest, False)  # "the latest award": by date
    op: Operation | None = ops.operation(nq)
    if op == "count" and counts_measure(q, inside, table, units):
        op = "sum"
    distinct = distinct_column(q, table, noun, ident) if op == "count" else None
    if rank is not None:
        op = "rank"
    starts = {Tokens.of(c).low[0] for c in clauses(text) if Tokens.of(c).low}
    starts |= polite_asks(q)  # "can you list …" opens a request as "list …" does
    listing = bool(words & ops.LIST or starts & ops.OPENERS) or what_names_column(q, table, noun)
    by_count = rank is not None and rank[3]
    if op is None and " how much " in nq and not listing and not _EACH.search(nq):
        op = "sum"  # "how much did X receive": the amounts added up, per unit
    # "GPU hours for the Great Lakes folks": an amount given to a named thing ("GPU hours on
    # Delta" may ask what Delta offers, which prose describes)
    given = any(m.strong and set(q.low[max(0, m.start - 2) : m.start]) & _TO for m in matches)
    if op is None and measure_named and given and len(q.low) <= 8 and not words & _ASKS:
        op = "sum"
    # "what did X get", "what has X been awarded"
    did_get = ("did" in words and bool(words & _DID)) or bool(BEEN_GIVEN.search(nq))
    shown: list[str] = []
    spread = _SPREAD.search(nq) is not None  # "a breakdown by country": amounts, not rows
    if op is None and group and starts & {"list", "show", "give", "name"} and not spread:
        op, shown, group = "list", group, []  # "list each institution's awards": rows
    if op is None and (listing or group):
        # "node-hours broken down by resource", "what did each institution get" ask amounts;
        # "awards by resource" asks counts
        got = did_get or bool(words & {"got", "received", "given", "awarded"})
        op = ("sum" if measure_named or got else "count") if group else "list"
    # "more than 5 TB", "under 1000 SUs": a bound on a named amount is a filter too
    amount = chosen or named_measure(refs, table, year_col)
    amount = amount or (default_measure(table) if units else None)
    shares = exact_shares(text, table, amount)  # "100% used"
    bounded = bool(ops.bounds(nq, amount) or shares)
    if (
        op is None
        and rows_named
        and (len(q.low) <= 8 or _EXISTS.search(nq) is not None or ANY_ROWS.search(nq) is not None)
        and (any(m.strong for m in matches) or dates or bounded)
    ):
        op = "list"  # "awards from NE", "are there any X awards" (a long order is neither)
    projects = bool(words & {"project", "projects"})
    if op is None and (words & ops.PAST or did_get) and any(m.strong for m in matches):
        op = "list"  # "what did <institution> get?": its rows
    # "what's due to end in March", "what was approved since September"
    dated = bool(dates and starts & {"what", "which"}) and (dated_event(nq) or verb_of(q, table))
    if op is None and dated:
        op = "list"  # "what's due to end in March": the rows whose end date falls there
    if op is None or ABSENT.search(nq) or asks_elsewhere(q, nq, inside, table):
        return None
    strong = {i for m in matches if m.strong for i in range(m.start, m.end)}
    head = unknown_head(q, strong | {i for d in dates for i in range(d.start, d.end)}, table)
    # "how many requests are pending": requests of a named status are rows; "how many
    # requests did the pilot receive in 2024" asks about every request, which prose counts
    if head and not (head in ("requests", "request") and strong):
        return None  # "how many terabytes of storage …": no column holds what is asked

    # The gate: strong evidence only, so prose questions keep going to the passages.
    filtered = bool(matches or dates or bounded or blanks)
    strong_value = any(m.strong for m in matches) or bool(dates)
    explicit = bool(words & ops.EXPLICIT) or names_table(q, table)
    # "show me", "list … for me": a request for rows, not a personal situation
    request = bool(starts & ops.OPENERS)
    # "we're planning the maintenance window", "our office wants to know", "can you": the
    # scene and the courtesy around an ask are no personal situation
    scene = aside_tokens(text)
    personal = {
        w
        for i, w in enumerate(q.low)
        if w in _PERSONAL
        and i not in scene
        and not (w == "me" and (request or (i and q.low[i - 1] in ops.OPENERS)))
    }
    aside = inside | context_tokens(text) | scene  # not "May 2025", nor "need to chase …"
    modal = {w for i, w in enumerate(q.low) if w in _MODAL and i not in aside}
    # "I need the core-hour totals broken down by field": a request for a named amount per
    # group is a report asked of the table ("can I get … per …" still asks a rule)
    report = bool(group) and measure_named and not modal - {"need"}
    veto = bool(personal or modal) and not (explicit or id_match or report)
    evidence: list[str] = []
    if id_match and (refs or listing):
        evidence.append("identifier")
    elif veto or names_something_else(q, inside, table, sentence_starts(text)):
        return None
    elif _POLICY.search(nq) and not (
        explicit or dates or any(m.strong for m in matches if m not in units)
    ):
        return None  # "the largest allocation available": a rule of the program, not a row
    elif rows_named and (filtered or group or by_count or explicit or op in ("list", "rank")):
        evidence.append("rows named")
    elif (words & ops.PAST or did_get) and (
        any(m.strong for m in matches) or (matches and refs) or bounded or (dates and projects)
    ):
        evidence.append("past-tense verb")
    elif explicit and (group or filtered) and op != "list":
        evidence.append("table named")
    elif op != "list" and strong_value and refs:
        evidence.append("aggregate over named values")
    elif (
        op in ("sum", "average", "rank", "count")
        and fragment(q)
        and any(m.strong for m in matches if m not in units)
    ):
        evidence.append("short ask about named rows")  # "anvil totals", "how many pending"
    elif measure_named and amount_asked(op, strong_value or bool(group), bounded, listing):
        evidence.append("measure named")
    elif distinct and (explicit or rows_named or words & {"different", "distinct", "unique"}):
        evidence.append("distinct values")
    elif asked and (explicit or rows_named) and lists_values(nq):
        evidence.append("values of a column")
    elif (listing or all_rows(words, starts)) and any(place(m, table) for m in matches):
        evidence.append("place named")  # "who is from Texas", "list everyone from Louisiana"
    elif (
        listing
        and (attr := asked or attribute_column(q, table, ident))
        and any(m.strong and m.column != attr for m in matches)
    ):
        evidence.append("column of named rows")  # "what state is Bayou State University in"
    elif dated and op == "list":
        evidence.append("rows starting or ending then")
    elif op in ("sum", "count", "average") and group and fragment(q):
        evidence.append("short ask per a column")  # "total per state"
    elif rank is not None and measure_named and ranked_subject(q, table, ident):
        evidence.append("groups ranked by an amount")  # "top 5 institutions by GPU hours"
    else:
        return None
    whole = bool(distinct or op == "rank" or measure_named or evidence == ["values of a column"])
    values_asked = bool(asked) and lists_values(nq)  # "what kinds of programs show up"
    if op == "list" and not (
        filtered or group or explicit or values_asked or all_rows(words, starts)
    ):
        return None  # "who reviews allocation requests": no row is named, none is asked
    if not (filtered or group or by_count or op == "list" or explicit or whole):
        return None  # "total of all awards": the table is a sample, not every award ever made
    evidence += [f"value {m.column}" for m in matches] + ["date"] * bool(dates)

    measure = chosen or named_measure(refs, table, year_col) or (fits or [None])[0]
    measure = measure or default_measure(table)
    bounds = ops.bounds(nq, measure)  # always on an amount, even when dates are ranked
    if newest:
        measure = date_col
    filters = [value_filter(m, ops.negated(q, m.start)) for m in matches]
    span = span_columns(table) if _RUNNING.search(nq) else None
    if span and dates and not ops.negated(q, dates[0].start):
        # "still running on 1 January 2026", "active in 2025": started by its end, ended after
        # its start
        d = dates[0]
        if d.high:
            filters.append(Filter(column=span[0], op="lte", values=(d.high.isoformat(),)))
        if d.low:
            filters.append(Filter(column=span[1], op="gte", values=(d.low.isoformat(),)))
    else:
        filters += [
            date_filter(date_col or year_col, d, not date_col, ops.negated(q, d.start))
            for d in dates[:1]
        ]
    filters += bounds + shares
    filters += [Filter(column=c, op="empty") for c, _, _ in blanks]
    position, top, order = 1, None, "desc"
    group_by: tuple[str, ...] = tuple(group)
    if distinct:
        op, group_by = "distinct", (distinct,)
    elif op == "list" and asked and not filters and (lists_values(nq) or explicit):
        op, group_by = "distinct", (asked,)  # "which resources appear in the table"
    if rank is not None:
        position, top, order, _ = rank
        subject = group_by[0] if group_by else ranked_subject(q, table, ident)
        counted = by_count or bool(re.search(r" by (?:the )?(?:number|count) of ", nq))
        if counted or (measure is None):
            col = subject or count_column(refs, table, ident)
            if col is None:
                return None
            op, group_by, top = "count", (col,), top or 1
        elif subject and not group_by and sums_per(q, nq, measure_named):
            # "which institution got the most SUs (in total)", "rank institutions by total
            # credits": amounts added up per institution, largest first
            op, group_by, top = "sum", (subject,), top or 1
    if op in ("sum", "average", "rank") and measure is None:
        op = "count"
    spec = QuerySpec(
        table=table.doc_id,
        operation=op,
        filters=tuple(filters),
        measure=measure if op in ("sum", "average", "rank") or top else None,
        group_by=group_by,
        order=order,  # type: ignore[arg-type]
        position=position,
        top=top,
        columns=tuple(dict.fromkeys([*refs, *shown])),
        min_count=min_rows if op == "count" and group_by else None,
        period=period if (date_col or year_col) in group_by else None,  # type: ignore[arg-type]
    )
    also = other_units(spec, table, bool(chosen), fits or given_columns(q, table))
    return Plan(spec, table, tuple(evidence), also=also)


def _said(period: str, group: list[str]) -> bool:
    """A grouped column already names the period ('by quarter' found 'FY Qtr')."""
    return any(period in canon(column_label(g)).split() for g in group)
