"""The shared child-server launcher, on real processes (Python's own http.server)."""

from __future__ import annotations

import os
import socket
import sys
import textwrap
import time
from pathlib import Path

import pytest

from childproc import ChildFailed, free_port, running, start


def _alive(pid: int) -> bool:
    """True while a process with this id runs (a zombie waiting for init counts as gone)."""
    try:
        os.kill(pid, 0)
        return not Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (ProcessLookupError, FileNotFoundError):
        return False


def _gone(pid: int) -> bool:
    """Wait (bounded) for a killed process to die: SIGKILL is delivered asynchronously."""
    for _ in range(100):
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_free_port_is_bindable_on_loopback() -> None:
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_a_server_is_waited_for_and_stopped_with_its_children(tmp_path: Path) -> None:
    port = free_port()
    pid_file = tmp_path / "grandchild.pid"
    # The server starts a grandchild that ignores SIGTERM, as a worker process might.
    script = textwrap.dedent(
        f"""
        import http.server, pathlib, signal, subprocess, sys
        g = subprocess.Popen([sys.executable, "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
        pathlib.Path({str(pid_file)!r}).write_text(str(g.pid))
        print("serving", flush=True)
        http.server.test(http.server.SimpleHTTPRequestHandler, port={port}, bind="127.0.0.1")
        """
    )
    (tmp_path / "hello.txt").write_text("hi")
    with running([sys.executable, "-c", script], tmp_path / "s.log", cwd=tmp_path) as child:
        child.wait_http(f"http://127.0.0.1:{port}/hello.txt", timeout_s=60)
        child.wait_port(port)
        seen: list[int] = []

        def record(status: int, _body: bytes) -> bool:
            seen.append(status)
            return True

        child.wait_http(f"http://127.0.0.1:{port}/missing", ok=record)
        assert seen == [404]  # error statuses reach `ok` too
        grandchild = int(pid_file.read_text())
        assert child.running() and _alive(grandchild)
    assert not child.running() and _gone(grandchild)
    assert "serving" in child.log_tail()
    child.stop()  # a second stop is harmless


def test_a_child_that_exits_fails_with_its_log(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "import sys; print('bad config: no model'); sys.exit(3)"]
    child = start(cmd, tmp_path / "x.log", name="llama.cpp server")
    with pytest.raises(ChildFailed, match=r"(?s)llama.cpp server exited with 3 .*no model"):
        child.wait_http(f"http://127.0.0.1:{free_port()}/health", timeout_s=60)


def test_a_child_that_never_gets_ready_times_out_and_is_stopped(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "import time; print('warming up', flush=True); time.sleep(600)"]
    never = r"(?s)sleeper did not reach never.*warming up"
    with (
        running(cmd, tmp_path / "y.log", name="sleeper") as child,
        pytest.raises(ChildFailed, match=never),
    ):
        child.wait_until(lambda: child.log_tail().count("\n") > 5, 0.5, "never")
    assert not child.running()
