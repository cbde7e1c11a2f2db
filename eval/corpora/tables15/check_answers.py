"""Recompute every table question's expected values from the allocation export and compare.

Run: python eval/corpora/tables15/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "awards-export-2025-09-30.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
AS_OF = date(2025, 9, 30)
HEAD = [
    "Award ID",
    "PI",
    "Institution",
    "State",
    "Field of Science",
    "Resource",
    "Request Type",
    "Amount",
    "Unit",
    "Start Date",
    "End Date",
    "Status",
]
CORVID, BASALT, TERN, QUILL = "Corvid GPU", "Basalt CPU", "Tern Cloud", "Quill Storage"
# Each resource's unit, with every way the export writes it ("GPU hrs" once).
UNITS = {
    CORVID: ("GPU hours", "GPU hrs"),
    BASALT: ("core hours",),
    TERN: ("USD",),
    QUILL: ("TB",),
}
# Cells typed more than one way; these are all the spellings in the file.
INSTITUTIONS = {
    "University of North Alder": ("University of North Alder", "Univ. of North Alder"),
    "Calloway State University": ("Calloway State University", "Calloway State Univ."),
    "Redmarsh Institute of Technology": ("Redmarsh Institute of Technology", "Redmarsh Tech"),
    "Stonebridge University": ("Stonebridge University", "Stonebridge Univ."),
    "Fennimore College": ("Fennimore College",),
    "Pine Hollow State University": ("Pine Hollow State University",),
    "Marisol University": ("Marisol University",),
    "Bexley A&M University": ("Bexley A&M University",),
    "Greywater Medical College": ("Greywater Medical College",),
    "University of Caddo Plains": ("University of Caddo Plains",),
    "Harlan Community College": ("Harlan Community College",),
    "Ashgrove Lake University": ("Ashgrove Lake University",),
}
CANONICAL = {v: k for k, vs in INSTITUTIONS.items() for v in vs}
STATES = {"OH": ("OH", "Ohio")}
REQUEST_TYPES = {
    "Startup": ("Startup", "Start-up"),
    "Research": ("Research",),
    "Classroom": ("Classroom",),
    "Supplement": ("Supplement",),
}
STATUSES = {
    "Active": ("Active", "active"),
    "Complete": ("Complete",),
    "Pending": ("Pending",),
    "Withdrawn": ("Withdrawn",),
}


def day(cell: str) -> date | None:
    """A MM/DD/YYYY cell as a date; blank cells are None."""
    return datetime.strptime(cell, "%m/%d/%Y").date() if cell else None


def split_rows() -> tuple[list[Row], Row]:
    """The award rows and the totals row, each checked for shape."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = list(csv.reader(f))
    assert every[0] == HEAD, every[0]
    rows = [dict(zip(HEAD, cells, strict=True)) for cells in every[1:]]
    *awards, totals = rows
    assert totals["Award ID"] == "TOTAL" and not totals["Resource"], totals
    for r in awards:
        assert re.fullmatch(r"PD-2[45]-1\d\d", r["Award ID"]), r
        assert r["Unit"] in UNITS[r["Resource"]] and r["Amount"].isdigit(), r
        assert r["Institution"] in CANONICAL, r
        assert any(r["Status"] in v for v in STATUSES.values()), r
        assert any(r["Request Type"] in v for v in REQUEST_TYPES.values()), r
    _checks(awards, totals)
    return awards, totals


def _checks(rs: list[Row], totals: Row) -> None:
    """Ids sorted and unique; the totals row sums every amount; status agrees with the dates."""
    ids = [r["Award ID"] for r in rs]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert int(totals["Amount"]) == sum(amount(r) for r in rs)
    for r in rs:
        start, end = day(r["Start Date"]), day(r["End Date"])
        kind = status(r)
        if kind == "Complete":
            assert end is not None and end < AS_OF, r
        elif kind == "Active":
            assert start is not None and end is not None and start <= AS_OF < end, r
        elif kind == "Pending":
            assert start is not None and start > AS_OF, r
        # A supplement extends an earlier award of the same PI on the same resource.
        if r["Request Type"] == "Supplement":
            assert any(
                x["PI"] == r["PI"] and x["Resource"] == r["Resource"] and x is not r for x in rs
            ), r


def amount(r: Row) -> int:
    """The award's amount in its resource's unit."""
    return int(r["Amount"])


def status(r: Row) -> str:
    """The status, however capitalised."""
    return next(k for k, vs in STATUSES.items() if r["Status"] in vs)


def request_type(r: Row) -> str:
    """The request type, however spelled."""
    return next(k for k, vs in REQUEST_TYPES.items() if r["Request Type"] in vs)


def ids(rs: list[Row]) -> list[str]:
    """Award ids in table order."""
    return [r["Award ID"] for r in rs]


def on(rs: list[Row], resource: str) -> list[Row]:
    """Awards on one resource."""
    return [r for r in rs if r["Resource"] == resource]


def active(rs: list[Row]) -> list[Row]:
    """Awards active on the export date."""
    return [r for r in rs if status(r) == "Active"]


def last_name(r: Row) -> str:
    """The PI's last name ("Lucía Fernández Ruiz" counts as "Fernández")."""
    parts = r["PI"].split()
    return parts[1] if len(parts) == 3 else parts[-1]


def total(rs: list[Row]) -> int:
    """Amounts summed; every row must be in the same unit family."""
    assert len({r["Resource"] for r in rs}) <= 1, "never add across units"
    return sum(amount(r) for r in rs)


def ranked(rs: list[Row], n: int, reverse: bool = True) -> Row:
    """The n-th largest (or smallest) award, checked distinct down to it."""
    by = sorted(rs, key=amount, reverse=reverse)
    assert len({amount(r) for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs, _ = split_rows()

    def of_pi(name: str) -> list[Row]:
        """Every award of one PI."""
        return [r for r in rs if r["PI"] == name]

    def per(key: Callable[[Row], str], rs_: list[Row]) -> list[str]:
        """Amounts summed per group, groups in order of first appearance."""
        out: dict[str, int] = defaultdict(int)
        for r in rs_:
            out[key(r)] += amount(r)
        return [str(v) for v in out.values()]

    def started(r: Row, lo: date, hi: date) -> bool:
        """Started within [lo, hi)."""
        start = day(r["Start Date"])
        return start is not None and lo <= start < hi

    def ends_in(r: Row, year: int, month: int) -> bool:
        """Ends in the given calendar month."""
        end = day(r["End Date"])
        return end is not None and (end.year, end.month) == (year, month)

    def plain(text: str) -> str:
        """Accents dropped, for matching a name typed without them."""
        return text.translate(str.maketrans("áéíóúñ", "aeioun"))

    top_active_gpu = ranked(active(on(rs, CORVID)), 1)
    second_cpu = ranked(on(rs, BASALT), 2)
    least_cloud = ranked(on(rs, TERN), 1, reverse=False)
    (fernandez,) = [r for r in rs if plain(r["PI"]).startswith("Lucia Fernandez")]
    return {
        # sum: the "GPU hrs" row is GPU hours; a PI's award and supplement combined
        "u501": lambda: [str(total(active(on(rs, CORVID))))],
        "u502": lambda: [str(total(active(on(rs, BASALT))))],
        "u503": lambda: [str(total(on(of_pi("Ingrid Halvorsen"), CORVID)))],
        "u504": lambda: [str(total(on(of_pi("Rosalind Achterberg"), BASALT)))],
        "u505": lambda: [str(total([r for r in on(rs, TERN) if request_type(r) == "Classroom"]))],
        # count: the totals row is not an award; spellings of one type or status
        "u506": lambda: [str(len(rs))],
        "u507": lambda: [str(sum(request_type(r) == "Startup" for r in rs))],
        "u508": lambda: [str(len(active(rs)))],
        # filter
        "u509": lambda: ids([r for r in on(rs, CORVID) if amount(r) > 50000]),
        "u510": lambda: ids([r for r in rs if status(r) == "Pending"]),
        "u511": lambda: ids([r for r in active(rs) if request_type(r) == "Classroom"]),
        # list
        "u512": lambda: ids([r for r in rs if r["Field of Science"] == "Biology"]),
        "u513": lambda: ids(on(rs, TERN)),
        # nth: the totals row is larger than any award
        "u514": lambda: [last_name(top_active_gpu), str(amount(top_active_gpu))],
        "u515": lambda: [
            second_cpu["Award ID"],
            last_name(second_cpu),
            str(amount(second_cpu)),
        ],
        "u516": lambda: [least_cloud["Award ID"], str(amount(least_cloud))],
        # groupby (sums only: a right answer may name a group another way); spellings merged
        "u517": lambda: per(request_type, on(rs, BASALT)),
        "u518": lambda: per(lambda r: CANONICAL[r["Institution"]], on(rs, CORVID)),
        # date: MM/DD/YYYY cells
        "u519": lambda: [str(sum(started(r, date(2025, 1, 1), date(2025, 4, 1)) for r in rs))],
        "u520": lambda: ids([r for r in rs if ends_in(r, 2025, 12)]),
        "u521": lambda: [r["End Date"] for r in on(of_pi("Marcus Delacroix"), BASALT)],
        # state: a code and a full name for one state; a name asked for a code
        "u522": lambda: [str(sum(r["State"] in STATES["OH"] for r in rs))],
        "u523": lambda: ids([r for r in rs if r["State"] == "TX"]),
        # fuzzy: a name without accents; an institution spelled two ways
        "u524": lambda: [str(amount(fernandez))],
        "u525": lambda: ids(
            [r for r in rs if CANONICAL[r["Institution"]] == "Calloway State University"]
        ),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
