"""Answers to store, and writers that run in threads or separate processes."""

from __future__ import annotations

import time
from pathlib import Path

from app.store import Store
from app.types import Answer


def answer(i: int, tag: str = "q", question: str = "question") -> Answer:
    """A stored-answer-shaped object (no retrieval needed to test SQL)."""
    return Answer(
        question=f"{question} {i}",
        text=f"answer {i}",
        citations=(),
        hits=(),
        abstained=i % 2 == 0,
        backend="extractive",
        id=f"a{i:05d}-{tag}",
        standalone_question=f"standalone {question} {i}",
    )


def write_many(url: str, tag: str, n: int) -> None:
    """Write n answers, each with feedback, from a fresh Store (thread or process)."""
    store = Store(url)
    cid = store.ensure_conversation(f"conv-{tag}")
    for i in range(n):
        store.record_answer(cid, answer(i, tag), latency_ms=1.0)
        store.add_feedback(f"a{i:05d}-{tag}", 1 if i % 3 else -1, f"from {tag}")
    store.close()


def write_until_killed(url: str, journal: str, max_seconds: float = 60.0) -> None:
    """Write answers in a loop, journaling each id once its transaction has committed."""
    store = Store(url)
    cid = store.ensure_conversation("conv-victim")
    deadline = time.monotonic() + max_seconds
    with open(journal, "a", encoding="utf-8") as fh:
        i = 0
        while time.monotonic() < deadline:  # bounded even if nobody kills us
            a = answer(i, "victim")
            store.record_answer(cid, a, latency_ms=1.0)
            store.add_feedback(a.id, 1)
            fh.write(a.id + "\n")
            fh.flush()
            i += 1


def journal_ids(path: Path) -> list[str]:
    """Ids a killed writer saw committed (a torn last line is not an id)."""
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if line.startswith("a")]
