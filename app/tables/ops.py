"""What a question asks of a table: the operation, a rank or an order, bounds, and negations.

Only general English for asking about rows lives here; nothing names one table's columns.
"""

from __future__ import annotations

import re

from app.tables.headers import Tokens, column_label
from app.tables.spec import Filter, Operation

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10}  # fmt: skip
DESC = {"largest", "biggest", "highest", "greatest", "most", "top", "max", "maximum", "heaviest"}
ASC = {"smallest", "lowest", "least", "fewest", "bottom", "min", "minimum", "tiniest"}
ALL = 100  # "ranked by size": every row in order (the most a spec may keep)
ROW_WORDS = {"award", "awards", "awarded", "allocation", "allocations", "allocated", "granted"}
ROW_WORDS |= {"project", "projects"}  # each row of an awards table is a project
ROW_WORDS |= {"grant", "grants"}  # "the biggest cash grant", "which of their grants"
ASKS = {"what", "how", "total", "average", "combined", "altogether", "mean", "largest"}
GROUP = {"per", "each", "every", "by", "across"}  # "across systems"; "across all …" is no group
EXPLICIT = {"table", "listed"}
PAST = {"got", "received", "went", "given", "used", "obtained", "project", "projects"}
LIST = {"which", "whose"}
OPENERS = {"who", "list", "show", "name", "give", "tell"}  # ask for rows only at a clause start
_ROWISH_ONE = {"award", "allocation", "project", "grant", "entry", "row", "job", "request"}
_FREQUENT = {"common", "frequent", "popular"}
_ROWISH = {"projects", "rows", "entries", "grants", "awards", "allocations", "recipients"}
_ROWISH |= {"jobs", "requests"}  # a scheduler's log and a review log count these
_SUM = re.compile(
    r" (total|totals|sum|summed|altogether|all together|combined|in all|tally|tallied|add up|"
    r"added up|adds up|sum up|aggregate|cumulative|grand total|overall) "
)
# "what does SU mean" asks a definition: "mean" is an average only as "the mean (amount)".
_AVERAGE = re.compile(r" (average|avg|typical|typically|the mean|mean (amount|size|award|value)) ")
_COUNT = re.compile(r" (how many|number of|count|how often) ")
# "ranked by size", "sorted from largest to smallest", "in order of amount".
_ORDERED = re.compile(
    r" (ranked|rank|sorted|sort|ordered|in order of|from (largest|biggest|highest|most|"
    r"smallest|lowest|least) to) "
)
_ASCENDING = re.compile(r" (from (smallest|lowest|least) to|ascending|smallest first) ")
# Words that turn the value after them into an exclusion ("not on Delta", "other than Texas").
_NEGATORS = {"not", "except", "excluding", "exclude", "besides", "non", "outside", "without"}
_NEGATOR_PAIRS = {("other", "than"), ("apart", "from"), ("aside", "from"), ("all", "but")}
_LOOKBACK_SKIP = {"in", "on", "at", "from", "to", "for", "by", "the", "a", "an", "of", "t", "be"}
_LOOKBACK_SKIP |= {"during", "made", "dated"}  # "not made in 2024"
# Bounds on an amount: strict ("more than") or inclusive ("at least").
_BOUND_WORDS = (
    ("more than", "gt"), ("over", "gt"), ("above", "gt"), ("exceeding", "gt"), ("exceed", "gt"),
    ("exceeds", "gt"), ("exceeded", "gt"), ("in excess of", "gt"), ("upwards of", "gt"),
    ("greater than", "gt"), ("bigger than", "gt"), ("larger than", "gt"), ("at least", "gte"),
    ("gone past", "gt"), ("past", "gt"), ("beyond", "gt"),
    ("less than", "lt"), ("under", "lt"), ("below", "lt"), ("fewer than", "lt"),
    ("smaller than", "lt"), ("at most", "lte"), ("up to", "lte"), ("no more than", "lte"),
)  # fmt: skip
_NUMBER = r"(\d+(?: \d+)?)"
_YEARISH = {"over", "above", "under", "below", "up to", ""}  # "" : "between 2024 and 2025"
# "more than one award", "multiple awards": a bound on how many rows a group has.
_ROWS_BOUND = re.compile(
    r" (more than|over|at least|multiple|several|two or more|2 or more)(?: (one|two|three|\d+))?"
    r"(?: [a-z]+)? (awards?|allocations?|projects?|grants?|rows|entries|requests?|times) "
)


_PERIOD = re.compile(
    r" (?:per|each|every|by|which|what|a|in which) (year|quarter|month) | (yearly|annually|"
    r"quarterly|monthly) "
)
_ADVERBS = {"yearly": "year", "annually": "year", "quarterly": "quarter", "monthly": "month"}


def period(nq: str) -> str | None:
    """'per year', 'each month', 'quarterly', 'which month …': the period rows are grouped by."""
    m = _PERIOD.search(nq)
    if m is None:
        return None
    return m.group(1) or _ADVERBS[m.group(2)]


_RECENT = re.compile(
    r" (?:latest|most recent|newest|last|earliest|oldest|first) (\w+ )?(\w+) (?:(\w+) )?"
)
_ROW_NOUNS = {"award", "awards", "allocation", "allocations", "project", "projects", "grant"}
_ROW_NOUNS |= {"grants", "request", "requests"}


_DATED_VERB = re.compile(
    r" (?:start|starts|started|begin|begins|began|end|ends|ended|close|closes|closed|finish|"
    r"finishes|finished|expire|expires|expired|open|opens|opened) (first|last|earliest|latest|"
    r"soonest) "
)


def recency(nq: str, noun: str = "") -> str | None:
    """'the latest award', 'most recent allocation', 'earliest project': rows ranked by date
    ('desc' newest first); 'first quarter' and 'last year' are dates, not ranks."""
    if " most recently " in nq:
        return "desc"  # "which awards were made most recently"
    verb = _DATED_VERB.search(nq)
    if verb:  # "which grant closes first", "which project started last"
        return "asc" if verb.group(1) in ("first", "earliest", "soonest") else "desc"
    after = re.search(
        r" (?:awards?|allocations?|projects?|grants?) (?:is|was|are|were) (?:the )?"
        r"(most recent|latest|newest|earliest|oldest) ",
        nq,
    )
    if after:  # "which project is the most recent"
        return "asc" if after.group(1) in ("earliest", "oldest") else "desc"
    m = _RECENT.search(nq)
    nouns = _ROW_NOUNS | {noun, noun.rstrip("s")} - {""}
    # "the earliest expiring active allocation": the noun may come a word later
    if m is None or not ({m.group(2), (m.group(1) or "").strip(), m.group(3)} & nouns):
        return None
    return "asc" if re.search(r" (?:earliest|oldest|first) ", m.group(0)) else "desc"


def recency_count(nq: str) -> int | None:
    """'the three latest awards': how many."""
    m = re.search(
        r" (\d+|" + "|".join(NUMBERS) + r") (?:latest|newest|most recent|earliest|oldest) ", nq
    )
    return (int(m.group(1)) if m.group(1).isdigit() else NUMBERS[m.group(1)]) if m else None


def operation(nq: str) -> Operation | None:
    """The aggregate a question's words ask for (nq: lower-case tokens padded with spaces)."""
    if _SUM.search(nq):
        return "sum"
    if _AVERAGE.search(nq) or " on average " in nq:
        return "average"
    if _COUNT.search(nq):
        return "count"
    return None


def rank(q: Tokens, limit: int = ALL) -> tuple[int, int | None, str, bool] | None:
    """(position, how many, order, by count) for 'third largest', 'top 5', 'ranked by size'."""
    nq = " " + " ".join(q.low) + " "
    found = [
        i
        for i, t in enumerate(q.low)
        if (t in DESC or t in ASC)
        and not (i and q.low[i - 1] == "at")  # "at least" is a bound
        and q.low[i + 1 : i + 2] not in (("recent",), ("recently",))  # a date order
    ]
    if _ORDERED.search(nq) and not any(
        q.low[i - 1] in ORDINALS or q.low[i - 1] in NUMBERS or q.low[i - 1].isdigit()
        for i in found
        if i
    ):
        # "rank them from smallest to largest": every row in order, not the largest one
        return 1, limit, "asc" if _ASCENDING.search(nq) else "desc", False
    # The last superlative wins: a merged follow-up puts the new question at the end.
    for i in found[-1:]:
        t = q.low[i]
        order = "desc" if t in DESC else "asc"
        prev = q.low[i - 1] if i else ""
        nxt = q.low[i + 1] if i + 1 < len(q.low) else ""
        position, top = 1, None
        if prev in ORDINALS:
            position = ORDINALS[prev]
        elif m := re.fullmatch(r"(\d+)(st|nd|rd|th)", prev):
            position = int(m.group(1))
        elif prev.isdigit() or prev in NUMBERS:
            top = int(prev) if prev.isdigit() else NUMBERS[prev]
        if t == "top" and (nxt.isdigit() or nxt in NUMBERS):
            top = int(nxt) if nxt.isdigit() else NUMBERS[nxt]
        after = q.low[i + 1 : i + 3]  # "most awards", "most classroom awards"
        by_count = t in ("most", "fewest", "least") and (
            nxt in _FREQUENT or any(w in _ROWISH or w in _ROWISH_ONE for w in after)
        )
        if top is None and position == 1:
            # "which three institutions … the most": the count stands before the noun
            m = re.search(r" (?:which|what|top|the) (\d+|" + "|".join(NUMBERS) + ") ", nq)
            top = (int(m.group(1)) if m.group(1).isdigit() else NUMBERS[m.group(1)]) if m else None
        return position, min(top, ALL) if top else None, order, by_count
    return None


def negated(q: Tokens, start: int) -> bool:
    """True when what starts at token `start` is excluded: 'not on X', 'except X', 'other than
    X', 'non-X', 'not made in 2024'."""
    seen = 0
    j = start - 1
    while j >= 0 and seen < 3:
        w = q.low[j]
        if w in _NEGATORS or (j and (q.low[j - 1], w) in _NEGATOR_PAIRS):
            return True
        if w not in _LOOKBACK_SKIP:
            seen += 1
            if seen >= 2:
                break  # "didn't get an award on X": the verb's object, not an exclusion
        j -= 1
    return False


_WORD_NUMBERS = {"one": 1, **NUMBERS}


def bounds(nq: str, measure: str | None, counts: bool = False) -> list[Filter]:
    """'more than 10000', 'under 500', 'between 10000 and 20000' as bounds on the measure;
    'any storage' as more than 0, and 'no first-time PIs' as 0 when the measure `counts`
    things (of an amount, "no Skerry time" is a blank cell: columns.blank_columns)."""
    if measure is None:
        return []
    nq = _ROWS_BOUND.sub(" ", nq)  # "more than one award" bounds a count, not an amount
    # "two or more first-time PIs", "at least three": small counts written as words
    words = "|".join(_WORD_NUMBERS)
    nq = re.sub(
        rf" ({words}) (?=or (?:more|fewer|less) )|( (?:least|most|than) )({words}) ",
        lambda m: f" {_WORD_NUMBERS[m[1]]} " if m[1] else f"{m[2]}{_WORD_NUMBERS[m[3]]} ",
        nq,
    )
    # "no more than 5000" is at most 5000, not more than it
    nq = re.sub(r" (?:no|not) (?:more|greater|larger|bigger) than ", " at most ", nq)
    nq = re.sub(r" (?:no|not) (?:less|fewer|smaller) than ", " at least ", nq)
    # "100000 node hours or more": the bound written after the number
    nq = re.sub(
        rf" {_NUMBER} ((?:[a-z]+ ){{0,3}})or (?:more|above|greater|higher|over|bigger|larger) ",
        r" at least \1 \2 ",
        nq,
    )
    nq = re.sub(
        rf" {_NUMBER} ((?:[a-z]+ ){{0,3}})or (?:less|fewer|below|lower|under|smaller) ",
        r" at most \1 \2 ",
        nq,
    )

    def number(text: str, word: str = "") -> float | None:
        # "more than 2000" is an amount; "over 2024", "up to 2025" may be years (the dates')
        year = re.fullmatch(r"(19|20)\d\d", text) is not None
        return None if year and word in _YEARISH else float(text.replace(" ", "."))

    if (m := re.search(rf" between {_NUMBER} and {_NUMBER} ", nq)) is not None:
        lo, hi = number(m.group(1)), number(m.group(2))
        if lo is not None and hi is not None:
            return [Filter(column=measure, op="between", values=(min(lo, hi), max(lo, hi)))]
    # "no first-time PIs at all", "got any storage": none of the measure, or some of it
    head = column_label(measure).split()
    if head and (m := re.search(rf" (no|zero|any) {re.escape(head[0])}\b", nq)) is not None:
        none = m.group(1) != "any"
        if counts or not none:
            return [Filter(column=measure, op="lte" if none else "gt", values=(0.0,))]
    out: list[Filter] = []
    for kinds in (("gt", "gte"), ("lt", "lte")):
        for w, op in _BOUND_WORDS:
            m = re.search(rf" {w} {_NUMBER} ", nq)
            if op in kinds and m and (value := number(m.group(1), w)) is not None:
                out.append(Filter(column=measure, op=op, values=(value,)))  # type: ignore[arg-type]
                break
    return out


def rows_bound(nq: str) -> int | None:
    """The least number of rows a group must have: 'more than one award' → 2, 'multiple' → 2."""
    m = _ROWS_BOUND.search(nq)
    if m is None:
        return None
    words = {"one": 1, "two": 2, "three": 3}
    n = m.group(2)
    count = words.get(n or "", int(n) if n and n.isdigit() else 1)
    if m.group(1) in ("multiple", "several", "two or more", "2 or more"):
        return 2
    return count + 1 if m.group(1) in ("more than", "over") else count
