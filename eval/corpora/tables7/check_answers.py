"""Recompute every table question's expected values from allocation-usage-report.csv and compare.

Run: python eval/corpora/tables7/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "allocation-usage-report.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Columns a project's first row carries and its continuation rows leave blank.
PROJECT_COLS = ("Title", "PI", "Institution")


def raw() -> list[Row]:
    """Every row as exported, the TOTAL subtotal rows included."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def rows() -> list[Row]:
    """Allocation rows only, with Title/PI/Institution filled down within each project."""
    out: list[Row] = []
    for r in raw():
        if r["Project"] == "TOTAL":
            continue
        r = dict(r)
        if not r["PI"]:
            prev = out[-1]
            assert prev["Project"] == r["Project"], r
            r.update({c: prev[c] for c in PROJECT_COLS})
        out.append(r)
    return out


def amount(cell: str) -> float:
    """A cell like "120,000 SU", "1.5k GPU-h" or "-4,200 SU" as a number (unit dropped)."""
    m = re.fullmatch(r"(-?[\d,.]+)(k?) (SU|GPU-h|node-hrs|TB)", cell)
    assert m, cell
    value = float(m.group(1).replace(",", ""))
    return value * 1000 if m.group(2) else value


def digits(value: float) -> str:
    """A whole number as plain digits."""
    assert value == int(value), value
    return str(int(value))


def month(cell: str) -> tuple[int, int]:
    """(year, month) of "Jan 2025", "2025-03" or "03/15/2025"."""
    if m := re.fullmatch(r"([A-Z][a-z]{2}) (\d{4})", cell):
        return int(m.group(2)), MONTHS.index(m.group(1).lower()) + 1
    if m := re.fullmatch(r"(\d{4})-(\d{2})", cell):
        return int(m.group(1)), int(m.group(2))
    m = re.fullmatch(r"(\d{2})/\d{2}/(\d{4})", cell)
    assert m, cell
    return int(m.group(2)), int(m.group(1))


def status(r: Row) -> str:
    """The Status cell, case folded ("active" and "Active" are one status)."""
    return r["Status"].capitalize()


def pct(r: Row) -> int:
    """The % Used cell as a number ("97%")."""
    return int(r["% Used"].rstrip("%"))


def on(resource: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows on one resource."""
    return [r for r in (rows() if rs is None else rs) if r["Resource"] == resource]


def active(rs: list[Row]) -> list[Row]:
    """Rows whose allocation is active."""
    return [r for r in rs if status(r) == "Active"]


def projects(rs: list[Row]) -> list[str]:
    """Project IDs in table order, each once."""
    return list(dict.fromkeys(r["Project"] for r in rs))


def surname(r: Row) -> str:
    """The PI's last name ("Sokolov, Ilya" -> "Sokolov")."""
    return r["PI"].split(",")[0]


def total(col: str, rs: list[Row]) -> str:
    """A column's amounts summed over rows that have one, as digits."""
    return digits(sum(amount(r[col]) for r in rs if r[col]))


def ranked(rs: list[Row]) -> list[Row]:
    """Rows by Allocated, largest first."""
    return sorted(rs, key=lambda r: -amount(r["Allocated"]))


def grouped(col: str, rs: list[Row], value: Callable[[list[Row]], str]) -> list[str]:
    """Each group's name and its value (the value once even when groups share it)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rs:
        groups[status(r) if col == "Status" else r[col]].append(r)
    return [*groups, *sorted({value(g) for g in groups.values()})]


def started(rs: list[Row], year: int, months: range) -> list[Row]:
    """Rows whose Start falls in the given months of a year."""
    return [r for r in rs if month(r["Start"])[0] == year and month(r["Start"])[1] in months]


def ended(rs: list[Row], year: int, months: range) -> list[Row]:
    """Rows whose End falls in the given months of a year."""
    return [r for r in rs if month(r["End"])[0] == year and month(r["End"])[1] in months]


def by_pi(name: str) -> list[Row]:
    """Rows of the projects led by a PI (continuation rows included)."""
    return [r for r in rows() if surname(r) == name]


def each(rs: list[Row], col: str) -> list[str]:
    """Each row's resource and its amount in one column, as digits."""
    return [*(r["Resource"] for r in rs), *(total(col, [r]) for r in rs)]


def at(text: str) -> list[Row]:
    """Rows whose Institution contains the text, case-insensitively (spelling variants)."""
    return [r for r in rows() if text.lower() in r["Institution"].lower()]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    gpu, juniper, silo, tamarack = on("Juniper-GPU"), on("Juniper"), on("Silo"), on("Tamarack")
    pending_su = [r for r in juniper if status(r) == "Pending"]
    brennan = by_pi("Brennan")
    return {
        # sum: units inside the cells, pending rows blank, subtotal rows left out
        "t701": lambda: [total("Used", gpu)],
        "t702": lambda: [total("Remaining", active(juniper))],
        "t714": lambda: [total("Allocated", by_pi("Tran"))],
        "t722": lambda: [total("Used", active(silo))],
        # filter
        "t703": lambda: projects([r for r in active(rows()) if r["% Used"] and pct(r) > 90]),
        "t706": lambda: each(brennan, "Remaining"),
        "t720": lambda: projects([r for r in rows() if r["Remaining"].startswith("-")]),
        "t725": lambda: each(by_pi("Ferreira"), "Used"),
        # count
        "t710": lambda: [str(len(pending_su))],
        "t719": lambda: [str(len(projects(rows())))],
        # list
        "t711": lambda: projects(tamarack),
        "t723": lambda: list(dict.fromkeys(r["Resource"] for r in rows())),
        # nth
        "t704": lambda: [
            ranked(active(tamarack))[0]["Project"],
            surname(ranked(active(tamarack))[0]),
        ],
        "t712": lambda: [max(silo, key=pct)["Project"], surname(max(silo, key=pct))],
        "t713": lambda: [ranked(gpu)[1]["Project"], surname(ranked(gpu)[1])],
        "t724": lambda: [ranked(pending_su)[0]["Project"], surname(ranked(pending_su)[0])],
        # groupby
        "t708": lambda: grouped("Resource", rows(), lambda g: str(len(g))),
        "t709": lambda: grouped("Status", juniper, lambda g: total("Allocated", g)),
        "t721": lambda: grouped("Status", rows(), lambda g: str(len(g))),
        # date: three date formats in one column; projects counted once
        "t705": lambda: [str(len(projects(started(rows(), 2025, range(1, 4)))))],
        "t715": lambda: projects(started(rows(), 2025, range(7, 8))),
        "t716": lambda: projects(ended(rows(), 2025, range(1, 7))),
        # fuzzy: institutions spelled several ways
        "t707": lambda: projects(at("North Prairie")),
        "t717": lambda: projects(on("Juniper-GPU", at("Osprey Bay"))),
        "t718": lambda: [str(len(projects(at("Kestrel"))))],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
