"""Recompute every table question's expected values from request-review-log.csv and compare.

Run: python eval/corpora/tables8/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "request-review-log.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
# The State column mixes two-letter codes and full names; one state is one group.
STATES = {
    "OR": "Oregon",
    "WA": "Washington",
    "ID": "Idaho",
    "NM": "New Mexico",
    "CA": "California",
    "CO": "Colorado",
    "MT": "Montana",
}


def raw() -> list[Row]:
    """Every row under the header (the title line above it skipped), the TOTAL row included."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        title = next(f)
        assert title.startswith("Harborline"), title
        return list(csv.DictReader(f))


def rows() -> list[Row]:
    """Request rows only: the TOTAL row at the bottom left out."""
    out = [r for r in raw() if r["Req ID"] != "TOTAL"]
    assert len(out) == len(raw()) - 1
    return out


def state(r: Row) -> str:
    """The row's state as a full name, whether the cell holds a code or a name."""
    return STATES.get(r["State"], r["State"])


def decision(r: Row) -> str:
    """The Decision cell, case folded ("Approved" and "approved" are one decision)."""
    return r["Decision"].lower()


def num(cell: str) -> int:
    """An amount or score cell as an integer (blank counts as 0)."""
    return int(cell) if cell else 0


def total(col: str, rs: list[Row]) -> str:
    """A column's amounts summed over the rows, as plain digits."""
    return str(sum(num(r[col]) for r in rs))


def pct(r: Row) -> int:
    """The "Cedar used %" cell ("88%") as a number."""
    return int(r["Cedar used %"].rstrip("%"))


def frac(r: Row) -> float:
    """The "Basalt used" cell ("0.88", a fraction of the grant) as a number."""
    return float(r["Basalt used"])


def day(cell: str) -> date:
    """A Submitted cell ("2024-10-07") or Decided cell ("11-Nov-2024") as a date."""
    fmt = "%Y-%m-%d" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell) else "%d-%b-%Y"
    return datetime.strptime(cell, fmt).date()


def domain(r: Row) -> str:
    """The PI's e-mail domain ("cs.marrowfield.edu")."""
    return r["PI email"].split("@")[1]


def at(org: str) -> list[Row]:
    """Rows whose PI e-mail is at the organisation's domain or one of its subdomains."""
    return [r for r in rows() if domain(r) == org or domain(r).endswith("." + org)]


def ids(rs: list[Row]) -> list[str]:
    """Request IDs in table order."""
    return [r["Req ID"] for r in rs]


def projects(rs: list[Row]) -> list[str]:
    """Project IDs in table order, each once (a project may have several requests)."""
    return list(dict.fromkeys(r["Project"] for r in rs))


def surname(r: Row) -> str:
    """The PI's last name ("Imani Castellanos" -> "Castellanos")."""
    return r["PI"].split()[-1]


def ranked(col: str, rs: list[Row]) -> list[Row]:
    """Rows with an amount in the column, largest first."""
    return sorted((r for r in rs if r[col]), key=lambda r: -num(r[col]))


def group_rows(key: Callable[[Row], str], rs: list[Row]) -> dict[str, list[Row]]:
    """Rows grouped by a key, groups in order of first appearance."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rs:
        groups[key(r)].append(r)
    return groups


def grouped(
    key: Callable[[Row], str], rs: list[Row], value: Callable[[list[Row]], str]
) -> list[str]:
    """Each group's name and its value (the value once even when groups share it)."""
    groups = group_rows(key, rs)
    return [*groups, *sorted({value(g) for g in groups.values()})]


def waited(r: Row) -> int:
    """Days from submission to decision."""
    return (day(r["Decided"]) - day(r["Submitted"])).days


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    approved = [r for r in rows() if decision(r) == "approved"]
    decided = [r for r in rows() if r["Decision"]]
    by_proj = {p: [r for r in rows() if r["Project"] == p] for p in projects(rows())}
    slowest = max(decided, key=waited)
    top_cedar = ranked("Granted Cedar SU", rows())[0]
    top_quarry = ranked("Req Quarry TB", rows())[0]
    second_basalt = ranked("Granted Basalt GPU-h", approved)[1]
    hrca119 = by_proj["HRCA-119"]
    assert len(hrca119) == 1
    return {
        # sum: the TOTAL row left out; one project's requests combined
        "t801": lambda: [total("Granted Basalt GPU-h", rows())],
        "t802": lambda: [total("Granted Cedar SU", [r for r in rows() if r["Classroom"] == "yes"])],
        "t803": lambda: [total("Granted Cedar SU", by_proj["HRCA-101"])],
        "t804": lambda: [total("Req Basalt GPU-h", [r for r in rows() if not r["Decision"]])],
        # count
        "t805": lambda: [str(sum(decision(r) == "declined" for r in rows()))],
        "t806": lambda: [str(len(projects(rows())))],
        "t807": lambda: [str(sum(r["Renewal"] == "Y" for r in approved))],
        # filter: a percent column, a fraction column, suffixed duplicate headers, a derived use
        "t808": lambda: ids([r for r in approved if r["Cedar used %"] and pct(r) > 90]),
        "t809": lambda: ids([r for r in rows() if r["Basalt used"] and frac(r) > 0.80]),
        "t810": lambda: ids([r for r in rows() if r["Score"] == "5" and r["Score_2"] == "5"]),
        "t811": lambda: [str(round(num(hrca119[0]["Granted Cedar SU"]) * pct(hrca119[0]) / 100))],
        # list
        "t812": lambda: ids([r for r in rows() if decision(r) == "deferred"]),
        "t813": lambda: ids([r for r in rows() if not r["Decision"]]),
        # nth
        "t814": lambda: [surname(top_cedar), top_cedar["Project"], top_cedar["Granted Cedar SU"]],
        "t815": lambda: [top_quarry["Req ID"], surname(top_quarry)],
        "t816": lambda: [
            second_basalt["Req ID"],
            surname(second_basalt),
            second_basalt["Granted Basalt GPU-h"],
        ],
        # groupby: one decision spelt two ways; codes and names one state
        "t817": lambda: grouped(decision, decided, lambda g: str(len(g))),
        "t818": lambda: grouped(lambda r: r["Cycle"], rows(), lambda g: str(len(g))),
        # (group sums only: a right answer may name a state by its code or by its name)
        "t819": lambda: sorted(
            {total("Granted Basalt GPU-h", g) for g in group_rows(state, rows()).values()} - {"0"}
        ),
        # date: two date formats; the fiscal year starts in October
        "t820": lambda: [
            str(sum(date(2025, 1, 1) <= day(r["Submitted"]) <= date(2025, 6, 30) for r in rows()))
        ],
        "t821": lambda: ids(
            [r for r in decided if (day(r["Decided"]).year, day(r["Decided"]).month) == (2025, 9)]
        ),
        "t822": lambda: [slowest["Req ID"], surname(slowest), str(waited(slowest))],
        # fuzzy: institutions known only by their PIs' e-mail domains
        "t823": lambda: [str(len(at("marrowfield.edu")))],
        "t824": lambda: [total("Granted Basalt GPU-h", at("pinecrest.edu"))],
        # state: codes and names mixed
        "t825": lambda: [str(sum(state(r) == "Washington" for r in rows()))],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
