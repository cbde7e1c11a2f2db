"""Reading an answer's notes for people: warnings in the old string form or the typed
{code, message} form, the reason an answer was not given, and what the documents miss."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Operator matters: backend failures go to the server log and the staff view; applicants see
# the answer's own "model unavailable" wording instead.
_HIDDEN_CODES = ("abstain", "backend")


def warning_parts(w: Any) -> tuple[str, str]:
    """(code, message) of one warning: "code: message" strings, dicts or objects."""
    if isinstance(w, str):
        if w.startswith("abstained"):
            return "abstained", w.partition(": ")[2] or w
        return ("backend" if w.startswith("backend ") else ""), w
    if isinstance(w, dict):
        return str(w.get("code", "")), str(w.get("message", ""))
    return str(getattr(w, "code", "")), str(getattr(w, "message", w))


def applicant_notes(warnings: Iterable[Any]) -> list[str]:
    """Warnings an applicant should read."""
    out = []
    for w in warnings:
        code, message = warning_parts(w)
        if message and not code.lower().startswith(_HIDDEN_CODES):
            out.append(message)
    return out


def abstain_reason(answer: Any) -> str:
    """Why the documents' answer was withheld, in plain words ('' when not given)."""
    reason = getattr(answer, "abstain_reason", None)
    if reason:
        return str(reason).replace("_", " ")
    for w in getattr(answer, "warnings", ()):
        code, message = warning_parts(w)
        if code.lower().startswith("abstain"):
            return message.replace("_", " ")
    return ""


def uncovered_text(answer: Any) -> str:
    """'The documents do not cover: a; b' for the parts of a question left unanswered."""
    parts = [str(u).strip() for u in getattr(answer, "uncovered", None) or () if str(u).strip()]
    return "The documents do not cover: " + "; ".join(parts) if parts else ""
