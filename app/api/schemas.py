"""Request and response models of the HTTP API (they also make the OpenAPI docs)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from app.schema import AnswerOut

CONVERSATION_ID = r"^[A-Za-z0-9_-]{1,64}$"


class AskRequest(BaseModel):
    """A question, optionally continuing a conversation."""

    question: str = Field(
        min_length=1,
        description="The question (at most api.max_question_chars characters).",
        examples=["Can a community college instructor request classroom resources?"],
    )
    conversation_id: str | None = Field(
        None,
        pattern=CONVERSATION_ID,
        description="Continue this conversation (from an earlier reply); omit to start one.",
    )
    backend: str | None = Field(
        None, max_length=64, description="Backend profile name; default: backend.default."
    )
    stream: bool | None = Field(
        None,
        description="/v1/chat only: false returns one JSON answer instead of an event stream "
        "(so does Accept: application/json).",
    )


class AnswerReply(AnswerOut):
    """The answer JSON (the same schema as `pilotdesk ask --json`) plus the conversation id."""

    conversation_id: str = Field(description="Send it back to continue the conversation.")


class FeedbackRequest(BaseModel):
    """Thumbs up or down on one answer."""

    answer_id: str = Field(min_length=1, max_length=64, description="The answer's `id`.")
    score: Literal[1, -1, "up", "down"] | None = Field(
        None, description="1 or 'up' (helpful), -1 or 'down' (not helpful)."
    )
    thumbs: Literal["up", "down"] | None = Field(None, description="Alternative to `score`.")
    comment: str = Field("", max_length=2000, description="Optional free text.")

    @field_validator("score", mode="before")
    @classmethod
    def _no_booleans(cls, value: object) -> object:
        """JSON true equals 1 in Python; a vote must be said as 1, -1, "up" or "down"."""
        if isinstance(value, bool):
            raise ValueError("score must be 1, -1, 'up' or 'down', not true or false")
        return value

    @model_validator(mode="after")
    def _one_score(self) -> FeedbackRequest:
        """Exactly one of score and thumbs."""
        if (self.score is None) == (self.thumbs is None):
            raise ValueError("send exactly one of score (1 or -1) and thumbs ('up' or 'down')")
        return self

    @property
    def value(self) -> int:
        """+1 or -1."""
        given = self.score if self.score is not None else self.thumbs
        return 1 if given in (1, "up") else -1


class FeedbackOut(BaseModel):
    """The stored feedback row."""

    ok: bool = True
    feedback_id: int
    answer_id: str


class ErrorOut(BaseModel):
    """Every error response."""

    error: str = Field(description="What went wrong.")
    hint: str = Field(description="What to do about it.")


class SourceOut(BaseModel):
    """One indexed document."""

    id: str
    title: str
    kind: str
    source: str = Field(description="URL, or the file name for files.")
    url: str
    as_of: str
    chunks: int


class SourcesOut(BaseModel):
    """What is indexed."""

    index_version: str
    documents: int
    chunks: int
    sources: list[SourceOut]


class ClientConfig(BaseModel):
    """Public settings the widget needs."""

    office_hours_url: str = Field(description="Where to send questions the documents miss.")
    official_site_url: str = Field(
        "https://nairrpilot.org",
        description="The official site; the widget links office hours only when they differ.",
    )
    max_question_chars: int = Field(description="Longest question the server accepts.")
    origin_allowed: bool = Field(
        True,
        description="Whether the asking page's origin may use the API (api.allowed_origins); "
        "answered to any origin, so a widget can tell a refusal from a network failure.",
    )
    examples: list[str] = Field(
        default_factory=list, description="Example questions to offer in an empty chat."
    )


ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (400, "Unknown backend"),
        (401, "Wrong bearer token"),
        (413, "Body too large"),
        (422, "Invalid request or question too long"),
        (429, "Rate limited; see Retry-After"),
        (503, "No index loaded"),
    )
}
