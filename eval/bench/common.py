"""Shared pieces of the benchmark: result types, the run context, timers and machine facts."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.metrics import percentile
from index.embedder import Embedder
from index.onnx_embedder import OnnxEmbedder, ensure_export

if TYPE_CHECKING:
    import numpy as np

    from app.config import Settings
    from eval.dataset import GoldenItem

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "data" / "eval" / "dev.jsonl"  # the tuning split: benches never read test


@dataclass
class Goal:
    """One target from the issue and whether this run met it (None: not measured)."""

    name: str
    target: str
    value: str
    met: bool | None


@dataclass
class Section:
    """One figure of the benchmark: a table of rows, goals, and notes on what was measured."""

    key: str
    title: str
    status: str = "ok"  # ok | skipped | pending | failed
    reason: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Serialise for results.json."""
        return asdict(self)


class UncachedEmbedder(Embedder):
    """The configured Embedder with every query embedded afresh.

    Embedder.encode_query keeps recent queries in a small cache; the bench asks each golden
    question many times, so with the cache it would time dictionary look-ups, not the
    embedding a new question costs.
    """

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query as a (1, dim) array, never from a cache."""
        return self.encode([text])


class UncachedOnnxEmbedder(OnnxEmbedder):
    """The ONNX Runtime embedder with every query embedded afresh (see UncachedEmbedder)."""

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query as a (1, dim) array, never from a cache."""
        return self.encode([text])


@dataclass
class BenchContext:
    """What every section shares: settings, folders, sizes, the loaded model, the sample index."""

    settings: Settings
    work: Path
    out: Path
    quick: bool
    sizes: list[int]
    corpus: list[str]
    deadline: float  # time.monotonic() after which optional extras are dropped
    shared: dict[str, Any] = field(default_factory=dict)  # results one section hands another
    _embedder: Embedder | None = None
    _query_embedder: Embedder | None = None
    _questions: list[GoldenItem] | None = None

    @property
    def embedder(self) -> Embedder:
        """The configured embedding model, loaded once for the whole run."""
        if self._embedder is None:
            e = self.settings.embedding
            self._embedder = UncachedEmbedder(e.model, e.batch_size, e.device)
            _ = self._embedder.dim
        return self._embedder

    @property
    def models_dir(self) -> Path:
        """The ONNX export cache as the CLI and server children (cwd = the repo) see it."""
        d = self.settings.paths.models_dir
        return d if d.is_absolute() else REPO / d

    @property
    def query_embedder(self) -> Embedder:
        """What answers questions: the configured backend (exported now if it must be)."""
        if self._query_embedder is None:
            e = self.settings.embedding
            if e.backend == "onnx":
                ensure_export(self.models_dir, e.model, self.embedder._load())
                self._query_embedder = UncachedOnnxEmbedder(e.model, e.batch_size, self.models_dir)
            else:
                self._query_embedder = self.embedder
            self._query_embedder.encode(["warm up"])
        return self._query_embedder

    @property
    def sample_index(self) -> Path:
        """The sample corpus ingested into the work folder (built on first use)."""
        root = self.work / "sample-index"
        if not (root / "CURRENT").exists():
            from app.ingest_service import ingest

            settings = self.settings.model_copy(deep=True)
            settings.paths.index_dir = root
            ingest(settings, self.corpus, embedder=self.embedder)
        return root

    def questions(self, answerable_only: bool = False) -> list[GoldenItem]:
        """The dev-split questions (fewer in --quick runs)."""
        if self._questions is None:
            from eval.dataset import load_dataset

            items = load_dataset(GOLDEN)
            self._questions = items[:6] if self.quick else items
        return [q for q in self._questions if q.answerable or not answerable_only]

    def over_time(self) -> bool:
        """True once the run has used its time budget (later extras are skipped)."""
        return time.monotonic() > self.deadline


def standalone(item: GoldenItem) -> str:
    """The question as retrieval sees it (follow-ups merged with their history)."""
    from app.answer import merge_history

    return merge_history(item.question, item.history)


def times_ms(fn: Callable[[], Any], n: int, warmup: int = 1) -> list[float]:
    """Run fn n times after warm-up calls and return each duration in milliseconds."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p50_p95(ms: Sequence[float]) -> dict[str, float]:
    """Median and 95th percentile, rounded for the table."""
    if not ms:
        return {"p50_ms": float("nan"), "p95_ms": float("nan")}
    return {"p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2)}


def rss_mb(pid: int | None = None) -> float:
    """Resident set size of a process in MiB, from /proc (no psutil needed)."""
    path = Path(f"/proc/{pid or 'self'}/status")
    for line in path.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def tree_rss_mb(pid: int) -> float:
    """RSS of a process plus its children (uvicorn workers are children of the supervisor)."""
    total = rss_mb(pid)
    for child in _children(pid):
        total += tree_rss_mb(child)
    return round(total, 1)


def _children(pid: int) -> list[int]:
    """Direct child process ids, read from /proc."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def dir_bytes(path: Path) -> int:
    """Total size of the files under a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def machine() -> dict[str, Any]:
    """What the numbers were measured on: cores, CPU model, RAM, load, thread settings."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    blas: list[str] = []
    try:
        from threadpoolctl import threadpool_info

        blas = [
            f"{i.get('internal_api')} {i.get('version')} {i.get('architecture', '')}"
            f" threads={i.get('num_threads')}"
            for i in threadpool_info()
        ]
    except ImportError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", ""),
        "blas": blas,
    }


def skipped(key: str, title: str, reason: str, status: str = "skipped") -> Section:
    """A section that did not run, with the reason shown in the table."""
    return Section(key, title, status=status, reason=reason)
