"""BM25 read directly with bm25s ranks exactly as llama-index's BM25Retriever does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.bm25 import bm25_search
from index.store import VERSIONS, load_index

REPO = Path(__file__).resolve().parents[2]


def test_same_rows_scores_and_order_as_bm25retriever(sample_index: Path) -> None:
    """Every dev and test question: identical chunk order and scores for the top 30."""
    from llama_index.retrievers.bm25 import BM25Retriever

    index = load_index(sample_index)
    folder = sample_index / VERSIONS / index.version / "bm25"
    peer = BM25Retriever.from_persist_dir(str(folder))
    peer.similarity_top_k = 30
    questions = []
    for name in ("dev.jsonl", "test.jsonl"):
        with open(REPO / "data" / "eval" / name, encoding="utf-8") as fh:
            questions += [json.loads(line)["question"] for line in fh if line.strip()]
    for q in questions:
        ours = bm25_search(index.bm25, q, 30)
        theirs = peer.retrieve(q)
        assert [index.chunks[r].id for r, _ in ours] == [h.node.node_id for h in theirs], q
        assert [s for _, s in ours] == pytest.approx([h.score for h in theirs]), q
