"""A question's parts: its clauses, a follow-up merged after it, and which parts ask the table."""

from __future__ import annotations

import re
from dataclasses import replace

import app.tables.ops as ops
from app.tables.dates import find_dates
from app.tables.gate import names_something_else
from app.tables.headers import Tokens, column_refs
from app.tables.match import Match
from app.tables.matching import find_values
from index.tables import TableInfo

_CLAUSE = re.compile(
    r"[?;.!]\s+|[?;!]$|,\s*(?:and|but)\s+"
    r"(?=(?:how|what|who|when|where|which|why|is|are|can|does|do)\b)"
)
_ABBREVIATED = re.compile(r"\b([A-Z][a-z]{0,4}|[a-z]{1,4})$")  # "Sept", "Univ", "St"


def shift(m: Match, by: int) -> Match:
    """A match found in a later part, placed in the whole question's tokens."""
    return replace(m, start=m.start + by, end=m.end + by)


def follows_up(text: str, table: TableInfo) -> bool:
    """'and in Ohio?', 'what about the third largest?', 'how much in total?': a short
    follow-up that only changes a value, a date or the operation of the question before."""
    q = Tokens.of(text)
    if not q.low or len(q.low) > 12:
        return False
    nq = " " + " ".join(q.low) + " "
    matches = find_values(text, table)
    asks = bool(ops.operation(nq) or ops.rank(q) or " how much " in nq or set(q.low) & ops.LIST)
    named = any(m.strong for m in matches) or bool(find_dates(text))
    inside = {i for m in matches for i in range(m.start, m.end)}
    return (asks or named) and not defines(nq) and not names_something_else(q, inside, table)


def defines(nq: str) -> bool:
    """'what is an Explore track?': a definition, which the prose gives."""
    return bool(re.search(r" what (?:is|are|s) (?:a|an) ", nq))


def clauses(text: str) -> list[str]:
    """Sentences and ', and how/what/who …' parts of a question."""
    out: list[str] = []
    start, glue = 0, False
    for m in [*_CLAUSE.finditer(text), None]:
        piece = text[start : m.start() if m else len(text)].strip()
        if piece and glue and out:
            out[-1] += " " + piece  # "Sept. 16", "Univ. of …": a short word's period ends nothing
        elif piece:
            out.append(piece)
        if m is not None:
            glue = m.group().startswith(".") and bool(_ABBREVIATED.search(piece or "-"))
            start = m.end()
    return out


# Words that make a clause a question or a request (general English, no table's words).
_ASKING = frozenset(
    {"when", "where", "why", "is", "are", "was", "were", "can", "could", "does", "do", "did"}
    | {"will", "would", "should", "has", "have", "tell", "explain", "describe", "any"}
    | {"like", "want", "wonder", "wondering", "please", "also", "know", "curious"}
)


def asks(clause: str, question: str) -> bool:
    """A clause that asks something: a question word or a request, or a question mark after
    it; 'He's in civil engineering.' and 'need to chase renewals' ask nothing."""
    words = set(Tokens.of(clause).low)
    if words & (ops.LIST | ops.OPENERS | ops.ASKS | _ASKING):
        return True
    at = question.find(clause)
    return at >= 0 and question[at + len(clause) : at + len(clause) + 1] == "?"


def context_tokens(text: str) -> frozenset[int]:
    """Token positions of clauses that ask nothing ('need to chase renewals'): what the asker
    says of themselves there is no question about rules."""
    out: set[int] = set()
    at = 0
    for part in clauses(text):
        pos = text.find(part, at)
        if pos < 0:
            continue
        at = pos + len(part)
        if not asks(part, text):
            first = len(Tokens.of(text[:pos]).low)
            out |= set(range(first, first + len(Tokens.of(part).low)))
    return frozenset(out)


def sentence_starts(text: str) -> frozenset[int]:
    """Token positions that begin a sentence: a capital there is no sign of a name."""
    out, n = set(), 0
    for piece in re.split(r"(?<=[.?!])\s+", text):
        out.add(n)
        n += len(Tokens.of(piece).low)
    return frozenset(out)


def tabular(clause: str, table: TableInfo) -> bool:
    """A part that could be asked of the table: an ask plus named values, columns or rows."""
    q = Tokens.of(clause)
    words = set(q.low)
    asks = bool(words & (ops.LIST | ops.OPENERS | ops.DESC | ops.ASC | ops.ASKS))
    named = any(m.strong for m in find_values(clause, table)) or bool(column_refs(clause, table))
    verbs = ops.PAST - {"project", "projects"}
    if defines(" " + " ".join(q.low) + " "):
        return False
    rows = ops.ROW_WORDS - {"project", "projects"}  # "how long does a project last" is prose
    return asks and (named or bool(words & (rows | ops.EXPLICIT | verbs)))
