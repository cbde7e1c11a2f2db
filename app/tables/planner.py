"""Question → query spec without a model: what the question names, what it asks, and whether to.

The planner answers only on strong evidence — an operation word (which, how many, total,
largest, per …) together with values of the table or an explicit reference to its rows
(awards, allocations, the table) — so prose questions go to the passages as before.

This module owns `Plan` and the order of the steps: reading.py reads what the question names,
asking.py what it asks, evidence.py decides whether the table answers, specbuild.py builds
the spec. A question with a prose part is planned on its table parts only.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.tables.amounts import given_columns, other_units
from app.tables.asking import ask
from app.tables.evidence import evidence
from app.tables.parts import asks, clauses, follows_up, tabular
from app.tables.reading import read
from app.tables.spec import QuerySpec
from app.tables.specbuild import build_spec
from index.tables import TableInfo


@dataclass(frozen=True)
class Plan:
    """A spec for one table and why the planner thinks the question asks the table."""

    spec: QuerySpec
    table: TableInfo
    evidence: tuple[str, ...]
    partial: bool = False  # the question also asks something the table cannot answer
    also: tuple[QuerySpec, ...] = ()  # the same query on the table's other amount columns


def plan_question(question: str, tables: list[TableInfo]) -> Plan | None:
    """The best plan over the tables, or None when the question is not a table question."""
    plans = [p for t in tables if (p := _plan_parts(question, t)) is not None]
    return max(plans, key=lambda p: len(p.evidence), default=None)


def _plan_parts(question: str, table: TableInfo) -> Plan | None:
    """Plan the whole question, or only its table parts when another part asks the prose."""
    first, semi, then = question.rpartition(";")
    if semi and first.strip() and follows_up(then, table) and _plan(first, table):
        return _plan(question, table, then)  # a follow-up merged after its question
    # "He's in civil engineering.", "need to chase renewals": a statement asks nothing, so it
    # is context for the question beside it, never a prose part left unanswered
    parts = [p for p in clauses(question) if asks(p, question)]
    asked = [p for p in parts if tabular(p, table)]
    if len(parts) > 1 and asked and len(asked) < len(parts):
        plan = _plan(" ".join(asked), table)
        return Plan(plan.spec, plan.table, plan.evidence, True, plan.also) if plan else None
    return _plan(question, table)


def _plan(question: str, table: TableInfo, follow: str = "") -> Plan | None:
    """Plan against one table; `follow` is a follow-up merged after it, whose values win."""
    reading = read(question, table, follow)
    asked = ask(reading, table)
    if asked is None:
        return None
    why = evidence(reading, asked, table)
    if why is None:
        return None
    spec = build_spec(reading, asked, table)
    if spec is None:
        return None
    fits = reading.fits or given_columns(reading.q, table)
    return Plan(spec, table, why, also=other_units(spec, table, bool(reading.chosen), fits))
