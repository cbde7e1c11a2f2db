"""Figure 3a: query latency per stage on a loaded index (the sample corpus or a synthetic one)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.bench.common import BenchContext, Goal, Section, p50_p95, standalone
from index.embedder import Embedder

if TYPE_CHECKING:
    import numpy as np

    from app.answer import Assistant
    from index.retrieve import Retriever

TITLE = "3a. Query latency per stage, sample corpus (golden questions)"
STAGES = (
    "query embedding",
    "dense search (FAISS)",
    "BM25 (bm25s, read directly)",
    "exact identifiers",
    "fusion (RRF + hits, derived)",
    "retrieval total (search(), incl. embedding)",
    "full extractive answer (ask())",
    "retrieval total, best of 3 per question (extra)",
    "extractive answer step, CPU ms (stored sentence vectors)",
)
BEST = STAGES[7]
ANSWER = STAGES[8]


def assistant_for(ctx: BenchContext, root: Path) -> Assistant:
    """An Assistant over an index folder, sharing the run's loaded model."""
    from app.answer import Assistant

    settings = ctx.settings.model_copy(deep=True)
    settings.paths.index_dir = root
    return Assistant(settings, embedder=ctx.query_embedder)


def _lap(into: list[float], t0: float) -> float:
    """Append the milliseconds since t0 and return the time now (the next stage's start)."""
    now = time.perf_counter()
    into.append((now - t0) * 1000)
    return now


def stage_latencies(assistant: Assistant, questions: list[str]) -> dict[str, list[float]]:
    """Milliseconds per question for every stage of one search and one extractive answer."""
    r = assistant.retriever()
    k = assistant.settings.retrieval.k
    n = max(r.cfg.candidates, k)
    size = len(r.index.chunks)
    assistant.ask(questions[0])  # first use builds lazy structures (postings); not a query cost
    ms: dict[str, list[float]] = {s: [] for s in STAGES}
    emb = assistant.embedder
    for q in questions:
        t0 = time.perf_counter()
        qv = emb.encode_query(q)
        t0 = _lap(ms[STAGES[0]], t0)
        r.index.faiss.search(qv, min(n, size))
        t0 = _lap(ms[STAGES[1]], t0)
        r.keyword(q, n)
        t0 = _lap(ms[STAGES[2]], t0)
        r.exact(q)
        t0 = _lap(ms[STAGES[3]], t0)
        r.search(q, k)
        t0 = _lap(ms[STAGES[5]], t0)
        assistant.ask(q)
        _lap(ms[STAGES[6]], t0)
        if r.index.sentence_store is not None:  # synthetic scale indexes store none
            ms[ANSWER].append(_answer_cpu_ms(r, q, k))
    # Other work on the 2 cores adds bursts of hundreds of ms that last seconds. Two more
    # passes over all questions, spread in time, and the fastest of the three per question
    # is the latency without that interference.
    ms[BEST] = list(ms[STAGES[5]])
    for _ in range(2):
        for i, q in enumerate(questions):
            t0 = time.perf_counter()
            r.search(q, k)
            ms[BEST][i] = min(ms[BEST][i], (time.perf_counter() - t0) * 1000)
    parts = [ms[s] for s in STAGES[:4]]
    ms[STAGES[4]] = [
        max(0.0, total - sum(p[i] for p in parts)) for i, total in enumerate(ms[STAGES[5]])
    ]
    return ms


class _Known(Embedder):
    """The question's vector from retrieval, as the product's query cache gives it.

    Other texts (the parts of a multi-part question) are embedded by the wrapped embedder, so
    their cost stays in the figure.
    """

    def __init__(self, base: Embedder, question: str, qv: np.ndarray) -> None:
        """Hold the question's vector."""
        super().__init__(base.model_name, base.batch_size, base.device)
        self.base, self._q, self._qv = base, question, qv

    @property
    def dim(self) -> int:
        """The wrapped embedder's dimension."""
        return self.base.dim

    def encode_query(self, text: str) -> np.ndarray:
        """The held vector for the question; the wrapped embedder for anything else."""
        return self._qv if text == self._q else self.base.encode_query(text)

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """The wrapped embedder."""
        return self.base.encode(texts, show_progress)


def _answer_cpu_ms(r: Retriever, q: str, k: int) -> float:
    """CPU milliseconds of extractive_answer alone, with the sentence vectors stored at ingest."""
    from app.backends.extractive import extractive_answer
    from index.sentence_store import StoredSentenceEmbedder

    qv = r.embedder.encode_query(q)
    hits = r.search(q, k)
    keys = [f"S{i + 1}" for i in range(len(hits))]
    known = StoredSentenceEmbedder(_Known(r.embedder, q, qv), lambda: r.index.sentence_store)
    t0 = time.process_time()
    extractive_answer(q, hits, keys, known)
    return (time.process_time() - t0) * 1000


def retrieval_goal(where: str, ms: dict[str, list[float]]) -> Goal:
    """The < 50 ms goal on the single-run p95 (load average beside it); best-of-3 as extra."""
    once, best = p50_p95(ms[STAGES[5]])["p95_ms"], p50_p95(ms[BEST])["p95_ms"]
    load = os.getloadavg()[0]
    return Goal(
        f"retrieval p95 incl. query embedding ({where}), single runs",
        "< 50 ms",
        f"{once:.1f} ms at load avg {load:.1f} (best-of-3 per question: {best:.1f} ms)",
        once < 50,
    )


def answer_goal(ms: dict[str, list[float]]) -> Goal:
    """The <= 15 ms CPU goal for the extractive answer step, single runs."""
    p = p50_p95(ms[ANSWER])
    load = os.getloadavg()[0]
    return Goal(
        "extractive answer step CPU, single runs",
        "<= 15 ms",
        f"p50 {p['p50_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms at load avg {load:.1f}",
        p["p95_ms"] <= 15,
    )


def stage_rows(label: str, chunks: int, ms: dict[str, list[float]]) -> list[dict[str, Any]]:
    """Table rows: one per stage with p50 and p95."""
    return [
        {"corpus": label, "chunks": chunks, "stage": s, "n": len(ms[s]), **p50_p95(ms[s])}
        for s in STAGES
        if ms.get(s)
    ]


def sample_latency(ctx: BenchContext) -> Section:
    """Per-stage latency on the sample corpus, every golden question once after a warm-up."""
    sec = Section("query", TITLE)
    assistant = assistant_for(ctx, ctx.sample_index)
    questions = [standalone(q) for q in ctx.questions()]
    ms = stage_latencies(assistant, questions)
    size = len(assistant.retriever().index.chunks)
    sec.rows = stage_rows("sample", size, ms)
    sec.goals += [retrieval_goal("sample corpus", ms), answer_goal(ms)]
    sec.notes += [
        "fusion is derived: search() time minus the four measured parts of the same question.",
        "the answer step is extractive_answer alone (CPU time): the question's vector comes "
        "from retrieval, as the query cache gives it, and candidates use stored vectors.",
        "every query is embedded afresh (Embedder's query cache bypassed): a new question's "
        "cost; a repeated question skips the embedding.",
    ]
    return sec
