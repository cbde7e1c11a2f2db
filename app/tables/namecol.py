"""The column naming what each row is ('Team / Lab', 'Project'), when no free-text title is."""

from __future__ import annotations

from functools import lru_cache

from app.tables.lists import is_list_column
from app.tables.places import place_column
from index.tables import TableInfo

# Nearly every row has its own name; a renewal may repeat one (a team in two cycles).
_NEAR_UNIQUE = 0.75


@lru_cache(maxsize=16)
def name_column(table: TableInfo, taken: tuple[str, ...]) -> str | None:
    """The category column with the most distinct single names per row, not a code, a place or
    a list of tags; None when no column names most rows apart."""
    best, share = None, _NEAR_UNIQUE
    for c in table.columns:
        if c.type != "text" or not c.categorical or c.name in taken or not c.values:
            continue
        if is_list_column(c.values) or place_column(c.values) is not None:
            continue
        if all(any(ch.isdigit() for ch in v) for v in c.values):
            continue  # codes
        ratio = len(c.values) / max(table.rows, 1)
        if ratio >= share:
            best, share = c.name, ratio
    return best
