"""A real `pilotdesk serve` whose default backend may be down (so /readyz never says 200)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.server import PILOTDESK, Server, free_port


def _wait_loaded(url: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    """Poll /readyz until the index is loaded; a down backend (503 unavailable) is fine."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"pilotdesk serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
            )
        with contextlib.suppress(httpx.HTTPError, ValueError):
            body = httpx.get(f"{url}/readyz", timeout=5).json()
            if body.get("index", {}).get("loaded"):
                return
        time.sleep(0.3)
    pytest.fail(f"pilotdesk serve did not load its index in {timeout_s} s:\n{log.read_text()}")


@contextlib.contextmanager
def api_server(
    index_dir: Path, workdir: Path, toml: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start `pilotdesk serve` with this config and extra environment; stop it afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "pilotdesk.toml"
    config.write_text(toml, encoding="utf-8")
    full_env = {
        **os.environ,
        "PILOTDESK_CONFIG": str(config),
        "PILOTDESK_PATHS__DB_PATH": str(workdir / "pilotdesk.db"),
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
    }
    port = free_port()
    log = workdir / "server.log"
    cmd = [str(PILOTDESK), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*cmd, "--index", str(index_dir)], cwd=workdir, env=full_env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_loaded(url, proc, log, 120)
        yield Server(url, workdir, log)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
