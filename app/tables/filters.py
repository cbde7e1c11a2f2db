"""Filters built from what a question names: values (or their exclusion) and date ranges."""

from __future__ import annotations

from app.tables.dates import DateRange
from app.tables.match import Match
from app.tables.spec import Filter


def value_filter(m: Match, negate: bool = False) -> Filter:
    """A value match as a filter; 'not X' excludes the value instead."""
    op = "not_in" if negate and m.op == "in" else m.op
    return Filter(column=m.column, op=op, values=m.values[:20])  # type: ignore[arg-type]


def date_filter(column: str, d: DateRange, years: bool = False, out: bool = False) -> Filter:
    """A date range as a filter (on whole years when the table has only a year column);
    `out` keeps the rows outside it ('not in 2024')."""
    if out and d.low and d.high:
        ends = (d.low.year, d.high.year) if years else (d.low.isoformat(), d.high.isoformat())
        return Filter(column=column, op="not_between", values=ends)
    if years:
        lo, hi = (d.low.year if d.low else None), (d.high.year if d.high else None)
        if lo and hi:
            return Filter(column=column, op="between", values=(lo, hi))
        return Filter(column=column, op="gte" if lo else "lte", values=(lo or hi or 0,))
    if d.low and d.high:
        return Filter(column=column, op="between", values=(d.low.isoformat(), d.high.isoformat()))
    if d.low:
        return Filter(column=column, op="gte", values=(d.low.isoformat(),))
    assert d.high is not None
    return Filter(column=column, op="lte", values=(d.high.isoformat(),))
