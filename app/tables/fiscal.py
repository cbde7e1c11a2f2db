"""Fiscal quarters and years said in words ('the second quarter of fiscal year 2025', 'Q2
FY2025', 'fiscal 2025') written the way the table's own fiscal column writes them ('FY25 Q2')."""

from __future__ import annotations

import re

from index.tables import TableInfo

_CELL = re.compile(
    r"^\s*(?:FY\s?'?(\d{2}|\d{4})\s*[-/ ]?\s*Q([1-4])"
    r"|Q([1-4])\s*[-/ ]?\s*FY\s?'?(\d{2}|\d{4}))\s*$",
    re.I,
)
_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_FY = r"(?:fiscal(?: year)?|fy)\s?'?(\d{4}|\d{2})"
_SAID = (
    # "the second quarter of fiscal year 2025", "second fiscal quarter of 2025"
    re.compile(rf"\b(?:the )?({'|'.join(_NTH)}) (?:fiscal )?quarter (?:of |in )?{_FY}\b", re.I),
    re.compile(rf"\b(?:the )?({'|'.join(_NTH)}) fiscal quarter (?:of |in )?(\d{{4}})\b", re.I),
    # "Q2 of FY2025", "Q2 FY 25", "FY2025 Q2", "fiscal 2025 Q2"
    re.compile(rf"\bq([1-4]) (?:of )?{_FY}\b", re.I),
    re.compile(rf"\b{_FY} q([1-4])\b", re.I),
)
_YEAR = re.compile(rf"\b(?:the )?{_FY}\b", re.I)


def quarter_values(values: tuple[str, ...]) -> bool:
    """A column of fiscal quarters ('FY25 Q1', 'Q3 FY2024'): 'per quarter' names it."""
    return bool(values) and all(_CELL.match(v) for v in values)


def _year(text: str) -> int:
    """'25' → 2025, '2025' → 2025."""
    return int(text) + 2000 if len(text) == 2 else int(text)


def _cells(table: TableInfo) -> dict[tuple[int, int], str]:
    """(fiscal year, quarter) → the cell that writes it, from a column of fiscal quarters."""
    for c in table.columns:
        if c.type != "text" or not c.values:
            continue
        found = {}
        for v in c.values:
            m = _CELL.match(v)
            if m is None:
                break
            year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            found[(_year(year), int(q))] = v
        else:
            return found
    return {}


def as_written(text: str, table: TableInfo) -> str:
    """The question with its fiscal quarters (or whole fiscal years) in the table's spelling."""
    cells = _cells(table)
    if not cells:
        return text

    def quarter(nth: str, year: str) -> str:
        q = _NTH.get(nth.lower()) or int(nth)
        return cells.get((_year(year), q), f"FY{year[-2:]} Q{q}")

    for i, pattern in enumerate(_SAID):
        if i < 3:
            text = pattern.sub(lambda m: quarter(m.group(1), m.group(2)), text)
        else:
            text = pattern.sub(lambda m: quarter(m.group(2), m.group(1)), text)

    def year(m: re.Match[str]) -> str:
        held = [v for (y, _), v in sorted(cells.items()) if y == _year(m.group(1))]
        return " or ".join(held) if held else m.group(0)

    # a whole fiscal year is its quarters; a quarter already written ('FY25 Q2') is left alone
    return _YEAR.sub(lambda m: m.group(0) if _after_q(text, m) else year(m), text)


def _after_q(text: str, m: re.Match[str]) -> bool:
    """The fiscal year is part of a quarter the table writes ('FY25 Q2')."""
    return re.match(r"\s*Q[1-4]\b", text[m.end() :], re.I) is not None
