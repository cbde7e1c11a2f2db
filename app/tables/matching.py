"""Find what a question names in a table: cell values (fuzzily), columns, dates and states."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from app.tables.states import NAMES, STATES, is_state_column
from index.tables import ColumnInfo, TableInfo

_TOKEN = re.compile(r"[A-Za-z0-9]+")
# Words that never identify a value on their own, whatever the table holds.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "about",
        "into",
        "over",
        "per",
        "is",
        "are",
        "was",
        "were",
        "be",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "how",
        "many",
        "much",
        "did",
        "does",
        "do",
        "has",
        "have",
        "had",
        "any",
        "all",
        "each",
        "every",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "than",
        "then",
        "as",
    ]
)
# Head nouns of column names and the words people use for them; general table vocabulary.
_SYNONYMS = {
    "institution": "institution institutions university universities school schools college "
    "colleges organization organizations organisation organisations",
    "organization": "organization organizations institution institutions",
    "resource": "resource resources system systems machine machines cluster clusters "
    "provider providers platform platforms",
    "state": "state states",
    "field": "field fields discipline disciplines domain domains",
    "type": "type types kind kinds category categories",
    "amount": "amount amounts size sizes quantity",
    "unit": "unit units",
    "date": "date dates when day",
    "title": "title titles",
    "id": "id ids number numbers",
}
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
class Tokens:
    """A question split into lower-case tokens, with the original spelling kept beside them."""

    low: tuple[str, ...]
    orig: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        """Tokenise ('Bridges-2' → bridges, 2)."""
        orig = tuple(_TOKEN.findall(text))
        return cls(tuple(t.lower() for t in orig), orig)

    def phrase(self, i: int, n: int) -> str:
        """Tokens i..i+n joined by spaces."""
        return " ".join(self.low[i : i + n])

    def has(self, phrase: str) -> bool:
        """True when the phrase occurs as whole tokens."""
        words = tuple(phrase.lower().split())
        n = len(words)
        return any(self.low[i : i + n] == words for i in range(len(self.low) - n + 1))


@dataclass(frozen=True)
class Match:
    """A column value the question names; `strong` when it is unlikely to be an ordinary word."""

    column: str
    values: tuple[str, ...]
    start: int
    end: int
    score: float
    strong: bool
    op: str = "in"  # "contains" for a phrase inside a free-text column


def norm(text: str) -> str:
    """Lower-case tokens joined by single spaces."""
    return " ".join(t.lower() for t in _TOKEN.findall(text))


@dataclass(frozen=True)
class _ColumnIndex:
    """Lookup structures for one text column."""

    column: ColumnInfo
    phrases: dict[str, tuple[str, ...]]  # normalised value → original values
    tokens: dict[str, tuple[str, ...]]  # token → values holding it
    norms: tuple[str, ...]
    originals: tuple[str, ...]
    identifier: bool
    free_text: bool
    states: bool


@lru_cache(maxsize=16)
def _indexes(table: TableInfo) -> tuple[_ColumnIndex, ...]:
    """Build (once per table version) the lookups for every text column."""
    out = []
    for c in table.columns:
        if c.type != "text" or not c.values:
            continue
        phrases: dict[str, list[str]] = defaultdict(list)
        tokens: dict[str, set[str]] = defaultdict(set)
        for v in c.values:
            key = norm(v)
            if key:
                phrases[key].append(v)
            for t in set(key.split()):
                tokens[t].add(v)
        unique = len(c.values) == table.rows and table.rows > 1
        identifier = unique and all(any(ch.isdigit() for ch in v) for v in c.values)
        avg = sum(len(v) for v in c.values) / len(c.values)
        free_text = not c.categorical and not identifier and avg > 25
        out.append(
            _ColumnIndex(
                c,
                {k: tuple(v) for k, v in phrases.items()},
                {k: tuple(sorted(v)) for k, v in tokens.items()},
                tuple(phrases),
                tuple(phrases[k][0] for k in phrases),
                identifier,
                free_text,
                is_state_column(c.values),
            )
        )
    return tuple(out)


def _proper(value: str) -> bool:
    """Values written with capitals, digits or several words name something specific."""
    return len(value.split()) > 1 or any(ch.isupper() or ch.isdigit() for ch in value)


def _special(token: str) -> bool:
    """A coined word in a title ('LLMaven', 'Gaudi2', 'Lake-GPT'): worth matching alone."""
    return bool(re.search(r"[a-z][A-Z]|[A-Za-z]\d|[A-Z]{3,}", token))


def find_values(question: str, table: TableInfo) -> list[Match]:
    """Every value of the table the question names, longest and best matches first."""
    from rapidfuzz import fuzz, process

    q = Tokens.of(question)
    found: list[Match] = []
    for ix in _indexes(table):
        col = ix.column.name
        if ix.states:
            found += _states(q, ix)
            continue
        if ix.free_text:
            found += _title_phrases(q, ix, table.rows, set(norm(table.title).split()))
            continue
        maxlen = min(8, max(len(k.split()) for k in ix.norms))
        for n in range(1, maxlen + 1):
            for i in range(len(q.low) - n + 1):
                key = q.phrase(i, n)
                if n == 1 and key in _STOP:
                    continue
                values = ix.phrases.get(key)
                if values:
                    short = len(key) <= 2
                    if short and q.orig[i] not in values:
                        continue  # two-letter values ("OR", "IN") only in their own capitals
                    strong = ix.identifier or any(_proper(v) for v in values)
                    found.append(Match(col, values, i, i + n, 100.0, strong))
                elif len(key) >= 6 and not ix.identifier and not key.isdigit():
                    best = process.extractOne(key, ix.norms, scorer=fuzz.ratio, score_cutoff=90)
                    if best is not None:
                        values = ix.phrases[best[0]]
                        found.append(Match(col, values, i, i + n, float(best[1]) - 5, True))
        for i, t in enumerate(q.low):
            if t in _STOP or (len(t) < 4 and not q.orig[i].isupper()):
                continue
            holders, end = _token_holders(q, i, ix)
            if not holders:
                continue
            if len(holders) == 1 and len(norm(holders[0]).split()) > 1:
                named = any(ch.isupper() or ch.isdigit() for ch in holders[0])
                found.append(Match(col, holders, i, end, 80.0, named))
            elif 1 < len(holders) <= 5 and not _is_synonym(t):
                found.append(Match(col, holders, i, end, 60.0, False))
    return _resolve(found)


def _token_holders(q: Tokens, i: int, ix: _ColumnIndex) -> tuple[tuple[str, ...], int]:
    """Values holding question token i, also written apart ('Jetstream 2') or misspelt."""
    from rapidfuzz import fuzz, process

    t = q.low[i]
    if i + 1 < len(q.low) and (joined := t + q.low[i + 1]) in ix.tokens:
        return ix.tokens[joined], i + 2
    if t in ix.tokens:
        return ix.tokens[t], i + 1
    if len(t) >= 5 and not t.isdigit():
        keys = [k for k in ix.tokens if len(k) >= 5]
        best = process.extractOne(t, keys, scorer=fuzz.ratio, score_cutoff=88)
        if best is not None:
            return ix.tokens[best[0]], i + 1
    return (), i + 1


def _is_synonym(token: str) -> bool:
    """True for words that name columns ('state', 'university'): not values on their own."""
    return any(token in words.split() for words in _SYNONYMS.values())


def _states(q: Tokens, ix: _ColumnIndex) -> list[Match]:
    """State names anywhere, two-letter codes only in capitals; mapped to the column's form."""
    codes = sum(len(v) == 2 for v in ix.column.values) >= 0.8 * len(ix.column.values)
    out = []
    for n in (4, 3, 2, 1):
        for i in range(len(q.low) - n + 1):
            code = NAMES.get(q.phrase(i, n))
            if code is None and n == 1 and q.orig[i] in STATES and q.orig[i].isupper():
                code = q.orig[i] if not all(t.isupper() for t in q.orig) else None
            if code is not None:
                value = code if codes else STATES[code]
                out.append(Match(ix.column.name, (value,), i, i + n, 100.0, True))
    return out


def _title_phrases(q: Tokens, ix: _ColumnIndex, rows: int, common: set[str]) -> list[Match]:
    """Phrases of two or more words, or one coined word, found in only a few free-text cells.

    Words of the table's own title ('NAIRR', 'allocations') name the table, not a row.
    """
    out = []
    limit = max(1, min(3, rows // 10))
    for n in (4, 3, 2, 1):
        for i in range(len(q.low) - n + 1):
            words = q.low[i : i + n]
            if words[0] in _STOP or words[-1] in _STOP or set(words) & common:
                continue
            key = " ".join(words)
            pairs = zip(ix.originals, ix.norms, strict=True)
            hits = [v for v, k in pairs if f" {key} " in f" {k} "]
            if not hits or len(hits) > limit:
                continue
            if n == 1 and not any(
                _special(t)
                for h in hits
                for t in re.findall(r"\S+", h)
                if norm(t) == key or norm(t).startswith(key + " ")
            ):
                continue
            out.append(Match(ix.column.name, (key,), i, i + n, 70.0 + n, n == 1, "contains"))
    return out


def _resolve(found: list[Match]) -> list[Match]:
    """Keep the best match for each stretch of the question; longer and surer matches win."""
    found.sort(key=lambda m: (-(m.end - m.start), -m.score))
    taken: list[Match] = []
    for m in found:
        clash = [t for t in taken if t.start < m.end and m.start < t.end]
        if not clash:
            taken.append(m)
        elif all(
            t.start == m.start and t.end == m.end and t.score == m.score and t.column != m.column
            for t in clash
        ):
            taken.append(m)  # the same words name values of two columns equally well
    merged: dict[tuple[str, str], Match] = {}
    for m in taken:
        key = (m.column, m.op)
        if key in merged:
            old = merged[key]
            values = tuple(dict.fromkeys(old.values + m.values))
            merged[key] = Match(
                m.column,
                values,
                min(old.start, m.start),
                max(old.end, m.end),
                max(old.score, m.score),
                old.strong or m.strong,
                m.op,
            )
        else:
            merged[key] = m
    return list(merged.values())


def column_refs(question: str, table: TableInfo) -> list[str]:
    """Columns the question names by their header or a usual word for them."""
    q = Tokens.of(question)
    out = []
    for c in table.columns:
        label = norm(c.name.replace("_", " "))
        head = label.split()[-1] if label else ""
        words = set(_SYNONYMS.get(head, head).split()) | {head, head + "s"}
        if q.has(label) or any(w in q.low for w in words if w):
            out.append(c.name)
    return out


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
    """Dates, months and years in the question, widened or bounded by before/after/since."""
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
    out = []
    used: set[int] = set()
    for k, (s, e, lo, hi) in enumerate(spans):
        if k in used:
            continue
        before = low[s - 1] if s else ""
        if before == "between" or before == "from":
            nxt = spans[k + 1] if k + 1 < len(spans) else None
            if nxt and low[e : nxt[0]] in (("and",), ("to",), ("until",), ("through",)):
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


def _year(tok: str) -> int | None:
    """A plausible year token."""
    return int(tok) if re.fullmatch(r"(19|20)\d\d", tok) else None


def _date_at(t: tuple[str, ...], i: int) -> tuple[int, date, date] | None:
    """A date, month or year starting at token i: (tokens used, first day, last day)."""
    try:
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
