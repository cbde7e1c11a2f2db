"""Typed objects of the answer layer; citations travel with the answer to every interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from index.types import Hit


@dataclass(frozen=True)
class Citation:
    """A source the answer actually cites, with what an interface needs to link it."""

    key: str  # "S1"
    chunk_id: str
    title: str
    source: str
    url: str
    locator: str
    snippet: str
    as_of: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form."""
        return {
            "key": self.key,
            "chunk_id": self.chunk_id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "locator": self.locator,
            "as_of": self.as_of,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation."""

    role: str  # "user" or "assistant"
    content: str


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
    warnings: tuple[str, ...] = ()
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The stable public JSON (`pilotdesk ask --json`, POST /v1/ask)."""
        return {
            "id": self.id,
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "hits": [
                {
                    "rank": h.rank,
                    "score": round(h.score, 6),
                    "dense_score": None if h.dense_score is None else round(h.dense_score, 4),
                    "chunk_id": h.chunk.id,
                    "title": h.chunk.title,
                    "source": h.chunk.source,
                    "url": h.chunk.url,
                    "locator": h.chunk.locator,
                    "as_of": h.chunk.as_of,
                    "text": h.chunk.text,
                }
                for h in self.hits
            ],
            "backend": self.backend,
            "warnings": list(self.warnings),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
