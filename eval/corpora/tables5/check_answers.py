"""Recompute every table question's expected values from usage-allocation-report.csv and compare.

Run: python eval/corpora/tables5/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "usage-allocation-report.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
USD, GPU_H = "Granted (USD)", "GPU hours granted"
# How the report spells each organisation, platform and state, mapped to one name; a user
# means all the spellings when naming one.
ORGS = {
    "University of Northern Plains": "UNP",
    "Univ. of Northern Plains": "UNP",
    "Univeristy of Northern Plains": "UNP",
    "Tidewater Marine Laboratory": "Tidewater",
    "Tidewater Marine Lab": "Tidewater",
    "Cedar Valley Community College": "Cedar Valley",
    "Cedar Valley CC": "Cedar Valley",
    "Sonoran Health Sciences University": "Sonoran",
    "Sonoran Health Sciences Univ.": "Sonoran",
    "Universidad del Caribe Oriental": "Caribe Oriental",
    "Prairie State University": "Prairie State",
    "Prairie State Univ.": "Prairie State",
    "Great Lakes Institute of Technology": "GLIT",
    "Great Lakes Inst. of Technology": "GLIT",
    "GLIT": "GLIT",
    "Blue Ridge School of Medicine": "Blue Ridge",
    "Kestrel AI Foundation": "Kestrel",
    "Rio Salado Polytechnic": "Rio Salado",
    "Rio Salado Poly": "Rio Salado",
}
PLATFORMS = {
    "AWS": "AWS",
    "aws": "AWS",
    "Amazon Web Services": "AWS",
    "Azure": "Azure",
    "Microsoft Azure": "Azure",
    "GCP": "GCP",
    "Google Cloud": "GCP",
    "Halcyon": "Halcyon",
    "Halcyon (on-prem)": "Halcyon",
    "Bluestem": "Bluestem",
    "Bluestem cluster": "Bluestem",
}
STATES = {
    "Nebraska": "NE",
    "Iowa": "IA",
    "Puerto Rico": "PR",
    "Virginia": "VA",
    "Kansas": "KS",
    "New Mexico": "NM",
    "Washington": "WA",
    "North Carolina": "NC",
    "Arizona": "AZ",
    "Ohio": "OH",
}


def rows() -> list[Row]:
    """The table's rows as dicts keyed by column header."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def num(cell: str) -> int | None:
    """A number cell ("40,000" or "4800") as an int; None when blank."""
    return int(cell.replace(",", "")) if cell.strip() else None


def approved(r: Row) -> date:
    """The Approved cell, written "March 3, 2025"."""
    return datetime.strptime(r["Approved"], "%B %d, %Y").date()


def expires(r: Row) -> date | None:
    """The Expires cell, US month/day/year ("03/04/2026" is March 4, 2026); None when blank."""
    return datetime.strptime(r["Expires"], "%m/%d/%Y").date() if r["Expires"] else None


def org(r: Row) -> str:
    """The organisation, however it is spelled."""
    return ORGS[r["Organisation"]]


def platform(r: Row) -> str:
    """The platform, however it is spelled."""
    return PLATFORMS[r["Platform"]]


def state(r: Row) -> str:
    """The two-letter state or territory code, whether the cell has the code or the name."""
    return STATES.get(r["State"], r["State"])


def lead(r: Row) -> str:
    """The lead as "First Last", from "Dr. First Last" or "Last, First"."""
    name = r["Lead"].removeprefix("Dr. ")
    if "," in name:
        last, first = (p.strip() for p in name.split(",", 1))
        name = f"{first} {last}"
    return name


def keep(pred: Callable[[Row], bool], rs: Iterable[Row] | None = None) -> list[Row]:
    """Rows for which the predicate holds, in table order."""
    return [r for r in (rows() if rs is None else rs) if pred(r)]


def ids(rs: list[Row]) -> list[str]:
    """Allocation IDs in table order."""
    return [r["Alloc ID"] for r in rs]


def fmt(n: int) -> str:
    """A number as the report prints it, with thousands separators."""
    return f"{n:,}"


def total(col: str, rs: list[Row]) -> str:
    """The sum of a number column over rows (blank cells skipped), printed."""
    return fmt(sum(n for r in rs if (n := num(r[col])) is not None))


def ranked(col: str) -> list[Row]:
    """Rows with a number in the column, largest first."""
    return sorted(keep(lambda r: num(r[col]) is not None), key=lambda r: -(num(r[col]) or 0))


def grouped_sums(key: Callable[[Row], str], col: str) -> list[str]:
    """One printed total of a number column per group (rows without a number skipped)."""
    sums: dict[str, int] = defaultdict(int)
    for r in rows():
        if (n := num(r[col])) is not None:
            sums[key(r)] += n
    return [fmt(v) for _, v in sorted(sums.items())]


def distinct_counts(key: Callable[[Row], str]) -> list[str]:
    """The distinct group sizes (equal counts would be indistinguishable in an answer)."""
    return sorted({str(n) for n in Counter(key(r) for r in rows()).values()})


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    return {
        # list
        "z001": lambda: [r["Team / Lab"] for r in keep(lambda r: org(r) == "Kestrel")],
        "z002": lambda: sorted(
            {r["Team / Lab"] for r in keep(lambda r: r["Credit type"] == "Teaching")}
        ),
        # filter
        "z003": lambda: [
            x
            for r in keep(lambda r: r["Status"] == "Suspended")
            for x in (r["Alloc ID"], r["Team / Lab"])
        ],
        "z004": lambda: ids(
            keep(
                lambda r: (
                    platform(r) == "Bluestem"
                    and r["Credit type"] == "Research"
                    and r["Status"] == "Active"
                )
            )
        ),
        # count
        "z005": lambda: [str(len(keep(lambda r: r["Status"] == "Pending")))],
        "z006": lambda: [
            str(len(keep(lambda r: r["Credit type"] == "Teaching" and r["Cycle"] == "2025B")))
        ],
        # sum
        "z007": lambda: [total(USD, keep(lambda r: platform(r) == "Azure"))],
        "z008": lambda: [
            total(GPU_H, keep(lambda r: platform(r) == "Halcyon" and r["Cycle"] == "2025A"))
        ],
        "z009": lambda: [total("Spent (USD)", keep(lambda r: org(r) == "Kestrel"))],
        # Across two units: dollars and GPU hours, each summed on its own.
        "z010": lambda: [
            total(col, keep(lambda r: lead(r) == "Samuel Osei")) for col in (USD, GPU_H)
        ],
        "z011": lambda: [total("GPU hours used", keep(lambda r: org(r) == "Tidewater"))],
        # nth
        "z012": lambda: [ranked(USD)[0][k] for k in ("Alloc ID", "Team / Lab", USD)],
        "z013": lambda: [ranked(GPU_H)[1][k] for k in ("Alloc ID", "Team / Lab", GPU_H)],
        "z014": lambda: [ranked(USD)[-1][k] for k in ("Alloc ID", "Team / Lab", USD)],
        # date
        "z015": lambda: ids(keep(lambda r: date(2025, 3, 1) <= approved(r) <= date(2025, 3, 31))),
        "z016": lambda: ids(keep(lambda r: approved(r) == date(2025, 8, 25))),
        "z017": lambda: ids(
            keep(
                lambda r: (
                    r["Status"] == "Active"
                    and (d := expires(r)) is not None
                    and date(2026, 1, 1) <= d <= date(2026, 3, 31)
                )
            )
        ),
        # state
        "z018": lambda: [str(len(keep(lambda r: state(r) == "NE")))],
        "z019": lambda: ids(keep(lambda r: state(r) == "PR")),
        "z020": lambda: [total(USD, keep(lambda r: state(r) == "AZ"))],
        # fuzzy
        "z021": lambda: [
            x
            for r in keep(lambda r: lead(r) == "Grace Whitehorse")
            for x in (r["Alloc ID"], r[USD])
        ],
        "z022": lambda: ids(keep(lambda r: org(r) == "UNP")),
        "z023": lambda: [
            x
            for r in keep(lambda r: org(r) == "Rio Salado" and platform(r) == "AWS")
            for x in (r["Alloc ID"], r[USD])
        ],
        "z024": lambda: ids(keep(lambda r: lead(r) == "Elena Petrova")),
        "z025": lambda: ids(keep(lambda r: org(r) == "Cedar Valley" and platform(r) == "GCP")),
        # groupby
        "z026": lambda: distinct_counts(lambda r: r["Status"]),
        "z027": lambda: grouped_sums(lambda r: r["Cycle"], USD),
        "z028": lambda: grouped_sums(platform, GPU_H),
        "z029": lambda: distinct_counts(lambda r: r["Credit type"]),
        "z030": lambda: grouped_sums(lambda r: r["Credit type"], "Spent (USD)"),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
