"""Recompute every table question's expected values from the award register and compare.

Run: python eval/corpora/tables12/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "award-register-2025.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
AWARD = re.compile(r"MB25-\d{3}")
HALYARD, FATHOM, NIMBREL = "Halyard (GPU)", "Fathom (CPU)", "Nimbrel Cloud"
UNITS = {HALYARD: "GPU-h", FATHOM: "node-h", NIMBREL: "USD"}
# The header's cells carry their format on a second line inside the quotes.
GRANTED, USED = "Granted\n(in unit)", "Used to date\n(in unit)"
START, ENDS = "Start\n(DD.MM.YYYY)", "Ends\n(YYYYMMDD)"


def lines() -> list[list[str]]:
    """Every record of the file as cells (quoted header cells hold line breaks)."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def attributes(cell: str) -> dict[str, str]:
    """The "key=value; key=value" cell as a dict (key order varies from row to row)."""
    pairs = [p.split("=", 1) for p in cell.split("; ")]
    assert all(len(p) == 2 for p in pairs), cell
    out = {k: v for k, v in pairs}
    assert sorted(out) == ["field", "org", "pi", "st", "track"], cell
    return out


def rows() -> list[Row]:
    """Allocation rows only (the two TOTAL rows are left out), attributes spread into keys."""
    every = lines()
    header, body = every[0], every[1:]
    assert [r[0] for r in body[-2:]] == ["TOTAL (hours)", "TOTAL (USD)"], body[-2:]
    out: list[Row] = []
    for cells in body[:-2]:
        assert len(cells) == len(header), cells
        r = dict(zip(header, cells, strict=True))
        assert AWARD.fullmatch(r["Award ID"]) and UNITS[r["Resource"]] == r["Unit"], r
        r.update(attributes(r["Attributes"]))
        out.append(r)
    return out


def amount(cell: str) -> float:
    """An amount: "USD 12,000" (US separators) or "1.234,5" (a German-locale number)."""
    if cell.startswith("USD "):
        assert re.fullmatch(r"\d{1,3}(,\d{3})*", cell[4:]), cell
        return float(cell[4:].replace(",", ""))
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?", cell), cell
    return float(cell.replace(".", "").replace(",", "."))


def start(r: Row) -> date:
    """A row's start date, written day first ("04.08.2025" is 4 August)."""
    return datetime.strptime(r[START], "%d.%m.%Y").date()


def ends(r: Row) -> date:
    """A row's end date, written as digits ("20260803")."""
    return datetime.strptime(r[ENDS], "%Y%m%d").date()


def active(r: Row) -> bool:
    """The Active column: TRUE or FALSE."""
    assert r["Active"] in ("TRUE", "FALSE"), r
    return r["Active"] == "TRUE"


def digits(x: float) -> str:
    """A whole number as plain digits."""
    assert x == int(x), x
    return str(int(x))


def awards(rs: list[Row]) -> list[str]:
    """Award ids in table order, each once."""
    return list(dict.fromkeys(r["Award ID"] for r in rs))


def last_name(r: Row) -> str:
    """The PI's last name ("Dr. Hana Ishikawa-Brandt" -> "Ishikawa-Brandt")."""
    return r["pi"].split()[-1]


def on(resource: str, rs: list[Row]) -> list[Row]:
    """Rows of one resource."""
    return [r for r in rs if r["Resource"] == resource]


def total(rs: list[Row], column: str) -> str:
    """A column summed over rows (all in one unit), as plain digits."""
    assert len({r["Unit"] for r in rs}) <= 1, "never add across units"
    return digits(sum(amount(r[column]) for r in rs))


def share(r: Row) -> float:
    """Used over granted."""
    return amount(r[USED]) / amount(r[GRANTED])


def sums(key: str, rs: list[Row], column: str) -> list[str]:
    """A column summed per group, as plain digits, groups in order of first appearance."""
    assert len({r["Unit"] for r in rs}) == 1, "never add across units"
    out: dict[str, float] = defaultdict(float)
    for r in rs:
        out[r[key]] += amount(r[column])
    return [digits(v) for v in out.values()]


def ranked(rs: list[Row], n: int) -> Row:
    """The n-th largest grant (1 = largest) among rows whose grants all differ."""
    by_grant = sorted(rs, key=lambda r: -amount(r[GRANTED]))
    assert len({amount(r[GRANTED]) for r in by_grant[: n + 1]}) == n + 1
    return by_grant[n - 1]


def _checks(rs: list[Row]) -> None:
    """The two TOTAL rows agree with the rows; an award's attributes agree on all its rows."""
    every = lines()
    header = every[0]
    for label, unit_rows in (
        ("TOTAL (hours)", [r for r in rs if r["Unit"] != "USD"]),
        ("TOTAL (USD)", [r for r in rs if r["Unit"] == "USD"]),
    ):
        t = dict(zip(header, next(c for c in every if c[0] == label), strict=True))
        for column in (GRANTED, USED):
            assert amount(t[column]) == sum(amount(r[column]) for r in unit_rows), label
    for a in awards(rs):
        seen = {
            tuple(sorted(attributes(r["Attributes"]).items())) for r in rs if r["Award ID"] == a
        }
        assert len(seen) == 1, a
    assert sum(bool(r["Hold reason"]) for r in rs) == 2


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs = rows()
    _checks(rs)
    halyard, fathom, nimbrel = on(HALYARD, rs), on(FATHOM, rs), on(NIMBREL, rs)
    live = [r for r in rs if active(r)]
    first = {a: next(r for r in rs if r["Award ID"] == a) for a in awards(rs)}
    # An award began when its first resource did (a resource added later starts later).
    began = {a: min(start(r) for r in rs if r["Award ID"] == a) for a in awards(rs)}
    top_live = ranked(on(HALYARD, live), 1)
    assert ranked(halyard, 1) is not top_live  # the largest Halyard grant is not active
    second_cloud = ranked(nimbrel, 2)
    third_fathom = ranked(fathom, 3)
    mb004 = [r for r in rs if r["Award ID"] == "MB25-004"]
    lindqvist = [r for r in rs if r["org"] == "Lindqvist Institute of Technology"]
    harrowgate = [r for r in rs if r["org"] == "Harrowgate University"]
    pellory = [r for r in rs if r["org"] == "Pellory University"]
    ending = [
        a
        for a in awards(rs)
        if all(ends(r) <= date(2025, 12, 31) for r in rs if r["Award ID"] == a)
    ]
    return {
        # sum: German-locale numbers; the TOTAL rows left out; USD kept apart from hours
        "u201": lambda: [total(halyard, USED)],
        "u202": lambda: [
            digits(sum(amount(r[GRANTED]) - amount(r[USED]) for r in on(FATHOM, live)))
        ],
        "u203": lambda: [total(on(NIMBREL, lindqvist), GRANTED)],
        "u204": lambda: [total(on(HALYARD, harrowgate), GRANTED)],
        # count: awards counted once, not rows; a key inside the Attributes cell
        "u205": lambda: [str(len(awards(rs)))],
        "u206": lambda: [str(len(awards([r for r in rs if r["track"] == "Classroom"])))],
        "u207": lambda: [str(sum(not active(r) for r in halyard))],
        # filter: a use share; the Active flag; the only two Hold reason cells; USD amounts
        "u208": lambda: awards([r for r in on(HALYARD, live) if share(r) > 0.95]),
        "u209": lambda: awards([r for r in rs if r["Hold reason"]]),
        "u210": lambda: awards([r for r in nimbrel if share(r) < 0.25]),
        "u211": lambda: awards([r for r in live if r["field"] == "genomics"]),
        # list: an institution's awards; one award's rows gathered from across the table
        "u212": lambda: [*awards(pellory), *(last_name(first[a]) for a in awards(pellory))],
        "u213": lambda: [
            *(r["Resource"].split()[0] for r in mb004),
            *(digits(amount(r[GRANTED])) for r in mb004),
        ],
        # nth: active only; second-largest in USD; third-largest on one resource
        "u214": lambda: [
            top_live["Award ID"],
            last_name(top_live),
            digits(amount(top_live[GRANTED])),
        ],
        "u215": lambda: [second_cloud["Award ID"], digits(amount(second_cloud[GRANTED]))],
        "u216": lambda: [third_fathom["Award ID"], digits(amount(third_fathom[GRANTED]))],
        # groupby (sums only: a right answer may name the group another way)
        "u217": lambda: sums("track", halyard, GRANTED),
        "u218": lambda: sums("st", nimbrel, USED),
        "u219": lambda: sums("org", fathom, USED),
        # date: day-first dotted dates and digit-only end dates; an award starts with its
        # first resource
        "u220": lambda: [
            str(sum(date(2025, 1, 1) <= d <= date(2025, 3, 31) for d in began.values()))
        ],
        "u221": lambda: ending,
        "u222": lambda: awards(
            [r for r in rs if date(2025, 8, 1) <= start(r) <= date(2025, 8, 31)]
        ),
        # fuzzy: an institution misspelled; a PI named without the accent
        "u223": lambda: [total(on(HALYARD, lindqvist), USED)],
        "u224": lambda: [total([r for r in nimbrel if "Fairbrook" in r["pi"]], GRANTED)],
        # state: a state named in full against the two-letter st= code
        "u225": lambda: awards([r for r in rs if r["st"] == "OR"]),
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
