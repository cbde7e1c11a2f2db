"""`pilotdesk eval` end to end on the real sample index: outputs, baselines, floors, ablation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.config import Settings
from eval.cli import EXIT_REGRESSION, run_eval
from eval.dataset import DatasetError
from eval.ragas_metrics import NON_LLM, non_llm_scores
from eval.report import check_floors, compare, parse_floors
from index.embedder import Embedder
from pilotdesk.cli import EXIT_ERROR, EXIT_OK, run
from tests.conftest import DATA
from tests.helpers import build_index

SMALL = ("q002", "q031", "q049", "q059", "q065", "q072")  # every kind, history, multi-hop
RECORD_KEYS = {"id", "kind", "question", "answer", "abstained", "citations", "hits", "latency_ms"}


def dev_subset(path: Path, ids: tuple[str, ...]) -> Path:
    """Copy the named questions of the shipped dev split into a small dataset."""
    rows = [json.loads(line) for line in (DATA / "eval" / "dev.jsonl").open()]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows if r["id"] in ids))
    return path


def runner(settings: Settings, embedder: Embedder) -> Callable[[list[str]], int]:
    """Parse real eval arguments and run them with the session's embedder (no reload)."""
    return lambda argv: run(argv, handler=lambda a: run_eval(a, settings, embedder))


def test_eval_writes_every_output(
    sample_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import matplotlib.image

    ds = dev_subset(tmp_path / "small.jsonl", SMALL)
    out = tmp_path / "out"
    index = str(sample_settings.paths.index_dir)
    code = run(["eval", "--dataset", str(ds), "--index", index, "--out", str(out), "--quiet"])
    printed = capsys.readouterr().out
    assert code == EXIT_OK, printed
    assert "hit@5" in printed and "by kind" in printed
    records = [json.loads(line) for line in (out / "records.jsonl").open()]
    assert [r["id"] for r in records] == list(SMALL)
    for r in records:
        assert set(r) >= RECORD_KEYS
        for h in r["hits"]:
            assert {"source", "locator", "rank", "score", "text"} <= set(h)
    pizza = records[-1]
    assert pizza["abstained"] and pizza["citations"] == []
    report = json.loads((out / "report.json").read_text())
    overall = report["runs"]["hybrid"]["overall"]
    for metric in ("hit@1", "hit@5", "mrr@10", "ndcg@10", "evidence@5", "must_include_recall"):
        assert 0.0 <= overall[metric] <= 1.0, metric
    assert overall["questions"] == 6 and overall["abstention_recall"] == 1.0
    assert set(report["runs"]["hybrid"]["by_kind"]) == {
        "eligibility",
        "process",
        "allocation_lookup",
        "multi_hop",
        "unanswerable",
    }
    for name in NON_LLM.values():
        assert 0.0 <= overall[name] <= 1.0, name
    by_marker = report["runs"]["hybrid"]["by_marker"]
    assert set(by_marker) == {"not_paraphrase", "followup", "table:filter", "unanswerable:offtopic"}
    assert by_marker["not_paraphrase"]["questions"] == 5 and by_marker["followup"]["questions"] == 1
    assert by_marker["unanswerable:offtopic"]["abstained_rate"] == 1.0
    assert records[2]["markers"] == ["not_paraphrase", "table:filter"]
    md = (out / "report.md").read_text()
    assert "## Overall" in md and "## Questions to look at" in md and "![by_kind.png]" in md
    assert "## By marker (hybrid)" in md and "by marker" in printed
    for png in ("by_kind.png", "latency.png"):
        image = matplotlib.image.imread(out / png)
        assert image.ndim == 3 and image.shape[0] > 100


def _report(**overall: float) -> dict:
    """A minimal report.json document."""
    return {"meta": {"k": 5}, "primary": "hybrid", "runs": {"hybrid": {"overall": overall}}}


def test_compare_and_floors_on_hand_made_reports() -> None:
    old = _report(**{"hit@1": 0.80, "false_abstention_rate": 0.10, "latency_p95_ms": 100.0})
    same = _report(**{"hit@1": 0.79, "false_abstention_rate": 0.11, "latency_p95_ms": 900.0})
    table, regressions = compare(same, old, tolerance=0.02)
    assert regressions == [] and "+800.000" in table  # latency is shown, never gated
    worse = _report(**{"hit@1": 0.70, "false_abstention_rate": 0.20, "latency_p95_ms": 90.0})
    _, regressions = compare(worse, old, tolerance=0.02)
    assert regressions == [
        "hybrid hit@1: 0.800 → 0.700",
        "hybrid false_abstention_rate: 0.100 → 0.200",  # a rise is the regression here
    ]
    assert compare(worse, old, tolerance=0.15)[1] == []
    assert parse_floors(["hit@1=0.75", "mrr@10=0"]) == {"hit@1": 0.75, "mrr@10": 0.0}
    with pytest.raises(DatasetError):
        parse_floors(["hit@1"])
    assert check_floors(worse, {"hit@1": 0.7}) == []
    assert check_floors(worse, {"hit@1": 0.75}) == ["hit@1 = 0.700 is under the floor 0.750"]
    assert "not in this report" in check_floors(worse, {"recall@7": 0.1})[0]


def test_baseline_and_floors_set_the_exit_status(
    sample_settings: Settings,
    embedder: Embedder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ds = dev_subset(tmp_path / "one.jsonl", ("q031",))
    go = runner(sample_settings, embedder)
    base = ["eval", "--dataset", str(ds), "--no-ragas", "--quiet", "--out"]
    assert go([*base, str(tmp_path / "a"), "--fail-under", "hit@5=1", "mrr@10=0.5"]) == EXIT_OK
    first = tmp_path / "a" / "report.json"
    better = json.loads(first.read_text())
    better["runs"]["hybrid"]["overall"]["ndcg@10"] += 0.5
    (tmp_path / "better.json").write_text(json.dumps(better))
    capsys.readouterr()
    argv = [*base, str(tmp_path / "b"), "--baseline", str(tmp_path / "better.json")]
    assert go([*argv, "--fail-under", "hit@5=1.01"]) == EXIT_REGRESSION
    err = capsys.readouterr().err
    assert "REGRESSION: hybrid ndcg@10" in err and "hit@5 = 1.000 is under the floor" in err
    assert go([*base, str(tmp_path / "c"), "--fail-under", "hit@5"]) == EXIT_ERROR
    assert not (tmp_path / "c").exists()  # a bad floor fails before the run


def test_ablation_runs_three_retrievers_in_one_report(
    sample_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    ds = dev_subset(tmp_path / "small.jsonl", ("q049",))
    out = tmp_path / "abl"
    argv = ["eval", "--dataset", str(ds), "--ablation", "--no-ragas", "--quiet", "--out", str(out)]
    assert runner(sample_settings, embedder)(argv) == EXIT_OK
    report = json.loads((out / "report.json").read_text())
    assert list(report["runs"]) == ["dense", "bm25", "hybrid"] and report["primary"] == "hybrid"
    assert (out / "ablation.png").stat().st_size > 1000
    records = [json.loads(line) for line in (out / "records.jsonl").open()]
    assert sorted({r["retriever"] for r in records}) == ["bm25", "dense", "hybrid"]


def test_a_document_the_index_never_saw(
    sample_settings: Settings,
    embedder: Embedder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    docs = tmp_path / "newdocs"
    docs.mkdir()
    (docs / "summer-school.md").write_text(
        "# NAIRR Pilot Summer School\n\n## When and where is the summer school?\n"
        "The NAIRR Pilot summer school runs July 13-17, 2026 in Pittsburgh, with forty seats "
        "for graduate students.\n"
    )
    row = {
        "id": "new1",
        "question": "When and where is the NAIRR Pilot summer school?",
        "reference_answer": "July 13-17, 2026 in Pittsburgh.",
        "must_include": ["july 13-17, 2026", "pittsburgh", "40 seats"],
        "sources": ["summer-school.md"],
        "kind": "process",
    }
    ds = tmp_path / "new.jsonl"
    ds.write_text(json.dumps(row) + "\n")
    assert run(["eval", "check", "--dataset", str(ds), "--docs", str(docs)]) == EXIT_OK
    go = runner(sample_settings, embedder)
    argv = ["eval", "--dataset", str(ds), "--no-ragas", "--quiet", "--out"]
    assert go([*argv, str(tmp_path / "before")]) == EXIT_OK
    err = capsys.readouterr().err
    assert "never seen summer-school.md" in err and "pilotdesk ingest" in err
    before = json.loads((tmp_path / "before" / "report.json").read_text())
    assert before["runs"]["hybrid"]["overall"]["hit@5"] == 0.0

    build_index([str(docs)], sample_settings.paths.index_dir, embedder, remove_missing=False)
    assert go([*argv, str(tmp_path / "after")]) == EXIT_OK
    after = json.loads((tmp_path / "after" / "report.json").read_text())["runs"]["hybrid"]
    assert after["overall"]["hit@1"] == 1.0 and after["overall"]["evidence@5"] == 1.0
    assert after["overall"]["must_include_recall"] > 0


def test_missing_index_says_to_ingest_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = dev_subset(tmp_path / "small.jsonl", ("q031",))
    code = run(["eval", "--dataset", str(ds), "--index", str(tmp_path / "none"), "--quiet"])
    assert code == EXIT_ERROR
    assert "pilotdesk ingest DOCS --index" in capsys.readouterr().err


def _calibrate_argv(tmp_path: Path, *extra: str) -> list[str]:
    """`eval calibrate` on a small dev subset, writing under tmp_path."""
    ids = ("q002", "q031", "q049", "q072", "q082", "q004", "q010", "d161", "d162")
    ds = dev_subset(tmp_path / "cal.jsonl", ids)
    argv = ["eval", "calibrate", "--dataset", str(ds), "--write", str(tmp_path / "model.json")]
    return [*argv, "--out", str(tmp_path / "out"), *extra]


def test_calibrate_trains_and_writes_an_answerability_model(
    sample_settings: Settings,
    embedder: Embedder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from app.answerability.model import parse_model
    from eval.calibrate import SELECTED

    target = tmp_path / "model.json"
    argv = _calibrate_argv(tmp_path)
    assert runner(sample_settings, embedder)(argv) == EXIT_OK
    out = capsys.readouterr().out
    assert "<- chosen" in out and "typed_coverage" in out
    model = parse_model(json.loads(target.read_text()), str(target))
    assert model.features == SELECTED and 0.0 < model.threshold < 1.0
    assert model.reader is None and not (tmp_path / "reader.npz").exists()
    assert all(c >= 0 for c in model.coef)  # monotone: no feature learned backwards
    # The features were kept, so a refit needs no retrieval at all.
    assert (tmp_path / "out" / "answerability-rows.jsonl").exists()
    assert runner(sample_settings, embedder)([*argv, "--reuse-features", "--dry-run"]) == EXIT_OK
    trained = int(out.split("trained on ")[1].split()[0])
    capsys.readouterr()  # the refit's own report
    # A blind batch can be left out of training: d161-d162 as a range, q004 by its id.
    fewer = [*argv, "--dry-run", "--exclude-ids", "d161-d162,q004"]
    assert runner(sample_settings, embedder)(fewer) == EXIT_OK
    assert int(capsys.readouterr().out.split("trained on ")[1].split()[0]) < trained


def test_excluded_ids_and_ranges() -> None:
    from eval.cli import excluded

    left_out = excluded("d861-d930, q005")
    assert left_out("d861") and left_out("d900") and left_out("d930") and left_out("q005")
    assert not left_out("d860") and not left_out("d931") and not left_out("q006")
    assert not left_out("t900")  # a range keeps its prefix


def test_ragas_string_metrics_are_in_range() -> None:
    passage = "Research allocations last 12 months and may be renewed."
    scores = non_llm_scores(
        "How long does an allocation last?",
        "Allocations last 12 months.",
        "A research allocation lasts 12 months.",
        [passage, "Startup projects last 3 months."],
        [passage],
    )
    assert set(scores) == set(NON_LLM.values())
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert scores["ragas_context_recall"] == 1.0
    assert scores["ragas_context_precision"] == 1.0  # the gold passage is ranked first


def test_calibrate_with_the_reader_trains_and_writes_it_beside_the_model(
    sample_settings: Settings,
    embedder: Embedder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from app.answerability.model import parse_model
    from app.answerability.reader import load_reader
    from eval.calibrate import WITH_READER

    target = tmp_path / "model.json"
    argv = _calibrate_argv(tmp_path, "--reader", "--reader-folds", "2")
    assert runner(sample_settings, embedder)(argv) == EXIT_OK
    assert "reader" in capsys.readouterr().out
    model = parse_model(json.loads(target.read_text()), str(target))
    assert model.features == WITH_READER and model.reader == "reader.npz"
    # every row got an out-of-fold reader score before the fit
    rows = (tmp_path / "out" / "answerability-rows.jsonl").read_text().splitlines()
    assert all(0.0 <= json.loads(r)["x"]["reader"] <= 1.0 for r in rows)
    p = load_reader(tmp_path / "reader.npz").score("How long is a term?", ["A term is a year."])
    assert len(p) == 1 and 0.0 <= p[0] <= 1.0
