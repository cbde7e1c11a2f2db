"""Model answers: grounded prompt → streamed tokens → checked citations, degrading to extractive."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace

from app.answer import Assistant, citations_for, timings
from app.backends.extractive import extractive_answer
from app.backends.openai_compatible import ChatBackend
from app.citations import check_citations
from app.config import BackendProfile, Settings
from app.errors import BackendAuthError, BackendError
from app.guard import leaks_prompt
from app.prompts import SYSTEM, answer_messages, rewrite_messages
from app.types import Answer, Turn

log = logging.getLogger(__name__)


def backend_for(settings: Settings, name: str, profile: BackendProfile) -> ChatBackend:
    """Build the client for a named profile with its key from the environment."""
    return ChatBackend(name, profile, settings.api_key(profile))


def rewrite_question(
    backend: ChatBackend, question: str, history: Sequence[Turn], fallback: str
) -> tuple[str, str | None]:
    """Let the model make a follow-up standalone; fall back to the history merge on any failure."""
    try:
        text = backend.complete(rewrite_messages(question, history), max_tokens=80).strip()
    except BackendError as exc:
        return fallback, f"question rewrite failed ({exc}); used the history merge"
    text = text.strip().strip('"').splitlines()[0] if text.strip() else ""
    if not text or len(text) > 400:
        return fallback, "question rewrite unusable; used the history merge"
    return text, None


def generate_stream(
    assistant: Assistant,
    base: Answer,
    backend: ChatBackend,
    standalone: str,
    history: Sequence[Turn],
    keys: Sequence[str],
    t0: float,
    t1: float,
) -> Iterator[str | Answer]:
    """Stream a model answer; on failure say so and give the extractive answer with its sources."""
    hits = list(base.hits)
    pieces: list[str] = []
    try:
        for piece in backend.stream(answer_messages(standalone, hits, keys, history)):
            pieces.append(piece)
            yield piece
    except BackendError as exc:
        yield from _degrade(assistant, base, standalone, keys, exc, bool(pieces), t0, t1)
        return
    checked = check_citations("".join(pieces), keys)
    warnings = list(base.warnings)
    if checked.dropped_keys:
        warnings.append(f"removed unknown citation keys: {', '.join(checked.dropped_keys)}")
    if checked.uncited_sentences:
        warnings.append(f"{checked.uncited_sentences} sentence(s) without a citation")
    text = checked.text
    used = checked.used_keys
    if leaks_prompt(text, SYSTEM):
        # Never show the instructions, whatever a document or question talked the model into.
        text, used = extractive_answer(standalone, hits, keys, assistant.embedder)
        warnings.append("withheld a model answer that repeated the assistant's instructions")
    elif not used:
        warnings.append("the model's answer cites no passage")
        if assistant.settings.backend.strict_citations:
            ext, used = extractive_answer(standalone, hits, keys, assistant.embedder)
            text = ext
            warnings.append("strict citations: replaced by sentences from the documents")
    yield replace(
        base,
        text=text or "(the model returned an empty answer)",
        citations=citations_for(used, keys, hits),
        warnings=tuple(warnings),
        timings_ms=timings(t0, t1),
    )


def _degrade(
    assistant: Assistant,
    base: Answer,
    standalone: str,
    keys: Sequence[str],
    exc: BackendError,
    partial: bool,
    t0: float,
    t1: float,
) -> Iterator[str | Answer]:
    """A clear message plus the retrieved sources, as an extractive answer."""
    hits = list(base.hits)
    ext, used = extractive_answer(standalone, hits, keys, assistant.embedder)
    kind = "configuration" if isinstance(exc, BackendAuthError) else "service"
    # The public text stays generic; the operator's reason goes to the log and `warnings`.
    log.warning("backend %r failed, answering extractively: %s", base.backend, exc)
    notice = "The answer model is unavailable right now. Here is what the documents say instead:"
    text = f"{notice}\n\n{ext}" if ext else notice
    yield ("\n\n" if partial else "") + text
    yield replace(
        base,
        text=text,
        citations=citations_for(used, keys, hits),
        backend="extractive",
        warnings=(*base.warnings, f"backend {kind} error from {base.backend!r}: {exc}"),
        timings_ms=timings(t0, t1),
    )
