"""The planner's third step: whether the table, not the passages, should answer.

Owns `evidence`: the reason the planner accepts a question (strong evidence only, so prose
questions keep going to the passages), or None when a personal situation, a rule of the
programme, something the table does not hold, or too little evidence says otherwise. The
word-level checks it combines live in gate.py and cues.py.
"""

from __future__ import annotations

import re

import app.tables.ops as ops
from app.tables.asides import aside_tokens
from app.tables.asking import Ask
from app.tables.columns import attribute_column, ranked_subject
from app.tables.cues import ANYONE, all_rows, amount_asked, fragment, lists_values, place
from app.tables.gate import ABSENT, asks_elsewhere, names_something_else, unknown_head
from app.tables.parts import context_tokens, sentence_starts
from app.tables.reading import Reading
from app.tables.roles import has_people
from index.tables import TableInfo

# "approved but haven't started yet": a state the named status already says, not a set
# difference ("which universities did not get …")
_NOT_YET = re.compile(
    r" (?:didn t|did not|haven t|hasn t|has not|have not|not) (?:yet )?(?:start|started|begun|"
    r"begin|began|ended|end|finished|closed|expired|opened|kicked off)(?: yet)? "
)
_OUR_AWARDS = re.compile(
    r" (?:we|we ve|have we|did we|has our \w+|our \w+ has) (?:\w+ )?(?:handed out|handed|awarded|"
    r"given out|given|gave|granted|allocated|approved|issued|distributed|committed)\b"
    # "our Google Cloud awards", "how many awards do we have", "credits from us": the program
    # speaking of its own records
    r"| our (?:[\w-]+ ){0,3}?(?:awards|allocations|grants|projects|records|roster)\b"
    r"| (?:do|did) we have (?:[\w-]+ ){0,3}?(?:awards|allocations|grants|projects)\b"
    r"|(?:awards|allocations|grants|projects) (?:do|did) we have\b| from us\b"
)
_PERSONAL = {"i", "me", "my", "we", "our", "you", "your", "im"}
_MODAL = {"can", "could", "should", "would", "may", "might", "must", "need", "eligible", "apply"}
# Words of rules and offers: "the largest allocation available", "the minimum the pilot offers"
_POLICY = re.compile(
    r" (available|offer|offers|offered|possible|allowed|permitted|maximum|minimum|cap|limit|"
    r"cost|costs|price|fee|fees|pay|charged|free) "
)


def evidence(r: Reading, a: Ask, table: TableInfo) -> tuple[str, ...] | None:
    """Why the table answers (a reason, then each value and date named), or None."""
    absent = ABSENT.search(r.nq) and not (_NOT_YET.search(r.nq) and a.matches)
    if absent or asks_elsewhere(r.q, r.nq, r.inside, table):
        return None
    strong = {i for m in a.matches if m.strong for i in range(m.start, m.end)}
    head = unknown_head(r.q, strong | {i for d in r.dates for i in range(d.start, d.end)}, table)
    # "how many requests are pending": requests of a named status are rows; "how many
    # requests did the pilot receive in 2024" asks about every request, which prose counts
    if head and not (head in ("requests", "request") and strong):
        return None  # "how many terabytes of storage …": no column holds what is asked
    if r.id_match and (r.refs or a.listing):
        reason: str | None = "identifier"
    elif _refused(r, a, table):
        return None
    else:
        reason = _reason(r, a, table)
    if reason is None or not _enough(r, a, reason):
        return None
    return (reason, *[f"value {m.column}" for m in a.matches], *["date"] * bool(r.dates))


def _vetoed(r: Reading, a: Ask) -> bool:
    """A personal situation or a modal ask ('can I', 'should we') is for the passages, unless
    the table, a row's code or a report per group is asked."""
    # "show me", "list … for me": a request for rows, not a personal situation
    request = bool(a.starts & ops.OPENERS)
    # "we're planning the maintenance window", "our office wants to know", "can you": the
    # scene and the courtesy around an ask are no personal situation
    scene = aside_tokens(r.text)
    q = r.q
    personal = {
        w
        for i, w in enumerate(q.low)
        if w in _PERSONAL
        and i not in scene
        and not (w == "me" and (request or (i and q.low[i - 1] in ops.OPENERS)))
    }
    # "how many hours have we handed out": the programme's own voice, not a personal situation
    if _OUR_AWARDS.search(r.nq):
        personal -= {"we", "our", "us"}
    aside = r.inside | context_tokens(r.text) | scene  # not "May 2025", nor "need to chase …"
    modal = {w for i, w in enumerate(q.low) if w in _MODAL and i not in aside}
    # "I need the core-hour totals broken down by field": a request for a named amount per
    # group is a report asked of the table ("can I get … per …" still asks a rule)
    report = bool(a.group) and r.measure_named and not modal - {"need"}
    return bool(personal or modal) and not (a.explicit or r.id_match or report)


def _refused(r: Reading, a: Ask, table: TableInfo) -> bool:
    """A veto, a thing the table does not hold, or a rule of the programme."""
    if _vetoed(r, a) or names_something_else(r.q, r.inside, table, sentence_starts(r.text)):
        return True
    # "the largest allocation available": a rule of the program, not a row
    named = any(m.strong for m in a.matches if m not in r.units)
    # "how much was charged per provider" of a "Charged" column asks the column, not a fee
    headers = {w for c in table.columns for w in c.name.lower().split()}
    # "jobs that hit their time limit" of a TIMEOUT state: words of a value matched are no rule
    said = {r.q.low[i] for m in a.matches for i in range(m.start, m.end) if i < len(r.q.low)}
    policy = [m for m in _POLICY.finditer(r.nq) if m.group(1) not in headers | said]
    return bool(policy) and not (a.explicit or r.dates or named)


def _reason(r: Reading, a: Ask, table: TableInfo) -> str | None:
    """The first reason, in order of strength, to answer from the table, or None."""
    strong = any(m.strong for m in a.matches)
    strong_value = strong or bool(r.dates)
    if r.rows_named and (
        a.filtered or a.group or a.by_count or a.explicit or a.op in ("list", "rank")
    ):
        return "rows named"
    if (r.words & ops.PAST or a.did_get) and (
        strong or (a.matches and r.refs) or a.bounded or (r.dates and a.projects)
    ):
        return "past-tense verb"
    if ANYONE.search(r.nq) and a.op == "list" and (a.bounded or r.dates):
        return "anyone asked"  # "has anyone gone past their award", "is anybody over 90%"
    if a.explicit and (a.group or a.filtered) and a.op != "list":
        return "table named"
    if a.op != "list" and strong_value and r.refs:
        return "aggregate over named values"
    if (
        a.op in ("sum", "average", "rank", "count")
        and fragment(r.q)
        and any(m.strong for m in a.matches if m not in r.units)
    ):
        return "short ask about named rows"  # "anvil totals", "how many pending"
    if r.measure_named and amount_asked(a.op, strong_value or bool(a.group), a.bounded, a.listing):
        return "measure named"
    if r.chosen and a.op in ("sum", "average") and _own_name(r.chosen) & r.words:
        return "column named"  # "hours burned on Corvane" of a 'Corvane (GPU) Used' column
    if a.distinct and (a.explicit or r.rows_named or r.words & {"different", "distinct", "unique"}):
        return "distinct values"
    if a.asked and (a.explicit or r.rows_named) and lists_values(r.nq):
        return "values of a column"
    if (a.listing or all_rows(r.words, a.starts)) and any(place(m, table) for m in a.matches):
        return "place named"  # "who is from Texas", "list everyone from Louisiana"
    if (
        a.op == "list"
        and a.starts & {"who", "whose"}
        and has_people(table)
        and any(m.strong and _categorical(table, m.column) for m in a.matches)
    ):
        return "people of named rows"  # "who has storage on Vireo", "who got Kestrel time"
    if (
        a.listing
        and (attr := a.asked or attribute_column(r.q, table, r.ident))
        and any(m.strong and m.column != attr for m in a.matches)
    ):
        return "column of named rows"  # "what state is Bayou State University in"
    if a.dated and a.op == "list":
        return "rows starting or ending then"
    if a.op in ("sum", "count", "average") and a.group and fragment(r.q):
        return "short ask per a column"  # "total per state"
    if a.rank is not None and r.measure_named and ranked_subject(r.q, table, r.ident):
        return "groups ranked by an amount"  # "top 5 institutions by GPU hours"
    return None


def _categorical(table: TableInfo, name: str) -> bool:
    """A text column of a few repeated values (a resource, a state), not of names."""
    col = table.column(name)
    return col is not None and col.type == "text" and col.categorical


# Words of an amount header that say what kind of amount it is, not whose or where.
_MEASURE_WORDS = frozenset({
    "used", "awarded", "granted", "allocated", "remaining", "left", "balance", "hours", "hour",
    "hrs", "h", "gpu", "gpus", "cpu", "cpus", "node", "nodes", "core", "cores", "su", "sus",
    "credits", "total", "amount", "spent", "charged", "billed", "usage", "requested", "of", "in",
    "the",
})  # fmt: skip


def _own_name(column: str) -> set[str]:
    """The words that name a column apart from its measure: 'Corvane' in 'Corvane (GPU) Used'."""
    return {w for w in re.findall(r"[a-z]+", column.lower()) if w not in _MEASURE_WORDS}


def _enough(r: Reading, a: Ask, reason: str) -> bool:
    """The rows asked are narrowed, grouped or named enough for a sample table to answer."""
    whole = bool(a.distinct or a.op == "rank" or r.measure_named or reason == "values of a column")
    values_asked = bool(a.asked) and lists_values(r.nq)  # "what kinds of programs show up"
    if a.op == "list" and not (
        a.filtered or a.group or a.explicit or values_asked or all_rows(r.words, a.starts)
    ):
        return False  # "who reviews allocation requests": no row is named, none is asked
    # "total of all awards": the table is a sample, not every award ever made
    return bool(a.filtered or a.group or a.by_count or a.op == "list" or a.explicit or whole)
