"""Recompute every table question's expected values from the credit award list and compare.

Run: python eval/corpora/tables19/check_answers.py  (exit 1 and a list on any mismatch;
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
TABLE = HERE / "tables" / "cloud-api-credit-awards-2025-10-31.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
AS_OF = date(2025, 10, 31)
HEAD = [
    "Award ID",
    "PI",
    "Institution",
    "State",
    "Provider",
    "Credit Type",
    "Awarded",
    "Spent to Date",
    "Start",
    "End",
    "Status",
    "Notes",
]
CLOUD, API, TOKENS = "Cloud credits (USD)", "API credits (USD)", "Tokens"
DOLLARS = (CLOUD, API)
# Cells typed more than one way; these are all the spellings in the file.
PROVIDERS = {
    "AWS": ("AWS",),
    "Azure": ("Azure", "Microsoft Azure"),
    "Google Cloud": ("Google Cloud",),
    "Larkspur AI": ("Larkspur AI",),
    "Meridian Models": ("Meridian Models",),
}
INSTITUTIONS = {
    "Ridgeway State University": ("Ridgeway State University", "Ridgeway State Univ."),
    "University of Tamsin Falls": ("University of Tamsin Falls", "Univ. of Tamsin Falls"),
    "Corbin Polytechnic Institute": ("Corbin Polytechnic Institute", "Corbin Poly"),
    "Halloway College": ("Halloway College",),
    "Westmere University": ("Westmere University",),
    "Dunmore Institute of Technology": ("Dunmore Institute of Technology",),
    "Kestrel University": ("Kestrel University",),
    "Caldera State University": ("Caldera State University",),
    "Sutter Bay University": ("Sutter Bay University",),
    "Pelham A&T University": ("Pelham A&T University",),
    "Marrow Creek Medical School": ("Marrow Creek Medical School",),
    "Larch Hill University": ("Larch Hill University",),
    "Esker Valley Community College": ("Esker Valley Community College",),
}
PROVIDER = {v: k for k, vs in PROVIDERS.items() for v in vs}
CANONICAL = {v: k for k, vs in INSTITUTIONS.items() for v in vs}
STATUSES = ("Active", "Closed", "Pending")


def day(cell: str) -> date | None:
    """An M/D/YYYY cell as a date; blank cells are None."""
    return datetime.strptime(cell, "%m/%d/%Y").date() if cell else None


def money(cell: str) -> int:
    """A cell written '$1,200', '1,200' or '1200' as a number; blank (not reported) is 0."""
    plain = cell.replace("$", "").replace(",", "")
    assert plain == "" or plain.isdigit(), cell
    return int(plain) if plain else 0


def load() -> list[Row]:
    """Every row (awards and the one supplement), checked for shape."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = list(csv.reader(f))
    assert every[0] == HEAD, every[0]
    rows = [dict(zip(HEAD, cells, strict=True)) for cells in every[1:]]
    assert 30 <= len(rows) <= 45, len(rows)
    for r in rows:
        assert re.fullmatch(r"CA-2[45]-0\d\d(-S1)?", r["Award ID"]), r
        assert r["Provider"] in PROVIDER and r["Institution"] in CANONICAL, r
        assert r["Credit Type"] in (CLOUD, API, TOKENS) and r["Status"] in STATUSES, r
        assert re.fullmatch(r"[A-Z]{2}", r["State"]), r
        # Dollars may carry '$'; token counts never do.
        assert r["Credit Type"] != TOKENS or "$" not in r["Awarded"] + r["Spent to Date"], r
    _checks(rows)
    return rows


def _checks(rs: list[Row]) -> None:
    """Ids sorted and unique; status agrees with the dates; spending within the award."""
    ids_ = [r["Award ID"] for r in rs]
    assert ids_ == sorted(ids_) and len(set(ids_)) == len(ids_)
    for r in rs:
        start, end = day(r["Start"]), day(r["End"])
        assert start is not None, r
        if r["Status"] == "Closed":
            assert end is not None and end < AS_OF, r
        elif r["Status"] == "Active":
            assert start <= AS_OF and (end is None or end > AS_OF), r
        else:
            assert start > AS_OF and not r["Spent to Date"], r
        assert money(r["Spent to Date"]) <= money(r["Awarded"]), r
        # The supplement adds to an award of the same PI, provider and credit type.
        if r["Award ID"].endswith("-S1"):
            (base,) = [x for x in rs if x["Award ID"] == r["Award ID"][:-3]]
            assert all(base[k] == r[k] for k in ("PI", "Provider", "Credit Type", "End")), r


def awards(rs: list[Row]) -> list[Row]:
    """Each award once, with any supplement folded into it (amounts summed as cells)."""
    out: dict[str, Row] = {}
    for r in rs:
        key = r["Award ID"].removesuffix("-S1")
        if key in out:
            base = out[key]
            for col in ("Awarded", "Spent to Date"):
                base[col] = str(money(base[col]) + money(r[col]))
        else:
            out[key] = dict(r)
    return list(out.values())


def ids(rs: list[Row]) -> list[str]:
    """Award ids in table order."""
    return [r["Award ID"] for r in rs]


def of(rs: list[Row], provider: str) -> list[Row]:
    """Rows of one provider, however it is spelled."""
    return [r for r in rs if PROVIDER[r["Provider"]] == provider]


def typed(rs: list[Row], *kinds: str) -> list[Row]:
    """Rows of the given credit types."""
    return [r for r in rs if r["Credit Type"] in kinds]


def active(rs: list[Row]) -> list[Row]:
    """Rows active on the export date."""
    return [r for r in rs if r["Status"] == "Active"]


def awarded(r: Row) -> int:
    """The amount awarded, in the row's unit."""
    return money(r["Awarded"])


def shown(r: Row, col: str = "Awarded") -> str:
    """One cell's number as the table prints it, without the dollar sign."""
    return r[col].removeprefix("$")


def left(r: Row) -> int:
    """Awarded less spent; a blank spent cell means nothing reported yet."""
    return awarded(r) - money(r["Spent to Date"])


def total(rs: list[Row], value: Callable[[Row], int] = awarded) -> int:
    """Values summed; dollars and tokens are never added together."""
    assert len({r["Credit Type"] == TOKENS for r in rs}) <= 1, "never add across units"
    return sum(value(r) for r in rs)


def ranked(rs: list[Row], n: int, reverse: bool = True) -> Row:
    """The n-th largest (or smallest) award, checked distinct down to it."""
    by = sorted(rs, key=awarded, reverse=reverse)
    assert len({awarded(r) for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def last_name(r: Row) -> str:
    """The PI's last name."""
    return r["PI"].split()[-1]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rows = load()
    rs = awards(rows)

    def per(key: Callable[[Row], str], rs_: list[Row]) -> list[str]:
        """Amounts awarded summed per group, groups in order of first appearance."""
        out: dict[str, int] = defaultdict(int)
        for r in rs_:
            out[key(r)] += awarded(r)
        return [str(v) for v in out.values()]

    def started(r: Row, lo: date, hi: date) -> bool:
        """Started within [lo, hi)."""
        start = day(r["Start"])
        return start is not None and lo <= start < hi

    def ends_by(r: Row, last: date) -> bool:
        """Has an end date on or before the given day."""
        end = day(r["End"])
        return end is not None and end <= last

    def share(r: Row) -> float:
        """Spent as a share of awarded."""
        return money(r["Spent to Date"]) / awarded(r)

    (haddad,) = [r for r in rs if r["PI"] == "Nadia Haddad"]
    (ferreira,) = [r for r in rs if r["PI"] == "Lucas Ferreira"]
    (raghunathan,) = [r for r in rs if r["PI"].startswith("Priya Ragh")]
    biggest_active = ranked(active(typed(rs, *DOLLARS)), 1)
    second_cloud = ranked(typed(rs, CLOUD), 2)
    least_api = ranked(typed(rs, API), 1, reverse=False)
    token_places = {CANONICAL[r["Institution"]] for r in typed(rs, TOKENS)}
    # Short forms that every spelling of each institution contains.
    short = {
        "Westmere",
        "Pelham",
        "Ridgeway State",
        "Sutter Bay",
        "Marrow Creek",
        "Tamsin Falls",
        "Kestrel",
    }
    assert {next(s for s in short if s in p) for p in token_places} == short
    assert all(any(s in v for s in short) for p in token_places for v in INSTITUTIONS[p])
    return {
        # sum: '$' cells and plain cells; Azure under two names; award plus supplement;
        # what is left; tokens never added to dollars
        "u901": lambda: [str(total(of(rows, "AWS")))],
        "u902": lambda: [str(total(active(of(rs, "Azure")), left))],
        "u903": lambda: [str(awarded(haddad)), str(left(haddad))],
        "u904": lambda: [str(total(active(typed(rs, TOKENS)), left))],
        "u905": lambda: [
            str(total(typed(of(rs, "Larkspur AI"), API), lambda r: money(r["Spent to Date"])))
        ],
        # count: the supplement is not an award; institutions under two spellings
        "u906": lambda: [str(len(active(rs)))],
        "u907": lambda: [str(len(typed(rs, TOKENS)))],
        "u908": lambda: [str(len({CANONICAL[r["Institution"]] for r in rs}))],
        # filter: a share computed; '$75,000' read as 75000; spent equal to awarded
        "u909": lambda: ids([r for r in active(rs) if share(r) > 0.9]),
        "u910": lambda: ids([r for r in typed(rs, *DOLLARS) if awarded(r) > 50000]),
        "u911": lambda: ids([r for r in rs if r["Status"] == "Closed" and left(r) == 0]),
        # list
        "u912": lambda: ids(of(rs, "Google Cloud")),
        "u913": lambda: sorted(short),
        # nth: dollars only; '$90,000' is a number
        "u914": lambda: [last_name(biggest_active), shown(biggest_active)],
        "u915": lambda: [second_cloud["Award ID"], last_name(second_cloud), shown(second_cloud)],
        "u916": lambda: [least_api["Award ID"], shown(least_api)],
        # groupby (sums only: a right answer may name a group another way)
        "u917": lambda: per(lambda r: PROVIDER[r["Provider"]], typed(rows, *DOLLARS)),
        "u918": lambda: per(lambda r: PROVIDER[r["Provider"]], typed(rows, TOKENS)),
        # date: M/D/YYYY cells, one blank end date
        "u919": lambda: [str(sum(started(r, date(2025, 1, 1), date(2025, 4, 1)) for r in rs))],
        "u920": lambda: ids([r for r in active(rs) if ends_by(r, date(2025, 12, 31))]),
        "u921": lambda: [ferreira["End"]],
        # state: a state asked by name, the table holds codes
        "u922": lambda: [str(sum(r["State"] == "CA" for r in rs))],
        "u923": lambda: [x for r in rs if r["State"] == "NM" for x in (r["Award ID"], shown(r))],
        # fuzzy: an institution spelled two ways; a PI's name misspelled in the question
        "u924": lambda: ids(
            [r for r in rs if CANONICAL[r["Institution"]] == "University of Tamsin Falls"]
        ),
        "u925": lambda: [shown(raghunathan, "Spent to Date")],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
