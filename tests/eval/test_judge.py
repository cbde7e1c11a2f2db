"""The LLM-judged ragas metrics through a real llama.cpp server (the tiny model's scores are
not the point: the path from settings profile to ragas to the server and back is)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.config import Settings
from eval.cli import run_eval
from eval.ragas_metrics import JUDGED
from index.embedder import Embedder
from pilotdesk.cli import EXIT_OK, run
from tests.eval.test_eval_cli import dev_subset


@pytest.mark.slow
def test_judge_runs_through_the_local_server(
    local_llm: str, sample_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    profiles = sample_settings.backend.profiles
    profiles["local"] = profiles["local"].model_copy(update={"base_url": local_llm})
    ds = dev_subset(tmp_path / "one.jsonl", ("q031",))
    out = tmp_path / "judged"
    argv = ["eval", "--dataset", str(ds), "--judge", "local", "--k", "2", "--quiet"]
    code = run([*argv, "--out", str(out)], handler=lambda a: run_eval(a, sample_settings, embedder))
    assert code == EXIT_OK
    report = json.loads((out / "report.json").read_text())
    judge = report["meta"]["judge"]
    assert judge["profile"] == "local" and judge["judged"] == 1
    (record,) = [json.loads(line) for line in (out / "records.jsonl").open()]
    scored = [m for m in JUDGED if m in record["scores"]]
    assert len(scored) + record["judge_failures"] == len(JUDGED) == 3
    assert judge["failed_calls"] == record["judge_failures"]
    # Every call got a reply from the server (a tiny judge may still answer unparsably):
    # a judge that cannot be reached must not pass as "all calls failed".
    assert judge["unreachable_calls"] == 0
    for m in scored:
        assert 0.0 <= record["scores"][m] <= 1.0
