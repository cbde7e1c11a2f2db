"""Tables with several amount columns, each row filling one ('Core-hrs', 'GPU-hrs', 'Storage
(TB)'): which one a question asks, and every one of them when it names none.

Amounts in different columns are in different units, so they are never added together: a
total that names no unit is given per column.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.tables.headers import Tokens, canon, column_label, norm, singular
from app.tables.spec import QuerySpec
from index.tables import TableInfo

# Units written out, as headers abbreviate them (general measurement vocabulary).
_UNIT_WORDS = {
    "terabyte": "tb", "gigabyte": "gb", "petabyte": "pb", "dollar": "usd", "euro": "eur",
}  # fmt: skip
# Verbs of receiving: an amount someone got is an amount granted, not one spent.
_GIVEN = frozenset({"got", "get", "receiv", "given", "hand", "handed", "award", "went"})
# Words for consuming an award: "how much has X used" fits a Spent column as well as a Used one.
_ALIKE = {"us": ("spent",), "spent": ("us",), "consum": ("spent", "us")}
# Money spent is also what was charged or billed ("the spend per state" of a "Charged" column).
BILLED = ("charged", "billed", "spent")
_ALIKE_WORDS = {
    "used": ("spent",),
    "spent": ("used", *BILLED),
    "spend": ("spent", "used", *BILLED),
    **dict.fromkeys(("burned", "burn", "bill", "billed", "charge"), BILLED),
}
_IRREGULAR = {
    "spend": "spent",
    "spending": "spent",
    "usage": "use",
    "gave": "given",
    "give": "given",
}


def unit_spelled(text: str, table: TableInfo) -> str:
    """A unit the question writes out ('terabytes') in the unit column's spelling ('TB')."""
    col = table.column(table.unit_column) if table.unit_column else None
    if col is None:
        return text
    held = {v.lower(): v for v in col.values}

    def short(m: re.Match[str]) -> str:
        value = held.get(_UNIT_WORDS[m.group(1).lower()])
        return value if value is not None else m.group(0)

    return _UNIT_WRITTEN.sub(short, text)


_UNIT_WRITTEN = re.compile(rf"\b({'|'.join(_UNIT_WORDS)})s?\b", re.I)


@lru_cache(maxsize=16)
def amount_columns(table: TableInfo) -> tuple[str, ...]:
    """The numeric columns with a unit of their own, when there are two or more of them."""
    cols = tuple(c.name for c in table.columns if c.numeric and c.unit and c.unit != "%")
    return cols if len(cols) >= 2 else ()


def _words(text: str) -> set[str]:
    """Singular words with shortenings written out: 'GPU-hrs' → {'gpu', 'hour'}."""
    return {singular(w) for w in canon(norm(text)).split()}


@lru_cache(maxsize=16)
def _distinctive(table: TableInfo) -> dict[str, frozenset[str]]:
    """For each amount column, the words of its header and unit no other amount column has."""
    cols = amount_columns(table)
    words = {}
    for name in cols:
        col = table.column(name)
        assert col is not None
        words[name] = _words(column_label(name)) | _words(col.unit)
    return {
        n: frozenset(w for w in ws if len(w) > 1 and all(w not in words[o] for o in cols if o != n))
        for n, ws in words.items()
    }


def asked_amounts(q: Tokens, table: TableInfo) -> tuple[str, ...]:
    """The amount columns the question's words fit best: one, or the few it cannot tell apart
    when the columns share all their words ('GPU hours' of 'GPU hours granted' and 'GPU hours
    used'); () when it names none."""
    own = _distinctive(table)
    if not own:
        return ()
    said = {singular(w) for w in canon(" ".join(q.low)).split()}
    said |= {_UNIT_WORDS[w] for w in said if w in _UNIT_WORDS}  # "terabytes" for a TB column
    said |= {x for w in said for x in _ALIKE_WORDS.get(w, ())}  # money "used" is money spent
    scores = {n: len(ws & said) for n, ws in own.items()}
    best = max(scores.values())
    hits = [n for n, s in scores.items() if s == best]
    if best and len(hits) == 1:
        return (hits[0],)
    return _by_all_words(said, table)


def _stem(word: str) -> str:
    """'granted' and 'grant', 'used' and 'use': one stem for a header word and a question's."""
    word = _IRREGULAR.get(word, word)
    for end in ("ed", "ing", "e"):
        if word.endswith(end) and len(word) - len(end) >= 2:
            return word[: -len(end)]
    return word


def _by_all_words(said: set[str], table: TableInfo) -> tuple[str, ...]:
    """When no column has a word of its own ('Granted (USD)', 'GPU hours granted', 'Spent
    (USD)', 'GPU hours used' share all theirs): the column sharing most of the question's
    words ('gpu hour grant'); a column of what was given ('granted') breaks a tie for a
    question about what rows were given ('the largest GPU-hour allocation', 'who got')."""
    from app.tables.ops import ROW_WORDS

    stems = {_stem(w) for w in said}
    stems |= {x for s in stems for x in _ALIKE.get(s, ())}  # money "used" is money spent
    rows = {_stem(singular(w)) for w in ROW_WORDS}
    given = bool(stems & (rows | _GIVEN))
    scores = {}
    for name in amount_columns(table):
        col = table.column(name)
        assert col is not None
        own = {_stem(w) for w in _words(column_label(name)) | _words(col.unit)}
        scores[name] = (len((own & stems) - rows), int(given and bool(own & rows)))
    best = max(scores.values(), default=(0, 0))
    return tuple(n for n, s in scores.items() if s == best) if best[0] else ()


def other_units(
    spec: QuerySpec, table: TableInfo, chosen: bool, fits: tuple[str, ...]
) -> tuple[QuerySpec, ...]:
    """No one unit named: the same total (or largest) in each other amount column the question
    fits, never one sum across units."""
    if spec.operation not in ("sum", "average", "rank") or chosen:
        return ()
    if spec.measure not in amount_columns(table):
        return ()
    others = [c for c in fits or amount_columns(table) if c != spec.measure]
    return tuple(spec.model_copy(update={"measure": c}) for c in others)


# What was consumed and what is left, in the words of questions and of headers.
_CONSUMED_ASKED = frozenset({"used", "use", "burned", "burn", "burnt", "spent", "consumed"})
CONSUMED_HEADERS = frozenset({"used", "spent", "consumed", "usage", "burned"})
LEFT_ASKED = frozenset({"left", "remaining", "remain", "remains", "unspent", "unused", "leftover"})
_LEFT_HEADERS = frozenset({"remaining", "left", "balance", "unused"})


def consumed_column(q: Tokens, table: TableInfo) -> str | None:
    """'how many SUs have been used' → the numeric 'Used to date' column, 'what is left' → the
    'Remaining' one, when the table has one such column and no unit names another."""
    said = set(q.low)
    for asked, heads in ((_CONSUMED_ASKED, CONSUMED_HEADERS), (LEFT_ASKED, _LEFT_HEADERS)):
        if not said & asked:
            continue
        cols = [
            c.name
            for c in table.columns
            if c.numeric and c.unit != "%" and set(norm(c.name).split()) & heads
        ]
        if len(cols) > 1:  # "used on Corvane": the one whose header names what the question does
            cols = named_or_running(cols, heads, said)
        if len(cols) == 1:
            return cols[0]
    return None


def named_or_running(cols: list[str], heads: frozenset[str], said: set[str]) -> list[str]:
    """Of several used (or given) columns, the ones whose header names what the question
    does ('used in March': 'Used Mar 2026'); naming none ('used so far'), the running total
    ('Used to Date'): a report's one-period column is asked for by its period."""
    named = [c for c in cols if (_months(norm(c)) - heads) & _months(" ".join(said))]
    return named or [c for c in cols if _CUMULATIVE.search(norm(c))]


_CUMULATIVE = re.compile(r"\b(?:to date|so far|cumulative|total|ytd|lifetime|all time)\b")
_MONTHS = {m[:3]: m for m in (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)}  # fmt: skip


def _months(text: str) -> set[str]:
    """The words of a header or question with month names shortened alike ('March' = 'Mar')."""
    out = set()
    for w in text.lower().split():
        out.add(w[:3] if w[:3] in _MONTHS and _MONTHS[w[:3]].startswith(w) else w)
    return out


def given_columns(q: Tokens, table: TableInfo) -> tuple[str, ...]:
    """The amount columns of what was given ('Granted (USD)', 'GPU hours granted'), when the
    question asks what was given ('the amount granted', 'received') and names no unit."""
    from app.tables.ops import ROW_WORDS

    rows = {_stem(singular(w)) for w in ROW_WORDS}
    stems = {_stem(singular(w)) for w in canon(" ".join(q.low)).split()}
    if not stems & (rows | _GIVEN):
        return ()
    return tuple(
        name
        for name in amount_columns(table)
        if {_stem(w) for w in _words(column_label(name))} & rows
    )
