"""Compute the must_include values of the unseen corpus's table questions from its CSV.

Usage (from the repository root):

    python eval/corpora/unseen/table_answers.py          # check questions.jsonl, exit 1 on drift
    python eval/corpora/unseen/table_answers.py --write  # rewrite their must_include in place

Each table question's expected values come from a small query over tables/awarded-projects.csv,
written here once, so nobody types a sum or a list by hand. Nothing in pilotdesk imports this.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "tables" / "awarded-projects.csv"
QUESTIONS = HERE / "questions.jsonl"

Row = dict[str, str]


def rows() -> list[Row]:
    """The table's rows as dicts of strings."""
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def where(**equal: str) -> Callable[[Row], bool]:
    """A row filter on exact column values."""
    return lambda r: all(r[k] == v for k, v in equal.items())


def ids_and_amounts(rs: list[Row]) -> list[str]:
    """Project ids with their amounts, in table order."""
    return [v for r in rs for v in (r["project_id"], r["amount"])]


def distinct(rs: list[Row], col: str) -> list[str]:
    """Distinct values of a column, in table order."""
    return list(dict.fromkeys(r[col] for r in rs))


def total(rs: list[Row]) -> list[str]:
    """The sum of amounts (one unit only, or it is an error), with thousands separators."""
    units = {r["unit"] for r in rs}
    if len(units) != 1:
        raise ValueError(f"refusing to add across units {sorted(units)}")
    return [f"{sum(int(r['amount']) for r in rs):,}"]


def nth_largest(rs: list[Row], n: int) -> list[str]:
    """The n-th largest award (1-based) by amount: its id, institution and amount."""
    r = sorted(rs, key=lambda r: -int(r["amount"]))[n - 1]
    return [r["project_id"], r["pi_institution"], r["amount"]]


def per_type(rs: list[Row]) -> list[str]:
    """Each project type followed by its number of projects, types in table order."""
    counts = Counter(r["project_type"] for r in rs)
    return [v for t in dict.fromkeys(r["project_type"] for r in rs) for v in (t, str(counts[t]))]


def pick(pred: Callable[[Row], bool]) -> list[Row]:
    """Rows matching a predicate."""
    return [r for r in rows() if pred(r)]


# question id -> how its must_include is computed
ANSWERS: dict[str, Callable[[], list[str]]] = {
    "u_t01": lambda: ids_and_amounts(pick(where(resource="SDSC Expanse GPU"))),
    "u_t02": lambda: distinct(
        pick(where(resource="IU Jetstream2", project_type="Explore")), "pi_institution"
    ),
    "u_t03": lambda: total(pick(where(resource="Purdue Anvil CPU"))),
    "u_t04": lambda: [str(len(pick(where(project_type="Maximize"))))],
    "u_t05": lambda: nth_largest(pick(where(unit="GPU-hours")), 3),
    "u_t06": lambda: per_type(rows()),
    "u_t07": lambda: [r["project_id"] for r in pick(where(award_date="2024-06-03"))],
    "u_t08": lambda: distinct(pick(where(state="TX")), "pi_institution"),
    "u_t09": lambda: [
        r["project_id"] for r in pick(where(pi_institution="Keystone Polytechnic Institute"))
    ],
    "u_t10": lambda: total(pick(where(project_type="Explore", unit="ACCESS Credits"))),
    "u_t11": lambda: distinct(pick(where(state="PR")), "project_id"),
    "u_t12": lambda: [r["project_id"] for r in rows() if r["award_date"].startswith("2024-11")],
    "u_t13": lambda: distinct(
        pick(lambda r: r["resource"] in ("TAMU ACES", "Open Storage Network")), "pi_institution"
    ),
    "u_t14": lambda: [
        r["amount"]
        for r in pick(
            where(pi_institution="Cornhusker Agricultural University", resource="NCSA Delta GPU")
        )
    ],
}


def main(argv: list[str]) -> int:
    """Check (or with --write, update) the table questions' must_include."""
    records = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    drift = 0
    for rec in records:
        if rec["id"] in ANSWERS:
            want = ANSWERS[rec["id"]]()
            if rec["must_include"] != want:
                drift += 1
                print(f"{rec['id']}: must_include {rec['must_include']} != computed {want}")
                rec["must_include"] = want
    missing = sorted(set(ANSWERS) - {r["id"] for r in records})
    for qid in missing:
        print(f"{qid}: no such question in {QUESTIONS.name}")
    if "--write" in argv:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        QUESTIONS.write_text(text, encoding="utf-8")
        print(f"wrote {QUESTIONS.name}: {drift} table question(s) updated")
        return 1 if missing else 0
    return 1 if drift or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
