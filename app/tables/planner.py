"""Question → query spec without a model: what the question names, what it asks, and whether to.

The planner answers only on strong evidence — an operation word (which, how many, total,
largest, per …) together with values of the table or an explicit reference to its rows
(awards, allocations, the table) — so prose questions go to the passages as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.tables.matching import (
    DateRange,
    Match,
    Tokens,
    column_refs,
    find_dates,
    find_values,
    norm,
)
from app.tables.spec import Filter, Operation, QuerySpec
from index.tables import TableInfo

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10}  # fmt: skip
_DESC = {"largest", "biggest", "highest", "greatest", "most", "top", "max"}
_ASC = {"smallest", "lowest", "least", "fewest", "bottom", "min"}
_FREQUENT = {"common", "frequent", "popular"}
# Words that say the question is about the rows of an allocation table.
_ROW_WORDS = {"award", "awards", "awarded", "allocation", "allocations", "allocated", "granted"}
_EXPLICIT = {"table", "listed"}
_PAST = {"got", "received", "went", "given", "project", "projects"}
_PERSONAL = {"i", "me", "my", "we", "our", "you", "your", "im"}
_MODAL = {"can", "could", "should", "would", "might", "must", "need", "eligible", "apply"}
_LIST = {"which", "whose"}
_OPENERS = {"who", "list", "show", "name", "give", "tell"}  # ask for rows only at a clause start
_GROUP = {"per", "each", "every", "by"}
_CLAUSE = re.compile(
    r"[?;.!]\s+|[?;!]$|,\s*(?:and|but)\s+"
    r"(?=(?:how|what|who|when|where|which|why|is|are|can|does|do)\b)"
)
_LOWER = ("more than", "over", "above", "at least", "exceeding", "greater than")
_UPPER = ("less than", "under", "below", "at most", "fewer than", "up to")


@dataclass(frozen=True)
class Plan:
    """A spec for one table and why the planner thinks the question asks the table."""

    spec: QuerySpec
    table: TableInfo
    evidence: tuple[str, ...]
    partial: bool = False  # the question also asks something the table cannot answer


def row_noun(table: TableInfo) -> str:
    """What a row is called: the title's last plural word ('allocations'), else 'rows'."""
    words = norm(re.sub(r"\(.*?\)", "", table.title)).split()
    return words[-1] if words and words[-1].endswith("s") and len(words[-1]) > 3 else "rows"


def default_measure(table: TableInfo) -> str | None:
    """The first numeric column that is not an id, a year or a count of something."""
    for c in table.columns:
        if c.numeric and not re.search(r"(^|_|\s)(id|year|no|number)$", c.name, re.I):
            return c.name
    return None


def plan_question(question: str, tables: list[TableInfo]) -> Plan | None:
    """The best plan over the tables, or None when the question is not a table question."""
    plans = [p for t in tables if (p := _plan(question, t)) is not None]
    return max(plans, key=lambda p: len(p.evidence), default=None)


def _identifier(table: TableInfo) -> str:
    """The column whose values are unique codes with digits, or ''."""
    for c in table.columns:
        unique = c.type == "text" and len(c.values) == table.rows > 1
        if unique and all(any(ch.isdigit() for ch in v) for v in c.values):
            return c.name
    return ""


def _plan(question: str, table: TableInfo) -> Plan | None:
    """Plan against one table."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", question)
    q = Tokens.of(text)
    words = set(q.low)
    nq = " " + " ".join(q.low) + " "
    matches = find_values(text, table)
    date_col = next((c.name for c in table.columns if c.type == "date"), "")
    dates = find_dates(text) if date_col else []
    # Words inside a matched value ("Cluster" in "Falcon Cluster") do not name a column.
    inside = {i for m in matches for i in range(m.start, m.end)}
    refs = column_refs(" ".join(t for i, t in enumerate(q.orig) if i not in inside), table)
    noun = row_noun(table)
    rows_named = words & (_ROW_WORDS | {noun, noun.rstrip("s")})
    ident = _identifier(table)
    id_match = any(m.column == ident for m in matches)

    group = _group_by(q, table)
    rank = _rank(q)
    op: Operation | None = None
    if re.search(r" (total|sum|altogether|combined|in all|tally|add up|sum up) ", nq):
        op = "sum"
    elif re.search(r" (average|mean) ", nq):
        op = "average"
    elif re.search(r" (how many|number of|count) ", nq):
        op = "count"
    if rank is not None:
        op = "rank"
    starts = {Tokens.of(c).low[0] for c in _clauses(text) if Tokens.of(c).low}
    listing = bool(words & _LIST or starts & _OPENERS) or _what_names_column(q, table, noun)
    by_count = rank is not None and rank[3]
    if op is None and (listing or group):
        op = "count" if group else "list"
    if op is None and rows_named and any(m.strong for m in matches):
        op = "list"  # a fragment such as "awards from NE"
    did_get = "did" in words and bool(words & {"get", "receive"})
    if op is None and (words & _PAST or did_get) and any(m.strong for m in matches):
        op = "list"  # "what did <institution> get?": its rows
    if op is None:
        return None

    # The gate: strong evidence only, so prose questions keep going to the passages.
    filtered = bool(matches or dates)
    strong_value = any(m.strong for m in matches) or bool(dates)
    explicit = bool(words & _EXPLICIT)
    veto = bool(words & (_PERSONAL | _MODAL)) and not (explicit or id_match)
    evidence: list[str] = []
    parts = _clauses(text)
    partial = len(parts) > 1 and not all(_tabular(p, table) for p in parts)
    if id_match and (refs or listing):
        evidence.append("identifier")
    elif veto or _names_something_else(q, inside, table):
        return None
    elif rows_named and (filtered or group or by_count or explicit or op == "list"):
        evidence.append("rows named")
    elif (words & _PAST or did_get) and (any(m.strong for m in matches) or (matches and refs)):
        evidence.append("past-tense verb")
    elif explicit and (group or filtered) and op != "list":
        evidence.append("table named")
    elif op != "list" and strong_value and refs:
        evidence.append("aggregate over named values")
    else:
        return None
    if not filtered and not group and not by_count and op != "list" and not explicit:
        return None  # "total of all awards": the table is a sample, not every award ever made
    evidence += [f"value {m.column}" for m in matches] + ["date"] * bool(dates)

    measure = next(
        (r for r in refs if (c := table.column(r)) is not None and c.numeric),
        default_measure(table),
    )
    filters = [_filter(m) for m in matches]
    filters += [_date_filter(date_col, d) for d in dates[:1]]
    filters += _bounds(nq, measure)
    position, top, order = 1, None, "desc"
    group_by: tuple[str, ...] = tuple(group)
    if rank is not None:
        position, top, order, _ = rank
        if by_count or (measure is None):
            col = _count_column(refs, table, ident)
            if col is None:
                return None
            op, group_by, top = "count", (col,), top or 1
    if op in ("sum", "average", "rank") and measure is None:
        op = "count"
    spec = QuerySpec(
        table=table.doc_id,
        operation=op,
        filters=tuple(filters),
        measure=measure if op in ("sum", "average", "rank") or top else None,
        group_by=group_by,
        order=order,  # type: ignore[arg-type]
        position=position,
        top=top,
        columns=tuple(refs),
    )
    return Plan(spec, table, tuple(evidence), partial)


def _clauses(text: str) -> list[str]:
    """Sentences and ', and how/what/who …' parts of a question."""
    parts = _CLAUSE.split(text)
    return [p.strip() for p in parts if p and p.strip()]


def _tabular(clause: str, table: TableInfo) -> bool:
    """A part that could be asked of the table: an ask plus named values, columns or rows."""
    q = Tokens.of(clause)
    words = set(q.low)
    asks = bool(words & (_LIST | _OPENERS | _DESC | _ASC | {"what", "how", "total", "average"}))
    named = any(m.strong for m in find_values(clause, table)) or bool(column_refs(clause, table))
    verbs = _PAST - {"project", "projects"}
    return asks and (named or bool(words & (_ROW_WORDS | _EXPLICIT | verbs)))


def _what_names_column(q: Tokens, table: TableInfo, noun: str) -> bool:
    """'what resource …', 'what projects …': a 'what' that asks for a column or for rows."""
    for i, t in enumerate(q.low):
        if t == "what":
            nxt = " ".join(q.low[i + 1 : i + 3])
            if column_refs(q.low[i + 1] if i + 1 < len(q.low) else "", table):
                return True
            if any(w in nxt.split() for w in (noun, noun.rstrip("s"), "projects", "awards")):
                return True
    return False


def _filter(m: Match) -> Filter:
    """A value match as a filter."""
    return Filter(column=m.column, op=m.op, values=m.values[:20])  # type: ignore[arg-type]


def _date_filter(column: str, d: DateRange) -> Filter:
    """A date range as a filter."""
    if d.low and d.high:
        return Filter(column=column, op="between", values=(d.low.isoformat(), d.high.isoformat()))
    if d.low:
        return Filter(column=column, op="gte", values=(d.low.isoformat(),))
    assert d.high is not None
    return Filter(column=column, op="lte", values=(d.high.isoformat(),))


def _bounds(nq: str, measure: str | None) -> list[Filter]:
    """'more than 10000' / 'under 500' as bounds on the measure."""
    if measure is None:
        return []
    out = []
    for words, op in ((_LOWER, "gte"), (_UPPER, "lte")):
        for w in words:
            m = re.search(rf" {w} (\d+(?: \d+)?) ", nq)
            if m and not re.fullmatch(r"(19|20)\d\d", m.group(1)):
                value = float(m.group(1).replace(" ", "."))
                out.append(Filter(column=measure, op=op, values=(value,)))  # type: ignore[arg-type]
                break
    return out


def _group_by(q: Tokens, table: TableInfo) -> list[str]:
    """Columns after 'per', 'each', 'every' or 'by' ('awards per resource')."""
    out: list[str] = []
    for i, t in enumerate(q.low):
        if t not in _GROUP:
            continue
        tail = " ".join(q.low[i + 1 : i + 4])
        for col in column_refs(tail, table):
            first = q.low[i + 1] if i + 1 < len(q.low) else ""
            label = norm(col.replace("_", " "))
            named = first and (label.startswith(first) or col in column_refs(first, table))
            if named and col not in out:
                out.append(col)
    return out[:2]


def _rank(q: Tokens) -> tuple[int, int | None, str, bool] | None:
    """(position, how many, order, by count) for 'third largest', 'top 5', 'most awards'."""
    found = [i for i, t in enumerate(q.low) if t in _DESC or t in _ASC]
    # The last superlative wins: a merged follow-up puts the new question at the end.
    for i in found[-1:]:
        t = q.low[i]
        order = "desc" if t in _DESC else "asc"
        prev = q.low[i - 1] if i else ""
        nxt = q.low[i + 1] if i + 1 < len(q.low) else ""
        position, top = 1, None
        if prev in _ORDINALS:
            position = _ORDINALS[prev]
        elif m := re.fullmatch(r"(\d+)(st|nd|rd|th)", prev):
            position = int(m.group(1))
        elif prev.isdigit() or prev in _NUMBERS:
            top = int(prev) if prev.isdigit() else _NUMBERS[prev]
        if t == "top" and (nxt.isdigit() or nxt in _NUMBERS):
            top = int(nxt) if nxt.isdigit() else _NUMBERS[nxt]
        by_count = t in ("most", "fewest", "least") and (
            nxt in _FREQUENT
            or nxt in _ROW_WORDS
            or nxt in ("projects", "rows", "entries", "grants", "awards", "allocations")
        )
        if top is not None and top > 100:
            top = 100
        return position, top, order, by_count
    return None


def _count_column(refs: list[str], table: TableInfo, ident: str) -> str | None:
    """The column whose values are counted for 'which resource has the most awards'."""
    for r in refs:
        c = table.column(r)
        if c is not None and c.type == "text" and c.categorical and r != ident:
            return r
    return None


_MONTH_PREFIXES = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)


def _names_something_else(q: Tokens, inside: set[int], table: TableInfo) -> bool:
    """The question names a thing (a capitalised name or acronym) the table does not hold.

    "How many credits does the Zephyrine allocation grant?" asks about Zephyrine; if no row,
    column or title mentions it, the answer is in the passages, not in this table.
    """
    known = " ".join(
        [
            table.title,
            *(c.name for c in table.columns),
            *(v for c in table.columns for v in c.values),
        ]
    ).lower()
    for i, tok in enumerate(q.orig):
        if i == 0 or i in inside or not tok[:1].isupper() or len(tok) < 3:
            continue
        if tok.lower()[:3] in _MONTH_PREFIXES:
            continue  # dates are matched separately
        if tok.lower() not in known:
            return True
    return False
