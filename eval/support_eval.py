"""The sentence-support check on a labelled set: precision and recall of its removals."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from app.backends.support import check_support
from index.types import Hit
from ingest.types import Chunk


@dataclass(frozen=True)
class Labelled:
    """One model-style sentence, the passage it cites, and whether the passage supports it."""

    id: str
    split: str
    passage: str
    sentence: str
    supported: bool


def load(path: Path) -> list[Labelled]:
    """Read a labelled JSONL file."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [
        Labelled(r["id"], r["split"], r["passage"], r["sentence"], bool(r["supported"]))
        for r in rows
    ]


def removed(item: Labelled, min_support: float) -> bool:
    """Whether the check removes the sentence."""
    chunk = Chunk(item.id, item.id, item.passage, "t", "t.md", "", "faq", "§ t")
    hit = Hit(chunk, 1.0, 1, "hybrid")
    return bool(check_support(item.sentence, [hit], ["S1"], min_support).removed)


def scores(items: list[Labelled], min_support: float) -> tuple[float, float]:
    """(precision, recall) of removing unsupported sentences."""
    flags = [(removed(it, min_support), not it.supported) for it in items]
    tp = sum(1 for r, u in flags if r and u)
    precision = tp / max(1, sum(1 for r, _ in flags if r))
    recall = tp / max(1, sum(1 for _, u in flags if u))
    return precision, recall


def choose_min_support(dev: list[Labelled]) -> float:
    """The word-overlap cut with the best F1 on dev (ties: the lower, gentler cut)."""
    best, best_f1 = 0.5, -1.0
    for cut in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        p, r = scores(dev, cut)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = cut, f1
    return best
