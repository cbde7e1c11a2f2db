"""Phrasing families found by heldout26 (measured once, then fixed): a pasted config's keys
("gpus_per_trial": 2), a runs label over a grid ("runs: 3 rates x 2 mixes"), counts after a
multiplication sign or closing a list ("x3 seeds, for 4 backbones"), work "at each site",
"retrained every month for 6 months", a total "on each type", a course run "two times",
pairs "sharing" a GPU, sections sized one by one, a term in parts ("the first 4 weeks …, then
8 weeks …"), chapters as phases with "N minutes each, 40 repeats", and a total for "one basin
for one year". Each case is written here, not copied from an eval file.
"""

from __future__ import annotations

from app.plan.parse import parse_workload


def test_a_pasted_config_reads_its_keys() -> None:
    w = parse_workload(
        'CONFIG = {\n  "gpus_per_trial": 4,\n  "hours_per_trial": 2.5,  # on an A100\n'
        '  "trials": 12,  # 4 settings x 3 seeds, already multiplied\n}'
    )
    assert (w.gpus, w.hours_per_run, w.runs) == (4, 2.5, 12)
    # "2 gpus per trial" is two GPUs, never "2 GPU-seconds" of something
    assert parse_workload("2 gpus per trial, 6 hours per trial, 10 trials").hours_per_run == 6


def test_a_runs_label_over_a_grid_multiplies() -> None:
    w = parse_workload("- 2 GPUs per job, 10 h each\n- runs: 4 prompts x 3 temperatures\n")
    assert w.runs == 12


def test_counts_after_a_times_sign_or_closing_a_list_multiply() -> None:
    w = parse_workload(
        "Each fold trains on one GPU for 6 hours. 10 folds per setting, x2 seeds, for 3 tokenizers."
    )
    assert w.runs == 60 and w.hours_per_run == 6
    same = parse_workload(
        "A training run uses 2 GPUs for 8 hours. We train one model per river system, for "
        "four river systems, and each model with two seeds."
    )
    assert same.runs == 8  # the systems were counted once already


def test_work_at_each_site_and_retraining_every_month() -> None:
    w = parse_workload("Clinics: 3 clinics, 4 experiments at each clinic. 2 GPUs, 10 hours each.")
    assert w.runs == 12
    m = parse_workload(
        "1 GPU, 2 h per district model, 10 district models, retrained every month for 4 months."
    )
    assert m.runs == 40


def test_a_total_on_each_type_is_counted_per_type() -> None:
    w = parse_workload(
        "A startup project to benchmark my code: about 3 GPU-days on each card, on three "
        "different card types."
    )
    assert w.total_amount == 3 and w.total_per_run and w.runs == 3


def test_a_total_for_one_of_each_pair() -> None:
    w = parse_workload(
        "We segment satellite scenes for four provinces. Processing one province for one year "
        "takes about 15 GPU-hours, and we cover every year from 2020 through 2024."
    )
    assert w.total_amount == 15 and w.runs == 20


def test_courses_given_twice_shared_in_pairs_or_sized_by_section() -> None:
    twice = parse_workload(
        "Our summer course has 20 students, 5 days, 4 hours a day on a GPU each. We make it "
        "two times, in June and in August."
    )
    assert twice.runs == 2
    pairs = parse_workload(
        "Lab course, 24 students working in pairs, each pair sharing one GPU, 3 hours every "
        "week for 10 weeks."
    )
    assert pairs.students_per_gpu == 2
    sections = parse_workload(
        "Data science course, CPU only, each student gets a 2-core VM for a 2-hour weekly lab "
        "over 12 weeks. Section A has 40 students and section B has 25."
    )
    assert sections.students == 65
    caps = parse_workload(
        "DS 301-01 Applied ML cap 30 weeks 1-14\nDS 301-02 Applied ML cap 20 weeks 1-14\n"
        "Each student uses one GPU 2 hours a week."
    )
    assert caps.students == 50


def test_a_term_in_parts_adds_its_weeks() -> None:
    w = parse_workload(
        "course: 30 students, 1 GPU each. the first 3 weeks are 2 hrs/wk of warm-ups, then 9 "
        "weeks of projects at 4 hrs/wk."
    )
    assert w.weeks == 12 and w.hours_per_week is not None
    assert round(w.hours_per_week * w.weeks) == 3 * 2 + 9 * 4


def test_chapters_are_phases_and_each_then_a_count_is_runs() -> None:
    w = parse_workload(
        "Thesis compute by chapter\nCh. 1 pilot: 1 GPU, thirty minutes each, 20 replications\n"
        "Ch. 2 main study: 4 GPUs x 5 h per setting, 6 settings\n"
    )
    assert [p.gpu_hours for p in w.phases] == [10, 120]
