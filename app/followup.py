"""Follow-ups: decide whether a question leans on the conversation, and make it standalone."""

from __future__ import annotations

from collections.abc import Sequence

from app.types import Turn

_CONNECTORS = {"and", "also", "but", "or", "what about", "how about", "and what", "and how"}
_REFERRING = {"it", "that", "this", "they", "those", "them", "these", "there", "each", "one"}


def merge_history(question: str, history: Sequence[Turn]) -> str:
    """Make a follow-up standalone without a model: prefix the last user question.

    Only real follow-ups are merged — they start with a connector ("and for classroom use?"),
    lean on a referring word ("how long is each one?") or are a bare fragment of a few words.
    """
    users = [t.content for t in history if t.role == "user" and t.content.strip()]
    if not users:
        return question
    words = [w.lower().strip("?.,!;:") for w in question.split()]
    starts = " ".join(words[:2])
    connector = words[:1] and (words[0] in _CONNECTORS or starts in _CONNECTORS)
    referring = any(w in _REFERRING for w in words)
    fragment = len(words) <= 5
    if connector or referring or fragment:
        return f"{users[-1].rstrip('?. ')}; {question}"
    return question


def is_followup(question: str) -> bool:
    """Whether a question leans on the conversation: a connector, a referring word or a fragment."""
    words = [w.lower().strip("?.,!;:") for w in question.split()]
    if not words:
        return False
    connector = words[0] in _CONNECTORS or " ".join(words[:2]) in _CONNECTORS
    referring = any(w in _REFERRING for w in words)
    return connector or referring or len(words) <= 5
