"""`pilotdesk bench`: arguments and the run order of the figures (light to import)."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.config import Settings
    from eval.bench.common import BenchContext, Section

SKIPPABLE = ("ingest", "noop", "query", "coldstart", "peer", "embed", "scale", "memory", "serving")
DEFAULT_SIZES = "10000,100000,1000000"
QUICK_SIZES = "2000"


def add_bench_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the `bench` subcommand to the pilotdesk parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help="measure ingest, query, scale, cold start, memory, serving, peers, embeddings",
        description="Run every performance figure against a baseline measured in the same run; "
        "write results.json and results.md (and var/bench/latest.md).",
    )
    p.add_argument("--quick", action="store_true", help="tiny sizes and few repetitions")
    p.add_argument("--out", type=Path, help="output folder (default: var/bench/<timestamp>)")
    p.add_argument("--sizes", help=f"synthetic corpus sizes (default: {DEFAULT_SIZES})")
    p.add_argument(
        "--skip", default="", help=f"comma-separated figures to skip: {','.join(SKIPPABLE)}"
    )
    p.add_argument(
        "--budget", type=float, default=540, help="seconds after which larger sizes are skipped"
    )
    return p


def _parse(args: argparse.Namespace) -> tuple[list[int], set[str]]:
    """Sizes and skipped figures, validated."""
    from app.errors import ConfigError

    try:
        sizes = sorted({int(x) for x in (args.sizes or "").split(",") if x.strip()})
    except ValueError as exc:
        raise ConfigError(f"--sizes takes numbers like {DEFAULT_SIZES}") from exc
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(SKIPPABLE)
    if unknown:
        raise ConfigError(f"unknown --skip {', '.join(sorted(unknown))}; choose from {SKIPPABLE}")
    default = QUICK_SIZES if args.quick else DEFAULT_SIZES
    return sizes or [int(x) for x in default.split(",")], skip


def _run(
    ctx: BenchContext, key: str, titles: list[str], fn: Callable[[], list[Section]], out: Path
) -> list[Section]:
    """Run one figure; a failure becomes a 'failed' section and the run goes on."""
    from eval.bench.common import Section

    print(f"[bench] {key} …", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    load0 = os.getloadavg()[0]
    try:
        secs = fn()
    except Exception as exc:  # one broken figure must not lose the other seven
        with open(out / "errors.log", "a", encoding="utf-8") as fh:
            fh.write(f"--- {key}\n{traceback.format_exc()}\n")
        reason = f"{exc.__class__.__name__}: {str(exc)[:300]} (see errors.log)"
        secs = [Section(key, t, status="failed", reason=reason) for t in titles]
    took = time.perf_counter() - t0
    load = (
        f"machine load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end of this figure"
    )
    for s in secs:
        s.seconds = took / len(secs)
        s.notes.append(load + " (2 cores: above 2 means other work competed for the CPU).")
    print(f"[bench] {key} done in {took:.0f} s", file=sys.stderr, flush=True)
    return secs


def run_bench(args: argparse.Namespace, settings: Settings) -> int:
    """Run the figures in an order that keeps the big synthetic index for the memory figure."""
    from eval.bench import (
        embed_bench,
        ingest_bench,
        peer_bench,
        query_bench,
        report,
        scale_bench,
        serving_bench,
    )
    from eval.bench.common import REPO, BenchContext, Section, machine, skipped

    sizes, skip = _parse(args)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out: Path = args.out or REPO / "var" / "bench" / stamp
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pilotdesk-bench-"))
    corpus = [str(REPO / "data" / ("faq" if args.quick else ""))]
    ctx = BenchContext(
        settings, work, out, args.quick, sizes, corpus, time.monotonic() + args.budget
    )
    load_before = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    cold = Section("coldstart", serving_bench.TITLE_COLD)
    mem = Section("memory", serving_bench.TITLE_MEM)
    plan: list[tuple[str, list[str], Callable[[], list[Section]]]] = [
        ("ingest", [ingest_bench.TITLE_INGEST], lambda: [ingest_bench.ingest_throughput(ctx)]),
        ("noop", [ingest_bench.TITLE_NOOP], lambda: [ingest_bench.noop_reingest(ctx)]),
        ("query", [query_bench.TITLE], lambda: [query_bench.sample_latency(ctx)]),
        ("coldstart", [cold.title], lambda: [_cold(ctx, cold)]),
        ("peer", [peer_bench.TITLE], lambda: [peer_bench.peer(ctx)]),
        ("embed", [embed_bench.TITLE], lambda: [embed_bench.embeddings(ctx)]),
        (
            "scale",
            [scale_bench.TITLE_SCALE, scale_bench.TITLE_ANN],
            lambda: list(scale_bench.scale(ctx)),
        ),
        ("memory", [mem.title], lambda: [_memory(ctx, mem, None if "coldstart" in skip else cold)]),
        ("serving", [serving_bench.TITLE_SERVE], lambda: [serving_bench.serving(ctx)]),
    ]
    sections: list[Section] = []
    try:
        for key, titles, fn in plan:
            if key in skip:
                sections += [skipped(key, t, "skipped with --skip") for t in titles]
            else:
                sections += _run(ctx, key, titles, fn, out)
            if key == "memory":
                scale_bench.cleanup(ctx, keep=set())
    finally:
        for log in work.glob("*.log"):
            shutil.copy(log, out / log.name)
        shutil.rmtree(work, ignore_errors=True)
    meta = {
        "command": "pilotdesk "
        + shlex.join(sys.argv[1:] if sys.argv[1:2] == ["bench"] else ["bench"]),
        "started": stamp,
        "seconds": time.perf_counter() - t0,
        "load_before": load_before,
        "machine": machine(),
        "sizes": sizes,
        "quick": args.quick,
    }
    latest = REPO / "var" / "bench" / "latest.md" if args.out is None else None
    js, md = report.write(out, meta, sections, latest)
    print(md.read_text(encoding="utf-8"))
    print(f"wrote {js} and {md}" + (f" (and {latest})" if latest else ""), file=sys.stderr)
    return 1 if any(s.status == "failed" for s in sections) else 0


def _cold(ctx: BenchContext, cold: Section) -> Section:
    """CLI cold starts now; the API's first answer is added by the memory figure's server."""
    from eval.bench import serving_bench

    serving_bench.cold_start(ctx, cold)
    return cold


def _memory(ctx: BenchContext, mem: Section, cold: Section | None) -> Section:
    """API start-up (cold start rows) and RSS, with the sample and the large index."""
    from eval.bench import serving_bench

    serving_bench.start_and_memory(ctx, cold, mem)
    return mem


def register(sub: Any, load_settings: Callable[[argparse.Namespace], Settings]) -> None:
    """Plug `pilotdesk bench` into the command line (entry point pilotdesk.commands)."""
    add_bench_parser(sub).set_defaults(func=lambda args: run_bench(args, load_settings(args)))
