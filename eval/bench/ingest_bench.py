"""Figures 1 and 2: ingest throughput against raw encode(), and the no-op re-ingest."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.bench.common import REPO, BenchContext, Goal, Section, p50_p95
from index.embedder import Embedder

if TYPE_CHECKING:
    import numpy as np

TITLE_INGEST = "1. Ingest throughput (whole pipeline vs raw SentenceTransformer.encode)"
TITLE_NOOP = "2. No-op re-ingest of the unchanged corpus (`pilotdesk ingest` as a command)"


class TimedEmbedder(Embedder):
    """The configured embedder with a stopwatch around encode(), sharing the loaded model."""

    def __init__(self, base: Embedder) -> None:
        """Wrap an already loaded embedder."""
        super().__init__(base.model_name, base.batch_size, base.device)
        self._model = base._load()
        self.seconds = 0.0

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Encode and add the time taken to `seconds`."""
        t0 = time.perf_counter()
        try:
            return super().encode(texts, show_progress)
        finally:
            self.seconds += time.perf_counter() - t0


def _texts(ctx: BenchContext) -> list[str]:
    """The chunk texts the pipeline embeds (this first plan also warms up the loaders)."""
    from app.ingest_service import ingest_config
    from ingest.pipeline import plan_ingest

    plan = plan_ingest(ctx.corpus, {}, ingest_config(ctx.settings))
    return [c.search_text for c in plan.new_chunks]


def _raw(model: Any, texts: list[str], batch_size: int) -> float:
    """Seconds for the baseline: SentenceTransformer.encode alone, same texts and batch size."""
    t0 = time.perf_counter()
    model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
    return time.perf_counter() - t0


def _pipeline(ctx: BenchContext, run: int) -> dict[str, float]:
    """One full ingest into a fresh index: read, chunk, embed, BM25, FAISS, atomic write."""
    from app.ingest_service import ingest

    settings = ctx.settings.model_copy(deep=True)
    settings.paths.index_dir = ctx.work / f"ingest-run-{run}"
    shutil.rmtree(settings.paths.index_dir, ignore_errors=True)
    emb = TimedEmbedder(ctx.embedder)
    marks: list[float] = []
    t0 = time.perf_counter()
    out = ingest(
        settings, ctx.corpus, embedder=emb, on_embed=lambda _: marks.append(time.perf_counter())
    )
    total = time.perf_counter() - t0
    plan_s = (marks[0] - t0) if marks else 0.0
    shutil.rmtree(settings.paths.index_dir, ignore_errors=True)
    return {
        "total": total,
        "plan": plan_s,
        "embed": emb.seconds,
        "write": total - plan_s - emb.seconds,
        "chunks": float(out.embedded),
    }


def _sweep(model: Any, texts: list[str], quick: bool) -> list[dict[str, Any]]:
    """Raw encode throughput for batch sizes and torch thread counts (restored afterwards)."""
    import torch

    # A length-stratified subset keeps the sweep short but as varied as the corpus.
    subset = sorted(texts, key=len)[:: max(1, len(texts) // (8 if quick else 48))]
    before = torch.get_num_threads()
    rows = []
    try:
        for threads in [before] if quick else sorted({1, before}):
            torch.set_num_threads(threads)
            for bs in (32,) if quick else (16, 32, 64):
                secs = min(_raw(model, subset, bs) for _ in range(1 if quick else 2))
                rows.append(
                    {
                        "torch_threads": threads,
                        "batch_size": bs,
                        "texts": len(subset),
                        "chunks_per_s": round(len(subset) / secs, 1),
                    }
                )
    finally:
        torch.set_num_threads(before)
    return rows


def ingest_throughput(ctx: BenchContext) -> Section:
    """Chunks/s through `ingest()` vs raw encode on the same texts, best of interleaved runs."""
    sec = Section("ingest", TITLE_INGEST)
    texts = _texts(ctx)
    model = ctx.embedder._load()
    bs = ctx.embedder.batch_size
    model.encode(texts[:8], batch_size=bs)  # first call allocates; keep it out of both timings
    reps = 1 if ctx.quick else 3
    raw_s: list[float] = []
    pipes: list[dict[str, float]] = []
    for i in range(reps):  # interleaved, so background load hits both sides alike
        raw_s.append(_raw(model, texts, bs))
        pipes.append(_pipeline(ctx, i))
    best_raw = min(raw_s)
    best = min(pipes, key=lambda p: p["total"])
    n = len(texts)
    ratio = best_raw / best["total"]
    sec.rows = [
        {
            "what": "raw SentenceTransformer.encode (baseline)",
            "chunks": n,
            "seconds": round(best_raw, 2),
            "chunks_per_s": round(n / best_raw, 1),
        },
        {
            "what": "pilotdesk ingest pipeline (read+chunk / embed / index+write s)",
            "chunks": int(best["chunks"]),
            "seconds": round(best["total"], 2),
            "chunks_per_s": round(n / best["total"], 1),
            "breakdown_s": f"{best['plan']:.2f} / {best['embed']:.2f} / {best['write']:.2f}",
        },
    ]
    sec.goals.append(Goal("ingest / raw encode throughput", ">= 0.9", f"{ratio:.2f}", ratio >= 0.9))
    sweep = _sweep(model, texts, ctx.quick)
    top = max(sweep, key=lambda r: r["chunks_per_s"])
    ctx.shared["embed_sweep"] = sweep
    sec.rows += [
        {"what": f"sweep: threads={r['torch_threads']} batch={r['batch_size']}", **r} for r in sweep
    ]
    sec.notes += [
        f"batch size {bs} (embedding.batch_size), best of {reps} interleaved runs; the loaders "
        "were warmed up first, so import time is not counted here (cold start is figure 4).",
        f"fastest sweep setting here: threads={top['torch_threads']}, "
        f"batch={top['batch_size']} ({top['chunks_per_s']} chunks/s on {top['texts']} texts).",
    ]
    return sec


def pilotdesk_cmd() -> list[str]:
    """`pilotdesk` as this checkout runs it: `python -m pilotdesk`, else the console script.

    The console script of a shared venv may belong to another checkout; `-m pilotdesk` runs
    the code being measured (the same entry point, so cold-start figures are comparable).
    """
    if (REPO / "pilotdesk" / "__main__.py").exists():
        return [sys.executable, "-m", "pilotdesk"]
    script = Path(sys.executable).parent / "pilotdesk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pilotdesk"]


def noop_reingest(ctx: BenchContext) -> Section:
    """Wall time of `pilotdesk ingest CORPUS --index SAMPLE` when nothing changed."""
    sec = Section("noop", TITLE_NOOP)
    root = ctx.sample_index
    cmd = [*pilotdesk_cmd(), "ingest", *ctx.corpus, "--index", str(root), "--quiet"]
    times: list[float] = []
    embedded: list[int] = []
    for _ in range(2 if ctx.quick else 5):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
        times.append((time.perf_counter() - t0) * 1000)
        m = re.search(r"chunks: (\d+) embedded", proc.stdout)
        embedded.append(int(m.group(1)) if m else -1)
        if proc.returncode not in (0, 3):
            raise RuntimeError(f"ingest failed ({proc.returncode}): {proc.stderr[-300:]}")
    stats = p50_p95(times)
    sec.rows = [
        {
            "command": "pilotdesk ingest <corpus> --index <sample> (unchanged)",
            "runs": len(times),
            **stats,
            "chunks_embedded": max(embedded),
        }
    ]
    sec.goals.append(
        Goal(
            "no-op re-ingest, whole command",
            "< 2 s, nothing embedded",
            f"{stats['p95_ms'] / 1000:.2f} s p95, {max(embedded)} embedded",
            stats["p95_ms"] < 2000 and max(embedded) == 0,
        )
    )
    sec.notes.append("a separate process each time: interpreter start, hashing, manifest compare.")
    return sec
