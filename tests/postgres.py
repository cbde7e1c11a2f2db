"""One real PostgreSQL server per test run (Debian's package, loopback port, temp data dir)."""

from __future__ import annotations

import atexit
import os
import threading
import uuid

import pytest

from deploy.local import Postgres, ServiceMissing, start_postgres

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
                if os.environ.get("CI"):
                    raise  # CI must run these: `make test` installs PostgreSQL first
                pytest.skip(reason=f"{exc} (the PostgreSQL half of the store suite needs it)")
            atexit.register(_server.stop)
        return _server


def fresh_database(request: pytest.FixtureRequest) -> str:
    """A new empty database on the shared server, dropped after the test; returns its URL."""
    pg = shared_postgres()
    name = "t_" + uuid.uuid4().hex[:12]
    url = pg.create_database(name)
    request.addfinalizer(lambda: pg.drop_database(name))
    return url
