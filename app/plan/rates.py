"""Run lengths worked out from other figures: steps × time per step, listed stages, and a
rate (items per hour, time per item) times the amount of work."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.plan.figures import RUN_NOUN, N, count_of, first, hours_of, num
from app.plan.parents import SIZE, SIZE_TOKENS, parent_count, scaled

# What a time "per …" is not spent on a piece of the work for.
_NOT_ITEM = (
    r"(?:hours?|minutes?|seconds?|days?|weeks?|months?|gpus?|nodes?|cards?|devices?|cores?|"
    r"students?|learners?|participants?|trainees?|attendees?|persons?|people|users?|epochs?|"
    r"steps?|runs?|jobs?|experiments?|batch(?:es)?)"
)
_TIME_WORD = r"(?:hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|gpus?|nodes?|runs?)"


def steps_time(t: str) -> tuple[float, str] | None:
    """'2400 steps at 4.5 s/step': a run's length from its steps and the time each takes."""
    m = first(
        N
        + r"\s+(?:training\s+|optimi[sz]er\s+)?steps?\s+(?:per\s+"
        + RUN_NOUN
        + r"\s+)?"
        + r"(?:at|of|x|@)\s*(?:about\s+|~\s*)?"
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


_UNIT = r"\s*(hours?|hrs?|h|minutes?|mins?|seconds?|secs?|s|days?)\b"
_HEDGE = r"(?:about\s+|roughly\s+|around\s+|~\s*)?"


@dataclass(frozen=True)
class _Rate:
    """A rate: `hours` for `per` of `item`, found at `span`; `said` words it for the note."""

    hours: float
    per: float
    item: str
    span: tuple[int, int]
    said: str | None = None
    alt: str | None = None  # a describing word that may name what is counted ("patient record")


def _per_items(t: str) -> _Rate | None:
    """'2 hours per 100000 abstracts': a time for a number of items."""
    m = first(N + _UNIT + r"\s+(?:per|for every|every)\s+" + N + r"\s+([a-z]{3,})", t)
    if m is None:
        return None
    return _Rate(hours_of(m.group(1), m.group(2)), num(m.group(3)), m.group(4), m.span(3))


def _per_one(t: str) -> _Rate | None:
    """'15 minutes of GPU time per simulated year' … '150 years': a time per item."""
    # Whole hours per item ("8 hours per language, 3 languages") are runs, read in runs.py.
    m = first(
        N
        # "~3 GPU-min per sequence": the GPU time written into the unit
        # ("2 gpus per trial" is no "2 GPU-s": the plural's s is no unit)
        + r"\s*(?:gpu[- ]?|cpu[- ]?)?(minutes?|mins?|seconds?|secs?|(?<!gpu)(?<!cpu)s)\s+"
        + r"(?:of\s+(?:gpu\s+|cpu\s+|compute\s+)?time\s+)?"
        + r"per\s+(?:([\w-]+)\s+)?([a-z]{4,})\b",
        t,
    )
    if m is None or re.fullmatch(_NOT_ITEM, m[4]):
        return None
    return _Rate(hours_of(m.group(1), m.group(2)), 1.0, m.group(4), m.span(), alt=m.group(3))


def _items_take(t: str) -> _Rate | None:
    """'1000 tickets take 90 seconds', 'got through 10000 opinions in 1.5 hours'."""
    # The same rate as "per", written the other way round.
    m = first(
        # "an hour of audio in 6 minutes": one of a measure, said with an article
        r"(?:(?<![\w.])(?:an?|one)()()(?=\s+(?:hour|minute)\s+of\b)|"
        + N
        + SIZE
        + r")"
        + r"\s+([a-z]{3,}(?:\s+of\s+[a-z-]{3,})?)\s+(?:takes?|took|needs?|in)\s+"
        + _HEDGE
        + N
        + _UNIT,
        t,
    )
    if m is None:
        return None
    if re.fullmatch(RUN_NOUN + r"e?s?|epochs?|steps?", m.group(5)):
        return None  # "1 run takes 2.5 days" is the run's length, not a rate
    per = 1.0 if m.group(1) is not None else scaled(m.group(3), m.group(4))
    return _Rate(hours_of(m.group(6), m.group(7)), per, m.group(5), m.span())


def _throughput(t: str) -> _Rate | None:
    """'600 opinions per hour', '2000 tiles per second': a throughput."""
    m = first(
        N
        + SIZE
        # ("40 hours of audio per hour" is a speed of media, read by _real_time)
        + r"\s+(?!(?:hours?|minutes?|seconds?|days?)\b)(?:[\w-]+\s+){0,2}?([a-z]{3,})\s*"
        + r"(?:(?:per|an?|each|every)\s+|/\s*)(?:gpu[- ]?)?"
        + r"(hours?|hr|h|minutes?|min|m|seconds?|sec|s)\b",
        t,
    )
    if m is None or re.fullmatch(_TIME_WORD, m[3]):
        return None
    per, item = scaled(m.group(1), m.group(2)), m.group(3)
    said = f"{per:,.0f} {item.removesuffix('s')}s per {m.group(4)}"
    return _Rate(hours_of("1", m.group(4)), per, item, m.span(), said)


def _per_time_span(t: str) -> _Rate | None:
    """'1,000 claims per 25 minutes': items done in a stated time."""
    m = first(
        N + SIZE + r"\s+(?:[\w-]+\s+){0,2}?([a-z]{3,})\s+(?:per|every|each)\s+" + N + _UNIT, t
    )
    if m is None or re.fullmatch(_TIME_WORD, m[3]):
        return None
    per = scaled(m.group(1), m.group(2))
    return _Rate(hours_of(m.group(4), m.group(5)), per, m.group(3), m.span())


def _real_time(t: str) -> _Rate | None:
    """'runs at 30x real time' over '9000 hours of interviews': an hour of media in 1/30 h."""
    m = first(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:x|times)\s+(?:faster than\s+)?real[- ]?time\b", t)
    # "about 40 hours of audio per hour of compute": the same factor said as a ratio
    m = m or first(
        r"(?<![\w.])(\d+(?:\.\d+)?)\s*hours?\s+of\s+(?:audio|speech|video|recordings?)\s+"
        r"(?:per|an?|each|in (?:an?|1|one))\s+(?:1\s+)?hours?\s+of\s+(?:compute|gpu(?: time)?|"
        r"processing|wall[- ]?clock(?: time)?)\b",
        t,
    )
    if m is None or not (factor := num(m.group(1))):
        return None
    return _Rate(1.0 / factor, 1.0, "hour of audio", m.span(), f"{factor:g}× real time")


def _each_takes(t: str) -> _Rate | None:
    """'each sequence takes 6 minutes': the time one item takes."""
    m = first(
        # ("each chapter of an interview takes 40 GPU-minutes": what it is a part of may follow)
        r"\b(?:each|every|one|1|a|per)\s+([a-z]{3,})\s+(?:of\s+(?:[\w-]+\s+){1,2}?)?(?:takes?|took|"
        r"needs?|requires?|runs|lasts)\s+(?:for\s+)?"
        + _HEDGE
        + N
        + r"\s*(?:gpu[- ]?|cpu[- ]?)?(?<!gpu)(?<!cpu)"  # "needs 2 gpus" is no 2 GPU-seconds
        + _UNIT,
        t,
    )
    # "prediction takes about 3-5 minutes for each sequence": the item after the time
    after = None if m is not None else first(
        r"\b(?:takes?|took|needs?|requires?|lasts)\s+" + _HEDGE + N
        + r"\s*(?:gpu[- ]?|cpu[- ]?)?(?<!gpu)(?<!cpu)" + _UNIT
        + r"\s+(?:for|per)\s+(?:each|every|one|a)\s+([a-z]{3,})\b",
        t,
    )  # fmt: skip
    if after is not None and not re.fullmatch(RUN_NOUN + r"e?s?|epochs?|steps?", after[3]):
        return _Rate(hours_of(after[1], after[2]), 1.0, after.group(3), after.span())
    if m is None or re.fullmatch(RUN_NOUN + r"e?s?|epochs?|steps?", m[1]):
        return None
    return _Rate(hours_of(m[2], m[3]), 1.0, m.group(1), m.span())


# "per (checkpoint, benchmark) pair", "per model-dataset combination": one of each of two counts
_PAIR = (
    r"per\s+\(?\s*(?P<a>[a-z]{3,}?)s?\b\s*(?:,|and|x|×|/|-)\s*(?P<b>[a-z]{3,}?)s?\b\s*\)?\s*"
    r"(?:pair|combination)s?"
)
_TIME = (
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?|seconds?|secs?|s|days?)\b"
)


def pair_time(t: str) -> Rated | None:
    """'cost per (checkpoint, benchmark) pair: ~40 minutes' over 14 checkpoints and 9
    benchmarks: the time of one pair times every pair."""
    m = first(_PAIR + r"\s*[:=]?\s*" + _HEDGE + _TIME, t) or first(_TIME + r"\s+" + _PAIR, t)
    if m is None:
        return None
    counts = [count_of(m["a"], t), count_of(m["b"], t)]
    if counts[0] is None or counts[1] is None:
        return None
    x, y = num(counts[0].group(1)), num(counts[1].group(1))
    each = hours_of(m["value"], m["unit"])
    total = each * x * y
    note = (
        f"{each:g} h per {m['a']}-{m['b']} pair × {x:g} × {y:g} pairs is read as {total:g} h "
        "for the whole job"
    )
    return Rated(total, note, m.span())


# Tried in this order; the first that finds its phrasing is the rate.
_RATE_READERS: tuple[Callable[[str], _Rate | None], ...] = (
    _per_items,
    _per_one,
    _items_take,
    _throughput,
    _per_time_span,
    _each_takes,
    _real_time,
)


@dataclass(frozen=True)
class Rated:
    """The whole job's hours from a rate and an amount, the note, and where the amount was said."""

    hours: float
    note: str
    amount_span: tuple[int, int]
    parent_span: tuple[int, int] | None = None  # where the count of what the items belong to was


def _times_amount(t: str, rate: _Rate) -> Rated | None:
    """The rate times the amount of its item the text names elsewhere, and the note."""
    # "1 hour of audio in 3 minutes" … "12000 hours of oral-history audio": a head and what
    # it measures, with describing words allowed between.
    head, _, of = rate.item.partition(" of ")
    item = head.removesuffix("s")
    what = re.escape(item) + r"s?\b"
    plural = f"{item}s of {of}" if of else f"{item}s"
    if of:
        what += r"\s+of\s+(?:[\w-]+\s+){0,2}?" + re.escape(of)
        item = f"{item} of {of}"
    hours, per = rate.hours, rate.per
    said = rate.said or (
        f"{hours:g} h per {item}" if per == 1 else f"{hours:g} h per {per:,.0f} {plural}"
    )
    size = SIZE_TOKENS if item.startswith("token") else SIZE
    found = list(re.finditer(N + size + r"\s+(?:[\w-]+\s+){0,2}?" + what, t))
    # "a 13-million-image subset": the amount written as one word ("5-fold" is no amount)
    found += list(re.finditer(N + r"-(thousand|million|billion)-" + what, t))
    # "2,000 passages per second for each model": the whole amount again for each model
    # ("120 images per second per model" over "three models": the same again for each model)
    each = re.match(
        r"\s*(?:(?:for|with|on)\s+(?:each|every)|per)\s+([a-z]{3,}?)s?\b", t[rate.span[1] :]
    )
    again = count_of(each.group(1), t) if each else None
    # "42 k tokens/s per GPU" on "8 GPUs": each device does that much, so the devices share
    # the work (the hours of one run are the device-hours over the devices), never repeat it
    shared = None
    if each and re.fullmatch(r"gpu|card|device|accelerator|node", each.group(1)):
        shared, again = again, None
    if of and not [m for m in found if not rate.span[0] <= m.start() < rate.span[1]]:
        # "1 hour of audio in 3 minutes" … "12000 hours of oral-history recordings": the same
        # measure of another word for the material (never of compute or GPU time).
        other = re.escape(head.removesuffix("s")) + r"s?\s+of\s+(?!(?:gpu|cpu|compute|wall|time)\b)"
        found = list(re.finditer(N + SIZE + r"\s+" + other + r"[\w-]+", t))
    for m in found:
        if rate.span[0] <= m.start() < rate.span[1]:
            continue  # the rate's own "per 100000 abstracts"
        if t[max(0, m.start() - 1) : m.start()] == "-":
            continue  # a digit in a name ("sentinel-2 mosaics") counts nothing
        amount = scaled(m.group(1), m.group(2))
        if amount == 1:
            continue  # "one model per patient": the item itself, not an amount of them
        times, parent, where = parent_count(t, m)
        if again is not None and not parent:
            times, parent = num(again.group(1)), f"{each.group(1)}s" if each else ""
        total = hours * amount * times / per
        counted = f"{amount:,.0f} {plural}" + (f" × {times:,.0f} {parent}" if parent else "")
        if shared is not None and each is not None and (devices := num(shared.group(1))) > 1:
            dev = "GPU" if each.group(1) == "gpu" else each.group(1)
            note = (
                f"{said} per {dev} × {counted} is {total:g} {dev}-hours, read as "
                f"{total / devices:g} h on {devices:g} {dev}s"
            )
            return Rated(total / devices, note, m.span(), where)
        note = f"{said} × {counted} is read as {total:g} h for the whole job"
        return Rated(total, note, m.span(), where)
    if rate.alt and re.fullmatch(r"[a-z]{4,}", rate.alt) and not re.fullmatch(_NOT_ITEM, rate.alt):
        # "12 seconds per patient record" over "40,000 patients": one record per patient
        return _times_amount(t, _Rate(rate.hours, rate.per, rate.alt, rate.span, rate.said))
    return None


def rate_times_amount(t: str) -> Rated | None:
    """'2 hours per 100000 abstracts' and '4 million abstracts': the time the whole job takes."""
    if (paired := pair_time(t)) is not None:
        return paired
    for reader in _RATE_READERS:
        if (rate := reader(t)) is not None:
            rated = _times_amount(t, rate)
            if rated is None and reader is _real_time:
                return _recordings(t, rate)
            if rated is None and rate.item.startswith("frame"):
                return _video_frames(t, rate)
            if rated is not None and reader is _throughput:
                return _second_step(t, rate, rated)
            return rated
    return None


def _second_step(t: str, rate: _Rate, rated: Rated) -> Rated:
    """'the embedding step does 1,500 pages a minute and the correction model 250 pages a
    minute': two steps over the same items, one after the other, so their hours add."""
    after = t[rate.span[1] : rate.span[1] + 80]
    joined = re.match(r"\s*,?\s*(?:and|while|then)\b", after)
    steps = re.search(r"\b(?:steps?|stages?|then|followed by|passes|both)\b", t)
    second = _throughput(after) if joined and steps else None
    if second is None or second.item.rstrip("s") != rate.item.rstrip("s"):
        return rated
    span = (rate.span[1] + second.span[0], rate.span[1] + second.span[1])
    more = _times_amount(t, _Rate(second.hours, second.per, second.item, span, second.said))
    if more is None or more.amount_span != rated.amount_span:
        return rated
    total = rated.hours + more.hours
    note = f"{rated.note}; a second step at {more.note}; together {total:g} h"
    return Rated(total, note, rated.amount_span, rated.parent_span)


def _recordings(t: str, rate: _Rate) -> Rated | None:
    """'2,400 recordings, the average length is 50 minutes each' at N× real time: the hours of
    audio are the items times their length."""
    m = first(
        N + SIZE + r"\s+(?:[\w-]+\s+){0,2}?(recordings|interviews|files|videos|clips|episodes|"
        r"tapes|lectures|calls|sessions)\b[^.;]{0,60}?\b(?:average|each|about|roughly|~)\b"
        r"[^.;\d]{0,30}?" + N + r"\s*(hours?|hrs?|h|minutes?|mins?)\b",
        t,
    )
    if m is None:
        return None
    items, each = scaled(m.group(1), m.group(2)), hours_of(m.group(4), m.group(5))
    audio = items * each
    total = audio * rate.hours
    note = (
        f"{items:,.0f} {m.group(3)} × {each:g} h each = {audio:g} h of audio at {rate.said} is "
        f"read as {total:g} h for the whole job"
    )
    return Rated(total, note, m.span())


def _video_frames(t: str, rate: _Rate) -> Rated | None:
    """'1,200 hours of drone video recorded at 30 fps' at '240 frames per second': the frames
    are the footage's length times its frame rate."""
    video = first(
        N + SIZE + r"\s*(hours?|hrs?|h|minutes?|mins?)\s+of\s+(?:[\w-]+\s+){0,2}?(?:video|"
        r"footage|recordings?|camera[- ]trap video|clips?)\b",
        t,
    )
    fps = [
        m
        for m in re.finditer(
            r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:fps|frames?\s*(?:per|a|/)\s*s(?:ec(?:ond)?)?)\b", t
        )
        if not rate.span[0] <= m.start() < rate.span[1]
    ]
    if video is None or not fps:
        return None
    length = scaled(video.group(1), video.group(2)) * hours_of("1", video.group(3))
    frames = length * 3600 * num(fps[0].group(1))
    total = frames * rate.hours / rate.per
    note = (
        f"{length:g} h of video × {num(fps[0].group(1)):g} frames per second = {frames:,.0f} "
        f"frames at {rate.said or rate.item} is read as {total:g} h for the whole job"
    )
    return Rated(total, note, video.span())


# "a pass follows, taking half as long as the translation", "it take 1/4 of the transcription
# time": a further step said as a share of the main one
_SHARE_MORE = re.compile(
    r"\b(?:taking|takes?|needs?|adds?|costs?)\s+(?:about\s+|roughly\s+|~)?(half|a third|a quarter|"
    r"(?:1|one)/(?:2|3|4)|\d+(?:\.\d+)?\s*%)\s+(?:as long|(?:of\s+)?the\s+(?:[\w-]+\s+)?time|"
    r"(?:of\s+)?that time)\b"
)
_SHARES = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "1/2": 0.5, "one/2": 0.5,
           "1/3": 1 / 3, "1/4": 0.25}  # fmt: skip


def step_share(t: str) -> float | None:
    """The share of the main work a further step adds ('half as long' → 0.5), or None."""
    m = _SHARE_MORE.search(t)
    if m is None:
        return None
    said = m.group(1).replace(" ", "") if "%" in m.group(1) else m.group(1)
    return num(said.rstrip("%")) / 100 if said.endswith("%") else _SHARES.get(said)
