"""Run lengths worked out from other figures: steps × time per step, listed stages, and a
rate (items per hour, time per item) times the amount of work."""

from __future__ import annotations

import re

from app.plan.figures import RUN_NOUN, N, first, hours_of, num

# What a time "per …" is not spent on a piece of the work for.
_NOT_ITEM = (
    r"(?:hours?|minutes?|seconds?|days?|weeks?|months?|gpus?|nodes?|cards?|devices?|cores?|"
    r"students?|learners?|participants?|trainees?|attendees?|persons?|people|users?|epochs?|"
    r"steps?|runs?|jobs?|experiments?|batch(?:es)?)"
)
_TIME_WORD = r"(?:hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|gpus?|nodes?|runs?)"
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9}
# A scale word after a figure ("4 million", "36m"): its group goes to `_scaled`.
_SIZE = r"(?:\s*(thousand|million|billion|k|m)\b)?"


def _scaled(figure: str, scale: str | None) -> float:
    """A figure times the scale word that follows it, if any."""
    return num(figure) * _SCALE.get(scale or "", 1.0)


def steps_time(t: str) -> tuple[float, str] | None:
    """'2400 steps at 4.5 s/step': a run's length from its steps and the time each takes."""
    m = first(
        N
        + r"\s+(?:training\s+|optimi[sz]er\s+)?steps?\s+(?:at|of|x|@)\s*(?:about\s+|~\s*)?"
        + N
        + r"\s*(s|sec|secs|seconds?|ms)\s*(?:/|per|a|each)\s*(?:training\s+)?step\b",
        t,
    )
    if m is None:
        return None
    steps, each = num(m.group(1)), num(m.group(2)) / (1000 if m.group(3) == "ms" else 1)
    hours = steps * each / 3600
    return hours, f"{steps:,.0f} steps × {each:g} s per step is read as {hours:g} h a run"


def milestones(t: str) -> tuple[float, str] | None:
    """'2 runs x 12 h', '6 runs x 8 h', '1 run x 2 days': several stages summed into one run."""
    stage = N + r"\s*" + RUN_NOUN + r"s?\s*(?:x|of|at)\s*" + N
    found = list(re.finditer(stage + r"\s*(hours?|hrs?|h|days?|weeks?)\b", t))
    if len(found) < 2:
        return None
    parts = [(num(m.group(1)), hours_of(m.group(2), m.group(3))) for m in found]
    total = sum(n * h for n, h in parts)
    listed = " + ".join(f"{n:g} × {h:g} h" for n, h in parts)
    return total, f"the stages {listed} are read as one run of {total:g} h"


def rate_times_amount(t: str) -> tuple[float, str] | None:
    """'2 hours per 100000 abstracts' and '4 million abstracts': the time the whole job takes."""
    unit = r"\s*(hours?|hrs?|h|minutes?|mins?|seconds?|secs?)"
    said: str | None = None  # the rate as the text gives it, for the note
    rate = first(N + unit + r"\s+(?:per|for every|every)\s+" + N + r"\s+([a-z]{3,})", t)
    # "15 minutes of GPU time per simulated year" … "150 years": a time per item. Whole hours
    # per item ("8 hours per language, 3 languages") are runs, read with the run counts.
    per_one = first(
        N
        + r"\s*(minutes?|mins?|seconds?|secs?)\s+(?:of\s+(?:gpu\s+|cpu\s+|compute\s+)?time\s+)?"
        + r"per\s+(?:[\w-]+\s+)?([a-z]{4,})\b",
        t,
    )
    if per_one is not None and re.fullmatch(_NOT_ITEM, per_one[3]):
        per_one = None
    if rate is None and per_one is not None:
        per, item = 1.0, per_one.group(3)
        hours, span = hours_of(per_one.group(1), per_one.group(2)), per_one.span()
    elif rate is not None:
        per, item = num(rate.group(3)), rate.group(4)
        hours, span = hours_of(rate.group(1), rate.group(2)), rate.span(3)
    else:
        # "1000 tickets take 90 seconds", "got through 10000 opinions in 1.5 hours", "each
        # sequence takes 6 minutes": the same rate, written the other way round.
        hedge = r"(?:about\s+|roughly\s+|around\s+|~\s*)?"
        m = first(
            N
            + _SIZE
            + r"\s+([a-z]{3,}(?:\s+of\s+[a-z-]{3,})?)\s+(?:takes?|took|needs?|in)\s+"
            + hedge
            + N
            + unit,
            t,
        )
        # "600 opinions per hour", "2000 tiles per second": a throughput.
        speed = first(
            N
            + _SIZE
            + r"\s+(?:[\w-]+\s+){0,2}?([a-z]{3,})\s*(?:(?:per|an?|each|every)\s+|/\s*)"
            + r"(hours?|hr|h|minutes?|min|m|seconds?|sec|s)\b",
            t,
        )
        each = first(
            r"\b(?:each|every|one|1|a|per)\s+([a-z]{3,})\s+(?:takes?|took|needs?|requires?)\s+"
            + hedge
            + N
            + unit,
            t,
        )
        if m is not None:
            per = _scaled(m.group(1), m.group(2))
            item, hours, span = m.group(3), hours_of(m.group(4), m.group(5)), m.span()
        elif speed is not None and not re.fullmatch(_TIME_WORD, speed[3]):
            per = _scaled(speed.group(1), speed.group(2))
            item, hours, span = speed.group(3), hours_of("1", speed.group(4)), speed.span()
            said = f"{per:,.0f} {item.removesuffix('s')}s per {speed.group(4)}"
        elif each is not None and not re.fullmatch(RUN_NOUN + r"e?s?|epochs?|steps?", each[1]):
            per, item, hours, span = 1.0, each.group(1), hours_of(each[2], each[3]), each.span()
        else:
            return None
    # "1 hour of audio in 3 minutes" … "12000 hours of oral-history audio": a head and what
    # it measures, with describing words allowed between.
    head, _, of = item.partition(" of ")
    item = head.removesuffix("s")
    what = re.escape(item) + r"s?\b"
    plural = f"{item}s of {of}" if of else f"{item}s"
    if of:
        what += r"\s+of\s+(?:[\w-]+\s+){0,2}?" + re.escape(of)
        item = f"{item} of {of}"
    said = said or (
        f"{hours:g} h per {item}" if per == 1 else f"{hours:g} h per {per:,.0f} {plural}"
    )
    for m in re.finditer(N + _SIZE + r"\s+(?:[\w-]+\s+){0,2}?" + what, t):
        if span[0] <= m.start() < span[1]:
            continue  # the rate's own "per 100000 abstracts"
        amount = _scaled(m.group(1), m.group(2))
        total = hours * amount / per
        return total, f"{said} × {amount:,.0f} {plural} is read as {total:g} h for the whole job"
    return None
