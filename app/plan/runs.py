"""The number of runs in workload text, read by an ordered list of small readers.

Each reader looks for one way of saying how many runs there are; `read_runs` tries them in the
order of `RUN_READERS` and the first that finds its phrasing decides. The order is the priority.
"""

from __future__ import annotations

import math
import re
from typing import Any

from app.plan.figures import RUNS, N, count_of, first, num
from app.plan.per_item import (
    RunsReader,
    RunsReading,
    combination,
    each_a_job,
    for_each_of,
    hours_per_item,
    one_model_per_item,
    per_two_items,
    runs_per_counted,
    runs_per_item,
)
from app.plan.repeats import repeats_on_top
from app.plan.said import in_all, one, single

_FOLDS = N + r"[- ]fold\b"  # "10-fold cross-validation"


def is_run_count(phrase: str) -> bool:
    """Whether a phrase is a count of runs ('6 benchmarks', '3 random seeds')."""
    return re.fullmatch(N + RUNS + r"\s*", phrase) is not None


def _counted(t: str) -> re.Match[str] | None:
    """'5 runs', '3 random seeds': a count of runs said outright."""
    # "x3 seeds": the count written after a multiplication sign.
    return first(N + RUNS, t) or first(r"(?<![\w.])x\s*(\d+)" + RUNS, t)


# "14 checkpoints x 3 suites": two counts of things, crossed.
_GRID = (
    N
    + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s\b(?:\s*\([^)]{0,60}\))?\s*(?:x|by|times)\s*"
    + N
    + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s\b"
)
# "4 ranks x 3 learning rates x 2 seeds": three or more counts crossed, every combination run.
_COUNTED = N + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s\b"
_CHAIN = _COUNTED + r"(?:\s*(?:x|by|×)\s*" + _COUNTED + r"){2,}"
# "5-fold cross-validation repeated with 3 seeds"
_REPEATED_FOLDS = (
    _FOLDS
    # The repeat may follow in the next sentence ("… 3.5 h per fold. Whole CV repeated for 3
    # seeds."), never past a semicolon.
    + r"[^;]{0,80}?\brepeat\w*\s+(?:everything\s+|it all\s+|all\s+|the whole\s+(?:[\w-]+\s+)?)?"
    + r"(?:with\s+|for\s+|over\s+)?"
    + N
    + r"\s*(?:different\s+)?(?:[a-z]+\s+)?(?:seeds|times|repeats|[a-z]+)\b"
)


def _product(m: re.Match[str]) -> int:
    """The first two figures a pattern found, multiplied: items × runs for each."""
    return int(num(m.group(1)) * num(m.group(2)))


def _submitted(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'we submit this 8 times': a job script run that many times."""
    m = first(r"\bsubmit\w*\s+(?:this|it|the (?:job|script))\s+" + N + r"\s*times\b", t)
    return None if m is None else RunsReading(int(num(m.group(1))))


def _grid(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'14 checkpoints x 3 suites … each checkpoint/suite pair takes 2 h': one run per pair."""
    if (chain := first(_CHAIN, t)) is not None:  # three counts crossed need no cue
        counts = [num(c) for c in re.findall(N + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s\b", chain[0])]
        runs = int(math.prod(counts))
        listed = " × ".join(f"{c:g}" for c in counts)
        return RunsReading(runs, f"{listed} combinations are read as {runs} runs")
    # "her design crosses 6 conditions with 2 datasets": every pair is a run
    crossed = first(
        r"\bcross(?:es|ed|ing)?\s+" + N + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s\s+(?:with|by|and)\s+"
        + N + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s\b",
        t,
    )  # fmt: skip
    if crossed is not None:
        runs = _product(crossed)
        return RunsReading(runs, f"{crossed[1]} × {crossed[2]} crossed are read as {runs} runs")
    # "runs: 3 learning rates x 2 data mixes": the runs' own label says the grid is the runs
    labelled = first(
        r"\b(?:(?:runs|trials|jobs|experiments|sweep)\s*[:=]|(?:the\s+)?(?:grid|sweep|design)\s+"
        r"(?:is|was|will be|[:=]))\s*" + _GRID,
        t,
    )  # ("the grid is three seeds times four learning rates")
    if labelled is not None:
        runs = _product(labelled)
        note = f"{labelled[1]} × {labelled[2]} combinations are read as {runs} runs"
        return RunsReading(runs, note)
    cue = r"\b(?:each|every|all|per)\s+(?:[\w/-]+\s+)?(?:pair|combination|combo|cell|condition)s?\b"
    if not re.search(cue, t):
        return None
    # "for 5 random seeds and for 3 sizes of data …, and each combination is one run"
    grid = (
        first(_GRID, t)
        or first(
            r"\bfor\s+" + N + r"\s+(?:[\w-]+\s+){1,3}?(?:and|,)\s+(?:for\s+)?" + N + r"\s+[a-z]", t
        )
        or first(  # "3 backbones of about that size, each at 2 image resolutions"
            N
            + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s\b[^.;]{0,40}?,?\s+each\s+(?:at|with|in|on|for)\s+"
            + N
            + r"\s+[a-z]",
            t,
        )
    )
    if grid is None:
        return None
    runs = _product(grid)
    return RunsReading(runs, f"{grid[1]} × {grid[2]} pairs are read as {runs} runs")


def _schedule(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'week 1: 3 runs week 2: 3 runs week 3: 2 runs': a schedule's counts add up."""
    period = r"\b(?:week|wk|month|phase|stage|day|sprint|batch)\s*\d+\s*[:=-]\s*"
    scheduled = [num(m.group(1)) for m in re.finditer(period + N + RUNS, t)]
    if len(scheduled) < 2:
        return None
    runs = int(sum(scheduled))
    listed = " + ".join(f"{n:g}" for n in scheduled)
    return RunsReading(runs, f"the schedule's {listed} runs are read as {runs} runs")


def _repeated_folds(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'5-fold cross-validation repeated with 3 seeds': every fold once per seed."""
    if (m := first(_REPEATED_FOLDS, t)) is None:
        return None
    runs = _product(m)
    return RunsReading(runs, f"{m.group(1)} folds × {m.group(2)} repeats is read as {runs} runs")


def _periodic(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'once a week for the 20 weeks', 'for each of the 12 months': one run per period."""
    # Two guards: a course's weekly sessions are not runs, and where a run count is said
    # outright ("3 runs") this reader steps aside for the ones after it.
    if f.get("task") == "classroom":
        return None
    m = first(
        r"\b(?:once|1 times?)\s+(?:a|per|each|every)\s+(?:week|month|day|quarter)\b[^.;]{0,30}?"
        r"\bfor\s+(?:the\s+)?"
        + N
        + r"\s+(?:weeks|months|days|quarters)\b"
        + r"|\bfor\s+each\s+of\s+(?:the\s+)?"
        + N
        + r"\s+(?:weeks|months|days|quarters)\b",
        t,
    )
    if m is None or _counted(t):
        return None
    runs = int(num(m.group(1) or m.group(2)))
    return RunsReading(runs, f"one run each period is read as {runs} runs")


def _nested(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'for each of the 4 languages we need 3 runs': runs per item × items."""
    m = first(
        # "for each of the 5 target languages (yoruba, …) we will run 1 fine-tuning job"
        r"for each of (?:the |these |this |those )?"
        + N
        + r"\s+(?:[a-z]+\s+)?[a-z]+,?(?:\s*\([^)]{0,80}\))?\s+(?:\w+\s+){0,3}?"
        + N
        + r"\s+(?:[\w-]+\s+)?(?:runs?|experiments?|trials?|seeds?|jobs?)\b"
        + r"(?!\s+(?:in all|in total|altogether|overall))",  # "9 runs in all" is the total
        t,
    )
    # "one adapter per language for 12 languages, each trained with 2 seeds": items × repeats.
    m = m or first(
        # ("we have 25 scenarios and run each one with 4 seeds": the same, said with "have")
        r"\b(?:for|have|study|are|need|run|plan)\s+"
        + N
        + r"\s+(?:[\w-]+\s+)?[a-z]+s\b[^.;]{0,20}?\beach\b[^.;]{0,30}?\bwith\s+"
        + N
        + r"\s+(?:[a-z]+\s+)?(?:seeds|runs|repeats|replicates|restarts)\b",
        t,
    )
    # "3 experiments for each of the 3 dataset sizes": runs per item, the count first.
    m = m or first(
        N
        + RUNS
        + r",?\s+(?:for|per|on|over)\s+(?:each|every)\s+of\s+(?:the\s+|our\s+)?"
        + N
        + r"\s",
        t,
    )
    # "40 intervention scenarios, 5 stochastic replicates of each"
    m = m or first(
        N
        + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+s,?\s+(?:and\s+)?"
        + N
        + r"\s+(?:[\w-]+\s+)?(?:replicates|seeds|runs|repeats)\s+(?:of|for)\s+each\b",
        t,
    )
    # "5-fold cross-validation for each of 24 settings": every setting cross-validated.
    m = m or first(
        _FOLDS + r"[^.;]{0,40}?\b(?:for (?:each|every) of|over|across)\s+(?:the\s+|our\s+)?" + N, t
    )
    # "for each of 4 regions, and each one 2 times": items, then repeats of each.
    m = m or first(
        r"\bfor (?:each|every) of (?:the |these |our )?" + N + r"\s+(?:[\w-]+\s+){0,2}?[a-z]+\b"
        r"[^.;]{0,30}?,?\s+and\s+(?:each|every)(?:\s+(?:1|one|of them|[a-z]+))?\s+"
        r"(?:gets\s+|has\s+|needs\s+)?" + N + r"\s*(?:times|runs)\b",
        t,
    )
    if m is not None:
        return RunsReading(_product(m))
    # "4 rank settings and for each setting 3 seeds": the items counted elsewhere.
    each = first(
        r"\bfor (?:each|every) ([a-z]{4,}?)(?:s)?\b,?\s+(?:\w+\s+){0,2}?"
        + N
        + r"\s+(?:[a-z]+\s+)?(?:runs?|experiments?|trials?|seeds?|jobs?|repeats?|replicates?"
        + r"|times)\b",
        t,
    )
    if each is None:
        return None
    items = count_of(each.group(1), t)
    if items is None:
        return None
    runs = int(num(items.group(1)) * num(each.group(2)))
    return RunsReading(runs, f"{items[1]} {each[1]}s × {each[2]} each are read as {runs} runs")


def _folds_by_counted(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'5-fold CV … x4 hyperparameter configs': every configuration cross-validated."""
    # "5 folds, 3 seeds" (a pasted table's columns): every fold once per seed.
    folds = first(_FOLDS, t) or first(N + r"\s+folds\b(?=\s*(?:,|and|x|×|;)\s*\d)", t)
    counted = _counted(t[folds.end() :]) if folds else None
    if folds is None or counted is None or re.search(r"folds?\b", counted.group(0)):
        return None
    runs = int(num(folds.group(1)) * num(counted.group(1)))
    note = f"{folds[1]} folds × {counted[1]} each are read as {runs} runs"
    # "16 configurations … every configuration is trained with 5-fold cross-validation"
    every = first(r"\b(?:every|each)\s+([a-z]{4,}?)s?\s+is\s+(?:trained|run|evaluated|fit)", t)
    if every is not None and (items := count_of(every.group(1), t)) is not None:
        runs *= int(num(items.group(1)))
        note = f"{items[1]} {every[1]}s × {folds[1]} folds × {counted[1]} are read as {runs} runs"
    return RunsReading(runs, note)


def _repeated_at(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'every suite is repeated at three temperatures': the whole work once per setting."""
    m = first(
        r"\brepeat\w*\s+(?:everything\s+|it all\s+|all of (?:it|this)\s+|the whole \w+\s+)?"
        r"(?:at|for|with|over|across|under)\s+" + N + r"\s+(?:different\s+)?(?:[\w-]+\s+){0,2}?"
        r"[a-z]{3,}\b",
        t,
    )
    return None if m is None else RunsReading(int(num(m.group(1))))


def _per_period(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'two runs a month for six months': runs per period × periods."""
    m = first(
        N
        + r"(?:"
        + RUNS
        + r"|\s+sessions)\s*(?:(?:a|per|each|every)\s+|/\s*)(week|month|quarter|day)\b[^.;]{0,80}?"
        + r"(?:\bfor\s+|,\s*|\bwhich is\s+|=\s*)(?:the\s+)?(?:next\s+|first\s+)?"
        + N
        + r"\s+(?:weeks|wks|months|quarters|days)\b",
        t,
    )
    if m is None:
        return None
    runs = int(num(m.group(1)) * num(m.group(3)))
    return RunsReading(runs, f"{m[1]} runs a {m[2]} for {m[3]} {m[2]}s are read as {runs} runs")


def _said(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'5 runs', '3 random seeds': the count said outright."""
    m = _counted(t)
    if m is None:
        return None
    # "8 scenarios x 500 replicates": the runs are counted for each of the things before "x".
    grid = re.search(
        N + r"\s+((?:[\w-]+\s+){0,2}?[a-z]+s)\s*(?:x|by)\s*$", t[max(0, m.start() - 60) : m.start()]
    )
    if grid is None:
        return RunsReading(int(num(m.group(1))))
    runs = int(num(grid.group(1)) * num(m.group(1)))
    return RunsReading(runs, f"{grid[1]} {grid[2]} × {m[1]} runs each are read as {runs} runs")


def _folds(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'10-fold cross-validation': one run per fold."""
    m = first(_FOLDS, t)
    return None if m is None else RunsReading(int(num(m.group(1))))


def _times(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'3 times', 'repeat it 3x.': the work done that many times."""
    # "40 times real time", "3 times faster" compare speeds; they count no runs.
    m = first(
        N + r"\s*(?:times?\b(?!\s+(?:real[- ]?time|faster|slower|as|the|more|less|larger|"
        r"bigger|smaller))|x(?=\s*(?:[.,;()]|$)))",
        t,
    )
    return None if m is None else RunsReading(int(num(m.group(1))))


def _planned(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'we plan two.' after the runs were described: the bare count is the number of runs."""
    m = first(
        r"\b(?:runs?|jobs?)\b.{0,60}?\bwe (?:plan|expect|need|want)\s+" + N + r"\s*(?:[.;]|$)", t
    )
    return None if m is None else RunsReading(int(num(m.group(1))))


def _each_then_counted(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'90 minutes each, 40 reproductions': a time for each, then how many there are."""
    m = first(
        r"\b(?:hours?|hrs?|h|minutes?|mins?|days?)\s+each\s*[,;]\s*" + N
        + r"\s+(?:[\w-]+\s+)?([a-z]{3,}s)\b",
        t,
    )  # fmt: skip
    if m is None or re.fullmatch(_NOT_RUNS, m.group(2)):
        return None
    return RunsReading(int(num(m.group(1))), f"{m.group(1)} {m.group(2)} are read as runs")


_NOT_RUNS = r"(?:students|people|gpus|nodes|cores|hours|days|weeks|months|years|minutes|gbs?)"


# Tried in this order; the first reader that finds its phrasing gives the runs. Nested counts
# come before per-item ones ("for each of 4 languages … 3 runs" is 12, not the items alone), and
# a count said outright before "for each of N items" (the items are then what a run covers).
RUN_READERS: tuple[RunsReader, ...] = (
    in_all,
    _submitted,
    combination,
    _grid,
    _schedule,
    _repeated_folds,
    _periodic,
    _nested,
    runs_per_counted,
    runs_per_item,
    per_two_items,  # "one model per patient per session" before "one model per patient"
    one_model_per_item,
    _folds_by_counted,
    _per_period,
    _repeated_at,
    _each_then_counted,
    single,
    _said,
    for_each_of,
    each_a_job,
    _folds,
    _times,
    _planned,
    hours_per_item,
    one,
)


def read_runs(t: str, f: dict[str, Any]) -> None:
    """The number of runs: '5 runs', '3 passes', 'twice', 'repeat it 3x', 'we plan two'."""
    for reader in RUN_READERS:
        if (reading := reader(t, f)) is not None:
            f["runs"] = reading.runs
            if reading.note is not None:
                f["assumed"].append(reading.note)
            break
    _again_for_each(t, f)
    repeats_on_top(t, f)  # "… then all of it again with 5 seeds", said apart from the runs


def _again_for_each(t: str, f: dict[str, Any]) -> None:
    """'11 benchmarks x 45 min each x3 prompt formats': the whole set again for each of those."""
    again = first(
        r"\b(?:each|every)(?:\s+[a-z]+)?\s*[,;]?\s*(?:x|×)\s*(\d+)(?![\d.])\s+"
        r"((?:[\w-]+\s+){0,2}?[a-z]+s)\b",
        t,
    )
    if again is None or (n := int(num(again.group(1)))) <= 1:
        return
    before = f.get("runs", 1)
    if before == n:
        return  # "run each language x3 seeds" read as the 3 runs: not again on top of them
    f["runs"] = before * n
    f["assumed"].append(f"{before} runs × {n} {again.group(2)} are read as {f['runs']} runs")
