"""A real `pilotdesk serve` whose default backend may be down (so /readyz never says 200)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.api.server import Server, pilotdesk_server


def _index_loaded(r: httpx.Response) -> bool:
    """/readyz reports the index loaded; a down backend (503 unavailable) is fine."""
    return bool(r.json().get("index", {}).get("loaded"))


@contextlib.contextmanager
def api_server(
    index_dir: Path, workdir: Path, toml: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start `pilotdesk serve` with this config and the test's environment (keys included)."""
    with pilotdesk_server(
        index_dir, workdir, toml, env=env, clean_env=False, ready=_index_loaded
    ) as server:
        yield server
