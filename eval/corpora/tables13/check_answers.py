"""Recompute every table question's expected values from the allocation review and compare.

Run: python eval/corpora/tables13/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "allocation-review-2025-09.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
TRACKS = ("Frontier", "Pathways", "Classroom")
CHILD = "↳ "
AWARD = re.compile(r"(FR-1|PW-2|CL-3)\d{2}(-S\d)?")
STATUS = "Status (blank = pending)"
# Resource names live in the first header row, spanning three measure columns each.
CORVANE, SKERRY = "Corvane (GPU)", "Skerry (CPU)"
UNITS = {CORVANE: "h", SKERRY: "node-h"}
INHERITED = ("PI", "Institution", "Location")


def lines() -> list[list[str]]:
    """Every record of the file as cells."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def header(first: list[str], second: list[str]) -> list[str]:
    """Column names from the two header rows: a resource span names its measures."""
    names, span = [], ""
    for top, measure in zip(first, second, strict=True):
        span = top or span
        names.append(f"{span} {measure}" if span in UNITS else measure)
    assert len(set(names)) == len(names), names
    return names


def col(resource: str, measure: str) -> str:
    """A resource's measure column ("Corvane (GPU) Used")."""
    return f"{resource} {measure}"


def is_child(r: Row) -> bool:
    """A supplement row: its award cell starts with the arrow."""
    return r["Award"].startswith(CHILD)


def award_id(r: Row) -> str:
    """The row's award id without the arrow ("FR-101-S1")."""
    return r["Award"].removeprefix(CHILD)


def parent_id(r: Row) -> str:
    """The award a row belongs to ("FR-101" for both FR-101 and FR-101-S1)."""
    return award_id(r).split("-S")[0]


def split_rows() -> tuple[list[Row], dict[str, Row]]:
    """Allocation rows (supplements take their parent's PI and place) and the total rows."""
    every = lines()
    names = header(every[0], every[1])
    rows: list[Row] = []
    totals: dict[str, Row] = {}
    parent: Row = {}
    for cells in every[2:]:
        assert len(cells) == len(names), cells
        r = dict(zip(names, cells, strict=True))
        if r["Track"] not in TRACKS:
            assert r["Track"].startswith(("Subtotal – ", "Grand total")), r
            totals[r["Track"]] = r
            continue
        assert AWARD.fullmatch(award_id(r)), r
        if is_child(r):
            assert parent_id(r) == award_id(parent) and not any(r[k] for k in INHERITED), r
            r.update({k: parent[k] for k in INHERITED})
        else:
            parent = r
        rows.append(r)
    return rows, totals


def hours(cell: str, resource: str) -> float | None:
    """An amount cell: "24,000 h", "40k h", "3.4k node-h"; None for "N/A", "-" and "tbd"."""
    if cell in ("N/A", "-", "tbd"):
        return None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})*|\d+(?:\.\d+)?)(k?) (\S+)", cell)
    assert m and m.group(3) == UNITS[resource], cell
    x = float(m.group(1).replace(",", ""))
    return x * 1000 if m.group(2) else x


def amount(r: Row, resource: str, measure: str) -> float:
    """A measure on one resource, 0 when the cell holds no number ("-" used is nothing yet)."""
    return hours(r[col(resource, measure)], resource) or 0.0


def percent(cell: str) -> float | None:
    """A "% used" cell ("82.8%"); None for "N/A" and "-"."""
    if cell in ("N/A", "-"):
        return None
    assert cell.endswith("%"), cell
    return float(cell[:-1])


def day(cell: str) -> date | None:
    """A date like "06-Jan-2025"; None for "tbd"."""
    return None if cell == "tbd" else datetime.strptime(cell, "%d-%b-%Y").date()


def digits(x: float) -> str:
    """A whole number as plain digits."""
    assert x == int(x), x
    return str(int(x))


def ids(rs: list[Row]) -> list[str]:
    """Award ids of rows in table order, each once (supplements count as their parent)."""
    return list(dict.fromkeys(parent_id(r) for r in rs))


def parents(rs: list[Row]) -> list[Row]:
    """Rows that are awards, not supplements."""
    return [r for r in rs if not is_child(r)]


def total(rs: list[Row], resource: str, measure: str) -> str:
    """A measure summed over rows on one resource, as plain digits."""
    return digits(sum(amount(r, resource, measure) for r in rs))


def active(r: Row) -> bool:
    """The status is Active (a blank status means pending)."""
    return r[STATUS] == "Active"


def last_name(r: Row) -> str:
    """The PI's last name ("Okafor, Adaeze" -> "Okafor")."""
    return r["PI"].split(",")[0]


def ranked(rs: list[Row], resource: str, n: int) -> Row:
    """The n-th largest grant on a resource (1 = largest) among rows whose grants all differ."""
    by = sorted(rs, key=lambda r: -amount(r, resource, "Awarded"))
    assert len({amount(r, resource, "Awarded") for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def sums(key: str, rs: list[Row], resource: str, measure: str) -> list[str]:
    """A measure summed per group over rows with a number, groups in order of first appearance."""
    out: dict[str, float] = defaultdict(float)
    for r in rs:
        if hours(r[col(resource, measure)], resource) is not None:
            out[r[key]] += amount(r, resource, measure)
    return [digits(v) for v in out.values()]


def _checks(rs: list[Row], totals: dict[str, Row]) -> None:
    """Subtotals and the grand total agree with the rows; "% used" agrees with the amounts."""
    groups = {f"Subtotal – {t}": [r for r in rs if r["Track"] == t] for t in TRACKS}
    groups["Grand total"] = rs
    assert sorted(groups) == sorted(totals), totals
    for label, group in groups.items():
        for res in UNITS:
            for measure in ("Awarded", "Used"):
                want = sum(amount(r, res, measure) for r in group)
                assert hours(totals[label][col(res, measure)], res) == want, (label, res)
    for r in [*rs, *totals.values()]:
        for res in UNITS:
            got = percent(r[col(res, "% used")])
            aw, used = (hours(r[col(res, m)], res) for m in ("Awarded", "Used"))
            if aw is None or used is None:
                assert got is None, r
                continue
            assert got == round(100 * used / aw, 1), r
    assert len(ids(rs)) == len(parents(rs))


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs, totals = split_rows()
    _checks(rs, totals)
    awards = parents(rs)
    live = [r for r in rs if active(r)]

    def of(name: str, pick: Callable[[Row], str]) -> list[Row]:
        """Rows (supplements included) whose inherited column matches."""
        return [r for r in rs if name in pick(r)]

    halvorsen = of("Halvorsen University", lambda r: r["Institution"])
    northgrave = [r for r in awards if r["Institution"] == "Northgrave University"]
    pw204 = [r for r in rs if parent_id(r) == "PW-204"]
    fr106 = [r for r in rs if parent_id(r) == "FR-106"]
    top_live = ranked(live, CORVANE, 1)
    second_skerry = ranked(rs, SKERRY, 2)
    classroom = [r for r in rs if r["Track"] == "Classroom"]
    third_class = ranked(classroom, CORVANE, 3)
    # The third-largest is the same whether a supplement is its own row or added to its award.
    combined = sorted(
        ids(classroom),
        key=lambda a: -sum(amount(r, CORVANE, "Awarded") for r in rs if parent_id(r) == a),
    )
    assert combined[2] == award_id(third_class)
    june30 = date(2025, 6, 30)

    def running(r: Row, on: date) -> bool:
        """The row's term covers the day."""
        start, end = day(r["Start"]), day(r["End"])
        return start is not None and end is not None and start <= on <= end

    def has_skerry(a: str) -> bool:
        """The award or one of its supplements has Skerry time awarded or requested."""
        return any(r[col(SKERRY, "Awarded")] != "N/A" for r in rs if parent_id(r) == a)

    def share_in(r: Row, resource: str, low: float, high: float) -> bool:
        """The row's "% used" on a resource is strictly between low and high (none: False)."""
        p = percent(r[col(resource, "% used")])
        return p is not None and low < p < high

    return {
        # sum: "40k h" and "3.4k node-h" read; subtotal and grand total rows left out;
        # supplements added to their award, and credited to its institution
        "u301": lambda: [total(rs, CORVANE, "Used")],
        "u302": lambda: [
            digits(sum(amount(r, SKERRY, "Awarded") - amount(r, SKERRY, "Used") for r in live))
        ],
        "u303": lambda: [total(fr106, CORVANE, "Awarded")],
        "u304": lambda: [total(halvorsen, CORVANE, "Awarded")],
        # count: awards, not supplement rows; blank status is pending
        "u305": lambda: [str(len(awards))],
        "u306": lambda: [str(sum(r[STATUS] == "" for r in rs))],
        "u307": lambda: [str(sum(active(r) for r in awards if r["Track"] == "Frontier"))],
        # filter: the two "% used" columns; supplements count toward their award
        "u308": lambda: ids([r for r in live if share_in(r, CORVANE, 90, 1000)]),
        "u309": lambda: ids([r for r in live if share_in(r, SKERRY, -1, 25)]),
        "u310": lambda: [a for a in ids(awards) if not has_skerry(a)],
        "u311": lambda: ids([r for r in rs if r[STATUS] == "Suspended"]),
        # list: an institution's awards with PIs; one award's rows with its supplement
        "u312": lambda: [*ids(northgrave), *(last_name(r) for r in northgrave)],
        "u313": lambda: [
            digits(amount(r, res, "Awarded"))
            for r in pw204
            for res in UNITS
            if hours(r[col(res, "Awarded")], res) is not None
        ],
        # nth: active only; past the totals; within one track
        "u314": lambda: [
            award_id(top_live),
            last_name(top_live),
            digits(amount(top_live, CORVANE, "Awarded")),
        ],
        "u315": lambda: [
            award_id(second_skerry),
            last_name(second_skerry),
            digits(amount(second_skerry, SKERRY, "Awarded")),
        ],
        "u316": lambda: [
            award_id(third_class),
            last_name(third_class),
            digits(amount(third_class, CORVANE, "Awarded")),
        ],
        # groupby (sums only: a right answer may name the group another way)
        "u317": lambda: sums("Track", rs, CORVANE, "Used"),
        "u318": lambda: sums(
            "Institution", [r for r in rs if r["Track"] == "Pathways"], CORVANE, "Awarded"
        ),
        # date: "06-Jan-2025" dates; "tbd" terms; a term covering a day
        "u319": lambda: ids([r for r in classroom if running(r, june30)]),
        "u320": lambda: [
            str(
                sum(
                    date(2025, 1, 1) <= (day(r["Start"]) or date.min) <= date(2025, 3, 31)
                    for r in awards
                )
            )
        ],
        "u321": lambda: ids(
            [r for r in rs if (day(r["End"]) or date.min).strftime("%Y-%m") == "2025-12"]
        ),
        # fuzzy: a PI named first-last without the accent; an institution shortened
        "u322": lambda: [total(of("Ferreira", lambda r: r["PI"]), SKERRY, "Used")],
        "u323": lambda: [total(of("Uplands", lambda r: r["Institution"]), CORVANE, "Used")],
        # state: a state named in full against "City, ST"
        "u324": lambda: ids([r for r in awards if r["Location"].endswith(", OH")]),
        "u325": lambda: [total([r for r in rs if r["Location"].endswith(", KS")], SKERRY, "Used")],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
