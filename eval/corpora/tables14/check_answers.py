"""Recompute every table question's expected values from the service-unit ledger and compare.

Run: python eval/corpora/tables14/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "su-ledger-fy25.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
STATUS = "Status (✔ posted / ⏳ pending / ✖ void)"
POSTED, PENDING, VOID = "✔", "⏳", "✖"
HALYARD, TAMSIN = "Halyard GPU", "Tamsin CPU"
# The base unit of each machine; "k core-h" cells are thousands of core-hours.
BASE = {HALYARD: "GPU-h", TAMSIN: "core-h"}
SCALE = {"GPU-h": 1, "core-h": 1, "k core-h": 1000}
FORWARD = ("Carried forward", "Brought forward")
TYPES = ("Award", "Top-up", "Transfer in", "Transfer out", "Refund", "Charge", "Expiry")
# The same institution is typed several ways; these are all the spellings in the file.
INSTITUTIONS = {
    "Kestrel Bay University": (
        "Univ. of Kestrel Bay",
        "Kestrel Bay U.",
        "KBU",
        "U. Kestrel Bay",
        "UKB",
        "Kestrel Bay Univ.",
    ),
    "Harrowgate State University": (
        "Harrowgate State",
        "Harrowgate St. Univ.",
        "HSU",
        "Harrowgate State Univ.",
    ),
    "Marlow Institute of Technology": ("Marlow Inst. of Tech.", "MarlowTech", "Marlow IT"),
    "St. Brendan's College": ("St. Brendan's College", "St Brendan's", "St. Brendan's"),
}
CANONICAL = {v: k for k, vs in INSTITUTIONS.items() for v in vs}


def records() -> tuple[list[str], list[list[str]]]:
    """The header and every data record: '#' comment lines and the repeated header dropped."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = [c for c in csv.reader(f) if c and not c[0].startswith("#")]
    head = every[0]
    assert head[-3:] == ["", "", ""] and len(set(head[:-3])) == len(head) - 3, head
    body = [c for c in every[1:] if c != head]
    assert len(body) == len(every) - 2, "the header is repeated exactly once (page two)"
    return head, body


def amount(r: Row) -> int:
    """A signed amount in the machine's base unit: "+24'000.00", "-1 040 000" (thin spaces)."""
    m = re.fullmatch(r"([+-])(\d{1,3}(?:['\u2009]\d{3})*)(\.00)?", r["Amount"])
    assert m, r["Amount"]
    assert r["Unit"] in SCALE and (r["Unit"] == BASE[r["Resource"]] or r["Unit"] == "k core-h")
    x = int(re.sub(r"['\u2009]", "", m.group(2))) * SCALE[r["Unit"]]
    return x if m.group(1) == "+" else -x


def fiscal_period(posted: str) -> str:
    """The fiscal quarter of a posting time; the fiscal year starts on 1 July ("Q3 FY25")."""
    when = datetime.strptime(posted, "%Y-%m-%d %H:%M")
    year = when.year + 1 if when.month >= 7 else when.year
    return f"Q{(when.month - 7) % 12 // 3 + 1} FY{year % 100:02d}"


def split_rows() -> tuple[list[Row], list[Row]]:
    """Ledger entries and the page-break forward rows, each checked for shape."""
    head, body = records()
    rows: list[Row] = []
    forward: list[Row] = []
    for cells in body:
        assert len(cells) == len(head) and cells[-3:] == ["", "", ""], cells
        r = dict(zip(head[:-3], cells[:-3], strict=True))
        if r["Type"] in FORWARD:
            assert not r["Txn"] and not r["Project"] and not r[STATUS], r
            forward.append(r)
            continue
        assert re.fullmatch(r"T-1\d{3}", r["Txn"]) and r["Type"] in TYPES, r
        assert r["Period"] == fiscal_period(r["Posted"]), r
        assert r[STATUS] in (POSTED, PENDING, VOID) and r["Inst."] in CANONICAL, r
        assert (r["Counterparty"] != "") == r["Type"].startswith("Transfer"), r
        assert r["Renewal"] in ("", "x") and (r["Type"] == "Award" or not r["Renewal"]), r
        rows.append(r)
    return rows, forward


def _checks(rs: list[Row], forward: list[Row]) -> None:
    """Forward rows carry page one's posted balance; transfers pair up; one PI per project."""
    txns = [r["Txn"] for r in rs]
    assert txns == sorted(txns) and len(set(txns)) == len(txns)
    page_one = [r for r in rs if r["Posted"] < "2025"]
    for r in forward:
        want = sum(amount(x) for x in posted(page_one) if x["Resource"] == r["Resource"])
        assert amount(r) == want and r["Unit"] == BASE[r["Resource"]], r
    assert len(forward) == 4
    outs = [r for r in rs if r["Type"] == "Transfer out"]
    ins = [r for r in rs if r["Type"] == "Transfer in"]
    assert sorted((r["Project"], r["Counterparty"], -amount(r)) for r in outs) == sorted(
        (r["Counterparty"], r["Project"], amount(r)) for r in ins
    )
    for r in rs:
        sign = amount(r) > 0
        assert sign == (r["Type"] in ("Award", "Top-up", "Transfer in", "Refund")), r
        assert last_name(r) in last_name(first(rs, r["Project"])), r


def posted(rs: list[Row]) -> list[Row]:
    """Entries that count toward balances (pending and void ones do not)."""
    return [r for r in rs if r[STATUS] == POSTED]


def first(rs: list[Row], project: str) -> Row:
    """A project's first entry."""
    return next(r for r in rs if r["Project"] == project)


def last_name(r: Row) -> str:
    """The PI's last name ("Dr. Amara Okonkwo-Reyes (Biostatistics)" -> "Okonkwo-Reyes")."""
    return r["PI"].split(" (")[0].split()[-1]


def projects(rs: list[Row]) -> list[str]:
    """Project ids in order of first appearance."""
    return list(dict.fromkeys(r["Project"] for r in rs))


def on(rs: list[Row], resource: str, *types: str) -> list[Row]:
    """Posted entries on one machine, of the given types (all types when none given)."""
    return [
        r for r in posted(rs) if r["Resource"] == resource and (not types or r["Type"] in types)
    ]


def of(rs: list[Row], project: str) -> list[Row]:
    """One project's entries."""
    return [r for r in rs if r["Project"] == project]


def total(rs: list[Row]) -> int:
    """Signed amounts summed in the base unit."""
    return sum(amount(r) for r in rs)


def balance(rs: list[Row], project: str, resource: str) -> int:
    """What a project has left on a machine: every posted entry added up."""
    return total(on(of(rs, project), resource))


def charged(rs: list[Row], project: str, resource: str) -> int:
    """What a project has been charged on a machine (posted charges only)."""
    return -total(on(of(rs, project), resource, "Charge"))


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs, forward = split_rows()
    _checks(rs, forward)
    awards = [r for r in rs if r["Type"] == "Award"]
    gpu_projects = projects(on(rs, HALYARD, "Award"))
    cpu_projects = projects(on(rs, TAMSIN, "Award"))

    def used_share(project: str, with_moves: bool) -> float:
        """Charged over granted on Tamsin; granted with or without top-ups and transfers."""
        kinds = ("Award", "Top-up", "Transfer in", "Transfer out") if with_moves else ("Award",)
        return charged(rs, project, TAMSIN) / total(on(of(rs, project), TAMSIN, *kinds))

    over90 = [p for p in cpu_projects if used_share(p, True) > 0.9]
    assert over90 == [p for p in cpu_projects if used_share(p, False) > 0.9]

    def biggest(resource: str, n: int) -> Row:
        """The n-th largest award row on a machine (1 = largest), all distinct near the top."""
        by = sorted(on(rs, resource, "Award"), key=lambda r: -amount(r))
        assert len({amount(r) for r in by[: n + 1]}) == n + 1
        return by[n - 1]

    def ranked_charges(n: int) -> str:
        """The project with the n-th largest posted GPU charges."""
        by = sorted(gpu_projects, key=lambda p: -charged(rs, p, HALYARD))
        assert len({charged(rs, p, HALYARD) for p in by[: n + 1]}) == n + 1
        # Counting the voided duplicate would not change the rank, only the amount.
        return by[n - 1]

    def institution(name: str) -> list[Row]:
        """Entries whose institution, however spelled, is the named one."""
        return [r for r in rs if CANONICAL[r["Inst."]] == name]

    def by_name(part: str) -> str:
        """The one project whose PI cell contains the text."""
        (p,) = projects([r for r in rs if part in r["PI"]])
        return p

    def grows(r: Row) -> bool:
        """An entry that gives a project new time (not a refund of used time)."""
        return r["Type"] in ("Award", "Top-up", "Transfer in")

    def per(key: Callable[[Row], str], rs_: list[Row]) -> list[str]:
        """Signed amounts summed per group, groups in order of first appearance."""
        out: dict[str, int] = defaultdict(int)
        for r in rs_:
            out[key(r)] += amount(r)
        return [str(v) for v in out.values()]

    third = ranked_charges(3)
    top_gpu, second_cpu = biggest(HALYARD, 1), biggest(TAMSIN, 2)
    kbu = institution("Kestrel Bay University")
    return {
        # sum: one project's rows combined; forward rows left out; units; void and pending out
        "u401": lambda: [str(charged(rs, "BV-101", HALYARD))],
        "u402": lambda: [str(balance(rs, "BV-101", HALYARD))],
        "u403": lambda: [str(total(on(rs, TAMSIN)))],
        "u404": lambda: [str(total(on(rs, HALYARD, "Award", "Top-up")))],
        "u405": lambda: [str(-total(on(rs, HALYARD, "Charge")))],
        # count: distinct projects, not rows; status symbols; the renewal mark
        "u406": lambda: [str(len(projects([r for r in awards if not r["Renewal"]])))],
        "u407": lambda: [str(sum(r[STATUS] == PENDING for r in rs))],
        "u408": lambda: [str(len(set(gpu_projects) & set(cpu_projects)))],
        # filter: shares and balances need a project's rows combined; status symbols
        "u409": lambda: over90,
        "u410": lambda: [p for p in gpu_projects if balance(rs, p, HALYARD) < 5000],
        "u411": lambda: [r["Txn"] for r in rs if r[STATUS] in (PENDING, VOID)],
        # list: one project's entries; the transfers with both sides
        "u412": lambda: [r["Txn"] for r in of(rs, "BV-104")],
        "u413": lambda: (
            projects([r for r in rs if r["Type"] == "Transfer out"])
            + [r["Counterparty"] for r in rs if r["Type"] == "Transfer out"]
        ),
        # nth: past the forward rows; k core-h read; ranked after combining a project's rows
        "u414": lambda: [top_gpu["Project"], last_name(top_gpu), str(amount(top_gpu))],
        "u415": lambda: [second_cpu["Project"], last_name(second_cpu), str(amount(second_cpu))],
        "u416": lambda: [third, str(charged(rs, third, HALYARD))],
        # groupby (sums only: a right answer may name the group another way)
        "u417": lambda: [
            str(-int(v)) for v in per(lambda r: r["Period"], on(rs, HALYARD, "Charge"))
        ],
        "u418": lambda: [v for v in per(lambda r: CANONICAL[r["Inst."]], on(rs, TAMSIN))],
        # date: posting times; calendar against fiscal quarters
        "u419": lambda: [
            str(sum("2025-01-01" <= r["Posted"] < "2025-04-01" for r in posted(awards)))
        ],
        "u420": lambda: [r["Txn"] for r in rs if r["Posted"].startswith("2024-10")],
        "u421": lambda: projects([r for r in posted(rs) if r["Period"] == "Q3 FY25" and grows(r)]),
        # fuzzy: names without accents; institutions spelled several ways
        "u422": lambda: [str(balance(rs, by_name("Benítez"), HALYARD))],
        "u423": lambda: [
            str(total(on(institution("Harrowgate State University"), TAMSIN, "Award")))
        ],
        "u424": lambda: [str(balance(rs, by_name("Gallagher"), TAMSIN))],
        "u425": lambda: projects(kbu) + [last_name(first(rs, p)) for p in projects(kbu)],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
