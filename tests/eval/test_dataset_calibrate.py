"""The question-set schema, the source checker, threshold choice and careful TOML writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.dataset import (
    DatasetError,
    check_terms,
    document_texts,
    load_dataset,
    read_rows,
)

GOOD = {
    "id": "t1",
    "question": "How long does an allocation last?",
    "reference_answer": "Twelve months.",
    "must_include": ["12 months"],
    "sources": ["rules.md"],
    "kind": "process",
}


def _write(path: Path, rows: list[object]) -> Path:
    """Write rows as JSONL (strings are written as they are)."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_schema_problems_are_all_reported(tmp_path: Path) -> None:
    rows: list[object] = [
        GOOD,
        {**GOOD, "id": "t2", "kind": "trivia"},
        {**GOOD, "id": "t3", "kind": "unanswerable"},  # must have no sources or terms
        {**GOOD, "id": "t4", "kind": "multi_hop"},  # needs two sources
        {k: v for k, v in GOOD.items() if k != "reference_answer"} | {"id": "t5"},
        {**GOOD, "id": "t6", "history": [{"role": "system", "content": "x"}]},
        {**GOOD},  # duplicate id t1
        "{not json",
    ]
    path = _write(tmp_path / "bad.jsonl", rows)
    items, problems = read_rows(path)
    text = "\n".join(problems)
    assert [i.id for i in items] == ["t1", "t1"]
    for needle in (
        "trivia",
        "unanswerable questions need empty",
        "at least two sources",
        "missing key 'reference_answer'",
        "history must be",
        "id 't1' used 2 times",
        "invalid JSON",
    ):
        assert needle in text, needle
    with pytest.raises(DatasetError, match="does not match the question-set schema"):
        load_dataset(path)
    with pytest.raises(DatasetError, match="no dataset"):
        load_dataset(tmp_path / "missing.jsonl")


def test_history_becomes_turns(tmp_path: Path) -> None:
    row = {**GOOD, "history": [{"role": "user", "content": "allocations?"}]}
    (item,) = load_dataset(_write(tmp_path / "h.jsonl", [row]))
    assert item.history[0].role == "user" and item.history[0].content == "allocations?"
    assert item.answerable


def test_checker_finds_missing_terms_and_sources(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rules.md").write_text("# Rules\n\n## Length\nAllocations last twelve months.\n")
    items = load_dataset(
        _write(
            tmp_path / "d.jsonl",
            [
                GOOD,
                {**GOOD, "id": "t2", "must_include": ["renewal"]},
                {**GOOD, "id": "t3", "sources": ["other.pdf"]},
            ],
        )
    )
    texts, problems = document_texts([str(docs)])
    assert problems == [] and set(texts) == {"rules.md"}
    found = check_terms(items, texts)
    assert found == [
        "t2: term 'renewal' occurs in none of ['rules.md']",
        "t3: source 'other.pdf' is not among the documents",
    ]


def test_threshold_keeps_false_refusals_within_budget() -> None:
    from eval.calibrate import MAX_FALSE_REFUSALS, choose_threshold

    p = [0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99] * 2
    answerable = [False, False, True, False, True, True, True, True, True, True] * 2
    cut = choose_threshold(p, answerable)
    refused = sum(1 for v, a in zip(p, answerable, strict=True) if a and v < cut)
    assert refused / sum(answerable) <= MAX_FALSE_REFUSALS
    assert sum(1 for v, a in zip(p, answerable, strict=True) if not a and v < cut) >= 4


def test_monotone_fit_learns_a_separating_feature() -> None:
    from eval.calibrate import SELECTED, Row, fit

    # Every selected feature present (a neutral value), two of them carrying the signal.
    neutral = dict.fromkeys(SELECTED, 0.0)
    rows = [
        Row(f"g{i}", {**neutral, "typed_sentence": s, "typed_coverage": s}, s > 0.5)
        for i, s in enumerate([0.1, 0.2, 0.3, 0.35, 0.4, 0.6, 0.7, 0.8, 0.85, 0.9] * 2)
    ]
    model, oof = fit(rows)
    assert model.probability(rows[-1].x) > 0.5 > model.probability(rows[0].x)
    assert len(oof) == len(rows) and all(c >= 0 for c in model.coef)


def test_part_threshold_is_chosen_on_part_rows_and_stored() -> None:
    from app.answerability.model import parse_model
    from eval.calibrate import SELECTED, Row, fit

    base = {**dict.fromkeys(SELECTED, 0.0), "typed_sentence": 0.5, "type_match": 1.0}
    whole = [
        Row(f"w{i}", {**base, "typed_coverage": s}, s > 0.5)
        for i, s in enumerate([0.1, 0.2, 0.3, 0.35, 0.4, 0.6, 0.7, 0.8, 0.85, 0.9] * 2)
    ]
    # Parts overlap more: covered parts reach down to 0.45, so their cut must sit apart.
    parts = [
        Row(f"p{i}", {**base, "typed_coverage": s}, s >= 0.45, part=True)
        for i, s in enumerate([0.2, 0.3, 0.45, 0.5, 0.55, 0.6, 0.75, 0.9] * 2)
    ]
    model, _ = fit(whole + parts)
    assert model.part_threshold is not None and model.part_threshold >= model.threshold
    again = parse_model(model.to_json(), "test")
    assert again.part_cut == model.part_cut
    older = {k: v for k, v in model.to_json().items() if k != "part_threshold"}
    assert parse_model(older, "test").part_cut == model.threshold  # older files still load
