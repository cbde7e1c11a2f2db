"""Model answers: grounded prompt → streamed tokens → checked citations and claims."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from app.backends.base import AnswerContext, Draft
from app.backends.openai_compatible import ChatBackend
from app.backends.support import check_support
from app.citations import check_citations
from app.errors import BackendAuthError, BackendError
from app.guard import leaks_prompt
from app.prompts import NO_ANSWER_MARKER, SYSTEM, answer_messages, rewrite_messages
from app.types import Notice, Turn

log = logging.getLogger(__name__)


class ModelBackend:
    """An OpenAI-compatible model whose every sentence is checked against what it cites."""

    offline = False

    def __init__(self, client: ChatBackend, strict_citations: bool, min_support: float) -> None:
        """Wrap a configured client."""
        self.name = client.name
        self.client = client
        self.strict = strict_citations
        self.min_support = min_support

    def describe(self) -> str:
        """Model and base URL, for operators."""
        return f"{self.client.profile.model or '?'} @ {self.client.profile.base_url}"

    def health(self) -> tuple[bool, str]:
        """Ask the server for its models."""
        return self.client.health()

    def rewrite(
        self, question: str, history: Sequence[Turn], fallback: str
    ) -> tuple[str, Notice | None]:
        """Let the model make a follow-up standalone; the history merge on any failure."""
        try:
            text = self.client.complete(rewrite_messages(question, history), max_tokens=80)
        except BackendError as exc:
            return fallback, Notice("rewrite_failed", f"question rewrite failed ({exc})")
        text = text.strip().strip('"').splitlines()[0] if text.strip() else ""
        if not text or len(text) > 400:
            return fallback, Notice("rewrite_failed", "question rewrite unusable")
        return text, None

    def stream(self, ctx: AnswerContext) -> Iterator[str | Draft]:
        """Stream tokens; the final Draft keeps only sentences the cited passages support."""
        messages = answer_messages(ctx.standalone, ctx.hits, ctx.keys, ctx.history, ctx.uncovered)
        pieces: list[str] = []
        try:
            for piece in self.client.stream(messages):
                pieces.append(piece)
                yield piece
        except BackendError as exc:
            yield from self._degrade(ctx, exc, bool(pieces))
            return
        yield self._check(ctx, "".join(pieces))

    def _check(self, ctx: AnswerContext, raw: str) -> Draft:
        """Citation keys, the no-answer marker, prompt leaks and per-sentence support."""
        if NO_ANSWER_MARKER in raw and len(raw.replace(NO_ANSWER_MARKER, "").strip()) < 40:
            return Draft("", (), abstained=True, abstain_reason="the model found no answer")
        checked = check_citations(raw.replace(NO_ANSWER_MARKER, ""), ctx.keys)
        notes: list[Notice] = []
        if checked.dropped_keys:
            notes.append(
                Notice("unknown_keys", "removed unknown keys: " + ", ".join(checked.dropped_keys))
            )
        if leaks_prompt(checked.text, SYSTEM):
            # Never show the instructions, whatever a document or question talked it into.
            d = ctx.fallback(ctx)
            note = Notice("prompt_leak", "withheld a model answer that repeated its instructions")
            return Draft(d.text, d.used, (note,), backend=d.backend, uncovered=ctx.uncovered)
        support = check_support(checked.text, ctx.hits, ctx.keys, self.min_support)
        notes += [Notice("unsupported_sentence", f"removed: {r}") for r in support.removed]
        if checked.uncited_sentences:
            notes.append(Notice("uncited", f"{checked.uncited_sentences} sentence(s) uncited"))
        if not support.used or (self.strict and support.uncited):
            d = ctx.fallback(ctx)
            why = "no supported, cited sentence" if not support.used else "strict citations"
            notes.append(Notice("replaced", f"{why}: answered with sentences from the documents"))
            if not d.text:
                return Draft("", (), tuple(notes), abstained=True, abstain_reason=why)
            return Draft(
                d.text, d.used, tuple(notes), backend="extractive", uncovered=ctx.uncovered
            )
        return Draft(support.text, support.used, tuple(notes), uncovered=ctx.uncovered)

    def _degrade(
        self, ctx: AnswerContext, exc: BackendError, partial: bool
    ) -> Iterator[str | Draft]:
        """A clear message plus the retrieved sources, as an extractive answer."""
        d = ctx.fallback(ctx)
        kind = "configuration" if isinstance(exc, BackendAuthError) else "service"
        # The public text stays generic; the operator's reason goes to the log and warnings.
        log.warning("backend %r failed, answering extractively: %s", self.name, exc)
        notice = (
            "The answer model is unavailable right now. Here is what the documents say instead:"
        )
        text = f"{notice}\n\n{d.text}" if d.text else notice
        yield ("\n\n" if partial else "") + text
        note = Notice("backend_error", f"backend {kind} error from {self.name!r}: {exc}")
        yield Draft(text, d.used, (note,), backend="extractive", uncovered=ctx.uncovered)
