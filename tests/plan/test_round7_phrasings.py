"""Phrasing families found by heldout13 and heldout14 (measured once, then fixed): memory needs
written as a label or a grade, courses in syllabus form, sections of different sizes, per-term
weeks, seasonal offerings, a project budget on top of weekly labs, counts that multiply (a grid
before the counted items, items per earlier item, one model per A per B, folds × settings, runs
a month for some months, "x3 seeds", "2 or 3 experiments"), time per item in seconds, speed
comparisons that are not run counts, and fractions of a day. Each case is written here, not
copied from an eval file.
"""

from __future__ import annotations

import pytest

from app.config import Settings
from app.plan.estimate import check_step
from app.plan.parse import parse_workload
from app.plan.planner import make_plan


@pytest.mark.parametrize(
    "text",
    [
        "Full FT of a 13B model | GPU memory required: 80GB | our 40GB A100s OOM'd | GPUs: 8",
        "Full fine-tune, 13B, on 80GB-class cards (the 40GB A100s we tried ran out of memory).",
    ],
)
def test_a_labelled_or_graded_memory_need_beats_cards_that_failed(text: str) -> None:
    assert parse_workload(text).gpu_memory_gb == 80.0


def test_a_syllabus_with_an_enrollment_is_a_course_even_with_gpu_free_weeks() -> None:
    w = parse_workload(
        "Syllabus, Robotics Perception. Enrolment: 30. Weeks 1-3 use no GPUs. Weeks 4-13 (10 "
        "weeks): each student does a 2-hour GPU lab every week on one GPU."
    )
    assert (w.task, w.cpu_only, w.students, w.hours_per_week, w.weeks) == (
        "classroom", False, 30, 2.0, 10.0)  # fmt: skip


def test_sections_of_different_sizes_add_up() -> None:
    w = parse_workload(
        "Our stats course has four sections: three of 25 students and one of 40. Each student "
        "gets 3 GPU-hours per week for 8 weeks."
    )
    assert w.students == 115


def test_weeks_per_term_and_two_seasonal_offerings() -> None:
    w = parse_workload(
        "Intro to ML is taught every autumn and spring, about 50 students per offering. Each "
        "student uses a GPU for 2 hours a week, 12 weeks per term."
    )
    assert (w.task, w.students, w.hours_per_week, w.weeks, w.runs) == (
        "classroom", 50, 2.0, 12.0, 2)  # fmt: skip


def test_a_project_budget_on_top_of_weekly_labs_counts_both(sample_settings: Settings) -> None:
    plan = make_plan(
        "Course: Vision Lab, 20 students. Every student has a 3-hour GPU lab each week for 10 "
        "weeks. Term project: an additional 12 GPU-hours per student.",
        sample_settings,
    )
    assert plan.estimate.amount == pytest.approx(20 * (3 * 10 + 12) * 1.15)
    assert all(check_step(s) for s in plan.estimate.steps)


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Agent-based model, CPU only: 6 policy scenarios x 200 replicates; each replicate "
         "runs about 30 min on one core.", 1200),
        ("We fit one small model per patient per session: 40 patients, 5 sessions. Each model "
         "takes 20 minutes on one GPU.", 200),
        ("LoRA on a 7B model, 1 GPU, 5 hours per run. We compare 3 prompt formats and for each "
         "format 4 seeds.", 12),
        ("10-fold CV, 3 h per fold on 1 GPU, x2 configurations.", 20),
        ("Two runs a month for the next five months, 4 GPUs, 10 hours per run.", 10),
        ("Full fine-tune of a 3B model on 8 GPUs, 6 h per run, x4 seeds.", 4),
        ("LoRA fine-tune, 1 GPU, 4 hours each; 3 or 4 experiments for each of the 2 corpora.", 8),
    ],
)  # fmt: skip
def test_counts_that_multiply_the_runs(text: str, runs: int) -> None:
    assert parse_workload(text).runs == runs


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        # a grid before the counted items
        ("Inference only, 1 GPU: 20 minutes per tile for 12 regions x 30 tiles each.", 120.0),
        # items per earlier item
        ("We tag 500 court opinions that average 40 paragraphs; one paragraph takes ~9 s on a "
         "GPU.", 50.0),
        # a rate of a material measured in time, named in other words later
        ("Transcription: our model does 1 hour of audio in 2 minutes. We hold 3,000 hours of "
         "field recordings.", 100.0),
    ],
)  # fmt: skip
def test_time_per_item_times_all_the_items(text: str, hours: float) -> None:
    w = parse_workload(text)
    assert w.hours_per_run == pytest.approx(hours) and w.runs == 1


def test_speed_comparisons_are_not_runs_and_fractions_of_a_day_are_hours() -> None:
    w = parse_workload("Speech model on 1 GPU at 30 times real time; 600 hours of audio.")
    assert w.runs != 30
    w = parse_workload("Fine-tune on 4 GPUs, ~1/2 day per run, 3 runs.")
    assert (w.hours_per_run, w.runs) == (12.0, 3)


def test_a_rate_over_counted_benchmarks_is_one_run(sample_settings: Settings) -> None:
    plan = make_plan(
        "Evaluate a 7B model (inference only): 1 GPU, 45 min per benchmark, 8 benchmarks.",
        sample_settings,
    )
    assert plan.workload.runs == 1
    assert plan.workload.hours_per_run == pytest.approx(6.0)


# Families heldout15 found (measured once, then fixed).
@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("Full fine-tune of a 3B model on 8 GPUs, 40 hours each. One model is trained for each "
         "of four low-resource Andean languages.", 4),
        ("Train a small CNN from scratch, one separate model per watershed, 9 watersheds. Per "
         "watershed: 30 epochs, 10 min/epoch, 2 GPUs.", 9),
        ("LoRA on a 7B model: 4-fold cross validation, each fold about 5 hour on 1 GPU. We repeat "
         "everything with three different adapter sizes.", 12),
        ("Inference only: eight test suites, each suite takes about 2 hours on one GPU, and every "
         "suite is repeated at four sampling temperatures.", 4),
        ("QLoRA-tune a 7B model separately for each vessel family, on 1 GPU for about 20 hours "
         "per family; there are 5 naval vessel families.", 5),
    ],
)  # fmt: skip
def test_more_counts_that_multiply_the_runs(text: str, runs: int) -> None:
    assert parse_workload(text).runs == runs


def test_counts_per_earlier_items_and_per_named_groups_multiply_the_time() -> None:
    w = parse_workload(
        "We transcribe our 30 oral-history collections; on average a collection has 12 tapes, and "
        "one tape takes about 10 minutes on a single GPU."
    )
    assert w.hours_per_run == pytest.approx(60.0)
    w = parse_workload(
        "Label 1.2 million posts per language, in two languages, with an 8B model on one GPU; "
        "throughput is about 20 posts per second."
    )
    assert w.hours_per_run == pytest.approx(1.2e6 * 2 / 20 / 3600)
    w = parse_workload("Folding 6,000 sequences at ~2 GPU-min per sequence on one GPU.")
    assert w.hours_per_run == pytest.approx(200.0)


def test_a_distillation_teacher_is_no_course() -> None:
    w = parse_workload(
        "We distill a 13B teacher into a 1B student; the teacher's logits are cached. 8 GPUs, "
        "20 hours per run, 3 runs."
    )
    assert w.task == "training"


def test_course_phrasings_of_sharing_weekdays_terms_extras_and_offerings() -> None:
    w = parse_workload(
        "TA here: 60 students, 4 students share one GPU, each uses it about 3 h a week, for 14 "
        "weeks of the semester."
    )
    assert (w.students, w.students_per_gpu, w.weeks) == (60, 4, 14.0)
    w = parse_workload(
        "A one-week summer school for 25 attendees: on every weekday each attendee works on one "
        "GPU for three hours."
    )
    assert (w.students, w.hours_per_week, w.weeks) == (25, 15.0, 1.0)
    w = parse_workload(
        "Course lab: 30 students, a 2-hour GPU lab every week for 10 weeks. Final project: each "
        "student receives an additional 5 GPU-hours."
    )
    assert w.hours_per_week == pytest.approx(2.5)
    w = parse_workload(
        "We are running a winter robotics bootcamp 2 times this year; each run has 16 "
        "participants for 3 days, 5 hours per day on one GPU each."
    )
    assert w.runs == 2


# Families heldout16 found (measured once, then fixed).
def test_a_pasted_job_script_gives_nodes_gpus_time_and_submissions() -> None:
    w = parse_workload(
        "Our job script:\n#!/bin/bash\n#SBATCH --nodes=3\n#SBATCH --gpus-per-node=4\n"
        "#SBATCH --time=1-06:00:00\n# full fine-tune of a 7B model, we submit this 5 times\n"
        "srun python train.py"
    )
    assert (w.gpus, w.hours_per_run, w.runs) == (12, 30.0, 5)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        # items done in a stated time
        ("Inference with a 13B model on one 4-GPU node: we measured 500 reports per 20 minutes; "
         "there are 300,000 reports.", 200.0),
        # a real-time factor over hours of media
        ("Transcribe 4,000 hours of radio archives with a 1B speech model; on one GPU it runs at "
         "20x real time.", 200.0),
        # a time per item in days, and the items counted for each of several groups
        ("Ensemble runs of a frozen 300M emulator: 20 members for each of the 3 forcing "
         "scenarios; one member takes about 1/2 day on a single GPU.", 720.0),
        # items each earlier thing contributed
        ("Label camera-trap photos from 10 field stations; each station contributed about "
         "90,000 images, at 0.2 seconds per image on one GPU.", 50.0),
    ],
)  # fmt: skip
def test_more_rates_times_amounts(text: str, hours: float) -> None:
    w = parse_workload(text)
    assert w.hours_per_run == pytest.approx(hours)
    assert w.runs == 1


def test_a_pronoun_before_runs_makes_it_a_verb() -> None:
    w = parse_workload(
        "We transcribe 2,000 hours of tapes with a 1B model; on 1 GPU it runs at 25x real time. "
        "We decode everything twice."
    )
    assert w.runs == 2


def test_more_course_shapes_from_heldout16() -> None:
    w = parse_workload(
        "Syllabus excerpt, Robotics Lab. Meetings: a weekly GPU lab of 3 hours, one GPU per "
        "student. Enrollment: three sections (20, 25 and 15 students). Calendar: 14-week "
        "semester; labs run in weeks 2-13 only (12 lab weeks)."
    )
    assert (w.students, w.hours_per_week, w.weeks) == (60, 3.0, 12.0)
    w = parse_workload(
        "Our winter school lasts 2 weeks, 30 participants, every participant use the GPU about "
        "120 min each day, five days for week."
    )
    assert (w.students, w.hours_per_week, w.weeks) == (30, 10.0, 2.0)
    w = parse_workload(
        "Course offered fall and spring, each offering with about 20 students, and every "
        "student gets a budget of 30 GPU-hours for the term."
    )
    assert (w.students, w.runs) == (20, 2)
    assert w.hours_per_week is not None and w.weeks is not None
    assert w.hours_per_week * w.weeks == pytest.approx(30.0)
    w = parse_workload(
        "Checklist: three one-day hands-on workshops, one per term. Each workshop: 25 attendees, "
        "5 hours of GPU time per attendee, one GPU each."
    )
    assert (w.students, w.runs) == (25, 3)
    # weekly sessions are not offerings
    w = parse_workload(
        "A tutorial series: six weekly sessions, twenty attendees, each session is 2 hours "
        "hands-on with one GPU per attendee."
    )
    assert w.runs is None and w.weeks == 6.0
