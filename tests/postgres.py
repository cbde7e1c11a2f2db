"""One real PostgreSQL server per test run (Debian's package, loopback port, temp data dir)."""

from __future__ import annotations

import atexit
import threading
import uuid

import pytest

from deploy.local import Postgres, ServiceMissing, start_postgres
from tests.conftest import require_part

_server: Postgres | None = None
_lock = threading.Lock()


def shared_postgres() -> Postgres:
    """Start the server on first use; it stops when the test process exits."""
    global _server
    with _lock:
        if _server is None:
            try:
                _server = start_postgres()
            except ServiceMissing as exc:
                require_part("PostgreSQL", f"{exc} (the PostgreSQL half of the store suite)")
            atexit.register(_server.stop)
        return _server


def fresh_database(request: pytest.FixtureRequest) -> str:
    """A new empty database on the shared server, dropped after the test; returns its URL."""
    pg = shared_postgres()
    name = "t_" + uuid.uuid4().hex[:12]
    url = pg.create_database(name)
    request.addfinalizer(lambda: pg.drop_database(name))
    return url
