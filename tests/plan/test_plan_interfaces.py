"""`pilotdesk plan` on the sample index, and a model backend filling the workload schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.config import BackendProfile, load_settings
from app.plan.catalogue import index_chunks
from app.plan.planner import make_plan
from pilotdesk.cli import run
from tests.openai_fault_server import fault_server

DATA = Path(__file__).resolve().parents[2] / "data"
PLAN_KEYS = {
    "unused",
    "workload", "missing", "assumptions", "request_type", "resources", "estimate", "draft",
    "citations", "warnings", "parser",
}  # fmt: skip


def test_plan_json_cites_passages_of_the_index(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PILOTDESK_PATHS__DATA_DIR", str(DATA))
    text = "Full fine-tune of a 13B model in bf16; we need 80 GB GPUs, 8 GPUs, 48 h per run, 5 runs"
    assert run(["plan", text, "--json", "--index", str(sample_index)]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert set(plan) == PLAN_KEYS
    assert {"amount", "unit", "resource", "low", "high", "steps", "per_resource"} <= set(
        plan["estimate"]
    )
    row = plan["resources"][0]
    assert {"name", "provider", "fit", "reasons", "gpu_memory_gb", "unit", "citations"} <= set(row)
    assert plan["estimate"]["steps"][0] == "8 GPUs × 48 h × 5 runs = 1920 GPU-hours"
    indexed = {c.id for c in index_chunks(sample_index)}
    keys = set(re.findall(r"\[(S\d+)\]", plan["draft"]))
    by_key = {c["key"]: c for c in plan["citations"]}
    assert keys and all(by_key[k]["chunk_id"] in indexed for k in keys)


def test_plan_exits_zero_and_asks_when_information_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("PILOTDESK_PATHS__DATA_DIR", str(DATA))
    assert run(["plan", "We want to train a model.", "--index", str(tmp_path / "none")]) == 0
    out = capsys.readouterr().out
    assert "Missing (please tell us):" in out and "How large is the model" in out
    assert "not enough information yet" in out


def test_a_model_backend_fills_the_schema_and_bad_json_falls_back_to_rules() -> None:
    settings = load_settings()
    settings.paths.data_dir = DATA
    with fault_server() as fs:
        for mode in ("workload", "ok"):
            settings.backend.profiles[mode] = BackendProfile(
                kind="openai", base_url=fs.url(mode), model="fault", timeout_s=5, max_retries=0
            )
        plan = make_plan("something the rules cannot read", settings, backend="workload")
        assert plan.parser == "workload"
        assert (plan.workload.params_b, plan.workload.method, plan.workload.gpus) == (8, "lora", 2)
        assert plan.estimate.steps[0] == "2 GPUs × 5 h × 3 runs = 30 GPU-hours"
        fallback = make_plan("LoRA on a 7B model, 2 GPUs, 4 h per run, 2 runs", settings, "ok")
    assert fallback.parser == "rules" and fallback.workload.params_b == 7
    assert any("rules parser was used" in w for w in fallback.warnings)
