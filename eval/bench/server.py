"""A real `pilotdesk serve` process on loopback, for cold start, memory and load figures."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from childproc import Child, free_port, start
from eval.bench.common import REPO, tree_rss_mb
from eval.bench.ingest_bench import pilotdesk_cmd


class ApiServer:
    """`pilotdesk serve --index ROOT --workers N` on 127.0.0.1, stopped on exit."""

    def __init__(self, index: Path, work: Path, workers: int = 1, cpus: str = "") -> None:
        """Choose a port, a private database and a bearer token (which skips the rate limit).

        `cpus` pins the server with `taskset -c CPUS` (the one-core figure).
        """
        self.index = index
        self.cpus = cpus
        self.workers = workers
        self.port = free_port()
        self.token = secrets.token_urlsafe(16)
        self.db = work / f"api-{self.port}.db"
        self.log_path = work / f"api-{self.port}.log"
        self.child: Child | None = None
        self.started = 0.0
        self.listen_s = 0.0

    def __enter__(self) -> ApiServer:
        """Start the process (its start time is `started`)."""
        env = dict(os.environ)
        env.update(
            {
                "PILOTDESK_PATHS__DB_PATH": str(self.db),
                "PILOTDESK_API__BEARER_TOKEN": self.token,
            }
        )
        cmd = [*pilotdesk_cmd(), "serve", "--index", str(self.index)]
        if self.cpus:
            cmd = ["taskset", "-c", self.cpus, *cmd]
        cmd += ["--port", str(self.port), "--workers", str(self.workers)]
        self.started = time.perf_counter()
        self.child = start(cmd, self.log_path, name="pilotdesk serve", cwd=REPO, env=env)
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Stop the server and its workers (SIGTERM, then SIGKILL after 15 s)."""
        if self.child is not None:
            self.child.stop(15)

    def connection(self, timeout: float = 120) -> http.client.HTTPConnection:
        """A keep-alive connection to the server."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def ask(self, conn: http.client.HTTPConnection, question: str) -> tuple[int, dict[str, Any]]:
        """POST /v1/ask on a connection; returns (status, JSON body)."""
        body = json.dumps({"question": question})
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        conn.request("POST", "/v1/ask", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, {}

    def wait_listening(self, timeout: float = 180) -> float:
        """Seconds from process start until /healthz answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.child is not None and not self.child.running():
                raise self.child.failure("exited")
            try:
                conn = self.connection(timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    self.listen_s = time.perf_counter() - self.started
                    return self.listen_s
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"pilotdesk serve did not listen within {timeout:.0f} s")

    def wait_all_ready(self, workers: int, timeout: float = 180) -> None:
        """Wait until /readyz says ready on enough fresh connections to have met every worker.

        Each uvicorn worker loads the model and index in its own warm-up thread; a new
        connection lands on any worker, so 8 ready answers per worker in a row make a worker
        that is still loading very unlikely to be missed (under 1 in 2**8 for two).
        """
        deadline = time.monotonic() + timeout
        streak = 0
        while streak < 8 * workers and time.monotonic() < deadline:
            conn = self.connection(timeout=10)
            try:
                conn.request("GET", "/readyz")
                streak = streak + 1 if conn.getresponse().status == 200 else 0
            except OSError:
                streak = 0
            finally:
                conn.close()
            if streak == 0:
                time.sleep(0.2)

    def first_answer(self, question: str) -> float:
        """Seconds from process start until a first POST /v1/ask returns 200."""
        self.wait_listening()
        conn = self.connection()
        try:
            while True:
                status, body = self.ask(conn, question)
                if status == 200:
                    return time.perf_counter() - self.started
                if status != 503:  # 503: index still loading in the warm-up thread
                    raise RuntimeError(f"/v1/ask answered {status}: {body}")
                time.sleep(0.1)
        finally:
            conn.close()

    def rss_mib(self) -> float:
        """RSS of the server and its worker processes."""
        assert self.child is not None
        return tree_rss_mb(self.child.pid)
