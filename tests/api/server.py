"""Run the real `pilotdesk serve` (uvicorn) on a free loopback port for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import childproc
from childproc import free_port

PILOTDESK = Path(sys.executable).parent / "pilotdesk"
_BLANKED = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "JETSTREAM2_API_KEY", "SAMBANOVA_API_KEY")


@dataclass
class Server:
    """A running server: its base URL, work directory and log file."""

    url: str
    workdir: Path
    log: Path

    @property
    def db_path(self) -> Path:
        """The SQLite store the server writes."""
        return self.workdir / "pilotdesk.db"


@contextlib.contextmanager
def pilotdesk_server(
    index_dir: Path,
    workdir: Path,
    toml: str = "",
    env: dict[str, str] | None = None,
    clean_env: bool = True,
    ready: Callable[[int, bytes], bool] | None = None,
) -> Iterator[Server]:
    """Start `pilotdesk serve` with its own config, store and cwd; stop it afterwards.

    By default the server gets no API keys or PILOTDESK_* variables from the test process and
    counts as started when /readyz says 200; `env`, `clean_env` and `ready` (given the
    status and body of /readyz) change that.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "pilotdesk.toml"
    config.write_text(toml, encoding="utf-8")
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not clean_env or (not k.startswith("PILOTDESK_") and k not in _BLANKED)
    }
    full_env = inherited | {
        "PILOTDESK_CONFIG": str(config),
        "PILOTDESK_PATHS__DB_PATH": str(workdir / "pilotdesk.db"),
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
    }
    port = free_port()
    cmd = [str(PILOTDESK), "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--index", str(index_dir)]
    url = f"http://127.0.0.1:{port}"
    with childproc.running(
        cmd, workdir / "server.log", name="pilotdesk serve", cwd=workdir, env=full_env
    ) as child:
        child.wait_http(f"{url}/healthz", 60)
        child.wait_http(f"{url}/readyz", 120, *([ready] if ready else []))
        yield Server(url, workdir, child.log)


@dataclass
class LiveSite:
    """One real deployment shared by the API and widget tests (starting uvicorn takes ~20 s).

    `api` is `pilotdesk serve`; `host` is a separate loopback site (another origin) whose pages
    are set in `routes`; the default backend streams from the OpenAI-protocol fault server.
    """

    api: Server
    host: str
    routes: dict[str, Any]


_LIVE: dict[str, LiveSite] = {}


def live_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_index: Path
) -> LiveSite:
    """Start the shared deployment once per session (call from a session-scoped fixture)."""
    if "site" in _LIVE:
        return _LIVE["site"]
    from tests.helpers import serve
    from tests.openai_fault_server import fault_server

    stack = contextlib.ExitStack()
    request.addfinalizer(stack.close)
    fault = stack.enter_context(fault_server())
    routes: dict[str, Any] = {}
    host = stack.enter_context(serve(routes))
    work = tmp_path_factory.mktemp("live")
    shutil.copytree(sample_index, work / "index")
    # Streaming "model": the fault server answers word by word, so /v1/chat sends many tokens.
    toml = (
        f'[api]\nallowed_origins = ["{host}"]\nrate_limit_per_minute = 20\n'
        '[backend]\ndefault = "stream"\n'
        "[backend.profiles.stream]\n"
        f'kind = "openai"\nbase_url = "{fault.url("ok")}"\nmodel = "fault"\nmax_retries = 0\n'
    )
    api = stack.enter_context(pilotdesk_server(work / "index", work, toml))
    _LIVE["site"] = LiveSite(api, host, routes)
    return _LIVE["site"]
