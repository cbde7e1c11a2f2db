"""Recompute every table question's expected values from awarded-projects.csv and compare.

Run: python eval/corpora/tuning/check_table_answers.py  (exit 1 and a list on any mismatch;
--show prints the computed rows and totals, which is how the reference answers were written).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "awarded-projects.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]


def rows() -> list[Row]:
    """The table's rows as dicts keyed by column header."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def day(text: str) -> date | None:
    """A DD/MM/YYYY cell as a date (None when blank)."""
    if not text:
        return None
    d, m, y = (int(p) for p in text.split("/"))
    return date(y, m, d)


def where(**cond: str) -> list[Row]:
    """Rows whose columns (underscores for spaces) equal the given values."""
    out = rows()
    for key, value in cond.items():
        col = key.replace("_", " ").capitalize()
        col = {"Project id": "Project ID"}.get(col, col)
        out = [r for r in out if r[col] == value]
    return out


def ids(rs: list[Row]) -> list[str]:
    """Project IDs in table order."""
    return [r["Project ID"] for r in rs]


def total(rs: list[Row]) -> dict[str, int]:
    """Awarded amount summed per unit (never across units)."""
    out: dict[str, int] = defaultdict(int)
    for r in rs:
        out[r["Unit"]] += int(r["Awarded"])
    return dict(out)


def ranked(unit: str, rs: list[Row] | None = None) -> list[Row]:
    """Rows in one unit, largest award first."""
    pool = rows() if rs is None else rs
    return sorted((r for r in pool if r["Unit"] == unit), key=lambda r: -int(r["Awarded"]))


def started(lo: date, hi: date, rs: list[Row] | None = None) -> list[Row]:
    """Rows whose start date is in [lo, hi]."""
    pool = rows() if rs is None else rs
    return [r for r in pool if (s := day(r["Start date"])) is not None and lo <= s <= hi]


def count_by(col: str) -> Counter[str]:
    """How many rows carry each value of a column."""
    return Counter(r[col] for r in rows())


def key_and_amount(r: Row) -> list[str]:
    """A row's project ID and awarded amount."""
    return [r["Project ID"], r["Awarded"]]


def per_group(col: str, unit: str) -> list[str]:
    """The non-zero totals in one unit for each value of a column."""
    sums: Counter[str] = Counter()
    for r in rows():
        if r["Unit"] == unit:
            sums[r[col]] += int(r["Awarded"])
    return [str(v) for v in sums.values()]


# Each table question's must_include, computed. Values are strings as the answer would show them.
def _expected() -> dict[str, Callable[[], list[str]]]:
    return {
        "t001": lambda: ids(where(system="Leonardo", partition="Booster")),
        "t002": lambda: ids(where(system="LUMI", access_mode="Extreme Scale")),
        "t003": lambda: ids(where(scientific_domain="Health")),
        "t004": lambda: ids(where(access_mode="Development")),
        "t005": lambda: sorted({r["Host organisation"] for r in where(access_mode="Benchmark")}),
        "t006": lambda: [str(len(where(system="MareNostrum 5")))],
        "t007": lambda: [
            str(
                len(
                    started(
                        date(2025, 1, 1),
                        date(2025, 12, 31),
                        where(access_mode="AI and Data-Intensive Applications"),
                    )
                )
            )
        ],
        "t008": lambda: [str(len(where(country="Sweden")))],
        "t009": lambda: [str(total(where(partition="LUMI-G"))["GPU hours"])],
        "t010": lambda: [str(total(where(system="Karolina"))["node hours"])],
        "t011": lambda: [str(v) for _, v in sorted(total(where(system="Leonardo")).items())],
        "t012": lambda: [
            str(v) for _, v in sorted(total(where(scientific_domain="Climate and weather")).items())
        ],
        "t013": lambda: key_and_amount(ranked("GPU hours")[1]),
        "t014": lambda: ids(ranked("node hours", where(access_mode="Regular"))[:3]),
        "t015": lambda: key_and_amount(ranked("core hours")[-1]),
        # Only the counts above 5: each belongs to one system, while 5 and 3 are shared.
        "t016": lambda: [str(n) for n in sorted(set(count_by("System").values())) if n > 5],
        "t017": lambda: per_group("Access mode", "node hours"),
        "t018": lambda: per_group("System", "GPU hours"),
        "t019": lambda: ids(
            started(date(2025, 1, 1), date(2025, 6, 30), where(access_mode="Regular"))
        ),
        "t020": lambda: ids(started(date(1900, 1, 1), date(2024, 5, 31))),
        "t021": lambda: ids([r for r in rows() if r["End date"].endswith("/09/2025")]),
        "t022": lambda: ids(started(date(2025, 10, 1), date(2025, 10, 31))),
        "t023": lambda: ids(where(system="Leonardo", partition="DCGP")),
        "t024": lambda: ids(where(system="MareNostrum 5", partition="ACC")),
        "t025": lambda: ids(where(host_organisation="Universität Hohenfeld")),
        "t026": lambda: ids([r for r in rows() if r["Host organisation"].endswith(" of Kallio")]),
        "t027": lambda: ids(where(host_organisation="Università degli Studi di Valmora")),
        "t028": lambda: ids(where(country="Finland")),
        "t029": lambda: ids([r for r in rows() if r["Country"] in ("Portugal", "Spain")]),
        "t030": lambda: [str(total(where(country="Germany"))["node hours"])],
        "t031": lambda: ids(where(country="Czechia", system="Karolina")),
        "t032": lambda: ids([r for r in rows() if r["Access mode"].startswith("AI Factories")]),
        "t033": lambda: ids(where(system="MeluXina", partition="FPGA")),
        "t034": lambda: [str(total(where(access_mode="Extreme Scale"))["node hours"])],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
