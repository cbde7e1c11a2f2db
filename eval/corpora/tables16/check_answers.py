"""Recompute every table question's expected values from the monthly usage report and compare.

Run: python eval/corpora/tables16/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "usage-report-2026-03.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
AS_OF = date(2026, 3, 31)
HEAD = [
    "Project",
    "PI",
    "Institution",
    "State",
    "Field of Science",
    "Resource",
    "Unit",
    "Awarded",
    "Used to Date",
    "Used Mar 2026",
    "% Used",
    "Last Activity",
    "End Date",
    "Status",
]
KESTREL, LARCH, HERON, VIREO = "Kestrel GPU", "Larch CPU", "Heron Cloud", "Vireo Storage"
# Each resource's unit, with every way the report writes it ("core hrs" once).
UNITS = {
    KESTREL: ("GPU-hours",),
    LARCH: ("core-hours", "core hrs"),
    HERON: ("USD",),
    VIREO: ("TB",),
}
# Institutions typed more than one way; these are all the spellings in the file.
INSTITUTIONS = {
    "University of Wrenfield": ("University of Wrenfield", "Univ. of Wrenfield"),
    "Tallis State University": ("Tallis State University", "Tallis State"),
    "Coldbrook Institute of Technology": ("Coldbrook Institute of Technology",),
    "Marrow Bay University": ("Marrow Bay University",),
    "Quenton A&M University": ("Quenton A&M University",),
    "Saint Averill College": ("Saint Averill College",),
    "Hollis Medical School": ("Hollis Medical School",),
    "Dunmore University": ("Dunmore University",),
    "Ravensdale Community College": ("Ravensdale Community College",),
    "University of Pell Valley": ("University of Pell Valley",),
    "Elkhorn Tribal College": ("Elkhorn Tribal College",),
    "Barrowgate University": ("Barrowgate University",),
}
CANONICAL = {v: k for k, vs in INSTITUTIONS.items() for v in vs}
STATES = {"NE": ("NE", "Nebraska")}
STATUSES = {
    "Active": ("Active", "ACTIVE"),
    "Expired": ("Expired",),
    "Suspended": ("Suspended",),
}


def day(cell: str) -> date | None:
    """A YYYY-MM-DD cell as a date; blank cells are None."""
    return date.fromisoformat(cell) if cell else None


def split_rows() -> tuple[list[Row], Row]:
    """The project-resource rows and the report-total row, each checked for shape."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = list(csv.reader(f))
    assert every[0] == HEAD, every[0]
    rows = [dict(zip(HEAD, cells, strict=True)) for cells in every[1:]]
    *lines, totals = rows
    assert totals["Project"] == "Report total" and not totals["Resource"], totals
    for r in lines:
        assert re.fullmatch(r"BRQ2[45]\d{4}", r["Project"]), r
        assert r["Unit"] in UNITS[r["Resource"]], r
        assert r["Institution"] in CANONICAL, r
        assert any(r["Status"] in v for v in STATUSES.values()), r
        assert re.fullmatch(r"\d+(\.\d)?%", r["% Used"]), r
    _checks(lines, totals)
    return lines, totals


def _checks(rs: list[Row], totals: Row) -> None:
    """Rows sorted by project; percentages, totals and statuses agree with the numbers."""
    projects = [r["Project"] for r in rs]
    assert projects == sorted(projects)
    keys = [(r["Project"], r["Resource"]) for r in rs]
    assert len(set(keys)) == len(keys), "one row per project and resource"
    for col in ("Awarded", "Used to Date", "Used Mar 2026"):
        assert Decimal(totals[col]) == sum(Decimal(r[col]) for r in rs), col
    for r in rs:
        pct = (used(r) / awarded(r) * 100).quantize(Decimal("0.1"))
        assert r["% Used"] == f"{pct}%", r
        assert month(r) <= used(r), r
        end, last = day(r["End Date"]), day(r["Last Activity"])
        assert end is not None and (last is None) == (used(r) == 0), r
        assert last is None or last <= min(end, AS_OF), r
        if status(r) == "Active":
            assert end >= AS_OF, r
        elif status(r) == "Expired":
            assert end < AS_OF, r


def awarded(r: Row) -> Decimal:
    """The award in its resource's unit."""
    return Decimal(r["Awarded"])


def used(r: Row) -> Decimal:
    """Usage to date in its resource's unit."""
    return Decimal(r["Used to Date"])


def month(r: Row) -> Decimal:
    """Usage during March 2026."""
    return Decimal(r["Used Mar 2026"])


def status(r: Row) -> str:
    """The status, however capitalised."""
    return next(k for k, vs in STATUSES.items() if r["Status"] in vs)


def projects(rs: list[Row]) -> list[str]:
    """Project ids in table order, each once."""
    return list(dict.fromkeys(r["Project"] for r in rs))


def on(rs: list[Row], resource: str) -> list[Row]:
    """Rows on one resource."""
    return [r for r in rs if r["Resource"] == resource]


def active(rs: list[Row]) -> list[Row]:
    """Rows whose allocation is active in the report month."""
    return [r for r in rs if status(r) == "Active"]


def last_name(r: Row) -> str:
    """The PI's last name (the cell is "Last, First")."""
    return r["PI"].split(",")[0]


def total(rs: list[Row], value: Callable[[Row], Decimal] = used) -> str:
    """A column summed and printed plainly; every row must be on one resource."""
    assert len({r["Resource"] for r in rs}) <= 1, "never add across units"
    return str(sum((value(r) for r in rs), Decimal(0)))


def ranked(rs: list[Row], n: int, reverse: bool = True) -> Row:
    """The n-th largest (or smallest) award, checked distinct down to it."""
    by = sorted(rs, key=awarded, reverse=reverse)
    assert len({awarded(r) for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs, _ = split_rows()

    def of_pi(name: str) -> list[Row]:
        """Every row of one PI ("Last, First")."""
        return [r for r in rs if r["PI"] == name]

    def per(
        key: Callable[[Row], str], rs_: list[Row], value: Callable[[Row], Decimal]
    ) -> list[str]:
        """A column summed per group, groups in order of first appearance; sums distinct."""
        out: dict[str, Decimal] = defaultdict(Decimal)
        for r in rs_:
            out[key(r)] += value(r)
        assert len(set(out.values())) == len(out), out
        return [str(v) for v in out.values()]

    def plain(text: str) -> str:
        """Accents dropped, for matching a name typed without them."""
        return text.translate(str.maketrans("áéíóúñ", "aeioun"))

    def left(r: Row) -> Decimal:
        """What is left of the award."""
        return awarded(r) - used(r)

    def pct(r: Row) -> Decimal:
        """Share of the award used, in percent."""
        return Decimal(r["% Used"].rstrip("%"))

    top_active_gpu = ranked(active(on(rs, KESTREL)), 1)
    second_cpu = ranked(on(rs, LARCH), 2)
    least_cloud = ranked(on(rs, HERON), 1, reverse=False)
    (szabo_end,) = {r["End Date"] for r in of_pi("Szabo, Katalin")}
    (ibanez,) = [r for r in rs if plain(r["PI"]) == "Ibanez, Rocio"]
    return {
        # sum: the "core hrs" row is core-hours; one PI's two projects combined; decimals
        "u601": lambda: [total(on(rs, KESTREL))],
        "u602": lambda: [total(active(on(rs, HERON)), left)],
        "u603": lambda: [total(on(rs, LARCH), month)],
        "u604": lambda: [total(on(of_pi("Okafor, Adaeze"), KESTREL))],
        "u605": lambda: [total(on(rs, VIREO))],
        # count: projects, not rows; the totals row is not a project; "ACTIVE" is active
        "u606": lambda: [str(len(projects(rs)))],
        "u607": lambda: [str(len(active(on(rs, KESTREL))))],
        "u608": lambda: [str(len(projects([r for r in rs if used(r) == 0])))],
        # filter
        "u609": lambda: projects([r for r in active(rs) if pct(r) > 90]),
        "u610": lambda: projects([r for r in rs if used(r) > awarded(r)]),
        "u611": lambda: projects([r for r in on(rs, HERON) if month(r) == 0]),
        # list
        "u612": lambda: projects([r for r in rs if r["Institution"] == "Hollis Medical School"]),
        "u613": lambda: [last_name(r) for r in on(rs, VIREO)],
        # nth: the totals row is larger than any award
        "u614": lambda: [last_name(top_active_gpu), str(awarded(top_active_gpu))],
        "u615": lambda: [second_cpu["Project"], last_name(second_cpu), str(awarded(second_cpu))],
        "u616": lambda: [least_cloud["Project"], last_name(least_cloud), str(awarded(least_cloud))],
        # groupby (sums only: a right answer may name a group another way); one PI's two
        # projects fall in one institution; each resource summed in its own unit
        "u617": lambda: per(lambda r: CANONICAL[r["Institution"]], on(rs, KESTREL), used),
        "u618": lambda: per(lambda r: r["Resource"], rs, awarded),
        # date: YYYY-MM-DD cells
        "u619": lambda: projects([r for r in rs if r["End Date"].startswith("2026-04")]),
        "u620": lambda: [szabo_end],
        "u621": lambda: [last_name(r) for r in rs if r["Last Activity"].startswith("2025")],
        # state: a name asked for a state mostly written as a code; a name for a code
        "u622": lambda: [str(sum(r["State"] in STATES["NE"] for r in rs))],
        "u623": lambda: projects([r for r in rs if r["State"] == "TX"]),
        # fuzzy: a name without accents; an institution spelled two ways
        "u624": lambda: [str(used(ibanez))],
        "u625": lambda: projects(
            [r for r in rs if CANONICAL[r["Institution"]] == "University of Wrenfield"]
        ),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
