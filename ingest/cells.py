"""A cell's number as people write it in exported tables: '12,000', '$1.5', '~20,000',
'150,000*', '$3.4k', 'two thousand'. Used by tabular.py to type columns."""

from __future__ import annotations

import re

# Thousands grouped by commas ('1,200,000') or by spaces, plain or no-break ('12 500'), as
# exports written for a European or SI reader do.
_NUMBER = re.compile(
    r"^[-+]?[$€£]?\s*(\d{1,3}(,\d{3})+|\d{1,3}([ \u00a0\u202f]\d{3})+|\d+)?(\.\d+)?"
    r"([eE][-+]?\d+)?\s*[%€£]?$"
)
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_WORD_NUMBERS = {w: n for n, w in enumerate(_ONES)} | _TENS | {"ninety": 90}
_WORD_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


def _worded(text: str) -> int | None:
    """'two thousand', 'forty-five hundred': a whole number written in words, else None."""
    words = text.lower().replace("-", " ").replace(" and ", " ").split()
    if not words or any(w not in _WORD_NUMBERS and w not in _WORD_SCALES for w in words):
        return None
    total, part = 0, 0
    for w in words:
        if w in _WORD_NUMBERS:
            part += _WORD_NUMBERS[w]
        elif w == "hundred":
            part = (part or 1) * 100
        else:
            total += (part or 1) * _WORD_SCALES[w]
            part = 0
    return total + part


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
    t = re.sub(r"[,$€£% \u00a0\u202f]", "", t)
    try:
        value = float(t)
    except ValueError:
        return None
    if re.fullmatch(r"[-+]?\d+", t):
        return int(t)
    return value
