"""Counts in the workload text that the estimate never used, so the applicant can check them.

The rules read amounts by the shapes people usually write; a count written another way ("six
regional varieties, each trained twice") can be missed, and the estimate then comes out too
small without saying so. This module does not guess what such a count means. It lists every
count of things the text gives that appears nowhere in the estimate, so the plan can ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.plan.figures import N, num
from app.plan.numbers import normalize

UNUSED_NOTE = (
    "Counts in your text that the estimate does not use (if one multiplies the work, say so "
    "and the estimate changes):"
)
# A count of things: a figure, up to two describing words, and a plural noun ("6 regional
# varieties", "3 languages", "4 emission scenarios"); or a repeat ("3 times", "x3").
_COUNT = re.compile(
    N + r"\s+((?:[a-z][\w-]*\s+){0,2}?[a-z][a-z-]*[a-z]s)\b"
    r"|(?<![\w.])(\d+)\s+times\b"
    r"|(?<![\w.])x\s*(\d+)\b(?!\s*\w)"
)
# Words right after a figure that make it a size, a time or a rate rather than a count of work
# items: these are read (or deliberately not needed) by the rules that size the work.
_NOT_COUNT = re.compile(
    r"(?:gb|tb|mb|kb|gib|tib|b|m|bn|k|million|billion|trillion|thousand|hundred|bit|bits|"
    r"percent|per|%|x|"
    r"hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|semesters?|terms?|"
    r"quarters?|nights?|weekends?|"
    r"[\w-]*param\w*|[\w-]*parameters?|tokens?|bytes?|[a-z]*bytes|pages?|words?|characters?|"
    r"[a-z]*-(?:gb|hours?|days?|bit|core|node|gpu|way|billion|million|parameter|param)\w*|"
    r"gpu-hours?|node-hours?|core-hours?|sus?|credits?|dollars?|usd)$"
)
# Counts of people or outputs do not multiply compute (their number is context).
_CONTEXT = re.compile(
    r"(?:authors?|co-?authors?|pis?|co-pis?|investigators?|postdocs?|colleagues?|members?|"
    r"people|persons?|staff|papers?|publications?|articles?|grants?|universities|institutions?|"
    r"partners?|collaborators?|labs?|teams?|tas|assistants?|instructors?|teachers?|years?|steps?|"
    r"epochs?|references?)$"
)


def _counts(text: str) -> list[tuple[float, str]]:
    """Every count of things in the text, as (value, the figure as written after normalising)."""
    t, _ = normalize(text)
    out: list[tuple[float, str]] = []
    for m in _COUNT.finditer(t):
        if m.group(3) or m.group(4):
            figure = m.group(3) or m.group(4)
            out.append((num(figure), f"{figure} times"))
            continue
        words = m.group(2).split()
        if _NOT_COUNT.fullmatch(words[0]) or _CONTEXT.fullmatch(words[-1]):
            continue
        before = t[max(0, m.start() - 12) : m.start()]
        if re.search(r"(?:\bper|\$|\bv|\bversion|\bno\.|#)\s*$", before):
            continue  # "per 100 images" is a rate, "$40", "v2", "#3" are no counts
        value = num(m.group(1))
        if 1900 <= value <= 2100 and "." not in m.group(1):
            continue  # a year
        out.append((value, f"{m.group(1)} {' '.join(words)}"))
    return out


def _figures(lines: Iterable[str]) -> set[float]:
    """Every number that appears in the estimate's lines (steps, notes, assumptions)."""
    found: set[float] = set()
    for line in lines:
        for m in re.finditer(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", line):
            found.add(float(m.group(0).replace(",", "")))
    return found


def _near(value: float, used: set[float]) -> bool:
    """Whether a value is among the used figures (up to rounding)."""
    return any(abs(value - u) <= 1e-6 * max(1.0, u) for u in used)


def unused_counts(text: str, used_lines: Iterable[str], used_values: Iterable[float]) -> list[str]:
    """Counts of things in the text (other than 1) that no line of the estimate uses."""
    used = _figures(used_lines) | {float(v) for v in used_values}
    found = _counts(text)
    out: list[str] = []
    for i, (value, said) in enumerate(found):
        if value <= 1 or _near(value, used) or said in out:
            continue
        # "3 sections of 35 students" reaches the estimate as 105 students: a count whose
        # product with another count of the text is used, is used.
        if any(_near(value * other, used) for j, (other, _) in enumerate(found) if j != i):
            continue
        out.append(said)
    return out
