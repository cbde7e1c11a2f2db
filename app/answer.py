"""The answer layer: retrieve, decide, answer through a backend, check citations."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Generator, Sequence
from dataclasses import replace

from app.abstain import should_abstain
from app.backends.extractive import extractive_answer
from app.config import Settings
from app.types import Answer, Citation, Turn
from index.embedder import Embedder, make_embedder
from index.retrieve import Mode, RetrievalConfig, Retriever
from index.store import Fingerprint, LoadedIndex, current_version, load_index, require_index
from index.types import Hit


def not_in_documents(office_hours_url: str) -> str:
    """The fixed answer when the documents do not cover a question."""
    return (
        "I could not find this in the NAIRR Pilot documents I have, so I won't guess. "
        "Please ask at the NAIRR Pilot office hours or check the official site "
        f"({office_hours_url}); "
        "program staff can answer questions the documents do not cover."
    )


def snippet(text: str, limit: int = 300) -> str:
    """A short excerpt of a passage for citation lists."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def citation_for(key: str, hit: Hit) -> Citation:
    """Build the citation for the passage behind a key."""
    c = hit.chunk
    return Citation(key, c.id, c.title, c.source, c.url, c.locator, snippet(c.text), c.as_of)


class Assistant:
    """Answers questions from one index; reloads when a new index version is published."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        """Keep settings; the embedder and index load on first use."""
        self.settings = settings
        e = settings.embedding
        self.embedder = embedder or make_embedder(
            e.backend, e.model, e.batch_size, e.device, settings.paths.models_dir
        )
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()

    @property
    def expected_fingerprint(self) -> Fingerprint:
        """What the configured settings would build."""
        c = self.settings.chunking
        return Fingerprint(
            self.embedder.label,
            self.embedder.dim,
            {"max_tokens": c.max_tokens, "overlap_tokens": c.overlap_tokens},
        )

    def retriever(self) -> Retriever:
        """The retriever for the current index version (reloaded when CURRENT moves)."""
        root = self.settings.paths.index_dir
        current = self._retriever
        if current is not None and current_version(root) in (current.index.version, None):
            return current
        with self._lock:
            if self._retriever is None or current_version(root) != self._retriever.index.version:
                require_index(root)  # before loading the model: a missing index fails fast
                index: LoadedIndex = load_index(root, self.expected_fingerprint)
                r = self.settings.retrieval
                self._retriever = Retriever(
                    index, self.embedder, RetrievalConfig(r.candidates, r.rrf_k)
                )
            return self._retriever

    def search(self, question: str, k: int | None = None, mode: Mode | None = None) -> list[Hit]:
        """Retrieve passages for a standalone question."""
        r = self.settings.retrieval
        return self.retriever().search(question, k or r.k, mode or r.mode)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        backend: str | None = None,
        k: int | None = None,
        mode: Mode | None = None,
    ) -> Answer:
        """Answer one question (with optional history); never calls a model when abstaining."""
        final: Answer | None = None
        for event in self.stream(question, history, backend, k, mode):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        backend: str | None = None,
        k: int | None = None,
        mode: Mode | None = None,
    ) -> Generator[str | Answer, None, None]:
        """Yield answer text pieces as they come, then the final Answer with checked citations."""
        t0 = time.perf_counter()
        profile_name = backend or self.settings.backend.default
        profile = self.settings.profile(profile_name)
        chat = None
        warnings: list[str] = []
        standalone = merge_history(question, history)
        if profile.kind == "openai":
            from app.generate import backend_for, rewrite_question

            chat = backend_for(self.settings, profile_name, profile)
            if history and standalone != question:
                standalone, note = rewrite_question(chat, question, history, standalone)
                warnings += [note] if note else []
        retriever = self.retriever()
        hits = self.search(standalone, k, mode)
        if history and standalone != question:
            # A follow-up often changes the subject ("and a full allocation?"): fuse what the
            # follow-up finds alone with what the merged question finds.
            hits = fuse_hits([self.search(question, k, mode), hits], k or self.settings.retrieval.k)
        t1 = time.perf_counter()
        r = self.settings.retrieval
        reason = should_abstain(
            standalone, hits, retriever.vocabulary(), r.min_relevance, r.lookalike_relevance
        )
        keys = [f"S{i + 1}" for i in range(len(hits))]
        base = Answer(
            question=question,
            text="",
            citations=(),
            hits=tuple(hits),
            abstained=False,
            backend=profile_name,
            standalone_question=standalone,
            warnings=tuple(warnings),
            id=uuid.uuid4().hex,
        )
        if reason is not None:
            # No model call: the fixed answer, with pointers to people who can help.
            text = not_in_documents(self.settings.api.office_hours_url)
            yield text
            yield replace(
                base,
                text=text,
                abstained=True,
                warnings=(*base.warnings, f"abstained: {reason}"),
                timings_ms=timings(t0, t1),
            )
            return
        if chat is None:
            focus = question if history else ""
            text, used = extractive_answer(
                standalone, hits, keys, self.embedder, focus, self.retriever().index.sentences
            )
            text += dated_note([hits[keys.index(k_)] for k_ in used])
            yield text
            yield replace(
                base,
                text=text,
                citations=citations_for(used, keys, hits),
                timings_ms=timings(t0, t1),
            )
            return
        from app.generate import generate_stream

        yield from generate_stream(self, base, chat, standalone, history, keys, t0, t1)


def fuse_hits(lists: Sequence[Sequence[Hit]], k: int, rrf_k: int = 60) -> list[Hit]:
    """Reciprocal-rank fusion of several hit lists for one conversation turn."""
    scores: dict[str, float] = {}
    best: dict[str, Hit] = {}
    for hits in lists:
        for h in hits:
            scores[h.chunk.id] = scores.get(h.chunk.id, 0.0) + 1.0 / (rrf_k + h.rank)
            best.setdefault(h.chunk.id, h)
    order = sorted(scores, key=lambda cid: -scores[cid])[:k]
    return [replace(best[cid], rank=i + 1, score=scores[cid]) for i, cid in enumerate(order)]


def dated_note(hits: Sequence[Hit]) -> str:
    """Say so when the quoted passages carry different dates (they may disagree)."""
    dates = sorted({h.chunk.as_of for h in hits if h.chunk.as_of})
    if len(dates) < 2:
        return ""
    listed = ", ".join(dates[:-1]) + " and " + dates[-1]
    return f" (Sources dated {listed}; where they differ, the newer is more likely current.)"


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


def timings(t0: float, t1: float) -> dict[str, float]:
    """Retrieval, answer and total time in milliseconds (t1 ends retrieval; now ends the answer)."""
    t2 = time.perf_counter()
    return {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000}


def citations_for(
    used: Sequence[str], keys: Sequence[str], hits: Sequence[Hit]
) -> tuple[Citation, ...]:
    """The citations for the keys an answer used, in the order it used them."""
    return tuple(citation_for(k, hits[keys.index(k)]) for k in used)
