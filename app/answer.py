"""The answer layer: resolve, retrieve, decide, answer through a backend, check citations."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Generator, Sequence
from dataclasses import dataclass, replace

from app.answerability.decide import Decision, decide
from app.answerability.features import SentenceScore
from app.answerability.model import MODEL_PATH, load_model
from app.answerability.reader import Reader, load_reader
from app.answerability.reader_onnx import OnnxReader, load_onnx_reader
from app.answerability.text import split_parts
from app.backends.base import AnswerContext, Draft
from app.backends.extractive import ExtractiveBackend
from app.backends.registry import make_backend
from app.citations import drop_cited, renumber
from app.config import Settings
from app.followup import is_followup, merge_history
from app.sentences import scored_sentences
from app.tables import answer_from_tables
from app.types import Answer, Notice, Turn
from index.embedder import Embedder
from index.embedders import make_embedder
from index.retrieve import Mode, RetrievalConfig, Retriever
from index.sentence_store import SentenceStore, StoredSentenceEmbedder
from index.store import LoadedIndex, current_version, fingerprint_for, load_index, require_index
from index.types import Hit

REFUSAL_PREFIX = "I could not find this in"


def not_in_documents(office_hours_url: str, program: str = "NAIRR Pilot") -> str:
    """The fixed answer when the documents do not cover a question."""
    return (
        f"{REFUSAL_PREFIX} the {program} documents I have, so I won't guess. "
        f"Please ask at the {program} office hours or check the official site "
        f"({office_hours_url}); "
        "program staff can answer questions the documents do not cover."
    )


class Assistant:
    """Answers questions from one index; reloads when a new index version is published."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        """Keep settings; the embedder and index load on first use."""
        self.settings = settings
        e = settings.embedding
        base = embedder or make_embedder(
            e.backend, e.model, e.batch_size, e.device, settings.paths.models_dir
        )
        # Answer code embeds [question, candidate sentences…]: the candidates' vectors come
        # from the index version (stored at ingest), so only the question reaches the model.
        self.embedder: Embedder = StoredSentenceEmbedder(base, self._sentence_store)
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()

    def _sentence_store(self) -> SentenceStore | None:
        """The loaded version's stored sentences (None before the first load)."""
        r = self._retriever
        return r.index.sentence_store if r is not None else None

    def retriever(self) -> Retriever:
        """The retriever for the current index version (reloaded when CURRENT moves)."""
        root = self.settings.paths.index_dir
        current = self._retriever
        if current is not None and current_version(root) in (current.index.version, None):
            return current
        with self._lock:
            if self._retriever is None or current_version(root) != self._retriever.index.version:
                require_index(root)  # before loading the model: a missing index fails fast
                expected = fingerprint_for(self.embedder, self.settings.chunking)
                index: LoadedIndex = load_index(root, expected)
                r = self.settings.retrieval
                self._retriever = Retriever(
                    index, self.embedder, RetrievalConfig(r.candidates, r.rrf_k)
                )
            return self._retriever

    def search(self, question: str, k: int | None = None, mode: Mode | None = None) -> list[Hit]:
        """Retrieve passages for a standalone question."""
        r = self.settings.retrieval
        return self.retriever().search(question, k or r.k, mode or r.mode)

    def probe(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        mode: Mode | None = None,
    ) -> Probe:
        """Resolve, retrieve and score a question without answering it (eval and training)."""
        standalone = self.resolve(question, history)
        hits = self._retrieve(question, standalone, k, mode)
        sentences, decision = self.assess(standalone, hits)
        return Probe(standalone, tuple(hits), tuple(sentences), decision.features, decision)

    def assess(
        self, question: str, hits: Sequence[Hit], part: bool = False
    ) -> tuple[list[SentenceScore], Decision]:
        """Score the hits' sentences against a standalone question (or a part), then decide."""
        model = load_model()
        # the learned reader runs only when the stored model weighs it; with the ONNX backend
        # it runs through ONNX Runtime too, so a question never imports torch
        reader: Reader | OnnxReader | None = None
        if model.reader and self.settings.embedding.backend == "onnx":
            path = MODEL_PATH.with_name(model.reader)
            reader = load_onnx_reader(self.settings.paths.models_dir, path)
        elif model.reader:
            reader = load_reader(MODEL_PATH.with_name(model.reader))
        sentences = scored_sentences(question, hits, self.embedder, reader)
        retriever = self.retriever()
        vocab = retriever.vocabulary()
        cut = self.settings.retrieval.answer_threshold
        topic = retriever.topicality(question)
        return sentences, decide(
            question,
            hits,
            sentences,
            vocab,
            model,
            cut,
            part=part,
            topic=topic,
            occurs=retriever.has_phrase,
        )

    def resolve(self, question: str, history: Sequence[Turn]) -> str:
        """A follow-up merged with the last on-topic turn; a standalone question as it is."""
        if not history or not is_followup(question):
            return question
        turns = list(history)
        for i in range(len(turns) - 1, -1, -1):
            t = turns[i]
            if t.role != "user" or not t.content.strip():
                continue
            reply = turns[i + 1] if i + 1 < len(turns) else None
            if reply and (reply.abstained or reply.content.startswith(REFUSAL_PREFIX)):
                continue  # never build on a turn the documents did not answer
            prior = merge_history(t.content, turns[:i]) if i else t.content
            if self._answered(prior):
                return merge_history(question, [Turn("user", prior)])
        return question

    def _answered(self, question: str) -> bool:
        """Whether the documents answer a question: its table does, or the model says so."""
        # A table question ("List the Mississippi awards") is answered by the table planner,
        # never by the answerability model; its follow-up ("and in Minnesota?") builds on it.
        index = self.retriever().index
        if answer_from_tables(question, index, self.settings.tables) is not None:
            return True
        return self.assess(question, self.search(question))[1].answer

    def _retrieve(
        self,
        question: str,
        standalone: str,
        k: int | None,
        mode: Mode | None,
    ) -> list[Hit]:
        """Hits for the standalone question, fused with the follow-up's own when it was merged."""
        hits = self.search(standalone, k, mode)
        if standalone != question:
            # A follow-up often changes the subject ("and a full allocation?"): fuse what the
            # follow-up finds alone with what the merged question finds.
            n = k or self.settings.retrieval.k
            hits = fuse_hits([self.search(question, k, mode), hits], n)
        return hits

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
        name = backend or self.settings.backend.default
        be = make_backend(self.settings, name, self.embedder)
        notes: list[Notice] = []
        merged = self.resolve(question, history)
        standalone = merged
        if merged != question and not be.offline:
            standalone, note = be.rewrite(question, history, merged)
            notes += [note] if note else []
        hits = self._retrieve(question, standalone, k, mode)
        _, decision = self.assess(standalone, hits)
        hits, uncovered, decision = self._parts(standalone, hits, decision, k, mode)
        # A table question is answered by a query on the table itself; its result is hit 1.
        index = self.retriever().index
        table = answer_from_tables(
            standalone, index, self.settings.tables, getattr(be, "client", None)
        )
        if table is not None:
            hits = [table.hit, *(replace(h, rank=h.rank + 1) for h in hits)]
        t1 = time.perf_counter()
        reason = None if decision.answer or table is not None else decision.reason_text
        keys = tuple(f"S{i + 1}" for i in range(len(hits)))
        base = Answer(
            question=question,
            text="",
            citations=(),
            hits=tuple(hits),
            abstained=False,
            backend=name,
            standalone_question=standalone,
            warnings=tuple(notes),
            id=uuid.uuid4().hex,
            confidence=decision.probability,
        )
        if reason is not None:
            yield from self._refuse(base, reason, t0, t1)
            return
        extractive = ExtractiveBackend("extractive", self.embedder, self.settings.ui.program_name)
        ctx = AnswerContext(
            question=question,
            standalone=standalone,
            history=tuple(history),
            hits=tuple(hits),
            keys=keys,
            focus=question if standalone != question else "",
            uncovered=uncovered,
            fallback=extractive.draft,
        )
        draft: Draft | None = None
        if table is not None and not table.partial and be.offline:
            draft = Draft(table.text, (keys[0],))  # the computed answer, cited to its rows
        for event in () if draft else be.stream(ctx):
            if isinstance(event, Draft):
                draft = event
            elif not be.offline:
                yield event  # model tokens as they come; the checked text replaces them
        assert draft is not None, f"backend {name!r} ended without a draft"
        if table is not None and table.partial and be.offline and not draft.abstained:
            # The computed table part first, then the prose part the extractive draft answers;
            # a line the draft quoted from the table hit is dropped, the whole result replaces it.
            prose = drop_cited(draft.text, keys[0])
            used = (keys[0], *(k for k in draft.used if k != keys[0]))
            draft = replace(draft, text=f"{table.text}\n{prose}", used=used)
        warnings = (*base.warnings, *draft.warnings)
        if draft.abstained or not draft.text.strip():
            why = draft.abstain_reason or "no sentence of the documents answers it"
            yield from self._refuse(replace(base, warnings=warnings), why, t0, t1, announce=False)
            return
        text, citations = renumber(draft.text, draft.used, hits, keys)
        if be.offline:
            yield text  # offline text is shown once, with its final keys
        yield replace(
            base,
            text=text,
            citations=citations,
            backend=draft.backend or name,
            warnings=warnings,
            uncovered=draft.uncovered,
            timings_ms=timings(t0, t1),
        )

    def _parts(
        self,
        question: str,
        hits: list[Hit],
        whole: Decision,
        k: int | None,
        mode: Mode | None,
    ) -> tuple[list[Hit], tuple[str, ...], Decision]:
        """For a multi-part question: answer the parts the documents cover, name the rest."""
        parts = split_parts(question)
        if len(parts) < 2 or not whole.features:  # the guard decided, or nothing was found
            return hits, (), whole
        covered: list[list[Hit]] = []
        uncovered: list[str] = []
        best = whole
        for part in parts:
            part_hits, d = self.assess_part(part, hits, k, mode)
            if d.answer:
                covered.append(part_hits)
                best = d if d.probability > best.probability or not best.answer else best
            else:
                uncovered.append(part)
        if not covered:
            return hits, (), whole
        if not uncovered:
            return hits, (), whole if whole.answer else best
        n = k or self.settings.retrieval.k
        return fuse_hits(covered, n), tuple(uncovered), best

    def assess_part(
        self, part: str, whole: Sequence[Hit], k: int | None = None, mode: Mode | None = None
    ) -> tuple[list[Hit], Decision]:
        """Decide one part of a multi-part question.

        A later part often leans on the first ("…, and can I extend it?"), so it is judged on
        what it retrieves alone fused with what the whole question retrieved.
        """
        part_hits, _, decision = self.read_part(part, whole, k, mode)
        return part_hits, decision

    def read_part(
        self, part: str, whole: Sequence[Hit], k: int | None = None, mode: Mode | None = None
    ) -> tuple[list[Hit], list[SentenceScore], Decision]:
        """assess_part with the scored sentences too (what calibration trains the reader on)."""
        n = k or self.settings.retrieval.k
        part_hits = fuse_hits([self.search(part, k, mode), whole], n)
        sentences, decision = self.assess(part, part_hits, part=True)
        return part_hits, sentences, decision

    def _refuse(
        self, base: Answer, reason: str, t0: float, t1: float, announce: bool = True
    ) -> Generator[str | Answer, None, None]:
        """The fixed "not in the documents" answer, with pointers to people who can help."""
        text = not_in_documents(self.settings.api.office_hours_url, self.settings.ui.program_name)
        yield ("" if announce else "\n\n") + text
        yield replace(
            base, text=text, abstained=True, abstain_reason=reason, timings_ms=timings(t0, t1)
        )


@dataclass(frozen=True)
class Probe:
    """What the decision saw for one question."""

    standalone: str
    hits: tuple[Hit, ...]
    sentences: tuple[SentenceScore, ...]
    features: dict[str, float]
    decision: Decision


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


def timings(t0: float, t1: float) -> dict[str, float]:
    """Retrieval, answer and total time in milliseconds (t1 ends retrieval; now ends the answer)."""
    t2 = time.perf_counter()
    return {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000}
