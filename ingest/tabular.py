"""Typed tables from CSV cells: column types, units and categories; odd cells warn, never fail."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ingest.types import Column, Table

# A column is typed as numbers or dates when at least this share of its filled cells parse;
# the rest are left empty in the typed table (the row passages keep the text) with a warning.
_TYPED_SHARE = 0.8
_MAX_CATEGORIES = 1000
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%m/%d/%y",
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
_NUMBER = re.compile(r"^[-+]?\$?\s*(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][-+]?\d+)?\s*%?$")
# Units a header may carry: "amount (GPU-hours)", "cost [USD]", or a suffix such as credits_usd.
_HEADER_UNIT = re.compile(r"[(\[]\s*([^)\]]+?)\s*[)\]]\s*$")
# Header words that are units wherever they stand ("SUs Awarded", "Allocated USD").
_WORD_UNITS = {"sus": "SUs", "usd": "USD", "dollars": "USD", "tb": "TB", "gb": "GB"}
_SUFFIX_UNITS = {"usd": "USD", "dollars": "USD", "hours": "hours", "hrs": "hours", "pct": "%"}
_UNIT_COLUMN = re.compile(r"^(unit|units)$|(^|_|\s)units?$", re.I)


def parse_number(text: str) -> int | float | None:
    """'12,000' → 12000, '$1.5' → 1.5, '7%' → 7; None when the cell is not a number."""
    t = text.strip()
    if not t or not _NUMBER.match(t) or not any(ch.isdigit() for ch in t):
        return None
    t = t.replace(",", "").replace("$", "").replace("%", "").replace(" ", "")
    try:
        value = float(t)
    except ValueError:
        return None
    if re.fullmatch(r"[-+]?\d+", t):
        return int(t)
    return value


def parse_date(text: str) -> date | None:
    """An ISO or common written date ('2024-09-16', '9/16/2024', 'September 16, 2024')."""
    found = _date_and_format(text)
    return found[0] if found else None


def _date_and_format(text: str) -> tuple[date, str] | None:
    """A date and the strptime format it was written in."""
    t = " ".join(text.strip().split())
    if not t or not any(ch.isdigit() for ch in t):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(t, fmt).date(), fmt
        except ValueError:
            continue
    return None


def _leading_zero(text: str) -> bool:
    """Codes such as ZIP codes ('02139') must stay text, or they lose their zeros."""
    t = text.strip()
    return len(t) > 1 and t.isdigit() and t.startswith("0")


def _header_unit(name: str) -> str:
    """A unit named by the header itself, or ''."""
    m = _HEADER_UNIT.search(name)
    if m:
        return m.group(1).strip()
    words = re.split(r"[_\s-]+", name.strip())
    lows = [w.lower() for w in words]
    for k, w in enumerate(lows):
        if w in ("hours", "hrs") and k:
            return f"{words[k - 1]} hours"  # "GPU Hours", "Node Hours Awarded": the kind of hour
    for w in reversed(lows):
        if w in _WORD_UNITS and len(words) > 1:
            return _WORD_UNITS[w]  # "SUs Awarded", "Allocated USD"
    return _SUFFIX_UNITS.get(lows[-1], "") if len(words) > 1 else ""


def build_table(
    header: Sequence[str], cells: Sequence[Sequence[str]], row_numbers: Sequence[int]
) -> Table:
    """Infer each column's type from its cells and convert them; say what was odd, never fail."""
    warnings: list[str] = []
    columns: list[Column] = []
    typed_cols: list[list[Any]] = []
    n = len(cells)
    has_units = any(_UNIT_COLUMN.search(h) for h in header)
    for i, name in enumerate(header):
        raw = [row[i].strip() if i < len(row) else "" for row in cells]
        split = None if has_units else _amounts_with_units(raw)
        if split is not None:
            # "5,000 GPU-hours" cells: the numbers stay here; several units get their own column
            raw, units = split
            kinds = sorted(set(units) - {""})
            column, values, note = _type_column(name, raw, row_numbers)
            if len(kinds) > 1:
                columns += [column, Column(f"{name} unit", "text", True)]
                typed_cols += [values, [u or None for u in units]]
                has_units = True
            else:
                columns.append(replace(column, unit=kinds[0] if kinds else column.unit))
                typed_cols.append(values)
        else:
            column, values, note = _type_column(name, raw, row_numbers)
            columns.append(column)
            typed_cols.append(values)
        if note:
            warnings.append(note)
    unit_column = next(
        (c.name for c in columns if c.type == "text" and _UNIT_COLUMN.search(c.name)), ""
    )
    rows = tuple(tuple(col[r] for col in typed_cols) for r in range(n))
    return Table(tuple(columns), rows, tuple(row_numbers), unit_column, tuple(warnings))


_AMOUNT_UNIT = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s+([A-Za-z][\w\- ()/]*)$")


def _amounts_with_units(raw: list[str]) -> tuple[list[str], list[str]] | None:
    """Cells such as '5,000 GPU-hours' split into numbers and units, when most cells are so."""
    filled = [v for v in raw if v]
    found = [_AMOUNT_UNIT.match(v) for v in raw]
    if not filled or sum(m is not None for m in found) < _TYPED_SHARE * len(filled):
        return None
    numbers = [
        f"{m.group(1)}{m.group(2) or ''}" if m else v for m, v in zip(found, raw, strict=True)
    ]
    units = [m.group(3).strip() if m else "" for m in found]
    if len(set(units)) > 8 or any(len(u.split()) > 3 for u in units):
        return None  # free text that happens to start with a number ("100 Main Street")
    return numbers, units


def _type_column(
    name: str, raw: list[str], row_numbers: Sequence[int]
) -> tuple[Column, list[Any], str]:
    """One column: (its Column, typed values, a warning or '')."""
    filled = [(k, v) for k, v in enumerate(raw) if v]
    if not filled:
        return Column(name, "text"), [None] * len(raw), ""
    parsed = {k: parse_number(v) for k, v in filled if not _leading_zero(v)}
    numbers = {k: v for k, v in parsed.items() if v is not None}
    parsed_dates = {k: parse_date(v) for k, v in filled}
    dates = {k: v for k, v in parsed_dates.items() if v is not None}
    share_num, share_date = len(numbers) / len(filled), len(dates) / len(filled)
    unit = _header_unit(name)
    if share_date >= _TYPED_SHARE and share_date >= share_num:
        typed: dict[int, Any] = dict(dates)
        kind, what = "date", "a date"
        formats = Counter(f[1] for _, v in filled if (f := _date_and_format(v)))
        fmt = formats.most_common(1)[0][0] if formats else ""
        if not any(re.search(r"(?<!\d)0\d", v) for _, v in filled):
            fmt = fmt.replace("%d", "%-d").replace("%m", "%-m")  # "3/5/2025", "March 3, 2025"
    elif share_num >= _TYPED_SHARE:
        ints = all(isinstance(v, int) for v in numbers.values())
        typed = {k: v if ints else float(v) for k, v in numbers.items()}
        kind, what = ("integer" if ints else "number"), "a number"
        if not unit and any(v.lstrip().startswith("$") for _, v in filled):
            unit = "USD"
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
    note = ""
    if bad:
        examples = ", ".join(f"{v!r} in row {row_numbers[k]}" for k, v in bad[:3])
        note = (
            f"column {name!r}: {len(bad)} of {len(filled)} cells are not {what} ({examples}); "
            "they are left empty in the typed table"
        )
    date_format = fmt if kind == "date" else ""
    column = Column(name, kind, False, unit, date_format)
    return column, [typed.get(k) for k in range(len(raw))], note
