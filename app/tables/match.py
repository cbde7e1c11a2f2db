"""A value a question names: the unit the matchers hand to the planner."""

from __future__ import annotations

from dataclasses import dataclass


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
