"""Recompute every table question's expected values from allocation-ledger.csv and compare.

Run: python eval/corpora/tables4/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "allocation-ledger.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
# The three amount columns; a row fills the one its system is measured in.
UNIT_COLUMNS = {"Core-hrs": "core-hrs", "GPU-hrs": "GPU-hrs", "Storage (TB)": "TB"}
# Every way the ledger writes an institution or a system, mapped to one name (the hand-made
# truth the questions are judged against: the typo "Ohio Vally University" is Ohio Valley).
INSTITUTIONS = {
    "GLTU": "Great Lakes Technological University",
    "Great Lakes Tech": "Great Lakes Technological University",
    "Great Lakes Technological Univ.": "Great Lakes Technological University",
    "The Ohio Valley University": "Ohio Valley University",
    "Ohio Vally University": "Ohio Valley University",
    "Univ. of the High Plains": "University of the High Plains",
    "Chesapeake Inst. of Technology": "Chesapeake Institute of Technology",
    "ChesTech": "Chesapeake Institute of Technology",
    "Blue Ridge State Univ.": "Blue Ridge State University",
    "Ozark Plateau Univ.": "Ozark Plateau University",
    "Magnolia State Univ.": "Magnolia State University",
    "Sierra Foothills Univ.": "Sierra Foothills University",
    "Allegheny Highlands Univ.": "Allegheny Highlands University",
}
SYSTEMS = {"tamarack-gpu": "Tamarack (GPU)", "osprey2-h100": "Osprey 2 (H100)"}
STATES = {
    "CA": "California",
    "KS": "Kansas",
    "MD": "Maryland",
    "ME": "Maine",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MO": "Missouri",
    "MS": "Mississippi",
    "OH": "Ohio",
    "SC": "South Carolina",
    "UT": "Utah",
    "VA": "Virginia",
    "WV": "West Virginia",
}


def rows() -> list[Row]:
    """The ledger's rows as dicts keyed by column header."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def institution(r: Row) -> str:
    """A row's institution under its one canonical name."""
    return INSTITUTIONS.get(r["Institution"], r["Institution"])


def system(r: Row) -> str:
    """A row's system under its one canonical name."""
    return SYSTEMS.get(r["System"], r["System"])


def state(r: Row) -> str:
    """A row's state as a full name, whether the cell holds the name or the USPS code."""
    return STATES.get(r["State"], r["State"])


def amount(r: Row) -> tuple[int, str]:
    """A row's awarded amount and its unit, from whichever amount column is filled."""
    filled = [(int(r[col]), unit) for col, unit in UNIT_COLUMNS.items() if r[col]]
    assert len(filled) == 1, r
    return filled[0]


def used(r: Row) -> int | None:
    """The Used cell as a whole percentage (None when blank)."""
    return int(r["Used"].rstrip("%")) if r["Used"] else None


def day(text: str) -> date:
    """A Start or End cell ("01-Apr-2025") as a date."""
    return datetime.strptime(text, "%d-%b-%Y").date()


def where(fn: Callable[[Row], bool], rs: list[Row] | None = None) -> list[Row]:
    """Rows for which fn is true, in table order."""
    return [r for r in (rows() if rs is None else rs) if fn(r)]


def codes(rs: list[Row]) -> list[str]:
    """Distinct project codes in table order (a renewed project is listed once)."""
    return list(dict.fromkeys(r["Proj Code"] for r in rs))


def total(rs: list[Row]) -> dict[str, int]:
    """Amounts summed per unit (never across units)."""
    out: dict[str, int] = defaultdict(int)
    for r in rs:
        n, unit = amount(r)
        out[unit] += n
    return dict(out)


def in_unit(unit: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows whose amount is in one unit."""
    return where(lambda r: amount(r)[1] == unit, rs)


def ranked(unit: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows in one unit, largest award first."""
    return sorted(in_unit(unit, rs), key=lambda r: -amount(r)[0])


def per_group(key: Callable[[Row], str], unit: str | None = None) -> dict[str, int]:
    """Row counts (no unit) or totals in one unit, for each value of key; blanks left out."""
    out: dict[str, int] = defaultdict(int)
    for r in rows() if unit is None else in_unit(unit):
        if key(r):
            out[key(r)] += 1 if unit is None else amount(r)[0]
    return dict(out)


def digits(values: dict[str, int]) -> list[str]:
    """The distinct values of a grouping or a per-unit total, as digit strings."""
    return sorted({str(v) for v in values.values()})


def code_and_amount(r: Row) -> list[str]:
    """A row's project code and awarded amount as digits."""
    return [r["Proj Code"], str(amount(r)[0])]


def between(col: str, lo: date, hi: date) -> Callable[[Row], bool]:
    """A test that a row's date in a column lies in [lo, hi]."""
    return lambda r: lo <= day(r[col]) <= hi


def _lists() -> dict[str, Callable[[], list[str]]]:
    """The fuzzy, groupby and sum questions' expected values."""
    return {
        # fuzzy
        "y001": lambda: codes(
            where(lambda r: institution(r) == "Great Lakes Technological University")
        ),
        "y002": lambda: codes(where(lambda r: institution(r) == "Ohio Valley University")),
        "y003": lambda: codes(where(lambda r: r["PI"] == "Ramírez, J.")),
        "y004": lambda: [str(total(where(lambda r: r["PI"] == "Nakamura, K."))["GPU-hrs"])],
        "y005": lambda: codes(
            where(
                lambda r: (
                    institution(r) == "Chesapeake Institute of Technology"
                    and system(r) == "Osprey 2 (H100)"
                )
            )
        ),
        "y006": lambda: codes(where(lambda r: institution(r) == "University of the High Plains")),
        # groupby
        "y007": lambda: digits(per_group(system)),
        "y008": lambda: digits(per_group(system, "GPU-hrs")),
        "y009": lambda: digits(per_group(lambda r: r["Field of Science"], "core-hrs")),
        "y010": lambda: digits(per_group(state, "TB")),
        "y011": lambda: digits(per_group(lambda r: r["FY Qtr"], "core-hrs")),
        "y012": lambda: digits(per_group(lambda r: r["Alloc Type"])),
        # sum
        "y013": lambda: [str(total(where(lambda r: system(r) == "Tamarack (CPU)"))["core-hrs"])],
        "y014": lambda: digits(
            total(where(lambda r: institution(r) == "Great Lakes Technological University"))
        ),
        "y015": lambda: [str(total(where(lambda r: r["Alloc Type"] == "Startup"))["GPU-hrs"])],
        "y016": lambda: [str(total(where(lambda r: system(r) == "Vault (project storage)"))["TB"])],
        "y017": lambda: [str(total(where(lambda r: r["FY Qtr"] == "FY26 Q1"))["GPU-hrs"])],
        "y018": lambda: digits(total(where(lambda r: r["PI"] == "Kowalski, M."))),
    }


def _singles() -> dict[str, Callable[[], list[str]]]:
    """The nth, date, state, list, filter and count questions' expected values."""
    return {
        # nth
        "y019": lambda: code_and_amount(ranked("GPU-hrs")[0]),
        "y020": lambda: code_and_amount(ranked("core-hrs")[1]),
        "y021": lambda: code_and_amount(ranked("TB")[-1]),
        "y022": lambda: codes(
            ranked("GPU-hrs", where(lambda r: system(r) == "Osprey 2 (H100)"))[:3]
        ),
        # date
        "y023": lambda: codes(where(between("Start", date(2025, 4, 1), date(2025, 4, 30)))),
        "y024": lambda: codes(where(between("End", date(2026, 1, 1), date(2026, 3, 31)))),
        "y025": lambda: codes(where(lambda r: r["FY Qtr"] == "FY25 Q2")),
        "y026": lambda: codes(
            where(lambda r: r["Alloc Type"] == "Startup" and day(r["Start"]) < date(2025, 3, 1))
        ),
        # state
        "y027": lambda: codes(where(lambda r: state(r) == "Virginia")),
        "y028": lambda: [str(len(where(lambda r: state(r) == "Missouri")))],
        "y029": lambda: [str(total(where(lambda r: state(r) == "Maryland"))["GPU-hrs"])],
        "y030": lambda: codes(where(lambda r: state(r) in ("Mississippi", "West Virginia"))),
        # list
        "y031": lambda: sorted({system(r) for r in rows()}),
        "y032": lambda: sorted(
            {r["PI"].split(",")[0] for r in where(lambda r: r["Alloc Type"] == "Education")}
        ),
        # filter
        "y033": lambda: codes(where(lambda r: used(r) == 100)),
        "y034": lambda: codes(
            where(lambda r: system(r) == "Basalt (CPU)" and r["Alloc Type"] == "Research")
        ),
        # count
        "y035": lambda: [str(len(codes(rows())))],
        "y036": lambda: [str(len(where(lambda r: (u := used(r)) is not None and u < 50)))],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, {**_lists(), **_singles()}, sys.argv)


if __name__ == "__main__":
    sys.exit(main())
