"""Recompute every table question's expected values from award-log.csv and compare.

Run: python eval/corpora/tables3/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "award-log.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
# The unit each Amount cell carries, by the text after the number.
UNITS = {"SU": "SU", "credits": "credits", "node-hrs": "node-hrs"}


def rows() -> list[Row]:
    """The table's rows as dicts keyed by column header (the BOM is dropped)."""
    with TABLE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def amount(r: Row) -> tuple[int, str]:
    """An Amount cell as (number, unit): "$5,000 credits" is (5000, "credits")."""
    m = re.fullmatch(r"\$?([\d,]+) (\S+)", r["Amount"])
    assert m, r["Amount"]
    return int(m.group(1).replace(",", "")), UNITS[m.group(2)]


def day(text: str) -> date | None:
    """A date cell, ISO or "Mar 14, 2025", as a date (None when blank)."""
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%b %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(text)


def where(col: str, *values: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows whose column equals one of the values."""
    pool = rows() if rs is None else rs
    return [r for r in pool if r[col] in values]


def ids(rs: list[Row]) -> list[str]:
    """Award numbers in table order."""
    return [r["Award #"] for r in rs]


def total(rs: list[Row]) -> dict[str, int]:
    """Amounts summed per unit (never across units)."""
    out: dict[str, int] = defaultdict(int)
    for r in rs:
        n, unit = amount(r)
        out[unit] += n
    return dict(out)


def ranked(unit: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows in one unit, largest first."""
    pool = rows() if rs is None else rs
    return sorted((r for r in pool if amount(r)[1] == unit), key=lambda r: -amount(r)[0])


def awarded(lo: date, hi: date, col: str = "Awarded on") -> list[Row]:
    """Rows whose date in a column lies in [lo, hi]."""
    return [r for r in rows() if (d := day(r[col])) is not None and lo <= d <= hi]


def physics(r: Row) -> bool:
    """The department is physics, however it is written."""
    return "physics" in r["Dept."].lower()


def per_group(col: str, unit: str) -> dict[str, int]:
    """Totals in one unit for each value of a column."""
    sums: Counter[str] = Counter()
    for r in rows():
        n, u = amount(r)
        if u == unit:
            sums[r[col]] += n
    return dict(sums)


def key_and_amount(r: Row) -> list[str]:
    """A row's award number and amount as digits."""
    return [r["Award #"], str(amount(r)[0])]


def digits(d: dict[str, int]) -> list[str]:
    """The values of a per-unit or per-group total, as digit strings, sorted by key."""
    return [str(v) for _, v in sorted(d.items())]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    return {
        # list
        "x001": lambda: sorted({r["Program"] for r in rows()}),
        "x002": lambda: sorted({r["Institution"] for r in where("Program", "Cloud Credits")}),
        "x003": lambda: sorted({r["Recipient"] for r in where("Program", "Classroom")}),
        # filter
        "x004": lambda: ids(where("Program", "GPU Pilot", rs=where("Status", "Active"))),
        "x005": lambda: ids(where("Program", "Classroom")),
        "x006": lambda: ids(where("Status", "Pending", rs=where("Program", "HPC Startup"))),
        "x007": lambda: ids(where("Dept.", "Chemistry")),
        "x008": lambda: ids([r for r in rows() if "LLM" in r["Keywords"]]),
        # count
        "x009": lambda: [str(len(where("Status", "Pending")))],
        "x010": lambda: [str(len(where("Program", "Cloud Credits")))],
        "x011": lambda: [str(len(where("Status", "Active", rs=where("Program", "HPC Research"))))],
        # sum
        "x012": lambda: digits(total(where("Recipient", "Dana Whitfield"))),
        "x013": lambda: [str(total(where("Program", "Cloud Credits"))["credits"])],
        "x014": lambda: [str(total(where("Program", "GPU Pilot"))["node-hrs"])],
        "x015": lambda: digits(total(where("Program", "Classroom"))),
        # nth
        "x016": lambda: [
            *key_and_amount(ranked("credits")[0]),
            ranked("credits")[0]["Recipient"],
        ],
        "x017": lambda: key_and_amount(ranked("credits", where("Program", "Cloud Credits"))[1]),
        "x018": lambda: key_and_amount(ranked("node-hrs")[-1]),
        "x019": lambda: ids(ranked("SU", where("Program", "HPC Research"))[:3]),
        # groupby
        # Distinct counts only: two programs share a count of 8.
        "x020": lambda: sorted({str(n) for n in Counter(r["Program"] for r in rows()).values()}),
        "x021": lambda: sorted({str(n) for n in Counter(r["Status"] for r in rows()).values()}),
        "x022": lambda: [str(v) for v in per_group("Institution", "node-hrs").values()],
        # date
        "x023": lambda: ids(awarded(date(2025, 1, 1), date(2025, 3, 31))),
        "x024": lambda: ids(awarded(date(2025, 3, 14), date(2025, 3, 14))),
        "x025": lambda: ids(awarded(date(2025, 9, 1), date(2025, 9, 30), "Ends")),
        "x026": lambda: ids(
            [
                r
                for r in awarded(date(2025, 3, 1), date(2025, 11, 15))
                if r["Program"] == "Cloud Credits"
            ]
        ),
        # fuzzy
        "x027": lambda: ids(where("Institution", "Texas A&M University")),
        "x028": lambda: ids([r for r in rows() if physics(r)]),
        "x029": lambda: ids(where("Institution", "Université Laval-Nord")),
        "x030": lambda: ids(where("Institution", "Lakeshore Institute of Technology")),
        # state
        "x031": lambda: [str(total(where("State/Province", "ON"))["SU"])],
        "x032": lambda: ids(where("State/Province", "BC")),
        "x033": lambda: [str(len(where("State/Province", "TX")))],
        "x034": lambda: ids(where("State/Province", "QC", "MB")),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
