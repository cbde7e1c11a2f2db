"""Recompute the unseen2 table questions' must_include from the awards CSV and compare.

Run from anywhere: python eval/corpora/unseen2/table_answers.py
Exit 1 with a list when a recorded answer disagrees with the table; --show prints what each
question's answer is computed from (how the reference answers were written).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "rac-awards-2023-2024.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]


def rows() -> list[Row]:
    """Every award, keyed by the CSV header."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def pick(rs: list[Row] | None = None, **equals: str) -> list[Row]:
    """Rows whose columns equal the given values (keyword = column with spaces as _)."""
    pool = rows() if rs is None else rs
    return [r for r in pool if all(r[k.replace("_", " ")] == v for k, v in equals.items())]


def num(r: Row) -> Decimal:
    """A row's amount as an exact decimal (GPU-years have halves)."""
    return Decimal(r["Amount"])


def text(d: Decimal) -> str:
    """A decimal as the table writes it: no trailing .0."""
    return format(d.normalize(), "f")


def total(rs: list[Row]) -> str:
    """The sum of rows that all share one unit (never adds across units)."""
    units = {r["Unit"] for r in rs}
    assert len(units) == 1, units
    return text(sum((num(r) for r in rs), Decimal(0)))


def ranked(rs: list[Row]) -> list[Row]:
    """Rows of one unit, largest amount first."""
    assert len({r["Unit"] for r in rs}) == 1
    return sorted(rs, key=lambda r: -num(r))


def ids_and_amounts(rs: list[Row]) -> list[str]:
    """Award IDs followed by their amounts."""
    return [v for r in rs for v in (r["Award ID"], r["Amount"])]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed from the rows."""
    return {
        # list: institutions with cloud awards
        "w039": lambda: sorted({r["Institution"] for r in pick(Resource="Cloud")}),
        # filter: GPU awards on Graham
        "w040": lambda: ids_and_amounts(pick(System="Graham", Resource="GPU")),
        # count: RAC 2024 awards in Quebec (province code QC)
        "w041": lambda: [str(len(pick(Province="QC", Competition="RAC 2024")))],
        # sum: core-years on Cedar in RAC 2024
        "w042": lambda: [total(pick(System="Cedar", Resource="CPU", Competition="RAC 2024"))],
        # sum: one PI's GPU-years over both competitions
        "w043": lambda: [total(pick(PI="Hélène Bouchard", Resource="GPU"))],
        # nth: second-largest CPU award in RAC 2024
        "w044": lambda: [
            (r := ranked(pick(Resource="CPU", Competition="RAC 2024"))[1])["Award ID"],
            r["PI"],
            r["Amount"],
        ],
        # nth: smallest GPU award
        "w045": lambda: [
            (r := ranked(pick(Resource="GPU"))[-1])["Award ID"],
            r["PI"],
            r["Amount"],
        ],
        # groupby: GPU-years per competition
        "w046": lambda: [
            total(pick(Resource="GPU", Competition=c)) for c in ("RAC 2024", "RAC 2023")
        ],
        # groupby: awards per stream
        "w047": lambda: [str(n) for _, n in sorted(Counter(r["Stream"] for r in rows()).items())],
        # date: results sent on 2024-03-28
        "w048": lambda: [r["Award ID"] for r in pick(Results_sent="2024-03-28")],
        # fuzzy: "memorial uni in newfoundland"
        "w049": lambda: ids_and_amounts(pick(Institution="Memorial University of Newfoundland")),
        # fuzzy: "UBC" and nearline storage
        "w050": lambda: ids_and_amounts(
            pick(Institution="University of British Columbia", Resource="Nearline storage")
        ),
        # state: Nova Scotia (NS)
        "w051": lambda: (
            sorted({r["Institution"] for r in pick(Province="NS")})
            + [r["Award ID"] for r in pick(Province="NS")]
        ),
        # filter (follow-up): GPU awards among the Narval awards
        "w052": lambda: ids_and_amounts(pick(System="Narval", Resource="GPU")),
    }


if __name__ == "__main__":
    sys.exit(check_table_answers(QUESTIONS, _expected(), sys.argv[1:]))
