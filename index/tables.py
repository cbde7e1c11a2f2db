"""Typed tables in an index version: one DuckDB file plus a JSON catalog the planner reads.

The catalog (tables.json) holds what a question planner needs without opening DuckDB: column
names, types, units, which columns are categorical, and the distinct values of text columns.
DuckDB is imported only to write a version or to run a query.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ingest.types import Document, Table

TABLE_FORMAT = 1
DB_FILE = "tables.duckdb"
CATALOG_FILE = "tables.json"
# Distinct values kept per text column for matching question words; more are not matched.
MAX_VALUES = 5000
_SAFE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ColumnInfo:
    """One column as stored: `sql` is its safe identifier (c0, c1, …) in the DuckDB table."""

    name: str
    sql: str
    type: str  # "integer", "number", "date" or "text"
    categorical: bool = False
    unit: str = ""
    values: tuple[str, ...] = ()  # distinct values of a text column (capped)
    low: str | float | None = None  # smallest number or ISO date
    high: str | float | None = None
    format: str = ""  # how the source wrote dates (strptime), so answers write them alike
    blanks: int = 0  # empty cells: in a status column a blank can be a state ("not decided")

    @property
    def numeric(self) -> bool:
        """True for integer and number columns."""
        return self.type in ("integer", "number")


@dataclass(frozen=True)
class TableInfo:
    """One stored table and where it came from (a citation needs title, source and url)."""

    doc_id: str
    name: str  # the DuckDB table name, t_<doc id>
    title: str
    source: str
    url: str = ""
    as_of: str = ""
    rows: int = 0
    unit_column: str = ""
    columns: tuple[ColumnInfo, ...] = field(default_factory=tuple)

    def column(self, name: str) -> ColumnInfo | None:
        """The column with this name (case-insensitive), or None."""
        low = name.strip().lower()
        return next((c for c in self.columns if c.name.lower() == low), None)

    def to_dict(self) -> dict[str, Any]:
        """Serialise for tables.json."""
        d = dict(vars(self))
        d["columns"] = [dict(vars(c), values=list(c.values)) for c in self.columns]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TableInfo:
        """Read back what to_dict wrote."""
        cols = tuple(
            ColumnInfo(**{**c, "values": tuple(c.get("values", ()))}) for c in d["columns"]
        )
        return cls(**{**d, "columns": cols})


def table_name(doc_id: str) -> str:
    """The DuckDB name of a document's table (doc ids are hex, so this is always safe)."""
    name = "t_" + re.sub(r"[^a-z0-9_]", "_", doc_id.lower())
    if not _SAFE.match(name):
        raise ValueError(f"unsafe table name {name!r}")
    return name


def _info(doc: Document, table: Table) -> TableInfo:
    """Catalog entry of a freshly loaded table."""
    cols = []
    for i, c in enumerate(table.columns):
        present = [r[i] for r in table.rows if r[i] is not None]
        values: tuple[str, ...] = ()
        low = high = None
        if c.type == "text":
            values = tuple(sorted(set(present)))[:MAX_VALUES]
        elif present:
            lo, hi = min(present), max(present)
            low, high = (lo.isoformat(), hi.isoformat()) if isinstance(lo, date) else (lo, hi)
        cols.append(
            ColumnInfo(
                c.name,
                f"c{i}",
                c.type,
                c.categorical,
                c.unit,
                values,
                low,
                high,
                c.format,
                len(table.rows) - len(present),
            )
        )
    return TableInfo(
        doc.id,
        table_name(doc.id),
        doc.title,
        doc.source,
        doc.url,
        doc.as_of,
        len(table.rows),
        table.unit_column,
        tuple(cols),
    )


def _arrow(table: Table) -> Any:
    """The rows as a typed Arrow table (DuckDB loads it in one step; row-wise inserts crawl)."""
    import pyarrow as pa

    types = {
        "integer": pa.int64(),
        "number": pa.float64(),
        "date": pa.date32(),
        "text": pa.string(),
    }
    data = {"_row": pa.array(table.row_numbers, pa.int64())}
    for i, c in enumerate(table.columns):
        data[f"c{i}"] = pa.array([r[i] for r in table.rows], types[c.type])
    return pa.table(data)


@dataclass(frozen=True)
class TableBatch:
    """The tables of a new version: freshly loaded ones plus kept ones copied from the last."""

    new: Sequence[tuple[Document, Table]] = ()
    keep: frozenset[str] = frozenset()
    previous_dir: Path | None = None

    def write(self, dest: Path) -> dict[str, Any]:
        """Write tables.duckdb and tables.json into `dest`; return the manifest's summary."""
        kept = (
            [t for t in read_catalog(self.previous_dir) if t.doc_id in self.keep]
            if self.previous_dir
            else []
        )
        infos = [*kept, *(_info(doc, table) for doc, table in self.new)]
        if not infos:
            return {}
        import duckdb

        con = duckdb.connect(str(dest / DB_FILE))
        try:
            if kept and self.previous_dir is not None:
                con.execute("ATTACH ? AS prev (READ_ONLY)", [str(self.previous_dir / DB_FILE)])
                for t in kept:
                    con.execute(f"CREATE TABLE {t.name} AS SELECT * FROM prev.{t.name}")
                con.execute("DETACH prev")
            for (_, table), info in zip(self.new, infos[len(kept) :], strict=True):
                con.register("incoming", _arrow(table))
                con.execute(f"CREATE TABLE {info.name} AS SELECT * FROM incoming")
                con.unregister("incoming")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        catalog = {"format": TABLE_FORMAT, "tables": [t.to_dict() for t in infos]}
        (dest / CATALOG_FILE).write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
        return {
            "format": TABLE_FORMAT,
            "file": DB_FILE,
            "tables": {t.doc_id: {"name": t.name, "rows": t.rows} for t in infos},
        }


def read_catalog(version_dir: Path | None) -> list[TableInfo]:
    """The tables of one version ([] when it has none or was written in another format)."""
    if version_dir is None:
        return []
    try:
        data = json.loads((version_dir / CATALOG_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    if data.get("format") != TABLE_FORMAT:
        return []
    return [TableInfo.from_dict(t) for t in data.get("tables", [])]
