"""The two database implementations behind the store: engine set-up and ON CONFLICT inserts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.errors import ConfigError


def driver_url(url: str) -> str:
    """Name the driver pilotdesk ships: a plain postgresql:// URL would pick psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Dialect:
    """What differs between the two databases; everything else is shared SQLAlchemy Core."""

    name = ""

    def engine(self, url: str) -> sa.Engine:
        """Create the engine."""
        raise NotImplementedError

    def insert(self, table: sa.Table) -> Any:
        """An INSERT that supports ON CONFLICT (both dialects spell it the same way)."""
        raise NotImplementedError


class SqliteDialect(Dialect):
    """The embedded default: one file, WAL, writers serialised by SQLite's lock."""

    name = "sqlite"

    def engine(self, url: str) -> sa.Engine:
        """A file engine whose transactions pilotdesk begins itself (see _sqlite_begin)."""
        engine = sa.create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False, "isolation_level": None}
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine

    def insert(self, table: sa.Table) -> Any:
        """SQLite's INSERT … ON CONFLICT."""
        from sqlalchemy.dialects.sqlite import insert

        return insert(table)


class PostgresDialect(Dialect):
    """A shared server database for several replicas."""

    name = "postgresql"

    def engine(self, url: str) -> sa.Engine:
        """A pooled engine; pre-ping drops connections a database restart has closed."""
        return sa.create_engine(
            url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=10,
            pool_timeout=30,
            connect_args={"connect_timeout": 10, "application_name": "pilotdesk"},
        )

    def insert(self, table: sa.Table) -> Any:
        """PostgreSQL's INSERT … ON CONFLICT."""
        from sqlalchemy.dialects.postgresql import insert

        return insert(table)


def dialect_for(url: str) -> Dialect:
    """Pick the implementation for a URL; other databases are refused with the fix."""
    if url.startswith("sqlite"):
        return SqliteDialect()
    if url.startswith(("postgresql", "postgres")):
        return PostgresDialect()
    raise ConfigError(
        f"unsupported database URL scheme {url.split(':', 1)[0]!r}; set PILOTDESK_DATABASE_URL "
        "to postgresql://USER:PASSWORD@HOST:PORT/DB, or leave it empty for the SQLite file"
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL lets readers and several writers share the file without losing rows."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    """Begin explicitly: the sqlite3 module's own implicit BEGIN skips DDL and can't wait."""
    mode = conn.get_execution_options().get("pilotdesk_begin", "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())
