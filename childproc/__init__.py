"""Child servers on loopback: one free_port, one way to start, wait for and stop a process.

Tests, deploy/ and eval/bench/ all start real servers (`pilotdesk serve`, `pilotdesk ui`,
llama.cpp, nginx). This package imports only the standard library and nothing of pilotdesk,
so every layer may use it without bending the one-way imports (ingest → index → app → eval).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

__all__ = ["Child", "ChildFailed", "free_port", "running", "start"]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now, chosen by the OS."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class ChildFailed(RuntimeError):
    """A child server exited early or never became ready; the message ends with its log."""


@dataclass
class Child:
    """A started process with its log file, in its own process group (its children stop too)."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path
    stop_signal: int = signal.SIGTERM

    @property
    def pid(self) -> int:
        """The process id (also its process-group id)."""
        return self.proc.pid

    def running(self) -> bool:
        """True while the process has not exited."""
        return self.proc.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        """The end of what the process wrote to stdout and stderr."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"

    def failure(self, what: str) -> ChildFailed:
        """An error naming the process, what went wrong, and the end of its log."""
        return ChildFailed(f"{self.name} {what}; log {self.log}:\n{self.log_tail()}")

    def wait_until(self, ready: Callable[[], bool], timeout_s: float, what: str) -> None:
        """Poll `ready` until true; fail at once if the process exits, or after the timeout.

        OSError and ValueError from `ready` count as "not yet" (refused connections, bodies
        that are not JSON while a server starts).
        """
        deadline = time.monotonic() + timeout_s
        while True:
            if self.proc.poll() is not None:
                raise self.failure(f"exited with {self.proc.returncode} before {what}")
            with contextlib.suppress(OSError, ValueError):
                if ready():
                    return
            if time.monotonic() >= deadline:
                raise self.failure(f"did not reach {what} within {timeout_s:g} s")
            time.sleep(0.2)

    def wait_http(
        self,
        url: str,
        timeout_s: float = 120,
        ok: Callable[[int, bytes], bool] = lambda status, _body: status == 200,
    ) -> None:
        """Wait until a GET of `url` gives a (status, body) that `ok` accepts."""
        self.wait_until(lambda: ok(*http_get(url)), timeout_s, f"{url} answering")

    def wait_port(self, port: int, timeout_s: float = 20, host: str = "127.0.0.1") -> None:
        """Wait until something accepts TCP connections on the port."""

        def listening() -> bool:
            with socket.create_connection((host, port), 1):
                return True

        self.wait_until(listening, timeout_s, f"listening on {host}:{port}")

    def send(self, sig: int) -> None:
        """Send a signal to the whole process group (no-op once it is gone)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)

    def stop(self, timeout_s: float = 15) -> None:
        """Stop gracefully with `stop_signal`, then SIGKILL what is left; safe to call twice."""
        if self.proc.poll() is None:
            self.send(self.stop_signal)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout_s)
        # Also reaps grandchildren (uvicorn workers, Streamlit) that outlived their parent.
        self.send(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)

    def kill(self) -> None:
        """Die at once, as a crashed machine would (SIGKILL to the group)."""
        self.send(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)

    def __enter__(self) -> Child:
        """Use as a context manager: stopped on exit."""
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop the process."""
        self.stop()


def http_get(url: str, timeout_s: float = 5) -> tuple[int, bytes]:
    """GET a URL: (status, body), error statuses included (a 503 is an answer too)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as r:
            return int(r.status), r.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


def start(
    cmd: Sequence[str],
    log: Path,
    *,
    name: str = "",
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stop_signal: int = signal.SIGTERM,
) -> Child:
    """Start `cmd` in its own process group with stdout and stderr in `log`; returns at once."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Child(name or Path(cmd[0]).name, proc, log, stop_signal)


@contextlib.contextmanager
def running(
    cmd: Sequence[str],
    log: Path,
    *,
    name: str = "",
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[Child]:
    """`start` as a context manager: the process (and its group) is stopped on exit."""
    child = start(cmd, log, name=name, cwd=cwd, env=env)
    try:
        yield child
    finally:
        child.stop()
