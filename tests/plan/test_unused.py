"""Counts the applicant gave that the estimate never used are listed, so a missed multiplier is
seen rather than silently lost. Cases are written here, not copied from an eval file."""

from __future__ import annotations

from app.config import Settings
from app.plan.cli import format_plan
from app.plan.planner import make_plan
from app.plan.unused import UNUSED_NOTE, unused_counts


def test_a_count_of_items_missing_from_the_arithmetic_is_listed() -> None:
    lines = ["1 GPU × 18 h × 1 run = 18 GPU-hours"]
    text = "LoRA on a 7B model, one GPU, 18 hours per experiment, nine dialects to cover."
    assert unused_counts(text, lines, [7.0, 1.0, 18.0]) == ["9 dialects"]


def test_sizes_times_people_years_and_rates_are_not_counts_of_work() -> None:
    text = (
        "In 2025 our 4 co-authors and 2 postdocs plan 3 papers. The 13B model needs 80 GB "
        "GPUs and 40 GB of data; 500 tokens per request, 90 minutes a run, $300 of credits."
    )
    assert unused_counts(text, [], []) == []


def test_a_count_the_estimate_uses_directly_or_as_a_product_is_not_listed() -> None:
    lines = ["105 students × 2 h per week × 10 weeks = 2100 GPU-hours"]
    text = "Three sections of 35 students, 2 hours a week each, for 10 weeks, for 4 cohorts."
    # 3 sections × 35 students is the 105 used; 4 cohorts is neither used nor part of a product.
    assert unused_counts(text, lines, []) == ["4 cohorts"]


def test_the_plan_lists_a_missed_multiplier_and_the_cli_prints_it(
    sample_settings: Settings,
) -> None:
    text = (
        "Fine-tune a 3B model with LoRA in bf16 on one GPU; a training run takes about 10 hours. "
        "We train one model per hospital site, eleven sites in all."
    )
    plan = make_plan(text, sample_settings)
    assert plan.estimate.amount is not None
    if plan.workload.runs == 11:  # the rules read the sites as runs: nothing is left unused
        assert plan.unused == []
    else:
        assert plan.unused == ["11 sites"]
        out = format_plan(plan)
        assert UNUSED_NOTE in out and "  - 11 sites" in out


def test_a_plan_without_an_estimate_lists_nothing(sample_settings: Settings) -> None:
    plan = make_plan("We want to fine-tune something for 4 languages.", sample_settings)
    assert plan.estimate.amount is None and plan.unused == []
