"""How a course is given beyond students × hours × weeks: how often it is taught, how students
share GPUs (or use several), and CPU cores per student session. courses.py calls these once the
weekly figures are read."""

from __future__ import annotations

import re
from typing import Any

from app.plan.figures import LEARNER, N, first, num

_LEARNER = LEARNER[:-1] + r"|teacher)"  # a teachers' workshop gives each teacher time


def read_cores(t: str, f: dict[str, Any]) -> None:
    """'each student runs a 2-core notebook': CPU cores per student session."""
    if m := first(
        r"(\d+)[- ](?:cpu[- ])?cores?\s+(?:jupyter\s+)?(?:notebook|session|vm|instance|container|"
        r"job|environment|server)s?\b",
        t,
    ):
        f["cpu_cores"] = int(num(m.group(1)))


def read_sharing(t: str, f: dict[str, Any]) -> None:
    """Students working in pairs or groups on one GPU: the GPU-hours are divided among them;
    a student using several GPUs at once multiplies them."""
    several = first(
        r"\b(?:each|every)\s+" + _LEARNER
        + r"\s+(?:uses|gets|has|needs|works on|runs\s+[^.;]{0,40}?\bon)\s+" + N
        + r"\s+gpus\b",
        t,
    )  # fmt: skip
    if several is not None and (n := int(num(several.group(1)))) > 1:
        f["gpus_per_student"] = n
        return
    # "12 teams of 4 students each. Each team gets 2 GPUs": 2 students to a GPU
    teams = first(r"\b(?:teams|groups)\s+of\s+" + N + r"\s+(?:students|learners|participants)\b", t)
    per_team = first(
        r"\beach\s+(?:team|group)\s+(?:gets|has|uses|shares|receives)\s+" + N + r"\s+gpus\b", t
    )
    if teams and per_team:
        size, gpus = int(num(teams.group(1))), int(num(per_team.group(1)))
        if gpus and size % gpus == 0 and size // gpus > 1:
            f["students_per_gpu"] = size // gpus
            return
    group = first(
        r"\b(?:in|into|teams:?)\s+(pairs|trios|groups of " + N + r"|teams of " + N + r")\b", t
    )
    one_each = first(
        r"\b(?:1|one)\s+gpu\s+(?:per|for each|each)\s+(?:pair|trio|group|team)\b"
        r"|\b(?:each|every)\s+(?:pair|trio|group|team)\s+(?:shares|sharing)\s+(?:1|one|a)\s+"
        r"(?:single\s+)?gpu\b",
        t,
    )
    if group and one_each:
        size = {"pairs": 2, "trios": 3}.get(group.group(1)) or int(num(group[2] or group[3]))
        if size > 1:
            f["students_per_gpu"] = size
    # "3 students share one GPU"
    elif (
        m := first(
            N + r"\s+(?:students|learners|participants|people)\s+share\s+(?:1|one|a)\s+gpu\b", t
        )
    ) and (size := int(num(m.group(1)))) > 1:
        f["students_per_gpu"] = size


def read_offerings(t: str, f: dict[str, Any]) -> None:
    """A course taught more than once ("runs twice this academic year") counts each time."""
    f.pop("runs", None)  # a course's "runs" are its offerings, read here or not at all
    # "offered in both fall and spring", "taught every autumn and spring": two offerings.
    seasons = r"(?:fall|autumn|spring|summer|winter)"
    # "we teach it in autumn, winter and spring": three offerings
    listed = first(
        r"\b(?:offered|taught|teach\s+it|run|given|held)\s+(?:in|every|each)\s+(" + seasons
        + r"(?:\s*,\s*" + seasons + r")+,?\s+and\s+" + seasons + r")\b",
        t,
    )  # fmt: skip
    if listed:
        f["runs"] = len(re.findall(seasons, listed.group(1)))
        f["assumed"].append(f"the course is taught in {f['runs']} terms; each offering is counted")
        return
    if first(
        r"\b(?:offered|taught|run|given|held|both|every|each)\s+(?:in\s+)?(?:both\s+)?(?:the\s+)?"
        + seasons
        + r"\s+and\s+(?:the\s+)?"
        + seasons
        + r"\b",
        t,
    ):
        f["runs"] = 2
        f["assumed"].append("the course is taught in two terms; each offering is counted")
        return
    m = first(
        # "run three times over the year", "we offer the series 2 times"
        r"\b(?:runs?|running|offer\w*|taught|teach|given|held|holding|hosting|make it|do it|"
        r"repeat it)\s+(?:[\w-]+\s+){0,4}?" + N + r"\s*times\b"
        r"|" + N + r"\s*times\s+(?:this|a|per|each|every)\s+(?:academic\s+)?year"
        # "offerings: spring and fall (2 in the allocation year)", "2 offerings"
        r"|\bofferings?\s*[:=][^.;:]{0,40}?" + N + r"(?!\s*(?:students|weeks|hours|h)\b)"
        r"|" + N + r"\s+(?:[\w-]+\s+){0,2}?offerings\b",  # "three one-week offerings"
        t,
    )
    if m and (n := int(num(next(g for g in m.groups() if g)))) > 1:
        f["runs"] = n
        f["assumed"].append(f"the course is taught {n} times; each offering is counted")
        return
    # "two camp sessions (July and August), each with 24 campers": each session is an offering
    held = first(
        N + r"\s+(?:[\w-]+\s+)?(?:sessions|cohorts|offerings|runs)\b[^.;]{0,40}?\beach\s+with\s+"
        r"\d+\s+(?:[\w-]+\s+)?(?:students|campers|participants|learners|attendees|trainees)\b",
        t,
    )
    if held and (n := int(num(held.group(1)))) > 1:
        f["runs"] = n
        f["assumed"].append(f"{n} sessions, each with its own learners, are read as {n} offerings")
        return
    # "Each workshop: 30 attendees …" beside "four one-day workshops": the events are offerings.
    each = first(r"\beach\s+(workshop|bootcamp|camp|cohort|offering|run)\b", t)
    c = first(N + r"\s+(?:[\w-]+\s+){0,3}?" + each.group(1) + r"s\b", t) if each else None
    if each and c and (n := int(num(c.group(1)))) > 1:
        f["runs"] = n
        f["assumed"].append(f"{n} {each.group(1)}s are read as {n} offerings")
