"""Run a validated spec on DuckDB: read-only, bound parameters, a row limit and a timeout."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from app.tables.canon import variants
from app.tables.roles import counts_people, identifier
from app.tables.spec import QuerySpec, check_spec
from app.tables.variants import merge, ordered, spellings
from index.tables import ColumnInfo, TableInfo

_ALL = 100_000  # every group, when spellings are merged before the limit is applied
PLACEHOLDERS = frozenset({"", "unknown", "n/a", "na", "none", "-", "tbd", "not reported"})
_connections: dict[Path, Any] = {}
_lock = threading.Lock()


class QueryFailed(RuntimeError):
    """The query timed out or DuckDB refused it; the caller answers from passages instead."""


@dataclass(frozen=True)
class Row:
    """One table row: its `row N` number and its cells by column name."""

    number: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class Group:
    """One aggregate: the group's key values (with the unit where units differ) and the value."""

    keys: dict[str, Any]
    count: int
    value: float | None = None


@dataclass(frozen=True)
class Result:
    """What a query found; `unit_split` says an aggregate was kept apart per unit."""

    spec: QuerySpec
    table: TableInfo
    matched: int
    rows: tuple[Row, ...]
    groups: tuple[Group, ...]
    unit_split: bool = False
    once_per: str = ""  # the column whose value an amount repeated on each row was counted once


def connection(db: Path) -> Any:
    """One read-only DuckDB connection per table file, without file or network access."""
    import duckdb  # loaded only when a table question fires

    with _lock:
        con = _connections.get(db)
        if con is None:
            if len(_connections) >= 4:  # old index versions: drop the oldest connection
                _connections.pop(next(iter(_connections))).close()
            con = duckdb.connect(
                str(db),
                read_only=True,
                config={"enable_external_access": False, "threads": 1, "memory_limit": "256MB"},
            )
            _connections[db] = con
        return con.cursor()


def _col(table: TableInfo, name: str) -> ColumnInfo:
    """The column (check_spec has made sure it exists)."""
    col = table.column(name)
    assert col is not None
    return col


def _bind(col: ColumnInfo, v: Any) -> Any:
    """A value typed for its column."""
    if col.type == "date":
        return date.fromisoformat(str(v))
    if col.numeric:
        return float(v)
    return str(v)


def _where(spec: QuerySpec, table: TableInfo) -> tuple[str, list[Any]]:
    """The WHERE clause and its parameters (identifiers come from the catalog, values are bound)."""
    parts: list[str] = []
    params: list[Any] = []
    for f in spec.filters:
        col = _col(table, f.column)
        c = col.sql
        if f.op in ("empty", "filled"):
            # a blank cell, or a placeholder such as "n/a" or "unknown" written in it
            marks = ", ".join("?" for _ in PLACEHOLDERS)
            blank = f"({c} IS NULL OR lower(trim(CAST({c} AS VARCHAR))) IN ({marks}))"
            parts.append(blank if f.op == "empty" else f"NOT {blank}")
            params += sorted(PLACEHOLDERS)
        elif f.op == "contains":
            # words in order, whatever joins them in the cell ("lake gpt" finds "Lake-GPT");
            # the pattern is escaped and bound, never spliced into the SQL
            words = [re.escape(w) for w in str(f.values[0]).lower().split()]
            parts.append(f"regexp_matches(lower({c}), ?)")
            params.append("[^a-z0-9]*".join(words) or "^$")
        elif f.op in ("in", "not_in") and col.type == "text":
            # An empty cell is "not X" too, so not_in compares against '' rather than NULL.
            neg = "NOT " if f.op == "not_in" else ""
            target = f"coalesce(lower({c}), '')" if neg else f"lower({c})"
            parts.append(f"{target} {neg}IN ({', '.join('lower(?)' for _ in f.values)})")
            params += [str(v) for v in f.values]
        elif f.op in ("in", "not_in"):
            marks = ", ".join("?" for _ in f.values)
            sql = (
                f"({c} IS NULL OR {c} NOT IN ({marks}))"
                if f.op == "not_in"
                else f"{c} IN ({marks})"
            )
            parts.append(sql)
            params += [_bind(col, v) for v in f.values]
        else:
            sql = {"between": "BETWEEN ? AND ?", "gt": "> ?", "gte": ">= ?", "lt": "< ?"}.get(
                f.op, "<= ?"
            )
            if f.of:  # a share in percent of another column; nothing is a share of zero
                parts.append(f"(100.0 * {c} / NULLIF({_col(table, f.of).sql}, 0)) {sql}")
                params += [float(v) for v in f.values]
                continue
            if f.less:  # what is left: the column less another, a blank one as 0
                parts.append(f"({c} - COALESCE({_col(table, f.less).sql}, 0)) {sql}")
                params += [float(v) for v in f.values]
                continue
            if f.op == "not_between":  # an empty cell is outside any range too
                sql = f"{c} IS NULL OR {c} NOT BETWEEN ? AND ?"
                parts.append(f"({sql})")
            else:
                parts.append(f"{c} {sql}")
            params += [_bind(col, v) for v in f.values]
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


_PERIODS = {
    "year": "CAST(year({c}) AS VARCHAR)",
    "quarter": "CAST(year({c}) AS VARCHAR) || '-Q' || CAST(quarter({c}) AS VARCHAR)",
    "month": "strftime({c}, '%Y-%m')",
}


def _key(table: TableInfo, name: str, spec: QuerySpec) -> ColumnInfo:
    """A group key; a date column grouped by the spec's period becomes that period's label."""
    col = _col(table, name)
    if col.type == "date" and spec.period:
        return replace(col, sql=_PERIODS[spec.period].format(c=col.sql))
    return col


def _unit_keys(spec: QuerySpec, table: TableInfo) -> list[ColumnInfo]:
    """Group keys for an aggregate, plus the unit column when the measure has none of its own."""
    keys = [_key(table, g, spec) for g in spec.group_by]
    measure = table.column(spec.measure or "")
    unit = table.column(table.unit_column) if table.unit_column else None
    # dates have no unit; nor has a count of students beside a per-row unit of compute
    amount = measure is not None and measure.numeric and not measure.unit
    amount = amount and not counts_people(measure)
    if amount and unit is not None and unit not in keys:
        keys.append(unit)
    return keys


def run(spec: QuerySpec, table: TableInfo, db: Path, row_limit: int, timeout_s: float) -> Result:
    """Execute the spec; raise QueryFailed on a timeout or a database error."""
    check_spec(spec, table)
    cur = connection(db)
    timer = threading.Timer(timeout_s, cur.interrupt)
    timer.start()
    try:
        return _run(cur, spec, table, row_limit)
    except Exception as exc:  # DuckDB's errors share no public base class worth naming
        raise QueryFailed(f"table query failed: {exc}") from exc
    finally:
        timer.cancel()
        cur.close()


def _fetch_rows(cur: Any, sql: str, params: list[Any], table: TableInfo) -> tuple[Row, ...]:
    """Run a SELECT of _row and every column; return Rows."""
    out = []
    for rec in cur.execute(sql, params).fetchall():
        cells = {c.name: v for c, v in zip(table.columns, rec[1:], strict=False)}
        out.append(Row(int(rec[0]), cells))
    return tuple(out)


def _run(cur: Any, spec: QuerySpec, table: TableInfo, limit: int) -> Result:
    """The queries behind one spec."""
    where, params = _where(spec, table)
    t = table.name
    cols = ", ".join(c.sql for c in table.columns)
    matched = int(cur.execute(f"SELECT count(*) FROM {t}{where}", params).fetchone()[0])
    direction = "DESC" if spec.order == "desc" else "ASC"
    measure = table.column(spec.measure or "")
    if spec.operation in ("list", "count") and not spec.group_by:
        order = "_row"
        if measure is not None and spec.top:
            order = f"{measure.sql} {direction} NULLS LAST, _row"
        n = min(limit, spec.top or limit)
        sql = f"SELECT _row, {cols} FROM {t}{where} ORDER BY {order} LIMIT ?"
        return Result(spec, table, matched, _fetch_rows(cur, sql, [*params, n], table), ())
    if spec.operation in ("count", "distinct"):
        keys = [_key(table, g, spec) for g in spec.group_by]
        k = ", ".join(c.sql for c in keys)
        labels = spellings(table, [c.name for c in keys])
        having = "HAVING count(*) >= ? " if spec.min_count and not labels else ""
        # periods read best in time order, unless the question asks for the busiest
        by_key = bool(spec.period and not spec.top)
        order = k if by_key else f"n {direction}, {k}"
        counted = "count(*)"
        if spec.count_of:  # different values per group ("allocations per resource")
            counted = f"count(DISTINCT {_col(table, spec.count_of).sql})"
        sql = (
            f"SELECT {k}, {counted} AS n FROM {t}{where} GROUP BY {k} {having}"
            f"ORDER BY {order} LIMIT ?"
        )
        extra = [spec.min_count] if having else []
        recs = cur.execute(sql, [*params, *extra, _ALL if labels else limit]).fetchall()
        if labels:  # "Univ. of X" and "University of X" are counted as one
            recs = merge(recs, len(keys), labels)
            recs = [r for r in recs if not spec.min_count or r[-1] >= spec.min_count]
            recs = ordered(recs, len(keys), by_key, direction == "DESC")[:limit]
        if spec.operation == "distinct" or spec.min_count:
            # An empty or placeholder cell ("unknown", "n/a") is not one more distinct value.
            recs = [r for r in recs if r[0] is not None and str(r[0]).lower() not in PLACEHOLDERS]
        if spec.top and len(recs) > spec.top:
            # Ties with the last kept group stay: "the most awards" may be several resources.
            recs = [
                r
                for r in recs
                if (r[-1] >= recs[spec.top - 1][-1]) == (direction == "DESC")
                or r[-1] == recs[spec.top - 1][-1]
            ]
        groups = tuple(
            Group({c.name: v for c, v in zip(keys, r[:-1], strict=True)}, int(r[-1])) for r in recs
        )
        return Result(spec, table, matched, (), groups)
    assert measure is not None
    keys = _unit_keys(spec, table)
    m = measure.sql
    if spec.less:  # what is left: the measure less another column, a blank one as 0
        m = f"({m} - coalesce({_col(table, spec.less).sql}, 0))"
    has_m = f"{where} AND {m} IS NOT NULL" if where else f" WHERE {m} IS NOT NULL"
    units_differ = False
    # "GPU hours" and "GPU-hrs" are one unit written two ways: rank and count them as one
    unit_sql, unit_params = "", list[Any]()
    if table.unit_column and keys and keys[-1].name == table.unit_column:
        unit_sql, unit_params = _one_spelling(keys[-1], variants(table, table.unit_column))
        n_units = cur.execute(
            f"SELECT count(DISTINCT {unit_sql}) FROM {t}{has_m}", [*unit_params, *params]
        ).fetchone()
        units_differ = int(n_units[0]) > 1
    if spec.operation == "rank":
        parts = [c.sql for c in keys[:-1]] + [unit_sql] if unit_sql else [c.sql for c in keys]
        part = f"PARTITION BY {', '.join(parts)} " if parts else ""
        lo = spec.position
        hi = lo + (spec.top or 1) - 1
        # awards made on the same (latest) day are all the latest; equal amounts keep row order
        nth, tie = ("rank()", "") if measure.type == "date" else ("row_number()", ", _row")
        sql = (
            f"SELECT _row, {cols} FROM {t}{has_m} QUALIFY {nth} OVER "
            f"({part}ORDER BY {m} {direction}{tie}) BETWEEN ? AND ? "
            f"ORDER BY {', '.join([*parts, f'{m} {direction}', '_row'])} LIMIT ?"
        )
        bound = [*params, *unit_params, lo, hi, *unit_params, limit]
        rows = _fetch_rows(cur, sql, bound, table)
        return Result(spec, table, matched, rows, (), units_differ)
    agg = "sum" if spec.operation == "sum" else "avg"
    k = ", ".join(c.sql for c in keys)
    labels = spellings(table, [c.name for c in keys])
    source, once = _once_per_owner(cur, t, has_m, params, m, keys, table)
    by_key = bool(spec.period and not spec.top)
    if keys:
        sql = (
            f"SELECT {k}, count({m}), sum({m}), {agg}({m}) AS v FROM {source} GROUP BY {k} "
            f"ORDER BY {k if by_key else f'v {direction}, {k}'} LIMIT ?"
        )
        n = _ALL if labels else min(limit, spec.top or limit)
        recs = cur.execute(sql, [*params, n]).fetchall()
    else:
        sql = f"SELECT count({m}), sum({m}), {agg}({m}) FROM {source}"
        recs = cur.execute(sql, params).fetchall()
    if labels:  # one name written two ways is one group; its average is over all its rows
        merged = merge([r[:-1] for r in recs], len(keys), labels)
        recs = [(*r, r[-1] if agg == "sum" else r[-1] / r[-2]) for r in merged if r[-2]]
        recs = ordered(recs, len(keys), by_key, direction == "DESC")[
            : min(limit, spec.top or limit)
        ]
    groups = tuple(
        Group({c.name: v for c, v in zip(keys, r[:-3], strict=True)}, int(r[-3]), r[-1])
        for r in recs
        if int(r[-3])
    )
    sql = f"SELECT _row, {cols} FROM {t}{has_m} ORDER BY _row LIMIT ?"
    rows = _fetch_rows(cur, sql, [*params, limit], table)
    return Result(spec, table, matched, rows, groups, units_differ, once)


def _one_spelling(col: ColumnInfo, spelled: dict[str, tuple[str, ...]]) -> tuple[str, list[Any]]:
    """SQL naming a column's value by one spelling of it (bound parameters), or the column."""
    pairs = [(v, min(vs)) for v, vs in spelled.items() if v != min(vs)]
    if not pairs:
        return col.sql, []
    whens = " ".join("WHEN ? THEN ?" for _ in pairs)
    return f"(CASE {col.sql} {whens} ELSE {col.sql} END)", [x for p in pairs for x in p]


def _once_per_owner(
    cur: Any,
    t: str,
    has_m: str,
    params: list[Any],
    m: str,
    keys: list[ColumnInfo],
    table: TableInfo,
) -> tuple[str, str]:
    """The rows to add up, and the column they were taken once per ('' when all rows).

    A ledger repeats a project's award on each of its monthly rows: when the amount (and every
    group key) is the same on all rows of each project, the project's rows count once, so the
    total is the sum of awards, not of rows.
    """
    owner = identifier(table)
    col = table.column(owner) if owner else None
    if col is None or col.sql in {c.sql for c in keys}:
        return f"{t}{has_m}", ""
    o = col.sql
    varies = " OR ".join(f"count(DISTINCT {c}) > 1" for c in [m, *(k.sql for k in keys)])
    check = (
        f"SELECT count(DISTINCT {o}) < count(*) AND NOT EXISTS (SELECT 1 FROM {t}{has_m} "
        f"GROUP BY {o} HAVING {varies}) FROM {t}{has_m}"
    )
    if not cur.execute(check, [*params, *params]).fetchone()[0]:
        return f"{t}{has_m}", ""
    first = f"QUALIFY row_number() OVER (PARTITION BY {o} ORDER BY _row) = 1"
    return f"(SELECT * FROM {t}{has_m} {first}) AS once", owner
