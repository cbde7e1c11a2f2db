"""Recompute every table question's expected values from compute-time-awards.csv and compare.

Run: python eval/corpora/tables6/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "compute-time-awards.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
# The month each quarter starts in, for "Q3 2025" cells.
QUARTER_START = {1: 1, 2: 4, 3: 7, 4: 10}


def rows() -> list[Row]:
    """The table's rows as dicts keyed by column header."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def hours(r: Row) -> int:
    """Hours Awarded as a number: "12 500" and "1,200,000" both have separators."""
    cell = r["Hours Awarded"]
    assert re.fullmatch(r"\d{1,3}([ ,]\d{3})*", cell), cell
    return int(re.sub(r"[ ,]", "", cell))


def start(r: Row) -> tuple[int, int]:
    """The (year, month) a Start cell begins: an ISO week by its Monday, a quarter by its 1st."""
    cell = r["Start"]
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", cell):
        monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        return monday.year, monday.month
    m = re.fullmatch(r"Q([1-4]) (\d{4})", cell)
    assert m, cell
    return int(m.group(2)), QUARTER_START[int(m.group(1))]


def where(col: str, *values: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows whose column equals one of the values."""
    pool = rows() if rs is None else rs
    return [r for r in pool if r[col] in values]


def having(col: str, text: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows whose column contains the text, case-insensitively (spelling variants)."""
    pool = rows() if rs is None else rs
    return [r for r in pool if text.lower() in r[col].lower()]


def ids(rs: list[Row]) -> list[str]:
    """Award IDs in table order."""
    return [r["Award ID"] for r in rs]


def total(rs: list[Row]) -> dict[str, int]:
    """Hours summed per unit (never across units)."""
    out: dict[str, int] = defaultdict(int)
    for r in rs:
        out[r["Unit"]] += hours(r)
    return dict(out)


def ranked(unit: str) -> list[Row]:
    """Rows in one unit, most hours first."""
    return sorted(where("Unit", unit), key=lambda r: -hours(r))


def person(r: Row) -> str:
    """The PI without the title ("Dr. ", "Prof. ", "Mr. ", "Ms. ")."""
    return re.sub(r"^(Dr|Prof|Mr|Ms)\. ", "", r["Principal Investigator"])


def minnetonka(r: Row) -> bool:
    """The affiliation is the University of Minnetonka, however it is spelled."""
    return re.search(r"Univ\w*\.? of Minnetonka", r["Affiliation"]) is not None


def grouped(col: str, rs: list[Row], value: Callable[[list[Row]], int]) -> list[str]:
    """Each group's name and its value as digits (the value once even when groups share it)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rs:
        groups[r[col]].append(r)
    return [*groups, *sorted({str(value(g)) for g in groups.values()})]


def per_unit(col: str, unit: str) -> list[str]:
    """Each value of a column and its hours in one unit (only rows in that unit)."""
    return grouped(col, where("Unit", unit), lambda g: total(g)[unit])


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    return {
        # list
        "v601": lambda: list(dict.fromkeys(r["Machine/Partition"] for r in rows())),
        "v602": lambda: [person(r) for r in where("Programme/Call", "Training & Education")],
        # filter
        "v603": lambda: ids(where("Field", "AI/ML", rs=where("Machine/Partition", "Sophia"))),
        "v604": lambda: ids(where("Renewal", "yes")),
        # count
        "v605": lambda: [str(len(where("Duration (months)", "12")))],
        # sum: Polaris is written "Polaris" (node-hours) and "polaris-gpu" (GPU-hours)
        "v606": lambda: [str(v) for v in total(having("Machine/Partition", "polaris")).values()],
        "v607": lambda: [str(total(where("Machine/Partition", "Crux (CPU)"))["core-hours"])],
        "v608": lambda: [str(total(where("Programme/Call", "Industry Access"))["GPU-hours"])],
        "v609": lambda: [str(total(having("Principal Investigator", "Varga"))["node-hours"])],
        # nth
        "v610": lambda: [ranked("GPU-hours")[0]["Award ID"], person(ranked("GPU-hours")[0])],
        "v611": lambda: [ranked("node-hours")[1]["Award ID"], person(ranked("node-hours")[1])],
        "v612": lambda: [ranked("core-hours")[-1]["Award ID"], person(ranked("core-hours")[-1])],
        # groupby
        "v613": lambda: grouped("Programme/Call", rows(), len),
        "v614": lambda: per_unit("Machine/Partition", "GPU-hours"),
        "v615": lambda: per_unit("Programme/Call", "node-hours"),
        "v616": lambda: grouped("Machine/Partition", rows(), len),
        # date
        "v617": lambda: ids([r for r in rows() if start(r)[0] == 2025 and 7 <= start(r)[1] <= 9]),
        "v618": lambda: ids(where("Start", "2025-W11")),
        "v619": lambda: ids([r for r in rows() if start(r)[0] == 2026]),
        # fuzzy
        "v620": lambda: ids([r for r in rows() if minnetonka(r)]),
        "v621": lambda: [str(len(having("Machine/Partition", "Aurora")))],
        "v622": lambda: ids(having("Affiliation", "Bluestem Analytics")),
        "v623": lambda: ids(having("Affiliation", "Calumet Inst")),
        # state: codes and names are mixed in one column
        "v624": lambda: [str(len(where("State/Country", "WI", "Wisconsin")))],
        "v625": lambda: ids(where("State/Country", "TX", "Texas")),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
