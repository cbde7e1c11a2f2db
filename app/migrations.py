"""Ordered schema migrations, recorded in schema_migrations (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from app.errors import ConfigError

schema_migrations = sa.Table(
    "schema_migrations",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("applied_at", sa.Float, nullable=False),
)

# Any constant works; it only has to be the same in every replica (pg_advisory_xact_lock key).
_PG_LOCK_KEY = 0x7069_6C6F_7464  # "pilotd"


@dataclass(frozen=True)
class Migration:
    """One schema step; `apply` runs inside the migration transaction."""

    version: int
    name: str
    apply: Callable[[sa.Connection], None]


def _initial(conn: sa.Connection) -> None:
    """Conversations, answers, feedback: the schema the first release created."""
    # Defined here, not taken from app.store: a migration must keep creating the schema of its
    # own time even after the live table definitions gain columns in later steps.
    md = sa.MetaData()
    sa.Table(
        "conversations",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False, server_default="api"),
    )
    sa.Table(
        "answers",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), index=True),
        sa.Column("created_at", sa.Float, nullable=False, index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("standalone_question", sa.Text, nullable=False, server_default=""),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("backend", sa.String(64), nullable=False),
        sa.Column("abstained", sa.Boolean, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("citations", sa.Text, nullable=False, server_default="[]"),
        sa.Column("warnings", sa.Text, nullable=False, server_default="[]"),
        sa.Column("channel", sa.String(32), nullable=False, server_default="api"),
    )
    sa.Table(
        "feedback",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("answer_id", sa.String(64), sa.ForeignKey("answers.id"), index=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
    )
    # checkfirst: SQLite files written before migrations existed already hold these tables.
    md.create_all(conn, checkfirst=True)


def _history_index(conn: sa.Connection) -> None:
    """History reads one conversation newest first: index exactly that."""
    conn.execute(
        sa.text(
            "CREATE INDEX IF NOT EXISTS ix_answers_conversation_created "
            "ON answers (conversation_id, created_at)"
        )
    )


def _rate_limits(conn: sa.Connection) -> None:
    """Per-client request counters per time window, shared by all replicas."""
    md = sa.MetaData()
    sa.Table(
        "rate_limits",
        md,
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("window_start", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hits", sa.Integer, nullable=False),
    )
    md.create_all(conn, checkfirst=True)


def _sign_in_failures(conn: sa.Connection) -> None:
    """Wrong staff passwords per client address, shared by every worker and replica."""
    md = sa.MetaData()
    sa.Table(
        "sign_in_failures",
        md,
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
    )
    md.create_all(conn, checkfirst=True)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial", _initial),
    Migration(2, "answers_history_index", _history_index),
    Migration(3, "rate_limits", _rate_limits),
    Migration(4, "sign_in_failures", _sign_in_failures),
)


def schema_version(conn: sa.Connection) -> int:
    """The highest applied migration (0 for an empty database)."""
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    return int(conn.execute(sa.select(sa.func.max(schema_migrations.c.version))).scalar() or 0)


def migrate(engine: sa.Engine) -> list[int]:
    """Apply the missing steps in order, in one transaction; return the versions applied."""
    known = MIGRATIONS[-1].version
    opts = {"pilotdesk_begin": "IMMEDIATE"}  # SQLite: take the write lock before reading
    with engine.connect().execution_options(**opts) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # Replicas start together: one migrates, the others wait here and then find the
            # steps done. PostgreSQL DDL is transactional, so a failed step leaves nothing.
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
        schema_migrations.create(conn, checkfirst=True)
        done = set(conn.execute(sa.select(schema_migrations.c.version)).scalars())
        newer = {v for v in done if v > known}
        if newer:
            raise ConfigError(
                f"the database schema is at version {max(newer)}, newer than this pilotdesk "
                f"knows ({known}); upgrade pilotdesk on this machine to the version the other "
                "replicas run"
            )
        applied = []
        for step in MIGRATIONS:
            if step.version in done:
                continue
            step.apply(conn)
            conn.execute(
                schema_migrations.insert().values(
                    version=step.version, name=step.name, applied_at=time.time()
                )
            )
            applied.append(step.version)
    return applied
