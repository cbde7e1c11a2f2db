"""The frozen dev and test splits: apart, complete, checked, and test never used for tuning."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.config import DEFAULT_EXAMPLES
from eval.dataset import (
    SPLITS_TOTAL,
    DatasetError,
    GoldenItem,
    check_terms,
    is_test_split,
    load_dataset,
    read_rows,
    split_counts,
    split_overlap,
    split_requirements,
)
from eval.metrics import normalize
from eval.report import build_report, markdown_report
from eval.vocab_gap import missing_share
from index.embedder import Embedder
from pilotdesk.cli import EXIT_ERROR, EXIT_OK, run
from tests.conftest import DATA

EVAL = DATA / "eval"


def test_dev_and_test_share_no_id_and_no_question() -> None:
    dev, test = load_dataset(EVAL / "dev.jsonl"), load_dataset(EVAL / "test.jsonl")
    smoke = load_dataset(EVAL / "smoke.jsonl")
    assert split_overlap(dev, test) == []
    assert split_overlap(smoke, test) == []
    # The UI's example questions are visible targets: never in test.
    asked = {normalize(it.question) for it in test}
    assert not asked & {normalize(q) for q in DEFAULT_EXAMPLES}
    # A follow-up's history is text the model sees too.
    dev_turns = {normalize(t.content) for it in dev for t in it.history if t.role == "user"}
    assert not asked & dev_turns


def test_overlap_finds_a_shared_id_and_a_reworded_copy() -> None:
    dev, _ = read_rows(EVAL / "dev.jsonl")
    first = dev[0]
    copy = [replace(first, id="x1", question=first.question.upper())]
    found = split_overlap(dev, copy)
    assert len(found) == 1 and "is in both sets" in found[0]
    assert split_overlap(dev, dev[:1])[0].startswith(f"id {first.id!r}")


@pytest.mark.parametrize("split", ["dev", "test"])
def test_each_split_meets_its_minimums(split: str) -> None:
    items = load_dataset(EVAL / f"{split}.jsonl")
    assert split_requirements(items, split) == []
    counts = split_counts(items)
    assert counts["unanswerable_share"] >= 0.25 and counts["paraphrase_share"] >= 0.40
    short = split_requirements(items[:30], split)
    assert any("need at least" in p for p in short)


def test_the_splits_together_hold_enough_questions() -> None:
    total = sum(len(load_dataset(EVAL / f"{s}.jsonl")) for s in ("dev", "test"))
    assert total >= SPLITS_TOTAL


def test_marked_paraphrases_use_words_the_documents_do_not(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run(["eval", "check", "--dataset", str(EVAL / "test.jsonl"), "--docs", str(DATA)])
    out = capsys.readouterr().out
    assert code == EXIT_OK, out
    assert out.rstrip().endswith("OK") and "mean missing share" in out
    # A question in the documents' own words has no gap; an invented word shows.
    vocab = {"allocation", "last", "long"}
    assert missing_share("How long does an allocation last?", vocab) == 0.0
    assert missing_share("How long does a grant allocation last?", vocab) == 0.25


def test_check_enforces_the_split_minimums(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (EVAL / "dev.jsonl").read_text().splitlines()[:20]
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(rows) + "\n")
    argv = ["eval", "check", "--dataset", str(small), "--docs", str(DATA), "--split", "dev"]
    assert run(argv) == EXIT_ERROR
    assert "dev: 20 total, need at least 90" in capsys.readouterr().out


def test_calibrate_refuses_a_test_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = EVAL / "test.jsonl"
    assert is_test_split(shipped, load_dataset(shipped))
    assert run(["eval", "calibrate", "--dataset", str(shipped), "--dry-run"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "cannot be used for calibration" in err and "dev.jsonl" in err
    # Marked by its records alone: a renamed copy is still refused.
    renamed = tmp_path / "renamed.jsonl"
    renamed.write_text(shipped.read_text())
    assert run(["eval", "calibrate", "--dataset", str(renamed), "--dry-run"]) == EXIT_ERROR
    assert "calibrate on the dev split" in capsys.readouterr().err
    # And by its name alone.
    rows = [json.loads(line) for line in (EVAL / "dev.jsonl").open()][:3]
    named = tmp_path / "my-test-questions.jsonl"
    named.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert is_test_split(named, load_dataset(named))
    assert not is_test_split(EVAL / "dev.jsonl", load_dataset(EVAL / "dev.jsonl"))


def test_optional_fields_are_checked(tmp_path: Path) -> None:
    good = json.loads((EVAL / "dev.jsonl").read_text().splitlines()[0])
    bad = [
        {**good, "id": "b1", "split": "train"},
        {**good, "id": "b2", "multi_part": True, "uncovered": []},
        {**good, "id": "b3", "table_op": "median"},
        {**good, "id": "b4", "followup": True, "history": []},
        {**good, "id": "b5", "paraphrase": "yes"},
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in bad))
    items, problems = read_rows(path)
    assert items == [] and {p.split(" (")[1].split(")")[0] for p in problems} == {
        "b1",
        "b2",
        "b3",
        "b4",
        "b5",
    }
    text = "\n".join(problems)
    for needle in ("split 'train'", "uncovered part", "table_op 'median'", "needs history", "true"):
        assert needle in text, needle
    with pytest.raises(DatasetError, match="question-set schema"):
        load_dataset(path)


def test_readme_records_the_frozen_hashes() -> None:
    # Changing a frozen split means updating README (and explaining it in CHANGELOG).
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    for name in ("dev.jsonl", "test.jsonl"):
        digest = hashlib.sha256((EVAL / name).read_bytes()).hexdigest()
        assert f"| `data/eval/{name}` |" in readme and f"`{digest}`" in readme, name


def test_no_test_question_is_a_near_copy_of_a_dev_one(embedder: Embedder) -> None:
    # Rewording a dev question into test would leak it; the closest pairs today are ~0.76.
    dev, test = load_dataset(EVAL / "dev.jsonl"), load_dataset(EVAL / "test.jsonl")
    a = embedder.encode([it.question for it in dev])
    b = embedder.encode([it.question for it in test])
    sims = b @ a.T
    i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
    assert sims[i, j] < 0.9, (test[i].id, dev[j].id)


def test_a_table_questions_computed_number_need_not_be_in_the_table() -> None:
    texts = {"t.csv": "project,amount\np1,300\np2,400\n"}
    summed = GoldenItem("x", "Total amount?", "700", ("700", "p1"), ("t.csv",), "allocation_lookup")
    assert check_terms([replace(summed, table_op="sum")], texts) == []
    # Names are still checked, and prose questions get no exemption.
    assert check_terms([replace(summed, table_op="sum", must_include=("p9",))], texts)
    assert check_terms([summed], texts) == ["x: term '700' occurs in none of ['t.csv']"]


def test_a_report_on_the_test_split_says_it_is_for_reporting_only() -> None:
    meta = {
        "date": "2026-11-27T00:00:00Z",
        "dataset": "data/eval/test.jsonl",
        "questions": 0,
        "index": "var/index",
        "index_version": "v1",
        "backend": "extractive",
        "k": 5,
        "primary": "hybrid",
        "answerability": "model v1 (topic), threshold 0.5, parts 0.5",
        "command": "pilotdesk eval",
        "seconds": 1.0,
    }
    summaries = {"hybrid": {"overall": {"hit@5": 1.0}, "by_kind": {}}}
    note = "test split: for reporting only"
    report = build_report(summaries, {**meta, "split": "test"})
    assert note in markdown_report(report, {"hybrid": []})
    assert note not in markdown_report(build_report(summaries, meta), {"hybrid": []})
