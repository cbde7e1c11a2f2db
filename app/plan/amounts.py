"""Counts, durations and totals in workload text: GPUs, memory, run length, runs, courses.

parse.py reads what kind of work it is; this module reads how much of it. Each reader takes
normalised text (numbers as digits) and fills fields of the workload dict it is given. The
number of runs is read in runs.py, a run's length from rates and steps in rates.py.
"""

from __future__ import annotations

import re
from typing import Any

from app.plan.figures import LEARNER, RATE, RUN_NOUN, N, count_of, first, hours_of, num
from app.plan.rates import milestones, rate_times_amount, step_share, steps_time
from app.plan.runs import read_runs

_GPU_WORD = (
    r"(?:nvidia\s+)?(?:h100|gh200|a100|a40|v100|l40s|mi100|gaudi|gaudi2|tpu(?:\s*v\d)?)?s?"
    r"\s*(?:-|\s)?(?:gpus?|cards?|devices?|accelerators?|superchips?|processors?|chips?)\b"
    r"(?![- ]?(?:hours?|hrs?|h|days?)\b)"  # "20 GPU-days" is a total, not 20 GPUs
)


def read_memory(t: str, f: dict[str, Any]) -> None:
    """GPU memory needed per GPU: '80 GB GPUs', '40 GB of GPU memory', 'GPUs with 80 GB'."""
    gb = r"(\d+)\s*-?\s*gb"
    # "anything smaller than the 80 GB cards runs out of memory": 80 GB is the need.
    if m := first(r"\b(?:smaller|less)\s+than\s+(?:the\s+|an?\s+)?" + gb, t) or first(
        # "must be 80GB cards (OOM on anything smaller)": what fails is smaller than the need.
        gb + r"[^.;\d]{0,40}?\b(?:oom|out of memory)\s+(?:on|with)\s+(?:anything|everything|"
        r"any(?:thing)?\s+\w+)\s+(?:smaller|less)\b",
        t,
    ):
        f["gpu_memory_gb"] = float(m.group(1))
        return
    # Cards that ran out of memory ("the 40 GB A100s we have run out of memory") say what is
    # too small, not what is needed.
    # A digit inside a card's name ("A100s") does not end the phrase; another figure does.
    between = r"(?:[^.;\d]|(?<=[a-z])\d)"
    t = re.sub(
        gb
        + between
        + r"{0,60}?\b(?:(?:run|ran|runs|running) out of memory|oom'?(?:ed|'d|d|s)?\b)|"
        + gb
        + between
        + r"{0,40}?\b(?:(?:is|are|was|were)(?: not|n't) enough|too small)",
        # "80GB memory, the smaller card is not enough": a smaller card fails, not this one
        lambda m: m.group(0) if re.search(r"\b(?:smaller|lesser|other)\b", m.group(0)) else " ",
        t,
    )
    # "does not fit on 40 GB or 48 GB cards": the cards named after a failure are too small
    t = re.sub(
        r"\b(?:does ?n[o']t|do ?n[o']t|won't|can't|cannot|did ?n[o']t) fit\s+(?:on|in|into)\s+"
        r"(?:(?:an?|the|our)\s+)?(?:\d+\s*-?\s*gb(?:\s*(?:or|and|,)\s*)?)+",
        " ",
        t,
    )
    for pattern in (
        # "each GPU needs 80 GB or more", "min GPU mem: 80gb", "has to be an 80 GB one"
        r"\b(?:needs?|requires?|at least|min(?:imum)?)\s+(?:gpu\s+)?(?:mem(?:ory)?\s*[:=]?\s*)?"
        + gb,
        r"\b(?:has|have|needs?) to be (?:an?\s+)?" + gb,
        # "GPU mem needed: 80GB", "memory required = 80 GB": a labelled need.
        r"\bmem(?:ory)?\s+(?:needed|required|requirement|need)\s*[:=]?\s*" + gb,
        # "we measured a peak of 36 GB", "the longest ones peak at 44 GB": the most one GPU holds
        r"\bpeak(?:s|ed)?\b(?:\s+(?:gpu\s+)?mem(?:ory)?)?(?:\s+use)?\s*[:=]?\s*(?:of|at)?\s*"
        r"(?:about\s+|~\s*)?" + gb,
        # "80GB-class", "80 GB class min": the grade of card the work needs.
        gb + r"[\s-]+class\b",
        gb + r"\s+or more\b",
        gb + r"\s+(?:of\s+)?(?:gpu\s+)?(?:memory|vram|hbm)",
        gb + r"[\s-]+(?:\w+[\s-]+)?(?:gpus?|cards?|devices|accelerators)\b",
        r"(?:gpus?|cards?|devices|accelerators)\s+(?:with|that have|having|of)\s+"
        r"(?:at least\s+|over\s+)?" + gb,
        gb + r"\s+(?:h100|a100|gh200|v100|a40)",
        r"(?:h100|a100|gh200|v100|a40)s?\s*\(?" + gb,
        r"(?:gpus?|cards?|devices)(?:\s+each)?\s*\(\s*" + gb,  # "4 GPUs (80 GB)"
        gb + r"\s+(?:each|apiece|per (?:gpu|device|card|accelerator))\b",
        # "180 GB of weights and cache per GPU"
        gb + r"\s+(?:of\s+)?(?:[a-z-]+\s+){1,5}per (?:gpu|device|card|accelerator)\b",
    ):
        if m := first(pattern, t):
            f["gpu_memory_gb"] = float(m.group(1))
            return


def read_gpus(t: str, f: dict[str, Any]) -> None:
    """GPUs per run: '4 GPUs', '8x A100', 'eight 80 GB GPUs', 'a single GPU'."""
    if re.search(r"single[- ]gpu|fit on 1 gpu|\bon 1 gpu\b", t):
        f["gpus"], f["single_gpu"] = 1, True
        return
    count = N + r"\s*(?:x\s*)?(?:\d+\s*-?\s*gb\s+)?"  # "8 80 gb gpus": 8 GPUs of 80 GB
    count += r"(?:such\s+|identical\s+|more\s+)?"
    named = r"(?:nvidia\s+|cerebras\s+)?(h100|gh200|a100|a40|v100|l40s|cs-2|cerebras)s?\b"
    found = [
        int(num(m.group(1)))
        for pattern in (count + _GPU_WORD, count + named)
        for m in re.finditer(pattern, t, re.IGNORECASE)
        if not re.match(r"\d+\s*-?\s*gb", m.group(0))
    ]
    # "every run used a single 80 GB GPU": the count said of a run beats hardware named
    # elsewhere ("our local cluster has 16 GPUs")
    per_run = first(
        r"\b(?:each|every|one|1|a)\s+"
        + RUN_NOUN
        + r"\s+(?:uses?|used|needs?|ran on|runs on)\s+"
        + count
        + r"(?:"
        + _GPU_WORD
        + r"|"
        + named
        + r")",
        t,
    )
    if per_run is not None:
        found = [int(num(per_run.group(1)))]
    # Several counts ("fits on one device … we'd use 8 such GPUs"): the run uses the most.
    if found:
        f["gpus"] = max(found)
        f["single_gpu"] = f["gpus"] == 1 and not re.search(r"\b1 (?:\w+ )?nodes?\b", t)
    # "2 nodes with 4 GPUs each", "4 GPUs per node, 2 nodes": GPUs per run is the product.
    gpn = r"(\d+)\s*(?:x\s*)?(?:\w+\s+)?gpus?"
    nodes = r"(\d+)\s*(?:gpu\s+|compute\s+)?nodes?"
    with_gpus = nodes + r"\s*(?:with|of|each with|x|,)\s*" + gpn + r"(?:\s*(?:each|per node))?"
    # "two 4-GPU nodes", "2 nodes with 4 GPUs each"
    if m := first(r"(\d+)\s+(\d+)[- ]gpu nodes?", t) or first(with_gpus, t):
        n, per = int(m.group(1)), int(m.group(2))
    elif m := first(gpn + r"\s*(?:per|each|on each|a)\s+node\W+(?:\w+\W+){0,3}?" + nodes, t):
        per, n = int(m.group(1)), int(m.group(2))
    else:
        return
    if n > 1:
        f["gpus"], f["single_gpu"] = n * per, False
        f["assumed"].append(f"{n} nodes × {per} GPUs per node is read as {n * per} GPUs")


_NOT_RUN_BEFORE = re.compile(r"\b(?:within|in|by|before|after|every|next|last|per|over)\s+$")
_NOT_RUN_AFTER = re.compile(RATE.pattern + r"|\s*of\b")


def read_time(t: str, f: dict[str, Any]) -> None:
    """Hours per run and the number of runs."""
    dur = N + r"\s*-?\s*(hours?|hrs?|h|days?|weeks?|minutes?|mins?)\b"
    explicit = (
        dur + r"\s*(?:per|each|a|for each|for every)\s+" + RUN_NOUN + r"\b",
        r"(?:each|every|1|a)\s+" + RUN_NOUN + r"\s+(?:takes|lasts|needs|of|runs for|is|trains in|"
        r"runs in|finishes in|completes in)\s+"
        r"(?:about\s+|roughly\s+|~)?" + dur,
        RUN_NOUN + r"(?:e?s)?\s+(?:of|would last|will last|last|lasting|take|would take)\s+"
        r"(?:about\s+|roughly\s+|~)?" + dur,
        r"(?:for|takes|lasting|about|roughly|around|approximately)\s+"
        r"(?:about\s+|roughly\s+|around\s+|approximately\s+|~)?" + dur,
    )
    # "8 hours a day, 5 days a week" over "a 6-week study": one service period.
    week_day = first(
        N
        + r"\s*(?:hours?|hrs?|h)\s+(?:a|per|each)\s+day\s*[,;]?\s*(?:and\s+|on\s+)?"
        + r"(?:(\d+)\s*days?\s+(?:a|per|each)\s+week|(monday (?:through|to|-) friday|weekdays))",
        t,
    )
    span_weeks = first(N + r"[- ]?weeks?\b(?!\s+(?:a|per|each)\b)", t)
    if f.get("task") != "classroom" and week_day and span_weeks:
        per_day, weeks = num(week_day[1]), num(span_weeks[1])
        days = num(week_day[2]) if week_day[2] else 5.0  # Monday to Friday
        f["hours_per_run"], f["runs"] = per_day * days * weeks, 1
        f["assumed"].append(
            f"{per_day:g} h a day × {days:g} days a week × {weeks:g} weeks is read as one period "
            f"of {per_day * days * weeks:g} h"
        )
        return
    # "10 hours a day for 30 days": one service period, not thirty runs.
    daily = N + r"\s*(?:hours?|hrs?|h)\s+(?:a|per|each)\s+day\s*,?\s+(?:for|over)\s+" + N
    if f.get("task") != "classroom" and (m := first(daily + r"\s*(days?|weeks?|months?)\b", t)):
        per_day, span = num(m.group(1)), num(m.group(2))
        days = span * {"d": 1, "w": 7, "m": 30}[m.group(3)[0]]
        f["hours_per_run"], f["runs"] = per_day * days, 1
        f["assumed"].append(
            f"{per_day:g} h a day for {span:g} {m.group(3)} is read as one period of "
            f"{per_day * days:g} h"
        )
        return
    if listed := milestones(t):
        f["hours_per_run"], f["runs"], note = listed[0], 1, listed[1]
        f["assumed"].append(note)
        return
    # "each sequence takes 6 minutes … 12000 sequences": the whole job, not a 6-minute run.
    rated = rate_times_amount(t)
    found = [m for p in explicit for m in re.finditer(p, t) if not RATE.match(t, m.end())]
    found = [] if rated else found
    # "a week of 8 GPUs", "3 days of 4 GPUs": the run length when none is stated otherwise.
    span_of = (
        r"\b(?:a|an|(\d+(?:\.\d+)?))\s+(days?|weeks?)\s+of\s+\d+\s+(?:\w+\s+)?(?:gpus?|cards?)"
    )
    spans = [m for m in re.finditer(span_of, t) if not RATE.match(t, m.end())]
    if not found and spans:
        f["hours_per_run"] = hours_of(spans[0].group(1) or "1", spans[0].group(2))
    elif (
        not found and not rated
    ):  # a bare figure in a list: "1 GPU, 30 hours" or "4 nodes; 8 hours; 25 runs"
        found = [
            m
            for m in re.finditer(dur, t)
            if not _NOT_RUN_BEFORE.search(t[: m.start()]) and not _NOT_RUN_AFTER.match(t, m.end())
        ]
    epoch = first(
        r"\b(?:each|one|1|an?|every|per)\s+epoch\s*[:=]?\s*(?:takes?|lasts?|needs?|is|runs?)?\s*"
        r"(?:about\s+|roughly\s+|around\s+|~\s*)?" + dur,
        t,
    ) or first(dur + r"\s*(?:per|an?|each|for each|/)\s*epoch\b", t)  # "25 min/epoch"
    epochs = [num(m.group(1)) for m in re.finditer(N + r"\s*epochs\b", t)]
    if epoch and epochs:
        # "one epoch takes 6 hours; we train 5 epochs": a run is all its epochs.
        per, n = hours_of(epoch.group(1), epoch.group(2)), max(epochs)
        f["hours_per_run"], f["epochs"] = per * n, n
        f["assumed"].append(f"{per:g} h per epoch × {n:g} epochs is read as {per * n:g} h a run")
        read_runs(t[: epoch.start()] + t[epoch.end() :], f)
        return
    if not found and (stepped := steps_time(t)):
        f["hours_per_run"], note = stepped
        f["assumed"].append(note)
    if rated:
        f["hours_per_run"] = rated.hours
        f["assumed"].append(rated.note)
        if (share := step_share(t)) is not None:
            # "a consistency pass follows, taking half as long": that share on top
            f["hours_per_run"] = rated.hours * (1 + share)
            f["assumed"].append(
                f"a further step taking {share:g} of the time is read as {f['hours_per_run']:g} h"
            )
        if epochs and max(epochs) > 1:
            # "1,100 images/s … 1.3M images for 90 epochs": each epoch is a pass over the items
            n = max(epochs)
            f["hours_per_run"], f["epochs"] = f["hours_per_run"] * n, n
            f["assumed"].append(
                f"{n:g} epochs (passes over the data) are read as {f['hours_per_run']:g} h"
            )
            t = re.sub(N + r"\s*epochs\b", lambda e: " " * len(e.group(0)), t)
        f.setdefault("runs", 1)  # the rate times the amount is the whole job
        # "90 min per benchmark, 6 benchmarks", "40 min per chapter … 24 chapters": the items
        # the rate covers are in the hours; no runs reader may count them again
        a, b = rated.amount_span
        t = t[:a] + " " * (b - a) + t[b:]
        if rated.parent_span:  # "… for each of the 4 scenarios" is in the hours already
            a, b = rated.parent_span
            t = t[:a] + " " * (b - a) + t[b:]
    if found:
        f["hours_per_run"] = hours_of(found[0].group(1), found[0].group(2))
        # "about 200 hours on one GPU in total": the whole job, so one run.
        if re.match(r"[^.;]{0,40}?\b(?:in total|in all|altogether)\b", t[found[0].end() :]):
            f["runs"] = 1
    read_runs(t, f)


_TOTAL_KIND = {"gpu": "GPU", "device": "GPU", "accelerator": "GPU", "node": "node",
               "core": "core", "cpu": "core"}  # fmt: skip


def read_total(t: str, f: dict[str, Any]) -> None:
    """A total already in resource units: '20 GPU-days in all', 'about 300 node-hours'."""
    total = N + r"\s*(gpu|device|accelerator|node|core|cpu)s?[- ]?(hours?|hrs?|h|days?)\b"
    for m in re.finditer(total, t):
        # "about 250 GPU-hours a month for six months": a steady use over a stated span
        span = re.match(
            r"\s*(?:a|per|each|every)\s+(month|week)\b[^.;]{0,20}?\bfor\s+(?:the\s+)?"
            r"(?:next\s+)?(\d+)\s+(?:month|week)s\b",
            t[m.end() :],
        )
        if span and f.get("task") != "classroom":
            f["total_amount"], f["total_per_run"] = num(m.group(1)), True
            f["total_unit"] = f"{_TOTAL_KIND[m.group(2)]}-{'days' if m[3][0] == 'd' else 'hours'}"
            f["runs"] = int(span.group(2))
            f["assumed"].append(f"{m.group(0)} a {span[1]} for {span[2]} {span[1]}s")
            return
        if RATE.match(t, m.end()):
            continue  # "4 GPU-hours per week" is a course figure, not a total
        if re.search(
            r"\bper\s+" + LEARNER + r"\b[^.;]{0,12}$",
            t[max(0, m.start() - 40) : m.start()],
        ):
            continue  # "per student: 20 GPU-hours" is a course figure too
        f["total_amount"] = num(m.group(1))
        # "each run costs 10 GPU-days", "240 GPU-hours per run": a total for one run.
        before = t[max(0, m.start() - 40) : m.start()]
        f["total_per_run"] = bool(
            re.search(r"\b(?:each|every|per|one|a|1)\s+(?:" + RUN_NOUN + r"|fold|seed)\b", before)
            or re.match(r"\s*(?:per|each|a|for each)\s+" + RUN_NOUN + r"\b", t[m.end() :])
        )
        # "per cohort it's about 2.5 GPU-days … we have four cohorts": a total for each item
        item = re.search(r"\bper\s+([a-z]{3,}?)s?\b[^.;]{0,30}$", before)
        # "each ablation trains … and takes 2.5 GPU-days … we plan 14 ablations": its sentence
        # says what the total is for
        item = item or re.search(
            r"(?:^|:)\s*(?:each|every)\s+(?!" + RUN_NOUN + r"\b)([a-z]{3,}?)s?\b",
            re.split(r"(?<!\d)[.;](?!\d)", t[: m.start()])[-1],
        )
        # "2.5 GPU-days on each type" … "two different GPU types": after the total, too
        # ("16 GPU-hours per cohort" … "11 cohorts": "per" alone says it too)
        item = item or re.match(
            r"\s*(?:(?:on|for|in|with)\s+(?:each|every)|per(?:\s+(?:each|every))?)\s+(?!"
            + RUN_NOUN
            + r"\b)([a-z]{3,}?)s?\b",
            t[m.end() :],
        )
        # "2,000 scenarios. 1.5 core-hours each": a total for each of the items counted before
        counted = list(re.finditer(N + r"\s+(?:[\w-]+\s+)?[a-z]{3,}s\b", t[: m.start()]))
        if not f["total_per_run"] and re.match(r"\s*each\b", t[m.end() :]) and counted:
            f["total_per_run"], f["runs"] = True, int(num(counted[-1].group(1)))
            f["assumed"].append(f"the total is for each of the {counted[-1].group(0)}")
        crossed = re.match(
            r"\s*per\s+\(?\s*([a-z]{3,}?)s?\b\s*(?:,|and|x|×|/)\s*([a-z]{3,}?)s?\b\s*\)?",
            t[m.end() :],
        )
        both = [count_of(w, t) for w in crossed.groups()] if crossed else []
        if not f["total_per_run"] and crossed and all(both):
            # "1/2 GPU-h per (checkpoint, benchmark) pair": one for each of both counts
            a, b = (int(num(c.group(1))) for c in both if c)
            f["total_per_run"], f["runs"] = True, a * b
            f["assumed"].append(
                f"the total is for each {crossed[1]}-{crossed[2]} pair: {a} × {b} pairs"
            )
        elif not f["total_per_run"] and (pair := _per_pair(before, t)) is not None:
            # "processing one basin for one year takes about 20 GPU-hours": per basin-year
            times, said = pair
            f["total_per_run"] = True
            f["runs"] = times * f.get("runs", 1)
            f["assumed"].append(f"the total is for one of each of {said}")
        elif item and not f["total_per_run"] and (c := count_of(item.group(1), t)) is not None:
            f["total_per_run"] = True
            # "we plan 8 ablations" read as the runs, or "3 seeds × 11 languages" already
            # counted into them: the items are not counted twice
            twice = any(re.search(rf"\b{re.escape(c[1])}\s+{item[1]}", a) for a in f["assumed"])
            if int(num(c.group(1))) != f.get("runs") and not twice:
                f["runs"] = int(num(c.group(1))) * f.get("runs", 1)  # "do it all twice": all
            f["assumed"].append(f"the total per {item[1]} is counted for {c[1]} {item[1]}s")
        days = m.group(3).startswith("d")
        f["total_unit"] = f"{_TOTAL_KIND[m.group(2)]}-{'days' if days else 'hours'}"
        # "100 node-hours on 8-GPU nodes": GPU work counted in nodes becomes GPU time.
        per_node = r"(\d+)[- ]gpu nodes?|nodes? (?:with|of|having) (\d+) (?:\w+ )?gpus"
        if f["total_unit"].startswith("node") and (g := first(per_node, t)):
            per = int(g.group(1) or g.group(2))
            f["assumed"].append(
                f"{f['total_amount']:g} {f['total_unit']} on {per}-GPU nodes is read as "
                f"{f['total_amount'] * per:g} GPU-{'days' if days else 'hours'}"
            )
            f["total_from"] = (f["total_amount"], per)  # for a step line that shows it
            f["total_amount"] *= per
            f["total_unit"] = f"GPU-{'days' if days else 'hours'}"
        return


_ONE = r"(?:one|a|an|each|1|every)"


def _per_pair(before: str, t: str) -> tuple[int, str] | None:
    """'one basin for one year takes …': both items counted elsewhere ('six river basins',
    'every year from 2019 through 2025'); their product and how it was read."""
    m = re.search(
        rf"\b{_ONE}\s+([a-z]{{3,}}?)s?\s+(?:for|in|over|of|per|and)\s+{_ONE}\s+([a-z]{{3,}}?)s?\s+"
        r"(?:takes?|needs?|costs?|uses?|is|runs?|comes to)\b[^.;]{0,15}$",
        before,
    )
    if m is None:
        return None
    counts = []
    for noun in (m.group(1), m.group(2)):
        if noun == "year" and (span := _YEARS.search(t)):
            counts.append((int(span.group(2)) - int(span.group(1)) + 1, "years"))
        elif (c := count_of(noun, t)) is not None:
            counts.append((int(num(c.group(1))), f"{noun}s"))
    if len(counts) != 2 or min(n for n, _ in counts) < 1:
        return None
    said = " × ".join(f"{n} {w}" for n, w in counts)
    return counts[0][0] * counts[1][0], said


_YEARS = re.compile(r"\b((?:19|20)\d\d)\s*(?:through|thru|to|until|-|–)\s*((?:19|20)\d\d)\b")
