"""The planner on the shipped catalogue: parsing, fit, request types, arithmetic, citations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.config import Settings
from app.errors import PilotdeskError
from app.plan.estimate import check_step
from app.plan.parse import parse_workload
from app.plan.planner import make_plan
from app.plan.schema import Plan

DATA = Path(__file__).resolve().parents[2] / "data"


def good(plan: Plan) -> set[str]:
    """Ids of resources marked a good fit."""
    return {r.id for r in plan.resources if r.fit == "good"}


def all_steps(plan: Plan) -> list[str]:
    """Every arithmetic line of a plan."""
    return [*plan.estimate.steps, *(s for p in plan.estimate.per_resource for s in p.steps)]


def test_parser_reads_common_phrasings() -> None:
    w = parse_workload(
        "LoRA fine-tuning of a 70B model on patient records (HIPAA) on 4 H100s for 24 hours, "
        "10 runs, by June 2026"
    )
    assert (w.task, w.method, w.params_b, w.gpus) == ("fine-tuning", "lora", 70, 4)
    assert (w.hours_per_run, w.runs, w.accelerator) == (24, 10, "H100")
    assert w.regulated == ["HIPAA", "patient records"] and w.deadline == "June 2026"
    c = parse_workload("A course: 45 students, 3 hours per week for 14 weeks")
    assert (c.task, c.students, c.hours_per_week, c.weeks) == ("classroom", 45, 3, 14)
    t = parse_workload("Pretrain a 1.3B model on 26B tokens, 2 epochs, must use V100 GPUs")
    assert (t.params_b, t.tokens_b, t.epochs, t.gpus) == (1.3, 26, 2, None)  # V100 ≠ 100 GPUs
    assert t.accelerator == "V100" and t.accelerator_required
    assert parse_workload("score 2 million documents with a 7B model").params_b == 7


def test_a_full_fine_tune_needing_80_gb_gpus_marks_only_80_gb_systems_good(
    settings: Settings,
) -> None:
    plan = make_plan(
        "Full fine-tune of a 20B model in bf16; it needs 80 GB GPUs. 8 GPUs, 30 hours per run, "
        "3 runs.",
        settings,
    )
    assert plan.request_type == "research"
    assert good(plan) == {"deltaai", "anvil-ai"}  # 96 GB and 80 GB per GPU
    by_id = {r.id: r for r in plan.resources}
    assert by_id["delta-a100"].fit == "possible" and not by_id["delta-a100"].verified
    assert by_id["anvil-gpu"].fit == "no" and "40 GB" in " ".join(by_id["anvil-gpu"].reasons)
    assert plan.estimate.steps[0] == "8 GPUs × 30 h × 3 runs = 720 GPU-hours"
    assert plan.estimate.amount == pytest.approx(720 * 1.15)
    assert (plan.estimate.low, plan.estimate.high) == (720, pytest.approx(828))
    assert all(check_step(s) for s in all_steps(plan))
    delta = next(p for p in plan.estimate.per_resource if p.resource.startswith("NCSA Delta (A1"))
    assert delta.unit == "SU" and delta.amount == pytest.approx(828)


def test_memory_rule_states_its_convention_and_adds_activations(settings: Settings) -> None:
    plan = make_plan("Full fine-tuning of a 7B model in bf16 on a single GPU", settings)
    rule = plan.assumptions[0]
    assert "18 bytes per parameter" in rule and "16, 18 or 20" in rule and "activations" in rule
    # 7 × 18 × 1.3 = 163.8 GB on one GPU: nothing listed holds it.
    assert good(plan) == set()
    assert any("163.8 GB" in r for f in plan.resources for r in f.reasons)
    assert plan.missing  # hours and runs were not given
    assert plan.estimate.amount is None


def test_regulated_data_is_a_secure_request_with_no_unapproved_good_fit(
    settings: Settings,
) -> None:
    plan = make_plan(
        "Train a model on FERPA-protected student records, 2 GPUs for 10 hours per run, 4 runs",
        settings,
    )
    assert plan.request_type == "secure" and good(plan) == set()
    js = next(r for r in plan.resources if r.id == "jetstream2-gpu")
    assert js.fit == "no" and "regulated" in js.reasons[0]
    assert any("NAIRR Secure" in w for w in plan.warnings)


def test_a_course_multiplies_students_hours_and_weeks(settings: Settings) -> None:
    plan = make_plan("Our course has 36 students, 4 hours per week, for 12 weeks.", settings)
    assert plan.request_type == "classroom"
    assert plan.estimate.steps[0] == "36 students × 4 h per week × 12 weeks = 1728 student-hours"
    assert plan.estimate.amount == pytest.approx(1728 * 1.15)
    assert all(check_step(s) for s in all_steps(plan))
    assert "anvil-gpu" in good(plan) and "delta-cpu" not in good(plan)


def test_compute_estimate_is_a_range_over_a_printed_throughput(settings: Settings) -> None:
    plan = make_plan("Pretrain a 1B model on 20B tokens", settings)
    steps = plan.estimate.steps
    assert steps[0] == "6 × 1e9 parameters × 2e10 tokens = 1.2e20 FLOPs"
    assert plan.estimate.low < plan.estimate.amount < plan.estimate.high
    assert any("TFLOP/s per GPU" in a for a in plan.assumptions)
    assert all(check_step(s) for s in all_steps(plan))


def test_newer_of_two_dated_rates_is_used_and_said(settings: Settings) -> None:
    plan = make_plan("A course: 20 students, 2 hours per week for 10 weeks", settings)
    note = next(w for w in plan.warnings if "two dated values" in w)
    assert "4 SU per vCPU-hour as of 2025-11" in note and "the newer, 4, is used" in note
    assert "two dated values" in plan.draft


def test_missing_information_becomes_questions_not_numbers(settings: Settings) -> None:
    plan = make_plan("We would like some GPUs.", settings)
    assert plan.estimate.amount is None and len(plan.missing) >= 2
    assert good(plan) == set()  # the need is unknown: nothing can be verified to fit


def test_every_key_in_the_draft_resolves_to_a_passage_of_the_spec_document(
    settings: Settings,
) -> None:
    text = "Inference with a 13B model in bf16 on 2 A40 GPUs, 5 h per run, 3 runs"
    plan = make_plan(text, settings)
    keys = set(re.findall(r"\[(S\d+)\]", plan.draft))
    cited = {c.key: c for c in plan.citations}
    assert keys and keys <= set(cited)
    for key in keys:
        assert cited[key].chunk_id and cited[key].url.startswith("https://")
    a40 = cited[next(k for k in keys if cited[k].locator == "§ NCSA Delta hardware")]
    assert "48 GB" in a40.snippet


def test_check_step_rejects_a_wrong_line() -> None:
    assert check_step("4 GPUs × 24 h × 10 runs = 960 GPU-hours")
    assert not check_step("4 GPUs × 24 h × 10 runs = 970 GPU-hours")
    assert check_step("4.056e20 FLOPs ÷ (100e12 FLOP/s × 3600 s) = 1126.67 GPU-hours")
    assert not check_step("no arithmetic here")


def test_overrides_are_validated(settings: Settings) -> None:
    plan = make_plan("Fine-tune a model", settings, overrides={"params_b": 7, "method": "lora"})
    assert plan.workload.params_b == 7 and plan.workload.method == "lora"
    with pytest.raises(PilotdeskError, match="gpus"):
        make_plan("Fine-tune a model", settings, overrides={"gpus": -2})
    with pytest.raises(PilotdeskError, match="unknown workload field"):
        make_plan("Fine-tune a model", settings, overrides={"colour": "blue"})
