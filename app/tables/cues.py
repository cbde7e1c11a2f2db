"""Small readings of a question the planner combines: numbers written out, whether rows,
places or all rows are asked, and whether an amount is aggregated."""

from __future__ import annotations

import re
from collections.abc import Set

import app.tables.ops as ops
from app.tables.headers import Tokens
from app.tables.match import Match
from app.tables.places import is_place_column
from app.tables.spec import Operation
from index.tables import TableInfo

# "does X have anything on Y", "anything for X on Y?": the rows of what is named
ANY_ROWS = re.compile(r" (?:have|has|got|get) (?:anything|any) |^ anything ")
# "has anyone gone over …", "is anybody at 100 %": a yes/no about rows, answered by listing them
ANYONE = re.compile(r"^ (?:has|have|is|are|did|does|do) (?:anyone|anybody|any one) ")
# "what has X been awarded": what X got
BEEN_GIVEN = re.compile(r" (?:has|have) (?:\w+ ){1,4}?been (?:awarded|granted|allocated|given) ")


_SIGNS = {"$": "dollars", "€": "euros", "£": "pounds"}


def numbers(question: str) -> str:
    """'12,000' → '12000', '10k' → '10000', '1.5 million' → '1500000'."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", question)
    scale = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}

    def whole(m: re.Match[str]) -> str:
        return str(round(float(m.group(1)) * scale[m.group(2).lower()]))

    text = re.sub(r"\b(\d+(?:\.\d+)?) ?(k|K|M|thousand|million)\b", whole, text)
    # "$50000": the sign names the unit as the word does ("50000 dollars")
    return re.sub(
        r"([$€£])\s?(\d+(?:\.\d+)?)", lambda m: f"{m.group(2)} {_SIGNS[m.group(1)]}", text
    )


def overlap(a: Match, b: Match) -> bool:
    """Two matches share a word of the question."""
    return a.start < b.end and b.start < a.end


def misspelt_rows(q: Tokens, noun: str) -> set[str]:
    """'awrds', 'alocations': a row word written with a slip."""
    from rapidfuzz import fuzz

    nouns = {"awards", "allocations", noun}
    # "allocs": the noun clipped, as people write it in a hurry
    clipped = {t for t in q.low if len(t) >= 5 and any(n.startswith(t.rstrip("s")) for n in nouns)}
    return clipped | {
        t for t in q.low if len(t) >= 5 and any(fuzz.ratio(t, n) >= 85 for n in nouns)
    }


def fragment(q: Tokens) -> bool:
    """A short ask without a verb phrase: 'anvil totals', 'biggest one on vista'."""
    return len(q.low) <= 5 or (len(q.low) <= 7 and bool({"one", "ones"} & set(q.low)))


def sums_per(q: Tokens, nq: str, named: bool) -> bool:
    """Amounts are added up per group: 'in total', 'by total', 'the most SUs', or 'top 5
    institutions by GPU hours' (a group ranked by a named amount)."""
    if ops.operation(nq) == "sum" or re.search(r" by (?:the )?(?:total|sum|amount) ", nq):
        return True
    if named and " by " in nq:
        return True
    most = any(t in ("most", "least", "fewest") for t in q.low)
    return most and named


def place(m: Match, table: TableInfo) -> bool:
    """A state or country named after 'from', 'in' or 'based in': the rows located there."""
    col = table.column(m.column)
    return col is not None and m.op == "in" and is_place_column(col.values)


def all_rows(words: Set[str], starts: Set[str]) -> bool:
    """'list all awards', 'show every allocation': the whole table is asked for."""
    return bool(words & {"all", "every", "each"} or starts & {"list", "show", "name", "give"})


def lists_values(nq: str) -> bool:
    """'which resources appear / are listed / are in the table': the values, not the rows."""
    return bool(
        re.search(r" (appear|appears|listed|are in the table|occur|occurs|show up|shows up) ", nq)
    )


def amount_asked(op: Operation, narrowed: bool, bounded: bool, listing: bool) -> bool:
    """An amount column is named and the question aggregates it over named rows or groups,
    bounds it ('more than 5 TB'), or asks which row holds the largest."""
    return (op in ("sum", "average", "rank") and narrowed) or bounded or (op == "rank" and listing)
