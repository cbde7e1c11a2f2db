"""A cell's number as people write it in exported tables: '12,000', '$1.5', '~20,000',
'150,000*', '$3.4k', 'two thousand'. Used by tabular.py to type columns."""

from __future__ import annotations

import re

# Thousands grouped by commas ('1,200,000'), by spaces, plain, no-break or thin ('12 500'), or
# by apostrophes ("24'000", as Swiss exports write them).
_NUMBER = re.compile(
    r"^[-+]?[$€£]?\s*(\d{1,3}(,\d{3})+|\d{1,3}([ \u00a0\u202f\u2009'’]\d{3})+|\d+)?(\.\d+)?"
    r"([eE][-+]?\d+)?\s*[%€£]?$"
)
# Number words, shared with the request planner's reading of workload text.
NUMBER_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
NUMBER_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Cells that hold no value, whatever the column's type: a number column with "N/A" and "-" in
# it is still a number column.
PLACEHOLDERS = frozenset(
    {"n/a", "na", "-", "–", "—", "tbd", "tba", "none", "unknown", "not reported", "?", "n.a."}
)


def placeholder(cell: str) -> bool:
    """Whether a cell says 'no value' rather than holding one."""
    return cell.strip().lower() in PLACEHOLDERS


def words_value(words: list[str]) -> int | None:
    """The value of number words in order, or None when they are not one number."""
    total, current, seen = 0, 0, False
    for w in words:
        if w == "and":
            continue
        if w in ("a", "an"):
            current = max(current, 1)
            continue
        if w in NUMBER_UNITS:
            if current % 10 or (current and current < 20 and current != 1):
                return None  # "three four": two numbers, not one
            current += NUMBER_UNITS[w]
        elif w in NUMBER_TENS:
            if current % 100 and current != 1:
                return None
            current = (0 if current == 1 else current) + NUMBER_TENS[w]
        else:
            current = max(current, 1) * _SCALES[w]
            if w != "hundred":  # "two thousand three hundred": thousands are added up
                total, current = total + current, 0
        seen = True
    return total + current if seen else None


def _worded(text: str) -> int | None:
    """'two thousand', 'forty-five hundred': a whole number written in words, else None."""
    words = text.lower().replace("-", " ").replace(" and ", " ").split()
    known = NUMBER_UNITS.keys() | NUMBER_TENS.keys() | _SCALES.keys()
    if not words or any(w not in known for w in words):
        return None
    return words_value(words)


def parse_number(text: str) -> int | float | None:
    """'12,000' → 12000, '$1.5' → 1.5, '€900' → 900, '7%' → 7; None when it is no number."""
    # "150,000*" (a footnote mark), "~20,000", "≈ 5": the figure itself
    t = re.sub(r"^[~≈]\s*|\s*[*†‡]+$", "", text.strip())
    # "USD 15,000", "2,500 EUR": a currency code around the figure
    t = re.sub(r"^(?:USD|EUR|GBP|CAD)\s*|\s*(?:USD|EUR|GBP|CAD)$", "", t)
    # "(1,340)": an accountant's negative, as dashboards print an overrun
    if m := re.fullmatch(r"\(\s*([$€£]?\s*\d[\d,]*(?:\.\d+)?)\s*\)", t):
        inner = parse_number(m.group(1))
        return None if inner is None else -inner
    if (worded := _worded(t)) is not None:
        return worded  # "two thousand"
    # "$3.4k", "12K", "$1.2M": a written-out magnitude, as ledgers shorten amounts
    if m := re.fullmatch(r"([-+]?[$€£]?\s*\d[\d,]*(?:\.\d+)?)\s*([kKmM])", t):
        base = parse_number(m.group(1))
        scale = 1000 if m.group(2) in "kK" else 1_000_000
        return None if base is None else round(base * scale, 6)
    if not t or not _NUMBER.match(t) or not any(ch.isdigit() for ch in t):
        return None
    t = re.sub(r"[,$€£% \u00a0\u202f\u2009'’]", "", t)
    try:
        value = float(t)
    except ValueError:
        return None
    if re.fullmatch(r"[-+]?\d+", t):
        return int(t)
    return value
