"""Smoke test of `pilotdesk bench --quick`: every figure reports, both files are written."""

from __future__ import annotations

import json
from pathlib import Path

from eval.bench.cli import SKIPPABLE
from pilotdesk.cli import run

SKIP = ("coldstart", "memory", "serving")  # each starts a fresh ~15 s process; bench-only


def test_quick_bench_writes_every_section(tmp_path: Path) -> None:
    """Tiny sizes; skipped figures still appear; no timing is asserted."""
    out = tmp_path / "bench"
    code = run(["bench", "--quick", "--sizes", "1500", "--skip", ",".join(SKIP), "--out", str(out)])
    assert code == 0, (out / "errors.log").read_text() if (out / "errors.log").exists() else ""

    data = json.loads((out / "results.json").read_text())
    sections = {s["key"]: s for s in data["sections"]}
    assert set(sections) == {*SKIPPABLE, "ann"}
    for key, sec in sections.items():
        if key in SKIP:
            assert sec["status"] == "skipped"
        else:
            assert sec["status"] == "ok", (key, sec["reason"])
            assert sec["rows"], key
    assert data["machine"]["nproc"] >= 1
    goals = [g["name"] for s in data["sections"] for g in s["goals"]]
    assert any("ingest" in g for g in goals) and any("llama-index" in g for g in goals)

    md = (out / "results.md").read_text()
    assert "## Goals" in md
    for sec in data["sections"]:
        assert f"## {sec['title']}" in md
    assert not (out / "latest.md").exists()  # only default-folder runs update var/bench/latest.md
