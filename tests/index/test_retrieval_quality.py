"""Retrieval over the shipped sample corpus: the right source comes back."""

from __future__ import annotations

import json
from pathlib import Path

from index.embedder import Embedder
from index.retrieve import Retriever
from index.store import load_index
from tests.conftest import DATA


def _questions(name: str) -> list[dict]:
    """Read a JSONL question set from data/eval."""
    lines = (DATA / "eval" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_smoke_questions_find_their_source_in_top5(sample_index: Path, embedder: Embedder) -> None:
    retriever = Retriever(load_index(sample_index), embedder)
    misses = []
    questions = _questions("smoke.jsonl")
    assert len(questions) >= 20
    for q in questions:
        top = {Path(h.chunk.source).name for h in retriever.search(q["question"], k=5)}
        if not top & set(q["sources"]):
            misses.append((q["id"], q["question"], sorted(top)))
    assert len(misses) <= len(questions) // 20, misses  # at least 19 of 20


def test_every_mode_returns_ranked_hits_with_cosine(sample_index: Path, embedder: Embedder) -> None:
    retriever = Retriever(load_index(sample_index), embedder)
    for mode in ("dense", "bm25", "hybrid"):
        hits = retriever.search("How long does an allocation last?", k=5, mode=mode)  # type: ignore[arg-type]
        assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
        assert all(h.dense_score is not None and -1.0 <= h.dense_score <= 1.0 for h in hits)
        assert hits[0].score >= hits[-1].score


def test_project_id_lookup_reaches_the_table_row(sample_index: Path, embedder: Embedder) -> None:
    retriever = Retriever(load_index(sample_index), embedder)
    hits = retriever.search("which resource did NAIRR240089 use", k=3)
    assert hits[0].chunk.source.endswith("past-allocations.csv")
    assert "NAIRR240089" in hits[0].chunk.text
