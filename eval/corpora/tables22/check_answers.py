"""Recompute every table question's expected values from the job accounting log and compare.

Run: python eval/corpora/tables22/check_answers.py  (exit 1 and a list on any mismatch;
--show prints what each question's answer is computed from, which is how the reference
answers were written).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from eval.table_check import check_table_answers

HERE = Path(__file__).resolve().parent
TABLE = HERE / "tables" / "jobs-accounting-2025-07-to-2025-10.csv"
QUESTIONS = HERE / "questions.jsonl"
Row = dict[str, str]
HEAD = [
    "JobID",
    "JobName",
    "User",
    "Account",
    "Partition",
    "QOS",
    "Submit",
    "Start",
    "End",
    "NNodes",
    "NCPUS",
    "NGPUS",
    "Elapsed",
    "State",
    "ExitCode",
    "Charged",
    "ChargeUnit",
]
HERON, KESTREL, OSPREY = "Heron", "Kestrel", "Osprey"
# Each machine's partitions as the log spells them ("heron_gpu" for three September jobs).
PARTITIONS = {
    HERON: ("heron-gpu", "heron_gpu"),
    KESTREL: ("kestrel-cpu",),
    OSPREY: ("osprey-bigmem",),
}
MACHINE = {p: m for m, ps in PARTITIONS.items() for p in ps}
UNITS = {HERON: "GPU-hours", KESTREL: "SUs", OSPREY: "node-hours"}
# What one unit counts on each machine: a GPU-hour, a core-hour (SU), a node-hour.
MULTIPLIER = {HERON: "NGPUS", KESTREL: "NCPUS", OSPREY: "NNodes"}
# sacct writes a user's cancellation with the canceller's uid ("CANCELLED by 41207").
STATES = ("COMPLETED", "FAILED", "TIMEOUT", "CANCELLED")
# Time limits per QOS: a TIMEOUT job runs a few seconds past its QOS's limit.
LIMITS = {"debug": 1, "normal": 12, "long": 48}
STAMP = "%Y-%m-%d %H:%M:%S"


def when(cell: str) -> datetime | None:
    """A YYYY-MM-DD HH:MM:SS cell as a datetime; blank cells (never started) are None."""
    return datetime.strptime(cell, STAMP) if cell else None


def seconds(elapsed: str) -> int:
    """An Elapsed cell ([D-]HH:MM:SS) in seconds."""
    days, _, clock = elapsed.rpartition("-")
    h, m, s = (int(x) for x in clock.split(":"))
    return int(days or 0) * 86400 + h * 3600 + m * 60 + s


def machine(r: Row) -> str:
    """The machine a job ran on, however its partition is spelled."""
    return MACHINE[r["Partition"]]


def state(r: Row) -> str:
    """The job's state without sacct's "by <uid>" tail."""
    return r["State"].split(" by ")[0]


def charged(r: Row) -> Decimal:
    """The job's charge in its machine's unit."""
    return Decimal(r["Charged"])


def rows() -> list[Row]:
    """The job rows, each checked for shape and for agreeing with itself."""
    with TABLE.open(encoding="utf-8", newline="") as f:
        every = list(csv.reader(f))
    assert every[0] == HEAD, every[0]
    rs = [dict(zip(HEAD, cells, strict=True)) for cells in every[1:]]
    assert 40 <= len(rs) <= 60
    ids = [int(r["JobID"]) for r in rs]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for r in rs:
        _check(r)
    return rs


def _check(r: Row) -> None:
    """Units, times, charge and state of one row agree."""
    m = machine(r)
    assert r["ChargeUnit"] == UNITS[m], r
    assert state(r) in STATES and re.fullmatch(r"\d+:\d+", r["ExitCode"]), r
    assert (int(r["NGPUS"]) > 0) == (m == HERON), r
    submit, start, end = when(r["Submit"]), when(r["Start"]), when(r["End"])
    assert submit is not None, r
    if start is None or end is None:
        # Cancelled before it started: no times, nothing charged.
        assert state(r) == "CANCELLED" and start is None and end is None, r
        assert seconds(r["Elapsed"]) == 0 and charged(r) == 0, r
        return
    assert submit <= start < end and end - start == timedelta(seconds=seconds(r["Elapsed"])), r
    hours = Decimal(int(r[MULTIPLIER[m]]) * seconds(r["Elapsed"])) / 3600
    assert charged(r) == hours.quantize(Decimal("0.01"), ROUND_HALF_UP), r
    limit = LIMITS[r["QOS"]] * 3600
    if state(r) == "TIMEOUT":
        assert limit <= seconds(r["Elapsed"]) < limit + 60, r
    else:
        assert seconds(r["Elapsed"]) < limit, r


def on(rs: list[Row], m: str) -> list[Row]:
    """Jobs on one machine."""
    return [r for r in rs if machine(r) == m]


def ids(rs: list[Row]) -> list[str]:
    """Job ids in table order."""
    return [r["JobID"] for r in rs]


def total(rs: list[Row]) -> str:
    """Charges summed as the log prints them; every row must be in one unit."""
    assert len({r["ChargeUnit"] for r in rs}) <= 1, "never add across units"
    return f"{sum((charged(r) for r in rs), Decimal(0)):.2f}"


def per(key: Callable[[Row], str], rs: list[Row]) -> list[str]:
    """Charges summed per group, groups in order of first appearance."""
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rs:
        out[key(r)].append(r)
    return [total(g) for g in out.values()]


def ranked(rs: list[Row], n: int, key: Callable[[Row], Decimal | int]) -> Row:
    """The n-th largest row by key, checked distinct down to it."""
    by = sorted(rs, key=key, reverse=True)
    assert len({key(r) for r in by[: n + 1]}) == n + 1
    return by[n - 1]


def _expected() -> dict[str, Callable[[], list[str]]]:
    """Each table question's must_include, computed."""
    rs = rows()

    def of(user: str = "", account: str = "") -> list[Row]:
        """Jobs of one user and/or one account."""
        return [
            r
            for r in rs
            if (not user or r["User"] == user) and (not account or r["Account"] == account)
        ]

    def started_between(r: Row, lo: datetime, hi: datetime) -> bool:
        """Started within [lo, hi)."""
        start = when(r["Start"])
        return start is not None and lo <= start < hi

    def october(r: Row) -> bool:
        """Ran wholly in October 2025 (no Heron job straddles a month, so start = end month)."""
        start, end = when(r["Start"]), when(r["End"])
        assert start is not None and end is not None and start.month == end.month, r
        return start.month == 10

    def mean_hours(rs_: list[Row]) -> str:
        """Average elapsed time in hours, printed without trailing zeros."""
        mean = Decimal(sum(seconds(r["Elapsed"]) for r in rs_)) / len(rs_) / 3600
        return f"{mean.normalize():f}"

    jobs_per_user = Counter(r["User"] for r in rs)
    (busiest, most), (_, next_most) = jobs_per_user.most_common(2)
    assert most > next_most
    longest = ranked(rs, 1, lambda r: seconds(r["Elapsed"]))
    top_gpu = ranked(on(rs, HERON), 1, charged)
    second_su = ranked(on(rs, KESTREL), 2, charged)
    (finished,) = [r for r in rs if r["JobID"] == "5161923"]
    day = datetime(2025, 10, 6)
    return {
        # sum: both Heron spellings; one user's jobs in one of their two projects; an average
        "u1201": lambda: [total(of(account="cis4410"))],
        "u1202": lambda: [total(on(rs, KESTREL))],
        "u1203": lambda: [total(on(of("gsantoro", "bio2291"), HERON))],
        "u1204": lambda: [total([r for r in on(rs, HERON) if october(r)])],
        "u1205": lambda: [total(on(of(account="ees2045"), OSPREY))],
        "u1206": lambda: [mean_hours(of("hlindqvist"))],
        # count: a state with sacct's "by <uid>" tail; distinct users
        "u1207": lambda: [str(sum(state(r) == "FAILED" for r in rs))],
        "u1208": lambda: [str(sum(state(r) == "CANCELLED" for r in rs))],
        "u1209": lambda: [str(len({r["User"] for r in on(rs, HERON)}))],
        # filter: elapsed over a day read from D-HH:MM:SS; a state on one machine; a count column
        "u1210": lambda: ids([r for r in rs if seconds(r["Elapsed"]) > 86400]),
        "u1211": lambda: ids([r for r in on(rs, KESTREL) if state(r) == "TIMEOUT"]),
        "u1212": lambda: ids([r for r in rs if int(r["NGPUS"]) >= 8]),
        # list
        "u1213": lambda: sorted({r["Account"] for r in on(rs, OSPREY)}),
        "u1214": lambda: ids(of("jtembo")),
        # nth: the longest elapsed time across D-HH:MM:SS and HH:MM:SS cells
        "u1215": lambda: [longest["JobID"], longest["User"]],
        "u1216": lambda: [top_gpu["JobID"], top_gpu["Charged"]],
        "u1217": lambda: [second_su["JobID"], second_su["Charged"]],
        # groupby (sums only: a right answer may name a group another way)
        "u1218": lambda: per(lambda r: r["Account"], on(rs, HERON)),
        "u1219": lambda: [busiest, str(most)],
        "u1220": lambda: per(lambda r: r["Account"], on(rs, KESTREL)),
        # date: a month of submissions; a day between two times; an end time past midnight
        "u1221": lambda: [str(sum(r["Submit"].startswith("2025-08") for r in rs))],
        "u1222": lambda: ids(
            [r for r in rs if started_between(r, day.replace(hour=8), day.replace(hour=18))]
        ),
        "u1223": lambda: finished["End"][:16].split(" "),
        # fuzzy: a surname for a login; an allocation id typed another way
        "u1224": lambda: [total(on(of("akimura"), HERON))],
        "u1225": lambda: [str(len(of(account="che1184")))],
    }


def main() -> int:
    """Compare questions.jsonl with the computed values; print problems; 0 when all agree."""
    return check_table_answers(QUESTIONS, _expected(), sys.argv)


if __name__ == "__main__":
    sys.exit(main())
