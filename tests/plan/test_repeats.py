"""Repeats said apart from the runs multiply them (found by heldout23, measured once, then
fixed): seeds for error bars in a later sentence, items after "for each of", conditions each
item is scored under, and "passes: x2" in a pasted ticket. A count already read into the runs,
a breakdown of a total, and "2 more seeds" (added, not multiplied) do not multiply again.
Each case is written here, not copied from an eval file.
"""

from __future__ import annotations

import pytest

from app.config import Settings
from app.plan.estimate import check_step
from app.plan.parse import parse_workload
from app.plan.planner import make_plan


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        # seeds in a sentence of their own, after the runs were read per item
        ("We fit one flood model per river basin, 8 river basins, each about 5 hours on one "
         "GPU. To report variance we then redo the whole set with 3 random seeds.", 24),
        # items after "for each of", with seeds read elsewhere
        ("An adapter is trained for each of five dialects. Every adapter gets 2 seeds and "
         "takes 4 hours on 1 GPU.", 10),
        # a throughput job, repeated per condition
        ("We label 36,000 reviews with a 7B model; one GPU labels about 10 reviews per second. "
         "Every review is labelled under 4 prompt conditions.", 4),
        # a ticket's field
        ("model: 300M classifier | input: 1.2M images | speed: 400 images/min on 1 GPU | "
         "passes: x3", 3),
    ],
)  # fmt: skip
def test_a_repeat_said_apart_multiplies_the_runs(text: str, runs: int) -> None:
    w = parse_workload(text)
    assert w.runs == runs, w.assumed
    assert any("are read as" in a for a in w.assumed)


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        # the seeds are a breakdown of a total already said
        ("Full fine-tune on 4 GPUs, about 20 h per run, 6 runs in total (4 data mixes, then 2 "
         "seeds of the best one).", 6),
        # "2 more seeds" adds runs; the rules do not guess that sum
        ("Each run takes 10 hours on 2 GPUs and we plan 3 runs, then 2 more seeds.", 3),
        # the count and the seeds in one sentence were read together already
        ("One model per site for 6 sites, each trained with 2 seeds; a model takes 3 hours on "
         "1 GPU.", 12),
        # people and papers never multiply
        ("Each run takes 5 hours on 1 GPU, 4 runs. Our 3 students have written 7 papers for "
         "each of 2 journals.", 4),
    ],
)  # fmt: skip
def test_a_count_already_read_or_not_a_repeat_does_not_multiply(text: str, runs: int) -> None:
    assert parse_workload(text).runs == runs


def test_the_arithmetic_shows_the_repeat(sample_settings: Settings) -> None:
    plan = make_plan(
        "Each model takes 6 hours on a single GPU with 24 GB, one model per city for 10 "
        "cities. We repeat everything with 5 random seeds.",
        sample_settings,
    )
    assert plan.estimate.amount is not None
    assert any("1 GPU × 6 h × 50 runs = 300 GPU-hours" in s for s in plan.estimate.steps)
    assert all(check_step(s) for s in plan.estimate.steps)
    assert any("× 5 seeds are read as 50 runs" in a for a in plan.assumptions)
