"""Course sizes said group by group: sections listed with their own counts ("35 students in
section 001, 40 in section 002"), lab groups with their own weekly hours ("Group A has 30
students, each works 2 hours per week … Group B are 20 students with 4 hours per week").
courses.py adds up `section_sizes` with its other section sizes and calls `read_groups`.
"""

from __future__ import annotations

import re
from typing import Any

from app.plan.figures import num

_IN_SECTION = re.compile(r"(?<![\w.])(\d+)\s+(?:students\s+)?in\s+section\s+[a-z0-9]{1,4}\b")
# "Sec 001  28": a section's code, then its size, one per line of a pasted list
_SECTION_LINE = re.compile(
    r"\bsec(?:tion)?\.?\s*[a-z]?\d{1,3}[a-z]?\s*[:|,-]?\s+(\d{1,3})(?![\d.:])"
)
_GROUP_HOURS = re.compile(
    r"\bgroup\s+[a-z0-9]{1,2}\s+(?:has|have|are|is|with|of)\s+(\d+)\s+students\b[^.]{0,60}?"
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h)\s+(?:per|a|each)\s+week"
)


def section_sizes(t: str) -> list[str]:
    """Each section's size, said one by one ("35 in section 001", a "Sec 001  28" line)."""
    return _IN_SECTION.findall(t) or _SECTION_LINE.findall(t)


def read_groups(t: str, f: dict[str, Any]) -> None:
    """Students and weekly hours added up over lab groups the text sizes one by one."""
    groups = [(num(s), num(h)) for s, h in _GROUP_HOURS.findall(t)]
    if len(groups) >= 2:
        students = sum(s for s, _ in groups)
        weekly = sum(s * h for s, h in groups)
        f["students"], f["hours_per_week"] = int(students), weekly / students
        said = " + ".join(f"{s:g} × {h:g} h" for s, h in groups)
        f["assumed"].append(
            f"groups of {said} a week are read as {f['students']} students at "
            f"{f['hours_per_week']:g} h a week on average"
        )
