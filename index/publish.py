"""Publishing index versions to a shared directory: the writer lock, version listing, and GC.

Readers never lock: they read CURRENT and then the (immutable) version it names. Writers
(ingest, document removal, garbage collection) take an exclusive flock on `<root>/.lock`, so
two ingests on different machines sharing the directory run one after the other instead of
one silently dropping the other's documents.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.errors import IndexWriteError
from index.store import CURRENT, VERSIONS, current_version

LOCK = ".lock"
# Long enough for any replica to finish loading a version it saw a moment before it was
# replaced, and for requests still reading its memory-mapped vectors on a shared filesystem.
DEFAULT_GRACE_S = 600.0

_held: dict[Path, int] = {}  # root → nesting depth, for re-entry within this process
_held_lock = threading.RLock()


@contextlib.contextmanager
def index_lock(root: Path, timeout_s: float = 1800.0) -> Iterator[None]:
    """Hold the index's writer lock (re-entrant within a process); wait up to `timeout_s`."""
    key = root.resolve()
    with _held_lock:
        # A thread of this process already holds the flock: nest instead of deadlocking.
        if _held.get(key):
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _acquire(fd, root, timeout_s)
            os.ftruncate(fd, 0)
            os.write(
                fd, f"{socket.gethostname()} pid {os.getpid()} since {time.ctime()}\n".encode()
            )
            _held[key] = 1
            try:
                yield
            finally:
                _held.pop(key, None)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _acquire(fd: int, root: Path, timeout_s: float) -> None:
    """flock with a deadline (flock itself can only wait forever or not at all)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
                raise IndexWriteError(
                    f"another ingest is writing the index at {root} ({holder}); wait for it "
                    f"to finish, or remove {root / LOCK} if that process is gone"
                ) from None
            time.sleep(0.2)


@dataclass(frozen=True)
class VersionInfo:
    """One version directory and what is known about it."""

    name: str
    published_at: float  # when its manifest was written, just before CURRENT moved to it
    current: bool
    documents: int
    chunks: int


def list_versions(root: Path) -> list[VersionInfo]:
    """All complete versions, oldest first."""
    versions = root / VERSIONS
    if not versions.is_dir():
        return []
    current = current_version(root)
    out = []
    for d in sorted(p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")):
        manifest = d / "manifest.json"
        try:
            docs = json.loads(manifest.read_text(encoding="utf-8")).get("documents", {})
            published = manifest.stat().st_mtime
        except (OSError, ValueError):
            docs, published = {}, d.stat().st_mtime
        chunks = sum(int(v.get("chunks", 0)) for v in docs.values())
        out.append(VersionInfo(d.name, published, d.name == current, len(docs), chunks))
    return out


def collect_garbage(
    root: Path, keep: int = 3, grace_s: float = DEFAULT_GRACE_S, now: float | None = None
) -> list[str]:
    """Delete versions beyond the newest `keep` that were replaced over `grace_s` ago."""
    now = time.time() if now is None else now
    removed: list[str] = []
    with index_lock(root):
        infos = list_versions(root)
        newest = {v.name for v in infos[-keep:]} if keep > 0 else set()
        for older, newer in itertools.pairwise(infos):
            # A version stopped serving when the next one was published: the grace period
            # counts from then, not from its own creation (it may have served for weeks).
            if older.current or older.name in newest or now - newer.published_at < grace_s:
                continue
            shutil.rmtree(root / VERSIONS / older.name, ignore_errors=True)
            removed.append(older.name)
        _remove_leftovers(root, now, grace_s)
    return removed


def clean_leftovers(root: Path, grace_s: float = DEFAULT_GRACE_S) -> bool:
    """Remove a killed writer's leftovers unless a writer is busy now; True when it ran."""
    if not (root / VERSIONS).is_dir():
        return False
    try:
        # Don't wait: a running writer owns the newest leftovers, and it cleans up itself.
        with index_lock(root, timeout_s=0):
            _remove_leftovers(root, time.time(), grace_s)
    except IndexWriteError:
        return False
    return True


def _remove_leftovers(root: Path, now: float, grace_s: float) -> None:
    """Half-written versions and pointer files of writers that were killed (we hold the lock)."""
    for p in [*(root / VERSIONS).glob(".tmp-*"), *root.glob(f".{CURRENT}.*")]:
        with contextlib.suppress(OSError):
            if now - p.stat().st_mtime >= grace_s:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
