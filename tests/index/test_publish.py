"""Published versions in a shared directory: the writer lock and grace-period garbage collection."""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from index.embedder import Embedder
from index.errors import IndexWriteError
from index.publish import collect_garbage, index_lock, list_versions
from index.store import CURRENT, VERSIONS, current_version, read_manifest
from tests.helpers import build_index


def _fake_versions(root: Path, published: dict[str, float]) -> None:
    """Version directories with manifests published at the given times; CURRENT → newest."""
    for name, at in published.items():
        d = root / VERSIONS / name
        d.mkdir(parents=True)
        (d / "manifest.json").write_text(json.dumps({"documents": {}}))
        os.utime(d / "manifest.json", (at, at))
    (root / CURRENT).write_text(max(published) + "\n")


def test_replaced_versions_stay_for_the_grace_period(tmp_path: Path) -> None:
    now = 1_000_000.0
    root = tmp_path / "index"
    # v1 replaced an hour ago, v2 replaced 5 minutes ago, v3 replaced just now, v4 current.
    _fake_versions(root, {"v1": now - 7200, "v2": now - 3600, "v3": now - 300, "v4": now - 1})
    (root / VERSIONS / ".tmp-crashed").mkdir()
    os.utime(root / VERSIONS / ".tmp-crashed", (now - 7200, now - 7200))
    assert collect_garbage(root, keep=1, grace_s=600, now=now) == ["v1"]
    assert [v.name for v in list_versions(root)] == ["v2", "v3", "v4"]
    assert not (root / VERSIONS / ".tmp-crashed").exists()  # a killed writer's leftovers
    assert collect_garbage(root, keep=1, grace_s=600, now=now + 600) == ["v2", "v3"]
    assert [(v.name, v.current) for v in list_versions(root)] == [("v4", True)]


def test_keep_versions_still_keeps_the_newest_ones(tmp_path: Path) -> None:
    now = 1_000_000.0
    root = tmp_path / "index"
    _fake_versions(root, {f"v{i}": now - 10_000 + i for i in range(5)})
    assert collect_garbage(root, keep=3, grace_s=0, now=now) == ["v0", "v1"]


def test_the_current_version_is_never_collected(tmp_path: Path) -> None:
    now = 1_000_000.0
    root = tmp_path / "index"
    _fake_versions(root, {"v1": now - 9000, "v2": now - 8000})
    (root / CURRENT).write_text("v1\n")  # an operator rolled back to v1
    assert collect_garbage(root, keep=1, grace_s=0, now=now) == []


def _hold_lock(root: str, held: object, release: object) -> None:
    """Take the writer lock in another process until told to let go."""
    with index_lock(Path(root)):
        held.set()  # type: ignore[attr-defined]
        release.wait(60)  # type: ignore[attr-defined]


def test_a_second_writer_waits_for_the_lock_and_is_told_who_holds_it(tmp_path: Path) -> None:
    root = tmp_path / "index"
    ctx = multiprocessing.get_context("spawn")
    held, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold_lock, args=(str(root), held, release))
    other.start()
    try:
        assert held.wait(60)
        busy = rf"another ingest .*pid {other.pid}"
        with pytest.raises(IndexWriteError, match=busy), index_lock(root, timeout_s=0.5):
            pass
        # Wait for the lock while the other process still holds it; it lets go shortly.
        threading.Timer(0.5, release.set).start()
        with index_lock(root, timeout_s=30), index_lock(root):  # re-entrant in one process
            assert release.is_set()  # granted only after the holder let go
    finally:
        release.set()
        other.join(30)


def test_concurrent_ingests_into_one_directory_lose_nothing(
    tmp_path: Path, embedder: Embedder
) -> None:
    root = tmp_path / "index"
    docs = {}
    for name in ("alpha", "beta", "gamma"):
        d = tmp_path / name
        d.mkdir()
        (d / f"{name}.md").write_text(f"# {name.title()}\n\nThe {name} programme has details.\n")
        docs[name] = d
    build_index([str(docs["alpha"])], root, embedder)
    # Both plan against the same old version, then publish one after the other.
    threads = [
        threading.Thread(
            target=build_index,
            args=([str(docs["alpha"]), str(docs[n])], root, embedder),
        )
        for n in ("beta", "gamma")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    manifest = read_manifest(root)
    assert manifest is not None
    titles = sorted(d.title for d in manifest.documents.values())
    assert titles == ["Alpha", "Beta", "Gamma"]  # the later publish kept the earlier one's doc
    assert len(list_versions(root)) == 3 and current_version(root) == list_versions(root)[-1].name
