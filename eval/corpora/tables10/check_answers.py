"""Recompute every table question's expected values from allocation-roster.tsv and compare.

Run: python eval/corpora/tables10/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "allocation-roster.tsv"
QUESTIONS = HERE / "questions.jsonl"
AS_OF = (2025, 11)  # usage is as of 30 Nov 2025; an award running into December is active
Row = dict[str, str]
ALLOCATION = re.compile(r"[A-Z]{3}\d{6}")
MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
WORDS = {"two thousand": 2000}  # the one amount written out in words
# One institution written three ways, another three ways, a third two ways (Org column).
ORGS = {
    "Brannock State University": "Brannock State University",
    "BSU": "Brannock State University",
    "Branock State Univ.": "Brannock State University",
    "Harlan Polytechnic Institute": "Harlan Polytechnic Institute",
    "HPI": "Harlan Polytechnic Institute",
    "Harlan Polytechnic Inst": "Harlan Polytechnic Institute",
    "Thistlewood University": "Thistlewood University",
    "Thistlewood Univ.": "Thistlewood University",
    "Thistlewood U.": "Thistlewood University",
}
BRANNOCK = "Brannock State University"
FILLED_DOWN = ("PI (Last, First)", "Org", "Location", "Dept")


def lines() -> list[list[str]]:
    """Every line of the file as cells, blank lines included (tab-separated, no quoting)."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def rows() -> list[Row]:
    """Roster rows only, each with its group and the allocation's PI, Org, Location, Dept.

    Group heading lines ("== Research =="), blank lines and the footnotes are left out; a
    continuation line (a second resource or a supplement) leaves the PI, Org, Location and
    Dept empty, so they are taken from the allocation's first line.
    """
    every = lines()
    header, body = every[0], every[1:]
    out: list[Row] = []
    group = ""
    first: dict[str, Row] = {}
    skipped = 0
    for cells in body:
        if len(cells) == 1 and (m := re.fullmatch(r"== (\w+) ==", cells[0])):
            group = m.group(1)
            continue
        if not cells or not ALLOCATION.fullmatch(cells[0]):
            skipped += 1
            continue
        assert len(cells) == len(header), cells
        r = dict(zip(header, cells, strict=True))
        r["Group"] = group
        alloc = r["Allocation #"]
        if alloc in first:
            assert all(r[k] == "" for k in FILLED_DOWN), r
            r.update({k: first[alloc][k] for k in FILLED_DOWN})
        else:
            assert all(r[k] for k in FILLED_DOWN), r
            first[alloc] = r
        out.append(r)
    assert skipped == 3 + 3, skipped  # three blank lines (before groups 2-3, the footer), 3 notes
    return out


def amount(cell: str) -> float:
    """An amount cell ("12,000", "~20,000", "150,000*", "two thousand", "31.5"); "—" is 0."""
    if cell == "\u2014":
        return 0.0
    if cell in WORDS:
        return float(WORDS[cell])
    m = re.fullmatch(r"~?([\d,]+(?:\.\d+)?)\*?", cell)
    assert m, cell
    return float(m.group(1).replace(",", ""))


def month(cell: str, end: bool) -> tuple[int, int]:
    """A month cell ("Sept 2025", "Jun 2025", "Q1 2025") as (year, month).

    A quarter is its first month for a start and its last month for an end.
    """
    word, year = cell.split()
    if q := re.fullmatch(r"Q([1-4])", word):
        return int(year), int(q.group(1)) * 3 - (0 if end else 2)
    return int(year), MONTHS[word[:3].lower()]


def ends(r: Row) -> tuple[int, int]:
    """Where the award now ends: the extension's new month when one was granted."""
    if m := re.fullmatch(r"Yes, to (\w+ \d{4})", r["Extension?"]):
        return month(m.group(1), end=True)
    assert r["Extension?"] in ("No", "Pending"), r
    return month(r["Award End"], end=True)


def active(r: Row) -> bool:
    """Begun by November 2025 and running past it (no award ends in November itself)."""
    assert ends(r) != AS_OF
    return month(r["Award Start"], end=False) <= AS_OF < ends(r)


def allocations(rs: list[Row]) -> list[str]:
    """Allocation numbers in table order, each once."""
    return list(dict.fromkeys(r["Allocation #"] for r in rs))


def first(a: str) -> Row:
    """An allocation's first line (its start date is the allocation's start)."""
    return next(r for r in rows() if r["Allocation #"] == a)


def begun(a: str) -> tuple[int, int]:
    """The month an allocation began: its first line's start (a supplement starts later)."""
    return month(first(a)["Award Start"], end=False)


def last_name(a: str) -> str:
    """The PI's last name ("Okafor, Adaeze" -> "Okafor")."""
    return first(a)["PI (Last, First)"].split(",")[0]


def state(r: Row) -> str:
    """The two-letter state code at the end of "Lakeport, MN"."""
    return r["Location"].rsplit(", ", 1)[1]


def on(resource: str, rs: list[Row]) -> list[Row]:
    """Rows of one resource ("Talus", "Quarry", "Cairn")."""
    return [r for r in rs if r["Resource(s)"].startswith(resource)]


def left(r: Row) -> float:
    """What a line has left: awarded minus used to date."""
    return amount(r["Awarded"]) - amount(r["Used to date"])


def group(r: Row) -> str:
    """The line's group, from the heading line above it (Research, Education, Startup)."""
    return r["Group"]


def digits(x: float) -> str:
    """A whole number as plain digits; a fractional one (terabytes) as written."""
    return str(int(x)) if x == int(x) else str(x)


def total(rs: list[Row], column: str = "Awarded") -> str:
    """A column summed over rows, as plain digits."""
    return digits(sum(amount(r[column]) for r in rs))


def group_sums(key: Callable[[Row], str], rs: list[Row], column: str) -> dict[str, float]:
    """A column summed per group, groups in order of first appearance."""
    sums: dict[str, float] = defaultdict(float)
    for r in rs:
        sums[key(r)] += amount(r[column])
    return dict(sums)


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs = rows()
    allocs = allocations(rs)
    talus, quarry, cairn = on("Talus", rs), on("Quarry", rs), on("Cairn", rs)
    live = [r for r in rs if active(r)]
    # Per allocation on Quarry: a supplement line adds to the allocation's award and use.
    q_award = group_sums(lambda r: r["Allocation #"], quarry, "Awarded")
    q_used = group_sums(lambda r: r["Allocation #"], quarry, "Used to date")
    q_ranked = sorted(q_award, key=lambda a: q_award[a], reverse=True)
    assert q_award[q_ranked[2]] > q_award[q_ranked[3]]
    live_talus = sorted(on("Talus", live), key=lambda r: amount(r["Awarded"]), reverse=True)
    biggest = live_talus[0]
    top = biggest["Allocation #"]
    assert amount(biggest["Awarded"]) > amount(live_talus[1]["Awarded"])
    storage = sorted(cairn, key=lambda r: amount(r["Awarded"]), reverse=True)
    second = storage[1]
    assert amount(storage[0]["Awarded"]) > amount(second["Awarded"]) > amount(storage[2]["Awarded"])
    velden = allocations([r for r in rs if r["Org"] == "Velden College"])
    return {
        # sum: words, "~" and footnote markers in amounts; a supplement line combined
        "u001": lambda: [total(talus)],
        "u002": lambda: [digits(sum(left(r) for r in on("Quarry", live)))],
        "u003": lambda: [total(cairn)],
        "u004": lambda: [digits(q_award["CHE250044"])],
        # count: allocations counted once, not lines; a group from its heading line
        "u005": lambda: [str(len(allocs))],
        "u006": lambda: [str(len(allocations([r for r in talus if r["Group"] == "Education"])))],
        "u007": lambda: [str(len(allocations([r for r in rs if r["Extension?"][:3] == "Yes"])))],
        # filter: a use share per row; a share per allocation (supplement combined); "—" as 0
        "u008": lambda: allocations(
            [r for r in on("Talus", live) if amount(r["Used to date"]) / amount(r["Awarded"]) > 0.9]
        ),
        "u009": lambda: [a for a in q_award if q_used[a] / q_award[a] < 0.25],
        "u010": lambda: allocations([r for r in rs if r["Extension?"] == "Pending"]),
        "u011": lambda: [
            a
            for a in allocations([r for r in rs if r["Group"] == "Startup"])
            if all(amount(r["Used to date"]) == 0 for r in rs if r["Allocation #"] == a)
        ],
        # list: PIs filled down onto continuation lines; one organisation's allocations
        "u012": lambda: [last_name(a) for a in allocations(cairn)],
        "u013": lambda: [*velden, *(last_name(a) for a in velden)],
        # nth: active only; supplements combined; a ranking over one resource
        "u014": lambda: [top, last_name(top), digits(amount(biggest["Awarded"]))],
        "u015": lambda: [q_ranked[2], last_name(q_ranked[2]), digits(q_award[q_ranked[2]])],
        "u016": lambda: [second["Allocation #"], digits(amount(second["Awarded"]))],
        # groupby (sums and counts only: a right answer may name the group another way)
        "u017": lambda: [digits(v) for v in group_sums(group, talus, "Awarded").values()],
        "u018": lambda: sorted({str(len(allocations(x))) for x in (talus, quarry, cairn)}),
        "u019": lambda: sorted(
            {digits(v) for v in group_sums(state, quarry, "Used to date").values() if v}
        ),
        # date: months written four ways and quarters; extensions move the end
        "u020": lambda: [str(sum((2025, 1) <= begun(a) <= (2025, 3) for a in allocs))],
        "u021": lambda: [a for a in allocs if begun(a) == (2025, 9)],
        "u022": lambda: [a for a in allocs if ends(first(a)) == (2025, 12)],
        # fuzzy: one university under three spellings (acronym, misspelling)
        "u023": lambda: [str(len(allocations([r for r in rs if ORGS.get(r["Org"]) == BRANNOCK])))],
        "u024": lambda: [
            total([r for r in talus if ORGS.get(r["Org"]) == "Harlan Polytechnic Institute"])
        ],
        # state: a state named in full against "City, ST"
        "u025": lambda: allocations([r for r in rs if state(r) == "OR"]),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
