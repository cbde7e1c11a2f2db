"""The three workload kinds a reviewer will try, each in several phrasings, on the real catalogue.

A full fine-tune needing 80 GB GPUs, a regulated-data project and a course with students ×
hours × weeks must each get the right request type, only fitting resources marked good, and
the product of the given numbers as an estimate step that recomputes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings
from app.plan.estimate import check_step
from app.plan.numbers import normalize
from app.plan.parse import parse_workload
from app.plan.planner import make_plan
from app.plan.schema import Plan

DATA = Path(__file__).resolve().parents[2] / "data"
GPU_KNOWN_MEMORY = {"deltaai", "delta-a40", "anvil-gpu", "anvil-ai", "bridges2-gpu"}


def good(plan: Plan) -> set[str]:
    """Ids of resources marked a good fit."""
    return {r.id for r in plan.resources if r.fit == "good"}


def steps_hold(plan: Plan) -> bool:
    """Every arithmetic line of the plan recomputes."""
    lines = [*plan.estimate.steps, *(s for p in plan.estimate.per_resource for s in p.steps)]
    return bool(lines) and all(check_step(s) for s in lines)


FULL_80GB = [  # (text, GPUs, hours per run, runs)
    ("Full fine-tune of a 13B model in bf16 on 80 GB GPUs: 8 GPUs, 36 hours per run, 4 runs.",
     8, 36, 4),
    ("We want to fully fine-tune a 20B model; it needs 80GB GPUs. Sixteen GPUs, two days per "
     "run, three runs.", 16, 48, 3),
    ("Fine-tune every weight of a 7B model (mixed precision) on GPUs with 80 GB each; 4 GPUs; "
     "12 hours per run; 10 runs.", 4, 12, 10),
    ("Full-parameter fine-tuning of a 30-billion-parameter model, requires 80-GB GPUs, "
     "32 GPUs x 20 hours, 2 runs.", 32, 20, 2),
    ("Our 8B model will be fine-tuned with all parameters trainable in bf16 on eight 80 GB "
     "GPUs for twenty-four hours per run, five runs.", 8, 24, 5),
    ("Complete fine-tuning (not LoRA) of a 13B model on 2 nodes with 4 GPUs each (80 GB), "
     "24 hours per run, 3 runs.", 8, 24, 3),
    ("Full FT of a 6B model; it needs 80 GB GPUs, four of them, for a day; we repeat it "
     "3 times.", 4, 24, 3),
    ("Full fine-tune. Model: 13B, bf16. GPUs: 8 (80 GB each). Hours per run: 30. Runs: 2.",
     8, 30, 2),
]  # fmt: skip


@pytest.mark.parametrize(("text", "gpus", "hours", "runs"), FULL_80GB)
def test_full_fine_tune_needing_80_gb_gpus(
    settings: Settings, text: str, gpus: int, hours: int, runs: int
) -> None:
    plan = make_plan(text, settings)
    assert plan.request_type == "research"
    assert plan.workload.method == "full" and plan.workload.gpu_memory_gb == 80
    assert good(plan) == {"deltaai", "anvil-ai"}  # 96 and 80 GB per GPU; nothing smaller
    product = gpus * hours * runs
    assert plan.estimate.steps[0] == f"{gpus} GPUs × {hours} h × {runs} runs = {product} GPU-hours"
    assert plan.estimate.amount == pytest.approx(product * 1.15)
    assert steps_hold(plan)


REGULATED = [  # (text, GPUs, hours per run, runs)
    ("Fine-tune a 7B model with LoRA on HIPAA-covered data, 4 GPUs, 10 hours per run, 6 runs.",
     4, 10, 6),
    ("The data are identifiable patient records. Train a 200M model on two GPUs for twelve "
     "hours per run, ten runs.", 2, 12, 10),
    ("FERPA applies to our student records; inference with a 3B model; 1 GPU; 8 hours per run; "
     "4 runs.", 1, 8, 4),
    ("Controlled unclassified information (CUI): LoRA of a 13B model, 2 GPUs x 30 hours, "
     "3 runs.", 2, 30, 3),
    ("Medical records from partner clinics; full fine-tuning of a 1B model in bf16, a couple "
     "of GPUs, 20 hours per run, 4 runs.", 2, 20, 4),
    ("Data: PHI (HIPAA). Method: LoRA on a 7B model. GPUs = 2. Hours per run = 10. Runs = 6.",
     2, 10, 6),
]  # fmt: skip


@pytest.mark.parametrize(("text", "gpus", "hours", "runs"), REGULATED)
def test_regulated_data_project(
    settings: Settings, text: str, gpus: int, hours: int, runs: int
) -> None:
    plan = make_plan(text, settings)
    assert plan.request_type == "secure" and plan.workload.regulated
    assert good(plan) == set()  # no listed system states an approval for regulated data
    assert all(r.fit in ("possible", "no") for r in plan.resources)
    product = gpus * hours * runs
    what = "GPU" if gpus == 1 else "GPUs"
    line = f"{gpus} {what} × {hours} h × {runs} runs = {product} GPU-hours"
    assert plan.estimate.steps[0] == line
    assert steps_hold(plan)


COURSES = [  # (text, students, hours per week, weeks)
    ("A GPU course: 40 students x 3 hours x 15 weeks.", 40, 3, 15),
    ("Our class of twenty-eight students uses GPU notebooks four hours a week for a 10-week "
     "term.", 28, 4, 10),
    ("Semester course, 60 students, 2 h/week each, 14 weeks, deep learning homework on GPUs.",
     60, 2, 14),
    ("Teaching a workshop for 15 learners who each need 5 GPU-hours per week over 6 weeks.",
     15, 5, 6),
    ("Graduate seminar with a dozen students, 6 hours per student per week, for a couple of "
     "weeks, GPUs for model training labs.", 12, 6, 2),
    ("GPU course. Students: 25. Hours per week: 4. Weeks: 12.", 25, 4, 12),
    ("The course runs 10 weeks with 50 students who each need 2 hours of GPU time per week.",
     50, 2, 10),
]  # fmt: skip


@pytest.mark.parametrize(("text", "students", "hours", "weeks"), COURSES)
def test_course_multiplies_students_hours_and_weeks(
    settings: Settings, text: str, students: int, hours: int, weeks: int
) -> None:
    plan = make_plan(text, settings)
    assert plan.request_type == "classroom"
    assert good(plan) == GPU_KNOWN_MEMORY  # GPU systems whose memory the sources state
    product = students * hours * weeks
    assert plan.estimate.steps[0] == (
        f"{students} students × {hours} h per week × {weeks} weeks = {product} student-hours"
    )
    assert plan.estimate.amount == pytest.approx(product * 1.15)
    assert steps_hold(plan)


def test_numbers_are_normalised_and_choices_are_noted() -> None:
    text, notes = normalize("Eight GPUs, twenty-four hours, two hundred and fifty runs")
    assert text == "8 gpus, 24 hours, 250 runs" and notes == []
    text, notes = normalize("a couple of runs of 20-30 hours; 2,000,000 documents")
    assert text == "2 runs of 30 hours; 2000000 documents"
    assert notes == ["“a couple of” is read as 2", "the range 20–30 is read as its upper end, 30"]
    # Not numbers: a date, a rate, a place.
    assert normalize("data as of 2025-11 uses")[0] == "data as of 2025-11 uses"
    assert normalize("3 hours a day on a GPU cluster")[0] == "3 hours a day on a gpu cluster"


def test_totals_in_resource_units_become_hours(settings: Settings) -> None:
    plan = make_plan("About 12 GPU-days of LoRA fine-tuning on a 3B model.", settings)
    assert plan.workload.gpus is None  # "12 GPU-days" is a total, not 12 GPUs
    assert plan.estimate.steps[0] == "12 GPU-days × 24 h per day = 288 GPU-hours"
    assert plan.estimate.amount == pytest.approx(288 * 1.15) and steps_hold(plan)
    cpu = make_plan("CPU-only preprocessing, roughly 250 node-hours in all.", settings)
    assert cpu.estimate.unit == "node-hours" and cpu.estimate.amount == pytest.approx(287.5)
    assert "frontera" in good(cpu) and "deltaai" not in good(cpu)


def test_listed_figures_ranges_and_wall_clock_weeks() -> None:
    w = parse_workload("Inference with a 7B model, 1 GPU, 30 hours, 2 runs")
    assert (w.gpus, w.hours_per_run, w.runs) == (1, 30, 2)
    w = parse_workload("4 nodes; 8 hours per run; 25 runs; CPU only")
    assert (w.nodes, w.hours_per_run, w.runs, w.cpu_only) == (4, 8, 25, True)
    w = parse_workload("LoRA of a 7B model on 2 GPUs, 10 to 14 hours per run, 3 runs")
    assert w.hours_per_run == 14 and w.assumed == ["the range 10–14 is read as its upper end, 14"]
    w = parse_workload("Train a 1B model on 2 GPUs around the clock for three weeks")
    assert w.hours_per_run == 3 * 168
    # Rates, deadlines and amounts of data are not run lengths.
    w = parse_workload("Transcribe 500 hours of audio with a 1B model on 1 GPU within 2 weeks")
    assert w.hours_per_run is None


def test_accelerator_alternatives_and_words_that_merely_contain_a_name(settings: Settings) -> None:
    plan = make_plan(
        "Inference with a 13B model in fp16 must run on A40 or H100 GPUs, 2 GPUs, 5 hours per "
        "run, 3 runs",
        settings,
    )
    assert plan.workload.accelerator == "A40 or H100"
    assert good(plan) == {"delta-a40", "deltaai", "anvil-ai"}
    # "output" contains "tpu", "H100-class" is hardware, not a class of students.
    w = parse_workload("Write output for 1 million prompts with a 7B model on H100-class GPUs")
    assert w.accelerator == "H100" and w.task != "classroom"


def test_a_method_ruled_out_does_not_count_and_rates_are_not_run_lengths() -> None:
    assert parse_workload("Full fine-tuning, not LoRA, of a 7B model").method == "full"
    assert parse_workload("LoRA rather than full fine-tuning of a 7B model").method == "lora"
    w = parse_workload("Inference with a 7B model: 3 hours per 1000 documents, 1 GPU, 20 hours")
    assert w.hours_per_run == 20
    w = parse_workload("Inference with a 70B model, 4 GPUs per node, 2 nodes, 10 hours, 2 runs")
    assert w.gpus == 8 and w.assumed == ["2 nodes × 4 GPUs per node is read as 8 GPUs"]


def test_a_zero_figure_is_asked_for_not_an_error(settings: Settings) -> None:
    plan = make_plan("LoRA on a 7B model with zero GPUs for 0 hours", settings)
    assert plan.workload.gpus is None and plan.workload.hours_per_run is None
    assert plan.estimate.amount is None and plan.missing


def test_a_label_is_only_swapped_when_its_figure_stands_alone() -> None:
    w = parse_workload("Lab course using GPUs: 30 students, 2 hours per week, 8 weeks")
    assert (w.students, w.gpus, w.hours_per_week, w.weeks) == (30, None, 2, 8)
    w = parse_workload("LoRA on a 13B model. GPUs: 4. Hours per run: 12. Runs: 5.")
    assert (w.gpus, w.hours_per_run, w.runs) == (4, 12, 5)


@pytest.mark.parametrize(
    "text",
    [
        "We'd like a starter allocation to check that our code runs on the GPUs.",
        "An initial allocation to port our code and benchmark the pipeline, 2 GPUs for 10 hours.",
        "A small allocation for a proof-of-concept before we write a full proposal.",
        "Seed allocation: getting started with distributed training, scaling tests on 8 GPUs.",
        "We want to find out whether our simulation scales past one node.",
    ],
)
def test_the_names_of_a_small_first_request_mean_startup(text: str) -> None:
    # Applicants rarely say "startup"; a first, small, code-checking request is one.
    assert parse_workload(text).exploratory


@pytest.mark.parametrize(
    "text",
    [
        "We want to see whether larger models generalize better: train a 7B model on 100B tokens.",
        "Fine-tune an 8B model with LoRA on 4 GPUs, 12 hours per run, 6 runs.",
        "Evaluate whether retrieval helps on our benchmark suite with a 13B model.",
    ],
)
def test_a_research_question_is_not_a_startup_request(text: str) -> None:
    # "see whether" about a research question is not a request to check that code runs.
    assert not parse_workload(text).exploratory


@pytest.mark.parametrize(
    "text",
    [
        "Cleaning and deduplicating 2 TB of web text on 64 CPU cores for 3 days.",
        "Post-processing simulation output files, 500 node-hours.",
        "Annotating 4,000 hours of interviews for a corpus.",
    ],
)
def test_data_cleaning_verbs_are_data_processing(text: str) -> None:
    assert parse_workload(text).task == "data processing"
