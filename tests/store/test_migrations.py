"""Schema migrations: run on start, adopt old files, refuse newer schemas, all or nothing."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import migrations
from app.errors import ConfigError
from app.migrations import MIGRATIONS, Migration, schema_version
from app.store import Store, conversations, database_url


def _tables(store: Store) -> set[str]:
    """Table names in the database."""
    return set(sa.inspect(store.engine).get_table_names())


def test_a_new_database_gets_every_step_once(db_url: str) -> None:
    store = Store(db_url)
    assert store.applied_migrations == [m.version for m in MIGRATIONS]
    assert {"conversations", "answers", "feedback", "rate_limits", "schema_migrations"} <= _tables(
        store
    )
    assert Store(db_url).applied_migrations == []
    with store.engine.connect() as conn:
        assert schema_version(conn) == MIGRATIONS[-1].version


def test_a_database_from_before_migrations_is_adopted_with_its_rows(db_url: str) -> None:
    engine = sa.create_engine(database_url(Path(), db_url))
    with engine.begin() as conn:  # what the first release's create_all made
        for name in ("conversations", "answers", "feedback"):
            conversations.metadata.tables[name].create(conn)
        conn.execute(conversations.insert().values(id="old", created_at=1.0, channel="ui"))
    engine.dispose()
    store = Store(db_url)
    assert store.applied_migrations == [1, 2, 3, 4]
    assert store.counts()["conversations"] == 1
    assert {"rate_limits", "sign_in_failures"} <= _tables(store)


def test_a_schema_newer_than_this_code_is_refused(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.begin() as conn:
        conn.execute(
            migrations.schema_migrations.insert().values(version=99, name="future", applied_at=0)
        )
    with pytest.raises(ConfigError, match=r"schema is at version 99.*upgrade pilotdesk"):
        Store(db_url)


def test_a_failing_step_leaves_the_schema_untouched(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db_url)

    step = MIGRATIONS[-1].version + 1

    def half_done(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError(f"step {step} failed")

    bad = Migration(step, "bad", half_done)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, bad))
    with pytest.raises(RuntimeError, match=f"step {step} failed"):
        Store(db_url)
    monkeypatch.undo()
    store = Store(db_url)
    assert "half_done" not in _tables(store)  # DDL rolled back with the transaction
    with store.engine.connect() as conn:
        assert schema_version(conn) == MIGRATIONS[-1].version


def _open(url: str, barrier: object) -> None:
    """Wait for the others, then open (and so migrate) the store."""
    barrier.wait(60)  # type: ignore[attr-defined]
    Store(url).close()


def test_replicas_starting_together_migrate_once(db_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_open, args=(db_url, barrier)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with Store(db_url).engine.connect() as conn:
        rows = conn.execute(sa.select(migrations.schema_migrations.c.version)).scalars().all()
    assert sorted(rows) == [m.version for m in MIGRATIONS]
