"""Course time that changes over the term: a week-by-week schedule, or a table of offerings.

courses.py reads one figure each of students, hours a week and weeks. Some courses give their
use in parts instead ("weeks 1-4: 2 h a week; weeks 5-12: 4 h a week", or a pasted table with a
row per term). The parts are added up here, and the course is then described by the same three
figures, so the estimate's arithmetic stays students × hours a week × weeks.
"""

from __future__ import annotations

import re
from typing import Any

from app.plan.figures import hours_of

# "weeks 1-4:", "week 13 -", "wk 5 to 12"
_WEEKS = re.compile(
    r"\b(?:weeks?|wks?)\s+(\d+)(?:\s*(?:-|–|to|through|until)\s*(?:weeks?\s+)?(\d+))?\b"
)
_HOURS = re.compile(
    r"(\d+(?:\.\d+)?)[\s-]*(?:gpu[- ]?)?(hours?|hrs?|hr|h|minutes?|mins?)\b[^;\n]{0,30}?"
    r"(?:\b(?:a|per|each|every)\s+week\b|/\s*(?:student\s*/\s*)?(?:wk|week)\b)"
)
_NONE = re.compile(r"\bno (?:gpus?|compute)\b|\bnot? (?:using|use) (?:the |a )?gpus?\b")


# "the first 4 weeks …, then 8 weeks …": a run of weeks counted, not numbered
_SPAN = re.compile(
    r"\b(?:the\s+)?(?:first|next|last|final|remaining|following|other|then)\s+(\d+)\s+(?:weeks|wks)\b"
    r"|^\s*(?:then\s+)?(\d+)\s+(?:weeks|wks)\b"
)


def _segments(text: str) -> list[tuple[int, float]]:
    """(weeks, hours a week) for each schedule line that names its weeks and their use."""
    found = []
    # lines, clauses or sentences; ", then …" starts a part too
    for line in re.split(r"[\n;]|\.\s|,\s*(?=then\b|and then\b|after that\b)", text.lower()):
        weeks = _WEEKS.search(line)
        if weeks is None:
            if (span := _SPAN.search(line)) is None:
                continue
            n = int(span.group(1) or span.group(2))
            rest = line[span.end() :]
            if said := list(_HOURS.finditer(rest)):
                found.append((n, sum(hours_of(m.group(1), m.group(2)) for m in said)))
            continue
        first, last = int(weeks.group(1)), int(weeks.group(2) or weeks.group(1))
        if last < first:
            continue
        rest = line[weeks.end() :]
        # "a 2-hour lab per week plus about 1 hour of homework per week": both count
        if said := list(_HOURS.finditer(rest)):
            found.append((last - first + 1, sum(hours_of(m.group(1), m.group(2)) for m in said)))
        elif _NONE.search(rest):
            found.append((last - first + 1, 0.0))
    return found


def _schedule(text: str, f: dict[str, Any]) -> bool:
    """'weeks 1-4: 2 h per student per week; weeks 5-12: 4 h': the weeks' use added up."""
    parts = _segments(text)
    used = [(n, h) for n, h in parts if h > 0]
    if len(parts) < 2 or not used:
        return False
    weeks = sum(n for n, _ in used)
    total = sum(n * h for n, h in used)
    f["weeks"], f["hours_per_week"] = float(weeks), total / weeks
    listed = " + ".join(f"{n} × {h:g} h" for n, h in used)
    f["assumed"].append(
        f"the schedule's weeks ({listed}) are read as {total:g} h per student over {weeks} weeks"
    )
    return True


_STUDENTS = re.compile(r"enrol|students|learners|participants|class size|seats|headcount")
_PER_WEEK = re.compile(r"(?:hours?|hrs?|\bh\b|gpu-h).*(?:week|wk)|(?:week|wk).*(?:hours?|hrs?)")
_WEEKS_COL = re.compile(r"^\s*(?:teaching\s+|lab\s+|course\s+)?(?:weeks|wks|# ?weeks)\s*$")


def _cells(line: str) -> list[str]:
    """A table row's cells: split on tabs, pipes or commas."""
    sep = "\t" if "\t" in line else "|" if "|" in line else ","
    return [c.strip() for c in line.strip().strip("|").split(sep)]


def _number(cell: str) -> float | None:
    """A cell's number, if it holds one ('40', '~2', '2.5 h')."""
    m = re.search(r"(?<![\w.])(\d+(?:\.\d+)?)", cell.replace(",", ""))
    return float(m.group(1)) if m else None


_SECTIONS = re.compile(r"^(?:number of |no\.? of |# ?)?sections?$")


def _term_table(text: str, f: dict[str, Any]) -> bool:
    """A pasted table with a row per term: enrolled × hours a week × weeks, summed over rows."""
    lines = [line for line in text.splitlines() if line.strip()]
    for at, line in enumerate(lines):
        head = [c.lower() for c in _cells(line)]
        if len(head) < 3:
            continue
        who = next((i for i, c in enumerate(head) if _STUDENTS.search(c)), None)
        rate = next((i for i, c in enumerate(head) if _PER_WEEK.search(c)), None)
        span = next((i for i, c in enumerate(head) if _WEEKS_COL.match(c)), None)
        if who is None or rate is None or span is None or len({who, rate, span}) < 3:
            continue
        # "Sections | Enrolled per section": the students of a row are sections × enrolled
        groups = next((i for i, c in enumerate(head) if _SECTIONS.match(c)), None)
        per_group = groups is not None and bool(re.search(r"\bper\s+section\b", head[who]))
        rows = []
        for row in lines[at + 1 :]:
            cells = _cells(row)
            if len(cells) != len(head):
                break
            s, h, w = (_number(cells[i]) for i in (who, rate, span))
            if not (s and h and w):  # a blank, a word or a zero ends the table
                break
            if per_group and groups is not None and (k := _number(cells[groups])):
                s *= k
            rows.append((s, h, w))
        if not rows:
            continue
        students = sum(s for s, _, _ in rows)
        weeks = max(w for _, _, w in rows)
        total = sum(s * h * w for s, h, w in rows)
        f["students"], f["weeks"] = int(students), float(weeks)
        f["hours_per_week"] = total / (students * weeks)
        f.pop("runs", None)  # each row is an offering already counted here
        listed = " + ".join(f"{s:g} × {h:g} h × {w:g} weeks" for s, h, w in rows)
        f["assumed"].append(f"the table's rows ({listed}) are read as {total:g} student-hours")
        return True
    return False


_DAY = re.compile(r"^\W*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\b(.*)$")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?)\b")


def _timetable(text: str, f: dict[str, Any]) -> bool:
    """'Mon - 90 min GPU lab / Wed - 90 min GPU lab / Fri - lecture only': a week's GPU time
    is the sum of its days."""
    days = [m for line in text.lower().splitlines() if (m := _DAY.match(line.strip()))]
    used = [
        (d.group(1), hours_of(x.group(1), x.group(2)))
        for d in days
        if (x := _LENGTH.search(d.group(2))) and not _NONE.search(d.group(2))
    ]
    if len(days) < 2 or not used:
        return False
    f["hours_per_week"] = sum(h for _, h in used)
    listed = " + ".join(f"{day} {h:g} h" for day, h in used)
    f["assumed"].append(f"the timetable ({listed}) is read as {f['hours_per_week']:g} h a week")
    return True


_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?s?"
_DAYS_SAID = re.compile(
    rf"\b(?:every|each|on)\s+({_WEEKDAY}(?:\s*(?:,|and|&)\s*{_WEEKDAY})*)\b[^.;\n]{{0,30}}?"
    r"(\d+(?:\.\d+)?)[\s-]*(hours?|hrs?|h|minutes?|mins?)\b(?:\s+each)?"
)


def _weekdays(text: str, f: dict[str, Any]) -> bool:
    """'labs every Tuesday and Thursday, 90 minutes each': the days a week × a session."""
    if "hours_per_week" in f or not (m := _DAYS_SAID.search(text.lower())):
        return False
    days = len(re.findall(_WEEKDAY, m.group(1)))
    session = hours_of(m.group(2), m.group(3))
    f["hours_per_week"] = days * session
    f["assumed"].append(
        f"{days} days a week × {session:g} h is read as {days * session:g} h a week"
    )
    return True


def read_schedule(text: str, f: dict[str, Any]) -> None:
    """A course's use given in parts: a week-by-week schedule, a row per term, a timetable or
    named weekdays."""
    if _term_table(text, f) or _schedule(text, f) or _timetable(text, f) or _weekdays(text, f):
        f.pop("hours_per_run", None)  # a course's time is its weekly use, not one run
