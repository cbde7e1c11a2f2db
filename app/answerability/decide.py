"""Answer, answer in part, or refuse: the decision and the reasons people are shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.answerability.features import SentenceScore, compute
from app.answerability.model import AnswerabilityModel
from app.guard import looks_like_injection
from index.types import Hit


@dataclass(frozen=True)
class Decision:
    """Whether the documents answer a question, how sure, and why not."""

    answer: bool
    probability: float
    reasons: tuple[str, ...] = ()
    features: dict[str, float] = field(default_factory=dict)

    @property
    def reason_text(self) -> str:
        """The reasons as one sentence for people."""
        if not self.reasons:
            return f"the documents are unlikely to answer it (confidence {self.probability:.2f})"
        return "; ".join(self.reasons)


def decide(
    question: str,
    hits: Sequence[Hit],
    sentences: Sequence[SentenceScore],
    vocabulary: set[str],
    model: AnswerabilityModel,
    threshold: float | None = None,
    *,
    part: bool = False,
    topic: float | None = None,
    occurs: Callable[[str], bool],
) -> Decision:
    """Score the question (or one part of a multi-part question) against what was retrieved."""
    if looks_like_injection(question):
        # A guard, not a fitted rule: instructions to the assistant are never "answered".
        return Decision(False, 0.0, ("the question tries to change the assistant's instructions",))
    if not hits:
        return Decision(False, 0.0, ("nothing in the documents matched the question",))
    x = compute(question, hits, sentences, vocabulary, topic=topic, occurs=occurs)
    p = model.probability(x)
    cut = (model.part_cut if part else model.threshold) if threshold is None else threshold
    if p >= cut:
        return Decision(True, p, (), x)
    return Decision(False, p, tuple(model.reasons(x)), x)
