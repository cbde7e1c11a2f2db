"""The one backend interface: every answer backend streams text and ends with a Draft."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.types import Notice, Turn
from index.types import Hit


@dataclass(frozen=True)
class Draft:
    """What a backend produced: text with the context's keys, before keys are renumbered."""

    text: str
    used: tuple[str, ...]  # context keys in order of first use
    warnings: tuple[Notice, ...] = ()
    backend: str | None = None  # set when another backend answered instead (a fallback)
    abstained: bool = False
    abstain_reason: str | None = None
    uncovered: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerContext:
    """Everything a backend may use to answer one question."""

    question: str  # as asked
    standalone: str  # after resolving a follow-up
    history: tuple[Turn, ...]
    hits: tuple[Hit, ...]
    keys: tuple[str, ...]  # one key per hit, "S1" for hits[0]
    focus: str = ""  # a follow-up's own words, when it was merged with history
    uncovered: tuple[str, ...] = ()  # parts the documents don't cover: say so, don't answer
    # The offline answer for this context, used when a model fails or says nothing supported.
    fallback: Callable[[AnswerContext], Draft] = field(default=lambda _ctx: Draft("", ()))

    def hit(self, key: str) -> Hit:
        """The hit behind a key."""
        return self.hits[self.keys.index(key)]


class Backend(Protocol):
    """An answer backend: the extractive default or an OpenAI-compatible model."""

    name: str
    offline: bool  # True when it needs no model and no network

    def stream(self, ctx: AnswerContext) -> Iterator[str | Draft]:
        """Yield text pieces as they come, then exactly one Draft."""
        ...

    def rewrite(
        self, question: str, history: Sequence[Turn], fallback: str
    ) -> tuple[str, Notice | None]:
        """Make a follow-up standalone; return `fallback` (and why) when it can't."""
        ...

    def health(self) -> tuple[bool, str]:
        """Whether the backend can answer now, and a short detail."""
        ...

    def describe(self) -> str:
        """Where it answers from, for operators (never a key)."""
        ...
