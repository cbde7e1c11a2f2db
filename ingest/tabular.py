"""Typed tables from CSV cells: column types, units and categories; odd cells warn, never fail."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ingest.cells import parse_number, placeholder
from ingest.headers import (
    CURRENCIES,
    ID_HEADER,
    clock_hours,
    header_scale,
    header_unit,
    times_scale,
)
from ingest.types import Column, Table

# A column is typed as numbers or dates when at least this share of its filled cells parse;
# the rest are left empty in the typed table (the row passages keep the text) with a warning.
_TYPED_SHARE = 0.8
_MAX_CATEGORIES = 1000
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    # A month alone ("2025-03", "March 2025") is kept as its first day.
    "%Y-%m",
    "%B %Y",
    "%b %Y",
)
# All-number dates ('03/04/2025', '3.4.25'): which field is the day is decided per column.
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
DAY_FIRST, MONTH_FIRST = "day-first", "month-first"
_UNIT_COLUMN = re.compile(r"^(unit|units)$|(^|_|\s)units?$", re.I)
# A cell that names a unit of allocation and nothing else ("Cloud credits (USD)", "Tokens").
_UNIT_CELL = re.compile(
    r"^(?:[a-z]+\s+)?(?:credits?|tokens?|dollars?|usd|(?:gpu|node|core|cpu)[- ]?(?:hours?|hrs?|h)|"
    r"sus?|service units|tb|gb)(?:\s*\((?:usd|eur|gbp|\$)\))?$",
    re.I,
)


def _units_only(cells: list[str]) -> bool:
    """A few distinct values, every one a unit: the column says each row's unit."""
    values = {c.strip() for c in cells if c and c.strip()}
    return 2 <= len(values) <= 6 and all(_UNIT_CELL.match(v) for v in values)


def parse_date(text: str, order: str = MONTH_FIRST) -> date | None:
    """An ISO or common written date ('2024-09-16', '9/16/2024', 'September 16, 2024');
    `order` says how to read all-number dates such as '03/04/2025' (MONTH_FIRST or DAY_FIRST)."""
    found = _date_and_format(text, order)
    return found[0] if found else None


def _date_and_format(text: str, order: str = MONTH_FIRST) -> tuple[date, str] | None:
    """A date and the strptime format it was written in."""
    t = " ".join(text.strip().split())
    if not t or not any(ch.isdigit() for ch in t):
        return None
    t = re.sub(r"\bsept\b\.?", "Sep", t, flags=re.I)  # "Sept 2025": a common abbreviation
    if m := _STAMP.fullmatch(t):  # "2024-07-02 09:10": a posting time; its day is the date
        return date.fromisoformat(m.group(1)), "%Y-%m-%d"
    if (m := _NUMERIC_DATE.match(t)) is not None:
        return _numeric_date(m, order)
    if (period := _period_start(t)) is not None:
        if (q := _QUARTER.match(t)) is not None:
            # "Q1 2025" is shown as written ("%q" is its quarter, render.py fills it in)
            return period, ("Q%q %Y" if q.group(1) else "%Y-Q%q")
        return period, "%Y-%m-%d"  # shown as the day it stands for, not re-coded as a week
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(t, fmt).date(), fmt
        except ValueError:
            continue
    return None


_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:UTC|Z|GMT))?")
# An ISO week ('2025-W11', '2025W11', '2025-W11-3') or a quarter ('Q3 2025', '2025-Q3').
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})(?:-?([1-7]))?$", re.I)
_QUARTER = re.compile(r"^Q([1-4])\s*(\d{4})$|^(\d{4})\s*-?\s*Q([1-4])$", re.I)


def _period_start(text: str) -> date | None:
    """The first day of a week or quarter written as such: a week is its Monday (so it counts
    in the month its Monday falls in), a quarter its first day; None for anything else."""
    if (m := _ISO_WEEK.match(text)) is not None:
        try:
            return date.fromisocalendar(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
        except ValueError:
            return None  # "2025-W54": no such week
    if (m := _QUARTER.match(text)) is not None:
        quarter, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return date(int(year), 3 * int(quarter) - 2, 1)
    return None


def _numeric_date(m: re.Match[str], order: str) -> tuple[date, str] | None:
    """'15/09/2025' read in the column's order; None when it is no date in that order."""
    a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
    day, month = (a, b) if order == DAY_FIRST else (b, a)
    year = int(y) if len(y) == 4 else 2000 + int(y)  # two-digit years as strptime's %y does
    fields = ("%d", "%m") if order == DAY_FIRST else ("%m", "%d")
    fmt = sep.join([*fields, "%Y" if len(y) == 4 else "%y"])
    try:
        return date(year, month, day), fmt
    except ValueError:
        return None


def _order_evidence(cells: Sequence[str]) -> tuple[int, int, str]:
    """(cells only day-first can read, cells only month-first can read, separator) of a
    column's all-number dates: '15/09/2025' proves day-first, '09/15/2025' month-first."""
    day = month = 0
    seps: Counter[str] = Counter()
    for v in cells:
        m = _NUMERIC_DATE.match(v.strip())
        if m is None:
            continue
        a, b = int(m.group(1)), int(m.group(3))
        seps[m.group(2)] += 1
        day += a > 12 >= b
        month += b > 12 >= a
    return day, month, seps.most_common(1)[0][0] if seps else ""


def date_orders(columns: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """How each column's all-number dates are read, and a warning or '' for each.

    Decided per column from all its cells, never per cell: one cell such as '15/09/2025'
    makes the whole column day-first. A column without such a cell follows the table's other
    date columns ('31/03/2025' in an end-date column settles the start dates too), then a date
    written with its month in words ('1 March 2025' is day-first writing), then its separator
    ('01.03.2025' is day-first), else month-first. A column holding both kinds keeps the
    order most of its cells prove and says which cells it left empty: it never flips per cell.
    """
    evidence = [_order_evidence(c) for c in columns]
    day_cols = sum(d > m for d, m, _ in evidence)
    month_cols = sum(m > d for d, m, _ in evidence)
    table_order = ""
    if day_cols and not month_cols:
        table_order = DAY_FIRST
    elif month_cols and not day_cols:
        table_order = MONTH_FIRST
    else:
        written = Counter(
            f[1] for c in columns for v in c[:50] if v and (f := _date_and_format(v)) is not None
        )
        dmy = sum(n for f, n in written.items() if f.startswith("%d"))
        mdy = sum(n for f, n in written.items() if f.startswith(("%B %d", "%b %d")))
        table_order = DAY_FIRST if dmy > mdy else MONTH_FIRST if mdy > dmy else ""
    out = []
    for day, month, sep in evidence:
        note = ""
        if day and month:
            note = (
                f"mixes day-first and month-first dates ({day} cells read only day-first, "
                f"{month} only month-first); read as "
                f"{'day' if day >= month else 'month'}-first, the other cells are left empty"
            )
            out.append((DAY_FIRST if day >= month else MONTH_FIRST, note))
        elif day or month:
            out.append((DAY_FIRST if day else MONTH_FIRST, ""))
        else:
            out.append((table_order or (DAY_FIRST if sep == "." else MONTH_FIRST), ""))
    return out


def _leading_zero(text: str) -> bool:
    """Codes such as ZIP codes ('02139') must stay text, or they lose their zeros."""
    t = text.strip()
    return len(t) > 1 and t.isdigit() and t.startswith("0")


# Headers of a share of something ("Basalt used", "utilisation", "fraction spent").
_FRACTION_HEADER = re.compile(
    r"\b(?:used|spent|utili[sz]ation|utili[sz]ed|fraction|share|burn)\b", re.I
)


def _fractions(typed: dict[int, Any]) -> bool:
    """Every value a fraction between 0 and 1, not all of them 0 or 1 (no count or flag)."""
    values = [float(v) for v in typed.values()]
    return bool(values) and all(0 <= v <= 1 for v in values) and any(0 < v < 1 for v in values)


def build_table(
    header: Sequence[str], cells: Sequence[Sequence[str]], row_numbers: Sequence[int]
) -> Table:
    """Infer each column's type from its cells and convert them; say what was odd, never fail."""
    warnings: list[str] = []
    columns: list[Column] = []
    typed_cols: list[list[Any]] = []
    n = len(cells)
    has_units = any(_UNIT_COLUMN.search(h) for h in header)
    raws = [[row[i].strip() if i < len(row) else "" for row in cells] for i in range(len(header))]
    orders = date_orders(raws)
    split_units: list[str] = []  # the per-row units of a unit column made by splitting cells
    for i, name in enumerate(header):
        raw = raws[i]
        order, mixed = orders[i]
        split = None if has_units and not split_units else _amounts_with_units(raw)
        if split is not None and split_units:
            # "Used" beside "Allocated" in the same per-row units ("118,400 SU" by "120,000 SU"):
            # the numbers stay, the unit column made for the first amount covers them too.
            if all(not u or not s or u == s for u, s in zip(split[1], split_units, strict=True)):
                column, values, note = _type_column(name, split[0], row_numbers, order)
                columns.append(column)
                typed_cols.append(values)
                if note:
                    warnings.append(note)
                continue
            split = None
        if split is not None:
            # "5,000 GPU-hours" cells: the numbers stay here; several units get their own column
            raw, units = split
            kinds = sorted(set(units) - {""})
            column, values, note = _type_column(name, raw, row_numbers, order)
            if len(kinds) > 1:
                split_units = list(units)
                columns += [column, Column(f"{name} unit", "text", True)]
                typed_cols += [values, [u or None for u in units]]
                has_units = True
            else:
                columns.append(replace(column, unit=kinds[0] if kinds else column.unit))
                typed_cols.append(values)
        else:
            column, values, note = _type_column(name, raw, row_numbers, order)
            columns.append(column)
            typed_cols.append(values)
        if mixed:
            warnings.append(f"column {name!r} {mixed}")
        if note:
            warnings.append(note)
    unit_column = next(
        (c.name for c in columns if c.type == "text" and _UNIT_COLUMN.search(c.name)), ""
    )
    valued = next(
        # "Credit Type: Cloud credits (USD) / API credits (USD) / Tokens": a column of units
        (
            c.name
            for c, col in zip(columns, typed_cols, strict=True)
            if c.type == "text" and _units_only([v for v in col if isinstance(v, str)])
        ),
        "",
    )
    if not unit_column and valued:
        unit_column = valued
        # a currency sign on some cells says nothing of rows whose unit column says "Tokens"
        columns = [replace(c, unit="") if c.unit in CURRENCIES.values() else c for c in columns]
    rows = tuple(tuple(col[r] for col in typed_cols) for r in range(n))
    return Table(tuple(columns), rows, tuple(row_numbers), unit_column, tuple(warnings))


_AMOUNT_UNIT = re.compile(
    r"^(-?)[$€£]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([kKM])?\s+([A-Za-z][\w\- ()/]*)$"
)
# "25k SU", "1.2M core-hours": thousands and millions written short in an amount cell.
_SCALE = {"k": 1_000, "K": 1_000, "M": 1_000_000}


def _scaled(m: re.Match[str]) -> str:
    """The number of an amount cell as digits, a 'k' or 'M' after it multiplied out."""
    digits = f"{m.group(1)}{m.group(2)}{m.group(3) or ''}"  # "-4,200 SU": an overdrawn balance
    if not m.group(4):
        return digits
    value = float(digits.replace(",", "")) * _SCALE[m.group(4)]
    return str(int(value)) if value.is_integer() else str(value)


# Hours written short inside cells ("24,000 h", "3.4k node-h"), named in full so that a
# question's "GPU hours" or "node-hours" meets them.
_SHORT_UNITS = {"h": "hours", "hr": "hours", "hrs": "hours", "node-h": "node-hours",
                "gpu-h": "GPU-hours", "core-h": "core-hours", "cpu-h": "core-hours"}  # fmt: skip


def _amounts_with_units(raw: list[str]) -> tuple[list[str], list[str]] | None:
    """Cells such as '5,000 GPU-hours' split into numbers and units, when most cells are so."""
    filled = [v for v in raw if v and not placeholder(v)]
    found = [_AMOUNT_UNIT.match(v) for v in raw]
    if not filled or sum(m is not None for m in found) < _TYPED_SHARE * len(filled):
        return None
    if sum(parse_date(v) is not None for v in filled) >= _TYPED_SHARE * len(filled):
        return None  # "1 March 2025" is a date, not 1 of a unit called "March 2025"
    numbers = [_scaled(m) if m else v for m, v in zip(found, raw, strict=True)]
    units = [
        _SHORT_UNITS.get(m.group(5).strip().lower(), m.group(5).strip()) if m else "" for m in found
    ]
    if len(set(units)) > 8 or any(len(u.split()) > 3 for u in units):
        return None  # free text that happens to start with a number ("100 Main Street")
    return numbers, units


def _type_column(
    name: str, raw: list[str], row_numbers: Sequence[int], order: str = MONTH_FIRST
) -> tuple[Column, list[Any], str]:
    """One column: (its Column, typed values, a warning or ''); `order` reads '03/04/2025'."""
    filled = [(k, v) for k, v in enumerate(raw) if v and not placeholder(v)]
    if not filled:
        return Column(name, "text"), [None] * len(raw), ""
    parsed = {k: parse_number(v) for k, v in filled if not _leading_zero(v)}
    numbers = {k: v for k, v in parsed.items() if v is not None}
    parsed_dates = {k: parse_date(v, order) for k, v in filled}
    dates = {k: v for k, v in parsed_dates.items() if v is not None}
    share_num, share_date = len(numbers) / len(filled), len(dates) / len(filled)
    unit = header_unit(name)
    notes: list[str] = []
    elapsed = {k: clock_hours(v) for k, v in filled}
    if sum(h is not None for h in elapsed.values()) >= _TYPED_SHARE * len(filled) and any(
        ":" in v for _, v in filled
    ):
        # "06:42:18", "1-02:30:00": run times as a scheduler writes them, kept in hours
        typed_hours = {k: h for k, h in elapsed.items() if h is not None}
        note = f"column {name!r} holds run times (H:MM:SS); they are kept in hours"
        return (
            Column(name, "number", False, "hours"),
            [typed_hours.get(k) for k in range(len(raw))],
            note,
        )
    if ID_HEADER.search(name) and all(re.fullmatch(r"\d+", v) for _, v in filled):
        # "JobID", "Award No.": numbers that name rows are labels, never amounts to add up
        values = [v or None for v in raw]
        return Column(name, "text", False, ""), values, ""
    if share_date >= _TYPED_SHARE and share_date >= share_num:
        typed: dict[int, Any] = dict(dates)
        kind, what = "date", "a date"
        formats = Counter(f[1] for _, v in filled if (f := _date_and_format(v, order)))
        fmt = formats.most_common(1)[0][0] if formats else ""
        if not any(re.search(r"(?<!\d)0\d", v) for _, v in filled):
            fmt = fmt.replace("%d", "%-d").replace("%m", "%-m")  # "3/5/2025", "March 3, 2025"
    elif share_num >= _TYPED_SHARE:
        ints = all(isinstance(v, int) for v in numbers.values())
        typed = {k: v if ints else float(v) for k, v in numbers.items()}
        kind, what = ("integer" if ints else "number"), "a number"
        signs = {ch for _, v in filled for ch in v.strip()[:1] + v.strip()[-1:]} & set(CURRENCIES)
        if not unit and len(signs) == 1:
            unit = CURRENCIES[signs.pop()]  # "$1,200" or "1200 €": the cells name the currency
        coded = [m.group(0) for _, v in filled if (m := re.search(r"\b(USD|EUR|GBP|CAD)\b", v))]
        if not unit and len(set(coded)) == 1 and len(coded) == len(filled):
            unit = coded[0]  # "USD 15,000" in every cell
        if scaled := header_scale(unit):
            # "Allocated (k SUs)", "Used ($K)": thousands in the cells, whole units in the table,
            # so a question in SUs or dollars is answered in SUs or dollars
            factor, unit = scaled
            typed = {k: times_scale(v, factor) for k, v in typed.items()}
            kind = "integer" if all(isinstance(v, int) for v in typed.values()) else "number"
            notes.append(
                f"column {name!r} is in {'thousands' if factor == 1000 else 'millions'}: its "
                f"values are kept in {unit}"
            )
        if not unit and all(v.strip().endswith("%") for k, v in filled if k in numbers):
            unit = "%"  # "96%": a share, which the planner never adds up as an amount
        elif not unit and _FRACTION_HEADER.search(name) and _fractions(typed):
            # "Basalt used: 0.88" is 88 % used: kept as a percentage, like a "%" column
            typed = {k: round(float(v) * 100, 6) for k, v in typed.items()}
            kind, unit = "number", "%"
    else:
        values = [v or None for v in raw]
        distinct = {v for v in values if v}
        avg_len = sum(len(v) for v in distinct) / len(distinct)
        categorical = (
            len(distinct) < len(filled) and len(distinct) <= _MAX_CATEGORIES and avg_len <= 40
        )
        note = ""
        if 0.5 <= max(share_num, share_date) < _TYPED_SHARE:
            note = (
                f"column {name!r} mixes {'dates' if share_date > share_num else 'numbers'} "
                "and text; it is kept as text"
            )
        return Column(name, "text", categorical, unit), values, note
    bad = [(k, v) for k, v in filled if k not in typed]
    if bad:
        examples = ", ".join(f"{v!r} in row {row_numbers[k]}" for k, v in bad[:3])
        notes.append(
            f"column {name!r}: {len(bad)} of {len(filled)} cells are not {what} ({examples}); "
            "they are left empty in the typed table"
        )
    note = "; ".join(notes)
    date_format = fmt if kind == "date" else ""
    column = Column(name, kind, False, unit, date_format)
    return column, [typed.get(k) for k in range(len(raw))], note
