"""The offline default: the most relevant sentences of the top passages, each with its key."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from app.backends.base import AnswerContext, Draft
from app.compose.choose import Composed, compose
from app.guard import looks_like_injection
from app.types import Notice, Turn
from index.embedder import Embedder
from index.types import Hit
from ingest.sentences import split_sentences  # re-exported: app code imports it from here

_WORD = re.compile(r"[a-z0-9]+")


def candidate_sentences(hits: Sequence[Hit]) -> list[tuple[int, str]]:
    """(hit index, sentence) pairs that could answer: no headings, questions or injections."""
    out: list[tuple[int, str]] = []
    # A sentence found in two different passages is page or slide furniture (a footer, a
    # reminder repeated on every slide), not an answer.
    seen: dict[str, set[int]] = {}
    for i, hit in enumerate(hits):
        for sent in split_sentences(hit.chunk.text, hit.chunk.heading):
            seen.setdefault(" ".join(_WORD.findall(sent.lower())), set()).add(i)
    for i, hit in enumerate(hits):
        heading = hit.chunk.heading.strip().rstrip(".").lower()
        for sent in split_sentences(hit.chunk.text, hit.chunk.heading):
            if len(seen[" ".join(_WORD.findall(sent.lower()))]) > 1:
                continue
            if sent.rstrip(".").lower() == heading or sent.endswith("?"):
                continue  # headings and FAQ questions are not answers
            if looks_like_injection(sent):
                continue  # instructions planted in a document are never repeated
            if len(sent.split()) >= 4 and "sample material" not in sent.lower():
                out.append((i, sent))
    return out


def extractive_answer(
    question: str,
    hits: Sequence[Hit],
    keys: Sequence[str],
    embedder: Embedder,
    focus: str = "",
    uncovered: Sequence[str] = (),
) -> Composed:
    """The extractive answer; `focus` is a follow-up's own words.

    The sentence choice (answer shape, parts, pronoun starts, repeats, length) and the parts
    left open are in app/compose/choose.py; parts named in `uncovered` get no sentence.
    """
    return compose(question, hits, keys, embedder, focus=focus, uncovered=uncovered)


def dated_note(hits: Sequence[Hit]) -> str:
    """Say so when the quoted passages carry different dates (they may disagree)."""
    dates = sorted({h.chunk.as_of for h in hits if h.chunk.as_of})
    if len(dates) < 2:
        return ""
    listed = ", ".join(dates[:-1]) + " and " + dates[-1]
    return f" (Sources dated {listed}; where they differ, the newer is more likely current.)"


class ExtractiveBackend:
    """The offline default: quotes the documents, needs no model and no network."""

    offline = True

    def __init__(self, name: str, embedder: Embedder, program: str = "NAIRR Pilot") -> None:
        """Keep the embedder used to rank candidate sentences and the program's name."""
        self.name = name
        self.embedder = embedder
        self.program = program  # whose office hours an uncovered part is sent to

    def draft(self, ctx: AnswerContext) -> Draft:
        """The extractive answer for a context."""
        got = extractive_answer(
            ctx.standalone,
            ctx.hits,
            ctx.keys,
            self.embedder,
            focus=ctx.focus,
            uncovered=ctx.uncovered,
        )
        text, used, uncovered = got.text, got.used, got.uncovered
        text += dated_note([ctx.hit(k) for k in used])
        if text and uncovered:
            # Say plainly what is left unanswered instead of stretching a sentence to cover it.
            gap = "; ".join(f"“{u}”" for u in uncovered)
            text += f" The documents I have don't cover {gap}: please ask at the {self.program} "
            text += "office hours."
        return Draft(text, tuple(used), uncovered=uncovered)

    def stream(self, ctx: AnswerContext) -> Iterator[str | Draft]:
        """One piece of text, then the draft."""
        d = self.draft(ctx)
        yield d.text
        yield d

    def rewrite(
        self, question: str, history: Sequence[Turn], fallback: str
    ) -> tuple[str, Notice | None]:
        """No model: the history merge stands."""
        return fallback, None

    def health(self) -> tuple[bool, str]:
        """Always available."""
        return True, "ok (offline, no model)"

    def describe(self) -> str:
        """Nothing to point at."""
        return "-"
