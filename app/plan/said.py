"""Runs said outright: a total ("5 runs in all", "runs: … = 2", "4 settings plus 1 final
run"), "single pass", or "1 run"/"once". runs.py tries these readers among its others.
"""

from __future__ import annotations

import re
from typing import Any

from app.plan.figures import RUN_NOUN, N, first, num
from app.plan.per_item import RunsReading


def in_all(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'3 seeds … plus 2 ablations, so five runs altogether': the total said outright wins."""
    m = first(
        N + r"\s+(?:[a-z]+\s+)?(?:runs|jobs|experiments|trainings|fine-?tunes)\s+"
        r"(?:altogether|in all|in total|total|overall)\b"
        r"|\b(?:so|that's|that is|making|a total of|in total)\s+"
        + N
        + r"\s+(?:[a-z]+\s+)?(?:runs|jobs|experiments)\b",
        t,
    )
    if m is not None:
        return RunsReading(int(num(m.group(1) or m.group(2))))
    # "runs: main model + ablation without the OCR data = 2": a runs label with its sum
    summed = first(r"\bruns\s*[:=][^.;:=]{0,80}?=\s*" + N + r"(?!\d|\.\d)", t)
    if summed is not None:
        return RunsReading(int(num(summed.group(1))))
    # "number of runs: 4 learning-rate settings plus 1 final run": the parts added
    plus = first(
        r"\bruns\s*[:=]\s*" + N + r"\s+(?:[\w-]+\s+){0,3}?(?:plus|and|\+)\s+" + N
        + r"\s+(?:[\w-]+\s+){0,2}?(?:runs?|jobs?)\b",
        t,
    )  # fmt: skip
    if plus is not None:
        runs = int(num(plus.group(1)) + num(plus.group(2)))
        return RunsReading(runs, f"{plus[1]} + {plus[2]} runs are read as {runs} runs")
    return None


def single(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'push 20B tokens through, single pass': one run, whatever else is counted nearby."""
    said = re.search(r"(?:^|[,;:.]\s*)(?:a\s+)?(?:single|1)[- ]pass\b(?![^.;]{0,30}\beach\b)", t)
    return RunsReading(1) if said else None


def one(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'1 run', 'once': a single run."""
    return RunsReading(1) if re.search(r"\b1 " + RUN_NOUN + r"\b|\bonce\b", t) else None
