"""History, feedback, the question log and retention: the same tests on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from app.store import Store, UnknownAnswer
from tests.store.helpers import answer


def test_history_feedback_and_log_round_trip(db_url: str) -> None:
    store = Store(db_url)
    cid = store.ensure_conversation(None, "ui")
    for i in range(3):
        store.record_answer(cid, answer(i), latency_ms=12.5, channel="ui")
    turns = store.history(cid)
    assert [t.role for t in turns] == ["user", "assistant"] * 3
    assert turns[0].content == "question 0" and turns[-1].content == "answer 2"
    assert [t.content for t in store.history(cid, limit=1)] == ["question 2", "answer 2"]
    store.add_feedback("a00001-q", -1, "wrong date")
    store.add_feedback("a00001-q", 1, "")
    log = {r.id: r for r in store.log()}
    assert log["a00001-q"].feedback_score == 1  # the latest feedback wins in the log
    assert log["a00001-q"].channel == "ui" and log["a00001-q"].latency_ms == 12.5
    assert store.feedback_rows("a00001-q") == [(-1, "wrong date"), (1, "")]
    assert [r.id for r in store.log(abstained=True)] == ["a00002-q", "a00000-q"]
    assert [r.id for r in store.log(feedback_score=1)] == ["a00001-q"]
    with pytest.raises(UnknownAnswer, match="no answer with id"):
        store.add_feedback("nope", 1)
    with pytest.raises(ValueError, match="score must be"):
        store.add_feedback("a00001-q", 5)


def test_log_text_search_is_literal_and_case_insensitive(db_url: str) -> None:
    store = Store(db_url)
    cid = store.ensure_conversation("c")
    store.record_answer(cid, answer(1, "a", "What is 100% GPU time"), 1.0)
    store.record_answer(cid, answer(2, "b", "What is 100 GPU hours"), 1.0)
    assert [r.id for r in store.log(text="100%")] == ["a00001-a"]  # % is a character, not LIKE
    assert len(store.log(text="gpu")) == 2


def test_any_replica_continues_any_conversation(db_url: str) -> None:
    """Two Store objects stand for two replicas: each sees what the other wrote."""
    a, b = Store(db_url), Store(db_url)
    cid = a.ensure_conversation(None)
    a.record_answer(cid, answer(1, "r"), 1.0)
    assert b.ensure_conversation(cid) == cid  # existing: not duplicated
    assert [t.content for t in b.history(cid)] == ["question 1", "answer 1"]
    b.record_answer(cid, answer(2, "r"), 1.0)
    assert [t.content for t in a.history(cid)][-1] == "answer 2"
    a.add_feedback("a00002-r", 1, "via a")
    b.add_feedback("a00001-r", -1, "via b")
    assert a.counts() == {"conversations": 1, "answers": 2, "feedback": 2}


def test_same_new_conversation_from_many_threads_is_created_once(db_url: str) -> None:
    stores = [Store(db_url), Store(db_url)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def start(i: int) -> None:
        try:
            barrier.wait(10)
            stores[i % 2].ensure_conversation("shared-conversation")
        except BaseException as exc:  # reported below: a thread can't fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert stores[0].counts()["conversations"] == 1


def test_purge_removes_old_answers_with_their_feedback(db_url: str) -> None:
    import time

    store = Store(db_url)
    cid = store.ensure_conversation("c")
    store.record_answer(cid, answer(1), 1.0)
    store.add_feedback("a00001-q", 1)
    cutoff = time.time() + 1
    assert store.purge_before(cutoff) == 1
    assert store.counts() == {"conversations": 1, "answers": 0, "feedback": 0}
    assert store.ping()
