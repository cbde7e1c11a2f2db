"""A machine named alone also names its partitions: 'Polaris' brings 'polaris-gpu', 'Aurora'
brings 'Aurora (Intel Max)'. They stay separate values (a group-by lists them apart)."""

from __future__ import annotations

import re

from app.tables.canon import spelled
from app.tables.headers import name_key, norm
from index.tables import TableInfo

# Hyphenated tails that name a partition of the machine before them, not another machine
# ('polaris-gpu', 'crux-bigmem'); 'Delta-AI' is a machine of its own and keeps its name.
_PARTITION_TAILS = frozenset(
    {"gpu", "gpus", "cpu", "cpus", "bigmem", "highmem", "himem", "largemem", "debug", "login"}
)


def _base(value: str) -> str:
    """The machine a partition value belongs to ('' when the value is no partition)."""
    m = re.fullmatch(r"\s*(.+?)\s*\([^()]+\)\s*", value)  # "Aurora (Intel Max)"
    if m:
        return name_key(norm(m.group(1)))
    m = re.fullmatch(r"\s*([A-Za-z][\w ]*?)[-_ ]([A-Za-z]+)\s*", value)  # "polaris-gpu"
    if m and m.group(2).lower() in _PARTITION_TAILS:
        return name_key(norm(m.group(1)))
    return ""


def with_partitions(table: TableInfo, column: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """The values plus every value of the column that is a partition of one of them."""
    col = table.column(column)
    if col is None or col.type != "text" or not col.values or column == table.unit_column:
        return values
    named = {name_key(norm(v)) for v in values}
    extra = [v for v in col.values if v not in values and (b := _base(v)) and b in named]
    return (*values, *extra)


def spelled_all(table: TableInfo, column: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """Every spelling of the values, and the partitions of a machine named alone."""
    return with_partitions(table, column, spelled(table, column, values))
