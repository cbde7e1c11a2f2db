"""Runs counted per item: one run for each region, site, ward or scenario the text counts.

Each reader finds a time or a model said of one item ("each gene family takes 9 hours", "one
model per region") and the count of those items said elsewhere; runs.py tries them in order
among its other readers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.plan.figures import RUN_NOUN, RUNS, N, count_of, first, num


@dataclass(frozen=True)
class RunsReading:
    """A number of runs read from the text, and the note that says how (None: said outright)."""

    runs: int
    note: str | None = None


RunsReader = Callable[[str, dict[str, Any]], RunsReading | None]


def one_model_per_item(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'one model per region, 12 regions', 'one model is trained for each of five languages'."""
    work = r"(?:models?|runs?|jobs?|adapters?|experiments?|fine-?tunes?|networks?)"
    m = first(
        r"\b(?:1|one|a)\s+(?:(?!per\b|for\b)[a-z-]+\s+)?" + work
        + r"\s+(?:is\s+|will be\s+|gets\s+)?(?:trained\s+|run\s+|fit\s+|fitted\s+)?"
        + r"(?:per|for each|for every|by)\s+(?:of\s+(?:the\s+|our\s+)?" + N
        + r"\s+(?:[\w-]+\s+){0,3}?)?"
        + r"([a-z]{3,}?)s?\b(?!-)(?:\s+([a-z]{3,}?)s?\b(?!-))?",
        t,
    )  # fmt: skip
    # "Jobs: one per region, 8 regions" (a pasted form's field)
    m = m or first(
        r"\b(?:runs|jobs|models|experiments)\s*[:=]\s*(?:1|one)\s+(?:per|for each|for every)\s+"
        r"()([a-z]{3,}?)s?\b(?!-)()",
        t,
    )
    if m is None:
        return None
    if m.group(1):  # "for each of 5 … languages": the count is said there
        runs = int(num(m.group(1)))
    else:
        # "per partner hospital (3 hospitals)": the noun may be the second word
        c = count_of(m.group(2), t) or (count_of(m.group(3), t) if m.group(3) else None)
        if c is None:
            return None
        runs = int(num(c.group(1)))
    noun = m.group(2) if m.group(1) or count_of(m.group(2), t) else m.group(3)
    counted = None if m.group(1) else count_of(noun, t)
    # "one run for each of the 3 campuses": the count as written, not a clipped stem
    each = f"of the {counted.group(0)}" if counted else noun
    note = f"one run for each {each} is read as {runs} runs"
    rest = t[m.end() :]
    # "per region (9 regions) x 4 forecast horizons", "and per label set (2 label sets)":
    # crossed with another count
    crossed = re.match(
        r"\s*(?:\([^)]{0,40}\))?\s*(?:x|×|by)\s*" + N + r"\s+(?:[\w-]+\s+)?[a-z]+s\b", rest
    ) or re.match(r"\s*(?:\([^)]{0,40}\))?\s*and per [a-z -]{3,30}?\(" + N + r"\s", rest)
    # "every adapter is trained with 3 seeds", "x2 seeds": each item's model repeated
    seeds = first(
        r"\b(?:every|each)\s+(?:one|model|adapter|run|fine-?tune)\s+(?:is\s+)?(?:trained\s+|run\s+|"
        r"fit\s+)?with\s+" + N + r"\s+(?:random\s+)?(?:seeds|runs|repeats)\b"
        r"|(?<![\w.])x\s*(\d+)\s+(?:random\s+)?seeds\b",
        rest,
    )
    for extra in (crossed, seeds):
        if extra is not None:
            times = int(num(next(g for g in extra.groups() if g)))
            runs *= times
            note = note.replace(" is read as", f" × {times} is read as").rsplit(" is read", 1)[0]
            note += f" is read as {runs} runs"
    return RunsReading(runs, note)


def per_two_items(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'one model per participant per condition: 24 participants, 3 conditions': one run per
    pair."""
    # "3 hours per student per week" is a rate: no time unit is an item.
    unit = r"(?!(?:week|day|month|hour|year|term|semester|quarter|minute|second)s?\b)"
    m = first(r"\bper " + unit + r"([a-z]{4,}?)s? per " + unit + r"([a-z]{4,}?)s?\b", t)
    if m is None:
        return None
    counts = []
    for noun in (m.group(1), m.group(2)):
        c = count_of(noun, t)
        if c is None:
            return None
        counts.append(num(c.group(1)))
    runs = int(counts[0] * counts[1])
    note = f"one run per {m[1]} per {m[2]} ({counts[0]:g} × {counts[1]:g}) is read as {runs} runs"
    return RunsReading(runs, note)


def runs_per_item(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'every variety trained twice' over 'six varieties', 'once per language, 3 languages'."""
    # A count of runs for each of a number of items; more than one run in all to count.
    every = first(
        r"\b(?:every|each)\s+([a-z]{4,})\s+(?:is\s+|gets\s+)?(?:trained|run|evaluated|fitted|"
        r"fit|repeated|done)\s+" + N + r"\s+times\b",
        t,
    )
    once = first(
        r"\b(?:once|1 times?)\s+(?:for|on|with|across)\s+(?:each|every)\s+of\s+"
        r"(?:the\s+|our\s+|these\s+|its\s+|their\s+)?" + N + r"\s+[a-z]",
        t,
    )
    if once is not None and num(once.group(1)) > 1:
        return RunsReading(int(num(once.group(1))))
    found = every or first(r"\b(?:once|1 times?)\s+(?:per|for each|each)\s+([a-z]{4,})\b", t)
    if found is None:
        return None
    word: str = found.group(1)
    repeats = num(every.group(2)) if every else 1.0
    stem = word[:-1] if word.endswith("y") else word.removesuffix("s")
    count = first(N + r"\s+(?:[\w-]+\s+){0,2}?" + re.escape(stem) + r"\w*\b", t)
    runs = int(num(count.group(1)) * repeats) if count else 0
    if runs <= 1:
        return None
    return RunsReading(runs, f"runs for each item are read as {runs} runs in all")


def for_each_of(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'5 hours on one GPU for each of 3 batch sizes': one run per item."""
    # "150 simulated years for each of 4 scenarios": the same again for each item.
    m = first(
        r"\d\s*(?:hours?|hrs?|h|days?|[a-z]{4,}s)\b[^.;]{0,40}?\bfor (?:each|every) of "
        r"(?:the |these |our )?" + N + r"\s+[a-z]",
        t,
    )
    # "the corpus is embedded with each of 3 checkpoints": the whole job once per item (not
    # "on each of 4 GPUs", which is how one run is spread).
    m = m or first(
        r"\b(?:with|using|across|under|on|at)\s+(?:each|every)\s+of\s+(?:the\s+|our\s+|these\s+)?"
        + N
        + r"\s+(?!(?:[\w-]+\s+)?(?:gpus?|nodes?|cores?|cards?|devices?|cpus?)\b)[a-z]",
        t,
    )
    return None if m is None else RunsReading(int(num(m.group(1))))


def each_a_job(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'500 scenarios, each a single-core job of 40 minutes': one job per item."""
    m = first(
        N + r"\s+(?:[\w-]+\s+){0,2}?[a-z]{3,}s,?\s+each\s+(?:is\s+)?(?:a|an|1|one)\s+"
        r"(?:[\w-]+\s+){0,2}?(?:job|run|task|simulation|fit)\b",
        t,
    )
    return None if m is None else RunsReading(int(num(m.group(1))))


def hours_per_item(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'8 hours per language, 3 languages': a figure per item, and the number of items."""
    per_item = re.search(
        r"\d\s*(?:hours?|hrs?|h|days?|weeks?)(?:\s+of\s+[\w-]+\s+time)?\s+"
        r"(?:per|for each|each)\s+([a-z]{3,})\b",
        t,
    )
    # "each gene family takes 9 hours": the time is said of one item, counted elsewhere.
    per_item = per_item or re.search(
        r"\b(?:each|every)\s+(?:[a-z]+\s+)?([a-z]{3,})\s+(?:takes|needs|requires|lasts|runs for|"
        r"runs on [^.;]{0,30}?\bfor)"
        # (minutes per item are a rate, read in rates.py)
        r"\s+(?:about\s+|around\s+|roughly\s+|~\s*)?[\d.]+\s*(?:hours?|hrs?|h|days?|weeks?)\b",
        t,
    )
    if per_item is None:
        return None
    item = per_item.group(1).removesuffix("s")
    if re.fullmatch(RUN_NOUN + r"|week|day|month|student|person|gpu|node", item):
        return None
    m = count_of(item, t)  # "3 aircraft families": describing words may stand between
    return None if m is None else RunsReading(int(num(m.group(1))))


def combination(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'each model-benchmark-temperature combination takes 40 minutes': one run per
    combination of the counts said for each ('6 models', '9 benchmarks', '3 temperatures')."""
    m = first(r"\beach\s+([a-z]+(?:[-/][a-z]+)+)\s+(?:combination|combo|pair|triple|cell)\b", t)
    if m is None:
        return None
    counts = []
    for noun in re.split(r"[-/]", m.group(1)):
        c = count_of(noun, t)
        if c is None:
            return None
        counts.append(num(c.group(1)))
    runs = int(math.prod(counts))
    listed = " × ".join(f"{c:g}" for c in counts)
    return RunsReading(runs, f"{listed} {m.group(1)} combinations are read as {runs} runs")


def runs_per_counted(t: str, f: dict[str, Any]) -> RunsReading | None:
    """'2 seeds per campus' beside '7 campuses': runs for each of the items counted."""
    every = first(
        r"\b(?:do|run|train|repeat|fit)\s+(?:every|each)\s+(?:[a-z]+\s+){0,2}?([a-z]{3,}?)s?\s+"
        r"with\s+" + N + r"\s+(?:[a-z]+\s+)?(?:seeds|runs|repeats|replicates)\b",
        t,
    )
    if every is not None and (c := count_of(every.group(1), t)) is not None:
        runs = int(num(c.group(1)) * num(every.group(2)))
        return RunsReading(
            runs, f"{c[1]} {every[1]}s × {every[2]} runs each are read as {runs} runs"
        )
    m = first(N + RUNS + r"\s+(?:per|for each|for every)\s+([a-z]{3,})\b", t)
    if m is None or (c := count_of(m.group(2), t)) is None or c.start() == m.start():
        return None
    runs = int(num(m.group(1)) * num(c.group(1)))
    return RunsReading(runs, f"{m[1]} runs per {m[2]} × {c[1]} are read as {runs} runs")
