"""A length named with its unit ('a full 12 months', '6-month awards') is a value of the column
whose header carries that unit ('Duration (months)'); a bound ('over 6 months') is not."""

from __future__ import annotations

from app.tables.headers import Tokens, column_label, norm
from app.tables.match import Match
from index.tables import TableInfo

# Units of a length of time, singular → the header's usual plural.
_TIME_UNITS = {"day": "days", "week": "weeks", "month": "months", "quarter": "quarters"}
_TIME_UNITS |= {"year": "years", "hour": "hours"}
# Words before a number that make it a bound, which the planner's bounds handle.
_BOUNDS = frozenset(
    {"over", "under", "than", "least", "most", "above", "below", "within", "upto", "to"}
    | {"exceeding", "beyond", "from", "between", "and", "max", "min"}
)


def _unit_of(word: str) -> str:
    """'month', 'months' → 'months'; '' for no unit of time."""
    return _TIME_UNITS.get(word) or (word if word in _TIME_UNITS.values() else "")


def length_matches(q: Tokens, table: TableInfo) -> list[Match]:
    """'12 months' as the value 12 of the one numeric column whose unit is months."""
    by_unit: dict[str, list[str]] = {}
    for c in table.columns:
        # the unit in brackets ('Duration (months)') or as the header ('Months', 'Term months')
        words = norm(column_label(c.name)).split()
        unit = _unit_of(norm(c.unit)) or _unit_of(words[-1] if words else "")
        unit = unit if c.numeric else ""
        if unit:
            by_unit.setdefault(unit, []).append(c.name)
    if not by_unit:
        return []
    out = []
    for i, w in enumerate(q.low[:-1]):
        unit = _unit_of(q.low[i + 1])
        columns = by_unit.get(unit, [])
        if not w.isdigit() or len(columns) != 1 or (i and q.low[i - 1] in _BOUNDS):
            continue
        out.append(Match(columns[0], (w,), i, i + 2, 100.0, True))
    return out
