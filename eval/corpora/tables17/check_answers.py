"""Recompute every table question's expected values from the education roster and compare.

Run: python eval/corpora/tables17/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "education-allocations-roster-2025-11-14.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
AS_OF = date(2025, 11, 14)
HEAD = [
    "Course",
    "Section",
    "Title",
    "Instructor",
    "Institution",
    "State",
    "Term",
    "Start",
    "End",
    "Students",
    "Resource",
    "Unit",
    "Per Student",
    "Awarded",
    "Used to Date",
    "Status",
]
KESTREL, LARCH, MEADOW, TAMARACK = "Kestrel GPU", "Larch CPU", "Meadow Cloud", "Tamarack Notebooks"
# Each resource's unit, with every way the roster writes it ("GPU-hrs" once).
UNITS = {
    KESTREL: ("GPU hours", "GPU-hrs"),
    LARCH: ("core hours",),
    MEADOW: ("USD",),
    TAMARACK: ("notebook hours",),
}
# Institutions typed more than one way; every other institution has one spelling.
SPELLINGS = {
    "University of Eastmoor": ("University of Eastmoor", "Univ. of Eastmoor"),
    "Saint Brigid College": ("Saint Brigid College", "St. Brigid College"),
}
CANONICAL = {v: k for k, vs in SPELLINGS.items() for v in vs}
STATUSES = ("Active", "Completed", "Approved", "Cancelled")


def day(cell: str) -> date:
    """A DD-Mon-YYYY cell as a date."""
    return datetime.strptime(cell, "%d-%b-%Y").date()


def read_rows() -> list[Row]:
    """The roster rows, each checked for shape."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = list(csv.reader(f))
    assert every[0] == HEAD, every[0]
    rows = [dict(zip(HEAD, cells, strict=True)) for cells in every[1:]]
    assert 30 <= len(rows) <= 45, len(rows)
    for r in rows:
        assert r["Unit"] in UNITS[r["Resource"]], r
        assert r["Status"] in STATUSES, r
        assert r["Students"].isdigit() and r["Awarded"].isdigit(), r
        assert r["Used to Date"] == "" or r["Used to Date"].isdigit(), r
    _checks(rows)
    return rows


def _checks(rs: list[Row]) -> None:
    """Awarded is students times the per-student figure; status agrees with the dates."""
    keys = [(r["Course"], r["Section"], r["Term"]) for r in rs]
    assert len(set(keys)) == len(keys), "one row per course section and term"
    for r in rs:
        # One flat workshop award has no per-student figure (a blank cell).
        if r["Per Student"]:
            assert awarded(r) == int(r["Students"]) * int(r["Per Student"]), r
        assert used(r) <= awarded(r), r
        start, end = day(r["Start"]), day(r["End"])
        assert start < end, r
        if r["Status"] == "Completed":
            assert end < AS_OF, r
        elif r["Status"] == "Active":
            assert start <= AS_OF <= end, r
        elif r["Status"] == "Approved":
            assert start > AS_OF and used(r) == 0, r
        else:
            assert used(r) == 0, r


def awarded(r: Row) -> int:
    """The award in its resource's unit."""
    return int(r["Awarded"])


def used(r: Row) -> int:
    """Used to date; a blank cell is nothing used yet."""
    return int(r["Used to Date"] or 0)


def courses(rs: list[Row]) -> list[str]:
    """Course codes in table order, each once (two sections are one course)."""
    return list(dict.fromkeys(r["Course"] for r in rs))


def on(rs: list[Row], resource: str) -> list[Row]:
    """Rows on one resource."""
    return [r for r in rs if r["Resource"] == resource]


def having(rs: list[Row], column: str, value: str) -> list[Row]:
    """Rows whose cell in one column is exactly value."""
    return [r for r in rs if r[column] == value]


def total(rs: list[Row], of: Callable[[Row], int] = awarded) -> int:
    """A figure summed; every row must be on one resource, so in one unit."""
    assert len({r["Resource"] for r in rs}) <= 1, "never add across units"
    return sum(of(r) for r in rs)


def each(amount: int, students: int) -> int:
    """An award divided evenly among students, checked to come out whole."""
    share, rest = divmod(amount, students)
    assert rest == 0, (amount, students)
    return share


def ranked(rs: list[Row], n: int, reverse: bool = True) -> Row:
    """The n-th largest (or smallest) award, checked distinct down to it."""
    by = sorted(rs, key=awarded, reverse=reverse)
    assert len({awarded(r) for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs = read_rows()
    active = having(rs, "Status", "Active")
    fall = having(rs, "Term", "Fall 2025")

    def per(key: str, rs_: list[Row], of: Callable[[Row], int]) -> list[str]:
        """A figure summed per group, groups in order of first appearance."""
        out: dict[str, int] = defaultdict(int)
        for r in rs_:
            out[r[key]] += of(r)
        return [str(v) for v in out.values()]

    def plain(text: str) -> str:
        """Accents and hyphens dropped, for matching a name typed without them."""
        return text.translate(str.maketrans("áéíóúñ-", "aeioun "))

    top_active_cpu = ranked(on(active, LARCH), 1)
    second_gpu = ranked(on(rs, KESTREL), 2)
    least_cloud = ranked(on(rs, MEADOW), 1, reverse=False)
    (summer_school,) = [r for r in rs if "summer school" in r["Title"].lower()]
    (ortega,) = [r for r in rs if plain(r["Instructor"]) == "Jose Ortega Malloy"]
    return {
        # sum: "GPU-hrs" is GPU hours; a course's two sections; remaining = awarded - used;
        # one instructor's rows combined
        "u701": lambda: [str(total(on(active, KESTREL)))],
        "u702": lambda: [
            str(total(having(rs, "Course", "DS 2100"))),
            str(total(having(rs, "Course", "DS 2100"), used)),
        ],
        "u703": lambda: [str(total(on(active, MEADOW), lambda r: awarded(r) - used(r)))],
        "u704": lambda: [str(sum(int(r["Students"]) for r in active))],
        "u705": lambda: [str(total(having(rs, "Instructor", "Amara Okafor"), used))],
        # count: every row is one allocation (sections and terms counted separately)
        "u706": lambda: [str(len(rs))],
        "u707": lambda: [str(len(having(rs, "Status", "Approved")))],
        # filter
        "u708": lambda: courses([r for r in active if used(r) > 0.9 * awarded(r)]),
        "u709": lambda: courses([r for r in fall if int(r["Students"]) > 50]),
        "u710": lambda: courses(
            [r for r in on(rs, MEADOW) if r["Per Student"] and int(r["Per Student"]) > 100]
        ),
        # list
        "u711": lambda: courses(on(fall, MEADOW)),
        "u712": lambda: courses(on(rs, TAMARACK)),
        # nth
        "u713": lambda: [top_active_cpu["Instructor"].split()[-1], str(awarded(top_active_cpu))],
        "u714": lambda: [second_gpu["Course"], str(awarded(second_gpu))],
        "u715": lambda: [least_cloud["Course"], str(awarded(least_cloud))],
        # groupby (sums only: a right answer may name a group another way)
        "u716": lambda: per("Term", on(rs, LARCH), awarded),
        "u717": lambda: per("Resource", rs, used),
        # date: DD-Mon-YYYY cells
        "u718": lambda: [
            str(sum((day(r["Start"]).year, day(r["Start"]).month) == (2026, 1) for r in rs))
        ],
        "u719": lambda: courses([r for r in active if day(r["End"]) < date(2025, 12, 10)]),
        "u720": lambda: [
            r["End"]
            for r in having(rs, "Instructor", "Kwame Asante")
            if r["Title"] == "Embedded Machine Learning"
        ],
        # state: a state named in full, asked of a table of codes
        "u721": lambda: courses(having(rs, "State", "MA")),
        "u722": lambda: [str(len(having(active, "State", "TX")))],
        # fuzzy: an institution spelled two ways; a course named loosely by its title, its
        # flat award divided by its students; a name typed without accent or hyphen
        "u723": lambda: [
            str(sum(CANONICAL.get(r["Institution"]) == "University of Eastmoor" for r in rs))
        ],
        "u724": lambda: [str(each(awarded(summer_school), int(summer_school["Students"])))],
        "u725": lambda: [ortega["Course"], ortega["Per Student"]],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
