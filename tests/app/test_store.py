"""The SQLite store: answers, history, feedback, concurrent writers."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from app.store import Store, UnknownAnswer, open_store
from app.types import Answer


def _answer(i: int, q: str = "question") -> Answer:
    """A stored-answer-shaped object (no retrieval needed to test SQL)."""
    return Answer(
        question=f"{q} {i}",
        text=f"answer {i}",
        citations=(),
        hits=(),
        abstained=i % 2 == 0,
        backend="extractive",
        id=f"a{i:05d}-{q}",
    )


def test_history_and_feedback_round_trip(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.db")
    cid = store.ensure_conversation(None, "ui")
    for i in range(3):
        store.record_answer(cid, _answer(i), latency_ms=12.5, channel="ui")
    turns = store.history(cid)
    assert [t.role for t in turns] == ["user", "assistant"] * 3
    assert turns[0].content == "question 0" and turns[-1].content == "answer 2"
    store.add_feedback("a00001-question", -1, "wrong date")
    store.add_feedback("a00001-question", 1, "")
    log = {r.id: r for r in store.log()}
    assert log["a00001-question"].feedback_score == 1  # the latest feedback wins in the log
    assert store.feedback_rows("a00001-question") == [(-1, "wrong date"), (1, "")]
    assert [r.id for r in store.log(abstained=True)] == ["a00002-question", "a00000-question"]
    with pytest.raises(UnknownAnswer, match="no answer with id"):
        store.add_feedback("nope", 1)


def _write_many(url: str, tag: str, n: int) -> None:
    """Write n answers from a fresh connection (thread or process)."""
    store = Store(url)
    cid = store.ensure_conversation(f"conv-{tag}")
    for i in range(n):
        store.record_answer(cid, _answer(i, tag), latency_ms=1.0)
        store.add_feedback(f"a{i:05d}-{tag}", 1)


def test_concurrent_threads_and_processes_lose_no_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    Store(url)  # create the schema once
    threads = [threading.Thread(target=_write_many, args=(url, f"t{i}", 40)) for i in range(4)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(url, f"p{i}", 40)) for i in range(3)]
    for w in [*threads, *procs]:
        w.start()
    for w in [*threads, *procs]:
        w.join(120)
    assert all(p.exitcode == 0 for p in procs)
    assert Store(url).counts() == {"conversations": 7, "answers": 280, "feedback": 280}


def test_purge_command_applies_retention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    from pilotdesk.cli import run

    store = open_store(tmp_path / "pilotdesk.db")  # the autouse fixture points the CLI here
    cid = store.ensure_conversation(None)
    store.record_answer(cid, _answer(1), latency_ms=1.0)
    store.add_feedback("a00001-question", 1)
    with store.engine.begin() as conn:  # make the first answer 40 days old
        from app.store import answers

        conn.execute(answers.update().values(created_at=time.time() - 40 * 86_400))
    store.record_answer(cid, _answer(2), latency_ms=1.0)
    assert run(["purge", "--older-than-days", "30"]) == 0
    assert "removed 1 logged answers" in capsys.readouterr().out
    assert [r.id for r in store.log()] == ["a00002-question"]
    assert store.counts()["feedback"] == 0
