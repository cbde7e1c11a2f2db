"""Concurrent writers and a killed writer, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.process import BaseProcess
from pathlib import Path

import sqlalchemy as sa

from app.store import Store
from tests.store.helpers import journal_ids, write_many, write_until_killed


def test_threads_and_processes_writing_at_once_lose_no_rows(db_url: str) -> None:
    Store(db_url)  # migrate once, so the writers race on rows, not on the schema
    threads = [threading.Thread(target=write_many, args=(db_url, f"t{i}", 30)) for i in range(4)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=write_many, args=(db_url, f"p{i}", 30)) for i in range(3)]
    workers: list[threading.Thread | BaseProcess] = [*threads, *procs]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = Store(db_url)
    assert store.counts() == {"conversations": 7, "answers": 210, "feedback": 210}
    for tag in ("t0", "p2"):
        assert len(store.history(f"conv-{tag}", limit=100)) == 60
        assert store.feedback_rows(f"a00003-{tag}") == [(-1, f"from {tag}")]


def test_a_killed_writer_leaves_a_consistent_database(db_url: str, tmp_path: Path) -> None:
    Store(db_url)
    journal = tmp_path / "committed.txt"
    ctx = multiprocessing.get_context("spawn")
    victim = ctx.Process(target=write_until_killed, args=(db_url, str(journal)))
    victim.start()
    deadline = time.monotonic() + 60
    while len(journal_ids(journal)) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.pid is not None and victim.is_alive()
    os.kill(victim.pid, signal.SIGKILL)  # mid-write: no chance to commit, roll back or close
    victim.join(10)
    assert victim.exitcode == -signal.SIGKILL

    store = Store(db_url)
    committed = journal_ids(journal)
    stored = {r.id for r in store.log(limit=100_000)}
    # Everything the writer saw committed is there; at most the last one went unjournaled.
    assert set(committed) <= stored and len(stored - set(committed)) <= 1
    with store.engine.connect() as conn:
        if store.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        orphans = conn.execute(
            sa.text(
                "SELECT count(*) FROM feedback f LEFT JOIN answers a ON a.id = f.answer_id "
                "WHERE a.id IS NULL"
            )
        ).scalar()
        assert orphans == 0
    # The killed process held no lock that outlives it: another writer succeeds (a leftover
    # SQLite lock would make it fail with "database is locked" after the busy timeout).
    write_many(db_url, "after", 5)
    assert store.counts()["answers"] == len(stored) + 5
