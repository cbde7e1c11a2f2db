"""`pilotdesk ui` (Streamlit) as a real subprocess on a free loopback port."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import childproc
from childproc import free_port
from tests.ui.driver import REPO


@dataclass
class UiProcess:
    """`pilotdesk ui` running in its own process group."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def wait_healthy(self) -> None:
        """Wait for Streamlit's health endpoint; fail with the log if the process dies."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"pilotdesk ui exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"pilotdesk ui did not start:\n{self.log_text()}")

    def log_text(self) -> str:
        """What the UI process wrote to stdout and stderr."""
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def ui_process(index_dir: Path, workdir: Path, env: dict[str, str]) -> Iterator[UiProcess]:
    """Start `python -m pilotdesk ui` (not yet healthy: it warms up while other things start)."""
    port = free_port()
    log = workdir / "ui.log"
    cmd = [sys.executable, "-m", "pilotdesk", "ui", "--index", str(index_dir), "--port", str(port)]
    # Its own process group (childproc): the CLI starts Streamlit as a child, and both stop.
    with childproc.running(cmd, log, name="pilotdesk ui", cwd=REPO, env=env) as child:
        yield UiProcess(f"http://127.0.0.1:{port}", child.proc, log)
