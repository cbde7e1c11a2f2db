"""What a column's header says about its cells: the unit named in it ("Allocated (k SUs)"),
a scale in front of that unit, whether it heads identifiers ("JobID"); and run times written
"06:42:18" as a scheduler does."""

from __future__ import annotations

import re
from typing import Any

CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP"}
# Units a header may carry: "amount (GPU-hours)", "cost [USD]", or a suffix such as credits_usd.
_HEADER_UNIT = re.compile(r"[(\[]\s*([^)\]]+?)\s*[)\]]\s*$")
# Header words that are units wherever they stand ("SUs Awarded", "Allocated USD").
_WORD_UNITS = {
    "sus": "SUs",
    "su": "SUs",
    "usd": "USD",
    "dollars": "USD",
    "tb": "TB",
    "gb": "GB",
    "eur": "EUR",
}
_WORD_UNITS |= {"euros": "EUR", "gbp": "GBP"}
_SUFFIX_UNITS = {"usd": "USD", "dollars": "USD", "hours": "hours", "hrs": "hours", "pct": "%"}


def header_unit(name: str) -> str:
    """A unit named by the header itself, or ''."""
    m = _HEADER_UNIT.search(name)
    # "(in unit)" points at a Unit column and "(DD.MM.YYYY)" is a date format: neither is a unit
    if m and not re.fullmatch(r"in (?:the )?units?|[dmy./\- ]+", m.group(1).strip(), re.I):
        return m.group(1).strip()
    words = re.split(r"[_\s-]+", name.strip())
    lows = [w.lower() for w in words]
    for k, w in enumerate(lows):
        if w in ("hours", "hrs") and k:
            return f"{words[k - 1]} hours"  # "GPU Hours", "Node Hours Awarded": the kind of hour
        if w in ("h", "hr") and k and lows[k - 1] in ("gpu", "node", "core", "cpu"):
            return f"{words[k - 1]} hours"  # "Granted Basalt GPU-h"
    for w in reversed(lows):
        if w in _WORD_UNITS and len(words) > 1:
            return _WORD_UNITS[w]  # "SUs Awarded", "Allocated USD"
    return _SUFFIX_UNITS.get(lows[-1], "") if len(words) > 1 else ""


# A header unit with a scale in front: "k SUs", "$K", "thousands of USD", "'000 GPU-hours"
# ("km", "kWh", "MB" and "min" are units of their own, so a letter scale needs a space after it).
_HEADER_SCALE = re.compile(
    r"^(?:(?P<s1>k|m)\s+(?P<b1>[a-z$].*)|(?P<s2>thousands?|millions?)(?:\s+of)?\s+(?P<b2>\S.*)"
    r"|(?P<s3>'?000s?)\s*(?P<b3>[a-z$].*)|(?P<cur>[$€£])\s*(?P<s4>k|m|mm)"
    r"|(?P<code>usd|eur|gbp)\s*(?P<s5>k|m|thousands?|millions?))$",
    re.I,
)


def header_scale(unit: str) -> tuple[int, str] | None:
    """(1000, 'SUs') for 'k SUs', (1000, 'USD') for '$K'; None when the unit has no scale."""
    m = _HEADER_SCALE.match(unit.strip())
    if m is None:
        return None
    g = m.groupdict()
    scale = next(g[k] for k in ("s1", "s2", "s3", "s4", "s5") if g[k])
    base = (
        g["b1"] or g["b2"] or g["b3"] or CURRENCIES.get(g["cur"] or "", (g["code"] or "").upper())
    )
    base = CURRENCIES.get(base.strip(), base.strip())  # "k $" is thousands of USD
    factor = 1_000_000 if scale.lower().startswith("m") else 1000
    return factor, base


def times_scale(value: Any, factor: int) -> int | float:
    """A cell's number times the header's scale: whole numbers stay whole."""
    out = round(float(value) * factor, 6)
    return int(out) if out.is_integer() else out


_CLOCK = re.compile(r"^(?:(\d+)-)?(\d{1,3}):([0-5]\d):([0-5]\d)$")


def clock_hours(text: str) -> float | None:
    """'06:42:18' → 6.705, '1-02:30:00' → 26.5 (days-hours:minutes:seconds); None otherwise."""
    m = _CLOCK.match(text.strip())
    if m is None:
        return None
    days, h, mi, sec = (int(g) if g else 0 for g in m.groups())
    return round(days * 24 + h + mi / 60 + sec / 3600, 4)


# An identifier header written in camel case: "JobID", "ProjectId".
CAMEL_ID = r"[a-z](?:ID|Id)$"
# Headers of a column of identifiers: "ID", "Job ID", "JobID", "request_id", "Award No.".
ID_HEADER = re.compile(r"(?:^|[\s_#])(?i:id|no\.?)$|" + CAMEL_ID)
