"""Typed objects of the answer layer; citations travel with the answer to every interface."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.types import Hit


@dataclass(frozen=True)
class Citation:
    """A source the answer actually cites, with what an interface needs to link it."""

    key: str  # "S1": keys are numbered in order of first use in the answer
    chunk_id: str
    title: str
    source: str
    url: str
    locator: str
    snippet: str
    as_of: str = ""
    rank: int = 0  # the cited hit's rank in `Answer.hits` (1-based)


@dataclass(frozen=True)
class Notice:
    """A typed warning: `code` is stable for programs, `message` is for people."""

    code: str
    message: str


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation."""

    role: str  # "user" or "assistant"
    content: str
    abstained: bool = False  # an assistant turn that was the "not in the documents" answer


@dataclass(frozen=True)
class Answer:
    """An answer with the sources it cites and everything that was retrieved."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    abstained: bool
    backend: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""
    warnings: tuple[Notice, ...] = ()
    id: str = ""
    abstain_reason: str | None = None  # why the documents were judged not to answer
    uncovered: tuple[str, ...] = ()  # parts of a multi-part question the documents don't cover
    confidence: float | None = None  # the answerability model's probability, when it ran

    def notes(self, *codes: str) -> list[Notice]:
        """The warnings with one of these codes (all of them when none is given)."""
        return [w for w in self.warnings if not codes or w.code in codes]
