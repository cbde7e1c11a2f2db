"""API fixtures: the real app from the factory, on a copy of the sample index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.answer import Assistant
from app.api import create_app
from app.config import Settings
from index.embedder import Embedder

MakeClient = Callable[..., TestClient]
QUESTION = "How long is a startup project?"


@pytest.fixture
def make_client(sample_settings: Settings, embedder: Embedder) -> Iterator[MakeClient]:
    """Build clients over one app; keyword arguments override `settings.api` fields."""
    clients: list[TestClient] = []
    apps: dict[str, Any] = {}

    def make(client: tuple[str, int] = ("203.0.113.7", 50000), **api: Any) -> TestClient:
        if "app" not in apps:
            for key, value in api.items():
                setattr(sample_settings.api, key, value)
            # The session's embedder: loading MiniLM once per test session, not per app.
            app = create_app(sample_settings, Assistant(sample_settings, embedder))
            apps["app"] = app
        c = TestClient(apps["app"], client=client, raise_server_exceptions=False)
        c.__enter__()
        apps["app"].state.ctx.warm.wait(60)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    """A client with default API settings."""
    return make_client()
