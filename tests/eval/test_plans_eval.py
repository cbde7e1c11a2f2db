"""`pilotdesk eval` on the plans set: routed to the plan evaluator, every metric reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotdesk.cli import run

DATA = Path(__file__).resolve().parents[2] / "data"


def test_plans_set_is_scored_by_split_and_meets_its_targets(
    sample_index: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PILOTDESK_PATHS__DATA_DIR", str(DATA))
    out = tmp_path / "report"
    floors = ["request_type_accuracy=1", "arithmetic=1", "citation_validity=1"]
    code = run(
        ["eval", "--dataset", str(DATA / "eval" / "plans.jsonl"), "--index", str(sample_index),
         "--out", str(out), "--fail-under", *floors]
    )  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0, text
    report = json.loads((out / "report.json").read_text())
    assert report["meta"]["items"] >= 30
    for split in ("dev", "test", "all"):
        m = report["metrics"][split]
        assert m["request_type_accuracy"] == 1.0 and m["arithmetic"] == 1.0
    overall = report["metrics"]["all"]
    assert overall["good_precision"] >= 0.9 and overall["estimate_in_range"] >= 0.9
    assert "good_precision" in text and "test" in text


def test_a_wrong_expectation_is_reported_as_a_failure(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PILOTDESK_PATHS__DATA_DIR", str(DATA))
    row = {
        "id": "x", "split": "test", "category": "complete", "request_type": "secure",
        "workload": "4 GPUs × 10 h per run, 2 runs, LoRA on a 7B model", "good": ["frontera"],
        "estimate": {"unit": "GPU-hours", "low": 1, "high": 2}, "expect_missing": False,
    }  # fmt: skip
    dataset = tmp_path / "plans.jsonl"
    dataset.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = tmp_path / "report"
    args = ["eval", "--dataset", str(dataset), "--index", str(sample_index), "--out", str(out)]
    assert run([*args, "--fail-under", "request_type_accuracy=1"]) == 4
    report = json.loads((out / "report.json").read_text())
    m = report["metrics"]["all"]
    assert m["request_type_accuracy"] == 0 and m["estimate_in_range"] == 0
    assert m["good_precision"] == 0 and m["good_recall"] == 0
    assert any("request type research ≠ secure" in f for f in report["failures"])
