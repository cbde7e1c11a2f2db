"""Metric functions on hand-made inputs whose right values were worked out by hand."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    abstention_scores,
    aggregate,
    all_sources_at,
    basename,
    citation_keys,
    citations_valid,
    cited_source_correct,
    cited_source_precision,
    contains_term,
    evidence_at,
    gold_passages,
    hit_at,
    ndcg_at,
    normalize,
    percentile,
    question_scores,
    reciprocal_rank,
    relevant_passages,
    term_recall,
)

RANKED = [
    "data/faq/a.md",
    "data/pages/b.html",
    "data/faq/a.md",
    "c.pdf",
    "https://example.org/docs/d.csv?page=2",
]


def test_basename_of_paths_and_urls() -> None:
    assert basename("data/faq/a.md") == "a.md"
    assert basename("https://example.org/docs/d.csv?page=2") == "d.csv"
    assert basename("C:\\corpus\\e.pdf") == "e.pdf"


def test_hit_and_reciprocal_rank() -> None:
    assert hit_at(RANKED, ["b.html"], 1) == 0.0
    assert hit_at(RANKED, ["b.html"], 2) == 1.0
    assert reciprocal_rank(RANKED, ["b.html"]) == 0.5
    assert reciprocal_rank(RANKED, ["c.pdf"]) == 0.25
    assert reciprocal_rank(RANKED, ["c.pdf"], k=3) == 0.0
    assert reciprocal_rank(RANKED, ["zzz.md"]) == 0.0


def test_ndcg_counts_each_gold_source_once() -> None:
    # one gold source at rank 2: (1/log2 3) / (1/log2 2) = 0.63093
    assert ndcg_at(RANKED, ["b.html"]) == pytest.approx(0.63093, abs=1e-5)
    # two gold sources at ranks 2 and 5: (1/log2 3 + 1/log2 6) / (1 + 1/log2 3)
    assert ndcg_at(RANKED, ["b.html", "d.csv"]) == pytest.approx(1.01778 / 1.63093, abs=1e-5)
    # a.md at ranks 1 and 3 gains only once: a perfect 1.0, not more
    assert ndcg_at(RANKED, ["a.md"]) == 1.0
    assert ndcg_at(RANKED, []) == 0.0


def test_all_sources_at_k() -> None:
    assert all_sources_at(RANKED, ["a.md", "d.csv"], 5) == 1.0
    assert all_sources_at(RANKED, ["a.md", "d.csv"], 4) == 0.0


def test_normalisation_of_case_numbers_and_separators() -> None:
    assert normalize("Up to 12,000 GPU–hours") == "up to 12000 gpu-hours"
    assert normalize("Three  pages") == "3 pages"
    assert normalize("1,000,000 and 1, 3 and 9") == "1000000 and 1, 3 and 9"
    assert contains_term("Reports at 1, 3 and 9 months.", "1, 3 and 9 months")
    assert contains_term("must be disclosed", "disclose")  # a term may be a word's start
    assert not contains_term("we reopen in 2014", "open")  # but not its middle
    assert not contains_term("since 2014", "14")  # and a number may not run on
    assert not contains_term("up to 140 hours", "14")
    assert contains_term("TWELVE months", "12 months")


def test_evidence_at_k_needs_every_term_in_the_top_k() -> None:
    passages = [
        "Research allocations last twelve months.",
        "Up to 12,000 GPU-hours are available; proposals are three pages at most.",
    ]
    terms = ["12 months", "12000 gpu-hours", "3 pages"]
    assert evidence_at(passages, terms, 2) == 1.0
    assert evidence_at(passages, terms, 1) == 0.0


def test_term_recall_and_citations() -> None:
    assert term_recall("Awards last 12 months [S1].", ["12 months", "renewal"]) == 0.5
    assert term_recall("anything", []) == 1.0
    text = "A [S1]. B [S2, S3]. C [S10]."
    assert citation_keys(text) == ["S1", "S2", "S3", "S10"]
    assert not citations_valid(text, {"S1", "S2", "S3"})
    assert citations_valid(text, {"S1", "S2", "S3", "S10"})
    assert citations_valid("no keys at all", set())
    cited = ["data/faq/a.md", "data/pages/b.html", "data/pages/b.html", "x.pdf"]
    assert cited_source_correct(cited, ["a.md"]) == 1.0
    assert cited_source_correct(cited, ["zzz.md"]) == 0.0
    assert cited_source_precision(cited, ["b.html"]) == 0.5
    assert cited_source_precision([], ["b.html"]) == 0.0


def test_abstention_as_a_classifier() -> None:
    # (should abstain, did abstain): TP, FN, FP, TN, TN
    pairs = [(True, True), (True, False), (False, True), (False, False), (False, False)]
    s = abstention_scores(pairs)
    assert s["abstention_precision"] == 0.5
    assert s["abstention_recall"] == 0.5
    assert s["abstention_f1"] == 0.5
    assert s["false_abstention_rate"] == pytest.approx(1 / 3)
    assert s["balanced_accuracy"] == pytest.approx((0.5 + 2 / 3) / 2)
    none = abstention_scores([(False, False), (True, False)])
    assert none["abstention_precision"] is None and none["abstention_recall"] == 0.0
    assert none["abstention_f1"] is None


def test_percentiles_interpolate() -> None:
    assert percentile([40, 10, 30, 20], 50) == 25.0
    assert percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)  # 30 + 0.85 * 10
    assert percentile([5.0], 95) == 5.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_gold_and_relevant_passages() -> None:
    candidates = [
        ("data/a.md", "alpha beta"),
        ("data/a.md", "beta gamma"),
        ("data/a.md", "nothing here"),
        ("data/b.md", "alpha beta gamma"),  # not a gold source
    ]
    assert gold_passages(candidates, ["a.md"], ["alpha", "gamma"]) == ["alpha beta", "beta gamma"]
    assert relevant_passages(candidates, ["a.md"], ["beta", "gamma"]) == [
        "beta gamma",
        "alpha beta",
    ]


def test_question_scores_and_aggregate() -> None:
    common = {"ranked_sources": ["x.md", "a.md"], "passages": ["p one", "the 12 months rule"]}
    q1 = question_scores(
        kind="multi_hop",
        gold_sources=["a.md", "b.md"],
        must_include=["12 months", "renewal"],
        answer="It lasts 12 months [S2].",
        abstained=False,
        cited_sources=["a.md"],
        k=2,
        cited_keys=["S2"],
        **common,  # type: ignore[arg-type]
    )
    assert q1["hit@1"] == 0.0 and q1["hit@2"] == 1.0 and q1["mrr@10"] == 0.5
    assert q1["evidence@2"] == 0.0  # "renewal" is in no passage
    assert q1["all_sources@2"] == 0.0
    assert q1["must_include_recall"] == 0.5
    assert q1["citation_validity"] == 1.0 and q1["cited_source_correctness"] == 1.0
    q2 = question_scores(
        kind="process",
        gold_sources=["x.md"],
        must_include=["12 months"],
        answer="not in the documents",
        abstained=True,
        cited_sources=[],
        k=2,
        **common,  # type: ignore[arg-type]
    )
    assert q2["hit@1"] == 1.0 and q2["must_include_recall"] == 0.0
    assert "citation_validity" not in q2  # no answer to check
    q3 = question_scores(
        kind="unanswerable",
        gold_sources=[],
        must_include=[],
        answer="not in the documents",
        abstained=True,
        cited_sources=[],
        k=2,
        **common,  # type: ignore[arg-type]
    )
    assert q3 == {"abstained": 1.0}
    for row, ms in ((q1, 100.0), (q2, 300.0), (q3, 200.0)):
        row["latency_ms"] = ms
    agg = aggregate([q1, q2, q3], ["multi_hop", "process", "unanswerable"])
    assert agg["questions"] == 3
    assert agg["hit@1"] == 0.5  # answerable questions only
    assert agg["must_include_recall"] == 0.25
    assert agg["citation_validity"] == 1.0  # only q1 answered
    assert agg["all_sources@2"] == 0.0
    # q2 abstained wrongly, q3 rightly: precision 1/2, recall 1/1, false abstention 1/2
    assert agg["abstention_precision"] == 0.5 and agg["abstention_recall"] == 1.0
    assert agg["false_abstention_rate"] == 0.5
    assert agg["abstained_rate"] == pytest.approx(2 / 3)
    assert agg["latency_p50_ms"] == 200.0 and agg["latency_p95_ms"] == pytest.approx(290.0)
    per_kind = aggregate([q1], ["multi_hop"], abstention=False)
    assert "abstention_precision" not in per_kind and per_kind["abstained_rate"] == 0.0
    assert not any(isinstance(v, float) and math.isnan(v) for v in agg.values())
