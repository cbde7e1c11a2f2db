"""The planner's last step: the query spec from what a question names and asks.

Owns `build_spec`: the measure, the filters (values, dates or a running span, bounds, shares,
empty cells), and how a rank becomes a sorted, counted or summed query.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import app.tables.ops as ops
from app.tables.amounts import consumed_column
from app.tables.asking import Ask
from app.tables.columns import (
    count_column,
    counts_things,
    named_measure,
    per_row_count,
    ranked_subject,
)
from app.tables.cues import lists_values, sums_per
from app.tables.filters import date_filter, value_filter
from app.tables.reading import Reading
from app.tables.roles import dated_event, default_measure, end_column, span_columns
from app.tables.shares import left_pair, percent_bounds
from app.tables.spec import OPEN_START, Filter, Operation, QuerySpec
from index.tables import TableInfo

_RUNNING = re.compile(r" (?:running|active|ongoing|underway|in progress|live|current) ")


def build_spec(r: Reading, a: Ask, table: TableInfo) -> QuerySpec | None:
    """The spec for an accepted question, or None when a rank has no column to count by."""
    # "how many node-hours were used": the one Used column beats the Allocated one the unit
    # also names
    measure = r.chosen or consumed_column(r.q, table)
    measure = measure or named_measure(r.refs, table, r.year_col, r.q)
    measure = measure or (r.fits or [None])[0] or default_measure(table)
    left = left_pair(set(r.q.low), table)  # "total remaining", with no Remaining column
    less = None
    if left and not a.newest:
        measure, less = left
    # always on an amount, even when dates are ranked
    bounds = ops.bounds(r.nq, measure, counts_things(table, measure))
    bounds = percent_bounds(bounds, r.text, table)  # "over 90% used": on the share column
    if less and a.op in ("list", "count"):
        # "which allocations have fewer than 20,000 SUs left": the bound is on what is left
        bounds = [
            b.model_copy(update={"less": less}) if b.column == measure and not b.of else b
            for b in bounds
        ]
    if a.newest:
        measure = r.date_col
    filters = [*_named_filters(r, a, table), *bounds, *a.shares]
    filters += [Filter(column=c, op="empty") for c, _, _ in r.blanks]
    op, group_by = a.op, a.group
    count_of = None
    if a.distinct and op == "count" and group_by:
        count_of = a.distinct  # "how many allocations does each resource have": per group
    elif a.distinct:
        op, group_by = "distinct", (a.distinct,)
    elif op == "list" and a.asked and not filters and (lists_values(r.nq) or a.explicit):
        op, group_by = "distinct", (a.asked,)  # "which resources appear in the table"
    position, top, order = 1, None, "desc"
    if a.rank is not None:
        position, top, order, _ = a.rank
        ranked = _ranked(r, a, table, measure, group_by)
        if ranked is None:
            return None
        if ranked[0] is not None:
            op, group_by, top = ranked[0], ranked[1], top or 1
        said = [c for w in r.q.low if w in ops.ROW_WORDS and (c := per_row_count(w, table))]
        if op == "count" and said:
            op, measure = "sum", said[0]  # "the most awards" of a summary's Awards column
    if op in ("sum", "average", "rank") and measure is None:
        op = "count"
    dated = r.date_col or r.year_col
    return QuerySpec(
        table=table.doc_id,
        operation=op,
        filters=tuple(filters),
        measure=measure if op in ("sum", "average", "rank") or top else None,
        group_by=group_by,
        order=order,  # type: ignore[arg-type]
        position=position,
        top=top,
        columns=tuple(dict.fromkeys([*r.refs, *a.shown])),
        min_count=a.min_rows if op == "count" and group_by else None,
        count_of=count_of,
        less=less,
        period=a.period if dated in group_by else None,  # type: ignore[arg-type]
    )


def _named_filters(r: Reading, a: Ask, table: TableInfo) -> list[Filter]:
    """Filters on the named values, then on the first date (or a running span over it)."""
    filters = [value_filter(m, ops.negated(r.q, m.start)) for m in a.matches]
    # "active classes that wrap up before …": the date is of the ending, and "active" a status
    span = span_columns(table) if _RUNNING.search(r.nq) and not dated_event(r.nq) else None
    if span and r.dates and not ops.negated(r.q, r.dates[0].start):
        # "still running on 1 January 2026", "active in 2025": started by its end, ended after
        # its start
        d = r.dates[0]
        # ... and the running word is that span, not a status value ("Active" today)
        said = [i for i, w in enumerate(r.q.low) if _RUNNING.search(f" {w} ")]
        kept = [m for m in a.matches if not any(m.start <= i < m.end for i in said)]
        filters = [value_filter(m, ops.negated(r.q, m.start)) for m in kept]
        if d.high:
            filters.append(Filter(column=span[0], op="lte", values=(d.high.isoformat(),)))
        if d.low:
            filters.append(Filter(column=span[1], op="gte", values=(d.low.isoformat(),)))
        return filters
    if r.running and not r.dates:
        filters += _running_now(table)  # "still active" with no status column to say so
    return filters + [
        date_filter(r.date_col or r.year_col, d, not r.date_col, ops.negated(r.q, d.start))
        for d in r.dates[:1]
    ]


def _running_now(table: TableInfo) -> list[Filter]:
    """Rows still running on the table's as-of day: an end date not before it (an open end
    counts as running) and, given a start column, a start by then."""
    day = date.fromisoformat(table.as_of)
    end = end_column(table)
    col = table.column(end)
    if col is not None and col.format and "d" not in col.format:
        day = day.replace(day=1)  # "Nov 2025" ends with November, so it runs on 30 November
    out = [Filter(column=end, op="not_between", values=(OPEN_START, str(day - timedelta(1))))]
    span = span_columns(table)
    if span:
        out.append(Filter(column=span[0], op="lte", values=(table.as_of,)))
    return out


def _ranked(
    r: Reading, a: Ask, table: TableInfo, measure: str | None, group_by: tuple[str, ...]
) -> tuple[Operation | None, tuple[str, ...]] | None:
    """How a rank is computed: rows counted per a column, amounts summed per a subject, or
    (None, …) for rows sorted by the measure; None when there is nothing to count by."""
    subject = group_by[0] if group_by else ranked_subject(r.q, table, r.ident)
    counted = a.by_count or bool(re.search(r" by (?:the )?(?:number|count) of ", r.nq))
    if counted or (measure is None):
        col = subject or count_column(r.refs, table, r.ident)
        if col is None:
            return None
        return "count", (col,)
    if subject and not group_by and sums_per(r.q, r.nq, r.measure_named):
        # "which institution got the most SUs (in total)", "rank institutions by total
        # credits": amounts added up per institution, largest first
        return "sum", (subject,)
    return None, group_by
