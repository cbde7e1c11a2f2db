"""Recompute every table question's expected values from the quarterly summary and compare.

Run: python eval/corpora/tables18/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "quarterly-allocations-by-institution-2025-07-15.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
HEAD = [
    "Quarter",
    "Institution",
    "State",
    "Institution Type",
    "Awards",
    "PIs",
    "First-Time PIs",
    "GPU Hours Awarded",
    "Storage Awarded (TB)",
]
QUARTERS = ("Q3 2024", "Q4 2024", "Q1 2025", "Q2 2025")
SUBTOTAL = "Subtotal"
GPU = "GPU Hours Awarded"
STORAGE = "Storage Awarded (TB)"
# Every way the summary writes an institution (one is typed two ways).
INSTITUTIONS = {
    "Harrowgate University": ("Harrowgate University",),
    "University of Westmarch": ("University of Westmarch", "Univ. of Westmarch"),
    "Tallis State University": ("Tallis State University",),
    "Bayou Crescent University": ("Bayou Crescent University",),
    "Del Oro Community College": ("Del Oro Community College",),
    "Northfield Polytechnic Institute": ("Northfield Polytechnic Institute",),
    "Kestrel Valley College": ("Kestrel Valley College",),
    "Sierra Pinos University": ("Sierra Pinos University",),
    "Ironwood A&M University": ("Ironwood A&M University",),
    "Copperline Community College": ("Copperline Community College",),
    "Lake Tamsin University": ("Lake Tamsin University",),
}
CANONICAL = {v: k for k, vs in INSTITUTIONS.items() for v in vs}
TYPES = ("R1", "R2", "MSI", "Community College", "PUI")


def read_rows() -> tuple[list[Row], list[Row]]:
    """The institution rows and the per-quarter subtotal rows, each checked for shape."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = list(csv.reader(f))
    assert every[0] == HEAD, every[0]
    rows = [dict(zip(HEAD, cells, strict=True)) for cells in every[1:]]
    subtotals = [r for r in rows if r["Institution"] == SUBTOTAL]
    rs = [r for r in rows if r["Institution"] != SUBTOTAL]
    assert [r["Quarter"] for r in subtotals] == list(QUARTERS), subtotals
    for r in rs:
        assert r["Quarter"] in QUARTERS and r["Institution"] in CANONICAL, r
        assert r["Institution Type"] in TYPES and r["Awards"].isdigit() and r[GPU].isdigit(), r
        assert int(r["PIs"]) <= int(r["Awards"]), r
    _checks(rs, subtotals)
    return rs, subtotals


def _checks(rs: list[Row], subtotals: list[Row]) -> None:
    """Each subtotal adds its quarter's rows; one institution has one state and one type."""
    for sub in subtotals:
        mine = in_quarter(rs, sub["Quarter"])
        assert int(sub["Awards"]) == sum(int(r["Awards"]) for r in mine), sub
        assert int(sub["PIs"]) == sum(int(r["PIs"]) for r in mine), sub
        assert int(sub["First-Time PIs"]) == sum(int(r["First-Time PIs"] or 0) for r in mine)
        assert int(sub[GPU]) == gpu(mine), sub
        assert float(sub[STORAGE]) == storage(mine), sub
        # An institution appears at most once per quarter.
        assert len({CANONICAL[r["Institution"]] for r in mine}) == len(mine), sub
    for name in INSTITUTIONS:
        states = {r["State"] for r in of(rs, name) if r["State"]}
        types = {r["Institution Type"] for r in of(rs, name)}
        assert len(states) == 1 and len(types) == 1, name


def tb(cell: str) -> float:
    """A storage cell in TB: blank is none, and the one "500 GB" cell is 0.5 TB."""
    if not cell:
        return 0.0
    if cell.endswith(" GB"):
        return float(cell.removesuffix(" GB")) / 1000
    return float(cell)


def plain(x: float) -> str:
    """A number printed the way the table prints it (no trailing .0)."""
    return str(int(x)) if x == int(x) else str(x)


def gpu(rs: list[Row]) -> int:
    """GPU hours summed."""
    return sum(int(r[GPU]) for r in rs)


def storage(rs: list[Row]) -> float:
    """Storage summed in TB."""
    return sum(tb(r[STORAGE]) for r in rs)


def awards(rs: list[Row]) -> int:
    """Awards summed."""
    return sum(int(r["Awards"]) for r in rs)


def in_quarter(rs: list[Row], *quarters: str) -> list[Row]:
    """Rows of the given quarters."""
    return [r for r in rs if r["Quarter"] in quarters]


def of(rs: list[Row], institution: str) -> list[Row]:
    """Rows of one institution, however its name is typed."""
    return [r for r in rs if CANONICAL[r["Institution"]] == institution]


def of_type(rs: list[Row], kind: str) -> list[Row]:
    """Rows of one institution type."""
    return [r for r in rs if r["Institution Type"] == kind]


def names(rs: list[Row]) -> list[str]:
    """Institutions (one spelling each) in order of first appearance."""
    return list(dict.fromkeys(CANONICAL[r["Institution"]] for r in rs))


def state_of(rs: list[Row], institution: str) -> str:
    """An institution's state from any row that gives it (one row leaves it blank)."""
    return next(r["State"] for r in of(rs, institution) if r["State"])


def ranked(rs: list[Row], n: int, reverse: bool = True) -> Row:
    """The n-th largest (or smallest) row by GPU hours, checked distinct down to it."""
    by = sorted(rs, key=lambda r: int(r[GPU]), reverse=reverse)
    assert len({int(r[GPU]) for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs, _ = read_rows()
    h1_2025 = in_quarter(rs, "Q1 2025", "Q2 2025")

    def per(key: Callable[[Row], str], rs_: list[Row]) -> list[str]:
        """GPU hours summed per group, groups in order of first appearance."""
        out: dict[str, int] = defaultdict(int)
        for r in rs_:
            out[key(r)] += int(r[GPU])
        return [str(v) for v in out.values()]

    def average_per_award(rs_: list[Row]) -> str:
        """GPU hours per award, checked to come out whole."""
        total, count = gpu(rs_), awards(rs_)
        assert total % count == 0, (total, count)
        return str(total // count)

    biggest = ranked(rs, 1)
    second_q2 = ranked(in_quarter(rs, "Q2 2025"), 2)
    smallest_q1 = ranked(in_quarter(rs, "Q1 2025"), 1, reverse=False)
    by_quarter = {q: awards(in_quarter(rs, q)) for q in QUARTERS}
    busiest = max(by_quarter, key=lambda q: by_quarter[q])
    assert sorted(by_quarter.values())[-2] < by_quarter[busiest]
    first_tamsin = next(r["Quarter"] for r in rs if CANONICAL[r["Institution"]].startswith("Lake"))
    pa = [n for n in INSTITUTIONS if state_of(rs, n) == "PA"]
    return {
        # sum: subtotal lines left out; rows combined; "500 GB" read as 0.5 TB; an average
        "u801": lambda: [str(gpu(rs))],
        "u802": lambda: [str(gpu(of(rs, "Harrowgate University")))],
        "u803": lambda: [plain(storage(of(rs, "Bayou Crescent University")))],
        "u804": lambda: [average_per_award(of(rs, "Ironwood A&M University"))],
        "u805": lambda: [str(gpu(of_type(in_quarter(rs, "Q1 2025"), "R2")))],
        # count: distinct institutions with both spellings as one; rows; awards by type
        "u806": lambda: [str(len(names(rs)))],
        "u807": lambda: [str(len(in_quarter(rs, "Q1 2025")))],
        "u808": lambda: [str(awards(of_type(h1_2025, "R1")))],
        # filter: a blank first-time count is not a zero; a blank storage cell is none
        "u809": lambda: names([r for r in rs if int(r["First-Time PIs"] or 0) >= 2]),
        "u810": lambda: names([r for r in in_quarter(rs, "Q2 2025") if r["First-Time PIs"] == "0"]),
        "u811": lambda: names([r for r in in_quarter(rs, "Q4 2024") if tb(r[STORAGE]) > 0]),
        # list
        "u812": lambda: names(of_type(rs, "Community College")),
        "u813": lambda: names(in_quarter(rs, "Q4 2024")),
        # nth: the subtotal lines are larger than any institution's row
        "u814": lambda: [
            CANONICAL[biggest["Institution"]],
            biggest[GPU],
            biggest["Quarter"],
        ],
        "u815": lambda: [CANONICAL[second_q2["Institution"]], second_q2[GPU]],
        "u816": lambda: [CANONICAL[smallest_q1["Institution"]], smallest_q1[GPU]],
        # groupby (sums only: a right answer may name a group another way)
        "u817": lambda: per(lambda r: r["Quarter"], rs),
        "u818": lambda: per(lambda r: r["Institution Type"], rs),
        # date: quarters as the table writes them; a calendar year is two quarters here
        "u819": lambda: [first_tamsin],
        "u820": lambda: [str(awards(in_quarter(rs, "Q3 2024", "Q4 2024")))],
        "u821": lambda: [busiest, str(by_quarter[busiest])],
        # state: a state's name asked for a code; a blank state filled from the same school
        "u822": lambda: [str(gpu([r for r in rs if r["State"] == "TX"]))],
        "u823": lambda: (
            pa
            + [r["Quarter"] for n in pa for r in of(rs, n)]
            + [str(gpu([r for n in pa for r in of(rs, n)]))]
        ),
        # fuzzy: a short name covering two spellings; a name typed loosely
        "u824": lambda: [str(gpu(of(rs, "University of Westmarch")))],
        "u825": lambda: [of(in_quarter(rs, "Q1 2025"), "Ironwood A&M University")[0][GPU]],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
