"""The question-set schema, the source checker, threshold choice and careful TOML writing."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from app.errors import ConfigError
from eval.calibrate import Probe, choose, score, set_toml_values, sweep, thresholds
from eval.dataset import (
    DatasetError,
    check_terms,
    document_texts,
    load_dataset,
    read_rows,
)
from index.types import Hit
from ingest.types import Chunk

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


def _probe(i: int, rel: float, unanswerable: bool) -> Probe:
    """A probe whose single hit has the given cosine similarity."""
    chunk = Chunk(f"c{i}", "d", "text", "T", "x.md", "", "markdown", "§ A")
    return Probe(f"q{i}", "How long?", unanswerable, (Hit(chunk, 1.0, 1, "dense", rel),))


def test_threshold_sweep_picks_the_widest_margin() -> None:
    assert thresholds([0.2, 0.4, 0.4, 0.7]) == [0.19, 0.3, 0.55, 0.71]
    probes = [
        _probe(1, 0.5, False),
        _probe(2, 0.6, False),
        _probe(3, 0.3, False),
        _probe(4, 0.1, True),
        _probe(5, 0.2, True),
        _probe(6, 0.55, True),
    ]
    # 0.25 abstains on 0.1 and 0.2 only: recall 2/3, every answerable question answered.
    p = score(probes, set(), 0.25, 0.0)
    assert (p.recall, p.answer_rate, p.precision) == (pytest.approx(2 / 3), 1.0, 1.0)
    assert p.balanced == pytest.approx(5 / 6)
    chosen, curve, _ = sweep(probes, set(), 0.0, min_answer_rate=0.95)
    assert chosen.min_relevance == 0.25  # midpoint of 0.2 and 0.3
    assert len(curve) == 7
    # With no answer-rate guard at all the best interval is the same.
    assert choose(curve, 0.0).min_relevance == 0.25


def test_toml_writing_keeps_everything_else(tmp_path: Path) -> None:
    path = tmp_path / "pilotdesk.toml"
    path.write_text(
        '# site settings\n[paths]\nindex_dir = "x"\n\n[retrieval]\nk = 8  # more passages\n'
        'min_relevance = 0.5 # old\n\n[backend]\ndefault = "local"\n'
    )
    set_toml_values(path, "retrieval", {"min_relevance": 0.3181, "lookalike_relevance": 0.65})
    text = path.read_text()
    assert text.startswith("# site settings\n[paths]\n")
    assert "k = 8  # more passages" in text and "min_relevance = 0.3181 # old" in text
    data = tomllib.loads(text)
    assert data["retrieval"] == {"k": 8, "min_relevance": 0.3181, "lookalike_relevance": 0.65}
    assert data["backend"] == {"default": "local"} and data["paths"] == {"index_dir": "x"}
    fresh = tmp_path / "new.toml"
    set_toml_values(fresh, "retrieval", {"min_relevance": 0.3})
    assert tomllib.loads(fresh.read_text()) == {"retrieval": {"min_relevance": 0.3}}
    broken = tmp_path / "broken.toml"
    broken.write_text("[retrieval\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        set_toml_values(broken, "retrieval", {"min_relevance": 0.3})
