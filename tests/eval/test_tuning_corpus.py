"""The tuning corpus ingests cleanly, its questions validate, and its table answers are exact."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from eval.dataset import TABLE_OPS, UNANSWERABLE_TYPES, check_terms, document_texts, load_dataset
from ingest.pipeline import IngestConfig, plan_ingest

REPO = Path(__file__).resolve().parents[2]
TUNING = REPO / "eval" / "corpora" / "tuning"
TABLES3 = REPO / "eval" / "corpora" / "tables3"
TABLES4 = REPO / "eval" / "corpora" / "tables4"
TABLES5 = REPO / "eval" / "corpora" / "tables5"
TABLES6 = REPO / "eval" / "corpora" / "tables6"
QUESTIONS = TUNING / "questions.jsonl"
DOCS = (
    "faq/benchmark-development-faq.md",
    "faq/proposal-faq.md",
    "pages/access-calls.html",
    "pages/ai-factories.html",
    "tables/awarded-projects.csv",
    "transcripts/office-hours-2025-10.txt",
)


def test_the_tuning_corpus_ingests_every_document_with_its_manifest_entry() -> None:
    plan = plan_ingest([str(TUNING)], {}, IngestConfig())
    assert plan.skipped == []
    loaded = {Path(d.doc.source).relative_to(TUNING).as_posix(): d for d in plan.loaded}
    # READMEs, the questions and the checking script are not documents.
    assert sorted(loaded) == list(DOCS)
    for rel, d in loaded.items():
        assert d.chunks, rel
        assert "sample" in d.doc.title.lower(), f"{rel}: title must come from sources.toml"
        assert d.doc.url.startswith("https://"), rel
    assert {d.doc.kind for d in loaded.values()} == {"page", "faq", "table", "transcript"}


def test_tuning_questions_cover_what_the_corpus_promises() -> None:
    items = load_dataset(QUESTIONS)
    assert all(it.id.startswith("t") and it.split == "dev" for it in items)
    tables = [it for it in items if it.table_op]
    assert len(tables) >= 28
    assert all(it.kind == "allocation_lookup" for it in tables)
    assert {it.table_op for it in tables} == set(TABLE_OPS)
    assert all(it.sources == ("awarded-projects.csv",) for it in tables)
    prose = [it for it in items if not it.table_op]
    assert len(prose) >= 22
    answerable = [it for it in prose if it.answerable]
    assert sum(it.paraphrase for it in answerable) >= 0.40 * len(answerable)
    assert sum(it.multi_part for it in prose) >= 3
    assert sum(it.followup for it in prose) >= 3
    types = Counter(it.unanswerable_type for it in prose if not it.answerable)
    assert sum(types.values()) >= 8 and set(types) == set(UNANSWERABLE_TYPES)


def test_tuning_terms_occur_in_the_cited_documents() -> None:
    texts, problems = document_texts([str(TUNING)])
    assert problems == []
    assert sorted(texts) == sorted(Path(d).name for d in DOCS)
    assert check_terms(load_dataset(QUESTIONS), texts) == []


@pytest.mark.parametrize(
    "script",
    [
        TUNING / "check_table_answers.py",
        TABLES3 / "check_answers.py",
        TABLES4 / "check_answers.py",
        TABLES5 / "check_answers.py",
        TABLES6 / "check_answers.py",
    ],
    ids=lambda p: p.parent.name,
)
def test_table_answers_match_the_csv(script: Path) -> None:
    # Each tuning corpus's script recomputes its table questions' must_include from its CSV.
    run = subprocess.run(
        [sys.executable, "-B", str(script)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr
    tables = [it for it in load_dataset(script.parent / "questions.jsonl") if it.table_op]
    assert tables and f"{len(tables)} table questions agree" in run.stdout
