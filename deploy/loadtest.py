"""A bounded load test on loopback: C clients × N questions against POST /v1/ask."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

QUESTIONS = (
    "Who is eligible to request NAIRR Pilot resources?",
    "Can a community college instructor request classroom resources?",
    "Which resources offer GPUs for training models?",
    "How long does a startup project last?",
    "What is the number one pitfall when writing a resource request?",
    "How do I request resources for a classroom?",
)


@dataclass
class LoadResult:
    """What one run measured."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    upstreams: Counter[str] = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """A latency percentile in ms (q in 0..100)."""
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]

    def summary(self) -> str:
        """One line for logs and the README."""
        return (
            f"{self.requests} requests, {self.errors} errors in {self.seconds:.1f} s: "
            f"{self.rps:.1f} req/s, p50 {self.percentile(50):.0f} ms, "
            f"p95 {self.percentile(95):.0f} ms"
        )


def run_load(
    base_url: str,
    clients: int = 8,
    per_client: int = 20,
    questions: Sequence[str] = QUESTIONS,
    max_seconds: float = 120.0,
    timeout_s: float = 60.0,
) -> LoadResult:
    """Each client asks `per_client` questions in turn; stops early after `max_seconds`."""
    lock = threading.Lock()
    result = LoadResult(0, 0, 0.0)
    deadline = time.monotonic() + max_seconds

    def client(i: int) -> None:
        with httpx.Client(base_url=base_url, timeout=timeout_s) as http:
            for j in range(per_client):
                if time.monotonic() > deadline:
                    return
                q = questions[(i + j) % len(questions)]
                t0 = time.perf_counter()
                try:
                    r = http.post("/v1/ask", json={"question": q})
                    status, ok = str(r.status_code), r.status_code == 200
                    upstream = r.headers.get("x-pilotdesk-upstream", "")
                except httpx.HTTPError as exc:
                    status, ok, upstream = type(exc).__name__, False, ""
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    result.requests += 1
                    result.errors += 0 if ok else 1
                    result.statuses[status] += 1
                    result.upstreams[upstream] += 1
                    if ok:
                        result.latencies_ms.append(ms)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    return result
