"""Recompute every table question's expected values from the utilization summary and compare.

Run: python eval/corpora/tables11/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "utilization-summary-fy2025.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
PROJECT = re.compile(r"HX-\d{2}-\d{3}")
# The date formats the export mixes; slashed month-first dates all have a day above 12.
DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%b %d, %Y", "%m/%d/%Y", "%d-%b-%Y")
# Written once for a block of rows, like merged cells: an institution's block, a project's block.
INSTITUTION_CELLS = ("Institution", "State")
PROJECT_CELLS = ("Project", "PI", "Program")
CALDER = "Calder Ridge University"  # "Ridge" in its name is not the Ridgeline machine
# What 1 hour on each resource is worth in SU (the note line under the table says so).
SU_RATE = {"Ridgeline (GPU)": 25, "Spindle (GPU)": 10, "Basalt (CPU)": 4}


def lines() -> list[list[str]]:
    """Every line of the file as cells (an Excel "CSV UTF-8" export: a BOM, CRLF, quoting)."""
    with TABLE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def legend() -> dict[str, str]:
    """Program codes from the line above the header ("FND = Foundation; ACC = …")."""
    text = lines()[1][0]
    assert text.startswith("Program codes: "), text
    pairs = (p.split(" = ") for p in text.removeprefix("Program codes: ").split("; "))
    return {code: name for code, name in pairs}


def rows() -> list[Row]:
    """Allocation rows only, with the institution's and project's cells filled down.

    The title line, the legend line, the Grand Total row and the note line are left out.
    """
    every = lines()
    assert all(not any(cells[1:]) for cells in (every[0], every[1], every[-1]))
    header, body = every[2], every[3:-1]
    assert body[-1][0] == "Grand Total", body[-1]
    out: list[Row] = []
    last: Row = {}
    for cells in body[:-1]:
        assert len(cells) == len(header), cells
        r = dict(zip(header, cells, strict=True))
        if r["Institution"]:
            assert r["Project"], r
        else:
            r.update({k: last[k] for k in INSTITUTION_CELLS})
        if r["Project"]:
            assert PROJECT.fullmatch(r["Project"]) and r["PI"].startswith("Dr. "), r
        else:
            r.update({k: last[k] for k in PROJECT_CELLS})
        out.append(r)
        last = r
    return out


def number(cell: str) -> float:
    """A number cell: "8,000", "12.5", "92.7%", or "(1,340)" for a negative."""
    m = re.fullmatch(r"(\()?([\d,]+(?:\.\d+)?)(\))?%?", cell)
    assert m and bool(m.group(1)) == bool(m.group(3)), cell
    value = float(m.group(2).replace(",", ""))
    return -value if m.group(1) else value


def day(cell: str) -> date:
    """A start date in any of the export's formats; exactly one format may read it."""
    read = []
    for fmt in DATE_FORMATS:
        try:
            read.append(datetime.strptime(cell, fmt).date())
        except ValueError:
            continue
    assert len(read) == 1, cell
    return read[0]


def used_share(r: Row) -> float:
    """Hours used over hours allocated (computed, not the rounded Utilization % cell)."""
    return number(r["Hours Used"]) / number(r["Hours Allocated"])


def su(r: Row) -> float:
    """A row's award in SU: "Amount (k SU)" is in thousands."""
    return number(r["Amount (k SU)"]) * 1000


def digits(x: float) -> str:
    """A whole number as plain digits."""
    assert x == int(x), x
    return str(int(x))


def projects(rs: list[Row]) -> list[str]:
    """Project ids in table order, each once."""
    return list(dict.fromkeys(r["Project"] for r in rs))


def last_name(r: Row) -> str:
    """The PI's last name ("Dr. Agnieszka Wójcik" -> "Wójcik")."""
    return r["PI"].split()[-1]


def on(resource: str, rs: list[Row]) -> list[Row]:
    """Rows of one resource ("Ridgeline", "Spindle", "Basalt")."""
    return [r for r in rs if r["Resource"].split()[0] == resource]


def total(rs: list[Row], column: str) -> str:
    """A column summed over rows, as plain digits."""
    return digits(sum(number(r[column]) for r in rs))


def sums(key: Callable[[Row], str], rs: list[Row], value: Callable[[Row], float]) -> list[str]:
    """A value summed per group, as plain digits, groups in order of first appearance."""
    out: dict[str, float] = defaultdict(float)
    for r in rs:
        out[key(r)] += value(r)
    return [digits(v) for v in out.values()]


def _checks(rs: list[Row]) -> None:
    """The export's derived columns agree with the hours, and the Grand Total with the rows."""
    for r in rs:
        alloc, used = number(r["Hours Allocated"]), number(r["Hours Used"])
        assert number(r["Remaining"]) == alloc - used, r
        assert number(r["Utilization %"]) == round(used / alloc * 100, 1), r
        assert su(r) == alloc * SU_RATE[r["Resource"]], r
    grand = dict(zip(lines()[2], lines()[-2], strict=True))
    for column in ("Hours Allocated", "Hours Used", "Remaining", "Amount (k SU)"):
        assert number(grand[column]) == sum(number(r[column]) for r in rs), column


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs = rows()
    _checks(rs)
    codes = legend()
    active = [r for r in rs if r["Status"] == "Active"]
    ridgeline, spindle, basalt = on("Ridgeline", rs), on("Spindle", rs), on("Basalt", rs)
    # A project's SU award: all its rows (resources) added; ranked largest first.
    award: dict[str, float] = defaultdict(float)
    for r in rs:
        award[r["Project"]] += su(r)
    ranked = sorted(award, key=lambda p: award[p], reverse=True)
    assert award[ranked[0]] > award[ranked[1]] > award[ranked[2]]
    live_ridge = sorted(on("Ridgeline", active), key=lambda r: -number(r["Hours Allocated"]))
    assert number(live_ridge[0]["Hours Allocated"]) > number(live_ridge[1]["Hours Allocated"])
    big = live_ridge[0]
    by_basalt = sorted(basalt, key=lambda r: -number(r["Hours Allocated"]))
    third = by_basalt[2]
    assert len({number(r["Hours Allocated"]) for r in by_basalt[:4]}) == 4
    # A project started when its first resource did (a resource added later starts later).
    began = {p: min(day(r["Start Date"]) for r in rs if r["Project"] == p) for p in projects(rs)}
    latest = max(began, key=lambda p: began[p])
    assert sorted(began.values())[-2] < began[latest]
    over = [r for r in rs if number(r["Remaining"]) < 0]
    vantry = [r for r in rs if r["Institution"] == "Vantry University"]
    haskett = [r for r in rs if r["Institution"] == "Haskett College of Medicine"]
    first = {p: next(r for r in rs if r["Project"] == p) for p in projects(rs)}
    return {
        # sum: totals row left out; "(1,340)" is negative; k SU read as thousands; filled down
        "u101": lambda: [total(ridgeline, "Hours Used")],
        "u102": lambda: [total(on("Basalt", active), "Remaining")],
        "u103": lambda: [
            digits(sum(su(r) for r in rs if r["Institution"].startswith("Marrowfield")))
        ],
        "u104": lambda: [digits(sum(su(r) for r in rs))],
        # count: projects counted once, not rows; a program code from the legend line
        "u105": lambda: [str(len(projects(rs)))],
        "u106": lambda: [
            str(len(projects([r for r in active if codes[r["Program"]] == "Classroom"])))
        ],
        "u107": lambda: [str(sum(r["Status"] == "On hold" for r in rs))],
        # filter: a use share; negatives in parentheses; a keyword in a comma-separated cell
        "u108": lambda: projects([r for r in active if used_share(r) > 0.95]),
        "u109": lambda: [
            *projects(over),
            *(digits(-number(r["Remaining"])) for r in over),
        ],
        "u110": lambda: projects([r for r in ridgeline if used_share(r) < 0.25]),
        "u111": lambda: projects([r for r in rs if "genomics" in r["Keywords"].split(", ")]),
        # list: the institution filled down onto a block's later rows
        "u112": lambda: [last_name(first[p]) for p in projects(vantry)],
        "u113": lambda: [*projects(haskett), *(last_name(first[p]) for p in projects(haskett))],
        # nth: active only; a project's rows added in SU; a ranking over one resource
        "u114": lambda: [big["Project"], last_name(big), total([big], "Hours Allocated")],
        "u115": lambda: [ranked[1], digits(award[ranked[1]])],
        "u116": lambda: [third["Project"], total([third], "Hours Allocated")],
        # groupby (sums only: a right answer may name the group another way)
        "u117": lambda: [total(ridgeline, "Hours Allocated"), total(spindle, "Hours Allocated")],
        "u118": lambda: sums(lambda r: codes[r["Program"]], rs, su),
        "u119": lambda: sums(lambda r: r["Institution"], basalt, lambda r: number(r["Hours Used"])),
        # date: five date formats; a project's start is its first resource's
        "u120": lambda: [
            str(sum(date(2025, 1, 1) <= d <= date(2025, 3, 31) for d in began.values()))
        ],
        "u121": lambda: projects(
            [r for r in rs if date(2025, 6, 1) <= day(r["Start Date"]) <= date(2025, 8, 31)]
        ),
        "u122": lambda: [latest, last_name(first[latest])],
        # fuzzy: a PI named without the diacritic; "Calder Ridge" is not the Ridgeline machine
        "u123": lambda: [total([r for r in ridgeline if "Wójcik" in r["PI"]], "Hours Used")],
        "u124": lambda: [total([r for r in basalt if r["Institution"] == CALDER], "Hours Used")],
        # state: a state named in full against a two-letter code, filled down
        "u125": lambda: projects([r for r in rs if r["State"] == "OH"]),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
