"""Habits of exported tables, undone before the cells are typed: a cell of 'key=value' pairs,
numbers written the European way ('21.480,5'), and compact dates ('20260406') under a header
that says so. Each change is reported as a warning; nothing is dropped.
"""

from __future__ import annotations

import re
from datetime import date

_PAIR = re.compile(r"^\s*[A-Za-z][\w ]{0,20}\s*=")
_PAIRS = re.compile(r"^\s*[A-Za-z][\w ]{0,20}\s*=[^;|]*(?:[;|]\s*[A-Za-z][\w ]{0,20}\s*=[^;|]*)+$")
# "21.480,5", "9.000", "0,75": dots group thousands, a comma marks the decimals
_EURO = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^-?\d+,\d+$")
_EURO_PROOF = re.compile(r"^-?\d{1,3}(?:\.\d{3})+,\d+$|^-?\d{1,3}(?:\.\d{3}){2,}$|^-?\d+,\d{1,2}$")
_US_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_COMPACT_HEADER = re.compile(r"yyyymmdd|\b(?:date|start|end|ends|ended|expires?|updated)\b", re.I)


def _column(rows: list[list[str]], i: int) -> list[str]:
    """The cells of column i ('' where a row is short)."""
    return [r[i].strip() if i < len(r) else "" for r in rows]


def expand_pairs(
    header: list[str], rows: list[list[str]], warnings: list[str]
) -> tuple[list[str], list[list[str]]]:
    """'org=Harrowgate University; pi=Dr. Aldous; st=GA' in one column becomes columns org, pi
    and st (in the order the keys first appear), whatever order each cell lists them in."""
    for i, name in enumerate(header):
        cells = [c for c in _column(rows, i) if c]
        if not cells or sum(bool(_PAIRS.match(c)) for c in cells) < 0.8 * len(cells):
            continue
        keys: list[str] = []
        parsed = []
        for cell in _column(rows, i):
            pairs = {}
            for part in re.split(r"\s*[;|]\s*", cell):
                if _PAIR.match(part):
                    key, _, value = part.partition("=")
                    key = key.strip()
                    pairs[key] = value.strip()
                    if key not in keys:
                        keys.append(key)
            parsed.append(pairs)
        new_header = header[:i] + keys + header[i + 1 :]
        new_rows = [
            r[:i] + [p.get(k, "") for k in keys] + r[i + 1 :]
            for r, p in zip(rows, parsed, strict=True)
        ]
        warnings.append(f"read column {name!r} of key=value pairs as columns {', '.join(keys)}")
        return expand_pairs(new_header, new_rows, warnings)  # another such column, if any
    return header, rows


def european_numbers(header: list[str], rows: list[list[str]], warnings: list[str]) -> None:
    """Rewrite in place the numbers of columns written '21.480,5' (dots for thousands): when a
    cell of the table proves the style ('8.950,5'), every column of such figures ('9.000')
    without a bare US-style cell ('21,480.5') is read so, as one export writes all alike."""
    columns = [_column(rows, i) for i in range(len(header))]
    if not any(
        any(_EURO_PROOF.match(c) for c in cells) and not any(_US_THOUSANDS.match(c) for c in cells)
        for cells in columns
    ):
        return
    for i, name in enumerate(header):
        cells = [c for c in columns[i] if c]
        euro = sum(bool(_EURO.match(c)) for c in cells)
        if not euro or euro < 0.5 * len(cells) or any(_US_THOUSANDS.match(c) for c in cells):
            continue
        changed = 0
        for r in rows:
            if i < len(r) and _EURO.match(r[i].strip()):
                r[i] = r[i].strip().replace(".", "").replace(",", ".")
                changed += 1
        if changed:
            warnings.append(
                f"column {name!r}: read {changed} number(s) written the European way "
                "(dots group thousands, a comma marks decimals)"
            )


def compact_dates(header: list[str], rows: list[list[str]], warnings: list[str]) -> None:
    """Rewrite in place '20260406' as '2026-04-06' in a column whose header names a date and
    whose filled cells are all valid eight-digit dates."""
    for i, name in enumerate(header):
        if not _COMPACT_HEADER.search(name):
            continue
        cells = [c for c in _column(rows, i) if c]
        if not cells or not all(_eight_digit_date(c) for c in cells):
            continue
        for r in rows:
            if i < len(r) and r[i].strip():
                d = _eight_digit_date(r[i].strip())
                r[i] = d.isoformat() if d else r[i]
        warnings.append(f"column {name!r}: read its YYYYMMDD cells as dates")


def _eight_digit_date(cell: str) -> date | None:
    """'20260406' → 2026-04-06, else None."""
    if not re.fullmatch(r"(19|20)\d{6}", cell):
        return None
    try:
        return date(int(cell[:4]), int(cell[4:6]), int(cell[6:]))
    except ValueError:
        return None
