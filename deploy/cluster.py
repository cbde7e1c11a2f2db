"""`python -m deploy.cluster up|bench`: PostgreSQL + replicas + nginx on this machine (loopback)."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from deploy.loadtest import LoadResult, run_load
from deploy.local import (
    REPO,
    Nginx,
    Postgres,
    Replica,
    replica_env,
    start_nginx,
    start_postgres,
    start_replica,
    wait_ready,
)


@dataclass
class Cluster:
    """Everything `up` started."""

    postgres: Postgres
    replicas: list[Replica]
    nginx: Nginx
    database_url: str


@contextlib.contextmanager
def cluster(
    index_dir: Path, replicas: int = 2, port: int = 0, env: dict[str, str] | None = None
) -> Iterator[Cluster]:
    """Start PostgreSQL, `replicas` × `pilotdesk serve` on one index dir, and nginx; stop all."""
    if not (index_dir / "CURRENT").exists():
        raise SystemExit(f"no index at {index_dir}; run: make index (or pilotdesk ingest data/)")
    work = Path(tempfile.mkdtemp(prefix="pilotdesk-cluster-"))
    config = work / "pilotdesk.toml"
    if (REPO / "pilotdesk.toml").exists():
        config.write_text((REPO / "pilotdesk.toml").read_text(encoding="utf-8"))
    pg = start_postgres()
    started: list[Replica] = []
    front: Nginx | None = None
    try:
        url = pg.url()
        renv = replica_env(url, config, env or {})
        started = [start_replica(index_dir.resolve(), work, renv) for _ in range(replicas)]
        wait_ready(started)
        front = start_nginx([r.port for r in started], port)
        yield Cluster(pg, started, front, url)
    finally:
        if front is not None:
            front.stop()
        for r in started:
            r.stop()
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)


def cmd_up(args: argparse.Namespace) -> int:
    """Run until Ctrl-C, printing where everything is."""
    with cluster(Path(args.index), args.replicas, args.port) as c:
        print(f"PostgreSQL: {c.database_url}")
        for r in c.replicas:
            print(f"replica:    {r.url}  (log {r.log})")
        print(f"nginx:      {c.nginx.url}  ← point clients and the widget here")
        print(
            f'try: curl -s {c.nginx.url}/v1/ask -H "Content-Type: application/json" '
            """-d '{"question": "Who is eligible?"}'"""
        )
        print("Ctrl-C stops everything")
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop cleanly on TERM too
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    return 0


def _warm(c: Cluster) -> None:
    """One request per replica, so model load and first-query costs stay out of the figures."""
    for r in c.replicas:
        for _ in range(3):
            httpx.post(f"{r.url}/v1/ask", json={"question": "Who is eligible?"}, timeout=60)


def _cpu_seconds(replicas: list[Replica]) -> float:
    """User + system CPU time the replica processes have used so far (Linux /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for r in replicas:
        fields = Path(f"/proc/{r.child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def cmd_bench(args: argparse.Namespace) -> int:
    """Requests/s through nginx with one replica behind it, then with two."""
    # All load comes from one address: lift the per-client limit for the measurement.
    env = {"PILOTDESK_API__RATE_LIMIT_PER_MINUTE": "1000000"}
    if args.threads:
        # Torch uses every core by default; replicas sharing a machine should split them.
        env["OMP_NUM_THREADS"] = str(args.threads)
    with cluster(Path(args.index), 2, env=env) as c:
        _warm(c)
        best: dict[int, LoadResult] = {}
        errors = 0
        # Alternate 1, 2, 1, 2…: a burst of other work on the machine hits both sides alike.
        for _ in range(args.rounds):
            for n in (1, 2):
                c.nginx.set_upstreams([r.port for r in c.replicas[:n]])
                cpu0 = _cpu_seconds(c.replicas)
                res = run_load(
                    c.nginx.url, args.clients, args.requests, max_seconds=args.max_seconds
                )
                # CPU per request says what a replica costs even when other work shares the
                # machine and bends the requests/s figures.
                cpu_ms = (_cpu_seconds(c.replicas) - cpu0) * 1000 / max(1, res.requests)
                label = f"{n} replica{'s' if n > 1 else ''}"
                print(f"{label}: {res.summary()}, replica CPU {cpu_ms:.0f} ms/request", flush=True)
                errors += res.errors
                if n not in best or res.rps > best[n].rps:
                    best[n] = res
        for n, res in best.items():
            print(f"best with {n}: {res.summary()}")
        print(f"speed-up with 2 replicas: {best[2].rps / (best[1].rps or 1.0):.2f}×")
        return 0 if errors == 0 else 1


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run a command."""
    p = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__)
    p.add_argument("--index", default="var/index", help="shared index directory")
    sub = p.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="run PostgreSQL, replicas and nginx until Ctrl-C")
    up.add_argument("--replicas", type=int, default=2)
    up.add_argument("--port", type=int, default=8080, help="nginx port on 127.0.0.1")
    up.set_defaults(func=cmd_up)
    b = sub.add_parser("bench", help="bounded load test: 1 vs 2 replicas behind nginx")
    b.add_argument("--clients", type=int, default=8)
    b.add_argument("--requests", type=int, default=25, help="requests per client")
    b.add_argument("--max-seconds", type=float, default=120.0)
    b.add_argument("--rounds", type=int, default=2, help="alternating 1/2-replica rounds")
    b.add_argument(
        "--threads", type=int, default=1, help="torch threads per replica (0: torch's default)"
    )
    b.set_defaults(func=cmd_bench)
    args = p.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
