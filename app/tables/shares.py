"""Percentage columns ('Used': 96%): 'less than half' and '100% used' as conditions on them.

A share is no amount: it is never added up, and a number with '%' in a question is a
condition on the share column, not on an amount.
"""

from __future__ import annotations

import re

from app.tables.amounts import BILLED, CONSUMED_HEADERS, LEFT_ASKED, named_or_running
from app.tables.spec import Filter
from index.tables import TableInfo

# Fractions said in words, as percentages (general English).
_FRACTIONS = (
    (r"three[- ]quarters", "75%"), (r"half", "50%"), (r"a third", "33%"), (r"a quarter", "25%"),
    (r"all of|the whole of|the whole|their whole|its whole|the full|their full", "100%"),
)  # fmt: skip
_BOUND = re.compile(
    r"(?:more|less|fewer|greater|lower|higher|over|under|above|below|least|most|to|up to|than|"
    r"between|and)\s*$"
)


# A figure written with a percent sign: "100% used", "over 90 %".
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?%")


def share_columns(table: TableInfo) -> list[str]:
    """The numeric columns whose cells were written as percentages."""
    return [c.name for c in table.columns if c.numeric and c.unit == "%"]


# Header words of what was consumed and of what was given: with one of each, a share is the
# first over the second ("over 90% used" in a table with Awarded and Used to date).
_USED_HEADS = CONSUMED_HEADERS | frozenset(BILLED)
_GIVEN_HEADS = frozenset(
    {"awarded", "granted", "allocated", "award", "allocation", "approved", "budget", "quota"}
)


def _head_words(name: str) -> set[str]:
    """The lower-case words of a header."""
    return set(re.findall(r"[a-z]+", name.lower()))


def share_pairs(table: TableInfo) -> list[tuple[str, str]]:
    """(used, given) amount-column pairs a share is computed from, matched by the other words
    of their headers ('Basalt used' with 'Granted Basalt GPU-h') when there are several."""
    amounts = [c.name for c in table.columns if c.numeric and c.unit != "%"]
    used = [n for n in amounts if _head_words(n) & _USED_HEADS]
    given = [n for n in amounts if _head_words(n) & _GIVEN_HEADS and n not in used]
    if len(used) > 1 and len(given) == 1:  # 'Used to Date' and 'Used Mar 2026' of 'Awarded'
        used = named_or_running(used, frozenset(_USED_HEADS), set()) or used
    if len(used) == 1 and len(given) == 1:
        return [(used[0], given[0])]
    out = []
    unit = {c.name: c.unit for c in table.columns}
    for u in used:
        rest = _head_words(u) - _USED_HEADS
        best = [g for g in given if rest & (_head_words(g) - _GIVEN_HEADS)]
        if len(best) > 1:  # 'Used (k SUs)' goes with 'Allocated (k SUs)', not 'Allocated ($K)'
            best = [g for g in best if unit[g] == unit[u]]
        if len(best) == 1:
            out.append((u, best[0]))
    return out


_AWARD = r"(?:their|its|his|her|the|an?)\s+(?:awards?|allocations?|grants?|budgets?|quotas?)\b"
_OVER_AWARD = re.compile(
    rf"\b(?:(?:gone|went|go|going|run|ran|gotten|got)\s+(?:past|over|beyond)|exceeded|overspent"
    rf"|overran|overdrawn\s+on|over)\s+{_AWARD}"
    r"|\b(?:used|spent|burned|burnt|consumed)\s+more\s+than\s+(?:they|it|he|she|was|were)"
    r"(?:\s+(?:were|was|had\s+been|had|got))?(?:\s+(?:given|awarded|allocated|granted))?\b",
    re.I,
)
_UNTOUCHED = re.compile(
    r"\b(?:haven[’']?t|have\s+not|hasn[’']?t|has\s+not|never|not\s+yet)\s+(?:yet\s+)?"
    rf"(?:touched|used|tapped(?:\s+into)?|started\s+(?:on|using))\s+{_AWARD}(?:\s+yet)?",
    re.I,
)


def in_percent(text: str, table: TableInfo) -> str:
    """'less than half' → 'less than 50%' when the table has a percentage column (or two
    amount columns a share is computed from)."""
    if not share_columns(table) and not share_pairs(table):
        return text
    # "gone past their award", "used more than they were given": a share over 100 %;
    # "haven't touched their allocation yet": none of it used
    text = _OVER_AWARD.sub("over 100% used", text)
    text = _UNTOUCHED.sub("are 0% used", text)
    # "the first half of 2025" is a span of dates, not a share
    parts = r"(?<!first )(?<!second )(?<!1st )(?<!2nd )(?<!last )(?<!final )(?<!other )"
    for words, pct in _FRACTIONS:
        text = re.sub(
            rf"{parts}\b(?:{words})\b(?! (?:year|quarter|month|day|of (?:the )?(?:year|fy|\d)))",
            pct,
            text,
            flags=re.I,
        )
    return re.sub(
        r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:percent|per cent|pct)\b", r"\1%", text, flags=re.I
    )


def exact_shares(text: str, table: TableInfo, named: str | None) -> list[Filter]:
    """'100% used', 'at 75%': a share equal to the number, on the percentage column the
    question names (or the table's only one); bounds ('under 50%') are read elsewhere."""
    cols = share_columns(table)
    col = named if named in cols else (cols[0] if len(cols) == 1 else None)
    if col is None:
        return []
    out = []
    for m in _PERCENT.finditer(text):
        if not _BOUND.search(text[: m.start()]):
            out.append(Filter(column=col, op="in", values=(float(m.group(1)),)))
    return out[:1]


def percent_bounds(filters: list[Filter], text: str, table: TableInfo) -> list[Filter]:
    """A bound written with '%' ('over 90% used') bounds the percentage column, not an amount."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    cols = share_columns(table)
    if len(cols) > 1:  # "over 80% of their Basalt hours": the share column the question names
        named = [c for c in cols if set(re.findall(r"[a-z]{3,}", c.lower())) - {"used"} & words]
        cols = named
    pairs = share_pairs(table) if not cols else []
    if len(pairs) > 1:  # the pair whose other header words the question names
        pairs = [p for p in pairs if (_head_words(p[0]) - _USED_HEADS) & words]
    if len(cols) != 1 and len(pairs) != 1:
        return filters
    said = {float(m.group(1)) for m in _PERCENT.finditer(text)}
    out = []
    for f in filters:
        if f.op in ("gt", "gte", "lt", "lte", "between") and set(f.values) <= said:
            if len(cols) == 1:
                f = Filter(column=cols[0], op=f.op, values=f.values)
            else:  # no share column: the used amount as a percentage of the given one
                f = Filter(column=pairs[0][0], op=f.op, values=f.values, of=pairs[0][1])
        out.append(f)
    return out


def left_pair(words: set[str], table: TableInfo) -> tuple[str, str] | None:
    """'what is left on Skerry' in a table with no Remaining column: (given, used), the pair
    whose difference is what is left, named by the question's words when there are several."""
    if not words & LEFT_ASKED:
        return None
    if any(_head_words(c.name) & (LEFT_ASKED | {"balance"}) for c in table.columns if c.numeric):
        return None  # the table says what is left itself
    pairs = share_pairs(table)
    if len(pairs) > 1:
        used = named_or_running([p[0] for p in pairs], frozenset(_USED_HEADS), words)
        pairs = [p for p in pairs if p[0] in used]
    return (pairs[0][1], pairs[0][0]) if len(pairs) == 1 else None
