"""Dates, months, quarters and years in a question, as inclusive date ranges."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta

from app.tables.headers import Tokens

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}


@dataclass(frozen=True)
class DateRange:
    """A date condition from the question: [low, high] inclusive, either end open."""

    low: date | None
    high: date | None
    start: int
    end: int


def _month_end(y: int, m: int) -> date:
    """Last day of a month."""
    return (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)


def find_dates(question: str) -> list[DateRange]:
    """Dates, months, quarters and years in the question, bounded by before/after/since."""
    q = Tokens.of(question)
    spans: list[tuple[int, int, date, date]] = []
    low = q.low
    i = 0
    while i < len(low):
        got = _date_at(low, i)
        if got is not None:
            n, lo, hi = got
            spans.append((i, i + n, lo, hi))
            i += n
        else:
            i += 1
    spans = _open_months(low, spans)
    out = []
    used: set[int] = set()
    for k, (s, e, lo, hi) in enumerate(spans):
        if k in used:
            continue
        before = low[s - 1] if s else ""
        after = low[e : e + 2]
        # "in April 2025 or later", "on or after 1 May", "March 2025 onwards": open ends
        if (
            after in (("or", "later"), ("or", "after"), ("and", "later"))
            or after[:1] == ("onwards",)
            or after[:1] == ("onward",)
        ):
            out.append(DateRange(lo, None, s, e + len(after) if after[0] == "or" else e + 1))
            continue
        if after in (("or", "earlier"), ("or", "before")):
            out.append(DateRange(None, hi, s, e + 2))
            continue
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        # "June through August 2025": a span said without "from"
        if (
            nxt
            and before not in ("between", "from")
            and low[e : nxt[0]] in (("through",), ("thru",), ("until",), ("till",))
        ):
            out.append(DateRange(lo, nxt[3], s, nxt[1]))
            used.add(k + 1)
            continue
        if (
            nxt
            and before in ("between", "from")
            and low[e : nxt[0]] in (("and",), ("to",), ("until",), ("through",))
        ):
            out.append(DateRange(lo, nxt[3], s - 1, nxt[1]))
            used.add(k + 1)
            continue
        if before == "before":
            out.append(DateRange(None, lo - timedelta(days=1), s - 1, e))
        elif before == "after":
            out.append(DateRange(hi + timedelta(days=1), None, s - 1, e))
        elif before == "since":
            out.append(DateRange(lo, None, s - 1, e))
        else:
            out.append(DateRange(lo, hi, s, e))
    return out


_FROM = ("between", "from")
_UNTIL = ("and", "to", "until", "through", "till")


def _open_months(
    low: tuple[str, ...], spans: list[tuple[int, int, date, date]]
) -> list[tuple[int, int, date, date]]:
    """'between March and May 2025', 'from March to May 2025': the first month takes the
    year of the second."""
    out = list(spans)
    for s, _e, lo, _hi in spans:
        i = s - 3  # between|from MONTH DAY and|to <a dated day>: the day takes its year
        if (
            i >= 1
            and low[i] in _MONTHS
            and low[i + 1].isdigit()
            and low[i - 1] in _FROM
            and low[s - 1] in _UNTIL
        ):
            m, day = _MONTHS[low[i]], int(low[i + 1])
            year = lo.year - ((m, day) > (lo.month, lo.day))
            with suppress(ValueError):  # "February 30": no such day, so no date
                out.append((i, i + 2, date(year, m, day), date(year, m, day)))
            continue
        i = s - 2  # between|from MONTH and|to … <the dated span>, or MONTH through <span>
        if i < 0 or low[i] not in _MONTHS:
            continue
        opened = i >= 1 and low[i - 1] in ("between", "from")
        if low[s - 1] not in (
            ("and", "to", "until", "through", "till")
            if opened
            else ("through", "thru", "until", "till")
        ):
            continue
        m = _MONTHS[low[i]]
        year = lo.year - (m > lo.month)  # "from November to February 2025"
        out.append((i, i + 1, date(year, m, 1), _month_end(year, m)))
    return sorted(out)


def _year(tok: str) -> int | None:
    """A plausible year token."""
    return int(tok) if re.fullmatch(r"(19|20)\d\d", tok) else None


_PARTS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
          "4th": 4, "last": 4, "final": 4}  # fmt: skip


_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}


def _part_of_year(t: tuple[str, ...], i: int) -> tuple[int, date, date] | None:
    """'Q1 2025', '2025 Q3', 'first quarter of 2025', 'second half of 2024', 'H1 2025',
    'fall 2024' (northern seasons by whole months)."""
    if t[i] in _SEASONS:
        j = i + 1 + (i + 1 < len(t) and t[i + 1] == "of")
        if j < len(t) and (y := _year(t[j])):
            first, last = _SEASONS[t[i]]
            return j + 1 - i, date(y, first, 1), _month_end(y, last)
    m = re.fullmatch(r"([qh])([1-4])", t[i])
    if m and i + 1 < len(t) and (y := _year(t[i + 1])):
        return 2, *_span(y, m.group(1), int(m.group(2)))
    if (y := _year(t[i])) and i + 1 < len(t) and (m := re.fullmatch(r"([qh])([1-4])", t[i + 1])):
        return 2, *_span(y, m.group(1), int(m.group(2)))
    if t[i] in _PARTS and i + 1 < len(t) and t[i + 1] in ("quarter", "half"):
        j = i + 2 + (i + 2 < len(t) and t[i + 2] == "of")
        if j < len(t) and (y := _year(t[j])):
            n = _PARTS[t[i]] if t[i + 1] == "quarter" or t[i] not in ("last", "final") else 2
            return j + 1 - i, *_span(y, t[i + 1][0], n)
    return None


def _span(y: int, kind: str, n: int) -> tuple[date, date]:
    """First and last day of quarter (q) or half (h) n of year y."""
    months = 3 if kind == "q" else 6
    if kind == "h" and n > 2:
        raise ValueError("a year has two halves")
    first = (n - 1) * months + 1
    return date(y, first, 1), _month_end(y, first + months - 1)


def _iso_week(t: tuple[str, ...], i: int) -> tuple[int, date, date] | None:
    """'2025-W14', '2025W14', 'week 14 of 2025': Monday to Sunday of that ISO week."""
    n, y, w = 0, None, None
    if m := re.fullmatch(r"((?:19|20)\d\d)w(\d\d?)", t[i]):
        n, y, w = 1, int(m.group(1)), int(m.group(2))
    elif _year(t[i]) and i + 1 < len(t) and (m := re.fullmatch(r"w(\d\d?)", t[i + 1])):
        n, y, w = 2, int(t[i]), int(m.group(1))
    elif t[i] == "week" and i + 2 < len(t) and t[i + 1].isdigit():
        j = i + 2 + (t[i + 2] == "of")
        if j < len(t) and _year(t[j]):
            n, y, w = j + 1 - i, int(t[j]), int(t[i + 1])
    if y is None or w is None:
        return None
    monday = date.fromisocalendar(y, w, 1)  # ValueError for no such week: caught by the caller
    return n, monday, monday + timedelta(days=6)


def _date_at(t: tuple[str, ...], i: int) -> tuple[int, date, date] | None:
    """A date, month or year starting at token i: (tokens used, first day, last day)."""
    try:
        if (week := _iso_week(t, i)) is not None:
            return week
        if (part := _part_of_year(t, i)) is not None:
            return part
        y = _year(t[i])
        if y and i + 2 < len(t) and t[i + 1].isdigit() and t[i + 2].isdigit():  # 2024-09-16
            d = date(y, int(t[i + 1]), int(t[i + 2]))
            return 3, d, d
        if y and i + 1 < len(t) and re.fullmatch(r"\d\d", t[i + 1]):  # 2024-09
            m = int(t[i + 1])
            return 2, date(y, m, 1), _month_end(y, m)
        if t[i] in _MONTHS:
            m = _MONTHS[t[i]]
            if i + 2 < len(t) and t[i + 1].isdigit() and _year(t[i + 2]):  # September 16, 2024
                d = date(int(t[i + 2]), m, int(t[i + 1]))
                return 3, d, d
            if i + 1 < len(t) and _year(t[i + 1]):  # March 2025
                yy = int(t[i + 1])
                return 2, date(yy, m, 1), _month_end(yy, m)
        if t[i].isdigit() and i + 2 < len(t) and t[i + 1] in _MONTHS and _year(t[i + 2]):
            d = date(int(t[i + 2]), _MONTHS[t[i + 1]], int(t[i]))  # 16 September 2024
            return 3, d, d
        if t[i].isdigit() and i + 2 < len(t) and t[i + 1].isdigit() and _year(t[i + 2]):
            d = date(int(t[i + 2]), int(t[i]), int(t[i + 1]))  # 9/16/2024
            return 3, d, d
        if y:
            return 1, date(y, 1, 1), date(y, 12, 31)
    except (ValueError, IndexError):
        return None
    return None


# Words after which a number is an amount ("more than 2000"); "over 2024" may be a year.
_BOUND_BEFORE = {"than", "exceed", "exceeds", "exceeded", "exceeding", "least", "most"}


def amount_not_year(question: str, q: Tokens, d: DateRange) -> bool:
    """'more than 2,000 GPU hours', 'exceed 2000': a number after a bound word or written with
    a thousands comma is an amount, not the year 2000."""
    if d.end - d.start != 1 or not q.low[d.start].isdigit():
        return False
    token = q.low[d.start]
    commas = {a + b for a, b in re.findall(r"\b(\d{1,3}),(\d{3})\b", question)}
    return token in commas or (d.start > 0 and q.low[d.start - 1] in _BOUND_BEFORE)


_NAMED_MONTH = re.compile(
    r"\b(this|next|coming|the coming)\s+(january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b(?!\s*,?\s*(?:\d{1,2}\s*,?\s*)?(?:19|20)\d\d)",
    re.I,
)


def dated_months(text: str, as_of: str) -> str:
    """'this December', 'next March' with the year the table's as-of day gives them: 'this'
    is the month in the as-of year, 'next' and 'coming' the first such month after the day."""
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", as_of):
        return text
    today = date.fromisoformat(as_of)

    def dated(m: re.Match[str]) -> str:
        month = _MONTHS[m.group(2).lower()]
        year = today.year
        if m.group(1).lower() != "this" and month <= today.month:
            year += 1
        return f"{m.group(2)} {year}"

    return _NAMED_MONTH.sub(dated, text)
