"""Phrasing families found by the sixth held-out split: hedged labelled figures, per-learner
totals, the asker's teaching role, unnamed kinds of work with a stated size, repeated work of
unknown count, and named hardware too small for the job. Each case is written here, not copied
from an eval file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings
from app.plan.estimate import check_step
from app.plan.parse import parse_workload
from app.plan.planner import make_plan

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("- model: 3B\n- GPUs: 4\n- hours per run: 20\n- runs: roughly twelve\n- PI: Dr. Lee", 12),
        ("Train a 1B model on 2 GPUs, 5 h each; runs: approximately 6.", 6),
        ("CPU work on 3 nodes, 4 hours per run, 8 leave-one-out runs.", 8),
        ("Evaluate a 13B model on one GPU: 2 hours for each of 5 prompt templates.", 5),
    ],
)
def test_counts_of_runs_in_more_shapes(text: str, runs: int) -> None:
    """A hedge after a label, a hyphenated describing word and 'for each of N' give the runs."""
    assert parse_workload(text).runs == runs


@pytest.mark.parametrize(
    ("text", "students", "total_per_student"),
    [
        ("A 3-day bootcamp for 20 participants; each gets about 6 GPU hours over the three days.",
         20, 6.0),
        ("Winter school, one week, 28 students, around 12 GPU hours per student during the week.",
         28, 12.0),
        ("A 10-week seminar with 15 students, 20 hours of GPU time per student in all.", 15, 20.0),
    ],
)  # fmt: skip
def test_hours_per_learner_over_a_whole_course(
    text: str, students: int, total_per_student: float
) -> None:
    """A figure per learner for the whole event is a total, spread over the stated weeks."""
    w = parse_workload(text)
    assert w.task == "classroom"
    assert w.students == students
    assert w.hours_per_week is not None and w.weeks is not None
    assert w.hours_per_week * w.weeks == pytest.approx(total_per_student)


def test_a_teacher_asking_for_research_time_is_not_a_course(settings: Settings) -> None:
    """'I teach chemistry at …' names the asker's job; the work itself is a small CPU trial."""
    text = (
        "I teach chemistry at a state university and want to try docking 50,000 ligands, CPU "
        "only, as a small trial: 3 nodes for 10 hours, done twice."
    )
    plan = make_plan(text, settings)
    assert plan.request_type == "startup"
    assert plan.estimate.amount == pytest.approx(3 * 10 * 2 * 1.15)
    assert plan.estimate.unit == "node-hours"
    assert not plan.missing


def test_checking_code_before_a_larger_request_is_a_startup(settings: Settings) -> None:
    """'make sure it trains before we apply for a bigger allocation' is a first, small request."""
    text = (
        "We want to make sure our 200M-parameter model trains without errors on 2 GPUs before "
        "we apply for a bigger research allocation: 4 hours per run, 3 runs."
    )
    assert make_plan(text, settings).request_type == "startup"


def test_an_unnamed_kind_of_work_with_a_size_is_fitted_as_training(settings: Settings) -> None:
    """A small model with GPUs × hours × runs needs no question about what kind of work it is."""
    text = "Our 40M-parameter U-Net for flood maps: 2 GPUs, 8 hours per run, 4 runs."
    plan = make_plan(text, settings)
    assert not plan.missing
    good = [f for f in plan.resources if f.fit == "good"]
    assert good and all(f.gpu_memory_gb for f in good)
    assert any("most demanding" in a or "full training" in a for a in plan.assumptions)
    assert all(check_step(s) for s in plan.estimate.steps)


def test_many_tries_of_unknown_count_ask_for_the_runs(settings: Settings) -> None:
    """'we will try many settings until it works' is repeated work: ask how many runs."""
    text = (
        "LoRA on a 3B model, one GPU, 4 hours each time; we'll try many batch sizes until it works."
    )
    plan = make_plan(text, settings)
    assert any("How many runs" in q for q in plan.missing)


def test_a_count_of_things_is_not_a_model_size() -> None:
    """'1.5 million sightings' counts records; it is not 1.5 M parameters."""
    w = parse_workload("Fit occupancy models to 1.5 million sightings on 6 nodes for 10 hours.")
    assert w.params_b is None
    assert parse_workload("Fine-tune a 7B model on 2 GPUs.").params_b == 7


def test_named_hardware_too_small_asks_what_could_change(settings: Settings) -> None:
    """Full fine-tuning 30B on eight 32 GB cards fits nowhere as asked: ask, don't dead-end."""
    text = "Full fine-tune of a 30B model on Voyager's Gaudi cards only: 8 cards, 24 h, 2 runs."
    plan = make_plan(text, settings)
    assert not any(f.fit == "good" for f in plan.resources)
    assert any("Could a run use" in q for q in plan.missing)


@pytest.mark.parametrize(
    ("text", "gpus", "hours", "runs"),
    [
        ("Pretrain on 3 nodes x 8 HPUs, 20 hours per run, 2 runs.", 24, 20, 2),
        ("- GPUs per job: 6\n- Time per run: 9 h\n- Runs: 3", 6, 9, 3),
        ("Eight GPUs, three wall-clock days per run, 2 runs.", 8, 72, 2),
        ("One epoch takes 4 hours on 2 GPUs; we train 6 epochs and repeat with 3 seeds.", 2, 24, 3),
        ("1 GPU, 5 h per fold, 4-fold cross-validation repeated with 2 random seeds.", 1, 5, 8),
        ("We need 3 GPU, 20 hour each training, we do it four time.", 3, 20, 4),
    ],
)
def test_more_ways_to_give_gpus_hours_and_runs(
    text: str, gpus: int, hours: float, runs: int
) -> None:
    """HPUs, labelled GPUs per job, wall-clock days, per-epoch times, folds × seeds, 'N time'."""
    w = parse_workload(text)
    assert (w.gpus, w.hours_per_run, w.runs) == (gpus, hours, runs)


def test_zero_stage_names_are_not_numbers() -> None:
    """DeepSpeed's 'ZeRO-2' is a name; it is not the range 0–2."""
    w = parse_workload("Full fine-tune a 2B model with ZeRO-2 on 4 GPUs, 10 h per run, 3 runs.")
    assert not any("range" in a for a in w.assumed)
    assert (w.gpus, w.runs) == (4, 3)


@pytest.mark.parametrize(
    ("text", "students", "per_week", "weeks"),
    [
        ("Three lab sections of 20 students each, 3 GPU hrs/week each, 10 weeks.", 60, 3, 10),
        ("The class runs twelve weeks. Enrolment is limited to 30. Each student uses about 45 "
         "minutes of GPU time per week.", 30, 0.75, 12),
        ("A one-week camp, Monday to Friday: 18 participants; every day each participant spends "
         "about 4 hours on GPU notebooks.", 18, 20, 1),
    ],
)  # fmt: skip
def test_course_sizes_and_hours_in_more_shapes(
    text: str, students: int, per_week: float, weeks: float
) -> None:
    """Sections with a describing word, enrolment caps, minutes per week, every-day hours."""
    w = parse_workload(text)
    assert w.task == "classroom"
    assert (w.students, w.hours_per_week, w.weeks) == (students, per_week, weeks)
    assert w.total_amount is None  # "3 GPU hrs/week" is a rate, not a total


@pytest.mark.parametrize(
    "text",
    [
        "Our tumour model needs A100-class GPUs: 2 GPUs, 10 h per run, 3 runs.",
        "De-identified notes; the team never sees PHI. LoRA on a 7B model, 2 GPUs, 6 h, 2 runs.",
        "Public benchmark essays only, no private student records involved. 1 GPU for 5 hours.",
    ],
)
def test_hardware_grades_and_ruled_out_records_do_not_change_the_request_type(
    text: str, settings: Settings
) -> None:
    """'A100-class' is not a class of students; data ruled out is not regulated data."""
    assert make_plan(text, settings).request_type == "research"


@pytest.mark.parametrize(
    "text",
    [
        "A graduate seminar on diffusion models needs GPU time for the students' projects.",
        "Capstone projects for 12 students, 2 GPU hours per week each for 10 weeks.",
    ],
)
def test_seminars_and_capstones_are_courses(text: str, settings: Settings) -> None:
    """A seminar or capstone run for students is classroom use."""
    assert make_plan(text, settings).request_type == "classroom"


def test_first_time_on_the_platform_is_a_startup(settings: Settings) -> None:
    """'First time on NAIRR … small pilot' is a first request."""
    text = (
        "First time on NAIRR: a small pilot of our RAG service with a 7B model on 1 GPU for 2 days."
    )
    assert make_plan(text, settings).request_type == "startup"


def test_full_parameter_fine_tuning_with_a_word_between() -> None:
    """'full-parameter supervised fine-tuning' is full fine-tuning."""
    w = parse_workload("Full-parameter supervised fine-tuning of a 3B model on 8 GPUs.")
    assert w.method == "full"


def test_a_pasted_form_without_line_breaks_keeps_each_field() -> None:
    """Field labels run together once lines are joined; the next label ends a figure."""
    text = (
        "Method: LoRA on a 7B model\nGPUs per job: 4\nWall-clock per epoch: ~3 hours\n"
        "Epochs: 2\nConfigurations to compare: 5\nData: 200 GB of text"
    )
    w = parse_workload(text)
    assert (w.gpus, w.hours_per_run, w.runs) == (4, 6, 5)


def test_seed_counts_in_non_native_wording_and_per_seed_hours() -> None:
    """'3 different random seed' counts runs; '10 hours per seed' is a run length, not 10 runs."""
    assert parse_workload("2 GPUs, 6 hour each, we repeat with 3 different random seed.").runs == 3
    w = parse_workload("LoRA on a 3B model, one card, 10 hours per seed, 5 seeds.")
    assert (w.hours_per_run, w.runs) == (10, 5)


def test_a_rate_times_an_amount_is_the_run_length() -> None:
    """'3 hours per 50,000 images' and '1 million images': 60 hours."""
    w = parse_workload(
        "Caption 1 million images with a 7B model on one GPU: 3 hours per 50,000 images."
    )
    assert w.hours_per_run == pytest.approx(60)


@pytest.mark.parametrize(
    ("text", "students", "per_week", "weeks", "runs"),
    [
        ("Course: Intro to Vision\nEnrolment: 40\nCompute per student: 12 GPU-hours for the term",
         40, 12, 1, None),
        ("Two sections of 20 students each. In the weekly lab every student uses one GPU for "
         "3 hours; the term has 12 weeks of labs.", 40, 3, 12, None),
        ("The workshop series is taught 3 times this academic year, 10 weeks each, 16 students, "
         "one 2-hour hands-on session per week.", 16, 2, 10, 3),
    ],
)  # fmt: skip
def test_course_forms_weekly_labs_and_repeated_offerings(
    text: str, students: int, per_week: float, weeks: float, runs: int | None
) -> None:
    """Per-student totals in a form, a weekly lab's length, and a course taught several times."""
    w = parse_workload(text)
    assert w.task == "classroom"
    assert (w.students, w.hours_per_week, w.weeks, w.runs) == (students, per_week, weeks, runs)


def test_repeated_offerings_multiply_the_course_estimate(settings: Settings) -> None:
    """Each offering of a course is counted, and the step says so."""
    text = (
        "Our seminar is taught 2 times this academic year, 12 weeks each, 20 students, "
        "one 90-minute session per week."
    )
    plan = make_plan(text, settings)
    assert plan.estimate.amount == pytest.approx(20 * 1.5 * 12 * 2 * 1.15)
    assert any("2 offerings" in step for step in plan.estimate.steps)
    assert all(check_step(s) for s in plan.estimate.steps)


def test_the_method_is_asked_only_when_it_changes_the_fit(settings: Settings) -> None:
    """A 100M-parameter fine-tune fits every GPU even in full: no question about LoRA."""
    small = make_plan("Fine-tune a 100M-parameter model: 2 GPUs, 5 h per run, 3 runs.", settings)
    assert not any("LoRA" in q for q in small.missing)
    big = make_plan("Fine-tune a 13B model: 2 GPUs, 5 h per run, 3 runs.", settings)
    assert any("LoRA" in q for q in big.missing)


def test_a_compound_with_course_is_not_a_course(settings: Settings) -> None:
    """'course-withdrawal risk' from FERPA records is a secure research request."""
    text = (
        "We model course-withdrawal risk from FERPA-covered student records with a 100M "
        "transformer: 1 GPU, 20 hours a run, 3 runs."
    )
    assert make_plan(text, settings).request_type == "secure"


def test_a_questionnaire_and_a_pasted_table() -> None:
    """'Q: How many GPUs? A: 6' and '| wall time per run | 9 h |' read like plain sentences."""
    qa = parse_workload(
        "Q: What is it?\nA: LoRA on a 3B model.\nQ: How many GPUs?\nA: 6\n"
        "Q: How long is one run?\nA: 2 days\nQ: How many runs?\nA: 4"
    )
    assert (qa.gpus, qa.hours_per_run, qa.runs) == (6, 48, 4)
    table = parse_workload(
        "| field | value |\n|---|---|\n| model | 1B decoder |\n| GPUs per run | 2 |\n"
        "| wall time per run | 9 h |\n| runs | 3 |"
    )
    assert (table.gpus, table.hours_per_run, table.runs) == (2, 9, 3)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("LoRA on a 7B model: about 3.6k steps at 2 s/step on 2 GPUs, 3 runs.", 2.0),
        ("Score 2.5 million reviews with a 1B model on 1 GPU: 500 reviews take 36 seconds.", 50.0),
        (
            "Train a 300M model on 2 GPUs around the clock for a fortnight, one continuous run.",
            336.0,
        ),
    ],
)
def test_run_lengths_from_steps_rates_and_fortnights(text: str, hours: float) -> None:
    """Steps × seconds per step, 'N items take T', 'a fortnight'."""
    assert parse_workload(text).hours_per_run == pytest.approx(hours)


def test_milestones_are_summed_into_one_run() -> None:
    """'3 runs x 10 h', '1 run x 1 day' on the same GPUs: one run of 54 h."""
    w = parse_workload("All on 2 GPUs, 200M model:\n- pilot: 3 runs x 10 h\n- final: 1 run x 1 day")
    assert (w.gpus, w.hours_per_run, w.runs) == (2, 54, 1)


def test_magnitudes_and_unit_dots() -> None:
    """'1e9 tokens' is a billion tokens; 'GPU·h' is GPU-hours, not a count of GPUs."""
    w = parse_workload("Pretrain a 125M model from scratch on 1e9 tokens.")
    assert w.tokens_b == pytest.approx(1.0)
    total = parse_workload("Full fine-tune of a 1B model; each run costs 30 GPU·h; 4 runs.")
    assert (total.total_amount, total.total_unit, total.gpus) == (30, "GPU-hours", None)


@pytest.mark.parametrize(
    "text",
    [
        "De-identified images; our IRB says HIPAA does not apply. 2 GPUs, 5 h per run, 2 runs.",
        "Partner data under NDA, but not CUI and not export-controlled. 2 GPUs, 6 h, 2 runs.",
        "Batch inference with our own fine-tuned 3B model on 1 GPU for 10 hours.",
    ],
)
def test_regimes_ruled_out_and_models_made_earlier(text: str, settings: Settings) -> None:
    """'HIPAA does not apply', 'not CUI', and a fine-tuned model that is only being served."""
    plan = make_plan(text, settings)
    assert plan.request_type == "research"
    assert plan.workload.task != "fine-tuning" or "fine-tuned" not in text
