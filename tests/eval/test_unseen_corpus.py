"""The unseen corpus stays apart from data/, ingests cleanly, and its questions meet minimums.

The tuning corpora (eval/corpora/tuning and tables3) must stay apart from data/ too; the
tuning corpus's own checks are in test_tuning_corpus.py.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from eval.dataset import check_terms, document_texts, load_dataset
from ingest.pipeline import IngestConfig, discover, plan_ingest

REPO = Path(__file__).resolve().parents[2]
UNSEEN = REPO / "eval" / "corpora" / "unseen"
UNSEEN2 = REPO / "eval" / "corpora" / "unseen2"
TUNING = REPO / "eval" / "corpora" / "tuning"
TABLES3 = REPO / "eval" / "corpora" / "tables3"
TABLES4 = REPO / "eval" / "corpora" / "tables4"
TABLES5 = REPO / "eval" / "corpora" / "tables5"
TABLES6 = REPO / "eval" / "corpora" / "tables6"
QUESTIONS = UNSEEN / "questions.jsonl"
# The documents, by the folders the corpus README lists; the hashes in README cover these.
DOC_GLOBS = ("faq/*", "news/*", "pages/*", "slides/*.pdf", "tables/*.csv", "transcripts/*")
UNANSWERABLE_TYPES = {"attribute", "lookalike", "offtopic", "injection"}
TABLE_OPS = {"filter", "list", "sum", "count", "nth", "groupby", "date", "fuzzy", "state"}
# Aggregates are computed from the table, so their values need not be written in any document.
AGGREGATE_OPS = {"sum", "count", "groupby"}


def _records() -> list[dict[str, Any]]:
    """The raw JSON rows, extra fields included."""
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _documents(root: Path = UNSEEN) -> list[Path]:
    """A corpus's documents (what ingest should load), sorted by relative path."""
    files = {p for pattern in DOC_GLOBS for p in root.glob(pattern) if p.is_file()}
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def corpus_digest(root: Path = UNSEEN) -> str:
    """sha256 of `sha256sum` lines ("<hex>  <path>") for sources.toml and every document."""
    paths = sorted(
        [root / "sources.toml", *_documents(root)], key=lambda p: p.relative_to(root).as_posix()
    )
    lines = "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root).as_posix()}\n"
        for p in paths
    )
    return hashlib.sha256(lines.encode()).hexdigest()


@pytest.mark.parametrize(
    "corpus",
    [UNSEEN, UNSEEN2, TUNING, TABLES3, TABLES4, TABLES5, TABLES6],
    ids=["unseen", "unseen2", "tuning", "tables3", "tables4", "tables5", "tables6"],
)
def test_ingesting_data_never_reaches_the_other_corpora(corpus: Path) -> None:
    docs = _documents(corpus)
    assert docs, f"no documents under {corpus}"
    found, skipped = discover([str(REPO / "data")])
    assert found and not skipped
    walked = [s.path.resolve() for s in found if s.path is not None]
    assert not [p for p in walked if p.is_relative_to(corpus)]
    # Nor does a copy of one of its documents hide under data/ with another name.
    data_hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in walked}
    copies = [p.name for p in docs if hashlib.sha256(p.read_bytes()).hexdigest() in data_hashes]
    assert copies == []


def test_the_unseen_corpus_ingests_every_file_with_its_manifest_entry() -> None:
    plan = plan_ingest([str(UNSEEN)], {}, IngestConfig())
    assert plan.skipped == []
    loaded = {Path(d.doc.source).relative_to(UNSEEN).as_posix(): d for d in plan.loaded}
    assert sorted(loaded) == [p.relative_to(UNSEEN).as_posix() for p in _documents()]
    assert len(loaded) >= 8
    for rel, d in loaded.items():
        assert d.chunks, rel
        assert "sample" in d.doc.title.lower(), f"{rel}: title must come from sources.toml"
        assert d.doc.url.startswith("https://"), rel
    kinds = Counter(d.doc.kind for d in loaded.values())
    assert {"page", "faq", "slides", "table", "transcript"} <= set(kinds)


def test_unseen_questions_load_and_meet_their_minimums() -> None:
    items = load_dataset(QUESTIONS)
    rows = _records()
    assert len(items) == len(rows) >= 48
    assert all(r["id"].startswith("u") and r.get("split") == "unseen" for r in rows)
    unanswerable = [r for r in rows if r["kind"] == "unanswerable"]
    answerable = [r for r in rows if r["kind"] != "unanswerable"]
    assert len(unanswerable) >= 0.25 * len(rows)
    types = Counter(r.get("unanswerable_type") for r in unanswerable)
    assert set(types) == UNANSWERABLE_TYPES
    assert max(types.values()) - min(types.values()) <= 2, types  # mixed evenly
    assert sum(bool(r.get("paraphrase")) for r in answerable) >= 0.40 * len(answerable)
    followups = [r for r in rows if r.get("followup")]
    assert len(followups) >= 5 and all(r.get("history") for r in followups)
    multi = [r for r in rows if r.get("multi_part")]
    assert len(multi) >= 4
    assert all(r["kind"] != "unanswerable" and r.get("uncovered") for r in multi)
    tables = [r for r in rows if "table_op" in r]
    assert len(tables) >= 10
    assert all(r["kind"] == "allocation_lookup" and r["table_op"] in TABLE_OPS for r in tables)


def test_unseen_terms_occur_in_the_cited_documents() -> None:
    texts, problems = document_texts([str(UNSEEN)])
    assert problems == []
    aggregate = {r["id"] for r in _records() if r.get("table_op") in AGGREGATE_OPS}
    items = [it for it in load_dataset(QUESTIONS) if it.id not in aggregate]
    assert check_terms(items, texts) == []


def test_table_answers_match_the_csv() -> None:
    script = UNSEEN / "table_answers.py"
    run = subprocess.run(
        [sys.executable, "-B", str(script)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_unseen_questions_share_nothing_with_the_sample_sets() -> None:
    ours = _records()
    theirs = [
        json.loads(line)
        for path in sorted((REPO / "data" / "eval").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and '"question"' in line  # question sets, not plans or sentence labels
    ]
    assert {r["id"] for r in ours}.isdisjoint(r["id"] for r in theirs)

    # An off-topic question ("renew my passport?") is about neither corpus, so sharing one is
    # harmless; every question about the documents must be new.
    def about_docs(rows: list[dict[str, object]]) -> set[str]:
        return {
            str(r["question"]).lower() for r in rows if r.get("unanswerable_type") != "offtopic"
        }

    assert about_docs(ours).isdisjoint(about_docs(theirs))


@pytest.mark.parametrize("root", [UNSEEN, UNSEEN2], ids=["unseen", "unseen2"])
@pytest.mark.parametrize("name", ["questions", "corpus"])
def test_frozen_hashes_are_recorded_in_readme(name: str, root: Path) -> None:
    digest = (
        hashlib.sha256((root / "questions.jsonl").read_bytes()).hexdigest()
        if name == "questions"
        else corpus_digest(root)
    )
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert digest in readme, (
        f"the {root.name} {name} changed: record sha256 {digest} in README (Evaluation) "
        "and explain the change in CHANGELOG.md"
    )
