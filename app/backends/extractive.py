"""The offline default: the most relevant sentences of the top passages, each with its key."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from app.answerability.text import answer_type, has_type, split_parts
from app.backends.base import AnswerContext, Draft
from app.guard import looks_like_injection
from app.types import Notice, Turn
from index.embedder import Embedder
from index.types import Hit
from ingest.sentences import split_sentences  # re-exported: app code imports it from here

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "there",
        "this",
        "that",
    ]
)
MAX_SENTENCES = 3


def _terms(text: str) -> set[str]:
    """Content words, crudely stemmed (plural s), for lexical overlap."""
    return {
        w.rstrip("s") if len(w) > 3 else w for w in _WORD.findall(text.lower()) if w not in _STOP
    }


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


_PRONOUN_START = re.compile(
    r"^(it|its|it's|this|that|these|those|they|their|them|however|also|such|both|"
    r"there|here|he|she|his|her)\b",
    re.I,
)
MAX_WORDS = 90  # extractive answers stay short; a list of table rows may run longer


def _scores(
    question: str, focus: str, candidates: Sequence[tuple[str, str, int]], embedder: Embedder
) -> list[float]:
    """Meaning plus word overlap plus a little rank, with the answer type preferred."""
    qterms = _terms(question)
    fterms = _terms(focus)
    atype = answer_type(focus or question)
    vecs = embedder.encode([question, focus or question] + [c[0] for c in candidates])
    cos = vecs[2:] @ vecs[0]
    fcos = vecs[2:] @ vecs[1]
    scores = []
    for (sent, _key, rank), c, f in zip(candidates, cos, fcos, strict=True):
        terms = _terms(sent)
        overlap = len(qterms & terms) / max(1, len(qterms))
        score = float(c) + 0.25 * overlap + 0.04 / rank
        if focus:
            # What the follow-up itself asks about outweighs the earlier question's topic.
            score = 0.4 * score + 0.6 * (float(f) + 0.4 * len(fterms & terms) / max(1, len(fterms)))
        if atype != "other":
            # A "when" question wants a date, a "how many" a number: prefer sentences that hold one.
            score += 0.12 if has_type(sent, atype) else -0.12
        scores.append(score)
    return scores


def _same_fact(a: str, b: str) -> bool:
    """Two sentences that say nearly the same thing."""
    ta, tb = _terms(a), _terms(b)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) >= 0.75


def extractive_answer(
    question: str, hits: Sequence[Hit], keys: Sequence[str], embedder: Embedder, focus: str = ""
) -> tuple[str, list[str]]:
    """Return (answer text with [S#] keys, keys used); `focus` is a follow-up's own words.

    Each part of a multi-part question gets its own best sentence first; a sentence that leans
    on the one before it ("It lasts…") brings that sentence along or is not used; repeats of a
    fact already said are dropped; the answer stays under ~90 words.
    """
    import numpy as np

    candidates: list[tuple[str, str, int]] = []  # sentence, key, hit rank
    prev: dict[int, int] = {}  # candidate → the candidate before it in the same passage
    for i, sent in candidate_sentences(hits):
        if candidates and candidates[-1][1] == keys[i]:
            prev[len(candidates)] = len(candidates) - 1
        candidates.append((sent, keys[i], hits[i].rank))
    if not candidates:
        return "", []
    parts = split_parts(focus or question)
    per_part = [np.array(_scores(p, "", candidates, embedder)) for p in parts[1:]]
    scores = _scores(question, focus, candidates, embedder)
    order = [int(i) for i in np.argsort(scores)[::-1]]
    queue = [int(np.argmax(s)) for s in per_part] + order
    best = scores[order[0]]
    chosen: list[int] = []
    words = 0
    for pos, i in enumerate(queue):
        sent = candidates[i][0]
        part_best = pos < len(per_part)  # each part's best sentence is kept whatever its score
        if i in chosen or (not part_best and scores[i] < best - 0.2):
            continue
        if any(_same_fact(sent, candidates[j][0]) for j in chosen):
            continue
        group = [i]
        if _PRONOUN_START.match(sent):
            j = prev.get(i)
            if j is None or _PRONOUN_START.match(candidates[j][0]):
                continue  # no sentence to name what "it" is
            if j not in chosen:
                group = [j, i]
        size = sum(len(candidates[g][0].split()) for g in group)
        if chosen and words + size > MAX_WORDS:
            continue
        chosen.extend(group)
        words += size
        if len(chosen) >= MAX_SENTENCES + len(per_part):
            break
    out = []
    for i in chosen:
        sent, key, _ = candidates[i]
        sent = sent if sent[-1] in ".!?" else sent + "."
        out.append(f"{sent} [{key}]")
    used = list(dict.fromkeys(candidates[i][1] for i in chosen))
    return " ".join(out), used


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

    def __init__(self, name: str, embedder: Embedder) -> None:
        """Keep the embedder used to rank candidate sentences."""
        self.name = name
        self.embedder = embedder

    def draft(self, ctx: AnswerContext) -> Draft:
        """The extractive answer for a context."""
        text, used = extractive_answer(
            ctx.standalone, ctx.hits, ctx.keys, self.embedder, focus=ctx.focus
        )
        text += dated_note([ctx.hit(k) for k in used])
        if text and ctx.uncovered:
            # Say plainly what is left unanswered instead of stretching a sentence to cover it.
            gap = "; ".join(f"“{u}”" for u in ctx.uncovered)
            text += (
                f" The documents I have don't cover {gap}: please ask at the NAIRR Pilot "
                "office hours."
            )
        return Draft(text, tuple(used), uncovered=ctx.uncovered)

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
