"""Low-severity ingest fixes: skipped files are remembered, leftovers cleaned, warnings named."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.config import load_settings
from app.ingest_service import SKIP_MEMORY, ingest
from index.embedder import Embedder
from index.publish import LOCK
from index.store import VERSIONS, current_version
from ingest.pipeline import plan_ingest, read_skip_memory
from tests.helpers import ingest_config, make_pdf


def _settings(root: Path):  # type: ignore[no-untyped-def]
    settings = load_settings()
    settings.paths.index_dir = root
    return settings


def test_unchanged_skipped_file_is_not_read_again(tmp_path: Path, embedder: Embedder) -> None:
    docs, root = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "ok.md").write_text("# Hours\n\nOffice hours are held on Tuesdays for applicants.\n")
    broken = docs / "broken.txt"
    broken.write_bytes(b"\x00\x01binary junk\x00" * 20)
    settings = _settings(root)

    first = ingest(settings, [str(docs)], embedder=embedder)
    assert [s.reason for s in first.plan.skipped] == [
        "binary data in a text text file (NUL bytes); check the file type"
    ]
    assert first.plan.remembered == 0
    assert str(broken.resolve()) in read_skip_memory(root / SKIP_MEMORY)

    # Same size and modification time: the memo answers without opening the file. Proven by
    # swapping in readable bytes of the same length behind its back (as `make` would miss).
    st = broken.stat()
    broken.write_bytes(b"x" * st.st_size)
    os.utime(broken, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = ingest(settings, [str(docs)], embedder=embedder)
    assert second.plan.remembered == 1 and second.version is None
    assert [s.reason for s in second.plan.skipped] == [first.plan.skipped[0].reason]

    # Touched but the same bytes: hashed, not parsed, still remembered.
    broken.write_bytes(b"\x00\x01binary junk\x00" * 20)
    third = ingest(settings, [str(docs)], embedder=embedder)
    assert third.plan.remembered == 1

    # Really fixed: read and ingested, and forgotten by the memo.
    broken.write_text("Allocations are reviewed every month by the program office.\n")
    fourth = ingest(settings, [str(docs)], embedder=embedder)
    assert fourth.plan.skipped == [] and fourth.new == 1
    assert read_skip_memory(root / SKIP_MEMORY) == {}


def test_noop_ingest_removes_a_killed_writers_leftovers(tmp_path: Path, embedder: Embedder) -> None:
    docs, root = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nGPU hours are granted per project by the pilot.\n")
    settings = _settings(root)
    settings.retrieval.gc_grace_s = 600
    ingest(settings, [str(docs)], embedder=embedder)
    old, fresh = root / VERSIONS / ".tmp-killed", root / VERSIONS / ".tmp-running"
    for d in (old, fresh):
        d.mkdir()
        (d / "chunks.jsonl").write_text("{}\n")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))

    # While another process holds the writer lock, nothing is touched (it may be writing).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl,os,sys,time;fd=os.open(sys.argv[1],os.O_RDWR|os.O_CREAT);"
            "fcntl.flock(fd,fcntl.LOCK_EX);print('locked',flush=True);time.sleep(60)",
            str(root / LOCK),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        busy = ingest(settings, [str(docs)], embedder=embedder)
        assert busy.version is None and old.exists() and fresh.exists()
    finally:
        holder.kill()
        holder.wait()

    version = current_version(root)
    again = ingest(settings, [str(docs)], embedder=embedder)
    assert again.version is None and current_version(root) == version
    assert not old.exists()  # older than the grace period: a killed writer's
    assert fresh.exists()  # young: could belong to a writer on another machine


def test_pypdf_warnings_are_reported_with_the_file_name(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    pdf = make_pdf(docs / "cut.pdf", [["Kestrel offers 400 GPUs to awardees this year."]])
    data = pdf.read_bytes()
    pdf.write_bytes(data.replace(b"%%EOF", b"%%EOX"))  # a damaged download: no EOF marker

    plan = plan_ingest([str(docs)], {}, ingest_config())

    assert [s.source for s in plan.skipped] == [pdf.as_posix()]
    assert capfd.readouterr().err == ""  # not on bare stderr any more
    assert any(
        w.source == pdf.as_posix() and "EOF marker not found" in w.message for w in plan.warnings
    )
