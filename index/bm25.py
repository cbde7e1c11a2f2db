"""Keyword search on the stored bm25s index, read directly: no llama-index at query time.

Ingest writes the index with llama-index's BM25Retriever (bm25s files plus retriever.json);
this module loads the same files with bm25s and tokenises and scores queries exactly as
BM25Retriever.retrieve does, so results are identical and importing it costs 0.3 s, not 1 s.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # BM25Retriever's default


@dataclass(frozen=True)
class Bm25Index:
    """A loaded bm25s index and, for each of its documents, the chunk row it scores."""

    model: Any  # bm25s.BM25
    rows: Any  # np.ndarray[int]: bm25 document i -> chunk row, -1 when not a chunk
    stemmer: Any  # PyStemmer's English stemmer, or None when stemming was skipped
    token_pattern: str
    weight_mask: Any = None  # np.ndarray or None (BM25Retriever's corpus_weight_mask)


def load_bm25(path: Path, positions: dict[str, int]) -> Bm25Index:
    """Load bm25s files written by BM25Retriever.persist; map its documents to chunk rows."""
    import bm25s
    import numpy as np
    import Stemmer

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    args = json.loads((path / "retriever.json").read_text(encoding="utf-8"))
    model = bm25s.BM25.load(str(path), load_corpus=False)
    rows: list[int] = []
    # The corpus file holds each node's metadata; only its id is needed, line by line.
    with open(path / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(positions.get(json.loads(line).get("node_id", ""), -1))
    skip = bool(args.get("skip_stemming", False))
    mask = args.get("corpus_weight_mask")
    return Bm25Index(
        model=model,
        rows=np.asarray(rows, dtype=np.int64),
        stemmer=None if skip else Stemmer.Stemmer("english"),
        token_pattern=args.get("token_pattern", DEFAULT_TOKEN_PATTERN),
        weight_mask=np.asarray(mask) if mask else None,
    )


def bm25_search(index: Bm25Index, query: str, n: int) -> list[tuple[int, float]]:
    """Top-n (chunk row, BM25 score), tokenised and tie-ordered as BM25Retriever does.

    Measured (`pilotdesk bench`, README Performance): BM25Retriever.retrieve spends most of
    its time rebuilding a TextNode per hit from JSON; scoring directly gives identical rows,
    scores and tie order.
    """
    import bm25s
    from bm25s.selection import topk

    tokens = bm25s.tokenize(
        query,
        stemmer=index.stemmer,
        token_pattern=index.token_pattern,
        return_ids=False,
        show_progress=False,
    )[0]
    if not tokens:  # a query of stop words only
        return []
    scores = index.model.get_scores(tokens, weight_mask=index.weight_mask)
    # bm25s's own top-k, so ties come out in the order retrieve() gives them.
    values, docs = topk(scores, min(n, len(scores)), backend="auto", sorted=True)
    out = []
    for d, s in zip(docs, values, strict=True):
        row = int(index.rows[int(d)])
        if row >= 0:
            out.append((row, float(s)))
    return out
