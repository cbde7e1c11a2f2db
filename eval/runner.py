"""Run a question set through the real assistant and score every answer."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.dataset import GoldenItem
from eval.metrics import (
    aggregate,
    basename,
    gold_passages,
    question_scores,
    relevant_passages,
)
from index.retrieve import Mode

if TYPE_CHECKING:
    from app.answer import Assistant
    from app.config import Settings
    from app.types import Answer
    from index.embedder import Embedder
    from index.types import Hit

RANKING_DEPTH = 10  # hits kept per question for MRR@10 and nDCG@10
NO_TABLE = "_no_table"  # suffix of retrieval metrics computed without the table-query hit


@dataclass(frozen=True)
class EvalOptions:
    """What one `pilotdesk eval` run does."""

    modes: tuple[Mode, ...] = ("hybrid",)
    primary: Mode = "hybrid"  # the run that floors, baselines and the judge apply to
    backend: str | None = None
    k: int = 5
    judge: str | None = None
    ragas: bool = True
    show_progress: bool = True


@dataclass
class EvalResult:
    """Records and summaries of every retriever run."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    judge: dict[str, Any] = field(default_factory=dict)
    index_version: str = ""
    seconds: float = 0.0


def _hit_dict(h: Hit, with_text: bool) -> dict[str, Any]:
    """One retrieved passage as a record field."""
    d: dict[str, Any] = {
        "rank": h.rank,
        "source": h.chunk.source,
        "locator": h.chunk.locator,
        "score": round(h.score, 6),
        "dense_score": None if h.dense_score is None else round(h.dense_score, 4),
        "chunk_id": h.chunk.id,
    }
    if with_text:
        d["text"] = h.chunk.text
    return d


def make_record(
    item: GoldenItem,
    answer: Answer,
    ranking: Sequence[Hit],
    latency_ms: float,
    mode: str,
    k: int,
    reference_contexts: list[str],
    relevant_contexts: list[str] | None = None,
    embed: Embed | None = None,
) -> dict[str, Any]:
    """Everything about one answered question, with its per-question scores."""
    from app.schema import answer_dict

    hits = list(answer.hits)
    public = answer_dict(answer)  # the one public schema
    # A computed table answer (app/tables) is the first hit; retrieval is scored with it and,
    # under *_no_table, without it, so nobody mistakes the table query for retrieval.
    table = [h for h in hits if h.retriever == "table"]
    retrieved = [h for h in hits if h.retriever != "table"]
    common = {
        "kind": item.kind,
        "gold_sources": item.sources,
        "must_include": item.must_include,
        # The note naming an uncovered part quotes the question; a term it quotes is not one
        # the answer states, so it is left out of must_include.
        "answer": _without_quotes(answer.text, answer.uncovered),
        "abstained": answer.abstained,
        "cited_sources": [c.source for c in answer.citations],
        "k": k,
        "cited_keys": [c.key for c in answer.citations],
    }
    scores = question_scores(
        ranked_sources=[h.chunk.source for h in [*table, *ranking]],
        passages=[h.chunk.text for h in hits],
        **common,  # type: ignore[arg-type]
    )
    plain = question_scores(
        ranked_sources=[h.chunk.source for h in ranking],
        passages=[h.chunk.text for h in retrieved],
        **common,  # type: ignore[arg-type]
    )
    for key in ("hit@1", f"hit@{k}", "mrr@10", "ndcg@10", f"evidence@{k}"):
        if key in plain:
            scores[f"{key}{NO_TABLE}"] = plain[key]
    scores["table_answered"] = float(bool(table))
    if item.uncovered:
        # A multi-part question's uncovered part must be named, not silently skipped.
        named = uncovered_named(item.uncovered, answer.uncovered)
        if not named and embed is not None and answer.uncovered:
            named = names_right_part(item.question, item.uncovered, answer.uncovered, embed)
        scores["uncovered_named"] = float(named)
    scores["latency_ms"] = latency_ms
    return {
        "id": item.id,
        "kind": item.kind,
        "markers": list(item.markers),
        "question": item.question,
        "history": [{"role": t.role, "content": t.content} for t in item.history],
        "standalone_question": answer.standalone_question or item.question,
        "retriever": mode,
        "backend": answer.backend,
        # The note naming an uncovered part quotes the question; a term it quotes is not one
        # the answer states, so it is left out of must_include.
        "answer": _without_quotes(answer.text, answer.uncovered),
        "abstained": answer.abstained,
        "abstain_reason": public["abstain_reason"],
        "uncovered": public["uncovered"],
        "confidence": public["confidence"],
        "warnings": public["warnings"],
        "citations": public["citations"],
        "hits": [_hit_dict(h, True) for h in hits],
        "ranking": [_hit_dict(h, False) for h in ranking],
        "relevance": round(max((h.dense_score or 0.0 for h in hits), default=0.0), 4),
        "latency_ms": round(latency_ms, 1),
        "timings_ms": {key: round(v, 1) for key, v in answer.timings_ms.items()},
        "reference_answer": item.reference_answer,
        "must_include": list(item.must_include),
        "sources": list(item.sources),
        "reference_contexts": reference_contexts,
        "relevant_contexts": relevant_contexts or [],
        "scores": scores,
    }


def missing_sources(settings: Settings, items: Sequence[GoldenItem]) -> list[str]:
    """Dataset sources the index has never ingested (their questions cannot be answered)."""
    from index.store import require_index

    manifest = require_index(settings.paths.index_dir)
    have = {basename(d.source) for d in manifest.documents.values()}
    wanted = {basename(s) for it in items for s in it.sources}
    return sorted(wanted - have)


def run_mode(
    assistant: Assistant,
    items: Sequence[GoldenItem],
    mode: Mode,
    options: EvalOptions,
) -> list[dict[str, Any]]:
    """Ask every question with one retriever; return one record per question."""
    from tqdm import tqdm

    chunks = assistant.retriever().index.chunks
    candidates = [(c.source, c.text) for c in chunks]
    embed = assistant.embedder.encode
    records = []
    bar = tqdm(
        items,
        desc=f"eval {mode}",
        unit="q",
        disable=not options.show_progress or None,
        leave=False,
        file=sys.stderr,
    )
    for item in bar:
        t0 = time.perf_counter()
        answer = assistant.ask(
            item.question,
            history=list(item.history),
            backend=options.backend,
            k=options.k,
            mode=mode,
        )
        latency = (time.perf_counter() - t0) * 1000
        standalone = answer.standalone_question or item.question
        ranking = assistant.search(standalone, k=max(RANKING_DEPTH, options.k), mode=mode)
        refs: list[str] = []
        relevant: list[str] = []
        if item.answerable:
            refs = gold_passages(candidates, item.sources, item.must_include)
            relevant = relevant_passages(candidates, item.sources, item.must_include)
        records.append(
            make_record(item, answer, ranking, latency, mode, options.k, refs, relevant, embed)
        )
    return records


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Overall, per-kind and per-marker averages of the per-question scores."""
    rows = [r["scores"] for r in records]
    kinds = [r["kind"] for r in records]
    by_kind: dict[str, dict[str, float]] = {}
    for kind in dict.fromkeys(kinds):
        sub = [r for r, k in zip(rows, kinds, strict=True) if k == kind]
        by_kind[kind] = aggregate(sub, [kind] * len(sub), abstention=False)
    # A marker's abstained_rate is its false-abstention rate for answerable groups and its
    # abstention recall for an unanswerable subtype.
    by_marker: dict[str, dict[str, float]] = {}
    for marker in sorted({m for r in records for m in r.get("markers", [])}):
        picked = [(r["scores"], r["kind"]) for r in records if marker in r.get("markers", [])]
        by_marker[marker] = aggregate(
            [p for p, _ in picked], [k for _, k in picked], abstention=False
        )
    return {"overall": aggregate(rows, kinds), "by_kind": by_kind, "by_marker": by_marker}


def evaluate(
    settings: Settings,
    items: Sequence[GoldenItem],
    options: EvalOptions,
    embedder: Embedder | None = None,
) -> EvalResult:
    """Run every requested retriever over the items, add ragas scores, and summarise."""
    from app.answer import Assistant

    t0 = time.perf_counter()
    result = EvalResult()
    missing = missing_sources(settings, items)
    if missing:
        result.warnings.append(
            f"the index at {settings.paths.index_dir} has never seen {', '.join(missing)}; "
            f"ingest them first: pilotdesk ingest DOCS --index {settings.paths.index_dir} --add"
        )
    settings.profile(options.backend)  # an unknown backend fails before any work
    assistant = Assistant(settings, embedder)
    result.index_version = assistant.retriever().index.version
    for mode in options.modes:
        result.records[mode] = run_mode(assistant, items, mode, options)
    primary = options.primary if options.primary in options.modes else options.modes[0]
    if options.ragas:
        from eval.ragas_metrics import add_judge_scores, add_non_llm_scores

        for mode in options.modes:
            add_non_llm_scores(result.records[mode])
        if options.judge:
            counts = add_judge_scores(
                result.records[primary], settings, options.judge, assistant.embedder
            )
            result.judge = {"profile": options.judge, "retriever": primary, **counts}
            if counts["failed_calls"]:
                lost = counts["unreachable_calls"]
                result.warnings.append(
                    f"judge {options.judge}: {counts['failed_calls']} of "
                    f"{3 * counts['judged']} metric calls gave no score ("
                    f"{counts['failed_calls'] - lost} unparsable replies, {lost} without a reply "
                    "from the server); judge_* averages cover the rest"
                )
    for mode in options.modes:
        result.summaries[mode] = summarize(result.records[mode])
    result.seconds = time.perf_counter() - t0
    return result


def default_out_dir() -> Path:
    """var/eval/<UTC timestamp>."""
    return Path("var/eval") / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


Embed = Callable[[list[str]], Any]


def names_right_part(
    question: str, expected: Sequence[str], named: Sequence[str], embed: Embed
) -> bool:
    """Whether the answer named the question part that the expected description is about.

    Reference descriptions often use other words than the question ("file format" for "do they
    need to be PDFs"); the named part counts when it is the part closest in meaning to the
    description, and not every part was named.
    """
    import numpy as np

    from app.answerability.text import split_parts

    parts = split_parts(question)
    if len(parts) < 2 or len(named) >= len(parts):
        return False
    vecs = np.asarray(embed([*expected, *parts, *named]), dtype=float)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
    e, p, n = vecs[: len(expected)], vecs[len(expected) : -len(named)], vecs[-len(named) :]
    targets = set(np.argmax(e @ p.T, axis=1).tolist())  # the part each description is about
    said = set(np.argmax(n @ p.T, axis=1).tolist())  # the part each named text is
    return targets <= said


def uncovered_named(expected: Sequence[str], named: Sequence[str]) -> bool:
    """Whether the answer names the part the documents don't cover (half its words suffice)."""
    import re

    words = {w for part in expected for w in re.findall(r"[a-z0-9]{3,}", part.lower())}
    said = {w for part in named for w in re.findall(r"[a-z0-9]{3,}", part.lower())}
    return bool(words) and len(words & said) >= max(1, len(words) // 2)


def _without_quotes(text: str, parts: Sequence[str]) -> str:
    """The answer text without the question parts its uncovered note quotes."""
    for part in parts:
        text = text.replace(f"“{part}”", "")
    return text
