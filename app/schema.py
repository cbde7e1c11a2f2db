"""The one public answer schema: CLI `--json`, the HTTP API and eval records all use it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.types import Answer, Citation, Notice
from index.types import Hit

SCHEMA_VERSION = 2  # 2: keys in order of use, citation rank, typed warnings, uncovered


class CitationOut(BaseModel):
    """A passage the answer cites."""

    key: str = Field(description="The key used in the answer text: S1, S2, … in order of use.")
    rank: int = Field(description="Rank of the cited passage in `hits` (1-based).")
    chunk_id: str = Field(description="Id of the cited passage.")
    title: str = Field(description="Document title.")
    source: str = Field(description="Document URL, or file name for files.")
    url: str = Field(description="Canonical URL of the document ('' when none).")
    locator: str = Field(description="slide N, p. N, § Section, row N, summary or a table query.")
    as_of: str = Field(description="Date the document describes ('' when unknown).")
    snippet: str = Field(description="A short excerpt of the passage.")


class HitOut(BaseModel):
    """One retrieved passage, in rank order."""

    rank: int = Field(description="1-based rank.")
    score: float = Field(description="Fused retrieval score.")
    dense_score: float | None = Field(description="Cosine similarity to the question.")
    chunk_id: str = Field(description="Passage id.")
    title: str = Field(description="Document title.")
    source: str = Field(description="Document URL, or file name for files.")
    url: str = Field(description="Canonical URL ('' when none).")
    locator: str = Field(description="Where in the document the passage is.")
    as_of: str = Field(description="Document date ('' when unknown).")
    text: str = Field(description="Passage text.")
    synthetic: bool = Field(
        False, description="True for a passage computed from a table query, not stored text."
    )


class WarningOut(BaseModel):
    """A typed note about the answer."""

    code: str = Field(description="Stable machine-readable code, e.g. backend_error.")
    message: str = Field(description="What happened, for people.")


class AnswerOut(BaseModel):
    """The public answer JSON (`pilotdesk ask --json`, POST /v1/ask, eval records)."""

    id: str = Field(description="Answer id, for /v1/feedback.")
    question: str = Field(description="The question as asked.")
    standalone_question: str = Field(description="The question after resolving a follow-up.")
    answer: str = Field(description="Answer text with [S#] citation keys.")
    abstained: bool = Field(description="True for the 'not in the documents' answer.")
    abstain_reason: str | None = Field(
        None, description="Why the documents were judged not to answer, in plain words."
    )
    uncovered: list[str] = Field(
        default_factory=list,
        description="Parts of a multi-part question the documents don't cover.",
    )
    confidence: float | None = Field(
        None, description="Probability that the documents answer the question."
    )
    citations: list[CitationOut] = Field(description="What the answer cites, in order of use.")
    hits: list[HitOut] = Field(description="Everything retrieved, in rank order.")
    backend: str = Field(description="The backend profile that produced the text.")
    warnings: list[WarningOut] = Field(description="Typed notes about the answer.")
    timings_ms: dict[str, float] = Field(description="retrieve, answer and total milliseconds.")


def citation_out(c: Citation) -> CitationOut:
    """The public form of one citation."""
    return CitationOut(
        key=c.key,
        rank=c.rank,
        chunk_id=c.chunk_id,
        title=c.title,
        source=c.source,
        url=c.url,
        locator=c.locator,
        as_of=c.as_of,
        snippet=c.snippet,
    )


def hit_out(h: Hit) -> HitOut:
    """The public form of one hit."""
    return HitOut(
        rank=h.rank,
        score=round(h.score, 6),
        dense_score=None if h.dense_score is None else round(h.dense_score, 4),
        chunk_id=h.chunk.id,
        title=h.chunk.title,
        source=h.chunk.source,
        url=h.chunk.url,
        locator=h.chunk.locator,
        as_of=h.chunk.as_of,
        text=h.chunk.text,
        synthetic=h.retriever == "table",
    )


def warning_out(w: Notice) -> WarningOut:
    """The public form of one warning."""
    return WarningOut(code=w.code, message=w.message)


def answer_out(a: Answer) -> AnswerOut:
    """The public form of an answer."""
    return AnswerOut(
        id=a.id,
        question=a.question,
        standalone_question=a.standalone_question or a.question,
        answer=a.text,
        abstained=a.abstained,
        abstain_reason=a.abstain_reason,
        uncovered=list(a.uncovered),
        confidence=None if a.confidence is None else round(a.confidence, 4),
        citations=[citation_out(c) for c in a.citations],
        hits=[hit_out(h) for h in a.hits],
        backend=a.backend,
        warnings=[warning_out(w) for w in a.warnings],
        timings_ms={k: round(v, 1) for k, v in a.timings_ms.items()},
    )


def answer_dict(a: Answer) -> dict[str, Any]:
    """The public answer as plain JSON-ready data."""
    return answer_out(a).model_dump(mode="json")
