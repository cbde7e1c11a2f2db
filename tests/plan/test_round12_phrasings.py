"""Phrasing families left open by round 11's held-out splits, written here in our own words:
a throughput over a dataset for N epochs, and frames per second over hours of video."""

from __future__ import annotations

from app.plan.parse import parse_workload


def _hours(text: str) -> float:
    w = parse_workload(text)
    assert w.hours_per_run is not None, w
    return w.hours_per_run * (w.runs or 1)


def test_a_throughput_over_a_dataset_for_several_epochs() -> None:
    # 1.3M images × 90 epochs ÷ 1,100 images/s = 29.55 h; one epoch alone would be 0.33 h
    w = parse_workload(
        "Train a ResNet-50 on 1.3M images for 90 epochs; one GPU does roughly 1,100 images/s."
    )
    assert w.epochs == 90
    assert abs(_hours("Train a ResNet-50 on 1.3M images for 90 epochs; one GPU does roughly "
                      "1,100 images/s.") - 1.3e6 * 90 / 1100 / 3600) < 1e-3  # fmt: skip
    # a time per epoch is still read as before: the epochs multiply that time, once
    assert (
        abs(_hours("One epoch takes 2 hours on a single GPU and we train 10 epochs.") - 20) < 1e-6
    )
    # no epochs: the throughput covers the data once
    once = _hours("Embed 3.6 million abstracts at about 2,000 abstracts per second on one GPU.")
    assert abs(once - 3.6e6 / 2000 / 3600) < 1e-6


def test_frames_per_second_over_hours_of_video() -> None:
    # 1,200 h × 3,600 s × 30 frames = 129.6M frames at 240 frames/s = 150 h
    assert (
        abs(
            _hours(
                "We need to run our detector over 1,200 hours of drone video recorded at 30 fps. "
                "On one A100 the model processes about 240 frames per second."
            )
            - 150
        )
        < 1e-6
    )
    # the footage said another way, and a count of model variants that repeats the whole pass
    three = _hours(
        "Pose estimation over 300 hours of lab recordings (25 fps); the model does 150 frames/s "
        "on a single GPU, 3 model variants."
    )
    assert abs(three - 150) < 1e-6  # 50 h a variant


def test_a_throughput_per_gpu_is_shared_by_the_gpus() -> None:
    # 20B tokens at 42k tokens/s on each of 8 GPUs: 132.3 GPU-hours, 16.5 h of wall time
    w = parse_workload(
        "Pretrain a 1.3B decoder on 20B tokens (one pass). Measured throughput: 42k tokens/s "
        "per GPU. GPUs: 8, data parallel."
    )
    assert w.gpus == 8 and w.hours_per_run is not None
    assert abs(w.gpus * w.hours_per_run - 20e9 / 42000 / 3600) < 1e-3


def test_a_hyphenated_amount_and_epochs_with_seeds() -> None:
    w = parse_workload(
        "We train a ViT from scratch on a 5-million-image dataset, 30 epochs per run, with two "
        "seeds. One GPU sustains about 1,000 images per second."
    )
    assert w.runs == 2 and w.hours_per_run is not None
    assert abs(w.hours_per_run - 5e6 * 30 / 1000 / 3600) < 1e-3


def test_dataset_classes_and_a_part_time_teacher_make_no_course() -> None:
    w = parse_workload(
        "Talk abstract: can a model learn 10k classes? We train a 90M-parameter ViT for 40 "
        "epochs on one GPU, 2 days per run, 3 runs. Joint work with three students."
    )
    assert w.task == "training"
    cpu = parse_workload(
        "I now teach part time. My hydrology code is serial Fortran, CPU only: one core per "
        "run, 2 hours a run, 500 runs."
    )
    assert cpu.task != "classroom" and cpu.runs == 500


def test_shares_of_a_device_day_and_totals_per_item() -> None:
    # a quarter of a GPU-day for each of 6 dialects, x2 seeds each: 12 × 6 h, counted once
    w = parse_workload(
        "Fine-tune a small speech model for each of our 6 dialects. Per dialect: one GPU for a "
        "quarter of a GPU-day. x2 seeds per dialect."
    )
    assert w.total_amount == 0.25 and w.total_unit == "GPU-days"
    assert w.runs == 12
    # "16 GPU-hours per cohort" over "9 cohorts"
    c = parse_workload(
        "Score variants from 9 cohorts with a pretrained model, inference only. Planned "
        "compute: 16 GPU-hours per cohort."
    )
    assert c.total_per_run and c.runs == 9 and c.total_amount == 16
    # a total per pair of two counted things, the counts written as labels
    p = parse_workload(
        "notes: checkpoints -> 20 / tasks -> 5 / ~1/2 GPU-h per (checkpoint, task) pair; "
        "evaluation only"
    )
    assert p.total_per_run and p.runs == 100 and p.total_amount == 0.5


def test_memory_peak_and_a_stated_sum_of_runs() -> None:
    w = parse_workload(
        "LoRA on a 7B model: we measured a peak of 36 GB on one GPU; 10 hours per run, 6 runs."
    )
    assert w.gpu_memory_gb == 36
    r = parse_workload(
        "Full fine-tune of a 13B model. One run = 16 GPUs for 2 days. Runs this term: two "
        "ablations and then the final model, so three"
    )
    assert r.runs == 3


def test_course_sessions_every_weekday_sections_and_a_questionnaire() -> None:
    c = parse_workload(
        "Summer school, two weeks (Monday to Friday), 30 participants: a three-hour hands-on "
        "lab every weekday, one GPU each."
    )
    assert (c.students, c.hours_per_week, c.weeks) == (30, 15, 2)
    # a pasted row: sections × enrolled per section
    t = parse_workload(
        "Course | Sections | Enrolled per section | Lab hrs per student per wk | Weeks\n"
        "Deep Learning | 2 | 25 | 4 | 10"
    )
    assert t.students == 50 and t.hours_per_week == 4 and t.weeks == 10
    # a family FAQ: the noun right after "how many", the answer after "A:"
    q = parse_workload(
        "Q: How many students are in the class? A: A dozen. Q: How much GPU time each? A: 2 "
        "hours a week on a GPU notebook, for 10 weeks."
    )
    assert q.students == 12


def test_totals_said_by_the_writer_and_runs_of_two_kinds() -> None:
    # "so nine runs" is the writer's own sum: not multiplied again by the families and seeds
    w = parse_workload(
        "One run takes 2 days on 4 GPUs. One run per dataset, there are three datasets, and "
        "every dataset with three seeds. So nine runs."
    )
    assert w.runs == 9
    k = parse_workload("Full fine-tune of a 3B model on one GPU. Each run ≈ 12 h. Plan: 5 "
                       "ablation runs + 2 final runs.")  # fmt: skip
    assert k.runs == 7 and k.hours_per_run == 12


def test_scientific_notation_and_items_that_are_each_one_job() -> None:
    t = parse_workload("Pretrain a 400M-parameter model on 2 × 10^9 tokens, one pass, bf16.")
    assert t.tokens_b is not None and abs(t.tokens_b - 2.0) < 1e-9
    c = parse_workload(
        "CPU only: each of the 12 chromosomes is one job on 16 cores for about 3 hours."
    )
    assert (c.runs, c.cpu_cores, c.hours_per_run) == (12, 16, 3)


def test_weeks_of_project_work_are_course_weeks() -> None:
    c = parse_workload(
        "Graduate seminar, 15 students; each gets 6 GPU-hours per week for 10 weeks of project "
        "work."
    )
    assert (c.students, c.hours_per_week, c.weeks) == (15, 6, 10)


def test_a_lab_for_a_length_several_times_a_week() -> None:
    c = parse_workload(
        "The new elective takes 30 students; they meet in the GPU lab for two hours three times "
        "a week across a twelve-week semester, each student on their own GPU."
    )
    assert (c.students, c.hours_per_week, c.weeks) == (30, 6, 12)


def test_a_time_per_pair_of_two_counted_things() -> None:
    w = parse_workload(
        "Eval plan. Checkpoints to evaluate: 20. Tasks: 5. Cost per (checkpoint, task) pair: "
        "~30 minutes on one GPU."
    )
    assert w.hours_per_run is not None and abs(w.hours_per_run * (w.runs or 1) - 50) < 1e-9
    # written the other way round: the time first
    v = parse_workload("20 checkpoints, 5 tasks, 30 min per checkpoint-task pair on one GPU.")
    assert v.hours_per_run is not None and abs(v.hours_per_run * (v.runs or 1) - 50) < 1e-9
