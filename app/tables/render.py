"""A query result in words: the query as a locator, the rows or aggregates as a cited passage."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any

from app.tables.amounts import amount_columns
from app.tables.executor import Group, Result, Row
from app.tables.headers import column_label
from app.tables.namecol import name_column
from app.tables.ops import ALL
from app.tables.roles import counts_people, person_column, row_key, row_noun
from app.tables.spec import OPEN_START, Filter, QuerySpec
from index.tables import TableInfo
from index.types import Hit
from ingest.cells import parse_number
from ingest.headers import header_scale, header_unit
from ingest.types import Chunk

SHOWN = 10
GROUPS = 20  # aggregate lines are short: "Finland: 6"
VALUES = 30  # distinct values are short: more of them fit in an answer than rows do
_WHO = re.compile(
    r"institution|organi[sz]ation|university|school|recipient|awardee|company|affiliation", re.I
)
_ORD = {1: "", 2: "2nd ", 3: "3rd "}


def _label(name: str) -> str:
    """request_type → request type."""
    return name.replace("_", " ").strip()


def _fmt(v: Any, plain: bool = False) -> str:
    """A cell for reading: 12000 → 12,000 (a year stays 2024); dates in ISO form."""
    if isinstance(v, bool) or v is None:
        return "" if v is None else str(v)
    if plain and isinstance(v, int | float):
        return str(int(v)) if float(v).is_integer() else str(v)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):  # 328.4 TB stays 328.4, as tables write it; 11,166.67 keeps two
        return f"{v:,.2f}".rstrip("0").rstrip(".")  # 2.001 prints as 2, not "2."
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _amount(value: str, unit: str, column: str = "") -> str:
    """'1,200 GPU-hours'; dollars as tables write them too: '$1,200 USD'; an amount from a
    column in thousands also as the table writes it: '1,800,000 SUs (1,800 k SUs)'."""
    if unit.upper() == "USD" and value and value[0].isdigit():
        text = f"${value} {unit}"
    else:
        text = f"{value} {unit}".strip()
    written = header_unit(column) if column and value else ""
    scaled = header_scale(written) if written else None
    number = parse_number(value) if scaled else None
    if scaled is None or number is None:
        return text
    small = _fmt(round(number / scaled[0], 6))
    if written[:1] in "$€£":  # "$K": "$310K"
        return f"{text} ({written[:1]}{small}{written[1:].strip()})"
    return f"{text} ({small} {written})"


def _cell(row: Row, table: TableInfo, name: str) -> str:
    """A cell for reading, a date written the way the table writes it ('03/15/2025')."""
    value = row.cells.get(name)
    col = table.column(name)
    if isinstance(value, date) and col is not None and col.format:
        quarter = str((value.month - 1) // 3 + 1)  # "Q1 2025": a quarter as the table writes it
        fmt = col.format.replace("%q", quarter)
        text = value.strftime(fmt.replace("%-d", "%d").replace("%-m", "%m"))
        return re.sub(r"(?<!\d)0(\d)", r"\1", text) if "%-" in col.format else text
    return _fmt(value, _plain(table, name))


def _plain(table: TableInfo, name: str) -> bool:
    """Years and ids are written without thousands separators."""
    return bool(re.search(r"\b(year|fy|id|no|number)\b", column_label(name)))


def _condition(f: Filter) -> str:
    """One filter in words."""
    col = _label(f.column)
    plain = bool(re.search(r"\b(year|fy|id|no|number)\b", column_label(f.column)))
    vals = [_fmt(v, plain) for v in f.values]
    if f.op == "in":
        return f"{col} = {vals[0]}" if len(vals) == 1 else f"{col} is one of {', '.join(vals)}"
    if f.op == "not_in":
        return f"{col} ≠ {vals[0]}" if len(vals) == 1 else f"{col} is none of {', '.join(vals)}"
    if f.op in ("empty", "filled"):
        return f"{col} is {'blank' if f.op == 'empty' else 'given'}"
    if f.op == "contains":
        return f"{col} contains “{vals[0]}”"
    if f.of:  # a share: one amount as a percentage of another
        col = f"{col} as a share of {_label(f.of)}"
        vals = [f"{v}%" for v in vals]
    if f.less:  # what is left: one amount less another
        col = f"{col} less {_label(f.less)}"
    if f.op == "not_between" and str(f.values[0]) == OPEN_START:
        after = date.fromisoformat(str(f.values[1])) + timedelta(days=1)
        return f"{col} on or after {after.isoformat()} (or blank)"  # still running then
    if f.op == "not_between":
        return f"{col} not from {vals[0]} to {vals[1]}"
    if f.op == "between":
        return f"{col} = {vals[0]}" if vals[0] == vals[1] else f"{col} from {vals[0]} to {vals[1]}"
    sign = {"gt": ">", "gte": "≥", "lt": "<"}.get(f.op, "≤")
    return f"{col} {sign} {vals[0]}"


def _ordinal(n: int) -> str:
    """2 → '2nd ', 11 → '11th ', 1 → ''."""
    if n in _ORD:
        return _ORD[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} "


def describe(spec: QuerySpec, table: TableInfo) -> str:
    """The query in plain words, e.g. 'allocations where resource = SDSC Voyager'."""
    noun = row_noun(table)
    where = " and ".join(_condition(f) for f in spec.filters)
    base = f"{noun} where {where}" if where else f"all {noun}"
    per = f" per {' and '.join(_label(g) for g in spec.group_by)}" if spec.group_by else ""
    dated = any((c := table.column(g)) is not None and c.type == "date" for g in spec.group_by)
    per += f" ({spec.period})" if spec.period and dated else ""
    measure = _label(spec.measure or "")
    measure += f" less {_label(spec.less)}" if spec.less else ""
    if spec.operation == "count" and spec.min_count:
        return f"count of {base}{per}, groups with at least {spec.min_count}"
    if spec.operation == "count" and spec.count_of:
        return f"count of different {_label(spec.count_of)} values of {base}{per}"
    if spec.operation == "count":
        return f"count of {base}{per}"
    if spec.operation == "distinct":
        return f"distinct {_label(spec.group_by[0])} values of {base}"
    if spec.operation in ("sum", "average"):
        what = "total" if spec.operation == "sum" else "average"
        return f"{what} {measure} of {base}{per}"
    if spec.operation == "rank":
        word = "largest" if spec.order == "desc" else "smallest"
        col = table.column(spec.measure or "")
        if col is not None and col.type == "date":
            word = "latest" if spec.order == "desc" else "earliest"
        if spec.top and spec.top >= ALL and spec.position == 1:
            return f"{base}{per} ranked by {measure}, {word} first"
        if spec.top and spec.top > 1:
            plural = measure if measure.endswith("s") else f"{measure}s"  # not "GPU-hrss"
            return f"{spec.top} {word} {plural} of {base}{per}"
        return f"{_ordinal(spec.position)}{word} {measure} of {base}{per}"
    return base


def _unit(row: Row, table: TableInfo, measure: str) -> str:
    """The unit of a row's measure: the column's own unit or the row's unit cell."""
    col = table.column(measure)
    if col is None or not col.numeric:
        return ""  # a date ranked as "the latest" has no unit
    if col.unit:
        return col.unit
    if counts_people(col):
        return ""  # "770", not "770 notebook hours": a number of students has no compute unit
    return str(row.cells.get(table.unit_column) or "") if table.unit_column else ""


def _key_columns(spec: QuerySpec, table: TableInfo) -> list[str]:
    """Columns shown for each row: id, title, who, asked-for columns, the measure, the date."""
    text = [c for c in table.columns if c.type == "text"]
    out: list[str] = []
    ids = [row_key(table)] if row_key(table) else []
    out += ids or [c.name for c in text if len(c.values) == table.rows > 1][:1]
    # the describing column is the one with the longest cells (a title, not a PI's name)
    free = [c for c in text if not c.categorical and c.name not in out and c.values]
    # A column headed as a title or name describes the row; notes and comments do not.
    titled = [c for c in free if re.search(r"title|name", c.name, re.I)]
    free = titled or [c for c in free if not re.search(r"note|comment|remark", c.name, re.I)]
    if free:
        out.append(max(free, key=lambda c: sum(map(len, c.values)) / len(c.values)).name)
    elif named := name_column(table, tuple(out)):
        out.append(named)  # "Team / Lab": a name repeated only by renewals still tells rows apart
    # who holds the row: its lead person ('PI'), then its institution
    out += [c.name for c in text if person_column(c.name) and c.name not in out][:1]
    out += [c.name for c in text if _WHO.search(c.name) and c.name not in out][:1]
    single = {f.column for f in spec.filters if f.op == "in" and len(f.values) == 1}
    for name in [*spec.columns, *(f.column for f in spec.filters), *spec.group_by]:
        col = table.column(name)
        if col and col.name not in out and col.name not in single and col.type == "text":
            out.append(col.name)
    return [c for c in out if c != table.unit_column]


def _full_row(row: Row, table: TableInfo, measure: str | None) -> str:
    """Every filled cell of a row, the measure with its unit: a lone row answers anything."""
    from app.tables.roles import default_measure

    cells = []
    amount = default_measure(table)  # the column a unit column speaks for
    for c in table.columns:
        if c.name == table.unit_column:
            continue
        value = _cell(row, table, c.name)
        if value and c.name in (measure, amount):
            value = _amount(value, _unit(row, table, c.name), c.name)
        elif c.numeric and c.unit and value:
            value = _amount(value, c.unit, c.name)
        cells.append(value)
    return f"{', '.join(c for c in cells if c)} (row {row.number})"


def _row_text(row: Row, spec: QuerySpec, table: TableInfo, measure: str | None) -> str:
    """One row: key cells, the measure with its unit, and its `row N` locator."""
    cells = [_cell(row, table, c) for c in _key_columns(spec, table)]
    several = amount_columns(table)
    if several and not spec.measure:
        # each row fills one of several amount columns: show the one it fills, in its unit
        measure = None
        cells += [_amount(_cell(row, table, c), _unit(row, table, c), c) for c in several]
        cells = [c for c in cells if not _unit_only(c, table)]
    if measure and _cell(row, table, measure):  # a blank amount is not shown as a bare unit
        cells.append(_amount(_cell(row, table, measure), _unit(row, table, measure), measure))
    for c in table.columns:  # the dates the question filtered on or asked for
        if c.type == "date" and (
            c.name in spec.columns or any(f.column == c.name for f in spec.filters)
        ):
            cells.append(_cell(row, table, c.name))
    return f"{', '.join(c for c in cells if c)} (row {row.number})"


def _unit_only(text: str, table: TableInfo) -> bool:
    """A unit with no amount before it: what a blank amount cell would print."""
    return any(text == (c.unit if c else "") for c in map(table.column, amount_columns(table)))


def _key(value: Any, table: TableInfo, name: str) -> str:
    """A group's key for reading; rows with an empty cell form a group of their own."""
    col = table.column(name)
    quarter = re.fullmatch(r"(\d{4})-Q([1-4])", str(value)) if value is not None else None
    if quarter and col is not None and "%q" in col.format:
        # a quarter grouped by the query ("2025-Q1") written as the table writes it ("Q1 2025")
        return col.format.replace("%q", quarter[2]).replace("%Y", quarter[1])
    return "(blank)" if value is None else _fmt(value, _plain(table, name))


def _group_text(g: Group, spec: QuerySpec, table: TableInfo) -> str:
    """One aggregate line: 'SDSC Voyager, node-hours: 200 (1 row)'."""
    keys = ", ".join(_key(v, table, k) for k, v in g.keys.items()) or "all"
    if spec.operation == "count":
        return f"{keys}: {g.count}"
    if spec.operation == "distinct":
        return f"{keys} ({g.count} row{'s' * (g.count != 1)})"
    unit = str(g.keys.get(table.unit_column, "")) if table.unit_column else ""
    col = table.column(spec.measure or "")
    unit = (col.unit if col and col.unit else unit).strip()
    shown = ", ".join(_key(v, table, k) for k, v in g.keys.items() if k != table.unit_column)
    value = _amount(_fmt(g.value), unit, spec.measure or "")
    rows = f"({g.count} row{'s' * (g.count != 1)})"
    return f"{shown}: {value} {rows}" if shown else f"{value} {rows}"


def render(result: Result) -> tuple[str, str]:
    """(the passage text, the query in words with its result size)."""
    spec, table = result.spec, result.table
    words = describe(spec, table)
    noun = row_noun(table)
    measure = spec.measure if spec.measure else None
    shown_measure = measure or _default_shown_measure(table)
    lines: list[str] = []
    if spec.operation in ("list", "count") and not spec.group_by:
        head = f"{result.matched} {noun if result.matched != 1 else noun.rstrip('s')}"
        where = words.removeprefix("count of ").removeprefix(noun)
        head = f"{head}{where}" if where.startswith(" where") else head
        lines.append(f"{head}.")
        rows = result.rows[:SHOWN]
        if result.matched == 1:
            lines += [f"- {_full_row(r, table, shown_measure)}" for r in rows]
        else:
            lines += [f"- {_row_text(r, spec, table, shown_measure)}" for r in rows]
        if result.matched > len(rows):
            lines.append(f"({result.matched - len(rows)} more not shown.)")
            lines += _asked_values(result)
        locator = f"{words}: {result.matched} row{'s' * (result.matched != 1)}"
    elif spec.operation == "distinct":
        label = _label(spec.group_by[0])
        n = len(result.groups)
        base = describe(spec.model_copy(update={"operation": "list", "group_by": ()}), table)
        size = f"{result.matched} row{'s' * (result.matched != 1)}"
        lines.append(f"{n} different {label} value{'s' * (n != 1)} in {base} ({size}):")
        lines += [f"- {_group_text(g, spec, table)}" for g in result.groups[:VALUES]]
        lines += ["- none"] * (not n) + [f"({n - VALUES} more not shown.)"] * (n > VALUES)
        locator = f"{words}: {n} value{'s' * (n != 1)}"
    elif spec.operation == "rank":
        if not result.rows:
            lines.append(f"No {noun} match: {words}.")
        else:
            within = " (ranked within each unit)" if result.unit_split else ""
            lines.append(f"The {words}{within}:")
            one = len(result.rows) == 1
            text = _full_row if one else (lambda r, t, m: _row_text(r, spec, t, m))
            lines += [f"- {text(r, table, measure)}" for r in result.rows[:SHOWN]]
        locator = f"{words}: {len(result.rows)} row{'s' * (len(result.rows) != 1)}"
    elif spec.operation == "count" and spec.min_count and spec.group_by:
        label, n = _label(spec.group_by[0]), len(result.groups)
        base = describe(spec.model_copy(update={"group_by": (), "min_count": None}), table)
        base = base.removeprefix("count of ").removeprefix("all ")
        lines.append(f"{n} {label} value{'s' * (n != 1)} with {spec.min_count} or more {base}:")
        lines += [f"- {_group_text(g, spec, table)}" for g in result.groups[:VALUES]]
        lines += ["- none"] * (not n) + [f"({n - VALUES} more not shown.)"] * (n > VALUES)
        locator = f"{words}: {n} group{'s' * (n != 1)}"
    else:
        split = result.unit_split
        note = " Amounts in different units are kept apart, never added." if split else ""
        lines.append(f"The {words}{' by unit' if split and not spec.group_by else ''}:{note}")
        lines += [f"- {_group_text(g, spec, table)}" for g in result.groups[:GROUPS]]
        if not result.groups:
            lines.append(f"- no {noun} match")
        if len(result.groups) > GROUPS:
            lines.append(f"({len(result.groups) - GROUPS} more groups not shown.)")
        if result.rows and spec.operation != "count" and result.matched <= 20:
            cited = ", ".join(f"row {r.number}" for r in result.rows)
            # the rows holding the amount: a blank cell (another unit's row) adds nothing
            lines.append(f"Computed from {len(result.rows)} row(s): {cited}.")
        else:
            lines.append(f"Computed from {result.matched} rows of the table.")
        if result.once_per:  # a ledger's award repeated on each monthly row
            lines.append(
                f"Each {result.once_per} is counted once: its {spec.measure} repeats on its rows."
            )
        locator = f"{words}: {len(result.groups)} group{'s' * (len(result.groups) != 1)}"
    return "\n".join(lines), locator


def _asked_values(result: Result) -> list[str]:
    """'Which organisations …' over more rows than are shown: every value of the asked
    category column among the rows read, so no organisation is left out."""
    spec, table = result.spec, result.table
    single = {f.column for f in spec.filters if f.op == "in" and len(f.values) == 1}
    out = []
    for name in spec.columns:
        col = table.column(name)
        if col is None or col.type != "text" or not col.categorical or name in single:
            continue
        counts: dict[str, int] = {}
        for r in result.rows:
            v = r.cells.get(col.name)
            if v is not None:
                counts[str(v)] = counts.get(str(v), 0) + 1
        values = sorted(counts, key=lambda v: (-counts[v], v))[:VALUES]
        if values:
            shown = ", ".join(f"{v} ({counts[v]})" for v in values)
            out.append(f"{_label(col.name)} of these {len(result.rows)} rows: {shown}.")
    return out


def _default_shown_measure(table: TableInfo) -> str | None:
    """Rows in a list show the table's main amount too ('how much each')."""
    from app.tables.roles import default_measure

    return default_measure(table)


def make_hit(result: Result, text: str, locator: str) -> Hit:
    """The synthetic first hit: a passage whose locator is the query in words."""
    t = result.table
    digest = hashlib.sha1(result.spec.model_dump_json().encode()).hexdigest()[:10]
    chunk = Chunk(
        id=f"{t.doc_id}-query-{digest}",
        doc_id=t.doc_id,
        text=text,
        title=t.title,
        source=t.source,
        url=t.url,
        kind="table",
        locator=locator,
        heading="Computed from the table",
        as_of=t.as_of,
    )
    return Hit(chunk=chunk, score=1.0, rank=1, retriever="table")
