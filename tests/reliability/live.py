"""A real `pilotdesk serve` whose default backend may be down (so /readyz never says 200)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from tests.api.server import Server, pilotdesk_server


def _index_loaded(_status: int, body: bytes) -> bool:
    """/readyz reports the index loaded; a down backend (503 unavailable) is fine."""
    return bool(json.loads(body).get("index", {}).get("loaded"))


@contextlib.contextmanager
def api_server(
    index_dir: Path, workdir: Path, toml: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start `pilotdesk serve` with this config and the test's environment (keys included)."""
    with pilotdesk_server(
        index_dir, workdir, toml, env=env, clean_env=False, ready=_index_loaded
    ) as server:
        yield server
