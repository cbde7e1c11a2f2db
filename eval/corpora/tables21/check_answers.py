"""Recompute every table question's expected values from the utilization report and compare.

Run: python eval/corpora/tables21/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "allocation-utilization-report-2025-11-14.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
AS_OF = date(2025, 11, 14)  # the report's "Generated:" line
HEAD = [
    "Project ID",
    "Project Title",
    "PI",
    "Department / School",
    "Institution",
    "Resource",
    "Allocation Type",
    "Allocated (k SUs)",
    "Used (k SUs)",
    "Allocated ($K)",
    "Used ($K)",
    "% Used",
    "Start Date",
    "End Date",
    "Status",
]
KESTREL, RIDGELINE, MARRAM, SALTMARSH = (
    "Kestrel GPU",
    "Ridgeline CPU",
    "Marram Large Memory",
    "Saltmarsh Cloud",
)
# Every way the report writes each resource ("Kestrel-GPU" once).
RESOURCES = {
    KESTREL: ("Kestrel GPU", "Kestrel-GPU"),
    RIDGELINE: ("Ridgeline CPU",),
    MARRAM: ("Marram Large Memory",),
    SALTMARSH: ("Saltmarsh Cloud",),
}
CANONICAL = {v: k for k, vs in RESOURCES.items() for v in vs}
COMPUTE = (KESTREL, RIDGELINE, MARRAM)  # in k SUs; the cloud is in $K
THOUSAND = Decimal(1000)


def day(cell: str) -> date:
    """A DD-Mon-YYYY cell as a date."""
    return datetime.strptime(cell, "%d-%b-%Y").date()


def number(cell: str) -> Decimal | None:
    """A numeric cell without its footnote marker; blank cells are None."""
    cell = cell.rstrip("*")
    return Decimal(cell) if cell else None


def split_rows() -> tuple[list[Row], Row, list[str]]:
    """The allocation rows, the totals row and the footnote lines, each checked for shape."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = list(csv.reader(f))
    assert all(len(cells) == len(HEAD) for cells in every), "every line padded to 15 cells"
    start = next(i for i, cells in enumerate(every) if cells == HEAD)
    preamble = [cells[0] for cells in every[:start]]
    assert preamble[1] == "Generated: 14-Nov-2025 07:30" and preamble[-1] == "", preamble
    rows = [dict(zip(HEAD, cells, strict=True)) for cells in every[start + 1 :]]
    n = next(i for i, r in enumerate(rows) if r["Project ID"] == "Total")
    allocations, totals = rows[:n], rows[n]
    notes = [r["Project ID"] for r in rows[n + 1 :]]
    assert [x[0] for x in notes] == ["*", "S"], notes
    _checks(allocations, totals)
    return allocations, totals, notes


def _checks(rs: list[Row], totals: Row) -> None:
    """Ids unique; amounts in the right scale; % Used and status agree; the totals add up."""
    ids = [r["Project ID"] for r in rs]
    assert len(set(ids)) == len(ids)
    for r in rs:
        cloud = resource(r) == SALTMARSH
        assert not r["Allocated (k SUs)" if cloud else "Allocated ($K)"], r
        assert not r["Used (k SUs)" if cloud else "Used ($K)"], r
        used = number(r["Used ($K)" if cloud else "Used (k SUs)"])
        if used is None:
            assert not r["% Used"] and r["Status"] == "Pending", r
        else:
            assert r["% Used"] == f"{(used / allocated(r) * 100).quantize(Decimal('0.1'))}%", r
        start, end = day(r["Start Date"]), day(r["End Date"])
        want = "Pending" if start > AS_OF else "Expired" if end < AS_OF else "Active"
        assert r["Status"] == want, r
        if r["Allocation Type"] == "Supplement":
            assert any(x["PI"] == r["PI"] and x is not r and same(x, r) for x in rs), r
    for col in ("Allocated (k SUs)", "Used (k SUs)", "Allocated ($K)", "Used ($K)"):
        assert number(totals[col]) == sum(number(r[col]) or 0 for r in rs), col
    assert sum("*" in r["Used ($K)"] for r in rs) == 1


def same(a: Row, b: Row) -> bool:
    """True when two rows are on the same resource, however spelled."""
    return resource(a) == resource(b)


def resource(r: Row) -> str:
    """The resource, however the report spells it."""
    return CANONICAL[r["Resource"]]


def allocated(r: Row) -> Decimal:
    """The allocation in the header's scale (k SUs, or $K for the cloud)."""
    value = number(r["Allocated ($K)" if resource(r) == SALTMARSH else "Allocated (k SUs)"])
    assert value is not None, r
    return value


def used(r: Row) -> Decimal:
    """Usage so far in the header's scale; none yet for pending rows."""
    return number(r["Used ($K)" if resource(r) == SALTMARSH else "Used (k SUs)"]) or Decimal(0)


def percent(r: Row) -> Decimal:
    """The % Used cell as a number (0 when blank)."""
    return Decimal(r["% Used"].rstrip("%") or "0")


def plain(value: Decimal) -> str:
    """A whole number written without separators or a trailing .0."""
    assert value == value.to_integral_value(), value
    return str(int(value))


def ids(rs: list[Row]) -> list[str]:
    """Project ids in report order."""
    return [r["Project ID"] for r in rs]


def on(rs: list[Row], *names: str) -> list[Row]:
    """Rows on the given resources, spellings merged."""
    return [r for r in rs if resource(r) in names]


def status(rs: list[Row], value: str) -> list[Row]:
    """Rows with one status."""
    return [r for r in rs if r["Status"] == value]


def ranked(rs: list[Row], n: int, reverse: bool = True) -> Row:
    """The n-th largest (or smallest) allocation, checked distinct down to it."""
    by = sorted(rs, key=allocated, reverse=reverse)
    assert len({allocated(r) for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs, _, _ = split_rows()
    active = status(rs, "Active")

    def per(key: Callable[[Row], str], rs_: list[Row]) -> list[str]:
        """Allocations summed per group (header scale), groups in order of first appearance."""
        out: dict[str, Decimal] = defaultdict(Decimal)
        for r in rs_:
            out[key(r)] += allocated(r)
        return [plain(v) for v in out.values()]

    def of_pi(last: str) -> list[Row]:
        """Rows whose PI's last name (before the comma) is given, accents ignored."""
        fold = str.maketrans("áéíóúñÁÉÍÓÚÑ", "aeiounAEIOUN")
        return [r for r in rs if r["PI"].split(",")[0].translate(fold) == last]

    biggest = ranked(on(active, *COMPUTE), 1)
    second_gpu = ranked(on(rs, KESTREL), 2)
    least_cloud = ranked(on(rs, SALTMARSH), 1, reverse=False)
    (nunez,) = of_pi("Nunez")
    (castellanos,) = of_pi("Castellanos")
    (tanaka,) = of_pi("Tanaka")
    return {
        # sum: the header's scale applied (k SUs -> SUs, $K -> dollars); spellings merged
        "u1101": lambda: [plain(sum(map(used, on(active, KESTREL))) * THOUSAND)],
        "u1102": lambda: [
            plain(sum(allocated(r) - used(r) for r in on(active, RIDGELINE)) * THOUSAND)
        ],
        "u1103": lambda: [plain(sum(map(allocated, on(active, SALTMARSH))) * THOUSAND)],
        "u1104": lambda: [plain(sum(map(allocated, on(of_pi("Farouk"), KESTREL)), Decimal(0)))],
        "u1105": lambda: [
            plain(sum(map(allocated, on(status(rs, "Pending"), *COMPUTE))) * THOUSAND)
        ],
        # count: the totals row and footnotes are not allocations
        "u1106": lambda: [str(len(rs))],
        "u1107": lambda: [str(sum(r["Allocation Type"] == "Startup" for r in rs))],
        "u1108": lambda: [str(len(active))],
        "u1109": lambda: [str(sum(r["Institution"] == "Calder State University" for r in active))],
        # filter: percent compared; remaining and thresholds in the header's scale
        "u1110": lambda: ids([r for r in active if percent(r) > 90]),
        "u1111": lambda: ids(
            [r for r in on(active, *COMPUTE) if (allocated(r) - used(r)) * THOUSAND < 20000]
        ),
        "u1112": lambda: ids([r for r in on(rs, KESTREL) if allocated(r) * THOUSAND > 1000000]),
        "u1113": lambda: ids([r for r in active if r["Institution"] == "Linwood College"]),
        # list
        "u1114": lambda: ids([r for r in rs if r["Allocation Type"] == "Education"]),
        "u1115": lambda: ids(on(rs, MARRAM)),
        # nth: the totals row is larger than any allocation
        "u1116": lambda: [biggest["Project ID"], biggest["PI"].split(",")[0]],
        "u1117": lambda: [second_gpu["Project ID"], second_gpu["PI"].split(",")[0]],
        "u1118": lambda: [least_cloud["Project ID"], least_cloud["PI"].split(",")[0]],
        # groupby (sums only: a right answer may name a group another way)
        "u1119": lambda: per(resource, on(rs, *COMPUTE)),
        "u1120": lambda: per(lambda r: r["Institution"], on(rs, SALTMARSH)),
        # date: DD-Mon-YYYY cells compared with dates and with the report date
        "u1121": lambda: [
            str(sum(date(2025, 1, 1) <= day(r["Start Date"]) < date(2025, 4, 1) for r in rs))
        ],
        "u1122": lambda: ids(
            [r for r in active if (day(r["End Date"]).year, day(r["End Date"]).month) == (2025, 12)]
        ),
        "u1123": lambda: [tanaka["Start Date"]],
        # fuzzy: a name typed without its accent; a surname typed without its last letter
        "u1124": lambda: [nunez["% Used"]],
        "u1125": lambda: [castellanos["End Date"]],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
