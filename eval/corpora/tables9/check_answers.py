"""Recompute every table question's expected values from cloud-credit-ledger.csv and compare.

Run: python eval/corpora/tables9/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "cloud-credit-ledger.csv"
QUESTIONS = HERE / "questions.jsonl"
AS_OF = date(2025, 6, 30)
Row = dict[str, str]
# A money cell: "$940", "$3,950", "$3.4k", "-$380" (a refund); "n/a" while not invoiced.
MONEY = re.compile(r"(-?)\$([\d,]+(?:\.\d+)?)(k?)")


def raw() -> list[Row]:
    """Every line under the header: ledger rows, the TOTAL row and the export footer."""
    with TABLE.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def rows() -> list[Row]:
    """Ledger rows only: the TOTAL row and the one-cell footer line left out."""
    every = raw()
    out = [r for r in every if re.fullmatch(r"[A-Z][a-z]{2}-\d{2}", r["Month"])]
    assert every[-2]["Month"] == "TOTAL" and every[-1]["Project"] is None
    assert len(out) == len(every) - 2
    return out


def money(cell: str) -> int | None:
    """A money cell in whole dollars ("$3.4k" -> 3400, "-$380" -> -380); None for "n/a"."""
    if cell == "n/a":
        return None
    m = MONEY.fullmatch(cell)
    assert m, cell
    value = float(m.group(2).replace(",", "")) * (1000 if m.group(3) else 1)
    assert value == int(value), cell
    return -int(value) if m.group(1) else int(value)


def charged(r: Row) -> int:
    """The row's charge (a refund negative; a not yet invoiced month counts 0)."""
    return money(r["Charged"]) or 0


def spent(rs: list[Row]) -> str:
    """Charges summed over the rows, as plain digits."""
    return str(sum(charged(r) for r in rs))


def month(r: Row) -> tuple[int, int]:
    """The Month cell ("Mar-25", a month of 2025, not 25 March) as (year, month)."""
    d = datetime.strptime(r["Month"], "%b-%y")
    return d.year, d.month


def day(cell: str) -> date | None:
    """A Start or End cell (US order, "02/03/2025" is 3 February); None for "n/a"."""
    return None if cell == "n/a" else datetime.strptime(cell, "%m/%d/%Y").date()


def projects(rs: list[Row]) -> list[str]:
    """Project IDs in table order, each once (a project has a row per month and provider)."""
    return list(dict.fromkeys(r["Project"] for r in rs))


def by_project() -> dict[str, list[Row]]:
    """Each project's rows in ledger order."""
    return {p: [r for r in rows() if r["Project"] == p] for p in projects(rows())}


def first(p: str) -> Row:
    """A project's first row (award, dates, term and institution repeat on every row)."""
    return by_project()[p][0]


def left(p: str) -> int:
    """A project's credits left: the running balance on its last row."""
    balance = money(by_project()[p][-1]["Balance"])
    assert balance is not None
    return balance


def award(p: str) -> int:
    """A project's award in dollars."""
    value = money(first(p)["Award"])
    assert value is not None
    return value


def start(p: str) -> date:
    """A project's award start date (every award has one)."""
    begun = day(first(p)["Start"])
    assert begun is not None
    return begun


def active(p: str) -> bool:
    """True when the award has not ended by the ledger's as-of date (no end date: open)."""
    end = day(first(p)["End"])
    return end is None or end >= AS_OF


def years(term: str) -> float | None:
    """A Term cell ("1 yr", "12 months", "12 mo", "6 months") in years; None for "-"."""
    m = re.fullmatch(r"(\d+) (yr|mo|months)", term)
    if not m:
        assert term == "-", term
        return None
    return int(m.group(1)) / (1 if m.group(2) == "yr" else 12)


def campus_of(org: str) -> Callable[[Row], bool]:
    """Rows of an organisation however its name is written ("Univ. of X", "X Univ.")."""
    return lambda r: org in r["Institution"]


def group_sums(key: Callable[[Row], str], rs: list[Row]) -> dict[str, str]:
    """Charges summed per group, groups in order of first appearance."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rs:
        groups[key(r)].append(r)
    return {k: spent(g) for k, g in groups.items()}


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs = rows()
    ps = projects(rs)
    used = {p: (award(p) - left(p)) / award(p) for p in ps}
    live = [p for p in ps if active(p)]
    lowest = min(live, key=left)
    charges = sorted((r for r in rs if r["Charged"] != "n/a"), key=charged, reverse=True)
    third = charges[2]
    assert charged(charges[1]) > charged(third) > charged(charges[3])
    totals = {p: sum(charged(r) for r in by_project()[p]) for p in ps}
    top = max(ps, key=lambda p: totals[p])
    refunds = [r for r in rs if r["Charged"] != "n/a" and charged(r) < 0]
    genomics = [r for r in rs if "Genomics" in r["Field of Science"] and month(r)[1] in (4, 5, 6)]
    assert len(projects(genomics)) == 1
    return {
        # sum: one project's rows combined; units in cells; refunds; balances per project
        "t901": lambda: [spent(by_project()["OR-2404"])],
        "t902": lambda: [spent([r for r in rs if r["Provider"] == "Nimbara"])],
        "t903": lambda: [str(sum(left(p) for p in live))],
        "t904": lambda: [spent(genomics)],
        # count: projects counted once; durations written three ways
        "t905": lambda: [str(len(ps))],
        "t906": lambda: [str(len(projects([r for r in rs if r["Provider"] == "Corvid Cloud"])))],
        "t907": lambda: [str(sum(years(first(p)["Term"]) == 1 for p in ps))],
        # filter: a percentage derived from award and balance; a multi-valued cell; "n/a"
        "t908": lambda: [p for p in ps if used[p] > 0.90],
        "t909": lambda: projects([r for r in rs if "egress" in r["Services billed"].split("; ")]),
        "t910": lambda: [
            *projects([r for r in rs if charged(r) > 6000]),
            *[str(charged(r)) for r in rs if charged(r) > 6000],
        ],
        "t911": lambda: [
            *(p for p in ps if first(p)["End"] == "n/a"),
            *{first(p)["Institution"] for p in ps if first(p)["End"] == "n/a"},
        ],
        # list
        "t912": lambda: [*projects(refunds), *(str(-charged(r)) for r in refunds)],
        "t913": lambda: projects([r for r in rs if r["Provider"] == "Halyard Compute"]),
        # nth: the TOTAL row is no charge; a project's rows combined
        "t914": lambda: [lowest, str(left(lowest))],
        "t915": lambda: [third["Project"], str(charged(third))],
        "t916": lambda: [top, str(totals[top])],
        # groupby (sums only where a right answer may name the group another way)
        "t917": lambda: [
            *group_sums(lambda r: r["Provider"], rs),
            *group_sums(lambda r: r["Provider"], rs).values(),
        ],
        "t918": lambda: sorted(set(group_sums(lambda r: r["Month"], rs).values())),
        "t919": lambda: sorted(set(group_sums(lambda r: r["State"], rs).values())),
        # date: US-order start and end dates, counted per project
        "t920": lambda: [str(sum(date(2025, 1, 1) <= start(p) <= date(2025, 3, 31) for p in ps))],
        "t921": lambda: [
            p for p in ps if (end := day(first(p)["End"])) and end <= date(2025, 9, 30)
        ],
        "t922": lambda: [p for p in ps if start(p) >= date(2025, 4, 1)],
        # fuzzy: one institution written two ways; campuses of one university
        "t923": lambda: [spent([r for r in rs if campus_of("Marlow")(r)])],
        "t924": lambda: [str(len(projects([r for r in rs if campus_of("Kestrel")(r)])))],
        # state: a two-letter code asked by name; an award counted once per project
        "t925": lambda: [str(sum(award(p) for p in ps if first(p)["State"] == "OH"))],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
