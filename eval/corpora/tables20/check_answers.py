"""Recompute every table question's expected values from the awards export and compare.

Run: python eval/corpora/tables20/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from).
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
TABLE = HERE / "tables" / "allocation-awards-export-2025-11-15.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
AS_OF = date(2025, 11, 15)
HALYARD, RIDGELINE, CISTERN = "Halyard GPU", "Ridgeline CPU", "Cistern Storage"
# Every way the export writes each resource, and the unit its amounts carry.
RESOURCES = {
    HALYARD: (("Halyard GPU",), "GPU Hours"),
    RIDGELINE: (("Ridgeline CPU", "Ridgeline-CPU"), "SUs"),
    CISTERN: (("Cistern Storage",), "TB"),
}
# Institutions typed two ways; every other name is written one way.
INSTITUTIONS = {
    "Univ. of Eastbrook": "University of Eastbrook",
    "Coldwater Inst. of Technology": "Coldwater Institute of Technology",
}


def rows() -> list[Row]:
    """The export's rows (one award may span two rows, one per resource)."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def day(cell: str) -> date | None:
    """A 'DD Mon YYYY' cell as a date; blank cells are None."""
    return datetime.strptime(cell, "%d %b %Y").date() if cell else None


def resource(r: Row) -> str:
    """The row's resource under one spelling."""
    return next(k for k, (names, _) in RESOURCES.items() if r["Resource"] in names)


def amount(r: Row) -> int:
    """The number in the amount cell, after checking its unit matches the resource."""
    number, _, unit = r["Awarded Amount"].partition(" ")
    assert unit == RESOURCES[resource(r)][1], r
    return int(number.replace(",", ""))


def institution(r: Row) -> str:
    """The institution under one spelling."""
    return INSTITUTIONS.get(r["Institution"], r["Institution"])


def active(r: Row) -> bool:
    """Awarded on or before the export date and not yet expired (blank end: still open)."""
    start, end = day(r["Award Date"]), day(r["Expiration Date"])
    return start is not None and start <= AS_OF and (end is None or end >= AS_OF)


def awarded_in(r: Row, year: int, months: tuple[int, ...]) -> bool:
    """Whether the award date falls in one of the months of a year."""
    d = day(r["Award Date"])
    return d is not None and d.year == year and d.month in months


def on(rs: list[Row], res: str) -> list[Row]:
    """The rows on one resource."""
    return [r for r in rs if resource(r) == res]


def ids(rs: list[Row]) -> list[str]:
    """Distinct award numbers, in table order."""
    return list(dict.fromkeys(r["Award Number"] for r in rs))


def last(r: Row) -> str:
    """The PI's last name."""
    return r["Principal Investigator"].split()[-1]


def n(x: int) -> str:
    """A number printed the way the table prints amounts (with thousands separators)."""
    return f"{x:,}"


def per(key: Callable[[Row], str], rs: list[Row]) -> list[str]:
    """The per-group sums of amounts (group names left out: answers may word them otherwise)."""
    sums: dict[str, int] = defaultdict(int)
    for r in rs:
        sums[key(r)] += amount(r)
    return [n(v) for v in sums.values()]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each question id with a function computing its must_include from the table."""
    rs = rows()
    gpu, cpu, sto = on(rs, HALYARD), on(rs, RIDGELINE), on(rs, CISTERN)
    top_active_gpu = max((r for r in gpu if active(r)), key=amount)
    second_cpu = sorted(cpu, key=amount, reverse=True)[1]
    least_sto = min(sto, key=amount)
    most_sto = max(sto, key=amount)
    lookup = next(r for r in rs if r["Award Number"] == "ACR-250502")
    marchetti = next(r for r in rs if r["Principal Investigator"] == "Olivia Marchetti")
    echeverria = next(r for r in rs if r["Principal Investigator"] == "Tomás Echeverría")
    return {
        # count: distinct awards, not rows (ACR-240730 has two rows); blank co-PI cells skipped
        "u1001": lambda: [str(len(ids([r for r in rs if r["Allocation Type"] == "Explore"])))],
        "u1002": lambda: [str(len(ids(rs)))],
        "u1003": lambda: [
            str(len(ids([r for r in rs if r["Co-PI Count"] and int(r["Co-PI Count"]) > 2])))
        ],
        # sum: units read from the amount cells; both Ridgeline spellings
        "u1004": lambda: [n(sum(map(amount, gpu)))],
        "u1005": lambda: [n(sum(map(amount, cpu)))],
        "u1006": lambda: [n(sum(map(amount, sto)))],
        "u1007": lambda: [
            n(sum(amount(r) for r in cpu if institution(r) == "Pinecrest University"))
        ],
        # filter
        "u1008": lambda: ids([r for r in gpu if amount(r) >= 20000]),
        "u1009": lambda: ids([r for r in sto if active(r)]),
        "u1010": lambda: ids([r for r in rs if r["Allocation Type"] == "Maximize"]),
        # list
        "u1011": lambda: ids([r for r in rs if r["Field of Science"] == "Chemistry"]),
        # filter: one award looked up by number
        "u1012": lambda: [last(lookup), n(amount(lookup))],
        # nth: largest, second, smallest
        "u1013": lambda: [last(top_active_gpu), n(amount(top_active_gpu))],
        "u1014": lambda: [second_cpu["Award Number"], last(second_cpu), n(amount(second_cpu))],
        "u1015": lambda: [least_sto["Award Number"], n(amount(least_sto))],
        "u1016": lambda: [most_sto["Award Number"], last(most_sto), n(amount(most_sto))],
        # groupby (sums only); institution spellings merged
        "u1017": lambda: per(lambda r: r["Allocation Type"], gpu),
        "u1018": lambda: per(institution, cpu),
        # date: 'DD Mon YYYY' cells compared as dates
        "u1019": lambda: [str(len(ids([r for r in rs if awarded_in(r, 2025, (1, 2, 3))])))],
        "u1020": lambda: ids(
            [r for r in rs if (e := day(r["Expiration Date"])) and AS_OF <= e <= date(2025, 12, 31)]
        ),
        "u1021": lambda: [marchetti["Expiration Date"]],
        # state: full state names in the table, codes in the questions
        "u1022": lambda: [str(len(ids([r for r in rs if r["State"] == "Texas"])))],
        "u1023": lambda: ids([r for r in rs if r["State"] == "Colorado"]),
        # fuzzy: a name asked without accents; an institution typed two ways
        "u1024": lambda: [n(amount(echeverria))],
        "u1025": lambda: ids([r for r in rs if institution(r) == "University of Eastbrook"]),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
