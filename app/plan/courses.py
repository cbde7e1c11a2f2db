"""Courses in workload text: students, hours per student per week, weeks, offerings.

amounts.py reads how much research work there is; this module reads how much teaching there
is, from normalised text (numbers as digits), into the workload dict it is given.
"""

from __future__ import annotations

import re
from typing import Any

from app.plan.figures import LEARNER, RATE, N, first, hours_of, num
from app.plan.groups import read_groups, section_sizes
from app.plan.offerings import read_cores, read_offerings, read_sharing


def read_course(t: str, f: dict[str, Any]) -> None:
    """Students × hours per week × weeks."""
    people = r"(?:students|learners|participants|trainees|attendees|campers)"
    sections = r"\s*(?:[\w-]+\s+)?(?:sections?|classes|cohorts|groups|teams)\s+(?:of|with)\s+"
    # "three sections: two of 35 students and one of 20": sections of different sizes add up.
    sized = [
        (num(a), num(b))
        for a, b in re.findall(
            r"(?<![\w.])(\d+)\s+(?:(?:sections?|groups?|cohorts?)\s+)?of\s+(\d+)\b", t
        )
    ]
    # "two sections (32 and 28 students)": the sizes listed.
    in_brackets = first(
        r"\b(?:sections|groups|cohorts|classes)\s*\(\s*((?:\d+\s*,\s*)*\d+\s*(?:and|&)\s*\d+)\s+"
        r"(?:students|learners|participants)\)",
        t,
    )
    # "two sections: a morning one with 32 students and an evening one with 28": one size
    # said for each section.
    split = first(r"(?<![\w.])(\d+)\s+(?:sections|cohorts|groups|classes)\b([^.]{0,160})", t)
    each_with = (
        [num(x) for x in re.findall(r"\b(?:with|has|have)\s+(\d+)\b", split.group(2))]
        if split
        else []
    )
    said_list = r"\bwith\s+((?:\d+\s*,\s*)+\d+,?\s*(?:and|&)\s*\d+)"  # "with 40, 35 and 25"
    if split and (sizes_said := re.search(said_list, split[2])):
        each_with = [num(x) for x in re.findall(r"\d+", sizes_said.group(1))]
    # "Section A has 35 students and section B has 30", "… cap 32 …" on each course line:
    # each section's own size, added up
    named = re.findall(r"\bsection\s+[a-z0-9]{1,3}\s*(?:has|have|with|of|[:=(])\s*(\d+)\b", t)
    caps = re.findall(r"\b(?:cap|capacity|seats|enrol+ment|enrol+ed)\s*[:=]?\s*(\d+)\b", t)
    # each section's own size, the first way the text gives two or more of them
    given = [x for x in (named, caps, section_sizes(t)) if len(x) >= 2]
    own = [num(x) for x in (given[0] if given else [])]
    if own:
        f["students"] = int(sum(own))
        said = " + ".join(f"{x:g}" for x in own)
        f["assumed"].append(f"sections of {said} students are read as {f['students']}")
    elif split and len(each_with) == num(split.group(1)) >= 2:
        f["students"] = int(sum(each_with))
        said = " + ".join(f"{x:g}" for x in each_with)
        f["assumed"].append(f"sections of {said} students are read as {f['students']}")
    elif in_brackets:
        sizes = [num(x) for x in re.findall(r"\d+", in_brackets.group(1))]
        f["students"] = int(sum(sizes))
        listed_sizes = " + ".join(f"{x:g}" for x in sizes)
        f["assumed"].append(f"sections of {listed_sizes} students are read as {f['students']}")
    elif len(sized) >= 2 and re.search(r"\b(?:sections|groups|cohorts|classes)\b", t):
        f["students"] = int(sum(a * b for a, b in sized))
        listed = " + ".join(f"{a:g} × {b:g}" for a, b in sized)
        f["assumed"].append(f"sections of {listed} students are read as {f['students']}")
    elif m := first(N + sections + N + r"\s*" + people + r"(?:\s+(?:in\s+)?each)?", t):
        f["students"] = int(num(m.group(1)) * num(m.group(2)))  # "two sections of 30"
    elif m := first(N + r"\s*(?:[\w'-]+\s+)?" + people, t) or first(
        # "we are having 120 learner": a count before the singular noun.
        r"(?<![\w.])([2-9]|\d{2,})\s+(?:student|learner|participant|trainee|attendee)\b(?![- ])",
        t,
    ):
        f["students"] = int(num(m.group(1)))
    elif m := first(
        N + r"[- ](?:student|learner|participant|trainee)\s+(?:class|course|cohort)", t
    ):
        f["students"] = int(num(m.group(1)))  # "a 60-student class"
    elif (
        m := first(
            N + r"\s+(?:[\w-]+\s+)?(?:people|persons|of you)\s+(?:are\s+)?(?:enrolled|registered|"
            r"signed up|taking it)",
            t,
        )
        or first(r"(?<![\w.])(\d+)\s+(?:of\s+)?you\b", t)  # "a dozen of you, 3 hours a week"
        or first(  # "12 high-school teachers per cohort": whoever fills a cohort is taught
            N + r"\s+(?:[\w'-]+\s+){0,2}?[a-z]{3,}s\s+(?:per|in each|each)\s+(?:cohort|section|"
            r"offering|class|group|workshop|session)\b",
            t,
        )
        or first(  # "12 teachers will attend": whoever attends is taught
            N + r"\s+(?:[\w-]+\s+)?[a-z]{3,}s\s+(?:will\s+|would\s+|are going to\s+)?"
            r"(?:attend|enrol|enroll|register|sign up|take (?:the|this|our) (?:course|class))\b",
            t,
        )
    ):
        f["students"] = int(num(m.group(1)))  # "eighteen people enrolled"
    elif (
        m := first(r"(?<![\w.])(\d+)\s+(?:are\s+|were\s+)?enrolled\b", t)
        # "nine enrolled" counts before the word; "Enrollment is capped at 45" after it
        or _enrolment(t)
        or first(  # a form's "Students: up to 18 per term"
            r"\b(?:students|learners|participants|attendees)\s*[:=]\s*"
            r"(?:up to\s+|about\s+|~|at most\s+)?" + N,
            t,
        )
    ):
        f["students"] = int(num(m.group(1)))  # "Enrollment is capped at 45"
    elif m := first(
        r"\bfor\s+" + N + r"\s+(?:[\w-]+\s+){0,2}(?:teachers|people|researchers|"
        r"staff|nurses|clinicians|employees|members|engineers|scientists)\b",
        t,
    ):
        f["students"] = int(num(m.group(1)))  # "a bootcamp for 30 high-school teachers"
    elif f.get("task") == "classroom" and (
        m := first(
            N + r"\s+(?:[\w'-]+\s+){0,2}?(?:teachers|nurses|clinicians|librarians|researchers|"
            r"engineers|scientists|employees|fellows|interns|residents|analysts)\b",
            t,
        )
    ):
        f["students"] = int(num(m.group(1)))  # "a workshop for teachers: a dozen teachers"
    every = r"(?:per|a|each|every)\s+"
    hw = N + r"\s*(?:gpu[- ]?)?(hours?|hrs?|h|minutes?|mins?)\s*"
    hw += r"(?:(?:of\s+(?:\w+\s+){1,3})?(?:in\s+)?" + every
    hw += r"(?:(?:" + LEARNER + r"|team|group|pair)\s+(?:" + every  # "6 hours per team each week"
    hw += r"|in\s+(?:a|each)\s+))?week|weekly|/\s*(?:week|wk)\b"
    hw += r"|(?=\s*x\s*\d+(?:\.\d+)?[- ]?weeks?\b))"  # "30 students x 2 hours x 16 weeks"
    session = r"(?:sessions?|labs?|classes|class|meetings?|lectures?|workshops?)"
    weekly = first(N + r"\s+weekly\s+" + session, t)  # "eight weekly sessions"
    length = (
        first(
            r"(?:(?:each|every|per|one)\s+(?:[\w-]+\s+)?" + session + r"|" + session + r"\s+are)"
            r"\s+(?:is|lasts|last|runs|of|takes)?\s*"
            r"(?:about\s+|roughly\s+|~)?" + N + r"\s*(hours?|hrs?|h|minutes?|mins?)\b",
            t,
        )
        or first(  # "lab of 90 minute two times in a week"
            session + r"\s+of\s+(?:about\s+|~)?" + N + r"\s*(hours?|hrs?|h|minutes?|mins?)\b", t
        )
        or first(  # "they meet in the GPU lab for 90 minutes 2 times a week"
            session + r"\s+for\s+(?:about\s+|~)?" + N + r"\s*(hours?|hrs?|h|minutes?|mins?)\b"
            r"(?=\s+\d+ times (?:in |per |a |each )(?:a |each )?week\b)",
            t,
        )
        or first(
            # "a weekly lab of 1 hour"
            r"\bweekly\s+(?:[\w-]+\s+)?"
            + session
            + r"\s+of\s+(?:about\s+|~)?"
            + N
            + r"\s*(hours?|hrs?|h|minutes?|mins?)\b",
            t,
        )
        or first(
            # "90 minutes per lab", "a 90-minute hands-on session per week"
            N
            + r"\s*[- ]?(hours?|hrs?|h|minutes?|mins?)\s+(?:[\w-]+\s+){0,4}?(?:(?:per|a|each)\s+)?"
            + session
            + r"\b",
            t,
        )
    )
    # "3 sessions a week", "three 90-minute GPU lab sessions per week"
    # "the lab meets once a week for 90 minutes": a session a week of that length.
    meets = first(
        session
        + r"\s+(?:meets|runs|is held)\s+(?:once\s+)?(?:a|per|each|every)\s+week\s+for\s+"
        + N
        + r"\s*(hours?|hrs?|h|minutes?|mins?)\b",
        t,
    )
    days = first(
        r"\b(?:meets?|runs?|held|is held)\s+(?:on\s+)?" + N + r"\s+(?:mondays|tuesdays|wednesdays|"
        r"thursdays|fridays|saturdays|sundays|evenings|weekends)\b",
        t,
    )
    each_time = first(
        N + r"\s*(hours?|hrs?|h|minutes?|mins?)\s+(?:each|every|per)\s+"
        r"(?:time|session|meeting|day)\b",
        t,
    )
    per_week = (
        first(N + r"\s+(?:[\w-]+\s+){0,3}?" + session + r"\s+(?:a|per|each)\s+week", t)
        or first(  # "a lab of 90 minutes two times in a week"
            r"(?<![\w.])(\d+) times (?:in |per |a |each )(?:a |each )?week\b", t
        )
        or first(
            r"\b(?:each|every|per|a) week\b[^.;]{0,40}?" + N + r"\s+(?:[\w-]+\s+){0,3}?" + session,
            t,
        )
    )
    once_a_week = first(
        session
        + r"\s+(?:once\s+)?(?:a|per|each|every)\s+week|\bweekly\s+"
        + session
        # "labs are 3 hours, once a week"
        + r"|\b"
        + session
        + r"\s+(?:are|is)\b[^.;]{0,30}?\bonce\s+(?:a|per|each|every)\s+week",
        t,
    )
    if m := first(hw, t):
        f["hours_per_week"] = hours_of(m.group(1), m.group(2))
        f.pop("hours_per_run", None) if f.get("task") == "classroom" else None
    elif f.get("task") != "classroom":
        pass  # session lengths and hours a day below describe courses only
    elif meets:
        f["hours_per_week"] = hours_of(meets.group(1), meets.group(2))
    elif length and first(session + r"\b[^.;]{0,40}?\b(?:every|each)\s+weekday\b", t):
        # "a two-hour hands-on lab every weekday": five sessions a week (class days are
        # weekdays unless stated)
        hours = hours_of(length.group(1), length.group(2))
        f["hours_per_week"] = hours * 5
        f["assumed"].append(f"a {hours:g} h session every weekday is read as 5 a week")
    elif days and each_time:
        # "meets on 12 Saturdays, 4 hours each time": one session a week for 12 weeks
        f["hours_per_week"] = hours_of(each_time.group(1), each_time.group(2))
        f.setdefault("weeks", num(days.group(1)))
        f["assumed"].append(f"{f['weeks']:g} meetings are read as one a week")
    elif length and (
        weekly or per_week or once_a_week or "weekly" in t or re.search(r"\bonce a week\b", t)
    ):
        # "90 minutes per lab, one lab a week": a session's length × sessions a week.
        hours = hours_of(length.group(1), length.group(2))
        f["hours_per_week"] = hours * (num(per_week.group(1)) if per_week else 1)
    elif m := first(
        N
        + r"\s*(hours?|hrs?|h|minutes?|mins?)\s+(?:of\s+(?:[\w-]+\s+){1,3})?"
        + r"(?:per\s+"
        + LEARNER
        + r"\s+)?(?:per|a|each|on each|every)\s+day",
        t,
    ) or first(
        r"\b(?:every|each) (?:week)?day\b[^.;]{0,60}?"
        + N
        + r"[\s-]*(hours?|hrs?|h|minutes?|mins?)\b",
        t,
    ):
        # "6 hours of lab per day" in a week of classes: the days are weekdays unless stated.
        days = first(N + r"[- ]days?\b", t)
        n = num(days.group(1)) if days else 5.0
        weekdays = first(r"monday (?:to|through|-) friday", t)
        if not days and weekdays and "weeks" not in f and first(r"\b(?:one|1|a)[- ]week\b", t):
            f["weeks"] = 1.0  # "Monday to Friday of one week"
        if days and n <= 7 and not first(N + r"[- ]?(?:weeks?|wks?)\b", t):
            f["weeks"] = 1.0  # a two-day event is one week of use
        daily = hours_of(m.group(1), m.group(2))  # "90 min each day"
        f["hours_per_week"] = daily * n
        if not days:
            f["assumed"].append(f"{daily:g} h a day is read as 5 days a week")
    weekly_use = "hours_per_week" in f  # read as a weekly figure, not from a total
    if f.get("task") == "classroom" and "hours_per_week" not in f:
        _per_learner_total(t, f)
    weekly_run = once_a_week and f.get("hours_per_run")
    if f.get("task") == "classroom" and "hours_per_week" not in f and weekly_run:
        # "during the weekly lab each student uses a GPU for 2 h"
        f["hours_per_week"] = f["hours_per_run"]
        f["assumed"].append(f"one session a week of {f['hours_per_run']:g} h is read")
    if f.get("task") == "classroom" and "hours_per_week" in f:
        f.pop("hours_per_run", None)
    # "the semester is 15 weeks, but only the last 10 weeks have GPU work": the weeks of use.
    only = first(
        r"\bonly\s+(?:during\s+|in\s+)?(?:the\s+)?(?:last|final|first|latter|closing)\s+"
        + N
        + r"\s+(?:[\w-]+\s+)?weeks?\b",
        t,
    )
    if only:
        f["weeks"] = num(only.group(1))
        f["assumed"].append(f"only {f['weeks']:g} weeks use the resource")
    lab_weeks = first(N + r"\s+(?:lab|teaching|class|instruction|instructional)\s+weeks\b", t)
    if "weeks" in f:
        pass
    elif lab_weeks:  # "a 15-week semester; labs in weeks 3-15 only (13 lab weeks)"
        f["weeks"] = num(lab_weeks.group(1))
    elif m := first(
        # "the 12 lab weeks": one describing word may stand before "weeks".
        N + r"[- ]?(?:(?:lab|teaching|class|course|instruction)\s+)?(?:weeks?|wks?)\b"
        r"(?!\s*(?:per(?!\s+(?:term|semester|quarter|offering|course)\b)|"
        r"of(?!\s+(?:instruction|classes|class|teaching|lectures|labs|term|the (?:semester|term|"
        r"quarter|course|year)|(?:project|lab|course|hands-on)\s+work|projects?\b))))",
        t,
    ):
        f["weeks"] = num(m.group(1))
    elif weekly:
        f["weeks"] = num(weekly.group(1))
    if f.get("task") == "classroom":
        read_groups(t, f)
        if weekly_use:
            _extra_total(t, f)
        read_offerings(t, f)
        read_sharing(t, f)
        read_cores(t, f)


# Words that may stand just before an enrolment figure ("capped at 45", "limit 30"); any
# other short word there is a course code ("Enrolment for CS 447").
_BEFORE_SIZE = frozenset({"at", "is", "of", "to", "by", "cap", "about", "around", "limit", "max"})


def _enrolment(t: str) -> re.Match[str] | None:
    """The figure after 'enrolment', 'class size' or 'seats', unless it is a course's code."""
    pattern = (
        r"\b(?:enrollment|enrolment|enrolled|class size|cohort size|seats)\b[^.;\d]{0,25}?" + N
    )
    for m in re.finditer(pattern, t, re.IGNORECASE):
        word = t[: m.start(1)].split()[-1:] or [""]
        if re.fullmatch(r"[a-z]{2,5}", word[0]) and word[0] not in _BEFORE_SIZE:
            continue
        return m
    return None


_LEARNER = LEARNER[:-1] + r"|teacher)"  # a teachers' workshop gives each teacher time


def _learner_total(t: str) -> tuple[float, list[str]] | None:
    """A learner's hours over the whole course ('25 GPU-hours per student'), and how it was read."""
    hours = r"(?:about\s+|roughly\s+|around\s+|approximately\s+|~)?" + N
    # ("8 more hours", "10 extra GPU-hours")
    hours += r"\s*(?:more\s+|extra\s+|additional\s+)?(?:gpu[- ]?)?(?:hours?|hrs?|h)\b"
    hours += r"(?:\s+of\s+(?:[\w-]+\s+){0,2}(?:time|compute))?"
    m = (
        first(hours + r"\s+(?:per|for each|for every|each|a)\s+" + _LEARNER + r"\b", t)
        or first(
            r"\b(?:each|every)(?:\s+\w+){0,3}?\s+(?:will\s+)?(?:gets?|receives?|needs?|uses?|has|have)\s+"
            r"(?:a budget of\s+|an allowance of\s+|up to\s+|around\s+|about\s+|an additional\s+|"
            r"another\s+|an extra\s+)?" + hours,
            t,
        )
        # A form's "Compute per student: 20 GPU-hours for the whole term".
        or first(r"\bper\s+" + _LEARNER + r"\b\s*[:=-]?\s*" + hours, t)
    )
    # "assignment 1: 1 gpu-hour per student … final project: 10 gpu-hours per student", or
    # "gpu-hours per student by month: september 4, october 6": the listed amounts add up.
    listed = [
        num(x.group(1))
        for x in re.finditer(r"[a-z][\w -]{0,30}:\s*" + hours + r"\s+(?:per|for each|each)\s+"
                             + _LEARNER + r"\b", t)
    ]  # fmt: skip
    by = first(
        r"\bper\s+" + _LEARNER + r"\s+(?:by|per|each)\s+(?:month|week|assignment|term|quarter|"
        r"phase|unit|module)\s*:\s*([^.;]*)",
        t,
    )
    if by:
        listed = [num(x) for x in re.findall(N, re.sub(r"\([^)]*\)", " ", by.group(1)))]
    if len(listed) >= 2:
        total = sum(listed)
        return total, [
            f"the listed amounts per learner ({' + '.join(f'{x:g}' for x in listed)}) add up to "
            f"{total:g} h"
        ]
    if m is None or RATE.match(t, m.end()) or re.match(r"\s*(?:a|per|each)\s+week", t[m.end() :]):
        return None
    return num(m.group(1)), []


def _per_learner_total(t: str, f: dict[str, Any]) -> None:
    """'about 10 GPU hours per student during the week', 'each will get 4 hours': in all."""
    found = _learner_total(t)
    if found is None:
        return
    total, notes = found
    f["assumed"] += notes
    weeks = f.get("weeks") or (
        num(w.group(1)) if (w := first(N + r"[- ]?(?:weeks?|wks?)\b", t)) else 1.0
    )
    f["weeks"] = weeks
    f["hours_per_week"] = total / weeks
    f["assumed"].append(
        f"{total:g} h per learner over the whole course is read as {total / weeks:g} h a week "
        f"for {weeks:g} week{'s' * (weeks != 1)}"
    )


def _extra_total(t: str, f: dict[str, Any]) -> None:
    """Weekly labs plus a project budget ("an additional 10 GPU-hours per student"): both count."""
    extra = first(
        r"\b(?:additional(?:ly)?|in addition|on top|plus|also|project|projects)\b[^.;]{0,60}?"
        + N
        + r"\s*(?:gpu[- ]?)?(?:hours?|hrs?|h)\b(?!\s*(?:a|per|each|every)\s+week)",
        t,
    )
    if not (f.get("weeks") and f.get("hours_per_week")):
        return
    found = None
    if extra is not None:
        said = _learner_total(t[extra.start() :])
        if said is not None and said[0] == num(extra.group(1)):
            found = said  # else the extra figure is not an amount per learner
    if found is None and re.search(r"\b(?:on top of|in addition|as well as|besides)\b", t):
        # "a budget of 25 GPU-hours each, and on top of that a weekly lab": said before
        said = _learner_total(t)
        if said is not None and abs(said[0] - f["hours_per_week"] * f["weeks"]) > 1e-6:
            found = said  # not the weekly hours over the term said again
    if found is None:
        return
    total, weeks = found[0], f["weeks"]
    f["hours_per_week"] += total / weeks
    f["assumed"].append(
        f"{total:g} h more per learner over the course adds {total / weeks:g} h a week to the "
        "weekly labs"
    )
