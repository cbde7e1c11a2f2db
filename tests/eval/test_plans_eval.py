"""`pilotdesk eval` on the plans set: routed to the plan evaluator, every metric reported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval.plans import FROZEN, heldout_sha256
from pilotdesk.cli import run

DATA = Path(__file__).resolve().parents[2] / "data"


def _makefile_floors() -> list[str]:
    """PLAN_FLOORS as the Makefile's CI gate states them."""
    text = (DATA.parent / "Makefile").read_text(encoding="utf-8")
    m = re.search(r"^PLAN_FLOORS := ((?:.*\\\n)*.*)$", text, re.MULTILINE)
    assert m, "PLAN_FLOORS not found in the Makefile"
    return m.group(1).replace("\\\n", " ").split()


def test_plans_set_is_scored_by_split_and_meets_the_ci_gate(
    sample_index: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PILOTDESK_PATHS__DATA_DIR", str(DATA))
    out = tmp_path / "report"
    floors = _makefile_floors()
    assert any(f.startswith("heldout:") for f in floors)  # the clean split is gated too
    code = run(
        ["eval", "--dataset", str(DATA / "eval" / "plans.jsonl"), "--index", str(sample_index),
         "--out", str(out), "--fail-under", *floors]
    )  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0, text
    report = json.loads((out / "report.json").read_text())
    assert report["meta"]["items"] >= 30 and report["meta"]["items_by_split"]["heldout"] >= 16
    for split in ("dev", "test", "heldout"):
        m = report["metrics"][split]
        assert m["arithmetic"] == 1.0 and m["good_precision"] >= 0.9
        assert m["estimate_in_range"] >= 0.9
    assert "good_precision" in text and "heldout" in text


@pytest.mark.parametrize("split", FROZEN)
def test_frozen_lines_are_the_ones_readme_records(split: str) -> None:
    # A frozen split's lines never change: editing one after seeing results changes this hash.
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    got = heldout_sha256(DATA / "eval" / "plans.jsonl", split)
    assert got in readme, f"{split} workloads changed; they are frozen (see README, plans)"


def test_a_floor_on_a_split_with_no_workloads_fails(
    sample_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PILOTDESK_PATHS__DATA_DIR", str(DATA))
    row = {
        "id": "x", "split": "dev", "category": "complete", "request_type": "research",
        "workload": "LoRA on a 7B model, 2 GPUs, 5 hours per run, 3 runs", "good": [],
        "estimate": None, "expect_missing": False,
    }  # fmt: skip
    dataset = tmp_path / "plans.jsonl"
    dataset.write_text(json.dumps(row) + "\n", encoding="utf-8")
    args = ["eval", "--dataset", str(dataset), "--index", str(sample_index)]
    args += ["--out", str(tmp_path / "r"), "--fail-under", "heldout:arithmetic=1"]
    assert run(args) == 4


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
